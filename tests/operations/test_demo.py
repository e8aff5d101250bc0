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

    # Every page opens on the same period, the month being collected: the dashboard, 我的项目
    # and 召开例会.
    expected = Period.collecting()
    client.force_login(User.objects.get(username="office"))
    assert client.get(reverse("projects:dashboard")).context["period"] == expected
    assert client.get(reverse("projects:my_projects")).context["period"] == expected
    initial = client.get(reverse("projects:meeting_create")).context["form"].initial
    assert Period(initial["year"], initial["month"]) == expected
    client.force_login(User.objects.get(username="chenlixin"))
    page = client.get(reverse("projects:my_projects"))
    assert page.context["period"] == expected
    if today.month != 1:
        # This month is partly reported.
        page = client.get(reverse("projects:my_projects"), {"year": this.year, "month": this.month})
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


def test_every_page_opens_on_the_month_being_collected(client):
    """On 4 December 2026, with December partly reported, every page, export and document
    opens on November (its reports were due on the 3rd, its meeting is this month), not on
    a month four days old showing 1-12月 and 序时 100%."""
    import io
    import zoneinfo

    import docx
    import openpyxl
    import time_machine

    from projects.models import Official

    shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
    with time_machine.travel(datetime.datetime(2026, 12, 4, 10, tzinfo=shanghai), tick=False):
        call_command("setup_demo", stdout=open("/dev/null", "w"))
        november = Period(2026, 11)
        assert Period.collecting() == november
        assert MonthlyReport.objects.latest_period() == Period(2026, 12)
        client.force_login(User.objects.get(username="office"))
        project = Project.objects.order_by("code").first()
        official = Official.objects.order_by("name").first()
        for url in (
            reverse("projects:dashboard"),
            reverse("projects:project_list"),
            project.get_absolute_url(),
            reverse("projects:official_list"),
            reverse("projects:official_detail", args=[official.pk]),
            reverse("projects:zone_list"),
            reverse("projects:ranking"),
            reverse("projects:my_projects"),
            reverse("projects:report_status"),
        ):
            assert client.get(url).context["period"] == november, url
        assert "1-11月完成投资" in client.get(reverse("projects:dashboard")).content.decode()
        initial = client.get(reverse("projects:meeting_create")).context["form"].initial
        assert (initial["year"], initial["month"]) == (2026, 11)
        book = openpyxl.load_workbook(
            io.BytesIO(client.get(reverse("projects:progress_xlsx")).content)
        )
        assert "截至2026年11月" in [c.value for c in book["进展情况"][2] if c.value][1]
        bulletin = docx.Document(io.BytesIO(client.get(reverse("projects:bulletin_docx")).content))
        assert "关于2026年11月解放区重点项目推进情况的通报" in bulletin.paragraphs[0].text
        client.force_login(User.objects.get(username="chenlixin"))
        assert client.get(reverse("projects:my_projects")).context["period"] == november
