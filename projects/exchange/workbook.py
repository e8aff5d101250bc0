"""The standard 重点项目进展情况表 workbook: 进展情况, 汇总, 问题清单 and 时间节点 sheets."""

from decimal import Decimal

from django.conf import settings
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from projects.models import Light, Milestone, Problem, Project

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
    TITLE_FONT,
    UNITS,
    WRAP,
    append,
    append_values,
    cell,
    row_styles,
    setup_sheet,
    workbook_bytes,
)


class ProgressWorkbook:
    """The 重点项目进展情况表 for a period: 进展情况, 汇总, 问题清单 and 时间节点 sheets."""

    # (key of the figure, heading, second heading row, width, number format)
    COLUMNS = [
        ("number", "序号", None, 5, None),
        ("name", "项目名称", None, 20, None),
        ("owner", "建设单位", None, 16, None),
        ("scope", "建设内容及规模", None, 24, None),
        ("total_investment", "总投资", None, 11, MONEY_FORMAT),
        ("annual_plan", "年度计划投资", None, 11, MONEY_FORMAT),
        ("month_amount", "本月完成投资", None, 11, MONEY_FORMAT),
        ("ytd", "1-N月", "完成投资", 11, MONEY_FORMAT),
        ("completion_rate", None, "占年度计划(%)", 9, PERCENT_FORMAT),
        ("time_schedule", "序时进度(%)", None, 8, PERCENT_FORMAT),
        ("gap", "落后序时(百分点)", None, 8, POINTS_FORMAT),
        ("cumulative", "开工以来累计完成投资", None, 12, MONEY_FORMAT),
        ("planned_start", "计划开工", None, 10, DATE_FORMAT),
        ("planned_completion", "计划竣工", None, 10, DATE_FORMAT),
        ("report_progress", "形象进度", None, 24, None),
        ("report_problems", "存在问题", None, 20, None),
        ("lead_official__name", "牵头领导", None, 8, None),
        ("responsible_unit__name", "责任单位", None, 12, None),
        ("light", "进度状态", None, 8, None),
    ]
    KEYS = [key for key, *_rest in COLUMNS]
    MONEY_KEYS = {"total_investment", "annual_plan", "month_amount", "ytd", "cumulative"}
    RATIO_KEYS = {"completion_rate", "time_schedule"}
    NOTES = (
        "注:1. 序时进度:年度计划分月的项目,为截至本月的分月计划累计占年度计划的比例;"
        "未分月的项目,自计划开工月份起按月平均(计划开工在本年以前或未填的,自1月起)。"
        "2. 落后序时 = 序时进度 − 完成率(百分点),大于 0 为落后。"
        "3. 合计与各功能区的序时进度按计划加权:截至本月的计划合计 ÷ 年度计划合计。"
        "4. 形象进度、存在问题取本年截至本月最近一次填报;本月未填报的,取以前最近一次填报并在前面注明其月份,如“(4月)”。"
    )

    def __init__(self, projects, period, unit="万元"):
        if unit not in UNITS:
            raise ValueError(_("The unit must be 万元 or 亿元."))
        self.projects = projects
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
        workbook = Workbook(write_only=True)
        rows, total = self.projects.summary(self.period)
        self.write_progress(workbook.create_sheet("进展情况"), rows, total)
        self.write_summary(workbook.create_sheet("汇总"), rows, total)
        self.write_problems(workbook.create_sheet("问题清单"))
        self.write_milestones(workbook.create_sheet("时间节点"))
        return workbook

    def content(self):
        return workbook_bytes(self.build())

    def write_progress(self, sheet, zone_rows, total):
        period = self.period
        width = len(self.COLUMNS)
        last = get_column_letter(width)
        setup_sheet(sheet, [column[3] for column in self.COLUMNS], header_rows=4)
        title = f"{settings.JIEFANG_DISTRICT}“四区联建”重点项目进展情况表"
        append(sheet, [cell(sheet, title, font=TITLE_FONT, alignment=CENTER, border=None)])
        sheet.merged_cells.add(f"A1:{last}1")
        append(
            sheet,
            [
                cell(
                    sheet,
                    f"填报单位:{settings.JIEFANG_REPORTING_UNIT}",
                    border=None,
                    alignment=None,
                )
            ]
            + [None] * 5
            + [cell(sheet, f"截至{period.year}年{period.month}月", border=None, alignment=None)]
            + [None] * (width - 8)
            + [cell(sheet, f"单位:{self.unit}", border=None, alignment=None)],
        )
        sheet.merged_cells.add("A2:F2")
        header_style = {"font": BOLD, "fill": HEADER_FILL, "alignment": CENTER}
        first, second = [], []
        ytd_column = self.KEYS.index("ytd") + 1
        for index, (key, label, below, _width, _format) in enumerate(self.COLUMNS, start=1):
            if key == "ytd":
                label = f"1-{period.month}月"
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
        for project in self.project_rows():
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
        sheet.row_dimensions[notes_row].height = 48
        append(sheet, [cell(sheet, self.NOTES, border=None, alignment=WRAP)])
        sheet.merged_cells.add(f"A{notes_row}:{last}{notes_row}")

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
    ]

    def project_rows(self):
        """Plain rows (no model instances: this runs for every project of the district)."""
        return (
            self.projects.with_progress(self.period)
            .with_report_text(self.period)
            .order_by("zone__order", "zone__name", "code")
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
        ], self.light_styles(sheet)[light]

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
                light: row_styles(sheet, formats, fill) for light, fill in LIGHT_FILLS.items()
            }
        return sheet.__dict__["_jiefang_light_styles"]

    def write_summary(self, sheet, zone_rows, total):
        headers = [
            "功能区",
            "项目个数",
            "总投资",
            "年度计划投资",
            f"1-{self.period.month}月完成投资",
            "完成率(%)",
            "序时进度(%)",
            "正常",
            "滞后",
            "严重滞后",
            "无计划",
        ]
        setup_sheet(sheet, [20, 10, 14, 14, 14, 11, 11, 8, 8, 9, 8], header_rows=1)
        append(
            sheet, [cell(sheet, h, font=BOLD, fill=HEADER_FILL, alignment=CENTER) for h in headers]
        )
        for label, row, font in [
            *((zone["zone__name"], zone, None) for zone in zone_rows),
            ("合计", total, BOLD),
        ]:
            values = [
                label,
                row["count"],
                self.money(row["total_investment"]),
                self.money(row["annual_plan"]),
                self.money(row["ytd"]),
                self.ratio(row["completion_rate"]),
                self.ratio(row["time_schedule"]),
                row["green"],
                row["yellow"],
                row["red"],
                row["none"],
            ]
            formats = [None, None, *[MONEY_FORMAT] * 3, *[PERCENT_FORMAT] * 2, *[None] * 4]
            append(
                sheet,
                [
                    cell(sheet, v, number_format=f, font=font)
                    for v, f in zip(values, formats, strict=True)
                ],
            )

    def write_problems(self, sheet):
        as_of = self.period.as_of
        headers = [
            "序号",
            "项目名称",
            "问题描述",
            "提出会议",
            "处置方式",
            "解决时限",
            "责任单位",
            "牵头领导",
            "状态",
            "是否逾期",
        ]
        setup_sheet(sheet, [6, 24, 36, 24, 10, 11, 16, 9, 8, 8], header_rows=1)
        append(
            sheet, [cell(sheet, h, font=BOLD, fill=HEADER_FILL, alignment=CENTER) for h in headers]
        )
        problems = (
            # As the month stood: raised by its end, open or closed as of then.
            Problem.objects.filter(project__in=self.projects.values("pk"))
            .raised_by(as_of)
            .with_open(as_of)
            .with_overdue(as_of)
            .select_related("project__lead_official", "meeting", "responsible_unit")
            .order_by("project__zone__order", "project__code", "pk")
        )
        for number, problem in enumerate(problems.iterator(chunk_size=2000), start=1):
            overdue = problem.is_overdue
            lead = problem.project.lead_official
            values = [
                number,
                problem.project.name,
                problem.description,
                str(problem.meeting) if problem.meeting else "",
                str(problem.get_disposition_display()),
                problem.deadline,
                problem.responsible_unit.name if problem.responsible_unit else "",
                lead.name if lead else "",
                str(Problem.Status.OPEN.label if problem.is_open else Problem.Status.CLOSED.label),
                "是" if overdue else "否",
            ]
            fill = LIGHT_FILLS[Light.RED] if overdue else None
            append(
                sheet,
                [
                    cell(
                        sheet,
                        v,
                        number_format=DATE_FORMAT if i == 5 else None,
                        fill=fill if i == len(values) - 1 else None,
                    )
                    for i, v in enumerate(values)
                ],
            )

    def write_milestones(self, sheet):
        as_of = self.period.as_of
        headers = ["项目名称", "时间节点", "基准日期", "计划日期", "实际日期", "延误天数", "状态"]
        setup_sheet(sheet, [24, 18, 11, 11, 11, 9, 10], header_rows=1)
        append(
            sheet, [cell(sheet, h, font=BOLD, fill=HEADER_FILL, alignment=CENTER) for h in headers]
        )
        milestones = (
            Milestone.objects.filter(project__in=self.projects.values("pk"))
            .order_by("project__zone__order", "project__code", "order", "planned_date")
            .values_list("project__name", "name", "baseline_date", "planned_date", "actual_date")
        )
        formats = [None, None, DATE_FORMAT, DATE_FORMAT, DATE_FORMAT, None, None]
        normal = row_styles(sheet, formats)
        overdue = row_styles(sheet, formats, LIGHT_FILLS[Light.RED])
        for project, name, baseline, planned, actual in milestones.iterator(chunk_size=5000):
            state, delay = Milestone.state_of(planned, actual, as_of)
            values = [project, name, baseline, planned, actual, delay, str(state.label)]
            append_values(sheet, values, overdue if state == Milestone.State.OVERDUE else normal)


def progress_workbook(period, projects=None, unit="万元"):
    """The standard progress workbook of `projects` (all by default) as .xlsx bytes."""
    if projects is None:
        projects = Project.objects.all()
    return ProgressWorkbook(projects, period, unit).content()
