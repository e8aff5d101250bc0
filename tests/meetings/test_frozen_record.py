"""A held meeting's record does not change: once the office locks the month a meeting
reviewed, its packet, each official's part, 会议纪要, 月度通报 and the ranking reprint exactly
as they were, whatever is imported, reported or closed later; a correction (更正) is issued
beside the original, by the office only."""

import datetime
import io
import re
from decimal import Decimal

import docx
import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from projects.meetings import record
from projects.models import Meeting, MeetingSnapshot, MonthlyReport, Official, Problem, Project
from projects.progress.period import Period
from projects.templatetags.jiefang import money
from tests.conftest import make_project, plan, report, run_tasks

pytestmark = pytest.mark.django_db

PERIOD = Period(2013, 5)


def meeting():
    return Meeting.objects.get(year=2013, number=5)


def login(client, username):
    client.force_login(User.objects.get(username=username))
    return client


@pytest.fixture
def office(client, demo_users):
    return login(client, "office")


def docx_text(content):
    """Every paragraph and every table cell of a Word document, in order."""
    document = docx.Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def packet_body(html):
    """The printed packet, from its cover to its end (the screen-only links left out)."""
    return html[html.index('<div class="cover">') : html.index("</body>")]


def total_row(packet):
    """The count and the year-to-date amount of the packet's 合计 row."""
    row = re.search(r'<tr class="total">(.*?)</tr>', packet, re.S).group(1)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
    return [cells[1], cells[4]]


def ranking_boards(html):
    return re.findall(r'<section class="ranking".*?</section>', html, re.S)


def printouts(client):
    """What the office prints for the meeting: the packet, one official's part, the minutes,
    the bulletin (from the meeting and from the month) and the ranking page."""
    m = meeting()
    chen = Official.objects.get(name="陈立新")
    get = client.get
    return {
        "packet": packet_body(get(reverse("projects:meeting_print", args=[m.pk])).text),
        "part": packet_body(
            get(reverse("projects:official_print", args=[chen.pk]), {"meeting": m.pk}).text
        ),
        "minutes": docx_text(get(reverse("projects:meeting_minutes_docx", args=[m.pk])).content),
        "bulletin": docx_text(get(reverse("projects:meeting_bulletin_docx", args=[m.pk])).content),
        "month_bulletin": docx_text(
            get(reverse("projects:bulletin_docx"), {"year": 2013, "month": 5}).content
        ),
        "ranking": ranking_boards(
            get(reverse("projects:ranking"), {"year": 2013, "month": 5}).text
        ),
    }


def lock(client):
    return client.post(
        reverse("projects:meeting_lock", args=[meeting().pk]), {"action": "lock"}, follow=True
    )


def change_everything():
    """What happens after the meeting: two projects imported, a report corrected and a late
    one filed, a problem closed and one added, a project renamed."""
    zone = Project.objects.first().zone
    chen = Official.objects.get(name="陈立新")
    for code in ("JF2027-101", "JF2027-102"):
        project = make_project(
            zone,
            code=code,
            total="21000.00",
            name=f"新导入项目{code[-3:]}",
            lead_official=chen,
            planned_start=datetime.date(2027, 3, 1),
        )
        plan(project, 2013, "21000.00")
        report(project, 2013, 5, "9999.00", physical_progress="新报进度")
    first = MonthlyReport.objects.filter(year=2013, month=5).order_by("pk").first()
    first.amount += Decimal("1234.56")
    first.physical_progress = "更正后的形象进度"
    first.save()
    unreported = Project.objects.exclude(reports__year=2013, reports__month=5).first()
    if unreported is not None:
        report(unreported, 2013, 5, "500.00", physical_progress="补报")
    problem = Problem.objects.filter(meeting=meeting(), status=Problem.Status.OPEN).first()
    problem.status, problem.closing_note = Problem.Status.CLOSED, "已解决"
    problem.save()
    Problem.objects.create(
        project=Project.objects.first(),
        meeting=meeting(),
        description="会后补记的问题",
        disposition=Problem.Disposition.DEADLINE,
        deadline=datetime.date(2013, 6, 30),
    )
    Project.objects.filter(code="JF2013-001").update(name="改名后的项目")


