"""Every page: who may see it, what it shows, and how many queries it costs."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import Official, Project
from projects.register.tables import ProjectTable
from tests.conftest import make_project, make_projects

pytestmark = pytest.mark.django_db

# Queries every logged-in request costs outside the view: reading the session and the user,
# the user's and groups' permissions for the permission check, and saving the session
# (a savepoint, the UPDATE, the release) so that the 30-minute idle timeout restarts; and
# the bell in the header counting the user's unread notifications.
AUTH_QUERIES = 8
# The dashboard needs the most: the month's lookup in the progress table, the zone summary,
# the months held and their totals (the curves), the planned curve from the plans while the
# table does not hold the whole year, the red list, overdue problems, their count per
# escalation level (提醒, 催办, 督办) and the missing reports.
MAX_VIEW_QUERIES = 10
# The dashboard's 开工率 panel: the quarter's targets and the year's counts, one query each.
EXTRA_QUERIES = {"projects:dashboard": 2}


def test_login_page_is_chinese(client):
    response = client.get(reverse("login"))
    assert "登录" in response.content.decode()


def test_project_list_shows_figures_light_and_reason(client, demo, observer_user):
    client.force_login(observer_user)
    html = client.get(reverse("projects:project_list"), {"year": 2013, "month": 5}).content.decode()
    assert "动漫产业园" in html and "200,000.00" in html
    # The reason is written under the light, not hidden in a hover title.
    assert (
        '<span class="light light-red">严重滞后</span><small class="light-reason">'
        "完成率 8.00% 落后序时进度 40.00% 达 32.00 个百分点" in html
    )
    assert 'title="完成率' not in html
    assert "1-5月完成投资" in html
    assert "共 10 条" in html


def test_project_list_defaults_to_the_month_being_collected(client, demo, observer_user):
    """On 4 June 2013 the list opens on May."""
    client.force_login(observer_user)
    with time_machine.travel(datetime.datetime(2013, 6, 4, 9, tzinfo=datetime.UTC), tick=False):
        response = client.get(reverse("projects:project_list"))
    assert response.context["period"].label == "2013年5月"


def test_bad_period_gives_a_chinese_message(client, demo, observer_user):
    client.force_login(observer_user)
    response = client.get(reverse("projects:project_list"), {"year": "abc", "month": "5"})
    assert response.status_code == 200
    assert "年度和月份必须是整数。" in response.content.decode()
    response = client.get(reverse("projects:project_list"), {"year": "2013", "month": "13"})
    assert "月份必须在 1 到 12 之间。" in response.content.decode()


@pytest.mark.parametrize(
    "params, codes",
    [
        ({"q": "百货"}, {"JF2013-005"}),
        ({"q": "jf2013-00"}, {f"JF2013-00{i}" for i in range(1, 10)}),
        ({"light": "red"}, {"JF2013-002", "JF2013-005"}),
        ({"light": ["yellow", "red"]}, {"JF2013-001", "JF2013-002", "JF2013-005", "JF2013-006"}),
        ({"zone": 2}, {"JF2013-002"}),
        ({"lead_official": 3}, {"JF2013-004", "JF2013-005"}),
        ({"status": "planning"}, {"JF2013-010"}),
        ({"category": "infrastructure"}, {"JF2013-009"}),
        ({"responsible_unit": 5}, {"JF2013-002"}),
    ],
)
def test_project_list_filters_narrow_the_rows(client, demo, observer_user, params, codes):
    client.force_login(observer_user)
    response = client.get(reverse("projects:project_list"), {"year": 2013, "month": 5, **params})
    assert {row.record.code for row in response.context["table"].page.object_list} == codes


@pytest.mark.parametrize(
    "column", [c for c, col in ProjectTable.base_columns.items() if col.orderable is not False]
)
@pytest.mark.parametrize("direction", ["", "-"])
def test_every_orderable_column_sorts(client, demo, observer_user, column, direction):
    client.force_login(observer_user)
    response = client.get(reverse("projects:project_list"), {"sort": direction + column})
    assert response.status_code == 200
    assert len(response.context["table"].page.object_list) == 10


def test_sorting_by_light_puts_red_first(client, demo, observer_user):
    client.force_login(observer_user)
    response = client.get(reverse("projects:project_list"), {"sort": "-light"})
    lights = [row.record.light_rank for row in response.context["table"].page.object_list]
    assert lights == sorted(lights, reverse=True) and lights[0] == 2


def test_sorting_by_gap(client, demo, observer_user):
    client.force_login(observer_user)
    response = client.get(
        reverse("projects:project_list"), {"sort": "-gap", "year": 2013, "month": 5}
    )
    codes = [row.record.code for row in response.context["table"].page.object_list]
    assert codes[0] == "JF2013-002"  # 33.67 points behind


def count_queries(client, url, params=None):
    """Queries of a request once the period's months are in the progress table (building a
    month is once a day, and takes the same statements for any number of projects: see
    tests/progress/test_store.py)."""
    client.get(url, params or {})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


LISTS = [
    ("projects:dashboard", lambda official: {}),
    ("projects:project_list", lambda official: {}),
    ("projects:official_list", lambda official: {}),
    ("projects:official_detail", lambda official: {"pk": official.pk}),
    ("projects:zone_list", lambda official: {}),
]


@pytest.mark.parametrize("name, kwargs", LISTS)
def test_query_count_does_not_grow_with_rows(
    client, zone, official, unit, office_user, name, kwargs
):
    """3 rows and 30 rows cost the same number of queries, at most MAX_VIEW_QUERIES beyond
    authentication."""
    client.force_login(office_user)
    url = reverse(name, kwargs=kwargs(official))
    make_projects(zone, 3, official=official, unit=unit, prefix="A")
    few = count_queries(client, url)
    make_projects(zone, 27, official=official, unit=unit, prefix="B")
    many = count_queries(client, url)
    assert few == many
    assert many - AUTH_QUERIES <= MAX_VIEW_QUERIES + EXTRA_QUERIES.get(name, 0)


def test_admin_changelist_query_count_does_not_grow(client, zone, official, unit, office_user):
    office_user.is_superuser = True
    office_user.save()
    client.force_login(office_user)
    url = reverse("admin:projects_project_changelist")
    make_projects(zone, 3, official=official, unit=unit, prefix="A")
    few = count_queries(client, url)
    make_projects(zone, 27, official=official, unit=unit, prefix="B")
    assert count_queries(client, url) == few


def test_project_list_pages_by_50(client, zone, official, unit, observer_user):
    make_projects(zone, 51, official=official, unit=unit)
    client.force_login(observer_user)
    response = client.get(reverse("projects:project_list"), {"year": 2013, "month": 5})
    assert len(response.context["table"].page.object_list) == 50
    assert "共 51 条" in response.content.decode()


def test_filtered_list_exports_to_xlsx(client, demo, observer_user):
    """The .xlsx holds the filtered rows, with the table's headers and numbers as numbers."""
    client.force_login(observer_user)
    response = client.get(
        reverse("projects:project_list"),
        {"year": 2013, "month": 5, "zone": 1, "sort": "-gap", "export": "xlsx"},
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "项目编号",
        "项目名称",
        "功能区",
        "牵头领导",
        "总投资（万元）",
        "年度计划投资",
        "1-5月完成投资",
        "完成率（%）",
        "落后序时（百分点）",
        "进度状态",
        "下一节点",
    )
    assert len(rows) == 1 + 5  # the five projects of 特色商业区
    first = rows[1]
    assert first[0] == "JF2013-006"  # sorted by gap, largest first: 6.67 points
    assert first[4] == 70000 and first[6] == 4000 and first[8] == pytest.approx(6.67)
    assert first[9] == "滞后"
    assert first[10] == "开工 2013-05-20"


