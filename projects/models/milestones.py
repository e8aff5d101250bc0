"""Milestones of a project (时间节点) and the templates that plan them backwards (倒排工期)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.scope import RestrictedQuerySet

from .base import Versioned, not_in_future, project_of
from .register import Project


class Milestone(Versioned):
    """A dated step of a project (时间节点); the baseline keeps the first planned date."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        OVERDUE = "overdue", _("Overdue")
        ON_TIME = "on_time", _("Done on time")
        LATE = "late", _("Done late")

    class Kind(models.TextChoices):
        CONSTRUCTION = "construction", _("Construction")
        PREPARATION = "preparation", _("Pre-construction approval")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="milestones"
    )
    name = models.CharField(_("milestone"), max_length=100)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind, default=Kind.CONSTRUCTION, db_index=True
    )
    approval_number = models.CharField(
        _("approval number"), max_length=100, blank=True, help_text=_("批复文号, for approvals.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    baseline_date = models.DateField(
        _("baseline date"),
        null=True,
        blank=True,
        help_text=_("The first planned date; kept when the milestone is re-planned."),
    )
    planned_date = models.DateField(_("planned date"))
    actual_date = models.DateField(
        _("actual date"), null=True, blank=True, validators=[not_in_future]
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["project", "order", "planned_date"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        indexes = [models.Index(fields=["project", "planned_date"], name="milestone_project_date")]

    def __str__(self):
        return f"{project_of(self, with_code=False)} · {self.name}"

    def save(self, *args, **kwargs):
        if self.baseline_date is None:
            self.baseline_date = self.planned_date
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        # Approvals (前期手续) come before construction starts; construction steps do not.
        start = self.project.actual_start if self.project_id else None
        if (
            self.kind == self.Kind.CONSTRUCTION
            and self.actual_date
            and start
            and self.actual_date < start
        ):
            raise ValidationError(
                {"actual_date": _("The actual date cannot be before the project started.")}
            )

    @staticmethod
    def state_of(planned, actual, as_of):
        """(state, delay in days) of a milestone planned for `planned`, judged at `as_of`.

        Done late keeps its delay as history; open and past due counts up to `as_of`.
        The rows-at-a-time exports call this directly on plain values.
        """
        if actual is not None and actual <= as_of:
            delay = max((actual - planned).days, 0)
            return (Milestone.State.LATE if delay else Milestone.State.ON_TIME), delay
        if planned < as_of:
            return Milestone.State.OVERDUE, (as_of - planned).days
        return Milestone.State.PENDING, 0

    def status_at(self, as_of):
        return self.state_of(self.planned_date, self.actual_date, as_of)[0]

    def delay_at(self, as_of):
        return self.state_of(self.planned_date, self.actual_date, as_of)[1]

    def is_overdue_at(self, as_of):
        """Past its planned date at `as_of` and not done by then."""
        return self.status_at(as_of) == self.State.OVERDUE

    @property
    def slip_days(self):
        """How far re-planning moved the date from the baseline."""
        if self.baseline_date is None:
            return 0
        return (self.planned_date - self.baseline_date).days


class MilestoneTemplate(models.Model):
    """A named sequence of milestones for reverse scheduling (倒排工期)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=Milestone.Kind,
        default=Milestone.Kind.CONSTRUCTION,
        help_text=_("The kind of the milestones it plans."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("milestone template")
        verbose_name_plural = _("milestone templates")

    def __str__(self):
        return self.name


class MilestoneTemplateItem(models.Model):
    """One step of a template; its duration is the time from the previous step to this one."""

    template = models.ForeignKey(
        MilestoneTemplate,
        verbose_name=_("template"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    name = models.CharField(_("milestone"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    duration_days = models.PositiveIntegerField(
        _("duration (days)"),
        help_text=_("Days needed from the previous milestone to this one."),
    )

    class Meta:
        ordering = ["template", "order"]
        verbose_name = _("template milestone")
        verbose_name_plural = _("template milestones")

    def __str__(self):
        return self.name
