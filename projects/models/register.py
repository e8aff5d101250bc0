"""The key-project register: zones, officials, units, projects and their progress."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .querysets import GREEN, RED, YELLOW, ProblemQuerySet, ProjectQuerySet

MONEY = {"max_digits": 14, "decimal_places": 2}


MONTH_VALIDATORS = [
    MinValueValidator(1, message=_("The month must be between 1 and 12.")),
    MaxValueValidator(12, message=_("The month must be between 1 and 12.")),
]


def non_negative(value):
    if value is not None and value < 0:
        raise ValidationError(_("Amounts cannot be negative."), code="negative")


def not_in_future(value):
    if value is not None and value > timezone.localdate():
        raise ValidationError(_("An actual date cannot be in the future."), code="future")


class StaleVersion(Exception):
    """Someone else saved the row since this copy was loaded (no update was made)."""


class Versioned(models.Model):
    """Optimistic locking: an UPDATE only succeeds at the version the editor loaded.

    Set `version` to the version the form was loaded at before saving; the UPDATE
    carries "WHERE version = loaded" and raises StaleVersion when another save came first.
    """

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._loaded_version = self.version if not self._state.adding else None
        if self._loaded_version is not None:
            self.version = self._loaded_version + 1
        try:
            # A savepoint, so that a refused update leaves an enclosing transaction usable.
            with transaction.atomic(using=kwargs.get("using")):
                super().save(*args, **kwargs)
        except StaleVersion:
            self.version = self._loaded_version
            raise

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update):
        loaded = getattr(self, "_loaded_version", None)
        if loaded is None:
            return super()._do_update(base_qs, using, pk_val, values, update_fields, forced_update)
        updated = super()._do_update(
            base_qs.filter(version=loaded), using, pk_val, values, update_fields, forced_update
        )
        if not updated and base_qs.filter(pk=pk_val).exists():
            raise StaleVersion(self)
        return updated


class Light(models.TextChoices):
    """The pace light of a project, from DOMAIN.md."""

    GREEN = "green", _("On schedule")
    YELLOW = "yellow", _("Behind schedule")
    RED = "red", _("Seriously behind")

    @classmethod
    def from_rank(cls, rank):
        return {GREEN: cls.GREEN, YELLOW: cls.YELLOW, RED: cls.RED}[rank]

    @property
    def rank(self):
        return {self.GREEN: GREEN, self.YELLOW: YELLOW, self.RED: RED}[self]


class ReportStatus(models.TextChoices):
    """Where a project's report for a month stands."""

    MISSING = "missing", _("Missing")
    SUBMITTED = "submitted", _("Submitted")
    LOCKED = "locked", _("Locked")


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


class Official(models.Model):
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

    class Meta:
        ordering = ["name"]
        verbose_name = _("lead official")
        verbose_name_plural = _("lead officials")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("projects:official_detail", args=[self.pk])


class Unit(models.Model):
    """A responsible department, a street office or another body."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Responsible department")
        STREET = "street", _("Street office")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.DEPARTMENT)

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
        return "; ".join(str(reason) for reason in reasons)


class AnnualPlan(models.Model):
    """The investment planned for a project in one year (年度计划投资)."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="annual_plans"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    planned_investment = models.DecimalField(
        _("annual planned investment (10k yuan)"), validators=[non_negative], **MONEY
    )
    target = models.TextField(_("annual target"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "year"]
        verbose_name = _("annual plan")
        verbose_name_plural = _("annual plans")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year"],
                name="annualplan_unique_year",
                violation_error_message=_("This project already has a plan for that year."),
            ),
            models.CheckConstraint(
                condition=models.Q(planned_investment__gte=0),
                name="annualplan_planned_investment_non_negative",
            ),
        ]

    def __str__(self):
        return f"{self.project} {self.year}"


class Milestone(Versioned):
    """A dated step of a project (时间节点); the baseline keeps the first planned date."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        OVERDUE = "overdue", _("Overdue")
        ON_TIME = "on_time", _("Done on time")
        LATE = "late", _("Done late")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="milestones"
    )
    name = models.CharField(_("milestone"), max_length=100)
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
        return f"{self.project.name} · {self.name}"

    def save(self, *args, **kwargs):
        if self.baseline_date is None:
            self.baseline_date = self.planned_date
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        start = self.project.actual_start if self.project_id else None
        if self.actual_date and start and self.actual_date < start:
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


class MonthlyReport(Versioned):
    """A project's progress in one month: investment completed, 形象进度, problems."""

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="reports",
        # The (project, year, month) unique index serves lookups by project, and better.
        db_index=False,
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    month = models.PositiveSmallIntegerField(
        _("month"),
        validators=MONTH_VALIDATORS,
    )
    amount = models.DecimalField(
        _("investment completed this month (10k yuan)"), validators=[non_negative], **MONEY
    )
    physical_progress = models.TextField(_("physical progress"), blank=True)
    problems = models.TextField(_("problems"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "year", "month"]
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year", "month"],
                name="monthlyreport_unique_month",
                violation_error_message=_(
                    "This project already has a report for that month; edit it instead."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="monthlyreport_amount_non_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12),
                name="monthlyreport_month_range",
            ),
        ]
        indexes = [models.Index(fields=["year", "month"], name="monthlyreport_period")]

    def __str__(self):
        return f"{self.project} {self.year}-{self.month:02d}"

    def clean(self):
        super().clean()
        today = timezone.localdate()
        if self.year and self.month and (self.year, self.month) > (today.year, today.month):
            raise ValidationError(
                {"month": _("That month has not begun; it cannot be reported yet.")}
            )

    @property
    def is_locked(self):
        return MonthLock.on(self.year, self.month).exists()


