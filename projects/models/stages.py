"""A project's life: its stage (储备 → 前期 → 新开工 → 续建 → 竣工 → 投产), each change dated
and kept, and the quarterly targets of 开工率 and 竣工率 a region sets itself."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from projects.scope import RestrictedQuerySet

from .regions import Region


class Stage(models.TextChoices):
    """Where a project is in its life. The year's category (新开工, 续建, 竣工投产, 前期)
    follows from the stage changes and the dates (ProjectQuerySet.with_year_category)."""

    RESERVE = "reserve", _("Reserve")
    PREPARATION = "preparation", _("Preparation")
    NEW_START = "new_start", _("New start")
    CONTINUING = "continuing", _("Continuing")
    COMPLETED = "completed", _("Completed")
    IN_OPERATION = "in_operation", _("In operation")

    @classmethod
    def started(cls):
        """The stages of a project under way or done: it has started."""
        return [cls.NEW_START, cls.CONTINUING, cls.COMPLETED, cls.IN_OPERATION]

    @classmethod
    def done(cls):
        """The stages of a finished project."""
        return [cls.COMPLETED, cls.IN_OPERATION]


class StageChange(models.Model):
    """One change of a project's stage: who, on which day, from what to what and on what
    evidence. Made only by projects/life/stages.py's change_stage; a stage moved back is
    a change like any other."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="stage_changes",
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    on = models.DateField(_("date of the change"))
    from_stage = models.CharField(_("from stage"), max_length=20, choices=Stage, blank=True)
    to_stage = models.CharField(_("to stage"), max_length=20, choices=Stage)
    note = models.CharField(
        _("evidence"),
        max_length=500,
        blank=True,
        help_text=_("What shows the change: a permit, a contract, a dated site photo."),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["project", "on", "pk"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        indexes = [models.Index(fields=["project", "on"], name="stagechange_project_on")]

    def __str__(self):
        return f"{self.project} {self.get_from_stage_display()} → {self.get_to_stage_display()}"


PERCENT_VALIDATORS = [MinValueValidator(0), MaxValueValidator(100)]


class StartTarget(models.Model):
    """A region's target for a quarter of a year: the share of the year's planned starts
    (开工率) and completions (竣工率) reached by the quarter's end, in percent. A region
    without one takes its parent's, else JIEFANG_START_TARGETS (30/60/85/100)."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="start_targets"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    start_rate = models.DecimalField(
        _("start rate target (%)"), max_digits=5, decimal_places=2, validators=PERCENT_VALIDATORS
    )
    completion_rate = models.DecimalField(
        _("completion rate target (%)"),
        max_digits=5,
        decimal_places=2,
        validators=PERCENT_VALIDATORS,
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["region", "year", "quarter"]
        verbose_name = _("start and completion target")
        verbose_name_plural = _("start and completion targets")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "quarter"],
                name="starttarget_unique_quarter",
                violation_error_message=_("The region already has a target for this quarter."),
            ),
        ]

    def __str__(self):
        return f"{self.region} {self.year} Q{self.quarter}"

    def clean(self):
        super().clean()
        if self.quarter and not 1 <= self.quarter <= 4:
            raise ValidationError({"quarter": _("The quarter is 1, 2, 3 or 4.")})
