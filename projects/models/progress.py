"""The progress table: the engine's figures for each project and month, kept for the pages
that judge every project at once (totals, light filters and sorts, rankings).

The engine (Project.objects.with_progress) stays the one definition of every figure; these
rows are its output, written by projects.progress.store whenever a report, plan, milestone,
problem or project changes, and rebuilt for a month whose as-of day has passed. See
docs/architecture.md.
"""

from collections.abc import Iterable

from django.db import models, transaction
from django.db.models import signals
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from projects.progress import store
from projects.progress.period import Period
from projects.scope import RestrictedQuerySet

from .base import MONEY
from .register import Official, Project, Zone

PERCENT = {"max_digits": 9, "decimal_places": 2}
TOTAL = {"max_digits": 18, "decimal_places": 2}  # a sum over up to millions of projects


class ProgressPeriod(models.Model):
    """A month held in the progress table, and the day and thresholds it was computed for."""

    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    as_of = models.DateField(_("as of"))
    rules = models.CharField(_("light thresholds"), max_length=100)
    built_at = models.DateTimeField(_("built at"), auto_now=True)
    used_on = models.DateField(_("last used on"))

    class Meta:
        verbose_name = _("progress table month")
        verbose_name_plural = _("progress table months")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "month"],
                name="progressperiod_unique_month",
                violation_error_message=_("The progress table already holds this month."),
            )
        ]

    def __str__(self):
        return f"{self.year}-{self.month:02d}"


