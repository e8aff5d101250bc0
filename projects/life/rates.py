"""开工率 and 竣工率 for a year up to a period's end, per zone, lead official and region
beneath, each beside its quarter's target. The page, the dashboard, the workbook's sheet,
the packet and the 通报 all read `start_rates`, so their figures agree."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings

from projects.models import Official, Region, StartTarget, Zone
from projects.progress.period import percent


def quarter_of(month):
    return (month - 1) // 3 + 1


@dataclass
class RateRow:
    """One line of figures: counts, rates (%, None with nothing planned) and targets (%)."""

    label: str
    planned_starts: int = 0
    started: int = 0
    planned_completions: int = 0
    completed: int = 0
    start_target: Decimal = Decimal(0)
    completion_target: Decimal = Decimal(0)
    key: object = None

    @property
    def start_rate(self):
        return percent(self.started, self.planned_starts)

    @property
    def completion_rate(self):
        return percent(self.completed, self.planned_completions)

    @property
    def start_behind(self):
        """Below the target (a target of 0 is always met)."""
        return self.start_rate is not None and self.start_rate < self.start_target

    @property
    def completion_behind(self):
        return self.completion_rate is not None and self.completion_rate < self.completion_target


@dataclass
class StartRates:
    """The figures of a scope for `period`: total, zones, officials, regions beneath."""

    period: object
    quarter: int
    total: RateRow
    zones: list = field(default_factory=list)
    officials: list = field(default_factory=list)
    regions: list = field(default_factory=list)


class Targets:
    """The quarter's targets of every region, read once: a region's own, else its nearest
    parent's, else JIEFANG_START_TARGETS."""

    def __init__(self, year, quarter):
        self.quarter = quarter
        self.by_path = {
            path: (start, completion)
            for path, start, completion in StartTarget.objects.filter(
                year=year, quarter=quarter
            ).values_list("region__path", "start_rate", "completion_rate")
        }
        default = Decimal(settings.JIEFANG_START_TARGETS[quarter - 1])
        self.default = (default, default)

    def of(self, path):
        """(start, completion) targets of the region at `path` ("" for none)."""
        while path:
            if path in self.by_path:
                return self.by_path[path]
            path = path[: path[:-1].rfind("/") + 1]
        return self.default


def row(label, counts, targets, key=None):
    start, completion = targets
    return RateRow(
        label=label,
        key=key,
        start_target=start,
        completion_target=completion,
        **{
            name: counts.get(name) or 0
            for name in ("planned_starts", "started", "planned_completions", "completed")
        },
    )


COUNTS = ("planned_starts", "started", "planned_completions", "completed")


def add_up(rows, key):
    """The rows' counts added up per `key` of a row (None for one total)."""
    sums = {}
    for counts in rows:
        group = sums.setdefault(None if key is None else counts[key], dict.fromkeys(COUNTS, 0))
        for name in COUNTS:
            group[name] += counts[name]
    return sums


def start_rates(projects, period, scope, detail=True):
    """The figures of `projects` (already restricted) for `period`'s year up to its end,
    against the targets of the quarter it falls in; `scope` is the region the reader acts in
    (None above every region). A handful of queries, whatever the number of projects: the
    counts per zone, official and region beneath in one grouped query, added up here; the
    total alone (two queries) without `detail`."""
    year, day = period.year, period.month_end
    quarter = quarter_of(period.month)
    targets = Targets(year, quarter)
    scope_targets = targets.of(scope.path if scope is not None else "")
    if not detail:
        return StartRates(period, quarter, row("", projects.start_counts(year, day), scope_targets))
    if scope is None:
        scope = Region.objects.filter(parent__isnull=True).first()
    beneath = scope if scope is not None and scope.kind != Region.Kind.DISTRICT else None
    rows = projects.start_count_rows(year, day, beneath)
    total = add_up(rows, None).get(None, {})
    result = StartRates(period, quarter, row("", total, scope_targets))
    zones = {
        pk: (name, path)
        for pk, name, path in Zone.objects.filter(
            pk__in={counts["zone"] for counts in rows}
        ).values_list("pk", "name", "region__path")
    }
    result.zones = [
        row(zones[pk][0], counts, targets.of(zones[pk][1]))
        for pk, counts in sorted(add_up(rows, "zone").items())
    ]
    officials = {
        pk: (name, path)
        for pk, name, path in Official.objects.filter(
            pk__in={counts["lead_official"] for counts in rows} - {None}
        ).values_list("pk", "name", "region__path")
    }
    result.officials = [
        row(officials[pk][0], counts, targets.of(officials[pk][1]), key=pk)
        for pk, counts in sorted(
            add_up(rows, "lead_official").items(), key=lambda item: item[0] or 0
        )
        if pk
    ]
    if beneath is not None:
        names = dict(beneath.children.values_list("path", "name"))
        result.regions = [
            row(names.get(path, path), counts, targets.of(path))
            for path, counts in sorted(add_up(rows, "region_path").items())
        ]
    return result


def not_started(projects, period):
    """The projects planned to start in the year that had not started by the period's end,
    the earliest planned first."""
    return (
        projects.filter(planned_start__year=period.year)
        .alias(started=projects.started_by(period.month_end))
        .filter(started=False)
        .select_related("zone", "lead_official")
        .order_by("planned_start", "code")
    )
