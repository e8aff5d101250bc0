"""The measures of 考核评分: one registry of named functions, each giving every entity of a
kind (lead official, zone, responsible unit, district) its value for a window (a month or a
quarter) and the points (0–100) that value earns. The score rules (ScoreRule) name these
measures and weigh them; the quarterly score table and the monthly ranking read them here.

Every figure comes from the engine, once per window and kind, whatever the number of
projects: the progress table's totals (projects.summary, projects.report_counts) and one
grouped query over the problem register (Figures below).

Adding a measure is one entry: a function of (figures, kind) returning {entity key:
Figure(value, detail, points)}, decorated with @measure(name, label, Excel heading, kinds,
unit), and, when it needs figures no measure reads yet, a reader on Figures that reads the
engine's grouped counts once per kind (as `start_counts` for 开工率 and 竣工率, and
`stats_counts` for 入库, below). The office then names the measure in its rules; nothing
else changes (the page, the Excel, the ranking and the admin's choices list the registry).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import NamedTuple

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from projects.models import Problem, StatsStatus
from projects.models.stats import STATS_THRESHOLD
from projects.progress.period import Period, percent, quantize
from projects.progress.problems import SUPERVISE

HUNDRED = Decimal(100)
# The points an overdue problem and a problem at 督办 take off a measure's 100.
OVERDUE_DEDUCTION = 10
SUPERVISED_DEDUCTION = 20

# Each kind of entity: its key in the engine's summary, its name there, and its path from a
# problem. Units have no key in the summary: they are judged on their problems only.
KINDS = {
    "official": ("lead_official", "lead_official__name", "project__lead_official"),
    "zone": ("zone", "zone__name", "project__zone"),
    "unit": (None, "responsible_unit__name", "responsible_unit"),
    "district": ("region", "region__name", "project__region"),
}
PROJECT_KINDS = ("official", "zone", "district")
ALL_KINDS = tuple(KINDS)


@dataclass(frozen=True)
class Window:
    """Months `first`..`last` of `year`: a month (the ranking) or a quarter (the score)."""

    year: int
    first: int
    last: int

    @classmethod
    def month(cls, period):
        return cls(period.year, period.month, period.month)

    @classmethod
    def quarter(cls, year, quarter):
        if not 1 <= quarter <= 4:
            raise ValueError(_("The quarter must be between 1 and 4."))
        Period(year, 1)  # the year's bounds
        return cls(year, quarter * 3 - 2, quarter * 3)

    @property
    def months(self):
        return [Period(self.year, month) for month in range(self.first, self.last + 1)]

    @property
    def end(self):
        """The period the window is judged at: its last month."""
        return Period(self.year, self.last)

    @property
    def start(self):
        """The window's first day: rules valid from it on apply."""
        return datetime.date(self.year, self.first, 1)

    @property
    def quarter_number(self):
        return (self.last + 2) // 3


class Figure(NamedTuple):
    """What an entity scores on a measure: the value (a number, in the measure's unit), how
    it was reached ("5/6") and the points (0–100) it earns."""

    value: Decimal | int | None
    detail: str
    points: Decimal


@dataclass(frozen=True)
class Measure:
    name: str
    label: str
    heading: str  # the Excel column's heading (Chinese, as the workbook's others)
    kinds: tuple
    unit: str
    compute: object

    def __call__(self, figures, kind):
        return self.compute(figures, kind) if kind in self.kinds else {}


REGISTRY = {}


def measure(name, label, heading, kinds=PROJECT_KINDS, unit="%"):
    """Register the decorated function as the measure `name`."""

    def register(function):
        REGISTRY[name] = Measure(name, label, heading, tuple(kinds), unit, function)
        return function

    return register


def capped(points):
    """Points held within 0–100, two decimals."""
    return quantize(min(HUNDRED, max(Decimal(0), Decimal(points))))


