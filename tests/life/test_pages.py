"""/starts/ and the stage section of a project's page, as a user sees them."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.life.rates import not_started
from projects.models import Official, Project, StageChange, StartTarget
from projects.progress.period import Period
from projects.register.life_views import StartRatesView
from tests.conftest import make_projects, setup_demo

pytestmark = pytest.mark.django_db

D = datetime.date
PERIOD = {"year": 2013, "month": 6}


def test_the_demo_page_shows_rates_targets_and_projects_not_started(client, demo_users):
    """In the demo's 2013 by June: 6 of the 10 planned starts have started (60%, the Q2
    target 60%); 焦运商业中心's start was withdrawn, so it waits with 动漫产业园 and the rest."""
    client.force_login(User.objects.get(username="observer"))
    response = client.get(reverse("projects:start_rates"), PERIOD)
    assert response.status_code == 200
    total = response.context["rates"].total
    assert (total.planned_starts, total.started, total.start_rate) == (10, 6, 60)
    assert total.start_target == 60 and not total.start_behind
    waiting = [project.code for project in response.context["waiting"]]
    assert waiting == ["JF2013-005", "JF2013-006", "JF2013-002", "JF2013-010"]
    assert response.context["waiting"].paginator.count == 4
    page = response.content.decode()
    assert "开工率" in page and "焦运商业中心" in page
    assert {row.label for row in response.context["rates"].zones} == {
        "特色商业区",
        "解放工业园区",
        "文化旅游综合服务区",
        "新型城市社区",
    }


def test_the_count_of_projects_not_started_is_the_lists_on_every_page(
    client, demo_users, monkeypatch
):
    """The count beside the heading and the pages come from the rates already read (planned
    less started): two a page, the demo's four waiting projects are two pages, the second
    listing the last two, and the count agrees with the list itself."""
    monkeypatch.setattr(StartRatesView, "paginate_by", 2)
    client.force_login(User.objects.get(username="observer"))
    first = client.get(reverse("projects:start_rates"), PERIOD)
    second = client.get(reverse("projects:start_rates"), {**PERIOD, "page": 2})
    listed = [p.code for page in (first, second) for p in page.context["waiting"]]
    assert listed == ["JF2013-005", "JF2013-006", "JF2013-002", "JF2013-010"]
    assert first.context["waiting"].paginator.num_pages == 2
    assert not_started(Project.objects.all(), Period(2013, 6)).count() == 4
    assert "第 2 页，共 2 页" in second.content.decode()


def test_a_target_set_by_the_office_is_shown_and_judged(client, demo_users):
    office = User.objects.get(username="office")
    district = Project.objects.get(code="JF2013-001").region
    StartTarget.objects.create(
        region=district, year=2013, quarter=2, start_rate=75, completion_rate=0
    )
    client.force_login(office)
    response = client.get(reverse("projects:start_rates"), PERIOD)
    total = response.context["rates"].total
    assert total.start_target == 75 and total.start_behind
    assert "低于目标" in response.content.decode()


def test_the_office_moves_a_stage_from_the_project_page(client, demo_users):
    client.force_login(User.objects.get(username="office"))
    project = Project.objects.get(code="JF2013-002")
    page = client.get(project.get_absolute_url(), PERIOD).content.decode()
    assert "列入年度重点项目计划" in page and 'name="to_stage"' in page
    response = client.post(
        reverse("projects:stage_change", args=[project.pk]),
        {"to_stage": "new_start", "on": "2013-06-28", "note": "取得施工许可证", **PERIOD},
        follow=True,
    )
    assert "新开工" in response.content.decode()
    project.refresh_from_db()
    assert project.stage == "new_start" and project.actual_start == D(2013, 6, 28)
    assert project.stage_changes.latest("pk").changed_by.username == "office"


def test_a_bad_stage_change_says_why_and_changes_nothing(client, demo_users):
    client.force_login(User.objects.get(username="office"))
    project = Project.objects.get(code="JF2013-001")
    before = StageChange.objects.count()
    response = client.post(
        reverse("projects:stage_change", args=[project.pk]),
        {"to_stage": "completed", "on": "2013-01-01", "note": "", **PERIOD},
        follow=True,
    )
    assert "不能早于" in response.content.decode()
    assert StageChange.objects.count() == before
    assert Project.objects.get(pk=project.pk).stage == "new_start"


def test_a_lead_sees_the_stages_but_no_form(client, demo_users):
    client.force_login(User.objects.get(username="chenlixin"))
    page = client.get(Project.objects.get(code="JF2013-001").get_absolute_url(), PERIOD)
    text = page.content.decode()
    assert "取得施工许可证" in text and 'name="to_stage"' not in text


def count_queries(client, url, params):
    client.get(url, params)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_rows(client, zone, official, unit, office_user):
    """3 and 30 projects, with stage changes, cost the same number of queries."""
    client.force_login(office_user)
    url = reverse("projects:start_rates")
    counts = []
    for count, prefix in ((3, "A"), (27, "B")):
        projects = make_projects(zone, count, official=official, unit=unit, prefix=prefix)
        Project.objects.filter(pk__in=[p.pk for p in projects]).update(planned_start=D(2013, 4, 1))
        StageChange.objects.bulk_create(
            StageChange(project=p, on=D(2013, 4, 2), to_stage="new_start") for p in projects[::2]
        )
        Official.objects.create(name=f"领导{prefix}")
        counts.append(count_queries(client, url, {"year": 2013, "month": 6}))
    assert counts[0] == counts[1]
    assert counts[0] <= 20


def test_every_group_adds_up_to_the_engines_count_for_it(client, db):
    """The city's page adds its zones, officials and districts up from one grouped read: each
    line equals the engine's own count for that group, and the lines add up to the total."""
    setup_demo(year=2013, city=True)
    client.force_login(User.objects.get(username="jiaozuo"))
    response = client.get(reverse("projects:start_rates"), PERIOD)
    rates = response.context["rates"]
    projects = Project.objects.all()
    day = D(2013, 6, 30)
    by_zone = {row["zone__name"]: row for row in projects.start_counts(2013, day, "zone")}
    assert {row.label: (row.planned_starts, row.started) for row in rates.zones} == {
        name: (counts["planned_starts"], counts["started"]) for name, counts in by_zone.items()
    }
    by_official = {
        row["lead_official"]: row for row in projects.start_counts(2013, day, "lead_official")
    }
    assert {row.key: (row.planned_completions, row.completed) for row in rates.officials} == {
        pk: (counts["planned_completions"], counts["completed"])
        for pk, counts in by_official.items()
        if pk
    }
    assert [row.label for row in rates.regions] == ["解放区", "山阳区"]
    assert sum(row.planned_starts for row in rates.regions) == rates.total.planned_starts
    assert sum(row.started for row in rates.zones) == rates.total.started > 0
