"""报送 and 退回 between two districts and their city (setup_demo --city, May 2013): a district
submits its month once its meeting is held and its reports lock; the city accepts it or
returns it with a reason, and the district's office hears of each step."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from projects.models import (
    Meeting,
    MonthLock,
    MonthlyReport,
    Notification,
    Project,
    Region,
    RegionSubmission,
)
from tests.conftest import setup_demo

pytestmark = pytest.mark.django_db

MAY = {"year": 2013, "month": 5}
ONE_DAY = datetime.timedelta(days=1)


@pytest.fixture
def city(db):
    setup_demo(year=2013, city=True)


def as_user(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def submit(client):
    return client.post(reverse("projects:submission_submit"), MAY, follow=True)


def shanyang_may():
    return RegionSubmission.objects.get(region__code="410811", **MAY)


def test_a_district_submits_its_month_and_its_reports_lock(client, city):
    """山阳区 submits May: its month locks (a lock of its own), and the city's office hears of
    it, not its sibling's."""
    response = submit(as_user(client, "shanyang"))
    assert "2013年5月已报送" in response.content.decode()
    submission = shanyang_may()
    assert submission.state == "submitted"
    assert submission.submitted_by.username == "shanyang"
    assert MonthLock.on(2013, 5, Region.objects.get(code="410811")).exists()
    report = MonthlyReport.objects.filter(project__code="SY2013-001", **MAY).get()
    assert report.is_locked
    # Each district's month has its own lock (解放区's from its accepted submission).
    assert list(
        MonthLock.objects.order_by("region__code").values_list("region__code", flat=True)
    ) == [
        "410802",
        "410811",
    ]
    told = Notification.objects.filter(recipient__username="jiaozuo").get()
    assert "山阳区" in told.subject
    assert not Notification.objects.filter(recipient__username="office").exists()
    client = as_user(client, "shanyang")
    # Twice is refused, and nothing changes.
    response = submit(client)
    assert "该月已报送" in response.content.decode()
    assert RegionSubmission.history.filter(id=submission.pk).count() == 1


def test_no_submission_before_the_meeting_is_held(client, city):
    """Before its meeting of the month is held, a district cannot submit it."""
    Meeting.objects.filter(region__code="410811").update(date=timezone.localdate() + ONE_DAY)
    response = submit(as_user(client, "shanyang"))
    assert "例会尚未召开" in response.content.decode()
    assert not RegionSubmission.objects.filter(region__code="410811").exists()
    assert not MonthLock.objects.filter(region__code="410811").exists()


def test_the_city_accepts_a_month(client, city):
    submit(as_user(client, "shanyang"))
    submission = shanyang_may()
    as_user(client, "jiaozuo").post(reverse("projects:submission_accept", args=[submission.pk]))
    submission.refresh_from_db()
    assert submission.state == "accepted"
    assert submission.decided_by.username == "jiaozuo"
    assert Notification.objects.filter(recipient__username="shanyang").count() == 1
    # Accepted, it stays locked: the district cannot unlock it from its meeting.
    meeting = Meeting.objects.get(region__code="410811")
    as_user(client, "shanyang").post(
        reverse("projects:meeting_lock", args=[meeting.pk]), {"action": "unlock"}
    )
    assert MonthLock.on(2013, 5, meeting.region).exists()


def test_the_city_returns_a_month_with_its_reason(client, city):
    """退回: the reason is kept, the month unlocks, the district's office is told why, and the
    district can submit again; every step stays in the history."""
    submit(as_user(client, "shanyang"))
    submission = shanyang_may()
    url = reverse("projects:submission_return", args=[submission.pk])
    city_office = as_user(client, "jiaozuo")
    response = city_office.post(url, {"reason": "  "}, follow=True)
    assert "请说明退回理由" in response.content.decode()
    submission.refresh_from_db()
    assert submission.state == "submitted"
    city_office.post(url, {"reason": "SY2013-005投资数据有误,请核实"})
    submission.refresh_from_db()
    assert (submission.state, submission.reason) == ("returned", "SY2013-005投资数据有误,请核实")
    assert not MonthLock.objects.filter(region__code="410811").exists()
    told = Notification.objects.get(recipient__username="shanyang")
    assert "投资数据有误" in told.items.get().text
    submit(as_user(client, "shanyang"))
    submission.refresh_from_db()
    assert submission.state == "submitted" and submission.reason == ""
    assert [h.state for h in submission.history.order_by("history_date")] == [
        "submitted",
        "returned",
        "submitted",
    ]