class MonthLock(models.Model):
    """A month closed by the project office: its reports can then be changed only by the office."""

    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("locked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    locked_at = models.DateTimeField(_("locked at"), default=timezone.now)

    class Meta:
        ordering = ["-year", "-month"]
        verbose_name = _("locked month")
        verbose_name_plural = _("locked months")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "month"],
                name="monthlock_unique_month",
                violation_error_message=_("That month is already locked."),
            ),
        ]

    def __str__(self):
        return f"{self.year}-{self.month:02d}"

    @classmethod
    def on(cls, year, month):
        """The lock on a month, as a queryset (empty when the month is open)."""
        return cls.objects.filter(year=year, month=month)


class Meeting(models.Model):
    """A monthly "四区联建" meeting (例会), numbered within its year."""

    number = models.PositiveSmallIntegerField(_("number"))
    date = models.DateField(_("date"))
    year = models.PositiveSmallIntegerField(_("year reviewed"))
    month = models.PositiveSmallIntegerField(
        _("month reviewed"),
        validators=MONTH_VALIDATORS,
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    venue = models.CharField(_("venue"), max_length=100, blank=True)
    chair = models.CharField(_("chair"), max_length=50, blank=True)
    attendees = models.TextField(_("attendees"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "number"],
                name="meeting_unique_number",
                violation_error_message=_("A meeting with this number already exists that year."),
            ),
        ]

    def __str__(self):
        return self.title or self.default_title

    def get_absolute_url(self):
        return reverse("projects:meeting_detail", args=[self.pk])

    @property
    def default_title(self):
        return _("Meeting no. %(number)s of %(year)s") % {"number": self.number, "year": self.year}

    def month_lock(self):
        """The lock on the month this meeting reviewed, or None."""
        return MonthLock.on(self.year, self.month).select_related("locked_by").first()

    @property
    def period(self):
        from .periods import Period

        return Period(self.year, self.month)

    @classmethod
    def next_number(cls, year):
        """Meetings are numbered from 1 within each year."""
        last = cls.objects.filter(year=year).aggregate(models.Max("number"))["number__max"]
        return (last or 0) + 1


class Problem(Versioned):
    """A problem raised at a meeting and chased until it is closed (销号)."""

    class Disposition(models.TextChoices):
        ON_SPOT = "on_spot", _("Solved on the spot")
        DEADLINE = "deadline", _("Solved by a deadline")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="problem_items"
    )
    note = models.TextField(
        _("note"), blank=True, help_text=_("How it was solved on the spot, or other remarks.")
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="problems",
    )
    description = models.TextField(_("description"))
    responsible_unit = models.ForeignKey(
        Unit,
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="problems",
    )
    disposition = models.CharField(
        _("disposition"), max_length=20, choices=Disposition, default=Disposition.DEADLINE
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closing_note = models.TextField(_("closing note"), blank=True)
    history = HistoricalRecords()

    objects = ProblemQuerySet.as_manager()

    class Meta:
        ordering = ["status", "deadline", "pk"]
        verbose_name = _("problem")
        verbose_name_plural = _("problems")

    def __str__(self):
        return self.description[:40]

    def save(self, *args, **kwargs):
        if self.status == self.Status.CLOSED and self.closed_at is None:
            self.closed_at = timezone.now()
        if self.status == self.Status.OPEN:
            self.closed_at = None
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("projects:problem_detail", args=[self.pk])

    def clean(self):
        super().clean()
        errors = {}
        if self.disposition == self.Disposition.DEADLINE:
            if self.deadline is None:
                errors["deadline"] = _("A deadline is required for a problem solved by deadline.")
            elif self.meeting_id and self.deadline < self.meeting.date:
                errors["deadline"] = _("The deadline cannot be before the meeting date.")
        if self.status == self.Status.CLOSED and not self.closing_note.strip():
            errors["closing_note"] = _("A problem cannot be closed without a closing note.")
        if errors:
            raise ValidationError(errors)


class MilestoneTemplate(models.Model):
    """A named sequence of milestones for reverse scheduling (倒排工期)."""

    name = models.CharField(_("name"), max_length=100, unique=True)

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
