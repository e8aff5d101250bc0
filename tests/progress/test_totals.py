"""The progress table's totals per month, zone and lead official: every write moves them with
the rows they add up, and the pages that read them show what adding up the rows shows."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import (
    Light,
    MonthlyReport,
    Official,
    ProgressTotal,
    Project,
    Zone,
    refresh_progress,
)
from projects.progress import store
from projects.progress.period import Period
from tests.conftest import make_project, make_projects, plan, report

pytestmark = pytest.mark.django_db

JUNE = Period(2013, 6)


def joined_summary(period, by="zone"):
    """summary() over the table's rows (the path of a filtered set of projects)."""
    return Project.objects.filter(pk__gt=0).summary(period, by=by)


@pytest.fixture
def two_groups(zone, official):
    """Projects of two zones and two lead officials (one project has none), with June held."""
    east = Zone.objects.create(name="东区", order=2)
    other = Official.objects.create(name="另一位领导", position="副区长")
    make_projects(zone, 3, year=2013, month=6, official=official, prefix="A")
    make_projects(east, 2, year=2013, month=5, official=other, prefix="B")
    make_projects(east, 1, year=2013, month=4, prefix="C")
    Project.objects.update(status=Project.Status.UNDER_CONSTRUCTION)  # they owe reports
    refresh_progress(Project.objects.values_list("pk", flat=True))
    store.ensure(Project, JUNE)
    return east, other


def test_the_totals_add_up_the_same_as_the_rows(two_groups):
    for by in ("zone", "lead_official"):
        with CaptureQueriesContext(connection) as queries:
            from_totals = Project.objects.summary(JUNE, by=by)
        assert "projects_progresstotal" in queries[-1]["sql"]
        assert from_totals == joined_summary(JUNE, by=by)
    rows, total = Project.objects.summary(JUNE, by="lead_official")
    assert {row["lead_official__name"] for row in rows} == {"另一位领导", "测试领导", None}
    assert total["count"] == 6


def test_a_report_moves_its_groups_total_and_no_other(two_groups):
    east, _other = two_groups
    changed = MonthlyReport.objects.get(project__code="A-0000", year=2013, month=6)
    before = {row["zone"]: row["ytd"] for row in Project.objects.summary(JUNE)[0]}
    changed.amount += Decimal("999.00")
    changed.save()
    after = {row["zone"]: row["ytd"] for row in Project.objects.summary(JUNE)[0]}
    zone_id = changed.project.zone_id
    assert after[zone_id] - before[zone_id] == Decimal("999.00")
    assert after[east.pk] == before[east.pk]
    assert store.disagreements(Project, JUNE) == []
    assert Project.objects.summary(JUNE) == joined_summary(JUNE)


def test_a_project_moved_to_another_zone_and_lead_official_moves_its_totals(two_groups):
    east, other = two_groups
    project = Project.objects.get(code="A-0000")
    project.zone, project.lead_official = east, other
    project.total_investment += Decimal("5000.00")
    project.save()
    assert store.disagreements(Project, JUNE) == []
    rows, total = Project.objects.summary(JUNE)
    assert [(row["zone__name"], row["count"]) for row in rows] == [("特色商业区", 2), ("东区", 4)]
    assert rows == joined_summary(JUNE)[0] and total == joined_summary(JUNE)[1]
    # The last project of a group leaves: the group is no longer shown.
    for project in Project.objects.filter(zone__name="特色商业区"):
        project.zone = east
        project.save()
    rows, _total = Project.objects.summary(JUNE)
    assert [(row["zone__name"], row["count"]) for row in rows] == [("东区", 6)]
    assert store.disagreements(Project, JUNE) == []


def test_a_project_of_a_new_group_adds_its_total(two_groups, zone):
    newcomer = Official.objects.create(name="新领导", position="区长助理")
    project = make_project(zone, "N-1", lead_official=newcomer)
    plan(project, 2013, "600.00")
    report(project, 2013, 6, "100.00")
    assert ProgressTotal.objects.filter(year=2013, month=6, lead_official=newcomer).count() == 1
    rows, _total = Project.objects.summary(JUNE, by="lead_official")
    mine = next(row for row in rows if row["lead_official"] == newcomer.pk)
    assert (mine["count"], mine["annual_plan"], mine["ytd"]) == (
        1,
        Decimal("600.00"),
        Decimal("100.00"),
    )
    project.delete()
    assert store.disagreements(Project, JUNE) == []
    rows, _total = Project.objects.summary(JUNE, by="lead_official")
    assert newcomer.pk not in [row["lead_official"] for row in rows]


