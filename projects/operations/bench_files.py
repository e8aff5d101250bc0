"""The bench's timings of files: the register's export against openpyxl writing the same
sheets (its floor), the import against openpyxl reading them; and the timing helpers the
bench commands share (turns, medians, peak memory)."""

import datetime
import statistics
import time
import tracemalloc
from io import BytesIO

from django.db import transaction
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell

from projects.exchange.actions import import_workbook
from projects.exchange.template import register_row, template_workbook
from projects.exchange.workbook import ProgressWorkbook
from projects.exchange.xlsx import BORDER, DATE_FORMAT, MONEY_FORMAT, WRAP, workbook_bytes
from projects.models import (
    AnnualPlan,
    Milestone,
    Problem,
    Project,
    Zone,
)

MIB = 1024 * 1024


def measure_together(functions, repeat, times=None):
    """Median seconds of each function, run in turns (a, b, c, a, b, c, ...) so that a
    change in the machine's load during the run falls on all of them alike; `times`, when
    given, receives every turn's seconds of each."""
    for function in functions.values():
        function()  # warm caches and connections
    times = {} if times is None else times
    times.update({name: [] for name in functions})
    for _ in range(repeat):
        for name, function in functions.items():
            start = time.perf_counter()
            function()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def peak_memory(function):
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1] / MIB
    finally:
        tracemalloc.stop()


class FileBench:
    """The export's and the import's benches, a part of `manage.py bench`."""

    def bench_export(self, period, count, repeat):
        """The progress workbook against openpyxl writing the same sheets of plain values."""
        projects = Project.objects.all()
        workbook = ProgressWorkbook(projects, period)
        shape = [  # (rows, columns) of each sheet of the real workbook
            (5 + Zone.objects.count() + count, len(workbook.COLUMNS)),
            (2 + Zone.objects.count(), 10),
            (1 + Problem.objects.count(), 10),
            (1 + Milestone.objects.count(), 7),
        ]

        def floor(styled):
            """Write the same sheets from plain Python lists, one list per row; `styled` gives
            every cell the borders, wrapping and number formats the real workbook has, with
            one styled cell per column reused from row to row (the cheapest way openpyxl
            allows)."""
            book = Workbook(write_only=True)
            for number, (rows, columns) in enumerate(shape):
                sheet = book.create_sheet(f"floor{number}")
                kinds = [
                    ["文本内容", 12345.67, datetime.date(2013, 1, 1)][i % 3] for i in range(columns)
                ]
                cells = []
                for index, value in enumerate(kinds):
                    item = WriteOnlyCell(sheet, value=value)
                    item.border, item.alignment = BORDER, WRAP
                    item.number_format = [None, MONEY_FORMAT, DATE_FORMAT][index % 3] or "General"
                    cells.append(item)
                for row_number in range(rows):
                    values = [row_number, *kinds[1:]]
                    if styled:
                        for item, value in zip(cells, values, strict=True):
                            item.value = value
                        sheet.append(cells)
                    else:
                        sheet.append(values)
            workbook_bytes(book)

        def export():
            workbook.content()

        functions = {
            "floor, plain values": lambda: floor(False),
            "floor, styled cells (baseline)": lambda: floor(True),
            "progress workbook": export,
        }
        turns = {}
        medians = measure_together(functions, max(repeat // 2, 1), turns)
        styled = medians["floor, styled cells (baseline)"]
        cells = sum(rows * columns for rows, columns in shape)
        self.stdout.write(f"\nexport: {cells} cells in 4 sheets")
        self.stdout.write(f"{'export':<32}{'median ms':>10}{'peak MiB':>10}{'ratio':>8}")
        for name, function in functions.items():
            self.stdout.write(
                f"{name:<32}{medians[name] * 1000:>10.1f}{peak_memory(function):>10.1f}"
                f"{medians[name] / styled:>8.2f}"
            )
        ratios = sorted(
            export / floor
            for export, floor in zip(
                turns["progress workbook"], turns["floor, styled cells (baseline)"], strict=True
            )
        )
        self.stdout.write(
            f"progress workbook against the styled floor, turn by turn: "
            f"{', '.join(f'{ratio:.2f}' for ratio in ratios)}"
        )

    def bench_import(self, period, repeat):
        """Importing 10,000 project rows (each an update; none changed; each new) against
        openpyxl read-only reading the same file into lists. The imports run for real and are
        rolled back."""
        projects = Project.objects.select_related("zone", "lead_official", "responsible_unit")
        rows = []
        for project in projects.order_by("code")[:10_000]:
            row = register_row(project)
            row[1] = f"{row[1]}(改)"
            rows.append([*row, period.year, 1000])
        data = template_workbook("projects", rows)

        def floor():
            book = load_workbook(BytesIO(data), read_only=True)
            return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]

        plans = dict(
            AnnualPlan.objects.filter(year=period.year).values_list(
                "project__code", "planned_investment"
            )
        )
        unchanged = template_workbook(
            "projects",
            [[r[0], r[1].removesuffix("(改)"), *r[2:-1], plans.get(r[0])] for r in rows],
        )

        new = template_workbook("projects", [[f"N{r[0]}", *r[1:]] for r in rows])

        def run(workbook, expect):
            with transaction.atomic():
                result = import_workbook(None, "projects", workbook, dry_run=False)
                assert result.ok and len(getattr(result, expect)) >= len(rows), result.errors[:3]
                transaction.set_rollback(True)

        functions = {
            "openpyxl read-only (baseline)": floor,
            "import, every row an update": lambda: run(data, "update"),
            "import, nothing changed": lambda: run(unchanged, "unchanged"),
            "import, every row new": lambda: run(new, "create"),
        }
        medians = measure_together(functions, max(repeat // 2, 1))
        baseline = medians["openpyxl read-only (baseline)"]
        self.stdout.write(f"\nimport: {len(rows)} project rows with their {period.year} plans")
        self.stdout.write(f"{'import':<36}{'median ms':>10}{'ratio':>8}")
        for name in functions:
            self.stdout.write(
                f"{name:<36}{medians[name] * 1000:>10.1f}{medians[name] / baseline:>8.2f}"
            )
