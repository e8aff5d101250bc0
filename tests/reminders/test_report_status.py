"""填报情况 at scale: counted per reporter from the progress table, the reporters with
something missing or late first, a page of them at a time, a reporter's projects on demand,
and the same queries for 5 projects as for 25."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import MonthlyReport, Official, Project
from projects.progress.period import Period
from projects.register.ranking import ranking
from projects.reminders.status import LEAD, SHOWN_MISSING
from tests.conftest import report, user_in
from tests.test_reporting_rule import MONTHS, living_demo, today  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
MONDAY = datetime.datetime(2025, 10, 13, 9, tzinfo=SHANGHAI)
SEPTEMBER = {"year": 2025, "month": 9}
URL = "projects:report_status"
# September 2025's reports were due on Saturday 11 October (a worked 调休 day).
ON_TIME = datetime.datetime(2025, 10, 9, 10, tzinfo=SHANGHAI)
TWO_DAYS_LATE = datetime.datetime(2025, 10, 13, 8, tzinfo=SHANGHAI)


@pytest.fixture
def monday():
    with time_machine.travel(MONDAY, tick=False):
        yield


def add_reporters(world, count, start=0):
    """`count` projects of `count` new lead officials, each with a login and a liaison of
    their own: the first of every three reported on time, the second two days late, the
    third missing."""
    for index in range(start, start + count):
        user = user_in("lead_official", f"lead{index}", first_name=f"领导{index:02d}")
        official = Official.objects.create(name=f"领导{index:02d}", user=user)
        project = Project.objects.create(
            code=f"R-{index:03d}",
            name=f"项目{index}",
            zone=world.late.zone,
            total_investment=1000,
            status=Project.Status.UNDER_CONSTRUCTION,
            lead_official=official,
        )
        project.liaisons.add(user_in("lead_official", f"liaison{index}", first_name=f"联络{index}"))
        if index % 3 < 2:
            report(project, 2025, 9, "1", submitted_at=(ON_TIME, TWO_DAYS_LATE)[index % 3])


def status_page(client, **params):
    return client.get(reverse(URL), {**SEPTEMBER, **params})


def test_report_status_costs_the_same_queries_for_5_projects_as_for_25(client, world, monday):
    """The page's queries do not grow with the projects, nor with the reporters (each
    project here has its own lead official and liaison), late or missing."""
    client.force_login(world.office)

    def count():
        status_page(client)  # the month is in the progress table from here on
        with CaptureQueriesContext(connection) as queries:
            assert status_page(client).status_code == 200
        return len(queries)

    add_reporters(world, 3)  # with world's two: 5 projects
    assert Project.objects.count() == 5
    few = count()
    add_reporters(world, 20, start=3)
    assert Project.objects.count() == 25
    assert count() == few


def test_the_counts_are_those_of_the_projects(client, world, monday):
    """The notice and each reporter's row count what a look at the projects finds: of the
    25 projects, 7 of add_reporters' 23 are missing and world's JF-001 too; 8 came in late
    (two days after the due date) and the rest on time."""
    add_reporters(world, 23)
    client.force_login(world.office)
    response = status_page(client)
    assert (response.context["expected"], response.context["missing"]) == (25, 7 + 1)
    assert response.context["late"] == 8
    assert "应报项目 25 个：未报 8 个，迟报 8 个。" in response.content.decode()
    rows = {(r.name, str(r.role)): r for r in response.context["reporters"]}
    late = rows[("领导01", "牵头领导")]
    assert (late.expected, late.reported, late.missing_count, late.days_late) == (1, 1, 0, 2)
    on_time = rows[("领导00", "牵头领导")]
    assert (on_time.reported, on_time.late, on_time.days_late) == (1, 0, 0)
    missing = rows[("领导02", "牵头领导")]
    assert (missing.missing_count, missing.days_late) == (1, 2)  # missing counts up to today
    assert [p.code for p in missing.shown_missing] == ["R-002"]
    liaison = rows[("联络2", "联络员")]
    assert [p.code for p in liaison.shown_missing] == ["R-002"]


def test_the_missing_and_late_come_first_a_page_at_a_time(client, world, monday):
    """55 reporters: those with something missing first, then the late, then the rest; 50
    on the first page and the other 5 on the second, whose link keeps the month."""
    add_reporters(world, 24)  # 26 projects: 2 × 24 + world's lead and liaison = 50 reporters
    for index in range(24, 26):  # and 5 more, 2 officials with liaisons, all on time
        user = user_in("lead_official", f"lead{index}", first_name=f"领导{index:02d}")
        official = Official.objects.create(name=f"领导{index:02d}", user=user)
        project = Project.objects.create(
            code=f"R-{index:03d}",
            name=f"项目{index}",
            zone=world.late.zone,
            total_investment=1000,
            status=Project.Status.UNDER_CONSTRUCTION,
            lead_official=official,
        )
        project.liaisons.add(user_in("lead_official", f"liaison{index}"))
        report(project, 2025, 9, "1", submitted_at=ON_TIME)
    Official.objects.create(name="无项目领导")  # owes nothing: not listed
    project = Project.objects.get(code="R-000")
    project.liaisons.add(user_in("lead_official", "extra", first_name="多一位"))
    client.force_login(world.office)
    first = status_page(client)
    second = status_page(client, page=2)
    reporters = [*first.context["reporters"], *second.context["reporters"]]
    assert [len(first.context["reporters"]), len(second.context["reporters"])] == [50, 5]
    assert "无项目领导" not in {r.name for r in reporters}
    keys = [(bool(r.missing_count), bool(r.days_late)) for r in reporters]
    assert keys == sorted(keys, reverse=True)  # missing, then late, then neither
    missing = [r for r in reporters if r.missing_count]
    late = [r for r in reporters if not r.missing_count and r.days_late]
    assert len(missing) == 2 * 8 + 2 and len(late) == 2 * 8  # world: 陈立新 and 小李 miss JF-001
    html = first.content.decode()
    assert "第 1 页，共 2 页" in html
    assert 'href="?year=2025&amp;month=9&amp;page=2"' in html


def test_a_reporters_first_missing_projects_are_named_and_the_rest_on_demand(client, world, monday):
    """An official missing 8 reports sees the first five named and a link to all of them:
    their own list gives every project they owe with its state (in on a day, days late,
    missing). A number that owes nothing says so and lists everyone."""
    for index in range(SHOWN_MISSING + 3):
        Project.objects.create(
            code=f"M-{index:03d}",
            name=f"未报项目{index}",
            zone=world.late.zone,
            total_investment=1000,
            status=Project.Status.UNDER_CONSTRUCTION,
            lead_official=world.official,
        )
    report(world.late, 2025, 9, "1", submitted_at=TWO_DAYS_LATE)
    client.force_login(world.office)
    response = status_page(client)
    lead = next(r for r in response.context["reporters"] if r.role == LEAD)
    assert [p.code for p in lead.shown_missing] == [f"M-{i:03d}" for i in range(5)]
    assert lead.missing_count == 8 and lead.more_missing == 3
    html = response.content.decode()
    own = f"?year=2025&amp;month=9&amp;official={world.official.pk}"
    assert "M-004" in html and "M-005" not in html
    assert f'<a href="{own}">等另外 3 个</a>' in html
    page = status_page(client, official=world.official.pk)
    assert page.context["chosen"].pk == world.official.pk
    assert [r.name for r in page.context["reporters"]] == ["陈立新"]
    projects = {p.code: p for p in page.context["chosen"].projects}
    assert set(projects) == {"JF-001", "JF-002", *(f"M-{i:03d}" for i in range(8))}
    assert projects["JF-001"].days_late == 2 and projects["JF-002"].days_late == 0
    assert projects["M-007"].report_id is None
    html = page.content.decode()
    assert "陈立新 的应报项目" in html and "2025-10-13 已报" in html and "M-007" in html
    for value in ("999999", "abc"):
        page = status_page(client, official=value)
        assert page.status_code == 200 and page.context["chosen"] is None
        assert "该编号没有本月应报的填报人" in page.content.decode()
        assert len(page.context["reporters"]) == 2


@pytest.mark.usefixtures("living_demo", "today")
def test_on_time_is_what_a_hand_count_of_the_demo_finds(client):
    """For every lead official of the demo in every month of 2026, the ranking's 按时填报 and
    填报情况 count what a look at each project and its report finds: it owes the report
    (not being planned, not completed before the month) and the report came in by the end
    of the due date, in Beijing time."""
    client.force_login(User.objects.get(username="office"))
    seen_on_time = seen_late = 0
    for period in MONTHS:
        due = period.due_date
        hand = {}
        for project in Project.objects.exclude(lead_official=None):
            owes = project.status != Project.Status.PLANNING and not (
                project.status == Project.Status.COMPLETED
                and (
                    project.actual_completion is None
                    or project.actual_completion < datetime.date(period.year, period.month, 1)
                )
            )
            if not owes:
                continue
            submitted = (
                MonthlyReport.objects.filter(project=project, year=period.year, month=period.month)
                .values_list("submitted_at", flat=True)
                .first()
            )
            expected, on_time, late = hand.get(project.lead_official.name, (0, 0, 0))
            in_time = submitted is not None and submitted.astimezone(SHANGHAI).date() <= due
            hand[project.lead_official.name] = (
                expected + 1,
                on_time + in_time,
                late + (submitted is not None and not in_time),
            )
        ranked = {entry.name: entry.figures for entry in ranking(period).officials}
        page = client.get(reverse(URL), {"year": period.year, "month": period.month})
        rows = {r.name: r for r in page.context["reporters"] if r.role == LEAD}
        for name, (expected, on_time, late) in hand.items():
            assert (ranked[name]["expected"], ranked[name]["reported"]) == (expected, on_time)
            assert (rows[name].expected, rows[name].late) == (expected, late), (period, name)
            seen_on_time, seen_late = seen_on_time + on_time, seen_late + late
    assert seen_on_time > 90 and seen_late == 1  # the demo's ten projects; JF2013-005 in October


def test_a_late_report_moves_the_stored_counts_at_once(client, world, monday):
    """The month held in the table follows a report's write: one that comes in after the
    month was read counts as late on the next read, and a due date moved by the setting
    is counted anew."""
    client.force_login(world.office)
    assert status_page(client).context["late"] == 0
    report(world.late, 2025, 9, "1", submitted_at=TWO_DAYS_LATE)
    response = status_page(client)
    assert (response.context["missing"], response.context["late"]) == (0, 1)
    september = Period(2025, 9)
    assert Project.objects.report_counts(september, by="lead_official") == {
        world.official.pk: (2, 0, 1)
    }
    with override_settings(JIEFANG_REPORT_DUE_WORKDAY=5):  # due on Tuesday 14 October: on time
        assert status_page(client).context["late"] == 0
        assert Project.objects.report_counts(september, by="lead_official") == {
            world.official.pk: (2, 0, 2)
        }
