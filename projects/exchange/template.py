"""The import templates: their headings (a contract with the offices that fill them in),
the 说明 sheet, and the register written back in the projects template."""

import datetime

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from projects.models import Project

from .xlsx import DATE_FORMAT, append, cell, new_workbook, workbook_bytes

PROJECT_HEADERS = [
    "项目编号",
    "项目名称",
    "功能区",
    "建设单位",
    "建设内容及规模",
    "总投资(万元)",
    "计划开工",
    "计划竣工",
    "牵头领导",
    "责任单位",
    "年度",
    "年度计划投资(万元)",
]
PROGRESS_HEADERS = ["项目编号", "年", "月", "本月完成投资(万元)", "形象进度", "存在问题"]
HEADERS = {"projects": PROJECT_HEADERS, "progress": PROGRESS_HEADERS}
# Columns a workbook may leave out (older templates): the register's code on the national
# platform and the plan's twelve months (all blank: a linear plan).
NATIONAL_CODE = "全国投资项目代码"
MONTH_HEADERS = [f"{month}月计划" for month in range(1, 13)]
# The project's place on the map (WGS-84 degrees), after every other column.
LATITUDE, LONGITUDE = "纬度", "经度"
PLACE = {"latitude": LATITUDE, "longitude": LONGITUDE}
# The project's stage (储备 … 投产), in words; a change is dated the day of the import.
STAGE = "项目阶段"
STAGE_NAMES = {
    "reserve": "储备",
    "preparation": "前期",
    "new_start": "新开工",
    "continuing": "续建",
    "completed": "竣工",
    "in_operation": "投产",
}
OPTIONAL_HEADERS = {
    "projects": [NATIONAL_CODE, *MONTH_HEADERS, STAGE, LATITUDE, LONGITUDE],
    "progress": [],
}
EXPLANATIONS = {
    "项目编号": "必填。项目的唯一编号;已有编号则更新该项目,否则新建。",
    "项目名称": "必填。",
    "功能区": "必填。须与系统中的功能区名称一致,如:特色商业区。",
    "建设单位": "选填。项目业主。已有项目留空则保留系统中的原值；要清空原值，请填写“（清空）”。",
    "建设内容及规模": "选填。已有项目留空则保留系统中的原值；要清空原值，请填写“（清空）”。",
    "总投资(万元)": "必填。数字,单位万元,可带两位小数;可以写千位分隔符(1,234),不能写百分号。",
    "计划开工": "选填。日期,如 2013-06-01、2013/6/1 或 2013年6月1日。已有项目留空则保留系统中的原值；要清空原值，请填写“（清空）”。",
    "计划竣工": "选填。日期,不能早于计划开工。已有项目留空则保留系统中的原值；要清空原值，请填写“（清空）”。",
    "牵头领导": "选填。须与系统中的领导姓名一致。已有项目留空则保留系统中的原值；要清空原值，请填写“（清空）”。",
    "责任单位": "选填。须与系统中的单位名称一致。已有项目留空则保留系统中的原值；要清空原值，请填写“（清空）”。",
    "年度": "与“年度计划投资”同时填写或同时留空。一个项目有多个年度计划时,每个年度一行,其余各列相同。",
    "年度计划投资(万元)": "数字,单位万元。",
    "全国投资项目代码": (
        "选填。全国投资项目在线审批监管平台的 24 位项目代码,如 2013-410802-70-01-000123。"
        "已有项目留空则保留系统中的原值；要清空原值，请填写“（清空）”。"
    ),
    **{
        heading: "选填。该年度各月计划投资(万元),12 个月合计须等于年度计划投资;全部留空则按线性序时进度(自计划开工月份起)"
        "；已有的分月计划也随之取消，预览中以红色标出。"
        for heading in MONTH_HEADERS
    },
    "纬度": (
        "选填。项目位置的纬度(WGS-84,北纬度数,如 35.240512;手机定位即此坐标),须在中国境内,"
        "与经度同时填写。已有项目留空则保留系统中的原值；要清空原值，请填写“（清空）”。"
    ),
    "经度": (
        "选填。项目位置的经度(WGS-84,东经度数,如 113.231027),须在中国境内,与纬度同时填写。"
        "已有项目留空则保留系统中的原值；要清空原值，请填写“（清空）”。"
    ),
    "项目阶段": (
        "选填。储备、前期、新开工、续建、竣工或投产。与系统中不同时，按导入当天记一次阶段变更。"
        "已有项目留空则保留系统中的原值；阶段不能清空，填写“（清空）”也保留原值。"
    ),
    "年": "必填。如 2013。",
    "月": "必填。1 到 12。",
    "本月完成投资(万元)": "必填。数字,单位万元,不能为负。",
    "形象进度": "选填。如:主体结构施工至12层。",
    "存在问题": "选填。",
}


