"""The key-project register: zones, officials, units, projects, plans and milestones."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.progress.querysets import ProjectQuerySet
from projects.scope import RestrictedQuerySet

from .base import MONEY, Light, Versioned, non_negative, not_in_future
from .geo import (
    COORDINATE,
    check_point,
    outline_geometry,
    validate_latitude,
    validate_longitude,
    validate_outline,
)
from .regions import Region, default_region
from .stages import Stage
from .stats import StatsRecord
from .webhooks import SendingErrors, validate_webhook_url


def region_field(related_name):
    """The region a zone, unit, official, project or meeting belongs to (the single district
    by default, so that an instance with one district never has to name it)."""
    return models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        default=default_region,
        blank=True,
        related_name=related_name,
    )


class RegionBound(models.Model):
    """A row of one region: left blank, the single district's (forms, imports and the admin
    of a single-district instance never ask); with several districts it must be chosen."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.region_id is None:
            self.region_id = default_region()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.region_id is None:
            self.region_id = default_region()
        if self.region_id is None:
            raise ValidationError({"region": _("Choose the region it belongs to.")})


# 全国投资项目在线审批监管平台 code: year-region(6)-industry(2)-type(2)-serial(6), 24 characters.
national_code_validator = RegexValidator(
    r"^[0-9]{4}-[0-9]{6}-[0-9]{2}-[0-9]{2}-[0-9]{6}$",
    message=_("The national project code has 24 characters, like 2013-410802-70-01-000123."),
)


def validate_levels(value):
    """Levels are the codes of Project.Level, separated by commas."""
    known = {"district", "city", "province"}
    if any(level not in known for level in value.split(",") if value):
        raise ValidationError(
            _("Levels are district, city or province, separated by commas."), code="levels"
        )


class Zone(RegionBound):
    """One of the four "四区联建" development zones."""

    name = models.CharField(_("name"), max_length=50)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    region = region_field("zones")
    outline = models.JSONField(
        _("outline"),
        null=True,
        blank=True,
        validators=[validate_outline],
        help_text=_("The zone's boundary on the map: a GeoJSON Polygon or MultiPolygon."),
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"],
                name="zone_unique_name",
                violation_error_message=_("The region already has a zone of this name."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.outline:
            self.outline = outline_geometry(self.outline)


class Official(RegionBound, SendingErrors):
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

    region = region_field("officials")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("lead official")
        verbose_name_plural = _("lead officials")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("projects:official_detail", args=[self.pk])


class Unit(RegionBound, SendingErrors):
    """A responsible department, a street office or another body."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Responsible department")
        STREET = "street", _("Street office")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.DEPARTMENT)
    region = region_field("units")
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

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"],
                name="unit_unique_name",
                violation_error_message=_("The region already has a unit of this name."),
            ),
        ]

    def __str__(self):
        return self.name


class Project(RegionBound, StatsRecord, Versioned):
    """A key project (重点项目) with its investment, leadership and dates."""

    class Category(models.TextChoices):
        INDUSTRY = "industry", _("Industry")
        COMMERCE = "commerce", _("Commerce and services")
        TOURISM = "tourism", _("Culture and tourism")
        INFRASTRUCTURE = "infrastructure", _("Infrastructure")
        SOCIAL = "social", _("Social and livelihood")

    class Level(models.TextChoices):
        DISTRICT = "district", "区重点"
        CITY = "city", "市重点"
        PROVINCE = "province", "省重点"

    Stage = Stage

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
    region = region_field("projects")
    levels = models.CharField(
        _("levels"),
        max_length=40,
        default=Level.DISTRICT,
        blank=True,
        validators=[validate_levels],
        help_text=_("区重点, 市重点, 省重点: one or several, as district,city,province."),
    )
    zone = models.ForeignKey(
        Zone, verbose_name=_("zone"), on_delete=models.PROTECT, related_name="projects"
    )
    owner = models.CharField(_("owner"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        validators=[validate_latitude],
        help_text=_("WGS-84 degrees north, as a phone's position gives them."),
        **COORDINATE,
    )
    longitude = models.DecimalField(
        _("longitude"),
        validators=[validate_longitude],
        help_text=_("WGS-84 degrees east."),
        **COORDINATE,
    )
    scope = models.TextField(_("scope and scale"), blank=True)
    total_investment = models.DecimalField(
        _("total investment (10k yuan)"), validators=[non_negative], **MONEY
    )
    category = models.CharField(
        _("category"), max_length=20, choices=Category, default=Category.COMMERCE
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PLANNING)
    # Changed only through projects/life/stages.py's change_stage, which dates each change.
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage, default=Stage.PREPARATION, editable=False
    )
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
        indexes = [
            # What the problem register's groups (ranking, 督办 counts) join on: projects by
            # id with their region, lead official and zone, from the index alone, merged with
            # the problems by project (100,000 projects: 50 ms, not 72–96 reading the rows).
            models.Index(
                fields=["id"], include=["region", "lead_official", "zone"], name="project_groups"
            ),
            # 开工率's projects not started, read in the order of their planned start.
            models.Index(fields=["planned_start", "code"], name="project_planned_start"),
        ]
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

    @property
    def level_labels(self):
        """The project's levels in words (区重点, 市重点)."""
        return [self.Level(level).label for level in self.levels.split(",") if level]

    def clean(self):
        super().clean()
        check_point(self.latitude, self.longitude)
        self.clean_stats()
        if self.zone_id and self.region_id and self.zone.region_id != self.region_id:
            raise ValidationError({"zone": _("The zone belongs to another region.")})
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
