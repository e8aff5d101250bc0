"""The copies of a notification that leave the tracker: e-mail through Django's SMTP backend
and posts to 企业微信 or 钉钉 group robots. Each copy is a Delivery row: claimed by one run
at a time, marked sent, or kept with its error and tried again on the next run."""

import datetime
import hashlib
import json
import re

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.models import Delivery, Official
from projects.models.base import person_name

from .posting import post_json

# A copy claimed by a run that died is free again after this long at least (see claim_lifetime).
STALE_CLAIM = datetime.timedelta(minutes=10)
# What Delivery.error keeps of a failure: a line, whatever the other end answered.
ERROR_LENGTH = 200


class SendError(Exception):
    pass


def excerpt(text, length=ERROR_LENGTH):
    """A short, printable line of `text` (control characters and runs of blanks become one
    space), for an error that may quote what a server answered."""
    line = " ".join(re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", " ", str(text)).split())
    return line if len(line) <= length else line[: length - 1] + "…"


def claim_lifetime():
    """How long a claim holds: longer than any send can run, so that a second run never takes
    a copy whose send is still going. A post to a robot is cut at JIEFANG_WEBHOOK_TIMEOUT; a
    mail goes to the office's own SMTP server, with EMAIL_TIMEOUT on each exchange."""
    longest = datetime.timedelta(seconds=settings.JIEFANG_WEBHOOK_TIMEOUT + 60)
    return max(STALE_CLAIM, longest)


def fingerprint(*parts):
    return hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()


def site_link():
    """The line that ends a copy: where to act on it."""
    if not settings.JIEFANG_SITE_URL:
        return ""
    url = settings.JIEFANG_SITE_URL + reverse("projects:notification_list")
    return "\n\n" + _("Open the tracker: %(url)s") % {"url": url}


def webhook_urls(user):
    """The group robots that carry a person's reminders: their official's, their units'."""
    urls = []
    official = Official.objects.filter(user=user).exclude(webhook_url="").first()
    if official:
        urls.append(official.webhook_url)
    urls += user.contact_units.exclude(webhook_url="").values_list("webhook_url", flat=True)
    return list(dict.fromkeys(urls))


def robot_text(notification):
    """The post to a group robot, cut at a line to the robot's limit of bytes, the link to
    the tracker kept."""
    head, link = f"{notification.subject}\n\n", site_link()
    limit = settings.JIEFANG_WEBHOOK_TEXT_BYTES
    text = f"{head}{notification.body}{link}"
    if len(text.encode()) <= limit:
        return text
    cut = "\n" + _("…(the rest in the tracker)")
    room = limit - len(f"{head}{cut}{link}".encode())
    kept = []
    for line in notification.body.split("\n"):
        room -= len(line.encode()) + 1
        if room < 0:
            break
        kept.append(line)
    return head + "\n".join(kept) + cut + link


def queue(notification):
    """Record the copies a new notification is to be sent as."""
    person = notification.recipient
    copies = []
    if settings.EMAIL_HOST and person.email:
        copies.append(
            Delivery(
                notification=notification,
                channel=Delivery.Channel.EMAIL,
                address=person.email,
                fingerprint=fingerprint("email", person.email, notification.pk),
            )
        )
    text = robot_text(notification)
    for url in webhook_urls(person):
        copies.append(
            Delivery(
                notification=notification,
                channel=Delivery.Channel.WEBHOOK,
                address=url,
                # Two contacts of one unit: the unit's group gets the day's text once.
                fingerprint=fingerprint("webhook", url, notification.date, text),
            )
        )
    Delivery.objects.bulk_create(copies, ignore_conflicts=True)


def send_email(delivery):
    notification = delivery.notification
    greeting = _("%(name)s:") % {"name": person_name(notification.recipient)}
    EmailMessage(
        subject=notification.subject,
        body=f"{greeting}\n\n{notification.body}{site_link()}",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[delivery.address],
    ).send(fail_silently=False)


def send_webhook(delivery):
    """POST the group-robot JSON that 企业微信 and 钉钉 both accept."""
    body = json.dumps(
        {"msgtype": "text", "text": {"content": robot_text(delivery.notification)}},
        ensure_ascii=False,
    ).encode()
    answer = post_json(delivery.address, body)
    try:
        result = json.loads(answer or b"{}")
    except ValueError:
        result = {}
    if isinstance(result, dict) and result.get("errcode", 0) != 0:
        raise SendError(
            excerpt(f"errcode {result.get('errcode')}: {result.get('errmsg', '')}", 120)
        )


SENDERS = {Delivery.Channel.EMAIL: send_email, Delivery.Channel.WEBHOOK: send_webhook}


def claimable(now):
    return Q(status__in=[Delivery.Status.PENDING, Delivery.Status.FAILED]) | Q(
        status=Delivery.Status.SENDING, claimed_at__lt=now - claim_lifetime()
    )


def deliver(deliveries):
    """Send each copy that no other run holds. Returns (sent, failed)."""
    sent = failed = 0
    for pk in list(deliveries.values_list("pk", flat=True)):
        now = timezone.now()
        # The claim is one conditional UPDATE: of two runs at once, one gets the row.
        claimed = (
            Delivery.objects.filter(claimable(now), pk=pk).update(
                status=Delivery.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
            )
            == 1
        )
        if not claimed:
            continue
        delivery = Delivery.objects.select_related("notification__recipient").get(pk=pk)
        mine = Delivery.objects.filter(pk=pk, status=Delivery.Status.SENDING, claimed_at=now)
        try:
            SENDERS[delivery.channel](delivery)
        except Exception as error:  # noqa: BLE001 - any failure is recorded and retried
            mine.update(
                status=Delivery.Status.FAILED, error=excerpt(f"{type(error).__name__}: {error}")
            )
            failed += 1
        else:
            mine.update(status=Delivery.Status.SENT, sent_at=timezone.now(), error="")
            sent += 1
    return sent, failed


def deliver_pending():
    """Every copy waiting, failed before, or claimed by a run that died."""
    return deliver(Delivery.objects.filter(claimable(timezone.now())).order_by("pk"))
