"""The register workbook's 开工率 sheet: the start and completion rates of the year up to the
period's end, overall, per region beneath, zone and lead official, each beside its target;
the figures of /starts/ (projects/life/rates.py)."""

from projects.life.rates import start_rates

from .xlsx import BOLD, PERCENT_FORMAT, append, cell

HEADERS = [
    "名称",
    "计划开工(个)",
    "已开工(个)",
    "开工率(%)",
    "开工率目标(%)",
    "计划竣工(个)",
    "已竣工(个)",
    "竣工率(%)",
    "竣工率目标(%)",
]
WIDTHS = [24, 10, 10, 10, 11, 10, 10, 10, 11]
FORMATS = [
    None,
    None,
    None,
    PERCENT_FORMAT,
    PERCENT_FORMAT,
    None,
    None,
    PERCENT_FORMAT,
    PERCENT_FORMAT,
]


class StartRatesSheet:
    """Sheet writer of ProgressWorkbook (which gives projects, period, region, ratio)."""

    def write_start_rates(self, sheet):
        rates = start_rates(self.projects, self.period, self.region)
        self.write_heading(sheet, f"开工率和竣工率(第{rates.quarter}季度目标)", HEADERS, WIDTHS)
        groups = [
            ("按地区", rates.regions),
            ("按功能区", rates.zones),
            ("按牵头领导", rates.officials),
        ]
        self.start_rate_row(sheet, "合计", rates.total, BOLD)
        for title, rows in groups:
            if not rows:
                continue
            append(sheet, [cell(sheet, title, font=BOLD)])
            for row in rows:
                self.start_rate_row(sheet, row.label, row)

    def start_rate_row(self, sheet, label, row, font=None):
        values = [
            label,
            row.planned_starts,
            row.started,
            self.ratio(row.start_rate),
            self.ratio(row.start_target),
            row.planned_completions,
            row.completed,
            self.ratio(row.completion_rate),
            self.ratio(row.completion_target),
        ]
        append(
            sheet,
            [
                cell(sheet, value, number_format=number_format, font=font)
                for value, number_format in zip(values, FORMATS, strict=True)
            ],
        )
