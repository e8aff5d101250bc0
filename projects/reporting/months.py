"""Which months a reporter may still report for a project, and why a month is closed."""

from django.utils import timezone
from django.utils.translation import gettext as _

from projects.models import MonthLock
from projects.models.base import person_name
from projects.permissions import is_office
from projects.progress.period import Period

WINDOW = 12  # months offered in the chooser, counting back from the current one


class ReportableMonths:
    """The months of `project` that `user` may report: begun, not locked (the office may
    report locked ones) and not reported yet. The chooser offers the last WINDOW months and
    the month a link asked for."""

    def __init__(self, project, user):
        self.current = Period.current()
        self.first = self.current.shifted(-(WINDOW - 1))
        self.window = [self.current.shifted(-back) for back in range(WINDOW)]
        self.office = is_office(user)
        self.region = project.region_id
        self.reported = {
            (year, month): pk
            for pk, year, month in project.reports.values_list("pk", "year", "month")
        }
        # Every lock from the window's first year on, in one query; older months on demand.
        self.locks = {
            (lock.year, lock.month): lock
            for lock in MonthLock.objects.filter(
                year__gte=self.first.year, region=project.region_id
            ).select_related("locked_by")
        }

    def _lock(self, period):
        key = (period.year, period.month)
        if key not in self.locks and period.year < self.first.year:
            self.locks[key] = MonthLock.on(*key, self.region).select_related("locked_by").first()
        return self.locks.get(key)

    def reason_closed(self, period):
        """Why `period` cannot be reported by this user, in words; None when it can."""
        if (period.year, period.month) > (self.current.year, self.current.month):
            return _("%(period)s has not begun; it cannot be reported yet.") % {
                "period": period.label
            }
        if (period.year, period.month) in self.reported:
            return _("%(period)s is already reported; edit that report instead.") % {
                "period": period.label
            }
        lock = self._lock(period)
        if lock and not self.office:
            return lock_reason(lock)
        return None

    def report_id(self, period):
        return self.reported.get((period.year, period.month))

    def choices(self, include=None):
        """The open months, newest first, with `include` among them when it is open."""
        months = list(self.window)
        if include is not None and include not in months:
            months.append(include)
        months.sort(key=lambda p: (p.year, p.month), reverse=True)
        return [period for period in months if self.reason_closed(period) is None]


def lock_reason(lock):
    """Why a locked month takes no report from a lead official, naming who locked it and when."""
    return _(
        "%(period)s was locked by %(user)s of the project office on %(date)s; only the office "
        "can add or change its reports. Ask the office if a report is missing."
    ) % {
        "user": person_name(lock.locked_by) or _("the project office"),
        "period": Period(lock.year, lock.month).label,
        "date": timezone.localtime(lock.locked_at).strftime("%Y-%m-%d %H:%M")
        if lock.locked_at
        else "",
    }
