"""A problem's steps reach the other side: a request for closure (申请销号) the project office,
a request sent back (退回) or a problem closed (销号) those who answer for it — in the bell, by
mail and to the unit's group robot — and 我的问题 marks a returned problem with the reason."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from projects.models import Notification, Problem, Unit
from projects.reminders.channels import deliver_pending

pytestmark = pytest.mark.django_db

MINE = "商户过渡安置场地不足"  # 焦北街道办事处's, on 陈立新's JF2013-003


def problem():
    return Problem.objects.get(description=MINE)


def login(client, username):
    client.force_login(User.objects.get(username=username))


def bell(username):
    return list(
        Notification.objects.filter(recipient__username=username, source="event").order_by("pk")
    )


def test_each_step_reaches_the_other_side_in_the_bell_by_mail_and_to_the_robot(
    client, demo_users, smtp, robot
):
    User.objects.filter(username="jiaobei").update(email="jiaobei@example.org")
    User.objects.filter(username="office").update(email="office@example.org")
    Unit.objects.filter(name="焦北街道办事处").update(webhook_url=robot.url)
    item = problem()

    login(client, "jiaobei")
    client.post(
        reverse("projects:problem_answer", args=[item.pk]),
        {"kind": "closure_requested", "note": "商户已全部过渡安置"},
    )
    # The office gets a bell entry for the request; the unit itself does not.
    (asked,) = bell("office")
    assert "申请销号" in asked.subject and "商户已全部过渡安置" in asked.body
    assert bell("jiaobei") == []

    login(client, "office")
    client.post(reverse("projects:problem_return", args=[item.pk]), {"reason": "请附安置协议"})
    (returned,) = bell("jiaobei")
    assert "退回" in returned.subject and "请附安置协议" in returned.body
    # The lead official of the project hears of it too.
    assert len(bell("chenlixin")) == 1
    # 我的问题 marks it 已退回 with the reason.
    login(client, "jiaobei")
    html = client.get(reverse("projects:my_problems")).content.decode()
    assert "<strong>已退回</strong>：请附安置协议" in html
    # Following the line opens the problem and marks it read.
    line = returned.items.get()
    opened = client.get(reverse("projects:notification_open", args=[returned.pk, line.pk]))
    assert opened.url == item.get_absolute_url()

    client.post(
        reverse("projects:problem_answer", args=[item.pk]),
        {"kind": "closure_requested", "note": "已补充安置协议"},
    )
    login(client, "office")
    item = problem()
    client.post(
        reverse("projects:problem_close", args=[item.pk]),
        {"closing_note": "安置协议已签，同意销号", "loaded_version": item.version},
    )
    closed = bell("jiaobei")[-1]
    assert "销号" in closed.subject and "安置协议已签" in closed.body
    assert len(bell("office")) == 2  # one per request

    # The copies go out on the next pass: mail to the contact, a post to the unit's robot.
    sent, failed = deliver_pending()
    assert failed == 0 and sent >= 3
    subjects = [message["Subject"] for message in smtp.mailbox.to("jiaobei@example.org")]
    assert any("退回" in subject for subject in subjects)
    assert any("销号" in subject and "退回" not in subject for subject in subjects)
    assert smtp.mailbox.to("office@example.org")
    posted = " ".join(str(body) for _path, _type, body in robot.posts)
    assert "请附安置协议" in posted and "安置协议已签" in posted