@pytest.mark.slow
def test_a_locked_meetings_documents_reprint_identically_after_later_changes(office):
    """Locking the month freezes the packet, an official's part, the minutes, the bulletin
    and the ranking as they stood; new projects, reports and problem changes afterwards leave
    every printout as it was, figure for figure, while the live pages move on."""
    _rows, before = Project.objects.summary(PERIOD)
    live = printouts(office)
    response = lock(office)
    assert "冻结" in response.text
    frozen = printouts(office)
    # Frozen the moment the month is locked: nothing differs from what was printed just before.
    assert frozen == live

    change_everything()
    later = printouts(office)
    for name in frozen:
        assert later[name] == frozen[name], name
    # The figures did move: the live summary now counts the imported projects and the new
    # amounts, which the frozen packet does not.
    _rows, after = Project.objects.summary(PERIOD)
    assert after["count"] == before["count"] + 2 and after["ytd"] != before["ytd"]
    assert total_row(later["packet"]) == [str(before["count"]), money(before["ytd"])]
    assert "新导入项目101" not in later["packet"] and "新导入项目101" not in later["minutes"]
    assert "会后补记的问题" not in later["packet"]
    assert "新导入项目101" in Project.objects.values_list("name", flat=True)
    # The PDF is made from the same frozen page.
    pdf = office.get(reverse("projects:meeting_pdf", args=[meeting().pk]))
    assert pdf.status_code in (200, 503)


def test_the_printouts_say_when_their_figures_were_frozen(office):
    """The meeting page, the printout and the ranking say “数据冻结于” with the time in
    Beijing time; before the lock the meeting page says its documents follow today's figures."""
    page = office.get(reverse("projects:meeting_detail", args=[meeting().pk])).text
    assert "尚未冻结" in page and "数据冻结于" not in page
    lock(office)
    snapshot = MeetingSnapshot.objects.get(meeting=meeting())
    when = timezone.localtime(snapshot.taken_at).strftime("%Y-%m-%d %H:%M")
    page = office.get(reverse("projects:meeting_detail", args=[meeting().pk])).text
    assert f"数据冻结于 {when}" in page
    printout = office.get(reverse("projects:meeting_print", args=[meeting().pk])).text
    assert f"数据冻结于 {when}" in printout
    ranking = office.get(reverse("projects:ranking"), {"year": 2013, "month": 5}).text
    assert f"数据冻结于 {when}" in ranking


def test_an_unheld_meeting_follows_todays_figures(office):
    """Before its month is locked a meeting's packet and minutes follow the figures: a project
    imported now is in them."""
    change_everything()
    live = printouts(office)
    assert "新导入项目101" in live["packet"] and "新导入项目101" in live["minutes"]
    assert (
        "数据冻结于" not in office.get(reverse("projects:meeting_print", args=[meeting().pk])).text
    )
    assert not MeetingSnapshot.objects.exists()


def test_unlocking_and_locking_again_keeps_the_original(office):
    """Unlocking the month and locking it again does not refreeze the meeting: only an explicit
    更正 issues new figures."""
    lock(office)
    frozen = printouts(office)
    office.post(reverse("projects:meeting_lock", args=[meeting().pk]), {"action": "unlock"})
    change_everything()
    lock(office)
    assert MeetingSnapshot.objects.filter(meeting=meeting()).count() == 1
    assert printouts(office) == frozen


