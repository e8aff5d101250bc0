"""A report is saved whole or not at all: a full disk keeps every photo and file as they
were, and a month locked while the photos were being checked takes nothing."""

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from django.urls import reverse

from projects.models import MonthLock, MonthlyReport, Project
from projects.reporting import forms
from projects.reporting.photos import check_photo

from .images import jpeg, phone_jpeg, upload

pytestmark = pytest.mark.django_db

FULL_DISK = "tests.reporting.storages.FullDiskStorage"


@pytest.fixture
def lead(client, demo_users):
    client.force_login(User.objects.get(username="chenlixin"))
    return client


def project():
    return Project.objects.get(code="JF2013-001")


def create_url():
    return reverse("projects:report_create", args=[project().pk]) + "?year=2013&month=6"


def report_data(**extra):
    return {"year": 2013, "month": 6, "amount": "500", "physical_progress": "主体施工"} | extra


def stored_files():
    root = Path(default_storage.location) / "photos"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def june_report(lead, photos=2):
    photos = [upload(jpeg(640, 480), f"{i}.jpg") for i in range(photos)]
    assert lead.post(create_url(), report_data(photos=photos)).status_code == 302
    return MonthlyReport.objects.get(project=project(), year=2013, month=6)


def edit(lead, report, **extra):
    data = {"amount": "500", "physical_progress": "主体施工", "loaded_version": report.version}
    return lead.post(reverse("projects:report_edit", args=[report.pk]), data | extra)


def disk_with_room(settings, room):
    settings.STORAGES = settings.STORAGES | {
        "default": {"BACKEND": FULL_DISK, "OPTIONS": {"room": room}}
    }


def test_a_full_disk_keeps_the_report_its_photos_and_their_files(
    lead, settings, django_capture_on_commit_callbacks
):
    """Removing a photo and adding one when the disk fills up during the write: a Chinese
    message, the report as it was, the removed photo still there with both its files, and
    no partial file left (before, the removed photo's files were gone and 1.5 MB stayed)."""
    report = june_report(lead)
    first, second = report.photos.order_by("pk")
    before = stored_files()
    disk_with_room(settings, 200_000)
    with django_capture_on_commit_callbacks(execute=True):
        response = edit(
            lead,
            report,
            amount="800",
            remove_photos=[first.pk],
            photos=[upload(phone_jpeg(4032, 3024), "new.jpg")],
        )
    assert response.status_code == 200
    assert "照片未能写入服务器，本次未保存任何内容" in response.content.decode()
    report.refresh_from_db()
    assert report.amount == 500
    assert list(report.photos.order_by("pk")) == [first, second]
    assert all(default_storage.exists(p.image.name) for p in (first, second))
    assert stored_files() == before  # no partial file


def test_a_thumbnail_that_does_not_fit_takes_the_photos_before_it(lead, settings):
    """The disk fills up in the second photo's thumbnail: the files written before it and
    the partial thumbnail are removed, and no report is saved."""
    data = [jpeg(1600, 1200), jpeg(1200, 1600, (30, 90, 160))]
    checked = [check_photo(upload(d)) for d in data]
    first, second = checked
    disk_with_room(settings, len(first.jpeg + first.thumbnail + second.jpeg) + 1_000)
    photos = [upload(d, f"{i}.jpg") for i, d in enumerate(data)]
    response = lead.post(create_url(), report_data(photos=photos))
    assert response.status_code == 200
    html = response.content.decode()
    assert "照片未能写入服务器" in html
    assert 'name="year" value="2013"' in html  # the form can be sent again as it is
    assert not MonthlyReport.objects.filter(project=project(), year=2013, month=6).exists()
    assert stored_files() == []


def lock_while_checking(monkeypatch):
    """The office locks June 2013 while the photos are being checked (they take seconds)."""

    def check_then_lock(upload, *budget):
        photo = check_photo(upload, *budget)
        MonthLock.objects.get_or_create(year=2013, month=6)
        return photo

    monkeypatch.setattr(forms, "check_photo", check_then_lock)


def test_a_month_locked_after_a_new_report_was_checked_takes_nothing(demo_users):
    """The office locks the month between the check of a new report and its write: the write
    is refused with the lock's Chinese message; no report, no photo file."""
    lead = User.objects.get(username="chenlixin")
    photos = {"photos": [upload(jpeg(1600, 1200), f"{i}.jpg") for i in range(3)]}
    form = forms.MonthlyReportForm(report_data(), photos, project=project(), user=lead)
    assert form.is_valid(), form.errors
    MonthLock.objects.create(year=2013, month=6)
    with pytest.raises(forms.SaveRefused):
        form.save()
    assert "2013年6月已锁定" in " ".join(form.non_field_errors())
    assert form.instance.pk is None
    assert not MonthlyReport.objects.filter(project=project(), year=2013, month=6).exists()
    assert stored_files() == []


def test_a_month_locked_during_an_edit_keeps_the_report(lead, monkeypatch):
    """An edit with photos begun before the lock is refused when it is written: the report
    keeps its amount and photos."""
    report = june_report(lead)
    before = stored_files()
    lock_while_checking(monkeypatch)
    response = edit(lead, report, amount="900", photos=[upload(jpeg(1600, 1200))])
    assert response.status_code == 200
    assert "该月份已锁定" in response.content.decode()
    report.refresh_from_db()
    assert report.amount == 500 and report.photos.count() == 2
    assert stored_files() == before


def test_the_office_still_saves_into_a_month_locked_meanwhile(client, demo_users, monkeypatch):
    """The project office may change a locked month, so the lock taken meanwhile does not
    stop its save."""
    client.force_login(User.objects.get(username="office"))
    lock_while_checking(monkeypatch)
    response = client.post(create_url(), report_data(photos=[upload(jpeg(640, 480))]))
    assert response.status_code == 302
    assert MonthlyReport.objects.get(project=project(), year=2013, month=6).photos.count() == 1