def test_only_the_level_above_decides(client, city):
    """A district cannot accept its own month (403), nor see its sibling's (404)."""
    submit(as_user(client, "shanyang"))
    submission = shanyang_may()
    accept = reverse("projects:submission_accept", args=[submission.pk])
    assert as_user(client, "shanyang").post(accept).status_code == 403
    assert as_user(client, "office").post(accept).status_code == 404
    submission.refresh_from_db()
    assert submission.state == "submitted"


def test_the_city_sees_every_district_submitted_or_not(client, city):
    """报送情况 of the city: both districts, 解放区 accepted (the demo's story), 山阳区 not yet
    submitted and late, then submitted."""
    city_office = as_user(client, "jiaozuo")
    response = city_office.get(reverse("projects:submissions"), MAY)
    rows = {row["region"].name: row for row in response.context["rows"]}
    assert set(rows) == {"解放区", "山阳区"}
    assert rows["解放区"]["submission"].state == "accepted"
    assert rows["山阳区"]["submission"] is None
    assert rows["山阳区"]["days_late"] > 0  # May 2013 was due in June 2013
    assert "未报送" in response.content.decode()
    submit(as_user(client, "shanyang"))
    response = as_user(client, "jiaozuo").get(reverse("projects:submissions"), MAY)
    rows = {row["region"].name: row for row in response.context["rows"]}
    assert rows["山阳区"]["submission"].state == "submitted"
    # A district's office sees its own row only.
    response = as_user(client, "office").get(reverse("projects:submissions"), MAY)
    assert [row["region"].name for row in response.context["rows"]] == ["解放区"]
    assert Project.objects.count() == 22


def bulletin_text(client):
    import io

    import docx

    response = client.get(reverse("projects:bulletin_docx"), MAY)
    assert response.status_code == 200
    return "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)


def test_a_submitted_month_freezes_the_districts_meeting_only(client, city):
    """报送 locks 山阳区's May and so holds its meeting: its packet, minutes and 通报 are frozen
    as they stand; 解放区's meetings are untouched, and each district's 通报 is its own."""
    jiefang_before = set(
        Meeting.objects.filter(region__code="410802", snapshots__isnull=False).values_list(
            "pk", flat=True
        )
    )
    submit(as_user(client, "shanyang"))
    meeting = Meeting.objects.get(region__code="410811", **MAY)
    snapshot = meeting.snapshots.get()
    assert snapshot.bulletin["district"] == "山阳区"
    assert "山阳区" in snapshot.packet
    assert (
        set(
            Meeting.objects.filter(region__code="410802", snapshots__isnull=False).values_list(
                "pk", flat=True
            )
        )
        == jiefang_before
    )
    # A later change does not reach 山阳区's frozen 通报.
    report = MonthlyReport.objects.filter(project__code="SY2013-001", **MAY).get()
    MonthlyReport.objects.filter(pk=report.pk).update(amount=report.amount + 1000)
    shanyang = bulletin_text(as_user(client, "shanyang"))
    assert "山阳区" in shanyang and "解放区" not in shanyang
    jiefang = bulletin_text(as_user(client, "office"))
    assert "解放区" in jiefang and "山阳区" not in jiefang


def chase(client, code="410811"):
    return client.post(reverse("projects:submission_chase"), {"region": code, **MAY}, follow=True)


def test_the_city_reminds_a_district_that_has_not_submitted(client, city):
    """催报: the city's office reminds 山阳区's office to submit May, once a day; 解放区's
    office cannot chase its sibling, and a submitted month is not chased."""
    page = as_user(client, "jiaozuo").get(reverse("projects:submissions"), MAY)
    assert "提醒山阳区" in page.content.decode()
    response = chase(client)
    assert "已提醒山阳区" in response.content.decode()
    told = Notification.objects.get(recipient__username="shanyang")
    assert "山阳区" in told.subject and "2013年5月" in told.subject
    assert told.items.get().url == reverse("projects:submissions") + "?year=2013&month=5"
    # Twice the same day: refused, nothing new.
    assert "今天已" in chase(client).content.decode()
    assert Notification.objects.filter(recipient__username="shanyang").count() == 1
    # A sibling district's office cannot chase it (404), and nothing is sent.
    assert (
        as_user(client, "office")
        .post(reverse("projects:submission_chase"), {"region": "410811", **MAY})
        .status_code
        == 404
    )
    # Once submitted, the month is not chased.
    submit(as_user(client, "shanyang"))
    assert "已报送" in chase(as_user(client, "jiaozuo")).content.decode()
    assert Notification.objects.filter(recipient__username="shanyang").count() == 1
