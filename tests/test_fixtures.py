"""The demo data loads into the current models and matches the article's figures."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db.models import Sum
from django.urls import reverse

from projects.models import (
    AnnualPlan,
    Meeting,
    Milestone,
    MonthlyReport,
    Official,
    Problem,
    Project,
    Zone,
)
from projects.progress.period import Period
from tests.conftest import setup_demo

pytestmark = pytest.mark.django_db

ARTICLE_NAMES = ["孙立坤", "张文深", "郭秋红", "原永宏"]


def test_demo_fixture_loads_with_the_article_figures(demo):
    assert Zone.objects.count() == 4
    assert Project.objects.count() == 10
    assert Project.objects.aggregate(total=Sum("total_investment"))["total"] == Decimal("953700")
    assert AnnualPlan.objects.filter(year=2013).count() == 9
    assert set(MonthlyReport.objects.filter(year=2013).values_list("month", flat=True)) == {
        1,
        2,
        3,
        4,
        5,
    }
    assert Meeting.objects.get().date.isoformat() == "2013-05-28"
    assert set(Problem.objects.values_list("disposition", flat=True)) == {"on_spot", "deadline"}
    as_of = Period(2013, 5).as_of
    overdue = Problem.objects.overdue_at(as_of).values_list("project__code", flat=True)
    assert list(overdue) == ["JF2013-002"]


def test_demo_milestones_include_on_time_late_and_overdue(demo):
    as_of = Period(2013, 5).as_of
    states = {m.status_at(as_of) for m in Milestone.objects.all()}
    assert {Milestone.State.ON_TIME, Milestone.State.LATE, Milestone.State.OVERDUE} <= states


def test_no_real_person_from_the_article_leads_a_project(demo):
    names = set(Official.objects.values_list("name", flat=True))
    assert not names & set(ARTICLE_NAMES)


def test_setup_demo_runs_twice_without_changing_anything(capsys):
    setup_demo()
    counts = (Project.objects.count(), MonthlyReport.objects.count(), User.objects.count())
    setup_demo()
    assert (Project.objects.count(), MonthlyReport.objects.count(), User.objects.count()) == counts
    output = capsys.readouterr().out
    assert "office" in output and "jiefang-demo-2013" in output
    office = User.objects.get(username="office")
    assert office.is_staff and office.groups.filter(name="project_office").exists()
    assert Official.objects.get(name="陈立新").user.username == "chenlixin"


def test_demo_accounts_can_log_in(client):
    setup_demo()
    for username in ("office", "observer", "chenlixin", "liaison"):
        response = client.post(
            reverse("login"), {"username": username, "password": "jiefang-demo-2013"}
        )
        assert response.status_code == 302, username
        assert client.get(reverse("projects:project_list")).status_code == 200
        client.logout()


def test_roles_in_code_match_the_migrations():
    """ensure_roles() on a freshly migrated database changes no group's permissions."""
    from django.contrib.auth.models import Group

    from projects.roles import ROLES, ensure_roles

    before = {g.name: set(g.permissions.values_list("pk", flat=True)) for g in Group.objects.all()}
    assert set(before) == set(ROLES)
    ensure_roles()
    after = {g.name: set(g.permissions.values_list("pk", flat=True)) for g in Group.objects.all()}
    assert after == before
    Group.objects.all().delete()
    setup_demo()
    assert {
        g.name: set(g.permissions.values_list("pk", flat=True)) for g in Group.objects.all()
    } == before
