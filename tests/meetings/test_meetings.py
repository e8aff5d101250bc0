"""The monthly meeting: the packet, the problem register, deadlines in working days, the PDF."""

import datetime
import re
import shutil
import subprocess
import zoneinfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from projects.models import Meeting, Official, Problem, Project
from projects.progress.period import Period
from projects.progress.workdays import add_working_days

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(client, demo_users):
    client.force_login(User.objects.get(username="office"))
    return client


def meeting():
    return Meeting.objects.get(number=5, year=2013)


def test_packet_has_every_official_every_project_once_and_the_engines_totals(office):
    response = office.get(reverse("projects:meeting_print", args=[meeting().pk]))
    html = response.content.decode()
    assert "2013年第5次“四区联建”例会" in html
    sections = response.context["sections"]
    officials_with_projects = set(
        Official.objects.filter(projects__isnull=False).values_list("name", flat=True)
    )
    assert {s.official.name for s in sections} == officials_with_projects
    codes = re.findall(r'<tr class="project" data-code="([^"]+)"', html)
    assert sorted(codes) == sorted(Project.objects.values_list("code", flat=True))
    zones, total = Project.objects.summary(Period(2013, 5))
    assert response.context["zones"] == zones and response.context["total"] == total
    assert "54,600.00" in html and "953,700.00" in html
    # 形象进度 and 存在问题 come from the month's reports.
    assert "施工许可办理中" in html and "项目用地指标尚未落实，影响开工" in html


def test_packet_marks_overdue_problems(office):
    response = office.get(reverse("projects:meeting_print", args=[meeting().pk]))
    raised = response.context["raised"]
    assert [p.project.code for p in raised if p.is_overdue] == ["JF2013-002"]
    html = response.content.decode()
    assert html.count('class="problem overdue"') == 1
    assert "逾期" in html


def test_open_items_from_earlier_meetings_are_carried_until_closed(office):
    today = timezone.localdate()
    current = Meeting.objects.create(number=1, year=today.year, month=today.month, date=today)
    response = office.get(reverse("projects:meeting_print", args=[current.pk]))
    carried = {p.description for p in response.context["earlier_open"]}
    assert carried == {
        "项目用地指标尚未落实，影响开工",
        "商户过渡安置场地不足",
        "施工许可证办理进度缓慢",
    }
    problem = Problem.objects.get(description="项目用地指标尚未落实，影响开工")
    response = office.post(
        reverse("projects:problem_close", args=[problem.pk]),
        {"closing_note": "土地指标已落实", "loaded_version": problem.version},
    )
    assert response.status_code == 302
    response = office.get(reverse("projects:meeting_print", args=[current.pk]))
    assert "项目用地指标尚未落实，影响开工" not in {
        p.description for p in response.context["earlier_open"]
    }


def test_official_printout_has_only_their_part(office):
    official = Official.objects.get(name="刘卫东")
    response = office.get(reverse("projects:official_print", args=[official.pk]))
    assert [s.official for s in response.context["sections"]] == [official]
    html = response.content.decode()
    assert "动漫产业园" in html and "丹尼斯百货" not in html


@pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed"
)
def test_the_official_printouts_pdf_is_their_part_only(office, tmp_path):
    """下载 PDF on one official's print page downloads that official's part, not the packet."""
    official = Official.objects.get(name="刘卫东")
    page = office.get(reverse("projects:official_print", args=[official.pk])).content.decode()
    link = re.search(r'href="([^"]+)">下载 PDF', page).group(1).replace("&amp;", "&")
    assert link.startswith(reverse("projects:official_pdf", args=[official.pk]) + "?meeting=")
    response = office.get(link)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    path = tmp_path / "part.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout.replace("\n", "")
    assert "动漫产业园" in text and "丹尼斯百货" not in text


def test_the_former_pdf_link_of_a_printout_leads_to_its_pdf(office):
    """A bookmark of print/?pdf=1 is sent on to packet.pdf, keeping the meeting and issue."""
    official = Official.objects.get(name="刘卫东")
    url = reverse("projects:official_print", args=[official.pk])
    response = office.get(url, {"meeting": meeting().pk, "pdf": "1", "issue": "1"})
    assert response.status_code == 301
    assert response.url == (
        reverse("projects:official_pdf", args=[official.pk]) + f"?meeting={meeting().pk}&issue=1"
    )


