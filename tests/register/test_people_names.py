"""Pages, notices and the admin name people, not accounts: the liaison picker lists the
reporters by name, locks and changes say who by name."""

import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from projects.models import Meeting, MonthLock, MonthlyReport, Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(client, demo_users):
    client.force_login(User.objects.get(username="office"))
    return client


def test_the_liaison_picker_lists_reporters_by_name(office):
    project = Project.objects.get(code="JF2013-001")
    html = office.get(reverse("admin:projects_project_change", args=[project.pk])).content
    select = re.search(r'<select name="liaisons".*?</select>', html.decode(), re.S).group(0)
    options = re.findall(r"<option[^>]*>([^<]+)</option>", select)
    assert "联络员小李（liaison）" in options and "陈立新（chenlixin）" in options
    assert not any(name in options for name in ("office", "observer", "项目办（office）"))


def test_a_lock_names_the_person_who_locked(office, client):
    meeting = Meeting.objects.get(year=2013, number=5)
    office.post(reverse("projects:meeting_lock", args=[meeting.pk]), {"action": "lock"})
    html = office.get(reverse("projects:meeting_detail", args=[meeting.pk])).content.decode()
    assert "项目办" in html and "由 office" not in html
    client.force_login(User.objects.get(username="chenlixin"))
    page = client.get(reverse("projects:my_projects"), {"year": 2013, "month": 5})
    assert "项目办" in page.context["lock_reason"]
    assert MonthLock.objects.get(year=2013, month=5).locked_by.username == "office"


def test_a_change_is_shown_with_the_persons_name(client, demo_users):
    client.force_login(User.objects.get(username="chenlixin"))
    report = MonthlyReport.objects.get(project__code="JF2013-001", year=2013, month=5)
    client.post(
        reverse("projects:report_edit", args=[report.pk]),
        {
            "amount": "601",
            "physical_progress": "改",
            "loaded_version": report.version,
            "year": 2013,
            "month": 5,
        },
    )
    page = client.get(reverse("projects:project_detail", args=[report.project_id]))
    history = re.search(r'id="history".*?</table>', page.content.decode(), re.S)
    assert history and "陈立新" in history.group(0) and "chenlixin" not in history.group(0)


def test_the_admin_lists_report_authors_by_name(office):
    MonthlyReport.objects.filter(project__code="JF2013-001").update(
        submitted_by=User.objects.get(username="chenlixin")
    )
    html = office.get(reverse("admin:projects_monthlyreport_changelist")).content.decode()
    assert "陈立新" in html and ">chenlixin<" not in html
