"""Input defects found by a new user: a meeting year out of range, a date field that showed
blank, and an edit posted without the version it was loaded at."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from projects.models import Meeting, MonthlyReport, Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(client, demo_users):
    client.force_login(User.objects.get(username="office"))
    return client


@pytest.mark.parametrize("year", [1999, 0, 2101, 30000])
def test_a_meeting_year_out_of_range_is_refused_in_chinese(office, year):
    before = Meeting.objects.count()
    response = office.post(
        reverse("projects:meeting_create"),
        {"year": year, "month": 6, "number": 9, "date": "2013-06-27"},
    )
    assert response.status_code == 200
    assert "年度必须在 2000 到 2100 之间" in response.content.decode()
    assert Meeting.objects.count() == before


def test_the_meeting_date_field_is_filled_in_iso(office):
    html = office.get(reverse("projects:meeting_create")).content.decode()
    today = timezone.localdate().isoformat()
    assert f'type="date" name="date" value="{today}"' in html


def test_a_report_edit_without_its_loaded_version_is_refused(client, demo_users):
    client.force_login(User.objects.get(username="chenlixin"))
    report = MonthlyReport.objects.get(project__code="JF2013-001", year=2013, month=5)
    response = client.post(
        reverse("projects:report_edit", args=[report.pk]),
        {"amount": "1", "physical_progress": "改"},
    )
    assert response.status_code == 200
    assert "请刷新页面后重新提交" in response.content.decode()
    report.refresh_from_db()
    assert report.amount == 2300
    assert Project.objects.get(code="JF2013-001").reports.get(month=5).version == report.version
