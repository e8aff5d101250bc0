"""The progress engine: every figure of progress and slippage, computed in SQL.

These are the QuerySets of the models (Project.objects, MonthlyReport.objects,
Problem.objects); they reach the other tables through the Project model's relations.

Every list, detail page, dashboard, printout and export reads
`Project.objects.with_progress(year, month)`, so their numbers cannot disagree.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import (
    Case,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Round

from . import store
from .expressions import (
    MONEY,
    PERCENT,
    DaysSince,
    LinearShare,
    RoundedPercent,
    count_of,
    money_sum,
    plan_sum,
    start_month,
)
from .period import Period, percent, quantize

# Light ranks, so that lights sort and filter as numbers (see Light in models). A project with
# neither a plan for the year nor a milestone cannot be judged: 无计划, below green.
NONE, GREEN, YELLOW, RED = -1, 0, 1, 2

# What a summary can group by: (fields, ordering).
SUMMARY_GROUPS = {
    "zone": (("zone", "zone__name", "zone__order"), ("zone__order", "zone__name")),
    "lead_official": (
        ("lead_official", "lead_official__name", "lead_official__position"),
        ("lead_official__name",),
    ),
}


LIGHT_NAMES = {NONE: "none", GREEN: "green", YELLOW: "yellow", RED: "red"}
SUMMED = ("total_investment", "annual_plan", "month_amount", "ytd", "cumulative", "planned_to_date")


def _empty_totals():
    return {
        "count": 0,
        **dict.fromkeys(SUMMED, Decimal(0)),
        **dict.fromkeys(LIGHT_NAMES.values(), 0),
    }


def _as_period(year, month):
    return year if isinstance(year, Period) else Period(int(year), int(month))


def _related(model, *names):
    """The models behind `model`'s relations: the engine reads them through the Project model
    it is the manager of, so that it imports no model module (see docs/architecture.md)."""
    models = [model._meta.get_field(name).related_model for name in names]
    return models[0] if len(models) == 1 else models


class ProjectQuerySet(models.QuerySet):
    def with_progress(self, year, month=None):
        """Annotate each project with its progress as of the end of `month` of `year`.

        Adds: annual_plan, month_amount, ytd, cumulative, completion_rate, time_schedule (序时进度:
        the monthly plan's cumulative share when there is one, else linear from the plan's
        start month), planned_to_date, gap (points),
        overdue_milestones, max_delay (days), next_milestone, next_milestone_date,
        open_problems, overdue_problems and light_rank (-1 no plan, 0 green, 1 yellow, 2 red).
        `year` may also be a Period.
        """
        MonthlyReport, Milestone, Problem, AnnualPlan = _related(
            self.model, "reports", "milestones", "problem_items", "annual_plans"
        )
        MonthlyPlan = _related(AnnualPlan, "months")
        period = _as_period(year, month)
        plan_months = MonthlyPlan.objects.filter(
            annual_plan__project=OuterRef("pk"), annual_plan__year=period.year
        )
        as_of = period.as_of
        red_cutoff = as_of - datetime.timedelta(days=settings.JIEFANG_LIGHT_RED_DELAY_DAYS)

        reports = MonthlyReport.objects.filter(
            Q(year__lt=period.year) | Q(year=period.year, month__lte=period.month)
        )
        pending = Milestone.objects.filter(project=OuterRef("pk")).exclude(actual_date__lte=as_of)
        overdue = pending.filter(planned_date__lt=as_of)
        open_problems = Problem.objects.open_at(as_of)

        # The plan of the year is a join (one row per project and year), so that the
        # expressions below can refer to it many times at no extra cost.
        queryset = self.alias(
            period_plan=FilteredRelation(
                "annual_plans", condition=Q(annual_plans__year=period.year)
            )
        ).annotate(
            annual_plan=ExpressionWrapper(F("period_plan__planned_investment"), output_field=MONEY),
            month_amount=money_sum(reports.filter(year=period.year, month=period.month)),
            ytd=money_sum(reports.filter(year=period.year)),
            cumulative=money_sum(reports),
            # NULL when the plan is not split by month.
            planned_by_month=plan_sum(plan_months.filter(month__lte=period.month)),
            start_month=start_month(period),
            earliest_overdue=Subquery(overdue.order_by("planned_date").values("planned_date")[:1]),
            overdue_milestones=count_of(overdue),
            next_milestone=Subquery(pending.order_by("planned_date", "order").values("name")[:1]),
            next_milestone_date=Subquery(
                pending.order_by("planned_date", "order").values("planned_date")[:1]
            ),
            open_problems=count_of(open_problems),
            overdue_problems=count_of(Problem.objects.overdue_at(as_of)),
        )
        # 序时进度: the cumulative monthly plan when the plan is split by month, otherwise
        # linear from the month the plan starts (see docs/user-guide.zh.md).
        queryset = queryset.annotate(
            completion_rate=RoundedPercent(F("ytd"), F("annual_plan")),
            max_delay=DaysSince(F("earliest_overdue"), until=as_of),
            time_schedule=Coalesce(
                RoundedPercent(F("planned_by_month"), F("annual_plan")),
                LinearShare(F("start_month"), period.month),
                output_field=PERCENT,
            ),
            planned_to_date=Coalesce(
                F("planned_by_month"),
                Round(
                    F("annual_plan") * LinearShare(F("start_month"), period.month, percent=False),
                    2,
                ),
                output_field=MONEY,
            ),
        )
        queryset = queryset.annotate(
            gap=Round(F("time_schedule") - F("completion_rate"), 2, output_field=PERCENT),
        )
        return queryset.annotate(
            light_rank=Case(
                When(
                    (Q(annual_plan__isnull=True) | Q(annual_plan=0))
                    & ~models.Exists(Milestone.objects.filter(project=OuterRef("pk"))),
                    then=Value(NONE),
                ),
                When(
                    Q(gap__gt=settings.JIEFANG_LIGHT_RED_GAP) | Q(earliest_overdue__lt=red_cutoff),
                    then=Value(RED),
                ),
                When(
                    Q(gap__gte=settings.JIEFANG_LIGHT_YELLOW_GAP)
                    | Q(earliest_overdue__isnull=False),
                    then=Value(YELLOW),
                ),
                default=Value(GREEN),
                output_field=IntegerField(),
            ),
        )

    def pace(self, period):
        """The dashboard's curves: planned for months 0–12 and completed for months 0 to the
        period's month. For the whole register the completed months come from the progress
        table's month totals (kept by every write) when it holds each month of the year so
        far; otherwise, or for a filtered set, from curves()."""
        kept = None if self.query.where else store.completed_by_month(self.model, period)
        if kept is None:
            planned, completed = self.curves(period.year)
            return planned, completed[: period.month + 1]
        planned, _none = self.curves(period.year, completed=False)
        completed, running = [(0, Decimal(0))], Decimal(0)
        for month, total in kept:
            running += total
            completed.append((month, quantize(running)))
        return planned, completed

    def curves(self, year, completed=True):
        """(planned, completed): [(month, cumulative amount)] for months 0–12 of `year`,
        summed over these projects, in one query (completed is empty when not asked for).
        Planned follows with_progress's planned_to_date (monthly plans where split, else
        linear from the start month)."""
        AnnualPlan, MonthlyReport = _related(self.model, "annual_plans", "reports")
        MonthlyPlan = _related(AnnualPlan, "months")
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

    def with_report_text(self, year, month=None):
        """Annotate report_progress and report_problems (形象进度, 存在问题) of the latest
        report of the period's year up to its month, and report_month, the month it is of."""
        MonthlyReport = _related(self.model, "reports")
        period = _as_period(year, month)
        latest = MonthlyReport.objects.filter(
            project=OuterRef("pk"), year=period.year, month__lte=period.month
        ).order_by("-month")
        return self.annotate(
            report_progress=Subquery(latest.values("physical_progress")[:1]),
            report_problems=Subquery(latest.values("problems")[:1]),
            report_month=Subquery(latest.values("month")[:1]),
        )

    def expected_to_report(self, year, month=None):
        """Projects that owe a report for the month: all but those still being planned and
        those completed before the month began (the one rule of the dashboard, 填报情况 and
        the reminders)."""
        period = _as_period(year, month)
        began = datetime.date(period.year, period.month, 1)
        return self.exclude(status="planning").exclude(
            Q(status="completed")
            & (Q(actual_completion__isnull=True) | Q(actual_completion__lt=began))
        )

    def without_report(self, year, month=None):
        """Those with no report for the month (an anti-join, not a lookup per project)."""
        MonthlyReport = _related(self.model, "reports")
        period = _as_period(year, month)
        return self.exclude(
            models.Exists(
                MonthlyReport.objects.filter(
                    project=OuterRef("pk"), year=period.year, month=period.month
                )
            )
        )

    def with_report_status(self, year, month=None):
        """Annotate report_id and report_submitted_at: the project's report for that month
        and when it came in, or None."""
        MonthlyReport = _related(self.model, "reports")
        period = _as_period(year, month)
        report = MonthlyReport.objects.filter(
            project=OuterRef("pk"), year=period.year, month=period.month
        )
        return self.annotate(
            report_id=Subquery(report.values("pk")[:1]),
            report_submitted_at=Subquery(report.values("submitted_at")[:1]),
        )

    def with_stored_progress(self, year, month=None):
        """The figures of with_progress, read from the progress table (see store.py): a join
        rather than subqueries per project, for pages that judge every project at once.
        Builds the month in the table first when it is missing or stale."""
        period = _as_period(year, month)
        store.ensure(self.model, period)
        return self.alias(
            stored=FilteredRelation(
                "progress_rows",
                condition=Q(progress_rows__year=period.year, progress_rows__month=period.month),
            )
        ).annotate(**{name: F(f"stored__{name}") for name in store.FIGURES})

    def summary(self, year, month=None, by="zone"):
        """Totals per zone (or per lead official) and overall, from the same figures as the rows.

        Returns (rows, total): one dict per group that has projects, and the overall dict,
        each with count, total_investment, annual_plan, ytd, cumulative, completion_rate,
        time_schedule and the number of projects per light (none, green, yellow, red).
        """
        period = _as_period(year, month)
        fields, ordering = SUMMARY_GROUPS[by]
        # Added up in SQL over the progress table: one grouped join, whatever the number of
        # projects.
        groups = (
            self.with_stored_progress(period)
            .order_by()
            .values(*fields)
            .annotate(
                count=models.Count("pk"),
                **{f"sum_{name}": models.Sum(name) for name in SUMMED},
                **{
                    f"lights_{name}": models.Count("pk", filter=Q(light_rank=rank))
                    for rank, name in LIGHT_NAMES.items()
                },
            )
            .order_by(*ordering)
        )
        rows = []
        for group in groups:
            row = {name: group[name] for name in fields} | _empty_totals()
            row["count"] = group["count"]
            for name in SUMMED:
                row[name] = Decimal(group[f"sum_{name}"] or 0)
            for name in LIGHT_NAMES.values():
                row[name] = group[f"lights_{name}"]
            rows.append(row)
        # The total is the sum of the groups, so the two can never disagree.
        total = _empty_totals()
        for row in rows:
            for name in ("count", *SUMMED, *LIGHT_NAMES.values()):
                total[name] += row[name]
        for row in [*rows, total]:
            for name in SUMMED:
                row[name] = quantize(row[name])
            row["completion_rate"] = percent(row["ytd"], row["annual_plan"])
            # Plan-weighted: the plans due by the month over the annual plans.
            row["time_schedule"] = (
                percent(row["planned_to_date"], row["annual_plan"])
                if row["annual_plan"]
                else period.time_schedule
            )
            row["gap"] = (
                None
                if row["completion_rate"] is None
                else quantize(row["time_schedule"] - row["completion_rate"])
            )
        return rows, total


class ReportQuerySet(models.QuerySet):
    """Monthly reports."""

    def filter_before(self, period):
        """Reports of the months before `period`."""
        return self.filter(Q(year__lt=period.year) | Q(year=period.year, month__lt=period.month))

    def latest_period(self):
        """The latest month that has reports, or the current month when there are none."""
        latest = self.order_by("-year", "-month").values_list("year", "month").first()
        return Period(*latest) if latest else Period.current()
