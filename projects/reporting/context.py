"""What a reporter reports against: the plan, the year so far, the projection of this entry,
last month's 形象进度, milestones due or overdue, and the project's open problems."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.functional import cached_property

from projects.models import MonthlyReport, Problem, Project
from projects.progress.period import rate_and_gap


@dataclass
class Projection:
    """The figures an amount entered for the period would give, from the progress engine."""

    amount: Decimal | None
    ytd: Decimal | None
    completion_rate: Decimal | None
    gap: Decimal | None


class ReportContext:
    """The panel beside the report form, for one project and period; each part is read when
    the page first asks for it (the projection needs only the engine's figures)."""

    def __init__(self, project, period):
        self.project = project
        self.period = period
        self.figures = Project.objects.filter(pk=project.pk).with_progress(period).get()
        # The engine's YTD includes this month's report when there is one (an edit).
        self.ytd_before = self.figures.ytd - self.figures.month_amount

    @cached_property
    def previous(self):
        """The latest report before the period."""
        return (
            MonthlyReport.objects.filter(project=self.project)
            .filter_before(self.period)
            .order_by("-year", "-month")
            .first()
        )

    @cached_property
    def milestones(self):
        """Milestones not reached and due by the end of the month (overdue ones included)."""
        as_of = self.period.as_of
        return [
            (milestone, milestone.delay_at(as_of), milestone.status_at(as_of))
            for milestone in self.project.milestones.filter(
                actual_date__isnull=True, planned_date__lte=self.period.month_end
            ).order_by("planned_date", "order")
        ]

    @cached_property
    def problems(self):
        today = timezone.localdate()
        return (
            Problem.objects.open_at(today)
            .filter(project=self.project)
            .with_overdue(today)
            .select_related("responsible_unit")
            .order_by("deadline", "pk")
        )

    @property
    def annual_plan(self):
        return self.figures.annual_plan

    @property
    def time_schedule(self):
        return self.figures.time_schedule

    def projection(self, amount):
        """Completion rate and gap if `amount` is this month's figure (None: not entered)."""
        if amount is None:
            return Projection(None, None, None, None)
        ytd = self.ytd_before + amount
        rate, gap = rate_and_gap(ytd, self.annual_plan, self.time_schedule)
        return Projection(amount, ytd, rate, gap)
