"""The demo lives in today: `make run` opens on a register whose last month is reported, this
month partly, with the meeting just held and deadlines near; `--year 2013` keeps the article's
dates. Every page opens on the same period."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from projects.models import Meeting, MonthlyReport, Problem, Project
from projects.operations.demo import bring_to_today
from projects.progress.period import Period

pytestmark = pytest.mark.django_db


def months_reported():
    return {(r.year, r.month) for r in MonthlyReport.objects.all()}


def planned_projects(year):
    return set(
        Project.objects.filter(
            annual_plans__year=year, annual_plans__months__isnull=False
        ).values_list("pk", flat=True)
    )


def test_make_run_opens_on_a_living_register(client):
    call_command("setup_demo", stdout=open("/dev/null", "w"))
    today = timezone.localdate()
    this = Period.current()
    last = Period(today.year - (today.month == 1), 12 if today.month == 1 else today.month - 1)
    reported_last = set(
        MonthlyReport.objects.filter(year=last.year, month=last.month).values_list(
            "project", flat=True
        )
    )
    assert planned_projects(last.year) <= reported_last
    if today.month != 1:
        this_month = MonthlyReport.objects.filter(year=this.year, month=this.month).count()
        assert 0 < this_month < len(reported_last)  # partly reported
    meeting = Meeting.objects.get()
    assert (meeting.year, meeting.month) == (last.year, last.month)
    assert 0 <= (today - meeting.date).days <= 7
    deadlines = [p.deadline for p in Problem.objects.filter(status="open") if p.deadline]
    assert deadlines and all(abs((d - today).days) <= 30 for d in deadlines)
    assert any(d < today for d in deadlines) and any(d > today for d in deadlines)
    rows, total = Project.objects.summary(MonthlyReport.objects.latest_period())
    assert total["green"] and total["red"]  # not everything red and empty

    # Every page opens on the same period: the dashboard, 我的项目 and 召开例会.
    expected = MonthlyReport.objects.latest_period()
    client.force_login(User.objects.get(username="office"))
    assert client.get(reverse("projects:dashboard")).context["period"] == expected
    assert client.get(reverse("projects:my_projects")).context["period"] == expected
    initial = client.get(reverse("projects:meeting_create")).context["form"].initial
    assert Period(initial["year"], initial["month"]) == expected
    client.force_login(User.objects.get(username="chenlixin"))
    page = client.get(reverse("projects:my_projects"))
    assert page.context["period"] == expected
    if today.month != 1:
        assert 0 < page.context["missing"] < len(page.context["rows"])


@pytest.mark.parametrize(
    "today, through, partial",
    [
        (datetime.date(2027, 3, 15), (2027, 2), (2027, 3)),
        (datetime.date(2027, 1, 10), (2026, 12), None),
        (datetime.date(2026, 9, 2), (2026, 8), (2026, 9)),
    ],
)
def test_the_story_moves_to_any_today(demo, today, through, partial):
    bring_to_today(today)
    months = months_reported()
    year, month = through
    assert (year, month) in months
    later = {(y, m) for y, m in months if (y, m) > through}
    assert later == ({partial} if partial else set())
    assert {y for y, _m in months} <= {year - 1, year} | ({partial[0]} if partial else set())
    assert Meeting.objects.get().month == month


def test_year_2013_keeps_the_articles_dates():
    call_command("setup_demo", year=2013, stdout=open("/dev/null", "w"))
    assert Meeting.objects.get().date == datetime.date(2013, 5, 28)
    assert MonthlyReport.objects.latest_period() == Period(2013, 5)
