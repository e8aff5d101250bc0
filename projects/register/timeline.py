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
    """Positions of baseline, planned and actual marks of each milestone, and of the as-of line,
    with the names in a column on the left; for a phone (its `steps` key) the same milestones
    as a list in the order of their dates, the as-of date in its place among them: a picture
    900 units wide shrunk to a 390 px screen cannot be read."""
    milestones = list(milestones)
    if not milestones:
        return None
    chart = _layout(milestones, as_of, WIDTH, LABEL_WIDTH, ROW_HEIGHT, ticks=12)
    chart["steps"] = _steps(milestones, as_of)
    return chart


def _steps(milestones, as_of):
    """Each milestone at its date (the actual one once done, else the planned one), in order,
    with the as-of date as a step of its own before the first one after it."""
    steps = []
    for milestone in milestones:
        state, delay = milestone.state_of(milestone.planned_date, milestone.actual_date, as_of)
        done = milestone.actual_date is not None and milestone.actual_date <= as_of
        steps.append(
            {
                "milestone": milestone,
                "date": milestone.actual_date if done else milestone.planned_date,
                "done": done,
                "state": state,
                "delay": delay,
                "overdue": state == milestone.State.OVERDUE,
                "moved": milestone.slip_days != 0,
            }
        )
    steps.sort(key=lambda step: (step["date"], step["milestone"].order))
    position = next((i for i, step in enumerate(steps) if step["date"] > as_of), len(steps))
    steps.insert(position, {"as_of": True, "date": as_of})
    return steps


def _layout(milestones, as_of, width, label_width, row_height, ticks):
    dates = [as_of]
    for milestone in milestones:
        dates += [
            d for d in (milestone.baseline_date, milestone.planned_date, milestone.actual_date) if d
        ]
    start = min(dates).replace(day=1)
    end = max(dates) + datetime.timedelta(days=15)
    span = max((end - start).days, 1)
    right = 10

    def x(date):
        if date is None:
            return None
        return round(label_width + (date - start).days / span * (width - label_width - right), 1)

    top = TOP
    rows = [
        TimelineRow(
            milestone=milestone,
            y=top + index * row_height,
            baseline_x=x(milestone.baseline_date),
            planned_x=x(milestone.planned_date),
            actual_x=x(milestone.actual_date),
            overdue=milestone.is_overdue_at(as_of),
            delay=milestone.delay_at(as_of),
        )
        for index, milestone in enumerate(milestones)
    ]
    months = list(_month_starts(start, end))
    step = max(1, -(-len(months) // ticks))
    height = top + len(rows) * row_height + 16
    as_of_x = x(as_of)
    return {
        "width": width,
        "height": height,
        "label_width": label_width,
        "rows": rows,
        # (x of the line, label, x of the label kept inside the picture)
        "ticks": [
            (x(month), f"{month.year}.{month.month}", min(max(x(month), 26), width - 26))
            for month in months[::step]
        ],
        "as_of_x": as_of_x,
        # The date under the as-of line stays inside the picture.
        "as_of_label_x": min(max(as_of_x, 40), width - 40),
        "as_of": as_of,
    }
