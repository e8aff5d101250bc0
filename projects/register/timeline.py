"""Geometry of the milestone timeline picture (SVG drawn by a template)."""

import datetime
from dataclasses import dataclass

WIDTH = 900
LABEL_WIDTH = 160
ROW_HEIGHT = 28
TOP = 30


@dataclass
class TimelineRow:
    milestone: object
    y: int
    baseline_x: float | None
    planned_x: float
    actual_x: float | None
    overdue: bool
    delay: int


def _month_starts(start, end):
    month = datetime.date(start.year, start.month, 1)
    while month <= end:
        yield month
        month = datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def milestone_timeline(milestones, as_of):
    """Positions of baseline, planned and actual marks of each milestone, and of the as-of line."""
    milestones = list(milestones)
    if not milestones:
        return None
    dates = [as_of]
    for milestone in milestones:
        dates += [
            d for d in (milestone.baseline_date, milestone.planned_date, milestone.actual_date) if d
        ]
    start = min(dates).replace(day=1)
    end = max(dates) + datetime.timedelta(days=15)
    span = max((end - start).days, 1)

    def x(date):
        if date is None:
            return None
        return round(LABEL_WIDTH + (date - start).days / span * (WIDTH - LABEL_WIDTH - 10), 1)

    rows = [
        TimelineRow(
            milestone=milestone,
            y=TOP + index * ROW_HEIGHT,
            baseline_x=x(milestone.baseline_date),
            planned_x=x(milestone.planned_date),
            actual_x=x(milestone.actual_date),
            overdue=milestone.is_overdue_at(as_of),
            delay=milestone.delay_at(as_of),
        )
        for index, milestone in enumerate(milestones)
    ]
    months = list(_month_starts(start, end))
    step = max(1, len(months) // 12)
    ticks = [(x(month), f"{month.year}.{month.month}") for month in months[::step]]
    return {
        "width": WIDTH,
        "height": TOP + len(rows) * ROW_HEIGHT + 10,
        "label_width": LABEL_WIDTH,
        "rows": rows,
        "ticks": ticks,
        "as_of_x": x(as_of),
        "as_of": as_of,
    }
