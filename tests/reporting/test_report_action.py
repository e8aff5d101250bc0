"""The report's save is one action (projects.reporting.actions.submit_report): it writes the
report, its milestones and photos, checks the right through the scope, and recomputes the
project's progress rows once."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from projects.models import Milestone, MonthlyReport, ProgressPeriod, Project
from projects.progress import store
from projects.progress.period import Period
from projects.reporting import actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(client, demo_users):
    client.force_login(User.objects.get(username="chenlixin"))
    return client


def project():
    return Project.objects.get(code="JF2013-001")


def count_recomputes(monkeypatch):
    """Counts the progress rows written for named projects (a recompute, one per month held)."""
    calls = []
    insert = store._insert

    def counting(project_model, period, project_ids=None):
        if project_ids is not None:
            calls.append((period, tuple(project_ids)))
        return insert(project_model, period, project_ids)

    monkeypatch.setattr(store, "_insert", counting)
    return calls


def test_a_save_reaching_a_milestone_recomputes_the_held_months_once(lead, monkeypatch):
    """A report that also reaches a milestone recomputes its project's held months once per
    save, not once for the report and again for the milestone."""
    for period in (Period(2013, 5), Period(2013, 6)):
        Project.objects.with_stored_progress(period).count()  # the table holds two months
    held = ProgressPeriod.objects.count()
    assert held == 2
    milestone = project().milestones.get(name="酒店主体封顶")
    calls = count_recomputes(monkeypatch)
    response = lead.post(
        reverse("projects:report_create", args=[project().pk]) + "?year=2013&month=6",
        {
            "year": 2013,
            "month": 6,
            "amount": "500",
            "physical_progress": "主体封顶",
            f"milestone_{milestone.pk}": "2013-06-20",
        },
    )
    assert response.status_code == 302
    assert Milestone.objects.get(pk=milestone.pk).actual_date == datetime.date(2013, 6, 20)
    assert len(calls) == held
    assert {ids for _period, ids in calls} == {(project().pk,)}
    # The rows recomputed once are right: the stored June figures are the engine's.
    june = Project.objects.with_stored_progress(2013, 6).get(pk=project().pk)
    live = Project.objects.with_progress(2013, 6).get(pk=project().pk)
    assert {f: getattr(june, f) for f in store.FIGURES} == {
        f: getattr(live, f) for f in store.FIGURES
    }


def test_a_user_who_does_not_report_for_the_project_cannot_submit(demo_users):
    """The action checks the right itself: a lead official of other projects is refused and
    nothing is written, whichever page or command calls it."""
    other = User.objects.get(username="liuweidong")
    report = MonthlyReport(project=project(), year=2013, month=6, amount=1)
    with pytest.raises(PermissionDenied):
        actions.submit_report(other, report)
    assert not MonthlyReport.objects.filter(project=project(), year=2013, month=6).exists()


def test_the_action_records_who_submitted_and_one_history_record(demo_users):
    """The submitter and time are the acting user's and now; the report's history gains one
    record per save."""
    lead = User.objects.get(username="chenlixin")
    report = MonthlyReport(project=project(), year=2013, month=6, amount=1)
    actions.submit_report(lead, report)
    report.refresh_from_db()
    assert report.submitted_by == lead and report.submitted_at is not None
    assert report.history.count() == 1
