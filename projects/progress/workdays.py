"""Working days (工作日): Chinese public holidays skipped and the adjusted working weekends
(调休) counted, from the chinese-calendar package.

The package covers the years whose holiday arrangement the State Council has published. A
deadline the office types is refused beyond that (it can be entered as a date); the reminder
schedule, which must go on running, counts Monday to Friday there, less the holidays whose
dates never move (元旦, 劳动节, 国庆节); `covered` says which years are known.
"""

import datetime
import functools

import chinese_calendar
from django.utils.translation import gettext as _

ONE_DAY = datetime.timedelta(days=1)
# Holidays on fixed dates of the solar calendar, kept beyond the published years.
FIXED_HOLIDAYS = {(1, 1), (5, 1), (10, 1), (10, 2), (10, 3)}


def covered(date):
    """Whether the holiday calendar knows `date`'s year."""
    try:
        chinese_calendar.is_workday(date)
    except NotImplementedError:
        return False
    return True


def is_workday(date, strict=False):
    """A working day; outside the calendar Monday to Friday but the fixed holidays, or
    ValueError when `strict`."""
    try:
        return chinese_calendar.is_workday(date)
    except NotImplementedError:
        if strict:
            raise ValueError(
                _("The holiday calendar does not cover %(year)s; enter the deadline as a date.")
                % {"year": date.year}
            ) from None
        return date.weekday() < 5 and (date.month, date.day) not in FIXED_HOLIDAYS


def add_working_days(start, days, strict=True):
    """The date `days` working days after `start` (the start day itself is not counted);
    a negative `days` counts back."""
    if strict and days < 1:
        raise ValueError(_("The number of working days must be at least 1."))
    step = ONE_DAY if days >= 0 else -ONE_DAY
    date, counted = start, 0
    while counted < abs(days):
        date += step
        if is_workday(date, strict=strict):
            counted += 1
    return date


@functools.cache
def nth_working_day(year, month, n):
    """The n-th working day of a month (1 = its first); remembered, as the calendar of a
    month never changes within a run (a page asks for a month's due date once per project)."""
    return add_working_days(datetime.date(year, month, 1) - ONE_DAY, n, strict=False)


def next_working_day(date):
    """The first working day after `date`."""
    return add_working_days(date, 1, strict=False)
