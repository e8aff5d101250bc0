"""The demo lives in today: `make run` opens on a register whose last month is reported, this
month partly, with the meeting just held and deadlines near; `--year 2013` keeps the article's
dates. Every page opens on the same period."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from projects.models import Meeting, MonthlyReport, Problem, Project
from projects.operations.demo import bring_to_today
from projects.progress.period import Period
from tests.conftest import make_project, setup_demo

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
    setup_demo()
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
    meeting = Meeting.objects.get()
    assert meeting.month == month
    # The meeting's title names the year and month it reviews, not the article's 2013.
    assert str(meeting) == f"{year}年第{month}次“四区联建”例会"
    # A started project started in the reports' year as the story has it (before the months
    # it reports site progress for), never after today.
    for project in Project.objects.exclude(actual_start=None):
        first = MonthlyReport.objects.filter(project=project).order_by("year", "month").first()
        assert project.actual_start <= today
        assert project.actual_start.year <= year
        if first and first.year == year and project.actual_start.year == year:
            assert project.actual_start.month <= 4  # the story's starts: February to April


def test_year_2013_keeps_the_articles_dates():
    setup_demo(year=2013)
    assert Meeting.objects.get().date == datetime.date(2013, 5, 28)
    assert MonthlyReport.objects.latest_period() == Period(2013, 5)


def test_setup_demo_refuses_to_run_with_debug_off(settings):
    """Production (DEBUG off) never gets the demo's accounts with their published password."""
    settings.DEBUG = False
    with pytest.raises(CommandError) as refused:
        call_command("setup_demo")
    assert "DEBUG" in str(refused.value) and "拒绝" in str(refused.value)
    assert not User.objects.exists() and not Project.objects.exists()


def test_setup_demo_creates_no_account_beside_a_real_register(zone):
    """A register holding real projects gets neither the demo data nor any demo account."""
    make_project(zone, code="410802-2026-001", name="真实项目")
    with pytest.raises(CommandError) as refused:
        setup_demo()
    assert "非演示项目" in str(refused.value)
    assert not User.objects.filter(username__in=["office", "observer", "liaison"]).exists()
    assert Project.objects.count() == 1


def test_setup_demo_exits_with_status_1_and_a_chinese_message(tmp_path):
    """As the shell sees it: exit status 1 and the reason in Chinese, no traceback."""
    import os
    import subprocess
    import sys

    from django.conf import settings as django_settings

    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {
        "DEBUG": "0",
        "SECRET_KEY": "demo-refusal-test-" + "x" * 40,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "setup_demo"],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert "拒绝运行 setup_demo" in done.stderr and "Traceback" not in done.stderr


def test_loadtest_refuses_a_real_register_and_production(zone, settings):
    make_project(zone, code="410802-2026-001", name="真实项目")
    settings.DEBUG = True
    with pytest.raises(CommandError) as refused:
        call_command("loadtest", "--base-url", "http://127.0.0.1:9", "--seconds", "1")
    assert "临时数据库" in str(refused.value)
    Project.objects.all().delete()
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("loadtest", "--base-url", "http://127.0.0.1:9", "--seconds", "1")
    assert not User.objects.filter(username__startswith="lt-").exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_loadtest_removes_the_accounts_and_projects_it_made(settings, live_server, capsys):
    """A real one-second run against the test server: what it made for itself (lt-* accounts,
    LT- projects and their officials) is gone afterwards, and the demo is as it was."""
    from projects.models import Official

    setup_demo(year=2013)
    settings.DEBUG = True
    before = (Project.objects.count(), Official.objects.count(), User.objects.count())
    call_command(
        "loadtest",
        "--base-url",
        live_server.url,
        "--seconds",
        "1",
        "--officials",
        "2",
        "--observers",
        "1",
    )
    assert "丢失的写入 0" in capsys.readouterr().out
    assert not User.objects.filter(username__startswith="lt-").exists()
    assert not Project.objects.filter(code__startswith="LT-").exists()
    assert (Project.objects.count(), Official.objects.count(), User.objects.count()) == before


def test_make_run_serves_on_the_port_given():
    """`make run PORT=8100` (as the README says) serves on 8100; 8000 without it."""
    import subprocess

    from django.conf import settings as django_settings

    def serve_line(*args):
        done = subprocess.run(
            ["make", "-n", "run", *args],
            cwd=django_settings.BASE_DIR,
            capture_output=True,
            text=True,
            check=True,
        )
        return next(line for line in done.stdout.splitlines() if "runserver" in line)

    assert serve_line("PORT=8100").endswith("runserver 127.0.0.1:8100")
    assert serve_line().endswith("runserver 127.0.0.1:8000")


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
        setup_demo()
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
        title = next(p.text for p in bulletin.paragraphs if "通报" in p.text)
        assert "关于2026年11月解放区重点项目推进情况的通报" in title
        client.force_login(User.objects.get(username="chenlixin"))
        assert client.get(reverse("projects:my_projects")).context["period"] == november