def test_a_look_back_keeps_an_item_open_as_it_was_then(demo_users):
    """Closed today, the item was still open at the end of June 2013."""
    problem = Problem.objects.get(description="项目用地指标尚未落实，影响开工")
    problem.status, problem.closing_note = Problem.Status.CLOSED, "已落实"
    problem.save()
    assert problem in Problem.objects.open_at(datetime.date(2013, 6, 30))
    assert problem not in Problem.objects.open_at(timezone.localdate())


def test_deadline_day_itself_is_not_overdue(demo_users):
    problem = Problem.objects.get(
        description="项目用地指标尚未落实，影响开工"
    )  # deadline 2013-05-30
    on_the_day = Problem.objects.overdue_at(datetime.date(2013, 5, 30))
    day_after = Problem.objects.overdue_at(datetime.date(2013, 5, 31))
    assert problem not in on_the_day and problem in day_after


def test_working_days_across_national_day_2013():
    """5 working days from Fri 2013-09-27: Sun 9-29 is a 调休 working day, Oct 1-7 are off."""
    assert add_working_days(datetime.date(2013, 9, 27), 5) == datetime.date(2013, 10, 10)


def test_working_days_count_an_adjusted_saturday():
    """Sat 2013-10-12 was a working day (调休 for National Day)."""
    assert add_working_days(datetime.date(2013, 10, 10), 2) == datetime.date(2013, 10, 12)
    assert add_working_days(datetime.date(2013, 10, 17), 2) == datetime.date(2013, 10, 21)


def test_recording_a_problem_with_a_working_day_deadline(office):
    sept = Meeting.objects.create(number=9, year=2013, month=9, date=datetime.date(2013, 9, 27))
    project = Project.objects.get(code="JF2013-004")
    response = office.post(
        reverse("projects:problem_create", args=[sept.pk]),
        {
            "project": project.pk,
            "description": "施工用水接入",
            "disposition": "deadline",
            "working_days": 5,
            "note": "",
        },
    )
    assert response.status_code == 302
    problem = Problem.objects.get(description="施工用水接入")
    assert problem.deadline == datetime.date(2013, 10, 10)
    assert problem.meeting == sept and problem.status == "open"
    assert problem.history.get().history_user.username == "office"
    html = office.get(problem.get_absolute_url()).content.decode()
    assert "2013-10-10" in html


def test_solved_on_the_spot_is_recorded_closed_with_its_note(office):
    project = Project.objects.get(code="JF2013-004")
    response = office.post(
        reverse("projects:problem_create", args=[meeting().pk]),
        {
            "project": project.pk,
            "description": "临时占道审批",
            "disposition": "on_spot",
            "note": "会上城管局当场批复",
        },
    )
    assert response.status_code == 302
    problem = Problem.objects.get(description="临时占道审批")
    assert problem.status == "closed" and problem.closing_note == "会上城管局当场批复"
    assert problem.deadline is None and problem.closed_at is not None


