"""Annual plans and their monthly split (分月计划), which set each project's 序时进度."""

from decimal import ROUND_DOWN, Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.scope import RestrictedQuerySet

from .base import MONEY, MONTH_VALIDATORS, Versioned, non_negative, project_of
from .register import Project


class AnnualPlan(Versioned):
    """The investment planned for a project in one year (年度计划投资); versioned, as two
    office sessions edit it in the admin (its months are saved with it)."""

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

    objects = RestrictedQuerySet.as_manager()

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
                violation_error_message=_("The planned investment cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{project_of(self)} {self.year}"

    def check_months(self, amounts):
        """Refuse twelve monthly amounts that do not add up to the annual figure, naming the
        difference; an empty split (a linear plan) is fine."""
        amounts = [amount for amount in amounts if amount is not None]
        if not amounts or self.planned_investment is None:
            return
        total = sum(amounts)
        if total != self.planned_investment:
            raise ValidationError(
                _(
                    "The monthly plans add up to %(total)s, not the annual plan %(plan)s "
                    "(10k yuan): %(difference)s apart."
                )
                % {
                    "total": f"{total:,.2f}",
                    "plan": f"{self.planned_investment:,.2f}",
                    "difference": f"{abs(total - self.planned_investment):,.2f}",
                },
                code="monthly_sum",
            )

    @staticmethod
    def spread_quarters(quarters):
        """Twelve monthly amounts from four quarterly ones, spread evenly within each quarter
        (cents that do not divide go to the quarter's last month)."""
        months = []
        for amount in quarters:
            third = (Decimal(amount) / 3).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
            months += [third, third, amount - 2 * third]
        return months


class MonthlyPlan(models.Model):
    """The investment planned for one month of an annual plan (分月计划)."""

    annual_plan = models.ForeignKey(
        AnnualPlan,
        verbose_name=_("annual plan"),
        on_delete=models.CASCADE,
        related_name="months",
    )
    month = models.PositiveSmallIntegerField(_("month"), validators=MONTH_VALIDATORS)
    amount = models.DecimalField(
        _("planned investment (10k yuan)"), validators=[non_negative], **MONEY
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["annual_plan", "month"]
        verbose_name = _("monthly plan")
        verbose_name_plural = _("monthly plans")
        constraints = [
            models.UniqueConstraint(
                fields=["annual_plan", "month"],
                name="monthlyplan_unique_month",
                violation_error_message=_("This plan already has an amount for that month."),
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0),
                name="monthlyplan_amount_non_negative",
                violation_error_message=_("The planned investment cannot be negative."),
            ),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12),
                name="monthlyplan_month_range",
                violation_error_message=_("The month must be from 1 to 12."),
            ),
        ]

    def __str__(self):
        return f"{self.annual_plan} {self.month}"
