"""The progress workbook's columns after the superiors' standard ones: 入库状态, 列统投资
(1-N月, typed by the office from the statistics bureau's figures) with its difference from
the reported 1-N月, and 到位资金 (money received from every funding source)."""

from decimal import Decimal

from django.db.models import Sum

from projects.models import FundingSource, StatsFigure, StatsStatus
from projects.models.factors import funding_received, stats_ytd

from .xlsx import MONEY_FORMAT

# (key, heading, second heading row, width, number format), as ProgressWorkbook.COLUMNS.
LIFE_COLUMNS = [
    ("stats_status", "入库状态", None, 8, None),
    ("stats_ytd", "列统投资", "1-N月", 11, MONEY_FORMAT),
    ("stats_gap", "列统与填报差额", None, 11, MONEY_FORMAT),
    ("funding_received", "到位资金", None, 11, MONEY_FORMAT),
]
LIFE_MONEY_KEYS = {"stats_ytd", "stats_gap", "funding_received"}
LIFE_FIELDS = ["stats_status", "stats_ytd", "funding_received"]
STATUS_LABELS = {
    StatsStatus.NOT_REQUIRED: "不需入库",
    StatsStatus.PENDING: "未入库",
    StatsStatus.SUBMITTED: "已报送",
    StatsStatus.IN_STATS: "已入库",
}


def with_life(projects, period):
    """`projects` annotated with 列统 1-N月 and 到位资金 (one subquery each)."""
    return projects.annotate(stats_ytd=stats_ytd(period), funding_received=funding_received())


def status_label(project):
    """已入库 with its month (已入库（2013-04）), else the status in the bureau's words."""
    label = STATUS_LABELS.get(project["stats_status"], "")
    month = project.get("stats_month")
    if project["stats_status"] == StatsStatus.IN_STATS and month:
        return f"{label}（{month:%Y-%m}）"
    return label


def life_cells(project):
    """The row's 入库状态, 列统投资, 差额 (列统 − 填报; empty without a 列统 figure) and
    到位资金, from with_life's annotations."""
    stats, reported = project["stats_ytd"], project["ytd"]
    gap = None if stats is None else Decimal(stats) - Decimal(reported or 0)
    return [status_label(project), stats, gap, project["funding_received"]]


def life_totals(projects, period):
    """{zone id: {"stats_ytd", "stats_gap", "funding_received"}} and the same for all the
    projects (key None): the group rows' and the 合计 row's sums."""
    totals = {}

    def add(zone, key, value):
        for group in (zone, None):
            sums = totals.setdefault(group, {})
            sums[key] = sums.get(key, Decimal(0)) + Decimal(value or 0)

    counted_figures = StatsFigure.objects.filter(
        project__in=projects.values("pk"), year=period.year, month__lte=period.month
    )
    figures = (
        counted_figures.values_list("project", "project__zone")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    counted = {}
    for project, zone, total in figures:
        counted[project] = total
        add(zone, "stats_ytd", total)
    reported = (
        projects.with_stored_progress(period)
        .filter(pk__in=counted_figures.values("project"))
        .values_list("pk", "zone", "ytd")
    )
    for project, zone, ytd in reported:
        add(zone, "stats_gap", Decimal(counted[project]) - Decimal(ytd or 0))
    received = (
        FundingSource.objects.filter(project__in=projects.values("pk"))
        .values_list("project__zone")
        .annotate(total=Sum("received"))
        .order_by()
    )
    for zone, total in received:
        add(zone, "funding_received", total)
    return totals
