"""The engine's totals: what a set of projects adds up to (per zone, per lead official and
overall), the dashboard's curves, its missing reports and the light counts.

For the whole register they read the progress table's totals per month, zone and lead
official (see store.py); a set of projects filtered otherwise is added up over its rows of
the table with one grouped join.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Substr

from . import store
from .expressions import start_month
from .lights import LIGHT_NAMES
from .period import CENT, Period, percent, quantize
from .relations import as_period, related

# What a summary can group by: (fields, ordering).
SUMMARY_GROUPS = {
    "zone": (("zone", "zone__name", "zone__order"), ("zone__order", "zone__name")),
    "lead_official": (
        ("lead_official", "lead_official__name", "lead_official__position"),
        ("lead_official__name",),
    ),
    "region": (("region", "region__name", "region__code"), ("region__code",)),
}
# The same groups read from the progress table's totals, which are per zone and lead
# official: a zone belongs to one region, so a district's totals are its zones'.
TOTALS_GROUPS = {
    "zone": SUMMARY_GROUPS["zone"][0],
    "lead_official": SUMMARY_GROUPS["lead_official"][0],
    "region": ("zone__region", "zone__region__name", "zone__region__code"),
}

ZERO = Decimal(0)
SUMMED = ("total_investment", "annual_plan", "month_amount", "ytd", "cumulative", "planned_to_date")
# Of them, what the pace (completion rate, time schedule, gap) is worked out from.
PACE = ("annual_plan", "ytd", "planned_to_date")
# Of the lights, what a ranking scores (brief summary): {rank: name}.
BRIEF_LIGHTS = {rank: name for rank, name in LIGHT_NAMES.items() if name in ("yellow", "red")}
# Projects owing the month's report, and of them those in by its due date (the table's
# report_expected and report_on_time, added up).
REPORTS = ("reports_expected", "reports_on_time")


def _empty_totals():
    return {
        "count": 0,
        **dict.fromkeys(SUMMED, Decimal(0)),
        **dict.fromkeys(LIGHT_NAMES.values(), 0),
        **dict.fromkeys(REPORTS, 0),
    }


class TotalsMixin:
    """The totals of ProjectQuerySet."""

    def whole_register(self):
        """(whole, region): whether these are every project (whole, region None) or every
        project of a region and beneath it (whole, that region), whose totals the progress
        table's totals hold; (False, None) for a set of projects filtered otherwise."""
        region = getattr(self, "_scope_region", None)
        if region is not None:
            return True, region
        return not self.query.where, None

    def pace(self, period):
        """The dashboard's curves: planned for months 0–12 and completed for months 0 to the
        period's month. For the whole register both come from the progress table's totals
        (kept by every write) for the months it holds as of their day: planned when it holds
        the whole year, completed when it holds the year so far; otherwise from curves()."""
        whole, region = self.whole_register()
        held = store.month_sums(self.model, period.year, region) if whole else {}
        planned_held = all(month in held for month in range(1, 13))
        completed_held = all(month in held for month in range(1, period.month + 1))
        if not (planned_held and completed_held):
            planned, completed = self.curves(period.year, completed=not completed_held)
        if planned_held:
            planned = [(0, Decimal(0))] + [
                (month, quantize(held[month][0])) for month in range(1, 13)
            ]
        if completed_held:
            completed, running = [(0, Decimal(0))], Decimal(0)
            for month in range(1, period.month + 1):
                running += held[month][1]
                completed.append((month, quantize(running)))
        return planned, completed[: period.month + 1]

    def curves(self, year, completed=True):
        """(planned, completed): [(month, cumulative amount)] for months 0–12 of `year`,
        summed over these projects, in one query (completed is empty when not asked for).
        Planned follows with_progress's planned_to_date (monthly plans where split, else
        linear from the start month)."""
        AnnualPlan, MonthlyReport = related(self.model, "annual_plans", "reports")
        MonthlyPlan = related(AnnualPlan, "months")
        # The whole register needs no list of its projects (a semi-join over all of them).
        mine = {"project__in": self.values("pk")} if self.query.where else {}
        plans = AnnualPlan.objects.filter(year=year, **mine)

        def grouped(queryset, kind, key, amount):
            return (
                queryset.order_by()
                .annotate(kind=Value(kind), key=key)
                .values("kind", "key")
                .annotate(total=models.Sum(amount))
                .values_list("kind", "key", "total")
            )

        parts = [
            grouped(
                plans.filter(months__isnull=True),
                "linear",
                start_month(Period(int(year), 12), prefix="project__"),
                "planned_investment",
            )
        ]
        if completed:
            parts.append(
                grouped(
                    MonthlyReport.objects.filter(year=year, **mine),
                    "done",
                    F("month"),
                    "amount",
                )
            )
        rows = grouped(
            MonthlyPlan.objects.filter(annual_plan__in=plans), "split", F("month"), "amount"
        ).union(*parts, all=True)
        sums = {"split": {}, "linear": {}, "done": {}}
        for kind, key, total in rows:
            sums[kind][key] = Decimal(total or 0)
        planned, done = [(0, Decimal(0))], [(0, Decimal(0))]
        split_running = done_running = Decimal(0)
        for month in range(1, 13):
            split_running += sums["split"].get(month, 0)
            done_running += sums["done"].get(month, 0)
            spread = sum(
                (
                    total * (month - start + 1) / (13 - start)
                    for start, total in sums["linear"].items()
                    if start <= month
                ),
                Decimal(0),
            )
            planned.append((month, quantize(split_running + spread)))
            done.append((month, quantize(done_running)))
        return planned, done if completed else []

    def missing_reports(self, year, month=None):
        """[{lead_official__name, count}]: the projects of each lead official that owe the
        month's report and have none, most first (from the progress table's totals)."""
        period = as_period(year, month)
        return (
            store.totals(self.model, period, self.whole_register()[1])
            .values("lead_official__name")
            .annotate(count=models.Sum("missing_reports"))
            .filter(count__gt=0)
            .order_by("-count", "lead_official__name")
        )

    @staticmethod
    def empty_total():
        """The totals of no project (a region without any yet), as summary() gives them."""
        return _empty_totals() | {"completion_rate": None, "time_schedule": None, "gap": None}

    def missing_reports_beneath(self, year, month, region):
        """{path of a region beneath `region`: projects owing the month's report and
        without one}, from the progress table's totals of a whole region's register."""
        period = as_period(year, month)
        return dict(
            store.totals(self.model, period, self.whole_register()[1])
            .annotate(region_path=Substr("zone__region__path", 1, len(region.path) + 7))
            .order_by()
            .values("region_path")
            .annotate(count=models.Sum("missing_reports"))
            .values_list("region_path", "count")
        )

    def report_counts(self, year, month=None, by="zone"):
        """{group: (projects that owe the month's report, of them with none, of them in by
        the due date)} per value of `by`. For the whole register (or a region's) per zone or lead official
        from the progress table's totals (a few rows whatever the number of projects: the
        ranking's 按时填报, 填报情况's lead officials); otherwise (some projects, or per
        liaison: by="liaisons") by one grouped join on these projects' rows of the table,
        leaving out projects with no value (no liaison)."""
        period = as_period(year, month)
        whole, region = self.whole_register()
        if whole and by in TOTALS_GROUPS:
            key = TOTALS_GROUPS[by][0]
            groups = (
                store.totals(self.model, period, region)
                .order_by()
                .values(key)
                .annotate(
                    expected=models.Sum("reports_expected"),
                    missing=models.Sum("missing_reports"),
                    on_time=models.Sum("reports_on_time"),
                )
            )
            by = key
        else:
            groups = (
                self.with_stored_progress(period)
                .filter(report_expected=True, **{f"{by}__isnull": False})
                .order_by()
                .values(by)
                .annotate(
                    expected=models.Count("pk"),
                    missing=models.Count("pk", filter=Q(report_missing=True)),
                    on_time=models.Count("pk", filter=Q(report_on_time=True)),
                )
            )
        return {
            group: (expected, missing, on_time)
            for group, expected, missing, on_time in groups.values_list(
                by, "expected", "missing", "on_time"
            )
            if expected
        }

    def stored_count(self, year, month=None, lights=(), **groups):
        """How many projects have one of these lights (Light members, or their ranks) in
        the month, within a zone and/or of a lead official (groups: zone=, lead_official=,
        None for any), added up from the progress table's totals."""
        period = as_period(year, month)
        ranks = {getattr(light, "rank", light) for light in lights}
        counts = store.totals(self.model, period, self.whole_register()[1]).filter(
            **{name: value for name, value in groups.items() if value is not None}
        )
        sums = counts.aggregate(
            **{
                name: models.Sum(f"lights_{name}")
                for rank, name in LIGHT_NAMES.items()
                if rank in ranks
            }
        )
        return sum(value or 0 for value in sums.values())

    def summary(self, year, month=None, by="zone", brief=False, named=False):
        """Totals per zone (or per lead official, or per region beneath a region `by`) and
        overall, from the same figures as the rows.

        Returns (rows, total): one dict per group that has projects, and the overall dict,
        each with count, total_investment, annual_plan, ytd, cumulative, completion_rate,
        time_schedule, the number of projects per light (none, green, yellow, red) and of
        those owing the month's report, and of them in by its due date (reports_expected,
        reports_on_time, as report_counts() counts them); per region, each row's
        `region_path` is the path of the region beneath `by`.

        brief: only what a group's pace and lights need (count, annual_plan, ytd,
        planned_to_date, the red and yellow lights and the reports), each group by its key
        alone and in no order, and no total (rows, None): what the ranking scores groups on
        (at 100,000 projects, 1,950 lead officials' 7,800 totals added up without being sorted
        by name); with `named`, each brief row's `name` too (its group's one name, read beside
        its sums rather than grouped by).
        """
        period = as_period(year, month)
        whole, region = self.whole_register()
        summed = PACE if brief else SUMMED
        lights = BRIEF_LIGHTS if brief else LIGHT_NAMES
        with_name = {}
        if isinstance(by, str):
            fields, ordering = SUMMARY_GROUPS[by]
            # What the groups are read as: the projects' fields, or the totals' (renamed).
            read = TOTALS_GROUPS[by] if whole else fields
            beneath = {}
            if brief:
                with_name = {"name": models.Max(read[1])} if named else {}
                fields, read, ordering = fields[:1], read[:1], ()
        else:
            fields = ordering = read = ("region_path",)
            path = "region__path" if not whole else "zone__region__path"
            beneath = {"region_path": Substr(path, 1, len(by.path) + 7)}
        if not whole:
            # Some projects: added up in SQL over their rows of the progress table, one
            # grouped join.
            groups = self.with_stored_progress(period).annotate(**beneath)
            groups = groups.order_by().values(*fields)
            groups = groups.annotate(
                **with_name,
                count=models.Count("pk"),
                **{f"sum_{name}": models.Sum(name) for name in summed},
                **{
                    f"light_{name}": models.Count("pk", filter=Q(light_rank=rank))
                    for rank, name in lights.items()
                },
                reports_expected=models.Count("pk", filter=Q(report_expected=True)),
                reports_on_time=models.Count("pk", filter=Q(report_on_time=True)),
            )
        else:
            # Every project: the table's totals per zone and lead official, a few rows.
            groups = store.totals(self.model, period, region).annotate(**beneath)
            ordering = [read[fields.index(name)] for name in ordering]
            groups = (
                groups.order_by()
                .values(*read)
                .annotate(
                    **with_name,
                    count=models.Sum("projects"),
                    **{f"sum_{name}": models.Sum(name) for name in summed},
                    **{f"light_{name}": models.Sum(f"lights_{name}") for name in lights.values()},
                    **{name: models.Sum(name) for name in REPORTS},
                )
                .filter(count__gt=0)
            )
        groups = groups.order_by(*ordering)
        # Built per group from its values without a detour (a city's or a 100,000-project
        # district's 2,000 officials, twice a ranking); a sum over no figure is nothing.
        lights = list(lights.values())
        names = [*fields, *with_name, "count", *summed, *lights, *REPORTS]
        columns = [*read, *with_name, "count", *(f"sum_{name}" for name in summed)]
        columns += [*(f"light_{name}" for name in lights), *REPORTS]
        nothing = [(name, ZERO) for name in summed] + [(name, 0) for name in (*lights, *REPORTS)]
        rows = []
        for values in groups.values_list(*columns):
            row = dict(zip(names, values, strict=True))
            for name, empty in nothing:
                if row[name] is None:
                    row[name] = empty
            rows.append(row)
        # The total is the sum of the groups, so the two can never disagree (none when
        # brief: a ranking scores the groups alone).
        total = None if brief else _empty_totals()
        for row in rows if total is not None else ():
            for name in ("count", *summed, *lights, *REPORTS):
                total[name] += row[name]
        for row in rows if total is None else [*rows, total]:
            for name in summed:
                row[name] = row[name].quantize(CENT, ROUND_HALF_UP)
            row["completion_rate"] = percent(row["ytd"], row["annual_plan"])
            # Plan-weighted: the plans due by the month over the annual plans; none without a
            # plan, as for a project.
            row["time_schedule"] = percent(row["planned_to_date"], row["annual_plan"])
            row["gap"] = (
                None
                if row["completion_rate"] is None
                else quantize(row["time_schedule"] - row["completion_rate"])
            )
        return rows, total
