"""The rules on a group robot's webhook: where it may point, when typed and when sent, and the
bounds of one post, tested against real HTTP servers on loopback (tests/reminders/servers.py).
The `robot` fixture lists its own loopback port in the test-only allowance; `unlisted_robot`
does not, so it meets the rules as production does."""

import datetime
import io
import re
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from projects.models import Delivery, Official, Unit

from .servers import Robot, endless, redirect, trickle

pytestmark = pytest.mark.django_db

OVERDUE = datetime.date(2025, 10, 15)  # the unit's problem is overdue: its group hears of it

LOCAL = "群机器人地址不能指向本系统所在的服务器或仅限本机的地址"
INTERNAL = "是内网地址：内网群机器人须先由系统管理员列入 JIEFANG_WEBHOOK_ALLOWED_HOSTS。"
SCHEME = "群机器人地址须以 http：// 或 https：// 开头。"


def send(day=OVERDUE):
    call_command("send_reminders", "--date", day.isoformat(), stdout=io.StringIO())


def unit_robot(world, url, settings):
    """Only the unit's group robot: one copy of the overdue problem's digest goes out."""
    settings.EMAIL_HOST = ""
    Unit.objects.filter(pk=world.unit.pk).update(webhook_url=url)  # as stored, unchecked


def webhook_errors(url):
    try:
        Unit(name="区商务局", webhook_url=url).full_clean()
    except ValidationError as error:
        return error.message_dict.get("webhook_url", [])
    return []


@pytest.mark.parametrize(
    "url, message",
    [
        ("http://127.0.0.1/robot", LOCAL),
        ("http://127.1:8080/robot", LOCAL),
        ("http://[::1]/robot", LOCAL),
        ("http://[::ffff:127.0.0.1]/robot", LOCAL),
        ("http://169.254.169.254/latest/meta-data/", LOCAL),
        ("http://localhost:5432/", LOCAL),
        ("http://0.0.0.0:8000/", LOCAL),
        ("http://224.0.0.1/", LOCAL),
        ("ftp://qyapi.weixin.qq.com/cgi-bin/webhook/send", SCHEME),
        ("http://10.8.1.20/robot/send", INTERNAL),
        ("https://192.168.1.5/robot/send", INTERNAL),
    ],
)
def test_a_webhook_to_the_server_itself_or_inside_the_network_is_refused_when_typed(url, message):
    assert any(message in error for error in webhook_errors(url))


def test_public_robots_are_accepted_and_an_intranet_robot_once_listed(settings):
    assert webhook_errors("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc") == []
    assert webhook_errors("https://oapi.dingtalk.com/robot/send?access_token=abc") == []
    settings.JIEFANG_WEBHOOK_ALLOWED_HOSTS = ["10.8.1.20", "robot.oa.local"]
    assert webhook_errors("http://10.8.1.20/robot/send") == []
    # Listing a host opens the internal ranges to it, never loopback.
    settings.JIEFANG_WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    assert LOCAL in webhook_errors("http://127.0.0.1/robot")[0]
    assert LOCAL in webhook_errors("http://localhost/robot")[0]


def test_the_admin_refuses_a_webhook_to_the_metadata_service(admin_client):
    response = admin_client.post(
        reverse("admin:projects_official_add"),
        {"name": "王副区长", "webhook_url": "http://169.254.169.254/latest/meta-data/"},
    )
    assert response.status_code == 200
    assert LOCAL in response.content.decode()
    assert not Official.objects.exists()


def test_a_name_that_resolves_to_loopback_at_send_time_is_refused(world, unlisted_robot, settings):
    """A name checked when typed may point at the server on the day of the send (DNS
    rebinding): the address it resolves to then is checked, and nothing is posted."""
    settings.JIEFANG_WEBHOOK_ALLOWED_HOSTS = ["localhost"]  # opens internal ranges only
    unit_robot(world, f"http://localhost:{unlisted_robot.port}/robot", settings)
    send()
    delivery = Delivery.objects.get()
    # No later try can mend it: the copy is given up, not tried again.
    assert delivery.status == Delivery.Status.GAVE_UP and delivery.attempts == 1
    assert LOCAL in delivery.error and "localhost" in delivery.error
    assert unlisted_robot.posts == []
    send()
    delivery.refresh_from_db()
    assert delivery.attempts == 1


def test_a_loopback_address_stored_before_the_rules_is_refused_at_send_time(
    world, unlisted_robot, settings
):
    unit_robot(world, f"{unlisted_robot.url}/robot", settings)
    send()
    assert LOCAL in Delivery.objects.get().error
    assert unlisted_robot.posts == []


def test_the_tests_allowance_is_ignored_outside_the_test_suite(world, robot, settings):
    """The setting that lets the tests reach their robots on loopback does nothing unless
    JIEFANG_TESTING is set (and it is never read from the environment)."""
    settings.JIEFANG_TESTING = False
    unit_robot(world, f"{robot.url}/robot", settings)
    send()
    assert LOCAL in Delivery.objects.get().error
    assert robot.posts == []