def test_project_detail_shows_months_milestones_timeline_and_problems(client, demo, observer_user):
    client.force_login(observer_user)
    project = Project.objects.get(code="JF2013-005")
    response = client.get(project.get_absolute_url(), {"year": 2013, "month": 5})
    html = response.content.decode()
    months = response.context["months"]
    assert [m.month for m in months] == [1, 2, 3, 4, 5]
    assert [m.ytd for m in months][-1] == 7600
    assert str(months[-1].completion_rate) == "42.22"
    # January of the demo's monthly plan: 4 % due, 6.67 % done (1,200 of 18,000).
    assert str(months[0].time_schedule) == "4.00"
    assert str(months[0].gap) == "-2.67"
    assert "<svg" in html and "2013-05-31" in html
    # The permit is a 前期手续 approval, overdue 46 days at the end of May.
    panel = html[html.index('id="preparation-table"') :]
    assert "取得施工许可" in panel[: panel.index("</table>")] and "逾期 46 天" in panel
    assert "施工许可证办理进度缓慢" in html
    assert "严重滞后" in html
    assert "<title>丹尼斯百货 · " in html
    assert html.count('id="history"') == 1  # the change log, once, at the end


def test_official_page_shows_their_projects_and_open_problems(client, demo, observer_user):
    client.force_login(observer_user)
    official = Official.objects.get(name="刘卫东")
    response = client.get(official.get_absolute_url(), {"year": 2013, "month": 5})
    html = response.content.decode()
    codes = {row.record.code for row in response.context["table"].page.object_list}
    assert codes == {"JF2013-002", "JF2013-006"}
    assert response.context["total"]["count"] == 2
    assert "项目用地指标尚未落实，影响开工" in html


