"""The days the reminders fall on, around the due date of a month's reports (Period.due_date).

Reports of month N are due on the JIEFANG_REPORT_DUE_WORKDAY-th working day of month N+1
(default the 3rd). Reporters are reminded two working days before; the lead official of a
project still missing is told from the first working day after the due date.
"""

import functools

from django.utils import dateformat
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from projects.progress.workdays import add_working_days

REMIND_BEFORE = 2  # working days before the due date
PROBLEM_SOON = 3  # working days before a problem's deadline


def reminder_date(period):
    return add_working_days(period.due_date, -REMIND_BEFORE, strict=False)


def late_from(period):
    """The first day the lead official hears of a missing report: the working day after."""
    return add_working_days(period.due_date, 1, strict=False)


def problem_soon_until(today):
    """Deadlines up to this day are 'within three working days' of `today`."""
    return add_working_days(today, PROBLEM_SOON, strict=False)


def date_label(day):
    """2025年10月11日(星期六), as a reminder states a deadline (worked out once a day and
    language: a pass at 100,000 projects stated the same few deadlines 120,000 times)."""
    return _date_label(day, get_language())


@functools.lru_cache(maxsize=1024)
def _date_label(day, _language):
    return _("%(year)s-%(month)s-%(day)s (%(weekday)s)") % {
        "year": day.year,
        "month": day.month,
        "day": day.day,
        "weekday": dateformat.format(day, "l"),
    }
