"""The standard 重点项目进展情况表 workbook: 进展情况, 汇总, 问题清单 and 时间节点 sheets."""

from decimal import Decimal

from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from projects.models import Light, Project, Region, Zone, complete_progress

from .life_columns import (
    LIFE_COLUMNS,
    LIFE_FIELDS,
    LIFE_MONEY_KEYS,
    life_cells,
    life_totals,
    with_life,
)
from .sheets import INFO_HEIGHT, AnnexSheets
from .start_sheet import StartRatesSheet
from .xlsx import (
    BOLD,
    CENTER,
    CHINESE_NUMERALS,
    DATE_FORMAT,
    GROUP_FILL,
    HEADER_FILL,
    LIGHT_FILLS,
    MONEY_FORMAT,
    PERCENT_FORMAT,
    POINTS_FORMAT,
    UNITS,
    WRAP,
    append,
    append_title,
    append_values,
    cell,
    new_workbook,
    row_styles,
    setup_sheet,
    text_height,
    workbook_bytes,
)


class ProgressWorkbook(StartRatesSheet, AnnexSheets):
    """The 重点项目进展情况表 for a period: 进展情况, 汇总, 问题清单, 时间节点 and 开工率 sheets."""

    # (key of the figure, heading, second heading row, width, number format)
    COLUMNS = [
        ("number", "序号", None, 4, None),
        ("name", "项目名称", None, 14, None),
        ("owner", "建设单位", None, 10, None),
        ("scope", "建设内容及规模", None, 13, None),
        ("total_investment", "总投资", None, 11, MONEY_FORMAT),
        ("annual_plan", "年度计划投资", None, 11, MONEY_FORMAT),
        ("month_amount", "本月完成投资", None, 11, MONEY_FORMAT),
        ("ytd", "1-N月", "完成投资", 11, MONEY_FORMAT),
        ("completion_rate", None, "占年度计划(%)", 8, PERCENT_FORMAT),
        ("time_schedule", "序时进度(%)", None, 8, PERCENT_FORMAT),
        ("gap", "落后序时(百分点)", None, 8, POINTS_FORMAT),
        ("cumulative", "开工以来累计完成投资", None, 11, MONEY_FORMAT),
        ("planned_start", "计划开工", None, 10, DATE_FORMAT),
        ("planned_completion", "计划竣工", None, 10, DATE_FORMAT),
        ("report_progress", "形象进度", None, 14, None),
        ("report_problems", "存在问题", None, 12, None),
        ("lead_official__name", "牵头领导", None, 6, None),
        ("responsible_unit__name", "责任单位", None, 8, None),
        ("light", "进度状态", None, 7, None),
        # The standard table ends here; the statistics and the funding follow it.
        *LIFE_COLUMNS,
    ]
    KEYS = [key for key, *_rest in COLUMNS]
    MONEY_KEYS = {"total_investment", "annual_plan", "month_amount", "ytd", "cumulative"}
    MONEY_KEYS |= LIFE_MONEY_KEYS
    RATIO_KEYS = {"completion_rate", "time_schedule"}
    NOTES = (
        "注:1. 序时进度:年度计划分月的项目,为截至本月的分月计划累计占年度计划的比例;"
        "未分月的项目,自计划开工月份起按月平均(计划开工在本年以前或未填的,自1月起)。"
        "2. 落后序时 = 序时进度 − 完成率(百分点),大于 0 为落后。"
        "3. 合计与各功能区的序时进度按计划加权:截至本月的计划合计 ÷ 年度计划合计。"
        "4. 形象进度、存在问题取本年截至本月最近一次填报;本月未填报的,取以前最近一次填报并在前面注明其月份,如“(4月)”。"
        "5. 打印区域右侧为入库状态、列统投资(统计部门口径,项目办按月录入)、列统与填报差额"
        "(列统投资 − 1-N月完成投资)和到位资金,供核对,不打印。"
    )

    def __init__(self, projects, period, unit="万元", progress=None, region=None):
        """`progress(fraction)`, when given, hears how far the build has got (0 to 1);
        `region` names the table and its 填报单位 (the single district by default)."""
        if unit not in UNITS:
            raise ValueError(_("The unit must be 万元 or 亿元."))
        self.progress = progress or (lambda fraction: None)
        self.projects = projects
        self.region = region or Region.objects.heading()
        self.period = period
        self.unit = unit
        self.divisor = UNITS[unit]

    def money(self, value):
        if value is None:
            return None
        value = Decimal(value)
        return value if self.divisor == 1 else (value / self.divisor).quantize(Decimal("0.000001"))

    @staticmethod
    def ratio(percent):
        return None if percent is None else Decimal(percent) / 100

    def build(self):
        # Projects written around the signals (a bulk_create, a repair in SQL) get their rows
        # first: the table is read for every figure and total below.
        complete_progress(self.period, self.projects)
        workbook = new_workbook()
        rows, total = self.projects.summary(self.period)
        rows = self.by_district(rows)
        life = life_totals(self.projects, self.period)
        for row, zone in [*((row, row["zone"]) for row in rows), (total, None)]:
            row.update({key: life.get(zone, {}).get(key, Decimal(0)) for key in LIFE_MONEY_KEYS})
        self.write_progress(workbook.create_sheet("进展情况"), rows, total)
        self.write_summary(workbook.create_sheet("汇总"), rows, total)
        self.write_problems(workbook.create_sheet("问题清单"))
        self.progress(0.9)
        self.write_milestones(workbook.create_sheet("时间节点"))
        self.write_start_rates(workbook.create_sheet("开工率"))
        return workbook

    def content(self):
        return workbook_bytes(self.build())

    def write_progress(self, sheet, zone_rows, total):
        period = self.period
        # The standard table prints (one page wide on A3 at 9 pt); the statistics and funding
        # columns after it are for reading on screen, outside the print area.
        width = len(self.COLUMNS) - len(LIFE_COLUMNS)
        last = get_column_letter(width)
        setup_sheet(
            sheet,
            [column[3] for column in self.COLUMNS[:width]],
            header_rows=4,
            repeat_columns="A:B",
            title_rows=2,
        )
        for index, column in enumerate(LIFE_COLUMNS, start=width + 1):
            sheet.column_dimensions[get_column_letter(index)].width = column[3]
        append_title(sheet, f"{self.region.name}“四区联建”重点项目进展情况表", width)
        append(
            sheet,
            [
                cell(
                    sheet,
                    f"填报单位:{self.region.reporting_unit_name}",
                    border=None,
                    alignment=None,
                )
            ]
            + [None] * 5
            + [cell(sheet, f"截至{period.year}年{period.month}月", border=None, alignment=None)]
            + [None] * (width - 8)
            + [cell(sheet, f"单位:{self.unit}", border=None, alignment=None)],
            height=INFO_HEIGHT,
        )
        sheet.merged_cells.add("A2:F2")
        header_style = {"font": BOLD, "fill": HEADER_FILL, "alignment": CENTER}
        first, second = [], []
        ytd_column = self.KEYS.index("ytd") + 1
        for index, (key, label, below, _width, _format) in enumerate(self.COLUMNS, start=1):
            if key == "ytd":
                label = f"1-{period.month}月"
            if below == "1-N月":
                below = f"1-{period.month}月"
            first.append(cell(sheet, label, **header_style))
            second.append(cell(sheet, below, **header_style))
            if below is None:
                letter = get_column_letter(index)
                sheet.merged_cells.add(f"{letter}3:{letter}4")
        sheet.merged_cells.add(
            f"{get_column_letter(ytd_column)}3:{get_column_letter(ytd_column + 1)}3"
        )
        append(sheet, first)
        append(sheet, second)

        append(sheet, self.total_row(sheet, "合计", total, font=BOLD, fill=GROUP_FILL))
        written = 5
        by_zone = {row["zone"]: row for row in zone_rows}
        current_zone, number = None, 0
        # The project rows are most of the work: 0 to 80 % of the progress.
        step = max(total["count"] // 50, 1)
        for done, project in enumerate(self.project_rows(), start=1):
            if done % step == 0:
                self.progress(0.8 * done / total["count"])
            if project["zone_id"] != current_zone:
                current_zone, number = project["zone_id"], 0
                zone = by_zone[current_zone]
                index = list(by_zone).index(current_zone)
                label = f"{CHINESE_NUMERALS[index % 10]}、{zone['zone__name']}({zone['count']}个)"
                append(sheet, self.total_row(sheet, label, zone, font=BOLD, fill=GROUP_FILL))
                written += 1
            number += 1
            append_values(sheet, *self.project_row(sheet, number, project))
            written += 1
        # The notes span the table's width and wrap.
        notes_row = written + 1
        widths = [column[3] for column in self.COLUMNS[:width]]
        append(
            sheet,
            [cell(sheet, self.NOTES, border=None, alignment=WRAP)],
            height=text_height(self.NOTES, widths),
        )
        sheet.merged_cells.add(f"A{notes_row}:{last}{notes_row}")
        sheet.print_area = f"A1:{last}{notes_row}"

    PROJECT_FIELDS = [
        "zone_id",
        "name",
        "owner",
        "scope",
        "total_investment",
        "annual_plan",
        "month_amount",
        "ytd",
        "completion_rate",
        "time_schedule",
        "gap",
        "cumulative",
        "planned_start",
        "planned_completion",
        "report_progress",
        "report_problems",
        "report_month",
        "lead_official__name",
        "responsible_unit__name",
        "light_rank",
        "stats_month",
        *LIFE_FIELDS,
    ]

    def by_district(self, zone_rows):
        """The zones of several districts (a city's table) grouped per district, each named
        with its district (解放区·特色商业区); one district's as they are."""
        regions = dict(
            Zone.objects.filter(pk__in=[row["zone"] for row in zone_rows]).values_list(
                "pk", "region__path"
            )
        )
        self.several = len(set(regions.values())) > 1
        if not self.several:
            return zone_rows
        names = dict(Region.objects.filter(path__in=regions.values()).values_list("path", "name"))
        for row in zone_rows:
            row["zone__name"] = f"{names[regions[row['zone']]]}·{row['zone__name']}"
        return sorted(zone_rows, key=lambda row: regions[row["zone"]])

    def project_rows(self):
        """Plain rows (no model instances: this runs for every project of the district)."""
        order = ("zone__region__path",) if getattr(self, "several", False) else ()
        return (
            with_life(self.projects.with_stored_progress(self.period), self.period)
            .with_report_text(self.period)
            .order_by(*order, "zone__order", "zone__name", "code")
            .values(*self.PROJECT_FIELDS)
            .iterator(chunk_size=2000)
        )

    def figure(self, key, value):
        if key in self.MONEY_KEYS:
            return self.money(value)
        if key in self.RATIO_KEYS:
            return self.ratio(value)
        return value

    def total_row(self, sheet, label, totals, **style):
        values = [
            self.figure(key, totals[key]) if key in totals and key != "number" else None
            for key in self.KEYS
        ]
        values[self.KEYS.index("name")] = label
        return [
            cell(sheet, value, number_format=self.format_of(index), **style)
            for index, value in enumerate(values)
        ]

    @classmethod
    def format_of(cls, index):
        return cls.COLUMNS[index][4]

    def project_row(self, sheet, number, project):
        """A project's cells, in the order of COLUMNS (written out for speed: this runs for
        every project of the district)."""
        light = Light.from_rank(project["light_rank"])
        money, ratio = self.money, self.ratio
        return [
            number,
            project["name"],
            project["owner"] or "",
            project["scope"] or "",
            money(project["total_investment"]),
            money(project["annual_plan"]),
            money(project["month_amount"]),
            money(project["ytd"]),
            ratio(project["completion_rate"]),
            ratio(project["time_schedule"]),
            project["gap"],
            money(project["cumulative"]),
            project["planned_start"],
            project["planned_completion"],
            self.report_text(project, "report_progress"),
            self.report_text(project, "report_problems"),
            project["lead_official__name"] or "",
            project["responsible_unit__name"] or "",
            self.light_labels[light],
            *self.life_figures(project),
        ], self.light_styles(sheet)[light]

    def life_figures(self, project):
        status, stats, gap, received = life_cells(project)
        return [status, self.money(stats), self.money(gap), self.money(received)]

    def report_text(self, project, key):
        """The latest report's text; marked with its month when it is not the period's."""
        text = project[key] or ""
        month = project["report_month"]
        if text and month and month != self.period.month:
            return f"({month}月){text}"
        return text

    @cached_property
    def light_labels(self):
        return {light: str(light.label) for light in Light}

    def light_styles(self, sheet):
        """The styles of a project row for each light, built once per sheet (a style
        belongs to its workbook)."""
        if "_jiefang_light_styles" not in sheet.__dict__:
            formats = [self.format_of(index) for index in range(len(self.COLUMNS))]
            sheet.__dict__["_jiefang_light_styles"] = {
                light: row_styles(sheet, formats, fill, self.KEYS.index("light"))
                for light, fill in LIGHT_FILLS.items()
            }
        return sheet.__dict__["_jiefang_light_styles"]


def progress_workbook(period, projects=None, unit="万元", region=None):
    """The standard progress workbook of `projects` (all by default) as .xlsx bytes, headed
    with `region` (the single district by default)."""
    if projects is None:
        projects = Project.objects.all()
    return ProgressWorkbook(projects, period, unit, region=region).content()