def test_zone_summary_matches_the_engine(client, demo, observer_user):
    client.force_login(observer_user)
    response = client.get(reverse("projects:zone_list"), {"year": 2013, "month": 5})
    rows = response.context["table"].data.data
    assert [r["zone__name"] for r in rows] == [
        "特色商业区",
        "解放工业园区",
        "文化旅游综合服务区",
        "新型城市社区",
    ]
    assert rows[0]["count"] == 5 and rows[0]["ytd"] == 30100
    assert response.context["total"]["total_investment"] == 953700


def test_the_zone_summary_shows_fifty_zones_a_page_with_the_total_of_all(
    client, zone, observer_user
):
    """A province's office sums hundreds of zones: 50 a page, the 合计 row of every zone on
    each, and the Excel download has them all."""
    from projects.models import Zone

    for number in range(55):
        other = Zone.objects.create(name=f"功能区{number:02d}", order=number + 2)
        make_project(other, f"Z-{number:02d}", total="100.00")
    client.force_login(observer_user)
    params = {"year": 2013, "month": 5}
    first = client.get(reverse("projects:zone_list"), params).context
    assert len(first["table"].page.object_list) == 50 and first["total"]["count"] == 55
    assert first["total"]["total_investment"] == Decimal("5500.00")
    second = client.get(reverse("projects:zone_list"), params | {"page": 2}).context
    assert len(second["table"].page.object_list) == 5 and second["total"]["count"] == 55
    response = client.get(reverse("projects:zone_list"), params | {"export": "xlsx"})
    rows = list(
        openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    )
    assert len([row for row in rows[1:] if str(row[0]).startswith("功能区")]) == 55


def test_problem_and_meeting_lists_export_what_they_show(client, demo, observer_user):
    client.force_login(observer_user)
    response = client.get(reverse("projects:problem_list"), {"state": "open", "export": "xlsx"})
    rows = list(
        openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    )
    assert rows[0] == (
        "问题描述",
        "项目",
        "牵头领导",
        "责任单位",
        "例会",
        "处置方式",
        "解决时限",
        "状态",
        "逾期",
        "督办级别",
    )
    by_description = {row[0]: row for row in rows[1:]}
    assert by_description["商户过渡安置场地不足"] == (
        "商户过渡安置场地不足",
        "JF2013-003 和平街市场整体改造",
        "陈立新",
        "焦北街道办事处",
        "2013年第5次“四区联建”例会",
        "限期解决",
        datetime.datetime(2013, 6, 20),  # a date cell, which Excel sorts and filters as one
        "未销号",
        "是",  # judged today, long after the deadline
        "督办",  # more than two weeks overdue
    )
    assert all(row[7] == "未销号" for row in rows[1:])
    response = client.get(reverse("projects:meeting_list"), {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("所属年度", "期次", "日期")
    assert rows[1] == (
        2013,
        5,
        datetime.datetime(2013, 5, 28),
        5,
        "2013年第5次“四区联建”例会",
        None,
        None,
        4,
    )
    assert sheet.cell(2, 3).number_format == "yyyy-mm-dd"
    # The page shows the date as the workbook does (after the cell's column name, for phones).
    assert "</span> 2013-05-28<" in client.get(reverse("projects:meeting_list")).content.decode()


@pytest.mark.parametrize(
    "name, says_unit",
    [
        ("projects:project_list", True),
        ("projects:problem_list", False),
        ("projects:meeting_list", False),
    ],
)
def test_only_lists_with_amounts_say_they_are_in_10k_yuan(client, demo_users, name, says_unit):
    from django.contrib.auth.models import User

    client.force_login(User.objects.get(username="office"))
    html = client.get(reverse(name), {"year": 2013, "month": 5}).content.decode()
    assert ("金额单位" in html) == says_unit


@pytest.mark.parametrize(
    ("name", "column"),
    [("projects:official_list", "lead_official__name"), ("projects:zone_list", "zone__name")],
)
def test_the_officials_and_zones_sort_and_download_as_shown(
    client, demo, observer_user, name, column
):
    """Sorted by what is completed this year, the officials' and zones' lists show the
    largest first, and their Excel download holds the same rows in the same order."""
    client.force_login(observer_user)
    params = {"year": 2013, "month": 5, "sort": "-ytd"}
    table = client.get(reverse(name), params).context["table"]
    shown = [(row.record[column], row.record["ytd"]) for row in table.paginated_rows]
    assert len(shown) > 2 and [ytd for _name, ytd in shown] == sorted(
        (ytd for _name, ytd in shown), reverse=True
    )
    response = client.get(reverse(name), params | {"export": "xlsx"})
    rows = list(
        openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    )
    assert [row[0] for row in rows[1:]] == [name for name, _ytd in shown]
