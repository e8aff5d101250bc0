"""Each way out is a transport that knows a failure it cannot mend: a robot that answers 404
or an address the rules refuse is given up at once; a robot that is down is tried again a
few times, waiting longer each time, then given up. The last error stays on the unit or the
official, where the office sees it, until a copy goes through."""

import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from projects.models import Delivery, Official, Unit
from projects.reminders.channels import deliver_pending

from .servers import Mailbox, SmtpServer

pytestmark = pytest.mark.django_db

OVERDUE = datetime.date(2025, 10, 15)  # the unit's problem is overdue: its group hears of it
MORNING = datetime.datetime(2025, 10, 15, 8, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


def answer(status):
    def reply(robot, handler):
        handler.send_response(status)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return reply


def unit_robot(world, robot, settings):
    settings.EMAIL_HOST = ""
    Unit.objects.filter(pk=world.unit.pk).update(webhook_url=f"{robot.url}/robot")


def send():
    call_command("send_reminders", "--date", OVERDUE.isoformat(), stdout=io.StringIO())


def test_a_robot_that_is_not_there_is_given_up_and_the_office_sees_why(
    world, robot, settings, admin_client
):
    robot.reply = answer(404)
    unit_robot(world, robot, settings)
    with time_machine.travel(MORNING, tick=False):
        send()
        delivery = Delivery.objects.get()
        assert delivery.status == Delivery.Status.GAVE_UP and delivery.attempts == 1
        assert deliver_pending() == (0, 0)  # not tried again
    assert len(robot.posts) == 1
    unit = Unit.objects.get(pk=world.unit.pk)
    assert "HTTP 404" in unit.delivery_error and unit.delivery_error_at is not None
    page = admin_client.get(reverse("admin:projects_unit_changelist")).content.decode()
    assert "机器人答复 HTTP 404。" in page


def test_a_robot_that_is_down_is_tried_with_growing_waits_then_given_up(world, robot, settings):
    robot.reply = answer(503)
    unit_robot(world, robot, settings)
    settings.JIEFANG_DELIVERY_ATTEMPTS = 4
    with time_machine.travel(MORNING, tick=False) as clock:
        send()  # the first try
        assert deliver_pending() == (0, 1)  # the second comes with the next run
        delivery = Delivery.objects.get()
        assert delivery.status == Delivery.Status.FAILED and delivery.attempts == 2
        assert delivery.next_attempt_at == MORNING + datetime.timedelta(minutes=10)
        clock.shift(datetime.timedelta(minutes=9))
        assert deliver_pending() == (0, 0)  # still waiting
        clock.shift(datetime.timedelta(minutes=1))
        assert deliver_pending() == (0, 1)  # the third, 10 minutes on
        delivery.refresh_from_db()
        assert delivery.next_attempt_at - MORNING == datetime.timedelta(minutes=10 + 30)
        clock.shift(datetime.timedelta(minutes=30))
        assert deliver_pending() == (0, 1)  # the fourth and last
        delivery.refresh_from_db()
        assert delivery.status == Delivery.Status.GAVE_UP and delivery.attempts == 4
        clock.shift(datetime.timedelta(days=1))
        assert deliver_pending() == (0, 0)
    assert len(robot.posts) == 4


def test_a_copy_that_goes_through_clears_the_units_error(world, robot, settings):
    robot.reply = answer(503)
    unit_robot(world, robot, settings)
    with time_machine.travel(MORNING, tick=False):
        send()
        assert Unit.objects.get(pk=world.unit.pk).delivery_error
        robot.reply = None
        assert deliver_pending() == (1, 0)
    unit = Unit.objects.get(pk=world.unit.pk)
    assert unit.delivery_error == "" and unit.delivery_error_at is None


class Refusing(Mailbox):
    """A mail server that has no mailbox for the lead official."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == "lead@jf.test":
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def test_an_address_the_mail_server_refuses_is_given_up_and_kept_on_the_official(world, settings):
    server = SmtpServer()
    server.mailbox = Refusing()
    server.controller.handler = server.mailbox
    server.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        with time_machine.travel(MORNING, tick=False):
            send()
    finally:
        server.stop()
    refused = Delivery.objects.get(address="lead@jf.test")
    assert refused.status == Delivery.Status.GAVE_UP
    assert "No such user" in refused.error
    assert "No such user" in Official.objects.get(pk=world.official.pk).delivery_error
    sent = Delivery.objects.exclude(address="lead@jf.test").filter(channel="email")
    assert sent and all(copy.status == Delivery.Status.SENT for copy in sent)


def test_the_messages_are_written_from_templates(world, robot, settings):
    settings.JIEFANG_SITE_URL = "https://xm.jiefang.gov.cn"
    unit_robot(world, robot, settings)
    with time_machine.travel(MORNING, tick=False):
        send()
    content = robot.posts[0][2]["text"]["content"]
    subject, _blank, rest = content.partition("\n\n")
    assert subject.startswith("重点项目提醒：")
    assert rest.startswith("【")
    assert content.endswith("https://xm.jiefang.gov.cn" + reverse("projects:notification_list"))
