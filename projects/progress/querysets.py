"""The progress engine: every figure of progress and slippage, computed in SQL.

These are the QuerySets of the models (Project.objects, MonthlyReport.objects,
Problem.objects); they reach the other tables through the Project model's relations.

Every list, detail page, dashboard, printout and export reads
`Project.objects.with_progress(year, month)`, so their numbers cannot disagree.
"""

import datetime

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

from projects.scope import RestrictedQuerySet

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
from .lights import GREEN, NONE, RED, YELLOW
from .period import Period
from .relations import as_period, related
from .stages import StagesMixin
from .totals import TotalsMixin


class ProjectQuerySet(StagesMixin, TotalsMixin, RestrictedQuerySet):
    def with_progress(self, year, month=None):
        """Annotate each project with its progress as of the end of `month` of `year`.

        Adds: annual_plan, month_amount, ytd, cumulative, completion_rate, time_schedule (序时进度:
        the monthly plan's cumulative share when there is one, else linear from the plan's
        start month), planned_to_date, gap (points),
        overdue_milestones, max_delay (days), next_milestone, next_milestone_date,
        open_problems, overdue_problems and light_rank (-1 no plan, 0 green, 1 yellow, 2 red).
        `year` may also be a Period.
        """
        MonthlyReport, Milestone, Problem, AnnualPlan = related(
            self.model, "reports", "milestones", "problem_items", "annual_plans"
        )
        MonthlyPlan = related(AnnualPlan, "months")
        period = as_period(year, month)
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
        # linear from the month the plan starts (see docs/user-guide.zh.md); like the
        # completion rate, none without a plan for the year.
        has_plan = Q(annual_plan__gt=0)
        queryset = queryset.annotate(
            completion_rate=RoundedPercent(F("ytd"), F("annual_plan")),
            max_delay=DaysSince(F("earliest_overdue"), until=as_of),
            time_schedule=Case(
                When(
                    has_plan,
                    then=Coalesce(
                        RoundedPercent(F("planned_by_month"), F("annual_plan")),
                        LinearShare(F("start_month"), period.month),
                        output_field=PERCENT,
                    ),
                ),
                default=None,
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

    def with_report_text(self, year, month=None):
        """Annotate report_progress and report_problems (形象进度, 存在问题) of the latest
        report of the period's year up to its month, and report_month, the month it is of."""
        MonthlyReport = related(self.model, "reports")
        period = as_period(year, month)
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
        those completed before the month began (the one rule of the dashboard, 填报情况, the
        reminders, 我的项目, the ranking's 按时填报, the packet and the 月度通报)."""
        return self.filter(_expected_to_report(as_period(year, month)))

    def without_report(self, year, month=None):
        """Those with no report for the month (an anti-join, not a lookup per project)."""
        return self.exclude(self._has_report(as_period(year, month)))

    def with_report_state(self, year, month=None):
        """Annotate what the progress table keeps of the month's report beside the figures:
        report_expected (the project owes it), report_missing (owes it and has none) and
        report_on_time (owes it and it came in by the end of its due date, Period.due_by:
        the ranking's 按时填报). The dashboard, 填报情况 and the ranking add these up."""
        period = as_period(year, month)
        expected = _expected_to_report(period)
        return self._with_month_report(period).annotate(
            report_expected=_flag(expected),
            report_missing=_flag(expected & Q(month_report__isnull=True)),
            report_on_time=_flag(expected & Q(month_report__submitted_at__lt=period.due_by)),
        )

    def _has_report(self, period):
        return models.Exists(self._report(period))

    def _report(self, period):
        """The project's report for the period's month (a subquery on the outer project)."""
        MonthlyReport = related(self.model, "reports")
        return MonthlyReport.objects.filter(
            project=OuterRef("pk"), year=period.year, month=period.month
        )

    def _with_month_report(self, period):
        """Join each project to its report of the period's month, if any (one at most: the
        report's (project, year, month) is unique)."""
        return self.alias(
            month_report=FilteredRelation(
                "reports",
                condition=Q(reports__year=period.year, reports__month=period.month),
            )
        )

    def with_report_status(self, year, month=None):
        """Annotate report_id and report_submitted_at: the project's report for that month
        and when it came in, or None (a join on the report's unique key, not a subquery per
        project)."""
        return self._with_month_report(as_period(year, month)).annotate(
            report_id=F("month_report__pk"),
            report_submitted_at=F("month_report__submitted_at"),
        )

    def last_late_reports(self, year, month=None, by="lead_official"):
        """{group: when the latest of the month's reports that came in after the due date came
        in}, per value of `by` (lead_official, liaisons), over these projects that owe it:
        填报情况's days late of a reporter with nothing missing."""
        period = as_period(year, month)
        late = (
            self.filter(_expected_to_report(period))
            ._with_month_report(period)
            .filter(month_report__submitted_at__gte=period.due_by, **{f"{by}__isnull": False})
            .order_by()
            .values(by)
            .annotate(last=models.Max("month_report__submitted_at"))
        )
        return dict(late.values_list(by, "last"))

    def with_stored_progress(self, year, month=None):
        """The figures of with_progress and the month's report state (with_report_state), read
        from the progress table (see store.py): a join rather than subqueries per project, for
        pages that judge every project at once. Builds the month in the table first when it is
        missing or stale."""
        period = as_period(year, month)
        store.ensure(self.model, period)
        return self.alias(
            stored=FilteredRelation(
                "progress_rows",
                condition=Q(progress_rows__year=period.year, progress_rows__month=period.month),
            )
        ).annotate(**{name: F(f"stored__{name}") for name in (*store.FIGURES, *store.REPORT_STATE)})


def _flag(condition):
    """True or False (never NULL) for a condition on the row."""
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=models.BooleanField()
    )


def _expected_to_report(period):
    """Who owes a report for the month: all but the projects still being planned and those
    completed before the month began."""
    began = datetime.date(period.year, period.month, 1)
    return ~Q(status="planning") & ~(
        Q(status="completed") & (Q(actual_completion__isnull=True) | Q(actual_completion__lt=began))
    )


class ReportQuerySet(RestrictedQuerySet):
    """Monthly reports."""

    def filter_before(self, period):
        """Reports of the months before `period`."""
        return self.filter(Q(year__lt=period.year) | Q(year=period.year, month__lt=period.month))

    def latest_period(self):
        """The latest month that has reports, or the current month when there are none."""
        latest = self.order_by("-year", "-month").values_list("year", "month").first()
        return Period(*latest) if latest else Period.current()
