"""要素保障: an unmet need past its deadline becomes one problem of the register, escalated as
problems are; the quarterly list per kind and the land list's workbook."""

import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from projects.factors.needs import raise_overdue_needs
from projects.models import Escalation, FactorNeed, Problem, Project, Unit
from tests.conftest import make_project, make_projects

pytestmark = pytest.mark.django_db

DEADLINE = datetime.date(2013, 6, 10)


def need(project, deadline=DEADLINE, kind=FactorNeed.Kind.LAND, **fields):
    return FactorNeed.objects.create(
        project=project, kind=kind, amount=Decimal("120"), unit="亩", deadline=deadline, **fields
    )


def test_an_unmet_need_past_its_deadline_becomes_one_problem(zone, unit):
    """The day after the deadline: one problem, linked to the need, of its project and unit,
    due on the need's deadline; running again (or the next day) adds none."""
    project = make_project(zone)
    land = need(project, responsible_unit=unit, description="一期用地")
    assert raise_overdue_needs(DEADLINE) == (0, 0)  # on the deadline day: not overdue yet
    assert raise_overdue_needs(DEADLINE + datetime.timedelta(days=1)) == (1, 0)
    assert raise_overdue_needs(DEADLINE + datetime.timedelta(days=2)) == (0, 0)
    problem = Problem.objects.get()
    land.refresh_from_db()
    assert land.problem == problem
    assert (problem.project, problem.responsible_unit, problem.deadline) == (
        project,
        unit,
        DEADLINE,
    )
    assert problem.meeting is None and problem.status == Problem.Status.OPEN
    assert "120" in problem.description and "亩" in problem.description
    assert "一期用地" in problem.description


def test_a_need_met_on_its_deadline_day_is_never_overdue(zone):
    project = make_project(zone)
    met = need(project, state=FactorNeed.State.MET, met_on=DEADLINE)
    assert not met.is_overdue(DEADLINE + datetime.timedelta(days=30))
    assert raise_overdue_needs(DEADLINE + datetime.timedelta(days=30)) == (0, 0)
    assert not Problem.objects.exists()


def test_the_needs_problem_escalates_as_problems_do(zone):
    """Past the deadline it is 提醒, a week later 催办, two weeks later 督办."""
    need(make_project(zone))
    raise_overdue_needs(DEADLINE + datetime.timedelta(days=1))
    levels = [
        Problem.objects.with_overdue(DEADLINE + datetime.timedelta(days=days)).get().escalation
        for days in (1, 7, 14)
    ]
    assert levels == [Escalation.REMIND, Escalation.URGE, Escalation.SUPERVISE]


def test_meeting_the_need_closes_its_problem_with_a_note(zone):
    land = need(make_project(zone))
    raise_overdue_needs(DEADLINE + datetime.timedelta(days=3))
    land.refresh_from_db()
    land.state, land.met_on = FactorNeed.State.MET, DEADLINE + datetime.timedelta(days=4)
    land.save()
    assert raise_overdue_needs(DEADLINE + datetime.timedelta(days=5)) == (0, 1)
    problem = Problem.objects.get()
    assert problem.status == Problem.Status.CLOSED and "2013-06-14" in problem.closing_note
    assert raise_overdue_needs(DEADLINE + datetime.timedelta(days=6)) == (0, 0)


def test_send_reminders_raises_the_overdue_needs(zone, settings):
    need(make_project(zone))
    out = io.StringIO()
    call_command("send_reminders", "--date", "2013-06-11", stdout=out)
    call_command("send_reminders", "--date", "2013-06-12", stdout=out)
    assert out.getvalue().count("1 项逾期未满足的要素需求已转为问题") == 1
    assert Problem.objects.count() == 1


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"amount": Decimal("-1")}, "amount", "金额不能为负数。"),
        ({"state": "met"}, "met_on", "请填写满足日期。"),
        ({"met_on": DEADLINE}, "met_on", "未满足的需求没有满足日期"),
    ],
)
def test_a_need_refuses_nonsense_in_chinese(zone, fields, field, message):
    bad = FactorNeed(
        project=make_project(zone), kind="land", amount=1, unit="亩", deadline=DEADLINE
    )
    for name, value in fields.items():
        setattr(bad, name, value)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        bad.full_clean()
    assert message in " ".join(error.value.message_dict[field])


def rows_of(response):
    return {row.record.project.code for row in response.context["table"].page.object_list}


