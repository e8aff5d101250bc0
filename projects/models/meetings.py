"""The monthly "四区联建" meeting and the problem register carried from meeting to meeting."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.progress.period import Period
from projects.progress.problems import ProblemQuerySet
from projects.scope import RestrictedQuerySet

from .base import MONTH_VALIDATORS, YEAR_VALIDATORS, Escalation, Versioned
from .register import Project, RegionBound, Unit, region_field
from .reporting import MonthLock


class Meeting(RegionBound):
    """A monthly "四区联建" meeting (例会), numbered within its year."""

    number = models.PositiveSmallIntegerField(_("number"))
    date = models.DateField(_("date"))
    year = models.PositiveSmallIntegerField(_("year reviewed"), validators=YEAR_VALIDATORS)
    month = models.PositiveSmallIntegerField(
        _("month reviewed"),
        validators=MONTH_VALIDATORS,
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    venue = models.CharField(_("venue"), max_length=100, blank=True)
    chair = models.CharField(_("chair"), max_length=50, blank=True)
    attendees = models.TextField(_("attendees"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    region = region_field("meetings")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-date"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "number"],
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
        return (
            MonthLock.on(self.year, self.month, self.region_id).select_related("locked_by").first()
        )

    @property
    def period(self):
        return Period(self.year, self.month)

    def submitted(self):
        """Whether the reviewed month of the meeting's region is submitted to the level
        above (报送) and not returned: it stays locked."""
        return self.region.submissions.filter(
            year=self.year, month=self.month, state__in=["submitted", "accepted"]
        ).exists()

    @classmethod
    def next_number(cls, year, region=None):
        """Meetings are numbered from 1 within each year and region."""
        meetings = cls.objects.filter(year=year)
        if region is not None:
            meetings = meetings.filter(region=region)
        last = meetings.aggregate(models.Max("number"))["number__max"]
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
    closure_requested_at = models.DateTimeField(_("closure requested at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = ProblemQuerySet.as_manager()

    class Meta:
        ordering = ["status", "deadline", "pk"]
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        indexes = [
            # The dashboard's most overdue problems: the oldest deadlines first, read in order.
            models.Index(fields=["deadline", "id"], name="problem_deadline"),
        ]

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

    @property
    def escalation_level(self):
        """The level the problem has reached, where the register annotated it."""
        return Escalation(getattr(self, "escalation", None) or Escalation.NOT_DUE)

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


class ProblemUpdate(models.Model):
    """A step in a problem's handling, with who took it and when: the unit's or the lead's
    progress notes, a request for closure (申请销号), and the office's closing or return."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", _("Progress note")
        CLOSURE_REQUESTED = "closure_requested", _("Closure requested")
        RETURNED = "returned", _("Sent back")
        CLOSED = "closed", _("Closed")

    problem = models.ForeignKey(
        Problem, verbose_name=_("problem"), on_delete=models.CASCADE, related_name="updates"
    )
    kind = models.CharField(_("step"), max_length=20, choices=Kind)
    note = models.TextField(_("note"), validators=[MaxLengthValidator(1000)])
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["problem", "created_at", "pk"]
        verbose_name = _("problem update")
        verbose_name_plural = _("problem updates")

    def __str__(self):
        return f"{self.problem} · {self.get_kind_display()}"


class DocumentTemplate(RegionBound):
    """A region's own Word template for a document, used for the region and the regions
    beneath it that have none of their own, instead of templates/docx/ while it renders
    (see projects/meetings/documents.py)."""

    class Kind(models.TextChoices):
        MINUTES = "minutes", _("Meeting minutes (会议纪要)")
        BULLETIN = "bulletin", _("Monthly bulletin (月度通报)")

    kind = models.CharField(_("document"), max_length=20, choices=Kind)
    file = models.FileField(_("Word template (.docx)"), upload_to="docx-templates/")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now=True)
    region = region_field("document_templates")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "kind"],
                name="document_template_per_region",
                violation_error_message=_("The region already has a template for this document."),
            ),
        ]

    def __str__(self):
        return str(self.get_kind_display())

    @classmethod
    def for_region(cls, kind, region):
        """The template `region` prints `kind` with: its own, else the nearest region's above
        it that has one (a city's template serves its districts); None for the default."""
        return (
            cls.objects.filter(kind=kind, region__path__in=region.path_prefixes())
            .order_by("-region__path")
            .first()
        )


class MeetingSnapshot(models.Model):
    """A held meeting's documents as they stood when its month was locked: the packet as
    printed, each lead official's part, the contexts of 会议纪要 and 月度通报 and the
    ranking, reprinted from here ever after. A correction (更正) is a further snapshot kept
    beside the original, never in its place."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="snapshots"
    )
    taken_at = models.DateTimeField(_("frozen at"), default=timezone.now)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("frozen by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # 0 for the original, 1, 2… for each correction.
    issue = models.PositiveSmallIntegerField(_("issue"), default=0)
    reason = models.TextField(_("reason for the correction"), blank=True)
    packet = models.TextField(_("packet"))
    # {official pk (as text): that official's part of the packet}
    parts = models.JSONField(_("officials' parts"), default=dict)
    minutes = models.JSONField(_("minutes"))
    bulletin = models.JSONField(_("bulletin"))
    ranking = models.JSONField(_("ranking"))

    class Meta:
        ordering = ["meeting", "issue"]
        verbose_name = _("frozen record of a meeting")
        verbose_name_plural = _("frozen records of meetings")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "issue"],
                name="meeting_snapshot_issue",
                violation_error_message=_("This issue of the meeting's record already exists."),
            ),
        ]

    def __str__(self):
        return f"{self.meeting} · {self.label}"

    @property
    def is_correction(self):
        return self.issue > 0

    @property
    def label(self):
        """“原件”, or “更正” (“更正2” from the second correction on)."""
        if not self.issue:
            return _("Original")
        if self.issue == 1:
            return _("Correction")
        return _("Correction %(n)s") % {"n": self.issue}

    @classmethod
    def of_period(cls, period, region, kept=None):
        """The latest issue of the latest frozen meeting of `region` that reviewed `period`,
        or None; with only the record's `kept` fields (e.g. ("ranking",)) when given, not
        the packet of every project."""
        snapshots = cls.objects.filter(
            meeting__region=region, meeting__year=period.year, meeting__month=period.month
        )
        if kept is not None:
            documents = {"packet", "parts", "minutes", "bulletin", "ranking"}
            snapshots = snapshots.defer(*(documents - set(kept)))
        return (
            snapshots.select_related("meeting")
            .order_by("-meeting__date", "-meeting__pk", "-issue")
            .first()
        )
