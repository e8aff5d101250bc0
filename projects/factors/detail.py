"""What a project's page shows of its life beyond the monthly figures: 统计入库 (status, the
materials at hand, 列统 against the reported figures), its factor needs and its funding."""

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.models import ReportPhoto

CENT = Decimal("0.01")


def quantized(value):
    return None if value is None else Decimal(value).quantize(CENT)


def life_context(project, period):
    """The project page's context for the 统计入库, 要素保障 and 资金来源 sections. `project`
    is annotated with_progress(period) (its ytd is the reported 1-N月)."""
    figures = list(project.stats_figures.filter(year=period.year, month__lte=period.month))
    stats_ytd = quantized(sum((f.amount for f in figures), Decimal(0))) if figures else None
    reported = quantized(project.ytd)
    needs = list(project.factor_needs.select_related("responsible_unit", "problem"))
    today = timezone.localdate()
    for need in needs:
        need.overdue = need.is_overdue(today)
    funding = list(project.funding.all())
    return {
        "stats_materials": [
            (_("approval document (立项文件)"), project.has_approval_document),
            (_("construction contract (施工合同)"), project.has_construction_contract),
            (_("dated site photo (from the monthly reports)"), dated_site_photo(project)),
        ],
        "stats_figures": figures,
        "stats_ytd": stats_ytd,
        "stats_gap": None if stats_ytd is None or reported is None else stats_ytd - reported,
        "factor_needs": needs,
        "funding": funding,
        "funding_planned": quantized(sum((s.planned for s in funding), Decimal(0))),
        "funding_received": quantized(sum((s.received for s in funding), Decimal(0))),
    }


def dated_site_photo(project):
    """A site photo with the date it was taken, from any of the project's monthly reports: the
    statistics bureau takes it as proof that construction has begun."""
    return ReportPhoto.objects.filter(report__project=project, taken_at__isnull=False).exists()