def test_the_list_filters_by_kind_quarter_and_state(client, zone, office_user):
    """Q2 2013 holds the deadlines of April to June; June 30 is Q2, July 1 is Q3."""
    a, b, c = (make_project(zone, f"N-{i}") for i in range(3))
    need(a, deadline=datetime.date(2013, 6, 30))
    need(b, deadline=datetime.date(2013, 7, 1))
    need(c, deadline=datetime.date(2013, 4, 1), kind=FactorNeed.Kind.ENERGY)
    client.force_login(office_user)
    url = reverse("projects:factor_needs")
    assert rows_of(client.get(url, {"quarter": "2013-Q2"})) == {"N-0", "N-2"}
    assert rows_of(client.get(url, {"quarter": "2013-Q3"})) == {"N-1"}
    assert rows_of(client.get(url, {"kind": "land"})) == {"N-0", "N-1"}
    overdue = client.get(url, {"state": "overdue"})  # judged today: every one is past
    assert rows_of(overdue) == {"N-0", "N-1", "N-2"}
    assert re.search(r'<tr [^>]*class="[^"]*\boverdue\b', overdue.content.decode())


def test_a_bad_quarter_is_refused_in_chinese(client, zone, office_user):
    need(make_project(zone))
    client.force_login(office_user)
    response = client.get(reverse("projects:factor_needs"), {"quarter": "2013-Q5"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "期限所在季度：选择一个有效的选项" in html


def test_the_land_list_downloads_as_a_workbook(client, demo, observer_user):
    """The demo's land need (动漫产业园, 150 亩) and none of the other kinds."""
    client.force_login(observer_user)
    response = client.get(reverse("projects:factor_needs"), {"kind": "land", "export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert "项目" in header and "数量" in header and "计量单位" in header
    assert len(body) == 1
    row = dict(zip(header, body[0], strict=True))
    assert row["项目"] == "JF2013-002 动漫产业园" and row["数量"] == 150 and row["计量单位"] == "亩"
    assert row["解决时限"] == datetime.datetime(2013, 5, 25)
    assert row["责任单位"] == "区发展和改革委员会"


def test_the_demo_has_two_unmet_needs(demo):
    assert FactorNeed.objects.filter(state=FactorNeed.State.OPEN).count() == 2
    assert Project.objects.get(code="JF2013-001").funding.count() == 2


def count_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["projects:factor_needs", "projects:funding"])
def test_the_query_count_does_not_grow_with_rows(client, zone, official, unit, office_user, name):
    client.force_login(office_user)
    url = reverse(name)
    other = Unit.objects.create(name="区自然资源局", kind=Unit.Kind.DEPARTMENT)

    def add(projects):
        for i, project in enumerate(projects):
            need(project, responsible_unit=unit if i % 2 else other)
            project.funding.create(kind="own", planned=100, received=50)

    add(make_projects(zone, 3, official=official, unit=unit, prefix="A"))
    few = count_queries(client, url)
    add(make_projects(zone, 27, official=official, unit=unit, prefix="B"))
    assert count_queries(client, url) == few


def test_a_need_cannot_name_a_sibling_districts_unit(db):
    """A 解放区 project's need names a unit of 解放区 or of 焦作市, never one of 山阳区."""
    from tests.conftest import setup_demo

    setup_demo(year=2013, city=True)
    project = Project.objects.get(code="JF2013-002")
    sibling = Unit.objects.get(name="山阳区发展和改革委员会")
    bad = FactorNeed(
        project=project,
        kind="land",
        amount=1,
        unit="亩",
        deadline=DEADLINE,
        responsible_unit=sibling,
    )
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        bad.full_clean()
    assert error.value.message_dict["responsible_unit"] == ["该单位属于其他地区。"]
    bad.responsible_unit = Unit.objects.get(name="焦作市发展和改革委员会")
    bad.full_clean()


def test_the_office_edits_needs_funding_and_statistics_on_the_projects_admin_page(
    client, demo, office_user
):
    client.force_login(office_user)
    project = Project.objects.get(code="JF2013-002")
    html = client.get(reverse("admin:projects_project_change", args=[project.pk])).content.decode()
    for heading in ("列统投资", "要素保障", "资金来源", "入库状态", "立项文件", "施工合同"):
        assert heading in html, heading
    assert "产业园一期建设用地指标" in html
