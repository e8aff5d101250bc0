"""The escalation levels of an overdue problem (提醒 → 催办 → 督办, a level a week), judged by
the engine, and where they show: the register's column and filter, the dashboard."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from projects.models import Escalation, Problem

pytestmark = pytest.mark.django_db

DEADLINE = datetime.date(2013, 5, 30)  # of 项目用地指标尚未落实,影响开工


@pytest.mark.parametrize(
    "days, level",
    [
        (0, Escalation.NOT_DUE),  # the deadline day itself
        (1, Escalation.REMIND),
        (6, Escalation.REMIND),
        (7, Escalation.URGE),
        (13, Escalation.URGE),
        (14, Escalation.SUPERVISE),
        (400, Escalation.SUPERVISE),
    ],
)
def test_a_level_a_week_past_the_deadline(demo, days, level):
    as_of = DEADLINE + datetime.timedelta(days=days)
    problem = Problem.objects.with_overdue(as_of).get(deadline=DEADLINE)
    assert problem.escalation == level


def test_a_closed_problem_has_no_level(demo):
    problem = Problem.objects.get(deadline=DEADLINE)
    problem.status = Problem.Status.CLOSED
    problem.closing_note = "已落实"
    problem.save()  # closed today
    today = timezone.localdate()
    assert Problem.objects.with_overdue(today).get(pk=problem.pk).escalation == 0
    # Looking back, it was still open and at 督办 a month after its deadline.
    then = Problem.objects.with_overdue(datetime.date(2013, 7, 1)).get(pk=problem.pk)
    assert then.escalation == Escalation.SUPERVISE


def test_the_dashboard_counts_each_level_and_links_to_it(client, demo_users):
    client.force_login(User.objects.get(username="observer"))
    response = client.get(reverse("projects:dashboard"), {"year": 2013, "month": 6})
    # At 30 June 2013: due 30 May and 10 June → 督办 (31 and 20 days); due 20 June → 催办.
    counts = {level.label: count for level, count in response.context["escalations"]}
    as_of = datetime.date(2013, 6, 30)
    expected = {
        label: Problem.objects.with_overdue(as_of).filter(escalation=level).count()
        for level, label in Escalation.choices[1:]
    }
    assert counts == expected == {"提醒": 0, "催办": 1, "督办": 2}
    html = response.content.decode()
    assert f'href="{reverse("projects:problem_list")}?escalation=3"' in html


def test_the_register_shows_and_filters_by_level(client, demo_users):
    client.force_login(User.objects.get(username="observer"))
    response = client.get(reverse("projects:problem_list"), {"escalation": "3"})
    rows = list(response.context["table"].data)
    # Judged today (long after 2013): every open problem with a deadline is at 督办.
    assert {p.description for p in rows} == set(
        Problem.objects.filter(status="open", deadline__isnull=False).values_list(
            "description", flat=True
        )
    )
    # The cell names its column (shown on a phone, where the rows are cards), then the level.
    assert (
        '<td class="escalation"><span class="cell-label">督办级别</span> 督办</td>'
        in response.content.decode()
    )
    assert (
        not client.get(reverse("projects:problem_list"), {"escalation": "1"}).context["table"].data
    )


def test_the_most_overdue_come_most_escalated_first_and_only_overdue(demo):
    project = Problem.objects.get(deadline=DEADLINE).project
    as_of = DEADLINE + datetime.timedelta(days=30)
    for days in (3, 10, 20, 0, -5):  # 提醒, 催办, 督办, the deadline day, not yet due
        Problem.objects.create(
            project=project,
            description=f"问题{days}",
            deadline=as_of - datetime.timedelta(days=days),
        )
    listed = list(Problem.objects.most_overdue(as_of))
    overdue = Problem.objects.with_overdue(as_of).filter(is_overdue=True)
    assert {problem.pk for problem in listed} == set(overdue.values_list("pk", flat=True))
    levels = [problem.escalation for problem in listed]
    assert levels == sorted(levels, reverse=True)
    assert Escalation.SUPERVISE in levels and Escalation.REMIND in levels
    assert [p.pk for p in listed] == [
        p.pk for p in overdue.order_by("-escalation", "deadline", "pk")
    ]


def test_the_level_filter_starts_empty_and_sends_nothing_unasked(client, demo_users):
    """The register's 督办级别 select starts at "---------": a form sent after choosing only a
    state does not narrow the list to 提醒."""
    client.force_login(User.objects.get(username="observer"))
    response = client.get(reverse("projects:problem_list"))
    field = response.context["filter"].form["escalation"]
    assert field.value() in (None, "")
    assert '<option value="" selected>---------</option>' in str(field)
    everything = client.get(reverse("projects:problem_list"), {"escalation": ""})
    assert everything.context["table"].data.data.count() == Problem.objects.count()
    bad = client.get(reverse("projects:problem_list"), {"escalation": "9"})
    assert "escalation" in bad.context["filter"].form.errors
