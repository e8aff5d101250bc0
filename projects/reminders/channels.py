"""The copies of a notification that leave the tracker (transports.py says how each way
sends one). Each copy is a Delivery row: claimed by one run at a time, marked sent, or kept
with its error and tried again by a later run — a few times, waiting longer each time — or
given up at once when no try can mend it."""

import datetime
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from projects.models import Delivery

from .transports import TRANSPORTS, PermanentError, excerpt

# A copy claimed by a run that died is free again after this long at least (see claim_lifetime).
STALE_CLAIM = datetime.timedelta(minutes=10)


def claim_lifetime():
    """How long a claim holds: longer than any send can run, so that a second run never takes
    a copy whose send is still going. A post to a robot is cut at JIEFANG_WEBHOOK_TIMEOUT; a
    mail goes to the office's own SMTP server, with EMAIL_TIMEOUT on each exchange."""
    longest = datetime.timedelta(seconds=settings.JIEFANG_WEBHOOK_TIMEOUT + 60)
    return max(STALE_CLAIM, longest)


def retry_after(attempts):
    """How long a copy that failed `attempts` times waits before the next try: none before
    the second (the next run of the schedule), then JIEFANG_DELIVERY_RETRY_MINUTES, three,
    seven times that… (base × (2ⁿ⁻¹ − 1))."""
    minutes = settings.JIEFANG_DELIVERY_RETRY_MINUTES * (2 ** (attempts - 1) - 1)
    return datetime.timedelta(minutes=minutes)


def queue(notification, at_once=False):
    """Record the copies a new notification is to be sent as, by each transport; `at_once`
    (an event, not the pass's digests, which the pass sends itself) has a worker send them
    once the notification commits, rather than the next pass of the schedule."""
    copies = [copy for transport in TRANSPORTS.values() for copy in transport.copies(notification)]
    Delivery.objects.bulk_create(copies, ignore_conflicts=True)
    if copies and at_once:
        transaction.on_commit(partial(send_copies.enqueue, notification.pk))


@task()
def send_copies(notification_id: int) -> list[int]:
    """The task: send a notification's copies that no run holds; [sent, failed]. A copy that
    fails is kept and tried again by the passes of `send_reminders`, as any other."""
    waiting = Delivery.objects.filter(claimable(timezone.now()), notification_id=notification_id)
    return list(deliver(waiting.order_by("pk")))


def keep_error(delivery, error):
    """The last error of a copy, kept on the officials and units it went to for the office
    to see (cleared by the next copy that goes through)."""
    officials, units = TRANSPORTS[delivery.channel].holders(delivery)
    stamp = timezone.now() if error else None
    for holders in (officials, units):
        holders.update(delivery_error=error, delivery_error_at=stamp)


def error_text(error):
    """What a copy keeps of its failure: the first cause's name and words, in a line. (Only
    the text: the exception would keep the failed exchange, and its socket, alive.)"""
    cause = error.__cause__ if isinstance(error, PermanentError) and error.__cause__ else error
    return excerpt(f"{type(cause).__name__}: {cause}")


def claimable(now):
    waiting = Q(status=Delivery.Status.PENDING) | Q(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        status=Delivery.Status.FAILED,
    )
    return waiting | Q(status=Delivery.Status.SENDING, claimed_at__lt=now - claim_lifetime())


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
            TRANSPORTS[delivery.channel].send(delivery)
        except Exception as error:  # noqa: BLE001 - any failure is recorded
            cause = (
                error.__cause__ if isinstance(error, PermanentError) and error.__cause__ else error
            )
            text = excerpt(f"{type(cause).__name__}: {cause}")
            last = isinstance(error, PermanentError) or (
                delivery.attempts >= settings.JIEFANG_DELIVERY_ATTEMPTS
            )
            mine.update(
                status=Delivery.Status.GAVE_UP if last else Delivery.Status.FAILED,
                error=text,
                next_attempt_at=None if last else now + retry_after(delivery.attempts),
            )
            keep_error(delivery, text)
            failed += 1
        else:
            mine.update(status=Delivery.Status.SENT, sent_at=timezone.now(), error="")
            keep_error(delivery, "")
            sent += 1
    return sent, failed


def deliver_pending():
    """Every copy waiting, failed before and due a new try, or claimed by a run that died."""
    return deliver(Delivery.objects.filter(claimable(timezone.now())).order_by("pk"))