# What differs between the two templates' 说明 for a heading they share.
KIND_EXPLANATIONS = {
    "progress": {
        "项目编号": "必填。须为系统中已有的项目编号;不存在的编号整行被拒绝(新项目请先用项目模板导入)。",
    },
}


def template_workbook(kind, rows=()):
    """A workbook with the kind's header row, the given rows, and a 说明 sheet."""
    book = new_workbook()
    sheet = book.create_sheet("项目" if kind == "projects" else "进展")
    headings = HEADERS[kind] + OPTIONAL_HEADERS[kind]
    for index, heading in enumerate(headings, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, len(heading) * 2 + 2)
    sheet.freeze_panes = "A2"
    append(sheet, headings)
    for row in rows:
        append(sheet, [plain_cell(sheet, value) for value in row])
    guide = book.create_sheet("说明")
    guide.column_dimensions["A"].width = 20
    guide.column_dimensions["B"].width = 90
    append(guide, ["列", "说明"])
    for heading in headings:
        append(
            guide, [heading, KIND_EXPLANATIONS.get(kind, {}).get(heading, EXPLANATIONS[heading])]
        )
    return workbook_bytes(book)


def plain_cell(sheet, value):
    """An unstyled cell, dates shown as dates (the import reads them back)."""
    if isinstance(value, datetime.date):
        return cell(sheet, value, number_format=DATE_FORMAT, alignment=None, border=None)
    return value


def to_stage(value):
    """A stage from its name in the template (新开工) or its code (new_start)."""
    text = str(value).strip()
    for code, name in STAGE_NAMES.items():
        if text in (name, code):
            return code
    raise ValueError(
        _("The stage “%(stage)s” is none of %(stages)s.")
        % {"stage": text, "stages": "、".join(STAGE_NAMES.values())}
    )


def register_row(project):
    """A project's cells in the projects template, 项目编号 to 责任单位 (without the plan)."""
    return [
        project.code,
        project.name,
        project.zone.name,
        project.owner,
        project.scope,
        project.total_investment,
        project.planned_start,
        project.planned_completion,
        project.lead_official.name if project.lead_official else None,
        project.responsible_unit.name if project.responsible_unit else None,
    ]


def export_projects(user=None):
    """The register in the projects template (of `user`'s regions; all without an account):
    one row per project and year of plan."""
    rows = []
    projects = (
        (Project.objects.all() if user is None else Project.objects.restrict(user))
        .select_related("zone", "lead_official", "responsible_unit")
        .prefetch_related("annual_plans__months")
        .order_by("code")
    )
    for project in projects:
        base = register_row(project)
        plans = sorted(project.annual_plans.all(), key=lambda plan: plan.year)
        place = [STAGE_NAMES[project.stage], project.latitude, project.longitude]
        if not plans:
            rows.append([*base, None, None, project.national_code or None, *[None] * 12, *place])
        for plan in plans:
            months = {month.month: month.amount for month in plan.months.all()}
            rows.append(
                [
                    *base,
                    plan.year,
                    plan.planned_investment,
                    project.national_code or None,
                    *(months.get(month) for month in range(1, 13)),
                    *place,
                ]
            )
    return template_workbook("projects", rows)
