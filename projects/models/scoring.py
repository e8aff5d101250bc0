"""考核办法 as data: the weight of each measure in a region's monthly ranking or quarterly
score, from a date on. The measures themselves are computed in projects/scoring/measures.py."""

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Max
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.scope import RestrictedQuerySet

from .register import RegionBound, region_field


class ScoreRuleQuerySet(RestrictedQuerySet):
    def in_force(self, region, period, start):
        """The rules of `region` for `period` (month or quarter) in force for a period that
        begins on `start`: those of the latest valid_from on or before `start` (one 考核办法
        is the rules sharing a valid_from; a later one replaces it whole). A rule valid from
        a day after `start` does not reach back to the period."""
        if region is None:
            return self.none()
        rules = self.filter(region=region, period=period, valid_from__lte=start)
        latest = rules.aggregate(latest=Max("valid_from"))["latest"]
        if latest is None:
            return self.none()
        return rules.filter(valid_from=latest).order_by("-weight", "measure")


class ScoreRule(RegionBound):
    """One measure's weight in a region's 考核办法 from `valid_from` on: for the monthly
    ranking and 通报 (period month) or the quarterly score table (period quarter). A weight
    of 0 shows the measure without counting it."""

    class Period(models.TextChoices):
        MONTH = "month", _("Monthly ranking")
        QUARTER = "quarter", _("Quarterly score")

    region = region_field("score_rules")
    measure = models.CharField(_("measure"), max_length=30)
    weight = models.PositiveSmallIntegerField(
        _("weight"), validators=[MaxValueValidator(1000)], help_text=_("Points of the measure.")
    )
    period = models.CharField(_("period"), max_length=10, choices=Period.choices)
    valid_from = models.DateField(
        _("valid from"),
        help_text=_(
            "The rules apply to every month or quarter that begins on or after this day, "
            "until rules valid from a later day replace them."
        ),
    )

    objects = ScoreRuleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["region", "period", "-valid_from", "-weight", "measure"]
        verbose_name = _("score rule")
        verbose_name_plural = _("score rules")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "period", "valid_from", "measure"],
                name="score_rule_unique_measure",
                violation_error_message=_(
                    "The region already has a rule for this measure from this day."
                ),
            )
        ]

    def __str__(self):
        return f"{self.get_period_display()} {self.measure} {self.weight}（{self.valid_from}）"