def test_a_redirect_is_not_followed_and_not_counted_as_sent(world, robot, settings):
    elsewhere = Robot().start()  # an internal service the redirect points at
    try:
        settings.JIEFANG_WEBHOOK_TEST_SERVERS |= {f"127.0.0.1:{elsewhere.port}"}
        robot.reply = redirect(f"{elsewhere.url}/internal/admin")
        unit_robot(world, f"{robot.url}/robot", settings)
        send()
    finally:
        elsewhere.stop()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED and delivery.sent_at is None
    assert "机器人答复 HTTP 302（重定向），不予跟随。" in delivery.error
    assert elsewhere.gets == [] and elsewhere.posts == []


def test_a_trickling_answer_is_cut_at_the_deadline(world, robot, settings):
    """One byte a second never trips a per-read timeout; the post has one deadline."""
    settings.JIEFANG_WEBHOOK_TIMEOUT = 2
    robot.reply = trickle(every=1, length=10)
    unit_robot(world, f"{robot.url}/robot", settings)
    start = time.monotonic()
    send()
    assert time.monotonic() - start < 4
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED
    assert "2 秒内未收到完整答复。" in delivery.error


def test_over_https_the_certificate_is_checked_and_the_deadline_holds(world, tls_robot, settings):
    """A robot over HTTPS whose certificate nobody trusts gets nothing; trusted, it gets the
    post; and a trickling answer over TLS is cut at the deadline too."""
    unit_robot(world, f"{tls_robot.url}/robot", settings)
    send()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED and tls_robot.posts == []
    assert "CERTIFICATE_VERIFY_FAILED" in delivery.error
    tls_robot.trust()
    send()
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT and len(tls_robot.posts) == 1
    settings.JIEFANG_WEBHOOK_TIMEOUT = 2
    tls_robot.reply = trickle(every=1, length=10)
    Delivery.objects.update(status=Delivery.Status.FAILED)
    start = time.monotonic()
    send()
    assert time.monotonic() - start < 4
    assert "2 秒内未收到完整答复。" in Delivery.objects.get().error


@pytest.mark.parametrize("declare", [None, 400 * 2**20])
def test_a_huge_answer_is_cut_at_the_size_cap(world, robot, settings, declare):
    """An answer of 100 MB (announced as 400 MB, or not announced) is not read whole: the
    post stops after 64 KB, and the server cannot write much more before it notices."""
    robot.reply = endless(declare=declare)
    unit_robot(world, f"{robot.url}/robot", settings)
    send()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED
    assert "答复超过 64 KB，未读取。" in delivery.error
    assert robot.done.wait(10)
    assert robot.written < 32 * 2**20


def test_the_error_keeps_only_a_short_clean_excerpt_of_the_answer(world, robot, settings):
    robot.answer = {
        "errcode": 93000,
        "errmsg": "invalid webhook url\r\n\x1b[31mconfig: " + "internal-secret " * 500,
    }
    unit_robot(world, f"{robot.url}/robot", settings)
    send()
    error = Delivery.objects.get().error
    assert error.startswith("SendError: errcode 93000: invalid webhook url [31mconfig: internal")
    assert len(error) <= 200 and error.endswith("…")
    assert not re.search(r"[\x00-\x1f\x7f]", error)


def test_an_internal_service_that_is_not_http_leaves_a_short_clean_error(
    world, robot, smtp, settings
):
    """Posting to a mail server (a stand-in for any service on the network): what it says
    is kept as one short printable line."""
    settings.JIEFANG_WEBHOOK_TEST_SERVERS = {f"127.0.0.1:{smtp.port}"}
    settings.EMAIL_HOST = ""
    unit_robot(world, f"http://127.0.0.1:{smtp.port}/", settings)
    send()
    delivery = Delivery.objects.get(channel=Delivery.Channel.WEBHOOK)
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.error.startswith("BadStatusLine: 220 ")
    assert len(delivery.error) <= 200 and not re.search(r"[\x00-\x1f\x7f]", delivery.error)


def test_a_claim_lasts_longer_than_its_send_may_run(world, robot, settings):
    """A copy is claimed by a run whose post may take 15 minutes (JIEFANG_WEBHOOK_TIMEOUT):
    11 minutes on, that send may still be going, and another run leaves the copy alone; once
    the send must be over (the deadline and a minute), the copy is free again."""
    settings.JIEFANG_WEBHOOK_TIMEOUT = 15 * 60
    unit_robot(world, f"{robot.url}/robot", settings)
    send()
    assert len(robot.posts) == 1
    delivery = Delivery.objects.get()
    for minutes, posts in [(11, 1), (15, 1), (17, 2)]:
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Delivery.Status.SENDING,
            claimed_at=timezone.now() - datetime.timedelta(minutes=minutes),
        )
        send()
        assert len(robot.posts) == posts, minutes
    # With the usual deadline (10 s), a claim holds ten minutes as before.
    settings.JIEFANG_WEBHOOK_TIMEOUT = 10
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.SENDING, claimed_at=timezone.now() - datetime.timedelta(minutes=9)
    )
    send()
    assert len(robot.posts) == 2
