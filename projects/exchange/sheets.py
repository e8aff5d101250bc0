"""The sheets beside the progress table: 汇总 by zone, 问题清单 and 时间节点, each with its
title, reporting unit and period, as the month stood."""

from openpyxl.utils import get_column_letter

from projects.models import Light, Milestone, Problem

from .xlsx import (
    BOLD,
    CENTER,
    DATE_FORMAT,
    HEADER_FILL,
    LIGHT_FILLS,
    MONEY_FORMAT,
    PERCENT_FORMAT,
    append,
    append_title,
    append_values,
    cell,
    row_styles,
    setup_sheet,
)

INFO_HEIGHT = 18


class AnnexSheets:
    """Sheet writers of ProgressWorkbook (which gives period, unit, projects, money, ratio)."""

    def write_heading(self, sheet, title, headers, widths, money=False):
        """Title, reporting unit, period (and the money unit), then the header row: every sheet
        says on paper what it is and as of when."""
        last = get_column_letter(len(headers))
        setup_sheet(sheet, widths, header_rows=3, title_rows=2)
        append_title(sheet, f"{self.region.name}“四区联建”重点项目{title}", len(headers))
        parts = [
            f"填报单位:{self.region.reporting_unit_name}",
            f"截至{self.period.year}年{self.period.month}月",
            *([f"单位:{self.unit}"] if money else []),
        ]
        append(
            sheet,
            [cell(sheet, "    ".join(parts), border=None, alignment=None)],
            height=INFO_HEIGHT,
        )
        sheet.merged_cells.add(f"A2:{last}2")
        append(
            sheet, [cell(sheet, h, font=BOLD, fill=HEADER_FILL, alignment=CENTER) for h in headers]
        )

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
        widths = [20, 10, 14, 14, 14, 11, 11, 8, 8, 9, 8]
        self.write_heading(sheet, "进展汇总(按功能区)", headers, widths, money=True)
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
        widths = [6, 24, 36, 24, 10, 11, 16, 9, 8, 8]
        self.write_heading(sheet, "问题清单", headers, widths)
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
        self.write_heading(sheet, "时间节点", headers, [24, 18, 11, 11, 11, 9, 10])
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
