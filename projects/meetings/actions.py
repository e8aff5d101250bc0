"""Locking and unlocking a region's month (the office, after the month's meeting): a locked
month's reports change only through the office, and its meetings are frozen as they stand.
报送 and 退回 lock and unlock it too (projects/regions/actions.py)."""

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from projects.models import MeetingSnapshot, MonthLock, Region, RegionSubmission
from projects.progress.period import Period

from . import record


class Refused(Exception):
    """The month cannot be unlocked; the message says why, in words for the page."""


def _check(user: User, region: Region) -> None:
    """The office of `region` or of a region above it (restrict), with the right to lock."""
    if (
        not user.has_perm("projects.add_monthlock")
        or not Region.objects.restrict(user).filter(pk=region.pk).exists()
    ):
        raise PermissionDenied(_("You cannot lock this region's months."))


@transaction.atomic
def lock_month(
    user: User, region: Region, year: int, month: int, lock: MonthLock | None = None
) -> list[MeetingSnapshot]:
    """Lock the region's month (`lock`, an unsaved MonthLock, when the admin's form made one)
    and freeze its meetings that have no record yet; returns the records made now."""
    _check(user, region)
    if lock is not None:
        lock.region, lock.year, lock.month, lock.locked_by = region, year, month, user
        lock.save()
    else:
        MonthLock.objects.get_or_create(
            region=region, year=year, month=month, defaults={"locked_by": user}
        )
    return record.freeze_month(region, year, month, user)


@transaction.atomic
def unlock_month(user: User, region: Region, year: int, month: int) -> None:
    """Unlock the region's month; refused while it is submitted to the level above (it
    unlocks only when returned)."""
    _check(user, region)
    if region.submissions.filter(
        year=year,
        month=month,
        state__in=[RegionSubmission.State.SUBMITTED, RegionSubmission.State.ACCEPTED],
    ).exists():
        raise Refused(
            _("%(period)s is submitted to the level above: it unlocks only when returned.")
            % {"period": Period(year, month).label}
        )
    MonthLock.on(year, month, region).delete()
