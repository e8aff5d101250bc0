"""The ways a notification reaches a person, one class each (as healthchecks' transports):
in the tracker, by e-mail through Django's SMTP backend, and to a 企业微信 or 钉钉 group
robot. Each says which copies a notification makes and sends one; its texts are templates
(templates/projects/reminders/messages/). A failure raises SendError, retried a few times
with a growing wait, or PermanentError, which retrying cannot mend and so is not retried."""

import hashlib
import json
import re
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from projects.models import Delivery, Official, Unit
from projects.models.base import person_name

from .posting import RefusedError, post_json


class SendError(Exception):
    """A copy not sent this time; the next run of the schedule tries again."""


class PermanentError(SendError):
    """A copy that no later try can send (a refused address, a robot that does not exist)."""


# What Delivery.error keeps of a failure: a line, whatever the other end answered.
ERROR_LENGTH = 200


def excerpt(text, length=ERROR_LENGTH):
    """A short, printable line of `text` (control characters and runs of blanks become one
    space), for an error that may quote what a server answered."""
    line = " ".join(re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", " ", str(text)).split())
    return line if len(line) <= length else line[: length - 1] + "…"


def fingerprint(*parts):
    return hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()


def tracker_url():
    """Where the person acts on a notification, when JIEFANG_SITE_URL says where that is."""
    if not settings.JIEFANG_SITE_URL:
        return ""
    return settings.JIEFANG_SITE_URL + reverse("projects:notification_list")


class Transport:
    channel = None

    def copies(self, notification):
        """The Delivery rows (unsaved) a new notification makes for this way."""
        raise NotImplementedError

    def send(self, delivery):
        raise NotImplementedError

    def holders(self, delivery):
        """The officials and units whose address the copy went to, which keep its last
        error for the office to see."""
        return Official.objects.none(), Unit.objects.none()


class InApp(Transport):
    """The notification itself, read in the tracker's inbox: no copy to send, and its text
    written from the digest template."""

    def copies(self, notification):
        return []

    @staticmethod
    def compose(sections, subject_values):
        """A digest's subject and body: `sections` a list of (heading, lines, more)."""
        subject = render_to_string(
            "projects/reminders/messages/digest_subject.txt", subject_values
        ).strip()
        body = render_to_string(
            "projects/reminders/messages/digest.txt",
            {"sections": sections, "site_url": settings.JIEFANG_SITE_URL},
        ).strip()
        return subject, body


class Email(Transport):
    channel = Delivery.Channel.EMAIL

    def copies(self, notification):
        person = notification.recipient
        if not (settings.EMAIL_HOST and person.email):
            return []
        return [
            Delivery(
                notification=notification,
                channel=self.channel,
                address=person.email,
                fingerprint=fingerprint("email", person.email, notification.pk),
            )
        ]

    def send(self, delivery):
        notification = delivery.notification
        body = render_to_string(
            "projects/reminders/messages/email.txt",
            {
                "name": person_name(notification.recipient),
                "body": notification.body,
                "url": tracker_url(),
            },
        ).strip()
        try:
            EmailMessage(
                subject=notification.subject,
                body=body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[delivery.address],
            ).send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as error:
            raise PermanentError(error) from error

    def holders(self, delivery):
        return (
            Official.objects.filter(user__email=delivery.address),
            Unit.objects.none(),
        )


class Robot(Transport):
    """A post of the group-robot JSON that 企业微信 and 钉钉 both accept."""

    channel = Delivery.Channel.WEBHOOK

    @staticmethod
    def addresses(user):
        """The group robots that carry a person's reminders: their official's, their units'."""
        urls = []
        official = Official.objects.filter(user=user).exclude(webhook_url="").first()
        if official:
            urls.append(official.webhook_url)
        urls += user.contact_units.exclude(webhook_url="").values_list("webhook_url", flat=True)
        return list(dict.fromkeys(urls))

    @staticmethod
    def text(notification):
        """The post, cut at a line to the robot's limit of bytes, the link to the tracker
        kept."""

        def render(body, cut=False):
            return render_to_string(
                "projects/reminders/messages/robot.txt",
                {
                    "subject": notification.subject,
                    "body": body,
                    "cut": cut,
                    "url": tracker_url(),
                },
            ).strip()

        whole = render(notification.body)
        limit = settings.JIEFANG_WEBHOOK_TEXT_BYTES
        if len(whole.encode()) <= limit:
            return whole
        room = limit - len(render("", cut=True).encode())
        kept = []
        for line in notification.body.split("\n"):
            room -= len(line.encode()) + 1
            if room < 0:
                break
            kept.append(line)
        return render("\n".join(kept), cut=True)

    def copies(self, notification):
        text = self.text(notification)
        return [
            Delivery(
                notification=notification,
                channel=self.channel,
                address=url,
                # Two contacts of one unit: the unit's group gets the day's text once.
                fingerprint=fingerprint("webhook", url, notification.date, text),
            )
            for url in self.addresses(notification.recipient)
        ]

    def send(self, delivery):
        body = json.dumps(
            {"msgtype": "text", "text": {"content": self.text(delivery.notification)}},
            ensure_ascii=False,
        ).encode()
        try:
            answer = post_json(delivery.address, body)
        except RefusedError as error:
            raise PermanentError(error) from error
        try:
            result = json.loads(answer or b"{}")
        except ValueError:
            result = {}
        if isinstance(result, dict) and result.get("errcode", 0) != 0:
            raise SendError(
                excerpt(f"errcode {result.get('errcode')}: {result.get('errmsg', '')}", 120)
            )

    def holders(self, delivery):
        return (
            Official.objects.filter(webhook_url=delivery.address),
            Unit.objects.filter(webhook_url=delivery.address),
        )


TRANSPORTS = {transport.channel: transport for transport in (Email(), Robot())}
