"""The key-project register: zones, officials, units, projects, plans and milestones."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.progress.querysets import ProjectQuerySet

from .base import MONEY, Light, Versioned, non_negative, not_in_future, project_of
from .webhooks import SendingErrors, validate_webhook_url

# 全国投资项目在线审批监管平台 code: year-region(6)-industry(2)-type(2)-serial(6), 24 characters.
national_code_validator = RegexValidator(
    r"^[0-9]{4}-[0-9]{6}-[0-9]{2}-[0-9]{2}-[0-9]{6}$",
    message=_("The national project code has 24 characters, like 2013-410802-70-01-000123."),
)


class Zone(models.Model):
    """One of the four "四区联建" development zones."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("zone")
        verbose_name_plural = _("zones")

    def __str__(self):
        return self.name


class Official(SendingErrors):
    """A district leader who leads (牵头分包) one or more key projects."""

    name = models.CharField(_("name"), max_length=50)
    position = models.CharField(_("position"), max_length=100, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="official",
    )
    webhook_url = models.URLField(
        _("group robot webhook"),
        max_length=500,
        blank=True,
        validators=[validate_webhook_url],
        help_text=_(
            "Optional: the webhook of a 企业微信 or 钉钉 group robot that receives this "
            "official's reminders."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("lead official")
        verbose_name_plural = _("lead officials")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("projects:official_detail", args=[self.pk])


class Unit(SendingErrors):
    """A responsible department, a street office or another body."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Responsible department")
        STREET = "street", _("Street office")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.DEPARTMENT)
    contacts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contacts"),
        blank=True,
        related_name="contact_units",
        help_text=_("Users who answer for the problems assigned to this unit."),
    )
    webhook_url = models.URLField(
        _("group robot webhook"),
        max_length=500,
        blank=True,
        validators=[validate_webhook_url],
        help_text=_(
            "Optional: the webhook of a 企业微信 or 钉钉 group robot that receives this "
            "unit's reminders."
        ),
    )

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self):
        return self.name


class Project(Versioned):
    """A key project (重点项目) with its investment, leadership and dates."""

    class Category(models.TextChoices):
        INDUSTRY = "industry", _("Industry")
        COMMERCE = "commerce", _("Commerce and services")
        TOURISM = "tourism", _("Culture and tourism")
        INFRASTRUCTURE = "infrastructure", _("Infrastructure")
        SOCIAL = "social", _("Social and livelihood")

    class Status(models.TextChoices):
        PLANNING = "planning", _("Planning")
        TO_START = "to_start", _("To start")
        UNDER_CONSTRUCTION = "under_construction", _("Under construction")
        COMPLETED = "completed", _("Completed")
        SUSPENDED = "suspended", _("Suspended")

    code = models.CharField(_("project code"), max_length=30, unique=True)
    national_code = models.CharField(
        _("national project code"),
        max_length=24,
        blank=True,
        validators=[national_code_validator],
        help_text=_("The 24-character code of the national online approval platform."),
    )
    name = models.CharField(_("project name"), max_length=200)
    zone = models.ForeignKey(
        Zone, verbose_name=_("zone"), on_delete=models.PROTECT, related_name="projects"
    )
    owner = models.CharField(_("owner"), max_length=200, blank=True)
    scope = models.TextField(_("scope and scale"), blank=True)
    total_investment = models.DecimalField(
        _("total investment (10k yuan)"), validators=[non_negative], **MONEY
    )
    category = models.CharField(
        _("category"), max_length=20, choices=Category, default=Category.COMMERCE
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PLANNING)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_completion = models.DateField(_("planned completion"), null=True, blank=True)
    actual_start = models.DateField(
        _("actual start"), null=True, blank=True, validators=[not_in_future]
    )
    actual_completion = models.DateField(
        _("actual completion"), null=True, blank=True, validators=[not_in_future]
    )
    lead_official = models.ForeignKey(
        Official,
        verbose_name=_("lead official"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
    )
    responsible_unit = models.ForeignKey(
        Unit,
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
    )
    street_office = models.ForeignKey(
        Unit,
        verbose_name=_("street office"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="street_projects",
        limit_choices_to={"kind": Unit.Kind.STREET},
    )
    liaisons = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("liaisons"),
        blank=True,
        related_name="liaison_projects",
        help_text=_("Users who may report progress for this project."),
    )

    objects = ProjectQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["liaisons"])

    class Meta:
        ordering = ["code"]
        verbose_name = _("key project")
        verbose_name_plural = _("key projects")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total_investment__gte=0),
                name="project_total_investment_non_negative",
                violation_error_message=_("The total investment cannot be negative."),
            ),
            models.UniqueConstraint(
                fields=["national_code"],
                condition=~models.Q(national_code=""),
                name="project_unique_national_code",
                violation_error_message=_("Another project has this national project code."),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("projects:project_detail", args=[self.pk])

    def clean(self):
        super().clean()
        if (
            self.planned_start
            and self.planned_completion
            and self.planned_completion < self.planned_start
        ):
            raise ValidationError(
                {
                    "planned_completion": _(
                        "The planned completion date cannot be before the planned start date."
                    )
                }
            )

    @property
    def light(self):
        """The pace light from the annotated light_rank (needs with_progress)."""
        return Light.from_rank(self.light_rank)

    @property
    def light_reason(self):
        """Why the project has its light, in words (needs with_progress)."""
        if self.light_rank == Light.NONE.rank:
            return _("No plan for the year and no milestones: the pace cannot be judged")
        reasons = []
        if self.gap is not None and self.gap >= settings.JIEFANG_LIGHT_YELLOW_GAP:
            reasons.append(
                _("completion %(rate)s%% is %(gap)s points behind the time schedule %(schedule)s%%")
                % {"rate": self.completion_rate, "gap": self.gap, "schedule": self.time_schedule}
            )
        if self.overdue_milestones:
            reasons.append(
                _("%(count)s milestone(s) overdue, the worst by %(days)s days")
                % {"count": self.overdue_milestones, "days": self.max_delay}
            )
        if not reasons:
            if self.gap is None:
                return _("No annual plan; no milestone overdue")
            return _("Keeps pace with the time schedule")
        return _("; ").join(str(reason) for reason in reasons)


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