def test_a_correction_is_issued_beside_the_original(office):
    """更正重发 freezes today's figures as a correction labelled 更正: the meeting's documents
    now print the correction, and the original is still downloadable as it was."""
    lock(office)
    original = printouts(office)
    change_everything()
    response = office.post(
        reverse("projects:meeting_reissue", args=[meeting().pk]),
        {"reason": "补录两个新导入项目"},
        follow=True,
    )
    assert "更正" in response.text and "补录两个新导入项目" in response.text
    assert list(meeting().snapshots.values_list("issue", flat=True)) == [0, 1]
    corrected = printouts(office)
    assert "新导入项目101" in corrected["packet"] and "新导入项目101" in corrected["minutes"]
    assert "（更正）" in corrected["minutes"] and "（更正）" in corrected["bulletin"]
    # The correction keeps the original's 发文字号, marked 更正.
    number = re.search(r"解\S*纪〔\d+〕\d+号", original["minutes"]).group(0)
    assert f"{number}（更正）" in corrected["minutes"]
    m = meeting()
    docx_response = office.get(reverse("projects:meeting_minutes_docx", args=[m.pk]))
    assert "%E6%9B%B4%E6%AD%A3" in docx_response["Content-Disposition"]  # 更正
    # The original, asked for by its issue, is as it was.
    assert (
        packet_body(office.get(reverse("projects:meeting_print", args=[m.pk]), {"issue": 0}).text)
        == original["packet"]
    )
    assert (
        docx_text(
            office.get(reverse("projects:meeting_minutes_docx", args=[m.pk]), {"issue": 0}).content
        )
        == original["minutes"]
    )
    assert (
        docx_text(
            office.get(reverse("projects:meeting_bulletin_docx", args=[m.pk]), {"issue": 0}).content
        )
        == original["bulletin"]
    )
    printout = office.get(reverse("projects:meeting_print", args=[m.pk])).text
    assert "更正" in printout


def test_a_correction_needs_a_frozen_meeting_and_a_reason(office):
    """A correction of a meeting not yet frozen, or without a reason, is refused with a
    Chinese message, and nothing is issued."""
    url = reverse("projects:meeting_reissue", args=[meeting().pk])
    response = office.post(url, {"reason": "更正"}, follow=True)
    assert "尚未冻结" in response.text
    assert not MeetingSnapshot.objects.exists()
    lock(office)
    for reason in ("", "   ", "长" * 501):
        response = office.post(url, {"reason": reason}, follow=True)
        assert response.status_code == 200
        assert "请说明" in response.text or "500" in response.text
    assert MeetingSnapshot.objects.count() == 1


def test_an_issue_that_does_not_exist_is_not_found(office):
    lock(office)
    m = meeting()
    for name in ("meeting_print", "meeting_minutes_docx", "meeting_bulletin_docx"):
        for issue in ("7", "x"):
            response = office.get(reverse(f"projects:{name}", args=[m.pk]), {"issue": issue})
            assert response.status_code == 404, (name, issue)


@pytest.mark.parametrize("username", ["observer", "chenlixin", "liaison"])
def test_only_the_office_reissues_and_everyone_downloads(client, demo_users, username):
    """Observers, lead officials and liaisons download every issue of the frozen record but
    cannot issue a correction."""
    record.freeze(meeting())
    login(client, username)
    m = meeting()
    response = client.post(reverse("projects:meeting_reissue", args=[m.pk]), {"reason": "改"})
    assert response.status_code == 403
    assert MeetingSnapshot.objects.count() == 1
    for name in ("meeting_print", "meeting_minutes_docx", "meeting_bulletin_docx"):
        response = client.get(reverse(f"projects:{name}", args=[m.pk]), {"issue": 0})
        assert response.status_code == 200, name
    page = client.get(reverse("projects:meeting_detail", args=[m.pk])).text
    assert 'id="meeting-issues"' in page and 'id="reissue-form"' not in page


def test_the_meeting_page_lists_issues_in_a_fixed_number_of_queries(office):
    """The meeting page reads its issues in the same number of queries however many there
    are."""
    record.freeze(meeting())
    url = reverse("projects:meeting_detail", args=[meeting().pk])
    office.get(url)
    with CaptureQueriesContext(connection) as one:
        office.get(url)
    record.freeze(meeting(), reason="一")
    record.freeze(meeting(), reason="二")
    with CaptureQueriesContext(connection) as three:
        page = office.get(url).text
    assert len(three) == len(one)
    assert "更正2" in page


