"""Who owes a month's report, and who is late, is one rule (expected_to_report, and
Period.due_date for lateness): 填报情况, 我的项目, the ranking's 按时填报, the packet and the 月度通报
say the same for every lead official in every month of the demo, on 4 December 2026 (the
day of the meeting-record issue)."""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.urls import reverse

from projects.meetings.bulletin import bulletin_context
from projects.meetings.packet import meeting_packet
from projects.models import Meeting, MonthlyReport, Official, Project, Region, ReportStatus
from projects.progress.period import Period
from projects.register.ranking import ranking
from projects.reminders.status import LEAD
from tests.conftest import setup_demo

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
TODAY = datetime.datetime(2026, 12, 4, 10, tzinfo=SHANGHAI)
MONTHS = [Period(2026, month) for month in range(1, 13)]


@pytest.fixture
def today():
    with time_machine.travel(TODAY, tick=False):
        yield TODAY.date()


@pytest.fixture
def living_demo(today):
    """The demo brought to 4 December 2026, with what the demo alone does not have: a report
    missing past its due date, one that came in late, and a project completed in August
    (it owes nothing from September on)."""
    setup_demo()
    MonthlyReport.objects.get(project__code="JF2013-008", year=2026, month=11).delete()
    late = MonthlyReport.objects.get(project__code="JF2013-005", year=2026, month=10)
    late.submitted_at = datetime.datetime(2026, 11, 10, 9, tzinfo=SHANGHAI)
    late.save()
    done = Project.objects.get(code="JF2013-009")
    done.status = Project.Status.COMPLETED
    done.actual_completion = datetime.date(2026, 8, 20)
    done.save()


def late_names(bulletin, official):
    """The project names the bulletin lists as not reported on time for `official`."""
    for row in bulletin["late_reporters"]:
        if row["official"] == official:
            return {re.sub(r"（[^（]*）$", "", name) for name in row["projects"].split("、")}
    return set()


@pytest.mark.slow
def test_the_five_places_agree_for_every_official_in_every_month(client, living_demo, today):
    office = User.objects.get(username="office")
    officials = list(Official.objects.exclude(user=None).select_related("user"))
    assert len(officials) == 4
    seen = {"expected": 0, "missing": 0, "late": 0, "not_scored": 0}
    for number, period in enumerate(MONTHS, start=1):
        params = {"year": period.year, "month": period.month}
        client.force_login(office)
        status_page = client.get(reverse("projects:report_status"), params).context
        rows = {
            reporter.name: reporter
            for reporter in status_page["reporters"]
            if reporter.role == LEAD
        }
        ranked = {entry.name: entry for entry in ranking(period).officials}
        bulletin = bulletin_context(period, Region.objects.heading())
        meeting = Meeting.objects.create(
            year=period.year, month=period.month, number=100 + number, date=today
        )
        packet_late = {project.pk for project, *_rest in meeting_packet(meeting)["late_reports"]}
        for official in officials:
            mine = Project.objects.filter(lead_official=official)
            # 填报情况: the rule itself.
            reporter = rows.get(official.name)
            expected = {p.pk for p in reporter.projects} if reporter else set()
            assert expected == set(mine.expected_to_report(period).values_list("pk", flat=True)), (
                period,
                official.name,
            )
            missing = {p.pk for p in reporter.missing} if reporter else set()
            late = {p.pk for p in reporter.projects if p.days_late} if reporter else set()
            on_time = len(expected - missing - late)
            # 我的项目 of the official: "N 个项目未填报" counts the same projects.
            client.force_login(official.user)
            page = client.get(reverse("projects:my_projects"), params).context
            theirs = [row for row in page["rows"] if row.lead_official_id == official.pk]
            assert {r.pk for r in theirs if r.report_status == ReportStatus.MISSING} == missing
            assert page["missing"] == len(missing), (period, official.name)
            # The ranking's 按时填报: over the same projects, scored once the due date passed.
            entry = ranked[official.name]
            assert entry.figures["expected"] == len(expected), (period, official.name)
            if period.due_passed():
                assert entry.figures["reported"] == on_time
                if expected:
                    assert entry.scores["reports"] == round(100 * on_time / len(expected), 2)
            else:
                assert "reports" not in entry.scores
                seen["not_scored"] += 1
            # The packet and the bulletin name the same late projects, none before the due date.
            names = set(mine.filter(pk__in=late).values_list("name", flat=True))
            assert {pk for pk in packet_late if pk in expected} == late, (period, official.name)
            assert late_names(bulletin, official.name) == names, (period, official.name)
            seen["expected"] += len(expected)
            seen["missing"] += len(missing)
            seen["late"] += len(late)
    # The comparison saw each case: projects owed, missing, late, and a month before its due
    # date (December).
    assert all(seen.values()), seen


def bulletin(client, period):
    """The 月度通报 of `period` as the office downloads it: (text, rows of 五、未按时填报)."""
    from tests.meetings.test_documents import read, rows, text_of

    client.force_login(User.objects.get(username="office"))
    response = client.get(
        reverse("projects:bulletin_docx"), {"year": period.year, "month": period.month}
    )
    document = read(response.content)
    late = next(t for t in document.tables if rows(t)[0] == ["牵头领导", "未按时填报项目"])
    return text_of(document), rows(late)[1:]


def test_nobody_is_late_before_the_due_date(client, living_demo):
    """On 4 December December's reports are not due until 6 January 2027: the bulletin says
    “截至2026年12月4日”, names no late reporter, the ranking does not score 按时填报 and says
    why, and 填报情况 counts no one late."""
    december = Period(2026, 12)
    assert december.due_date == datetime.date(2027, 1, 6)
    text, late = bulletin(client, december)
    assert "截至2026年12月4日，" in text and "12月底" not in text
    assert late == []
    result = ranking(december)
    assert all("reports" not in entry.scores for entry in result.officials)
    assert any("2027-01-06" in str(note) for note in result.notes)
    page = client.get(reverse("projects:ranking"), {"year": 2026, "month": 12})
    assert "截止日前不计“按时填报”得分" in page.content.decode()
    status = client.get(reverse("projects:report_status"), {"year": 2026, "month": 12})
    assert status.context["late"] == 0 and status.context["missing"] > 0


def test_after_the_due_date_the_late_are_named(client, living_demo):
    """November's reports were due on 3 December: on the 4th the bulletin, worded “截至2026年
    11月底”, names the official whose report is missing, with the days it is late."""
    text, late = bulletin(client, Period(2026, 11))
    assert "截至2026年11月底，" in text
    assert late == [["赵志强", "锦江五星级酒店（未报，已逾期1天）"]]
    scores = {entry.name: entry.scores["reports"] for entry in ranking(Period(2026, 11)).officials}
    assert scores["赵志强"] == 50  # one of the two projects that owe a report (not three)