@pytest.mark.parametrize(
    "data, message",
    [
        ({"disposition": "deadline"}, "限期解决的问题必须填写解决时限。"),
        ({"disposition": "deadline", "deadline": "2013-05-01"}, "解决时限不能早于例会日期。"),
        (
            {"disposition": "deadline", "deadline": "2013-06-10", "working_days": 3},
            "解决时限请填写日期或工作日天数，不要同时填写。",
        ),
        ({"disposition": "on_spot"}, "请填写现场解决的情况。"),
        ({"disposition": "deadline", "working_days": 0}, "确保该值大于或等于1。"),
    ],
)
def test_bad_problems_are_refused_in_chinese(office, data, message):
    project = Project.objects.get(code="JF2013-004")
    before = Problem.objects.count()
    response = office.post(
        reverse("projects:problem_create", args=[meeting().pk]),
        {"project": project.pk, "description": "测试问题", "note": ""} | data,
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Problem.objects.count() == before


def test_closing_needs_a_note(office):
    problem = Problem.objects.get(description="商户过渡安置场地不足")
    response = office.post(
        reverse("projects:problem_close", args=[problem.pk]),
        {"closing_note": " ", "loaded_version": problem.version},
    )
    assert response.status_code == 200
    assert "销号必须填写销号说明。" in response.content.decode()
    problem.refresh_from_db()
    assert problem.status == "open"


def test_office_opens_a_meeting_numbered_within_the_year(office):
    """On 4 June 2013 the form opens on May, numbered after the year's meetings."""
    with time_machine.travel(datetime.datetime(2013, 6, 4, 9, tzinfo=SHANGHAI), tick=False):
        response = office.get(reverse("projects:meeting_create"))
        initial = response.context["form"].initial
        # It opens on the period every page opens on (the month being collected: on 4 June 2013,
        # May).
        assert (initial["year"], initial["month"]) == (2013, 5)
        assert initial["number"] == Meeting.next_number(2013) == 6
        response = office.post(
            reverse("projects:meeting_create"),
            {
                "year": 2013,
                "month": 6,
                "number": 6,
                "date": "2013-06-27",
                "venue": "区政府三楼会议室",
                "chair": "常务副区长",
                "attendees": "各牵头领导",
                "minutes": "",
            },
        )
        assert response.status_code == 302
        june = Meeting.objects.get(year=2013, number=6)
        assert str(june) == "2013年第6次例会"
        assert Meeting.next_number(2013) == 7
        response = office.post(
            reverse("projects:meeting_create"),
            {"year": 2013, "month": 6, "number": 6, "date": "2013-06-28"},
        )
        assert "该年度已有相同期次的例会。" in response.content.decode()


@pytest.mark.parametrize(
    "params, descriptions",
    [
        (
            {"state": "overdue"},
            {"项目用地指标尚未落实，影响开工", "商户过渡安置场地不足", "施工许可证办理进度缓慢"},
        ),
        ({"state": "closed"}, {"施工临时用电接入需协调供电部门"}),
        ({"disposition": "on_spot"}, {"施工临时用电接入需协调供电部门"}),
        ({"zone": 2}, {"项目用地指标尚未落实，影响开工"}),
        ({"q": "商户"}, {"商户过渡安置场地不足"}),
    ],
)
def test_problem_register_filters(office, params, descriptions):
    """Overdue is judged today: every open 2013 deadline has long passed."""
    response = office.get(reverse("projects:problem_list"), params)
    assert {
        row.record.description for row in response.context["table"].page.object_list
    } == descriptions


def test_problem_register_filters_by_lead_official_and_meeting(office):
    official = Official.objects.get(name="王红梅")
    response = office.get(
        reverse("projects:problem_list"), {"lead_official": official.pk, "meeting": meeting().pk}
    )
    assert [r.record.project.code for r in response.context["table"].page.object_list] == [
        "JF2013-005"
    ]


def test_officials_open_and_overdue_items_show_on_my_projects(client, demo_users):
    client.force_login(User.objects.get(username="liuweidong"))
    response = client.get(reverse("projects:my_projects"), {"year": 2013, "month": 5})
    rows = {p.code: p for p in response.context["rows"]}
    assert (rows["JF2013-002"].open_problems, rows["JF2013-002"].overdue_problems) == (1, 1)
    assert "1 项逾期" in response.content.decode()


@pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed"
)
def test_packet_pdf_has_the_project_names(office, tmp_path):
    response = office.get(reverse("projects:meeting_pdf", args=[meeting().pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    path = tmp_path / "packet.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    for name in Project.objects.values_list("name", flat=True):
        assert name in text.replace("\n", "")
    assert re.search(r"第\s*1\s*页\s*/\s*共\s*\d+\s*页", text)


def test_the_office_locks_and_unlocks_the_month_a_meeting_reviewed(client, demo_users):
    from django.contrib.auth.models import User

    from projects.models import Meeting, MonthLock, MonthlyReport

    meeting = Meeting.objects.get(year=2013, number=5)
    office = User.objects.get(username="office")
    client.force_login(office)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "未锁定：牵头领导仍可补报和修改" in page and "锁定2013年5月" in page

    response = client.post(reverse("projects:meeting_lock", args=[meeting.pk]), {"action": "lock"})
    assert response.status_code == 302
    lock = MonthLock.objects.get(year=2013, month=5)
    assert lock.locked_by == office
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert f"已由 项目办 于 {timezone.localtime(lock.locked_at):%Y-%m-%d %H:%M} 锁定" in page
    assert "解除锁定" in page
    client.post(reverse("projects:meeting_lock", args=[meeting.pk]), {"action": "lock"})
    assert MonthLock.objects.count() == 1  # locking twice keeps the first lock

    # a lead official can neither change a report of the month nor add a missing one
    lead = User.objects.get(username="chenlixin")
    client.force_login(lead)
    report = MonthlyReport.objects.filter(project__lead_official__user=lead, year=2013, month=5)[0]
    assert client.get(reverse("projects:report_edit", args=[report.pk])).status_code == 403
    project = report.project
    report.delete()
    response = client.post(
        reverse("projects:report_create", args=[project.pk]),
        {"year": 2013, "month": 5, "amount": "10", "physical_progress": "补报"},
    )
    assert response.status_code == 200
    assert "2013年5月已由项目办于" in response.content.decode()
    assert not MonthlyReport.objects.filter(project=project, year=2013, month=5).exists()

    client.force_login(office)
    response = client.post(
        reverse("projects:meeting_lock", args=[meeting.pk]), {"action": "unlock"}, follow=True
    )
    assert "2013年5月已解除锁定" in response.content.decode()
    assert not MonthLock.objects.exists()
    client.force_login(lead)
    response = client.post(
        reverse("projects:report_create", args=[project.pk]),
        {"year": 2013, "month": 5, "amount": "10", "physical_progress": "补报"},
    )
    assert response.status_code == 302
    assert MonthlyReport.objects.filter(project=project, year=2013, month=5).exists()


def test_a_bad_lock_action_changes_nothing(client, demo_users):
    from django.contrib.auth.models import User

    from projects.models import Meeting, MonthLock

    meeting = Meeting.objects.get(year=2013, number=5)
    client.force_login(User.objects.get(username="office"))
    response = client.post(
        reverse("projects:meeting_lock", args=[meeting.pk]), {"action": "drop"}, follow=True
    )
    assert "请选择锁定或解除锁定。" in response.content.decode()
    assert not MonthLock.objects.exists()


def test_the_packet_names_the_reports_not_in_by_the_due_date(office):
    """May 2013's reports were due on 5 June. At the May meeting (28 May) nothing is late yet;
    at a meeting on 14 June, a report that came in on the 7th is 2 days late and one never
    in is 9 days late, each with its lead official and liaisons."""
    html = office.get(reverse("projects:meeting_print", args=[meeting().pk])).content.decode()
    assert "截止日期未到" in html
    later = Meeting.objects.create(number=6, year=2013, month=5, date=datetime.date(2013, 6, 14))
    hanlin, market = (Project.objects.get(code=c) for c in ("JF2013-001", "JF2013-003"))
    hanlin.reports.filter(year=2013, month=5).update(
        submitted_at=datetime.datetime(2013, 6, 7, 10, tzinfo=datetime.UTC)
    )
    market.reports.filter(year=2013, month=5).delete()
    response = office.get(reverse("projects:meeting_print", args=[later.pk]))
    late = {
        project.code: (liaisons, submitted, days)
        for project, liaisons, submitted, days in response.context["late_reports"]
    }
    assert late == {
        "JF2013-001": ("联络员小李", datetime.date(2013, 6, 7), 2),
        "JF2013-003": ("联络员小李", None, 9),
    }
    html = response.content.decode()
    assert "填报截止日期：2013-06-05。" in html
    assert html.count('class="late-report overdue"') == 1  # the one never in
    # Problems are judged at the month's end: the one due on 30 May is a day overdue, 提醒.
    assert "逾期·提醒" in html
