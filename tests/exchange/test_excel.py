"""The 重点项目进展情况表 workbook, read back cell by cell."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from projects.exchange.workbook import progress_workbook
from projects.models import Project
from projects.progress.period import Period
from tests.conftest import make_project, plan, report

pytestmark = pytest.mark.django_db

MAY = Period(2013, 5)
HEADER_1 = [
    "序号",
    "项目名称",
    "建设单位",
    "建设内容及规模",
    "总投资",
    "年度计划投资",
    "本月完成投资",
    "1-5月",
    None,
    "序时进度(%)",
    "落后序时(百分点)",
    "开工以来累计完成投资",
    "计划开工",
    "计划竣工",
    "形象进度",
    "存在问题",
    "牵头领导",
    "责任单位",
    "进度状态",
    # After the superiors' standard table: the statistics and the funding (#31).
    "入库状态",
    "列统投资",
    "列统与填报差额",
    "到位资金",
]
HEADER_2 = [None] * 7 + ["完成投资", "占年度计划(%)"] + [None] * 10 + [None, "1-5月", None, None]
# Column positions (0-based) in the 进展情况 sheet, by the heading that names each column.
COL = {
    (below or above): index
    for index, (above, below) in enumerate(zip(HEADER_1, HEADER_2, strict=True))
}


def load(content):
    return openpyxl.load_workbook(io.BytesIO(content))


def values(sheet, row):
    return [c.value for c in sheet[row]]


@pytest.fixture
def book(demo):
    return load(progress_workbook(MAY))


def project_rows(sheet):
    """The project rows: 序号 is a number."""
    return [r for r in sheet.iter_rows(min_row=5) if isinstance(r[0].value, int)]


def test_sheets_title_and_period(book):
    assert book.sheetnames == ["进展情况", "汇总", "问题清单", "时间节点", "开工率"]
    sheet = book["进展情况"]
    assert sheet["A1"].value == "解放区“四区联建”重点项目进展情况表"
    assert "A1:S1" in {str(r) for r in sheet.merged_cells.ranges}
    row2 = [v for v in values(sheet, 2) if v]
    assert row2 == ["填报单位:解放区“四区联建”办公室", "截至2013年5月", "单位:万元"]


def test_two_row_header(book):
    sheet = book["进展情况"]
    assert values(sheet, 3) == HEADER_1
    assert values(sheet, 4) == HEADER_2
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert "H3:I3" in merged and "A3:A4" in merged and "S3:S4" in merged


def test_total_row_equals_the_sum_of_projects_and_the_engine(book):
    sheet = book["进展情况"]
    total = values(sheet, 5)
    assert total[1] == "合计"
    rows = project_rows(sheet)
    assert len(rows) == 10
    for name in ("总投资", "年度计划投资", "本月完成投资", "完成投资", "开工以来累计完成投资"):
        column = COL[name]
        assert total[column] == pytest.approx(sum(r[column].value or 0 for r in rows))
    _zones, engine = Project.objects.summary(MAY)
    assert total[COL["总投资"]] == 953700 == engine["total_investment"]
    assert total[COL["年度计划投资"]] == 158000 == engine["annual_plan"]
    assert total[COL["本月完成投资"]] == engine["month_amount"]
    assert total[COL["完成投资"]] == 54600 == engine["ytd"]
    assert total[COL["占年度计划(%)"]] == pytest.approx(float(engine["completion_rate"]) / 100)
    # 序时进度 of the total is plan-weighted; 落后序时 is the difference, in points.
    assert total[COL["序时进度(%)"]] == pytest.approx(float(engine["time_schedule"]) / 100)
    assert total[COL["落后序时(百分点)"]] == pytest.approx(float(engine["gap"]))
    assert total[COL["落后序时(百分点)"]] == pytest.approx(40.00 - 34.56)
    assert total[COL["开工以来累计完成投资"]] == 57600


def test_the_sheet_says_which_rule_each_figure_follows(book):
    sheet = book["进展情况"]
    last = [c.value for c in list(sheet.iter_rows(min_row=sheet.max_row))[0]]
    assert last[0].startswith("注:") and "分月计划" in last[0] and "加权" in last[0]


def test_zone_group_rows_carry_subtotals_and_numbering_restarts(book):
    sheet = book["进展情况"]
    labels = {r[1].value: r for r in sheet.iter_rows(min_row=6) if r[0].value is None}
    assert list(labels) == [
        "一、特色商业区(5个)",
        "二、解放工业园区(1个)",
        "三、文化旅游综合服务区(3个)",
        "四、新型城市社区(1个)",
    ]
    commerce = labels["一、特色商业区(5个)"]
    assert commerce[COL["总投资"]].value == 455000
    assert commerce[COL["年度计划投资"]].value == 73000
    assert commerce[COL["完成投资"]].value == 30100
    numbers, zone = [], None
    for row in sheet.iter_rows(min_row=6, max_row=sheet.max_row - 1):
        if row[0].value is None:
            zone = row[1].value
        elif zone == "三、文化旅游综合服务区(3个)":
            numbers.append(row[0].value)
    assert numbers == [1, 2, 3]


def test_project_row_types_and_formats(book):
    sheet = book["进展情况"]
    row = next(r for r in project_rows(sheet) if r[1].value == "丹尼斯百货")
    assert row[COL["建设单位"]].value == "河南丹尼斯百货有限公司"
    money = row[COL["总投资"]]
    assert money.value == 100000 and money.number_format == "#,##0.00"
    assert row[COL["本月完成投资"]].value == 1700
    assert row[COL["完成投资"]].value == 7600
    rate = row[COL["占年度计划(%)"]]
    assert rate.value == pytest.approx(0.4222) and rate.number_format == "0.00%"
    schedule = row[COL["序时进度(%)"]]
    assert schedule.value == pytest.approx(0.40) and schedule.number_format == "0.00%"
    gap = row[COL["落后序时(百分点)"]]
    assert gap.value == pytest.approx(-2.22) and gap.number_format == "0.00"
    start = row[COL["计划开工"]]
    assert start.value == datetime.datetime(2013, 5, 1) and start.is_date
    assert row[COL["形象进度"]].value == "施工许可办理中"
    assert row[COL["存在问题"]].value == "施工许可证办理进度缓慢"
    assert (row[COL["牵头领导"]].value, row[COL["责任单位"]].value) == ("王红梅", "区商务局")
    light = row[COL["进度状态"]]
    assert light.value == "严重滞后" and light.fill.fgColor.rgb.endswith("FFC7CE")
    no_plan = next(r for r in project_rows(sheet) if r[1].value == "巴黎国际亲子机器人项目")
    assert no_plan[COL["年度计划投资"]].value is None
    assert no_plan[COL["占年度计划(%)"]].value is None
    assert no_plan[COL["进度状态"]].value == "正常"


def test_an_earlier_months_text_is_marked_with_its_month(demo):
    """A project with no report for the month shows its latest text, marked with its month."""
    from projects.models import MonthlyReport

    MonthlyReport.objects.filter(project__name="丹尼斯百货", year=2013, month=5).delete()
    sheet = load(progress_workbook(MAY))["进展情况"]
    row = next(r for r in project_rows(sheet) if r[1].value == "丹尼斯百货")
    assert row[COL["形象进度"]].value.startswith("(4月)")
    assert row[COL["本月完成投资"]].value == 0


def test_print_setup(book):
    sheet = book["进展情况"]
    assert sheet.freeze_panes == "A5"
    assert sheet.print_title_rows == "$3:$4"  # the column headers on every page
    assert sheet.page_setup.orientation == "landscape"
    # Nineteen columns do not fit an A4 page at 9 pt: A3, one page wide (how it prints at
    # 9 pt or more is checked through LibreOffice in test_workbook_print.py).
    assert sheet.page_setup.paperSize == 8  # A3
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert book["汇总"].page_setup.paperSize == 9  # A4 holds the summary
    assert sheet.print_title_cols == "$A:$B"
    assert (sheet["B6"].font.name, sheet["A1"].font.name) == ("宋体", "黑体")
    for name in book.sheetnames:
        assert "&P" in book[name].oddFooter.center.text, name
        assert book[name]["A1"].value.startswith("解放区“四区联建”重点项目"), name
        assert "截至2013年5月" in "".join(str(v or "") for v in values(book[name], 2)), name
    assert sheet.column_dimensions["B"].width >= 14
    assert sheet["B6"].alignment.wrap_text and sheet["B6"].border.left.style == "thin"


def test_summary_sheet(book):
    sheet = book["汇总"]
    assert values(sheet, 3) == [
        "功能区",
        "项目个数",
        "总投资",
        "年度计划投资",
        "1-5月完成投资",
        "完成率(%)",
        "序时进度(%)",
        "正常",
        "滞后",
        "严重滞后",
        "无计划",
    ]
    total = values(sheet, 8)
    assert total[:5] == ["合计", 10, 953700, 158000, 54600]
    assert total[6] == pytest.approx(0.40)  # the demo's monthly plans: 40 % due by May
    assert total[7:] == [6, 2, 2, 0]
    assert sum(values(sheet, r)[1] for r in range(4, 8)) == 10
    assert "单位:万元" in values(sheet, 2)[0]
    # It fits the page at 9 pt or more.
    assert sheet.sheet_properties.pageSetUpPr.fitToPage


def test_problem_and_milestone_sheets(book):
    problems = list(book["问题清单"].iter_rows(min_row=4, values_only=True))
    assert len(problems) == 4
    overdue = [p for p in problems if p[9] == "是"]
    assert [p[1] for p in overdue] == ["动漫产业园"]
    assert overdue[0][4] == "限期解决" and overdue[0][5] == datetime.datetime(2013, 5, 30)
    milestones = list(book["时间节点"].iter_rows(min_row=4, values_only=True))
    permit = next(m for m in milestones if m[0] == "丹尼斯百货" and m[1] == "取得施工许可")
    assert permit[5] == 46 and permit[6] == "逾期"


def test_hundred_million_yuan_mode_divides_by_ten_thousand(demo):
    sheet = load(progress_workbook(MAY, unit="亿元"))["进展情况"]
    assert [v for v in values(sheet, 2) if v][-1] == "单位:亿元"
    assert sheet["E5"].value == pytest.approx(95.37)
    assert sheet["H5"].value == pytest.approx(5.46)


@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1:A2)", "-2+3", "@cmd", "\t=1", "\r=1"])
def test_formula_injection_stays_text(zone, text):
    project = make_project(zone, "F-1", name=text, owner=text, scope=text)
    plan(project, 2013, "100.00")
    report(project, 2013, 5, "10.00", physical_progress=text, problems=text)
    sheet = load(progress_workbook(MAY))["进展情况"]
    row = project_rows(sheet)[0]
    for cell in (row[1], row[2], row[3], row[COL["形象进度"]], row[COL["存在问题"]]):
        # XML turns a carriage return into a line feed; what matters is that it is text.
        assert cell.data_type == "s" and cell.value == text.replace("\r", "\n")


def test_export_progress_command(demo, tmp_path):
    output = tmp_path / "进展.xlsx"
    call_command("export_progress", year=2013, month=5, output=str(output), unit="亿元")
    sheet = openpyxl.load_workbook(output)["进展情况"]
    assert sheet["E5"].value == pytest.approx(95.37)


def test_web_download_respects_period_and_list_filters(client, demo, observer_user):
    client.force_login(observer_user)
    response = client.get(reverse("projects:progress_xlsx"), {"year": 2013, "month": 4, "zone": 1})
    assert response.status_code == 200
    sheet = load(response.content)["进展情况"]
    assert values(sheet, 3)[COL["完成投资"]] == "1-4月"
    rows = project_rows(sheet)
    assert len(rows) == 5
    assert sheet["E5"].value == 455000
    assert {r[1].value for r in rows} >= {"丹尼斯百货", "和平街市场整体改造"}


def test_web_download_by_light(client, demo, observer_user):
    client.force_login(observer_user)
    response = client.get(
        reverse("projects:progress_xlsx"), {"light": "red", "year": 2013, "month": 5}
    )
    rows = project_rows(load(response.content)["进展情况"])
    assert {r[1].value for r in rows} == {"动漫产业园", "丹尼斯百货"}


def test_zone_without_plans_gives_empty_rate_not_an_error(zone):
    make_project(zone, "E-1")
    sheet = load(progress_workbook(MAY))["进展情况"]
    assert sheet["I5"].value is None and sheet["E5"].value == Decimal("10000")


def test_a_project_row_has_a_cell_for_every_column(book):
    """The row is written out by hand for speed: it must match COLUMNS one to one."""
    from projects.exchange.workbook import ProgressWorkbook

    sheet = book["进展情况"]
    assert all(len(row) == len(ProgressWorkbook.COLUMNS) for row in project_rows(sheet))
    assert [column[1] or "" for column in ProgressWorkbook.COLUMNS][:7] == [
        h or "" for h in HEADER_1[:7]
    ]


def test_the_problem_sheet_shows_the_month_as_it_stood(demo):
    """May's workbook lists no problem raised at June's meeting, and a problem closed in June
    is still open in May's sheet."""
    from django.utils import timezone

    from projects.models import Meeting, Problem

    project = Project.objects.get(code="JF2013-001")
    june = Meeting.objects.create(year=2013, month=6, number=6, date=datetime.date(2013, 6, 27))
    Problem.objects.create(
        project=project,
        meeting=june,
        description="六月才提出的问题",
        deadline=datetime.date(2013, 7, 30),
    )
    closed_later = Problem.objects.filter(status="open").first()
    closed_later.status = "closed"
    closed_later.closing_note = "六月解决"
    closed_later.save()
    Problem.objects.filter(pk=closed_later.pk).update(
        closed_at=timezone.make_aware(datetime.datetime(2013, 6, 20, 10))
    )
    rows = list(load(progress_workbook(MAY))["问题清单"].iter_rows(min_row=4, values_only=True))
    assert "六月才提出的问题" not in [row[2] for row in rows]
    assert len(rows) == 4
    row = next(r for r in rows if r[2] == closed_later.description)
    assert row[8] == "未销号"
    june_rows = list(
        load(progress_workbook(Period(2013, 6)))["问题清单"].iter_rows(min_row=4, values_only=True)
    )
    assert "六月才提出的问题" in [r[2] for r in june_rows]
    assert next(r for r in june_rows if r[2] == closed_later.description)[8] == "已销号"