class ProjectProgress(models.Model):
    """One project's figures at the end of one month (as of the period's day)."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="progress_rows", db_index=False
    )
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    annual_plan = models.DecimalField(null=True, **MONEY)
    month_amount = models.DecimalField(**MONEY)
    ytd = models.DecimalField(**MONEY)
    cumulative = models.DecimalField(**MONEY)
    planned_to_date = models.DecimalField(null=True, **MONEY)
    completion_rate = models.DecimalField(null=True, **PERCENT)
    time_schedule = models.DecimalField(null=True, **PERCENT)
    gap = models.DecimalField(null=True, **PERCENT)
    earliest_overdue = models.DateField(null=True)
    overdue_milestones = models.IntegerField()
    max_delay = models.IntegerField(null=True)
    # NULL as the engine returns it when nothing is pending (the table holds its output as is).
    next_milestone = models.CharField(max_length=100, null=True)  # noqa: DJ001
    next_milestone_date = models.DateField(null=True)
    open_problems = models.IntegerField()
    overdue_problems = models.IntegerField()
    light_rank = models.SmallIntegerField()
    # Beside the engine's figures: what the totals group by and add up, as the project stood
    # when its row was written, so that a recompute can take the old row out of its group.
    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+", db_index=False)
    lead_official = models.ForeignKey(
        Official, null=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    total_investment = models.DecimalField(**MONEY)
    report_missing = models.BooleanField()  # owes the month's report and has none
    report_expected = models.BooleanField()  # owes the month's report
    report_on_time = models.BooleanField()  # owes it, and it came in by its due date

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("project progress")
        verbose_name_plural = _("project progress")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year", "month"],
                name="projectprogress_unique_month",
                violation_error_message=_(
                    "The progress table already holds this project's figures for the month."
                ),
            )
        ]
        indexes = [
            # A light's projects in order of their gap (the red list), and the light sort.
            models.Index(
                fields=["year", "month", "light_rank", "gap"], name="progress_month_light"
            ),
        ]

    def __str__(self):
        return f"{self.project_id} {self.year}-{self.month:02d}"


class ProgressTotal(models.Model):
    """A month of the table added up per zone and lead official: the totals, the officials
    list and the dashboard (its curves and missing reports) read these few rows. Every
    recompute moves them by the difference between a project's rows before and after."""

    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+", db_index=False)
    lead_official = models.ForeignKey(
        Official, null=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    projects = models.IntegerField(default=0)
    total_investment = models.DecimalField(default=0, **TOTAL)
    annual_plan = models.DecimalField(default=0, **TOTAL)
    month_amount = models.DecimalField(default=0, **TOTAL)
    ytd = models.DecimalField(default=0, **TOTAL)
    cumulative = models.DecimalField(default=0, **TOTAL)
    planned_to_date = models.DecimalField(default=0, **TOTAL)
    lights_none = models.IntegerField(default=0)
    lights_green = models.IntegerField(default=0)
    lights_yellow = models.IntegerField(default=0)
    lights_red = models.IntegerField(default=0)
    missing_reports = models.IntegerField(default=0)
    reports_expected = models.IntegerField(default=0)
    reports_on_time = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("progress total")
        verbose_name_plural = _("progress totals")
        constraints = [
            # One row per group (NULL, no lead official, is a group too): a writer that adds a
            # group's first project inserts it with ON CONFLICT DO NOTHING (see store.py).
            models.UniqueConstraint(
                "year",
                "month",
                "zone",
                Coalesce("lead_official", 0),
                name="progresstotal_unique_group",
                violation_error_message=_("The progress table already holds this group's total."),
            )
        ]

    def __str__(self):
        return f"{self.year}-{self.month:02d} {self.zone_id}/{self.lead_official_id}"


def refresh_progress(project_ids):
    """Recompute these projects' rows after a write the signals do not see (bulk writes)."""
    store.refresh(Project, project_ids)


def complete_progress(period, projects=None):
    """Write the rows the held month lacks (of `projects`, all by default): projects written
    around the signals. Returns their ids."""
    return store.complete(Project, period, projects)


def whole_year(period: Period) -> list[Period]:
    return [Period(period.year, month) for month in range(1, 13)]


def months_to_hold(extra: Iterable[Period] = ()) -> set[Period]:
    """The months the table keeps built: every month of this year and of the year of the
    latest reports (the dashboard's curves add up all twelve), last month, and `extra`."""
    from .reporting import MonthlyReport

    current = Period.current()
    latest = MonthlyReport.objects.latest_period()
    return {*whole_year(current), *whole_year(latest), current.shifted(-1), *extra}


@task()
def rebuild_progress() -> dict[str, int]:
    """The task: build every month to hold that is missing or stale (months held and months
    to hold), and write the rows missing from the current month; what `refresh_progress`
    does at night, run by a worker as soon as a change left months to rebuild."""
    months = months_to_hold() | {
        Period(year, month) for year, month in ProgressPeriod.objects.values_list("year", "month")
    }
    built = store.build(Project, sorted(months, key=lambda period: period.key))
    missing = store.complete(Project, Period.current())
    return {"built": len(built), "completed": len(missing)}


def rebuild_soon() -> None:
    """Enqueue the rebuild once the writer's transaction commits (a worker takes it at
    once), instead of leaving the first reader, or the night, to build the months."""
    transaction.on_commit(rebuild_progress.enqueue)


def rebuild_if_stale() -> bool:
    """Enqueue the rebuild when the month in progress is held as of another day (a new day
    has begun) or under other thresholds: called by every pass of `send_reminders`, so that
    the first pass after midnight has a worker rebuild the month before anyone reads it."""
    period = Period.current()
    held = (
        ProgressPeriod.objects.filter(year=period.year, month=period.month)
        .values_list("as_of", "rules")
        .first()
    )
    if held is None or held == (period.as_of, store.rules()):
        return False
    rebuild_progress.enqueue()
    return True


def recompute_once():
    """A block whose writes recompute each project they touch once, at its end (see
    store.once): for an action that writes several rows of one project."""
    return store.once(Project)


def clear_progress():
    """Forget every month held (after writes that bypass the models, such as seeding)."""
    store.clear(Project)


# What each write changes: the projects whose figures a saved or deleted row touches (both
# projects when a row moved from one to another).
def _remember_project(sender, instance, **kwargs):
    instance._progress_project = instance.__dict__.get("project_id")


def _of_project(instance):
    moved_from = getattr(instance, "_progress_project", None)
    instance._progress_project = instance.project_id
    return [instance.project_id, moved_from]


def _of_plan_month(instance):
    return [instance.annual_plan.project_id]


def _of_meeting(instance):
    return list(instance.problems.values_list("project_id", flat=True).distinct())


def _refresh_after(projects_of):
    def receiver(sender, instance, raw=False, **kwargs):
        if raw:  # loading fixtures: the rows' relations may not be there yet
            store.clear_once(Project)
            return
        store.refresh(Project, projects_of(instance))

    return receiver


def watch():
    """Connect the writes that change a figure to the progress table (from AppConfig.ready)."""
    from .meetings import Meeting, Problem
    from .milestones import Milestone
    from .plans import AnnualPlan, MonthlyPlan
    from .reporting import MonthlyReport

    watched = [
        (Project, lambda project: [project.pk]),
        (MonthlyReport, _of_project),
        (AnnualPlan, _of_project),
        (MonthlyPlan, _of_plan_month),
        (Milestone, _of_project),
        (Problem, _of_project),
        (Meeting, _of_meeting),
    ]
    for model, projects_of in watched:
        receiver = _refresh_after(projects_of)
        uid = f"progress-{model._meta.model_name}"
        signals.post_save.connect(receiver, sender=model, weak=False, dispatch_uid=uid)
        if model is not Project:
            signals.post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=uid)
        if projects_of is _of_project:
            signals.post_init.connect(_remember_project, sender=model, dispatch_uid=uid)
    # A deleted project leaves the table (and its totals) before its rows cascade.
    signals.pre_delete.connect(
        lambda sender, instance, **kwargs: store.forget(Project, [instance.pk]),
        sender=Project,
        weak=False,
        dispatch_uid="progress-project-gone",
    )
    signals.post_delete.connect(
        lambda sender, instance, **kwargs: store.deleted([instance.pk]),
        sender=Project,
        weak=False,
        dispatch_uid="progress-project-gone",
    )
