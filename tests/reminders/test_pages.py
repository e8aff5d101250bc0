"""The pages of the reminders: the bell and the inbox, and the office's 填报情况 with its one
action, a reminder sent now."""

import datetime
import time
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import Delivery, Notification, Official, Project, ReminderItem
from projects.reminders.channels import deliver_pending
from projects.reminders.schedule import run
from tests.conftest import report

from .servers import slow

pytestmark = pytest.mark.django_db

MONDAY = datetime.datetime(2025, 10, 13, 9, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
SEPTEMBER = {"year": 2025, "month": 9}


@pytest.fixture
def monday():
    """Monday 13 October 2025: September's reports were due on Saturday the 11th."""
    with time_machine.travel(MONDAY, tick=False):
        yield


def test_the_bell_counts_unread_and_the_inbox_marks_them_read(client, world, monday):
    run(datetime.date(2025, 10, 9), deliver=False)
    run(datetime.date(2025, 10, 10), deliver=False)
    client.force_login(world.lead)
    html = client.get(reverse("projects:notification_list")).content.decode()
    assert '<span class="badge">2</span>' in html
    assert "JF-001 翰林国际旅游度假区：2025年9月进展须于2025年10月11日（星期六）前填报。" in html
    # Each line leads to where it is acted on (the report form on its month, the problem),
    # through a link that marks its notification read.
    items = ReminderItem.objects.filter(recipient=world.lead)
    form = reverse("projects:report_create", args=[world.late.pk])
    problem = reverse("projects:problem_detail", args=[world.problem.pk])
    assert {f"{form}?year=2025&month=9", problem} <= {item.url for item in items}
    first = Notification.objects.filter(recipient=world.lead).earliest("date")
    item = first.items.first()
    link = reverse("projects:notification_open", args=[first.pk, item.pk])
    assert f'href="{link}"' in html
    assert client.get(link).url == item.url
    html = client.get(reverse("projects:notification_list")).content.decode()
    assert '<span class="badge">1</span>' in html
    client.post(reverse("projects:notification_read_all"))
    html = client.get(reverse("projects:project_list")).content.decode()
    assert 'class="badge"' not in html
    assert not Notification.objects.filter(recipient=world.lead, read_at__isnull=True).exists()


def test_one_cannot_read_or_mark_anothers_notifications(client, world, monday):
    run(datetime.date(2025, 10, 9), deliver=False)
    theirs = Notification.objects.get(recipient=world.liaison)
    client.force_login(world.contact)
    assert (
        "翰林国际旅游度假区"
        not in client.get(reverse("projects:notification_list")).content.decode()
    )
    response = client.post(reverse("projects:notification_read", args=[theirs.pk]))
    assert response.status_code == 404
    item = theirs.items.first()
    link = reverse("projects:notification_open", args=[theirs.pk, item.pk])
    assert client.get(link).status_code == 404
    client.post(reverse("projects:notification_read_all"))
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_report_status_names_who_is_late_and_by_how_many_days(client, world, monday):
    report(world.late, 2025, 9, "10")  # comes in on Monday, two days late
    other = Project.objects.create(
        code="JF-003",
        name="焦运商业中心",
        zone=world.late.zone,
        total_investment=1000,
        status=Project.Status.TO_START,
        lead_official=world.official,
    )
    other.liaisons.add(world.liaison)
    client.force_login(world.office)
    response = client.get(reverse("projects:report_status"), SEPTEMBER)
    html = response.content.decode()
    assert "2025年9月进展填报截止日期：2025-10-11 星期六" in html
    assert "应报项目 3 个：未报 1 个，迟报 1 个。" in html
    rows = {(r.name, str(r.role)): r for r in response.context["reporters"]}
    lead, liaison = rows[("陈立新", "牵头领导")], rows[("小李", "联络员")]
    assert [p.code for p in lead.missing] == ["JF-003"] and lead.reported == 2
    assert lead.days_late == 2 and liaison.days_late == 2
    assert [p.code for p in liaison.missing] == ["JF-003"]
    assert "2 天" in html and "立即催报" in html


def test_the_page_opens_on_the_month_being_collected(client, world, monday):
    client.force_login(world.office)
    response = client.get(reverse("projects:report_status"))
    assert response.context["period"].month == 9 and response.context["period"].year == 2025


def test_a_reminder_sent_now_reaches_the_reporter_once_a_day(client, world, monday, smtp):
    client.force_login(world.office)
    url = reverse("projects:report_status") + "?year=2025&month=9"
    html = client.post(url, {"user": world.liaison.pk}, follow=True).content.decode()
    assert "已向 小李 催报 1 个未报项目（系统内通知，外发 1 份随下一轮提醒发出）。" in html
    assert smtp.mailbox.messages == []  # the page does not wait on the mail server
    deliver_pending()  # the next pass of send_reminders
    (mail,) = smtp.mailbox.to("liaison@jf.test")
    assert "JF-001 翰林国际旅游度假区" in mail.get_content() and "项目办请您尽快填报" in (
        mail.get_content()
    )
    item = ReminderItem.objects.get(recipient=world.liaison)
    assert item.kind == ReminderItem.Kind.CHASE
    html = client.post(url, {"user": world.liaison.pk}, follow=True).content.decode()
    assert "今天已向 小李 催报过。" in html
    assert len(smtp.mailbox.messages) == 1
    # The day's scheduled digest is still its own (a different source).
    run(datetime.date(2025, 10, 13))
    assert Notification.objects.filter(recipient=world.liaison).count() == 1  # nothing due
    assert "2025-10-13" in client.get(url).content.decode()  # last reminded by hand


def test_chasing_a_reporter_does_not_wait_for_a_slow_robot(client, world, monday, robot, settings):
    """立即催报 records the reminder and queues its copies: the page answers at once while the
    robot takes its time, and the next pass of send_reminders posts to it."""
    settings.EMAIL_HOST = ""
    robot.reply = slow(3)
    Official.objects.filter(pk=world.official.pk).update(webhook_url=f"{robot.url}/lead")
    client.force_login(world.office)
    url = reverse("projects:report_status") + "?year=2025&month=9"
    start = time.monotonic()
    html = client.post(url, {"user": world.lead.pk}, follow=True).content.decode()
    assert time.monotonic() - start < 1.5
    assert "已向 陈立新 催报 1 个未报项目（系统内通知，外发 1 份随下一轮提醒发出）。" in html
    assert robot.posts == []
    (delivery,) = Delivery.objects.all()
    assert delivery.status == Delivery.Status.PENDING
    deliver_pending()
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT and len(robot.posts) == 1
    assert "项目办请您尽快填报" in robot.posts[0][2]["text"]["content"]


def test_nothing_to_chase_and_bad_input_change_nothing(client, world, monday):
    client.force_login(world.office)
    url = reverse("projects:report_status") + "?year=2025&month=9"
    html = client.post(url, {"user": world.contact.pk}, follow=True).content.decode()
    assert "王科长 本月没有未报的项目。" in html
    for value in ("", "abc", "²", "999999"):
        assert client.post(url, {"user": value}).status_code == 404
    assert not Notification.objects.exists()


def test_report_status_costs_the_same_queries_for_more_projects(client, world, monday):
    client.force_login(world.office)

    def count():
        client.get(reverse("projects:report_status"), SEPTEMBER)  # the month is in the table
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("projects:report_status"), SEPTEMBER).status_code == 200
        return len(queries)

    few = count()
    for i in range(10):
        project = Project.objects.create(
            code=f"JF-1{i:02d}",
            name=f"项目{i}",
            zone=world.late.zone,
            total_investment=1,
            status=Project.Status.UNDER_CONSTRUCTION,
            lead_official=world.official,
        )
        project.liaisons.add(world.liaison)
    assert count() == few


def test_the_inbox_costs_the_same_queries_for_more_notifications(client, world):
    client.force_login(world.lead)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("projects:notification_list")).status_code == 200
        return len(queries)

    run(datetime.date(2025, 10, 9), deliver=False)
    few = count()
    for day in (10, 13, 15, 21, 28):
        run(datetime.date(2025, 10, day), deliver=False)
    assert Notification.objects.filter(recipient=world.lead).count() == 6
    assert count() == few
