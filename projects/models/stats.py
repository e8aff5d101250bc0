"""统计入库: whether a project is counted in the fixed-asset statistics ("先入库，后有数"),
the month it entered and the materials the statistics bureau asks for. Fields of Project
(an abstract base of it), kept here so that the register's module stays about the register."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Fixed-asset projects of this total investment (万元) or more are counted once 入库.
STATS_THRESHOLD = Decimal("500")


class StatsStatus(models.TextChoices):
    NOT_REQUIRED = "not_required", _("Not required")
    PENDING = "pending", _("Not yet submitted")
    SUBMITTED = "submitted", _("Materials submitted")
    IN_STATS = "in_stats", _("In the statistics")


# A project has started when it has an actual start date or is (or was) under construction.
STARTED_STATUSES = ("under_construction", "completed")


def started_condition(prefix=""):
    """The condition on projects (or on rows reaching one through `prefix`) that have
    started: an actual start date, or a status of under construction or completed."""
    return Q(**{f"{prefix}actual_start__isnull": False}) | Q(
        **{f"{prefix}status__in": STARTED_STATUSES}
    )


def unlisted_condition(prefix=""):
    """未入库: projects of 500万元 or more that have started and are not in the statistics.
    Project.stats_overdue says the same of one project."""
    return (
        Q(**{f"{prefix}total_investment__gte": STATS_THRESHOLD})
        & started_condition(prefix)
        & ~Q(**{f"{prefix}stats_status": StatsStatus.IN_STATS})
    )


class StatsRecord(models.Model):
    """A project's 统计入库 status, the month it entered and the materials at hand (立项文件,
    施工合同; dated site photos come from the monthly reports' photos)."""

    stats_status = models.CharField(
        _("statistics status"),
        max_length=20,
        choices=StatsStatus,
        default=StatsStatus.PENDING,
        blank=True,  # forms and imports that do not name it keep it pending
        help_text=_("入库: counted in the fixed-asset statistics of the statistics bureau."),
    )
    stats_month = models.DateField(
        _("month entered the statistics"),
        null=True,
        blank=True,
        help_text=_("Any day of the month; kept as the month's first day."),
    )
    has_approval_document = models.BooleanField(_("approval document (立项文件)"), default=False)
    has_construction_contract = models.BooleanField(
        _("construction contract (施工合同)"), default=False
    )

    class Meta:
        abstract = True

    @property
    def stats_overdue(self):
        """未入库 (as unlisted_condition): 500万元 or more, started, not in the statistics."""
        return (
            self.total_investment is not None
            and self.total_investment >= STATS_THRESHOLD
            and (self.actual_start is not None or self.status in STARTED_STATUSES)
            and self.stats_status != StatsStatus.IN_STATS
        )

    def clean_stats(self):
        """The month goes with 已入库 and only with it; a project of 500万元 or more is never
        "not required"."""
        errors = {}
        self.stats_status = self.stats_status or StatsStatus.PENDING
        if self.stats_month is not None:
            self.stats_month = self.stats_month.replace(day=1)
        if self.stats_status == StatsStatus.IN_STATS:
            if self.stats_month is None:
                errors["stats_month"] = _("Give the month the project entered the statistics.")
            elif self.stats_month > datetime.date.today():
                errors["stats_month"] = _("The month of entry cannot be in the future.")
        elif self.stats_month is not None:
            errors["stats_month"] = _(
                "Only a project in the statistics has a month of entry: leave it empty."
            )
        if (
            self.stats_status == StatsStatus.NOT_REQUIRED
            and self.total_investment is not None
            and self.total_investment >= STATS_THRESHOLD
        ):
            errors["stats_status"] = _(
                "A project of 500万元 or more must enter the statistics: it cannot be not required."
            )
        if errors:
            raise ValidationError(errors)