class Figures:
    """The engine's figures of `projects` (a Project queryset) for `window`, read once per
    kind and shared by every measure; `today` decides which months' reports are due."""

    def __init__(self, window, projects, today=None):
        self.window = window
        self.projects = projects
        self.today = today
        self._start_counts = {}
        self._stats_counts = {}

    def summary(self, kind):
        """{key: the engine's summary row} of the kind's entities at the window's end."""
        key = KINDS[kind][0]
        return self._summaries[kind] if key else {}

    @cached_property
    def _summaries(self):
        result = {}
        for kind in PROJECT_KINDS:
            key = KINDS[kind][0]
            rows, _total = self.projects.summary(self.window.end, by=key)
            result[kind] = {row[key]: row for row in rows if row[key] is not None}
        return result

    def names(self, kind):
        """{key: name} of the kind's entities: those with projects, or units with problems."""
        name = KINDS[kind][1]
        if kind == "unit":
            return self._problems[1]
        return {key: row[name] for key, row in self.summary(kind).items()}

    def start_counts(self, kind):
        """{key: the engine's counts behind 开工率 and 竣工率} of the window's year up to its
        last day, one grouped query per kind: the figures of /starts/ for that month."""
        if kind not in self._start_counts:
            key = KINDS[kind][0]
            rows = self.projects.start_counts(self.window.year, self.window.end.month_end, key)
            self._start_counts[kind] = {row[key]: row for row in rows if row[key] is not None}
        return self._start_counts[kind]

    def stats_counts(self, kind):
        """{key: (projects due to be 入库, of them 入库)} at the window's end, one grouped query
        per kind. Due: 500万元 or more and started by the window's last day (the engine's
        stages, as 开工率; unlisted_condition judges today). In: 已入库 with a month of entry
        up to the window's last month (an entry with no month recorded counts as in)."""
        if kind not in self._stats_counts:
            key, end = KINDS[kind][0], self.window.end.month_end
            entered = Q(stats_status=StatsStatus.IN_STATS) & (
                Q(stats_month__isnull=True) | Q(stats_month__lte=end)
            )
            rows = (
                self.projects.filter(total_investment__gte=STATS_THRESHOLD)
                .alias(started=self.projects.started_by(end))
                .filter(started=True, **{f"{key}__isnull": False})
                .order_by()
                .values(key)
                .annotate(due=Count("pk"), entered=Count("pk", filter=entered))
                .values_list(key, "due", "entered")
            )
            self._stats_counts[kind] = {group: (due, entered) for group, due, entered in rows}
        return self._stats_counts[kind]

    @cached_property
    def due_months(self):
        """The window's months whose reports are due by `today`: before that nobody is late."""
        return [period for period in self.window.months if period.due_passed(self.today)]

    def reports(self, kind):
        """{key: (reports owed, in by the due date)} over the window's due months."""
        key = KINDS[kind][0]
        counts = {}
        for period in self.due_months if key else []:
            for group, (expected, _missing, on_time) in self.projects.report_counts(
                period, by=key
            ).items():
                owed, in_time = counts.get(group, (0, 0))
                counts[group] = (owed + expected, in_time + on_time)
        return counts

    def problems(self, kind):
        """{key: (problems due by the window's end, closed by their deadline, overdue at
        its end, at 督办 at its end)}."""
        return self._problems[0][kind]

    @cached_property
    def _problems(self):
        """One grouped query by every kind's key at once, added up per kind here (as the
        ranking's problem counts), with the units' names."""
        as_of = self.window.end.as_of
        kinds = list(KINDS)
        fields = [KINDS[kind][2] for kind in kinds]
        rows = (
            Problem.objects.of_projects(self.projects)
            .raised_by(as_of)
            .with_overdue(as_of)
            .filter(deadline__isnull=False, deadline__lte=as_of)
            .order_by()
            .values(*fields, "responsible_unit__name")
            .annotate(
                total=Count("pk"),
                on_time=Count("pk", filter=Q(closed_at__date__lte=F("deadline"))),
                overdue=Count("pk", filter=Q(is_overdue=True)),
                supervised=Count("pk", filter=Q(escalation=SUPERVISE)),
            )
            .values_list(
                *fields, "responsible_unit__name", "total", "on_time", "overdue", "supervised"
            )
        )
        counts = {kind: {} for kind in kinds}
        names = {}
        for row in rows:
            keys, name, numbers = row[: len(kinds)], row[len(kinds)], row[len(kinds) + 1 :]
            for kind, group in zip(kinds, keys, strict=True):
                before = counts[kind].get(group, (0, 0, 0, 0))
                counts[kind][group] = tuple(a + b for a, b in zip(before, numbers, strict=True))
            if keys[kinds.index("unit")] is not None:
                names[keys[kinds.index("unit")]] = name
        counts["unit"].pop(None, None)
        return counts, names


@measure("completion", _("completion of the annual plan"), "年度计划完成率")
def completion(figures, kind):
    """Completion rate (1–N月 over the annual plan), points the rate up to 100."""
    return {
        key: Figure(row["completion_rate"], "", capped(row["completion_rate"]))
        for key, row in figures.summary(kind).items()
        if row["completion_rate"] is not None
    }


