"""A digest of many reminders stays a message a person reads and a robot accepts: its first
JIEFANG_DIGEST_LINES lines, then "等N项" with the page that lists them all; the inbox shows a
notification's first lines and opens the whole of it a page at a time."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import Notification, Problem
from projects.reminders.channels import deliver_pending
from projects.reminders.schedule import run

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 12, 15)


def overdue(world, count):
    """`count` problems of the unit past their deadline by 60 days and more (督办), the
    oldest deadline last created."""
    Problem.objects.bulk_create(
        Problem(
            project=world.late,
            description=f"问题{number:03d}",
            responsible_unit=world.unit,
            deadline=TODAY - datetime.timedelta(days=60 + number),
        )
        for number in range(count)
    )


@pytest.fixture
def today():
    moment = datetime.datetime(2025, 12, 15, 9, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(moment, tick=False):
        yield


def test_a_long_digest_lists_the_most_overdue_and_counts_the_rest(world, settings, today):
    settings.JIEFANG_SITE_URL = "https://xm.jiefang.gov.cn"
    overdue(world, 45)
    run(TODAY, deliver=False)
    digest = Notification.objects.get(recipient=world.office)
    lines = [line for line in digest.body.splitlines() if line.startswith("· ")]
    shown = [line for line in lines if "督办" in line]
    assert len(shown) == 20
    # The most overdue first: 问题044 is 104 days past its deadline, 问题043 103 days.
    assert "问题044" in shown[0] and "问题043" in shown[1]
    assert (
        "· 等26项：https://xm.jiefang.gov.cn" + reverse("projects:problem_list") + "?state=overdue"
    ) in digest.body
    # Every reminder is recorded all the same (none is sent again tomorrow).
    assert digest.items.count() == 46  # the 45 督办 and the office's … original problem
    assert str(46) in digest.subject


def test_a_short_digest_is_written_out_whole(world, today):
    overdue(world, 3)
    run(TODAY, deliver=False)
    digest = Notification.objects.get(recipient=world.office)
    assert "等" not in digest.body
    assert sum("“问题0" in line for line in digest.body.splitlines()) == 3


def test_a_robot_gets_the_digest_cut_to_its_limit_with_the_link(world, robot, settings, today):
    settings.JIEFANG_SITE_URL = "https://xm.jiefang.gov.cn"
    settings.JIEFANG_DIGEST_LINES = 200  # more than a robot takes: the cut is the robot's
    world.unit.webhook_url = f"{robot.url}/cgi-bin/webhook/send?key=unit"
    world.unit.save()
    overdue(world, 120)
    run(TODAY)
    assert len(robot.posts) == 1
    content = robot.posts[0][2]["text"]["content"]
    assert len(content.encode()) <= 2048
    assert content.endswith("https://xm.jiefang.gov.cn" + reverse("projects:notification_list"))
    assert "…（其余见系统）" in content
    assert deliver_pending() == (0, 0)  # the post was accepted: nothing waits to be retried


def test_the_inbox_shows_the_first_lines_and_opens_the_rest(client, world, today):
    overdue(world, 70)
    run(TODAY, deliver=False)
    digest = Notification.objects.get(recipient=world.office)
    client.force_login(world.office)
    html = client.get(reverse("projects:notification_list")).content.decode()
    assert html.count("问题0") == 20
    everything = reverse("projects:notification_detail", args=[digest.pk])
    assert f'href="{everything}"' in html and "查看全部71项" in html
    first = client.get(everything).content.decode()
    assert first.count("问题0") == 50
    second = client.get(everything + "?page=2").content.decode()
    assert second.count("问题0") == 20
    digest.refresh_from_db()
    assert digest.read_at is not None  # opening it is reading it


def test_anothers_notification_is_not_found(client, world, today):
    overdue(world, 1)
    run(TODAY, deliver=False)
    theirs = Notification.objects.get(recipient=world.office)
    client.force_login(world.contact)
    response = client.get(reverse("projects:notification_detail", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_inbox_costs_the_same_queries_for_more_lines(client, world, today):
    client.force_login(world.office)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("projects:notification_list")).status_code == 200
        return len(queries)

    overdue(world, 2)
    run(TODAY, deliver=False)
    few = count()
    Notification.objects.all().delete()
    overdue(world, 80)
    run(TODAY, deliver=False)
    assert count() == few


def test_every_kind_of_reminder_has_a_page_that_lists_it():
    """A digest cut at 等N项 names a page for every kind, 报送 and 退回 included."""
    from projects.models import ReminderItem
    from projects.reminders.schedule import ORDER, kind_page

    for kind in ReminderItem.Kind:
        assert kind in ORDER
        assert kind_page(kind).startswith("/")
