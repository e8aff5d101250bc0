"""Deadlines in working days (工作日), skipping Chinese public holidays and counting the
adjusted working weekends (调休), from the chinese-calendar package."""

import datetime

import chinese_calendar
from django.utils.translation import gettext as _


def add_working_days(start, days):
    """The date `days` working days after `start` (the start day itself is not counted)."""
    if days < 1:
        raise ValueError(_("The number of working days must be at least 1."))
    date = start
    counted = 0
    try:
        while counted < days:
            date += datetime.timedelta(days=1)
            if chinese_calendar.is_workday(date):
                counted += 1
    except NotImplementedError:
        raise ValueError(
            _("The holiday calendar does not cover %(year)s; enter the deadline as a date.")
            % {"year": date.year}
        ) from None
    return date
