"""A project's life beyond its monthly figures: the statistics bureau's 列统 figures, what it
needs from the government (要素保障) and where its money comes from (资金来源)."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import OuterRef, Q, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.scope import RestrictedQuerySet

from .base import MONEY, MONTH_VALIDATORS, YEAR_VALIDATORS, non_negative, project_of
from .meetings import Problem
from .register import Project, Unit


class StatsFigure(models.Model):
    """列统投资: the investment the statistics bureau counts for a project in a month, typed by
    the office from the bureau's figures; it may differ from what the project reports."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="stats_figures"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    month = models.PositiveSmallIntegerField(_("month"), validators=MONTH_VALIDATORS)
    amount = models.DecimalField(
        _("investment counted in the statistics (10k yuan)"), validators=[non_negative], **MONEY
    )

    objects = RestrictedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "year", "month"]
        verbose_name = _("statistics figure (列统投资)")
        verbose_name_plural = _("statistics figures (列统投资)")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year", "month"],
                name="statsfigure_unique_month",
                violation_error_message=_(
                    "This project already has a statistics figure for that month."
                ),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="statsfigure_amount_non_negative",
                violation_error_message=_("Amounts cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{project_of(self)} {self.year}-{self.month:02d}"


class FactorNeedQuerySet(RestrictedQuerySet):
    def overdue(self, today):
        """Open needs whose deadline has passed (a need met on its deadline never was)."""
        return self.filter(state=FactorNeed.State.OPEN, deadline__lt=today)


class FactorNeed(models.Model):
    """要素保障: something a project needs from the government (land, energy, forest land, an
    environmental assessment, funds), how much, from which unit and by when. An open need past
    its deadline becomes a problem of the register (projects/factors/needs.py)."""

    class Kind(models.TextChoices):
        LAND = "land", _("Land (用地)")
        ENERGY = "energy", _("Energy (用能)")
        FOREST = "forest", _("Forest land (用林)")
        EIA = "eia", _("Environmental assessment (环评)")
        FUNDS = "funds", _("Funds (资金)")
        OTHER = "other", _("Other")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        MET = "met", _("Met")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="factor_needs"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    description = models.CharField(_("what is needed"), max_length=200, blank=True)
    amount = models.DecimalField(
        _("amount"), validators=[non_negative], max_digits=14, decimal_places=2
    )
    unit = models.CharField(
        _("unit of measure"), max_length=20, help_text=_("For example 亩, 吨标煤, 万元.")
    )
    responsible_unit = models.ForeignKey(
        Unit,
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="factor_needs",
    )
    deadline = models.DateField(_("deadline"))
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.OPEN)
    met_on = models.DateField(_("met on"), null=True, blank=True)
    problem = models.OneToOneField(
        Problem,
        verbose_name=_("problem"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="factor_need",
        help_text=_("The problem raised when the need passed its deadline unmet."),
    )

    objects = FactorNeedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("factor need (要素保障)")
        verbose_name_plural = _("factor needs (要素保障)")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="factorneed_amount_non_negative",
                violation_error_message=_("Amounts cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{project_of(self)} {self.get_kind_display()} {self.amount}{self.unit}"

    def is_overdue(self, today=None):
        return self.state == self.State.OPEN and self.deadline < (today or timezone.localdate())

    def clean(self):
        super().clean()
        errors = {}
        if self.state == self.State.MET and self.met_on is None:
            errors["met_on"] = _("Give the day the need was met.")
        elif self.state == self.State.OPEN and self.met_on is not None:
            errors["met_on"] = _("An open need has no day met: leave it empty or mark it met.")
        elif self.met_on is not None and self.met_on > timezone.localdate():
            errors["met_on"] = _("An actual date cannot be in the future.")
        if self.responsible_unit_id and self.project_id:
            # The project's district's units, or those of a level above it (a city's bureau).
            if not self.project.region.path.startswith(self.responsible_unit.region.path):
                errors["responsible_unit"] = _("The unit belongs to another region.")
        if errors:
            raise ValidationError(errors)


class FundingSource(models.Model):
    """资金来源: one source of a project's money, the amount planned from it and the amount
    that has actually arrived (到位资金), in 万元."""

    class Kind(models.TextChoices):
        CENTRAL = "central", "中央预算内"
        SPECIAL_BONDS = "special_bonds", "专项债"
        LOCAL = "local", "地方财政"
        BANK = "bank", "银行贷款"
        OWN = "own", "企业自筹"
        OTHER = "other", "其他"

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="funding"
    )
    kind = models.CharField(_("source"), max_length=20, choices=Kind)
    planned = models.DecimalField(_("planned (10k yuan)"), validators=[non_negative], **MONEY)
    received = models.DecimalField(
        _("received (10k yuan)"), validators=[non_negative], default=0, **MONEY
    )
    note = models.CharField(
        _("note"), max_length=200, blank=True, validators=[MaxLengthValidator(200)]
    )

    objects = RestrictedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "kind", "pk"]
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")
        constraints = [
            models.CheckConstraint(
                condition=Q(planned__gte=0) & Q(received__gte=0),
                name="fundingsource_amounts_non_negative",
                violation_error_message=_("Amounts cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{project_of(self)} {self.get_kind_display()}"


def stats_ytd(period, outer="pk"):
    """列统 1-N月: the statistics figures of the period's year through its month, summed per
    project (None when the office typed none), for annotating a Project queryset."""
    return Subquery(
        StatsFigure.objects.filter(
            project=OuterRef(outer), year=period.year, month__lte=period.month
        )
        .order_by()
        .values("project")
        .annotate(total=Sum("amount"))
        .values("total"),
        output_field=models.DecimalField(**MONEY),
    )


def funding_received(outer="pk"):
    """到位资金: the money received from every source of the project (None without sources)."""
    return Subquery(
        FundingSource.objects.filter(project=OuterRef(outer))
        .order_by()
        .values("project")
        .annotate(total=Sum("received"))
        .values("total"),
        output_field=models.DecimalField(**MONEY),
    )
