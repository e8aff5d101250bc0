"""报送 and 退回: a district's office sends its month up once its meeting is held (the month
locks for the district), the office above accepts it or returns it with a reason (the month
unlocks). Each step is one transaction, kept in the submission's history, and told to the
other side by the reminder channels (bell, mail, group robot)."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.meetings import record
from projects.models import (
    Meeting,
    MonthLock,
    Notification,
    Region,
    RegionSubmission,
    ReminderItem,
)
from projects.models.base import person_name
from projects.permissions import OFFICE
from projects.progress.period import Period
from projects.progress.workdays import add_working_days
from projects.reminders.schedule import Reminder, notify
from projects.scope import acting_over

Kind = ReminderItem.Kind
State = RegionSubmission.State


class Refused(Exception):
    """The step cannot be taken; the message says why, in words for the page."""


def due_date(period: Period) -> datetime.date:
    """The day a month is due at the level above: the Nth working day of the next month
    (JIEFANG_SUBMISSION_DUE_WORKDAYS, default 5)."""
    try:
        following = period.shifted(1)
    except ValueError:  # December 2100, the calendar's last month: due at its end
        return period.as_of
    last_day_before = datetime.date(following.year, following.month, 1) - datetime.timedelta(1)
    return add_working_days(last_day_before, settings.JIEFANG_SUBMISSION_DUE_WORKDAYS, strict=False)


def offices(region: Region, exactly: bool = False) -> QuerySet[User]:
    """The active office accounts of `region` (exactly), or over it."""
    users = get_user_model().objects.filter(groups__name=OFFICE, is_active=True)
    if exactly:
        return users.filter(profile__region=region).distinct()
    return acting_over(users, region).distinct()


def _tell(
    recipients: QuerySet[User],
    submission: RegionSubmission,
    kind: str,
    subject: str,
    text: str,
    actor: User,
) -> None:
    now = timezone.now()
    for person in recipients.exclude(pk=actor.pk):
        reminder = Reminder(
            person, kind, f"submission:{submission.pk}", f"{now:%Y%m%d%H%M%S%f}", text
        )
        notify(person, [reminder], now.date(), source=Notification.Source.EVENT, subject=subject)


@transaction.atomic
def submit(region: Region, period: Period, user: User) -> RegionSubmission:
    """报送: the district's month goes up; its reports lock. Refused before the month's
    meeting is held, and while it is submitted or accepted."""
    today = timezone.localdate()
    if not Meeting.objects.filter(
        region=region, year=period.year, month=period.month, date__lte=today
    ).exists():
        raise Refused(_("The month's meeting has not been held yet: it cannot be submitted."))
    submission, created = RegionSubmission.objects.select_for_update().get_or_create(
        region=region,
        year=period.year,
        month=period.month,
        defaults={"submitted_by": user},
    )
    if not created:
        if submission.state != State.RETURNED:
            raise Refused(_("This month is already submitted."))
        submission.state = State.SUBMITTED
        submission.submitted_by = user
        submission.submitted_at = timezone.now()
        submission.decided_by = submission.decided_at = None
        submission.reason = ""
        submission.save()
    MonthLock.objects.get_or_create(
        region=region, year=period.year, month=period.month, defaults={"locked_by": user}
    )
    # Its month locked, the district's meetings of it are held: their record is frozen.
    record.freeze_month(region, period.year, period.month, user)
    if region.parent is not None:
        values = {"region": region.name, "period": period.label, "who": person_name(user)}
        _tell(
            offices(region.parent),
            submission,
            Kind.MONTH_SUBMITTED,
            _("%(region)s submitted %(period)s") % values,
            _("%(who)s submitted %(region)s's %(period)s for acceptance.") % values,
            user,
        )
    return submission


def _decide(submission: RegionSubmission, user: User, state: str, reason: str = "") -> None:
    if submission.state != State.SUBMITTED:
        raise Refused(_("Only a submitted month can be accepted or returned."))
    submission.state = state
    submission.decided_by = user
    submission.decided_at = timezone.now()
    submission.reason = reason
    submission.save()


@transaction.atomic
def accept(submission: RegionSubmission, user: User) -> None:
    """The level above accepts the month; the district's office hears of it."""
    _decide(submission, user, State.ACCEPTED)
    values = {"region": submission.region.name, "period": _label(submission)}
    _tell(
        offices(submission.region, exactly=True),
        submission,
        Kind.MONTH_ACCEPTED,
        _("%(period)s accepted") % values,
        _("%(region)s's %(period)s is accepted.") % values,
        user,
    )


@transaction.atomic
def send_back(submission: RegionSubmission, user: User, reason: str) -> None:
    """退回: the month goes back with the reason; it unlocks for the district, whose office
    hears of it."""
    reason = reason.strip()
    if not reason:
        raise Refused(_("Say why the month is returned."))
    _decide(submission, user, State.RETURNED, reason)
    MonthLock.on(submission.year, submission.month, submission.region).delete()
    values = {"region": submission.region.name, "period": _label(submission), "reason": reason}
    _tell(
        offices(submission.region, exactly=True),
        submission,
        Kind.MONTH_RETURNED,
        _("%(period)s returned") % values,
        _("%(region)s's %(period)s is returned: %(reason)s") % values,
        user,
    )


def _label(submission: RegionSubmission) -> str:
    return Period(submission.year, submission.month).label


def chase(region: Region, period: Period, user: User) -> list[User]:
    """催报: remind `region`'s office, now, to submit `period` (by the reminders' channels:
    the bell at once, mail and group robot with the next pass). Refused once the month is
    submitted or accepted, and a second time the same day. The district's offices reminded."""
    submission = RegionSubmission.objects.filter(
        region=region, year=period.year, month=period.month
    ).first()
    if submission is not None and submission.state != State.RETURNED:
        raise Refused(_("%(region)s has already submitted this month.") % {"region": region.name})
    today = timezone.localdate()
    due = due_date(period)
    values = {"region": region.name, "period": period.label, "due": due.isoformat()}
    text = (
        _(
            "%(region)s: %(period)s is due at the level above by %(due)s; the office above asks "
            "you to submit it now."
        )
        % values
    )
    reached = [
        person
        for person in offices(region, exactly=True)
        if notify(
            person,
            [
                Reminder(
                    person, Kind.MONTH_CHASED, f"region:{region.pk}", f"{period.key}:{today}", text
                )
            ],
            today,
            source=Notification.Source.CHASE,
            subject=_("Submit %(period)s of %(region)s") % values,
        )
    ]
    if not reached:
        raise Refused(
            _("%(region)s's office was already reminded today, or has no account.") % values
        )
    return reached