@measure("gap", _("completion against the time schedule"), "序时进度差", unit=_("points"))
def gap(figures, kind):
    """Points behind 序时进度; 100 less the gap (the ranking's rule)."""
    return {
        key: Figure(
            row["gap"],
            _("behind the schedule") if row["gap"] > 0 else _("ahead of the schedule"),
            capped(HUNDRED - Decimal(row["gap"])),
        )
        for key, row in figures.summary(kind).items()
        if row["gap"] is not None
    }


@measure("lights", _("red and yellow lights"), "红黄灯占比")
def lights(figures, kind):
    """Share of projects lit (a yellow counts half); 100 less that share."""
    result = {}
    for key, row in figures.summary(kind).items():
        if row["count"]:
            share = HUNDRED * (Decimal(row["red"]) + Decimal(row["yellow"]) / 2) / row["count"]
            detail = _("%(red)s red, %(yellow)s yellow of %(count)s") % {
                "red": row["red"],
                "yellow": row["yellow"],
                "count": row["count"],
            }
            result[key] = Figure(quantize(share), detail, capped(HUNDRED - share))
    return result


@measure("reports", _("reports on time"), "按时填报率")
def reports(figures, kind):
    """Reports in by the due date of those owed over the window's due months."""
    return {
        key: Figure(percent(on_time, owed), f"{on_time}/{owed}", percent(on_time, owed))
        for key, (owed, on_time) in figures.reports(kind).items()
        if owed
    }


@measure("problems", _("problems closed by their deadline"), "问题按期销号率", ALL_KINDS)
def problems_on_time(figures, kind):
    """Problems closed by their deadline of those due by the window's end."""
    return {
        key: Figure(percent(on_time, due), f"{on_time}/{due}", percent(on_time, due))
        for key, (due, on_time, _overdue, _supervised) in figures.problems(kind).items()
        if due
    }


def _rates(counts, planned, done):
    return {
        key: Figure(rate, f"{row[done]}/{row[planned]}", capped(rate))
        for key, row in counts.items()
        if row[planned]
        for rate in [percent(row[done], row[planned])]
    }


@measure("starts", _("start rate (开工率)"), "开工率")
def starts(figures, kind):
    """开工率 as /starts/ shows it for the window's last month: projects planned to start in
    the year that started by the window's last day, of those planned. Points: the rate
    itself (at most 100), not the rate against the quarter's target."""
    return _rates(figures.start_counts(kind), "planned_starts", "started")


@measure("completions", _("completion rate (竣工率)"), "竣工率")
def completions(figures, kind):
    """竣工率 likewise: projects planned to finish in the year that finished by the window's
    last day, of those planned; points the rate itself (at most 100)."""
    return _rates(figures.start_counts(kind), "planned_completions", "completed")


@measure("in_stats", _("share in the statistics (入库)"), "入库率")
def in_stats(figures, kind):
    """入库: of the projects due (500万元 or more, started by the window's end) those in the
    statistics by its last month; points the share. An entity with none due has no figure."""
    return {
        key: Figure(percent(entered, due), f"{entered}/{due}", percent(entered, due))
        for key, (due, entered) in figures.stats_counts(kind).items()
        if due
    }


def _deducted(figures, kind, index, deduction):
    """A count of problems taking `deduction` points each off 100: every entity of the kind
    (none counted is 0 and 100 points)."""
    counts = figures.problems(kind)
    keys = counts if kind == "unit" else figures.summary(kind)
    result = {}
    for key in keys:
        count = counts.get(key, (0, 0, 0, 0))[index]
        result[key] = Figure(count, "", capped(HUNDRED - deduction * count))
    return result


@measure("overdue", _("overdue problems"), "逾期问题数", ALL_KINDS, unit=_("items"))
def overdue(figures, kind):
    """Problems open past their deadline at the window's end, 10 points off each."""
    return _deducted(figures, kind, 2, OVERDUE_DEDUCTION)


@measure(
    "supervised", _("problems under supervision (督办)"), "督办件数", ALL_KINDS, unit=_("items")
)
def supervised(figures, kind):
    """Problems escalated to 督办 at the window's end, 20 points off each."""
    return _deducted(figures, kind, 3, SUPERVISED_DEDUCTION)


def label_of(name):
    """A measure's label; the name itself for a measure no longer registered (a rule kept
    from before)."""
    found = REGISTRY.get(name)
    return found.label if found else name


def measure_choices():
    return [(name, found.label) for name, found in REGISTRY.items()]