def test_missing_reports_are_counted_per_lead_official_as_the_anti_join_finds_them(two_groups):
    east, other = two_groups
    expected = list(
        Project.objects.expected_to_report(JUNE)
        .without_report(JUNE)
        .values("lead_official__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "lead_official__name")
    )
    assert [(row["lead_official__name"], row["count"]) for row in expected] == [
        ("另一位领导", 2),
        (None, 1),
    ]
    assert list(Project.objects.missing_reports(JUNE)) == expected
    # A report coming in takes the project off the list; a project still being planned
    # owes none.
    report(Project.objects.get(code="B-0000"), 2013, 6, "10.00")
    planning = Project.objects.get(code="C-0000")
    planning.status = Project.Status.PLANNING
    planning.save()
    assert [
        (row["lead_official__name"], row["count"]) for row in Project.objects.missing_reports(JUNE)
    ] == [("另一位领导", 1)]


def test_stored_count_adds_up_the_lights_of_a_zone_and_lead_official(two_groups, official):
    east, other = two_groups
    rows = Project.objects.with_stored_progress(JUNE)
    for lights in ([Light.RED], [Light.GREEN, Light.YELLOW], list(Light)):
        ranks = [light.rank for light in lights]
        for groups in ({}, {"zone": east}, {"lead_official": official}):
            counted = rows.filter(light_rank__in=ranks, **groups).count()
            assert Project.objects.stored_count(JUNE, lights=lights, **groups) == counted


def test_the_list_filtered_by_light_counts_from_the_totals(client, two_groups, observer_user):
    """The page says how many projects the filter leaves, without a COUNT over the join."""
    east, _other = two_groups
    client.force_login(observer_user)
    url = reverse("projects:project_list")
    params = {"year": 2013, "month": 6, "light": ["red", "yellow"], "zone": east.pk}
    wanted = (
        Project.objects.with_stored_progress(JUNE)
        .filter(zone=east, light_rank__in=[Light.RED.rank, Light.YELLOW.rank])
        .count()
    )
    client.get(url, params)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.context["table"].paginator.count == wanted
    assert len(response.context["table"].page.object_list) == wanted
    assert not [q for q in queries if 'COUNT(*) AS "__count" FROM "projects_project"' in q["sql"]]
    # Sorted by light, every project is counted from the totals too.
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"year": 2013, "month": 6, "sort": "-light"})
    assert response.context["table"].paginator.count == Project.objects.count() == 6
    assert not [q for q in queries if 'COUNT(*) AS "__count" FROM "projects_project"' in q["sql"]]
    # A search is counted over the rows, as before.
    response = client.get(url, {**params, "q": "项目1"})
    assert response.context["table"].paginator.count == (
        Project.objects.with_stored_progress(JUNE)
        .filter(zone=east, name__contains="项目1", light_rank__in=[1, 2])
        .count()
    )


def test_the_curves_follow_a_report_through_the_totals(two_groups):
    for month in range(1, 13):
        store.ensure(Project, Period(2013, month))
    report(Project.objects.get(code="C-0000"), 2013, 6, "77.00")
    planned, completed = Project.objects.curves(2013)
    assert Project.objects.pace(JUNE) == (planned, completed[:7])
    assert completed[6][1] == sum(
        report.amount for report in MonthlyReport.objects.filter(year=2013, month__lte=6)
    )
    # A plan changed moves the planned curve.
    plan_row = Project.objects.get(code="C-0000").annual_plans.get(year=2013)
    plan_row.planned_investment = Decimal("2400.00")
    plan_row.save()
    assert Project.objects.pace(JUNE)[0] == Project.objects.curves(2013)[0]
    assert Project.objects.pace(JUNE)[0][12][1] == Decimal(1200 * 5 + 2400)


def test_an_empty_month_held_adds_up_to_nothing(db):
    store.ensure(Project, Period(2013, datetime.date(2013, 6, 1).month))
    assert store.month_sums(Project, 2013) == {6: (0, 0)}
    assert Project.objects.summary(JUNE)[0] == []
