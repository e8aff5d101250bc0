"""The copies that leave the tracker, received by real servers: digests by e-mail through a
real SMTP server (aiosmtpd), posts to a local HTTP server standing in for a group robot; a
server that is down means a recorded failure, retried and delivered on the next run."""

import datetime
import io

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from projects.models import Delivery, Notification
from projects.supervision.actions import request_closure
from tests.conftest import run_tasks

from .servers import SmtpServer, free_port

pytestmark = pytest.mark.django_db

THURSDAY = datetime.date(2025, 10, 9)  # two working days before September's due date
OVERDUE = datetime.date(2025, 10, 15)  # the problem due on the 14th is overdue


def send(day):
    out = io.StringIO()
    call_command("send_reminders", "--date", day.isoformat(), stdout=out)
    return out.getvalue()


def test_digests_arrive_by_email(world, smtp):
    send(THURSDAY)
    (liaison_mail,) = smtp.mailbox.to("liaison@jf.test")
    assert liaison_mail["To"] == "liaison@jf.test"
    # Django folds the encoded subject onto the next line; unfolded, it reads:
    assert liaison_mail["Subject"].strip() == "重点项目提醒：2025年10月9日（星期四） 待办 1 项"
    body = liaison_mail.get_content()
    assert body.startswith("小李：")
    assert "JF-001 翰林国际旅游度假区：2025年9月进展须于2025年10月11日（星期六）前填报。" in body
    assert "唐人中心" not in body
    (lead_mail,) = smtp.mailbox.to("lead@jf.test")
    assert "翰林国际旅游度假区" in lead_mail.get_content()
    # The unit's contacts have nothing on Thursday; nobody got two copies.
    assert len(smtp.mailbox.messages) == 2
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.SENT}


def test_a_link_to_the_tracker_ends_the_mail_when_the_site_address_is_set(world, smtp, settings):
    settings.JIEFANG_SITE_URL = "http://xm.jiefang.example"
    send(THURSDAY)
    (mail,) = smtp.mailbox.to("liaison@jf.test")
    body = mail.get_content().replace("\r\n", "\n")  # SMTP ends lines with CRLF
    # Each line with the address that opens the report form on its month, then the inbox.
    form = f"http://xm.jiefang.example/projects/{world.late.pk}/reports/new/?year=2025&month=9"
    assert f"前填报。\n  {form}\n" in body
    assert "请登录重点项目跟踪系统办理：http://xm.jiefang.example/notifications/" in body


def test_no_email_while_email_host_is_unset(world, settings):
    settings.EMAIL_HOST = ""
    send(THURSDAY)
    assert Notification.objects.filter(recipient=world.liaison).exists()  # in the tracker
    assert not Delivery.objects.exists()


def test_a_mail_server_that_is_down_fails_the_send_and_the_next_run_delivers(world, settings):
    port = free_port()  # nothing listens here yet
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 3
    output = send(THURSDAY)
    assert "失败 2 份" in output
    failed = Delivery.objects.get(address="liaison@jf.test")
    assert failed.status == Delivery.Status.FAILED and failed.attempts == 1
    assert "ConnectionRefusedError" in failed.error
    # The digest itself is recorded: the next run does not make a new one, only resends.
    server = SmtpServer(port).start()
    try:
        send(THURSDAY)
        send(THURSDAY)  # and a third run sends nothing more
    finally:
        server.stop()
    failed.refresh_from_db()
    assert failed.status == Delivery.Status.SENT and failed.attempts == 2 and failed.error == ""
    assert len(server.mailbox.to("liaison@jf.test")) == 1
    assert Notification.objects.filter(recipient=world.liaison).count() == 1


def test_group_robots_receive_the_json_that_wecom_and_dingtalk_accept(world, robot, settings):
    settings.EMAIL_HOST = ""
    world.official.webhook_url = f"{robot.url}/cgi-bin/webhook/send?key=lead"
    world.official.save()
    world.unit.webhook_url = f"{robot.url}/robot/send?access_token=unit"
    world.unit.save()
    send(OVERDUE)
    posts = {path: (content_type, body) for path, content_type, body in robot.posts}
    # The unit has two contacts with the same digest: its group gets it once.
    assert len(robot.posts) == 2
    content_type, body = posts["/cgi-bin/webhook/send?key=lead"]
    assert content_type == "application/json; charset=utf-8"
    assert set(body) == {"msgtype", "text"} and body["msgtype"] == "text"
    # The lead had not been told of the late report: it comes in the same digest.
    assert body["text"]["content"].startswith("重点项目提醒：2025年10月15日（星期三） 待办 2 项")
    assert "已逾期4天未报（联络员：小李）" in body["text"]["content"]
    assert (
        "【提醒】翰林国际旅游度假区：“商户过渡安置场地不足”（焦北街道办事处）"
        in (body["text"]["content"])
    )
    _content_type, body = posts["/robot/send?access_token=unit"]
    assert "已逾期1天" in body["text"]["content"]


def test_a_robot_that_answers_an_error_is_retried(world, robot, settings):
    settings.EMAIL_HOST = ""
    world.unit.webhook_url = f"{robot.url}/robot"
    world.unit.save()
    robot.answer = {"errcode": 310000, "errmsg": "keywords not in content"}
    send(OVERDUE)
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.error == "SendError: errcode 310000: keywords not in content"
    robot.answer = {"errcode": 0, "errmsg": "ok"}
    send(OVERDUE)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT and len(robot.posts) == 2


# Two runs at the same moment, in two processes on one database: tests/operations/test_deploy.py
# (test_reminders_go_out_on_schedule_beside_two_servers), on SQLite and on PostgreSQL.


def test_an_events_copies_are_sent_by_a_worker_at_once(
    world, smtp, django_capture_on_commit_callbacks
):
    """A unit asking to close a problem (an event, not a digest) has a worker send the
    office's mail as soon as the step commits, not at the schedule's next pass."""
    with django_capture_on_commit_callbacks(execute=True):
        request_closure(world.contact, world.problem, "商户已全部过渡安置")
    assert DBTaskResult.objects.count() == 1
    assert smtp.mailbox.to("office@jf.test") == []  # not sent in the request
    run_tasks()
    (mail,) = smtp.mailbox.to("office@jf.test")
    assert "商户已全部过渡安置" in mail.get_content()
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.SENT}
