"""The changes a reporter (or the office) makes to a month's report: `submit_report` writes
the report, the milestones it reached and its photos as one action. Pages and forms check
the input; this module writes it."""

import datetime
from collections.abc import Iterable, Mapping

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.models import (
    Milestone,
    MonthLock,
    MonthlyReport,
    Project,
    ReportPhoto,
    recompute_once,
)
from projects.permissions import is_office
from projects.progress.period import Period

from .photos import Photo, delete_photos, remove_files, store_photos


class Refused(Exception):
    """The report cannot be written (its month was locked meanwhile); the message says why,
    in words for the page. Nothing was written."""


def may_report(user: User | None, project: Project) -> bool:
    """Whether `user` may write `project`'s reports: it is one of the projects they change."""
    return Project.objects.restrict(user, "change").filter(pk=project.pk).exists()


def submit_report(
    user: User,
    report: MonthlyReport,
    *,
    reached: Mapping[Milestone, datetime.date | None] | None = None,
    new_photos: Iterable[Photo] = (),
    removed_photos: Iterable[ReportPhoto] = (),
    may_change_locked: bool | None = None,
) -> MonthlyReport:
    """Write a month's report as `user` submits it: the report (its submitter and time), the
    milestones reached (each with its date) and its photos added and removed, in one
    transaction, or nothing.

    The project's progress rows are recomputed once, at the end. Photo files are written
    before the commit (a full disk refuses the save) and removed when it rolls back; files of
    removed photos go once it commits. A month locked while the photos were written refuses
    the save (Refused) unless the office writes it (`may_change_locked`, by default whether
    `user` is of the office). PermissionDenied when the project is not one `user` reports
    for; StaleVersion when the report was saved by someone else since it was loaded.
    """
    project = report.project
    if not may_report(user, project):
        raise PermissionDenied(_("You cannot report for this project."))
    if may_change_locked is None:
        may_change_locked = is_office(user)
    adding, version = report._state.adding, report.version
    report.submitted_by = user
    report.submitted_at = timezone.now()
    written: list[str] = []
    try:
        with transaction.atomic(), recompute_once():
            report.save()
            for milestone, date in (reached or {}).items():
                if date:
                    milestone.actual_date = date
                    milestone.save()
            delete_photos(list(removed_photos))
            written = store_photos(report, list(new_photos), user)
            # Last, so that a lock taken while the photos were written counts too.
            if not may_change_locked:
                _refuse_if_locked(report, new=adding)
    except BaseException:
        remove_files(written)
        # The form is shown again as it was: a report rolled back is still a new one.
        if adding:
            report.pk, report._state.adding = None, True
        report.version = version
        raise
    return report


def _refuse_if_locked(report: MonthlyReport, new: bool) -> None:
    """The month may have been locked since the form was checked (photos take seconds):
    look again at the end of the writing transaction, holding the lock's row (an unlock
    under way waits). A lock committed between this look and the commit, a few
    milliseconds, still lets the save through."""
    year, month = report.year, report.month
    locks = MonthLock.on(year, month, report.project.region_id)
    if locks.select_for_update().first() is None:
        return
    if new:
        raise Refused(
            _("%(period)s is locked; only the project office can add a report for it.")
            % {"period": Period(year, month).label}
        )
    raise Refused(_("This month is locked; only the project office can change it."))
