"""Locking and unlocking a region's month (the office, after the month's meeting): a locked
month's reports change only through the office, and its meetings are frozen as they stand.
报送 and 退回 lock and unlock it too (projects/regions/actions.py)."""

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from projects.actions import Edit, Scope
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
    _refuse_if_submitted(region, year, month)
    MonthLock.on(year, month, region).delete()


def _refuse_if_submitted(region: Region, year: int, month: int) -> None:
    if region.submissions.filter(
        year=year,
        month=month,
        state__in=[RegionSubmission.State.SUBMITTED, RegionSubmission.State.ACCEPTED],
    ).exists():
        raise Refused(
            _("%(period)s is submitted to the level above: it unlocks only when returned.")
            % {"period": Period(year, month).label}
        )


@transaction.atomic
def save_lock(user: User, edit: Edit) -> MonthLock:
    """The admin's page of a locked month: a new lock locks the month (lock_month); a lock
    moved to another month unlocks its old one, refused as unlock_month refuses it."""
    lock = edit.row
    assert isinstance(lock, MonthLock)
    if not lock._state.adding:
        Scope(user).check_existing(lock)
        old = MonthLock.objects.get(pk=lock.pk)
        if (old.year, old.month) != (lock.year, lock.month):
            _refuse_if_submitted(old.region, old.year, old.month)
    lock_month(user, lock.region, lock.year, lock.month, lock=lock)
    return lock


@transaction.atomic
def delete_locks(user: User, locks: Iterable[MonthLock]) -> int:
    """The admin's deletion of locked months (one, or a list's selection): each unlocked by
    unlock_month, or none when one is refused."""
    locks = list(locks)
    for lock in locks:
        unlock_month(user, lock.region, lock.year, lock.month)
    return len(locks)
