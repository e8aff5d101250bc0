"""Regions (行政区划): a province, its cities, their districts; each account belongs to one.

A region's `path` holds the codes from the top down ("410000/410800/410802/"), so that its
ancestors and its descendants are each one query, at any depth.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.scope import RestrictedQuerySet

from .geo import outline_geometry, validate_outline

CITY_CODE = "410800"
DISTRICT_CODE = "410802"
CITY_NAME = "焦作市"


class RegionQuerySet(RestrictedQuerySet):
    def districts(self):
        return self.filter(kind=Region.Kind.DISTRICT)

    def within(self, region):
        """`region` and every region beneath it."""
        return self.filter(path__startswith=region.path)

    def heading(self):
        """The region an output is headed with when no account's region is given: the
        single district, else the top of the tree."""
        return self.single_district() or self.filter(parent__isnull=True).first()

    def single_district(self):
        """The one district of an instance that runs a single district, or None when there
        are several. A database with no region at all (fresh or flushed) gets the default
        district under its city, named from the settings, as the migration made it."""
        districts = list(self.districts()[:2])
        if len(districts) == 1:
            return districts[0]
        if districts or self.exists():
            return None
        city = self.create(name=CITY_NAME, code=CITY_CODE, kind=Region.Kind.CITY)
        return self.create(
            name=settings.JIEFANG_DISTRICT,
            code=DISTRICT_CODE,
            kind=Region.Kind.DISTRICT,
            parent=city,
            reporting_unit=settings.JIEFANG_REPORTING_UNIT,
        )


class Region(models.Model):
    """A province, a city or a district (a county is a district), in a tree of any depth."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Province")
        CITY = "city", _("City")
        DISTRICT = "district", _("District")

    name = models.CharField(_("name"), max_length=50)
    code = models.CharField(
        _("administrative code"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^[0-9]{6}$", _("The code has six digits, like 410802."))],
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.DISTRICT)
    path = models.CharField(_("path"), max_length=100, editable=False, db_index=True)
    reporting_unit = models.CharField(
        _("reporting unit"),
        max_length=100,
        blank=True,
        help_text=_("The office named as 填报单位 on exports; the region's name when blank."),
    )
    document_prefix = models.CharField(
        _("document number prefix"),
        max_length=20,
        blank=True,
        help_text=_(
            "The issuing office's mark in 发文字号, as 解发改 in 解发改纪〔2026〕3号; the "
            "site's setting JIEFANG_DOCUMENT_PREFIX when blank."
        ),
    )
    outline = models.JSONField(
        _("outline"),
        null=True,
        blank=True,
        validators=[validate_outline],
        help_text=_("The region's boundary on the map: a GeoJSON Polygon or MultiPolygon."),
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        old = self.path
        self.path = (self.parent.path if self.parent_id else "") + f"{self.code}/"
        super().save(*args, **kwargs)
        if old and old != self.path:
            # Moved or recoded: the regions beneath follow, in one UPDATE.
            Region.objects.filter(path__startswith=old).exclude(pk=self.pk).update(
                path=Concat(Value(self.path), Substr("path", len(old) + 1))
            )

    def clean(self):
        super().clean()
        # A district is a leaf: its rows are read by its id (scope.in_region), so a region
        # beneath it would hide that region's projects from the district's office.
        if self.parent is not None and self.parent.kind == Region.Kind.DISTRICT:
            raise ValidationError(
                {"parent": _("A district has no regions beneath it: choose a city or a province.")}
            )
        if self.outline:
            self.outline = outline_geometry(self.outline)

    @property
    def reporting_unit_name(self):
        return self.reporting_unit or self.name

    @property
    def document_prefix_or_default(self):
        return self.document_prefix or settings.JIEFANG_DOCUMENT_PREFIX

    def path_prefixes(self):
        """The paths of this region and every region above it."""
        return [self.path[: index + 1] for index, c in enumerate(self.path) if c == "/"]

    def ancestors(self):
        """The regions above this one, from the top, in one query."""
        return Region.objects.filter(code__in=self.path.split("/")[:-2]).order_by("path")

    def descendants(self):
        """The regions beneath this one, in one query."""
        return Region.objects.filter(path__startswith=self.path).exclude(pk=self.pk)


def default_region():
    """The default region of new zones, units, officials, projects and meetings: the single
    district; none (so a row must name its region) when the instance has several. Reads the
    keys only: a migration's default runs on the table as that migration leaves it, which
    may lack a later field of Region."""
    districts = list(Region.objects.districts().values_list("pk", flat=True)[:2])
    if districts:
        return districts[0] if len(districts) == 1 else None
    district = Region.objects.single_district()
    return district.pk if district else None


class Profile(models.Model):
    """An account's place in the tree: it acts in its region and every region beneath it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="profile",
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="profiles"
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        # The 账号管理 page: an office creates and changes the accounts beneath it.
        permissions = [("manage_accounts", _("Can create and change the accounts beneath"))]

    def __str__(self):
        return f"{self.user} · {self.region}"


class RegionSubmission(models.Model):
    """A district's month sent up to the level above (报送): submitted once its meeting is
    held, then accepted, or returned (退回) with a reason; the history keeps every step."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Sent up")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned")

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="submissions"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.SUBMITTED)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-month", "region__path"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "month"],
                name="regionsubmission_unique_month",
                violation_error_message=_("This month of the region is already submitted."),
            ),
        ]

    def __str__(self):
        return f"{self.region} {self.year}-{self.month:02d}"
