"""Monthly reports of progress and the months the project office has locked."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.progress.querysets import ReportQuerySet
from projects.scope import RestrictedQuerySet

from .base import MONEY, MONTH_VALIDATORS, Versioned, non_negative, project_of
from .register import Project, RegionBound, region_field

# 形象进度 and 存在问题 fit in a cell of the printed table.
TEXT_LIMIT = 500
MAX_PHOTOS = 9
TEXT_LIMIT_VALIDATOR = MaxLengthValidator(
    TEXT_LIMIT,
    message=_("At most %(limit_value)d characters (this has %(show_value)d)."),
)


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
    physical_progress = models.TextField(
        _("physical progress"), blank=True, validators=[TEXT_LIMIT_VALIDATOR]
    )
    problems = models.TextField(_("problems"), blank=True, validators=[TEXT_LIMIT_VALIDATOR])
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

    objects = ReportQuerySet.as_manager()

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
                condition=models.Q(amount__gte=0),
                name="monthlyreport_amount_non_negative",
                violation_error_message=_("The investment completed cannot be negative."),
            ),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12),
                name="monthlyreport_month_range",
                violation_error_message=_("The month must be from 1 to 12."),
            ),
        ]
        # The month's reports with their project and time of arrival in the index itself
        # (PostgreSQL; elsewhere a plain index): 填报情况's latest late report per reporter
        # reads them index-only instead of visiting a month's rows scattered over the table
        # (588 -> 92 ms at 100,000 projects and 6,000,000 reports).
        indexes = [
            models.Index(
                fields=["year", "month"],
                include=["project", "submitted_at"],
                name="monthlyreport_period",
            )
        ]

    def __str__(self):
        return f"{project_of(self)} {self.year}-{self.month:02d}"

    def clean(self):
        super().clean()
        today = timezone.localdate()
        if self.year and self.month and (self.year, self.month) > (today.year, today.month):
            raise ValidationError(
                {"month": _("That month has not begun; it cannot be reported yet.")}
            )

    @property
    def is_locked(self):
        return MonthLock.on(self.year, self.month, self.project.region_id).exists()


class MonthLock(RegionBound):
    """A month of a region closed by its project office (or by its submission, 报送, to the
    level above): its reports can then be changed only by the office."""

    region = region_field("month_locks")
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

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-month"]
        verbose_name = _("locked month")
        verbose_name_plural = _("locked months")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "month"],
                name="monthlock_unique_month",
                violation_error_message=_("That month is already locked."),
            ),
        ]

    def __str__(self):
        return f"{self.year}-{self.month:02d}"

    @classmethod
    def on(cls, year, month, region=None):
        """The lock on a region's month (any region's when None), as a queryset (empty when
        the month is open)."""
        locks = cls.objects.filter(year=year, month=month)
        return locks if region is None else locks.filter(region=region)


class ReportPhoto(models.Model):
    """A site photo (现场照片) of a monthly report, re-encoded as JPEG without its metadata.

    The files live in Django's default storage under photos/ and are never served as public
    media: projects:report_photo checks that the user may see the project, then streams them.
    """

    report = models.ForeignKey(
        MonthlyReport,
        verbose_name=_("monthly report"),
        on_delete=models.CASCADE,
        related_name="photos",
    )
    image = models.FileField(_("photo"), max_length=200)
    thumbnail = models.FileField(_("thumbnail"), max_length=200)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["report", "uploaded_at", "pk"]
        verbose_name = _("site photo")
        verbose_name_plural = _("site photos")

    def __str__(self):
        return f"{self.report} #{self.pk}"

    def get_absolute_url(self):
        return reverse("projects:report_photo", args=[self.pk])

    def thumbnail_url(self):
        return reverse("projects:report_photo_thumbnail", args=[self.pk])