def test_the_frozen_pages_read_well(office):
    """The meeting page with its issues and the correction form, the frozen printout and the
    frozen ranking have none of the markup problems the crawl checks."""
    from tests.accessibility.markup import problems

    lock(office)
    record.freeze(meeting(), reason="更正")
    m = meeting()
    for url in (
        reverse("projects:meeting_detail", args=[m.pk]),
        reverse("projects:meeting_print", args=[m.pk]) + "?issue=0",
        reverse("projects:ranking") + "?year=2013&month=5",
    ):
        assert problems(office.get(url).content.decode()) == [], url


def test_locking_the_month_in_the_administration_freezes_its_meeting(office):
    """A month locked from the administration holds its meeting as the meeting page's lock
    does: later reports leave the printout as it was."""
    response = office.post(reverse("admin:projects_monthlock_add"), {"year": 2013, "month": 5})
    assert response.status_code == 302
    snapshot = MeetingSnapshot.objects.get(meeting=meeting())
    assert snapshot.taken_by.username == "office" and not snapshot.is_correction
    frozen = printouts(office)
    change_everything()
    assert printouts(office) == frozen


def test_a_meeting_opened_after_its_month_was_locked_is_frozen_on_request(office):
    """A meeting opened once its month is already locked follows the figures until the office
    freezes it from the meeting page; freezing an unlocked month's meeting is refused."""
    url = reverse("projects:meeting_lock", args=[meeting().pk])
    office.post(url, {"action": "freeze"})
    assert not MeetingSnapshot.objects.exists()
    lock(office)
    later = Meeting.objects.create(number=6, date=datetime.date(2013, 6, 5), year=2013, month=5)
    page = office.get(reverse("projects:meeting_detail", args=[later.pk])).text
    assert "冻结本次例会材料" in page and "尚未冻结" in page
    office.post(reverse("projects:meeting_lock", args=[later.pk]), {"action": "freeze"})
    assert later.snapshots.count() == 1
    page = office.get(reverse("projects:meeting_detail", args=[later.pk])).text
    assert "冻结本次例会材料" not in page and "数据冻结于" in page


def test_a_large_meetings_record_is_frozen_by_a_worker(
    office, settings, django_capture_on_commit_callbacks
):
    """Above JIEFANG_BACKGROUND_DOCUMENT_OVER projects (its packet alone took 45 s at 100,000)
    the lock answers at once and says the record is being kept; a worker then freezes it,
    once however often it was asked, and it reprints what was printed at the lock; a
    correction of a large meeting is issued by a worker too."""
    live = printouts(office)
    settings.JIEFANG_BACKGROUND_DOCUMENT_OVER = 5  # the demo's meeting has 10 projects
    with django_capture_on_commit_callbacks(execute=True):
        response = lock(office)
    assert "正在后台冻结" in response.text
    assert not meeting().snapshots.exists()
    with django_capture_on_commit_callbacks(execute=True):  # asked again while queued
        office.post(reverse("projects:meeting_lock", args=[meeting().pk]), {"action": "freeze"})
    run_tasks()
    assert list(meeting().snapshots.values_list("issue", flat=True)) == [0]
    settings.JIEFANG_BACKGROUND_DOCUMENT_OVER = 5000  # the documents in the request again
    change_everything()
    assert printouts(office) == live

    settings.JIEFANG_BACKGROUND_DOCUMENT_OVER = 5
    with django_capture_on_commit_callbacks(execute=True):
        response = office.post(
            reverse("projects:meeting_reissue", args=[meeting().pk]),
            {"reason": "补录两个新导入项目"},
            follow=True,
        )
    assert "正在后台" in response.text
    assert meeting().snapshots.count() == 1
    run_tasks()
    correction = meeting().snapshots.get(issue=1)
    assert correction.reason == "补录两个新导入项目" and correction.taken_by.username == "office"
    assert "新导入项目101" in correction.packet
