"""Pages of a project's life beyond its monthly figures: the factor needs per kind and quarter
(the quarterly land list superiors ask for, as a workbook), and the funding totals per
district, zone and source."""

from decimal import Decimal

from django.contrib import messages
from django.db.models import BooleanField, Case, Count, Sum, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from projects.models import FactorNeed, FundingSource
from projects.permissions import READ, RoleRequiredMixin
from projects.web.mixins import ObjectListView, PeriodMixin

from .filters import FactorNeedFilterSet
from .tables import FactorNeedTable

CENT = Decimal("0.01")


class FactorNeedListView(ObjectListView):
    """要素保障: every need of the region's projects, filtered by kind and by the quarter of its
    deadline; an open need past its deadline is overdue (and a problem of the register)."""

    table_class = FactorNeedTable
    filterset_class = FactorNeedFilterSet
    title = _("Factor needs (要素保障)")
    export_name = "factor-needs"
    has_amounts = False

    def get_queryset(self):
        today = timezone.localdate()
        return (
            FactorNeed.objects.restrict(self.request.user)
            .select_related("project__zone", "responsible_unit", "problem")
            .annotate(
                is_overdue=Case(
                    When(state=FactorNeed.State.OPEN, deadline__lt=today, then=Value(True)),
                    default=Value(False),
                    output_field=BooleanField(),
                )
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = {"kind": FactorNeed.Kind.LAND, "export": "xlsx"}
        if quarter := self.request.GET.get("quarter"):
            query["quarter"] = quarter
        context["actions"] = [
            (f"{reverse('projects:factor_needs')}?{urlencode(query)}", _("Land list (Excel)")),
            (f"{reverse('projects:funding')}", _("Funding")),
        ]
        context["period_form"] = None  # needs are judged today; quarters are chosen above
        filters = self.filterset
        if filters.is_bound and not filters.is_valid():  # a hand-made address: say what is wrong
            for name, errors in filters.form.errors.items():
                label = filters.form.fields[name].label if name in filters.form.fields else ""
                for error in errors:
                    messages.error(self.request, f"{label}：{error}" if label else error)
        return context


SUMS = {
    "projects": Count("project", distinct=True),
    "planned": Sum("planned"),
    "received": Sum("received"),
}


def funding_rows(sources, group, name):
    """Planned and received per `group` (fields of FundingSource, `name` among them: the
    row's name), with the share received."""
    rows = list(sources.values(*group).annotate(**SUMS).order_by(*group))
    for row in rows:
        finish(row)["name"] = row[name]
    return rows


def finish(row):
    """Amounts to the cent (SQLite sums may come back as floats) and the share received."""
    row["planned"] = Decimal(row["planned"] or 0).quantize(CENT)
    row["received"] = Decimal(row["received"] or 0).quantize(CENT)
    row["rate"] = (
        (row["received"] * 100 / row["planned"]).quantize(CENT) if row["planned"] else None
    )
    return row


class FundingView(RoleRequiredMixin, PeriodMixin, TemplateView):
    """资金来源 and 到位资金 added up per district, per zone and per source."""

    permission_required = READ
    template_name = "projects/factors/funding.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sources = FundingSource.objects.restrict(self.request.user)
        regions = funding_rows(
            sources, ["project__region__code", "project__region__name"], "project__region__name"
        )
        total = finish(sources.aggregate(**SUMS))
        kinds = dict(FundingSource.Kind.choices)
        by_kind = funding_rows(sources, ["kind"], "kind")
        for row in by_kind:
            row["name"] = row["label"] = kinds.get(row["kind"], row["kind"])
        context.update(
            title=_("Funding sources"),
            regions=regions,
            zones=funding_rows(
                sources,
                ["project__region__code", "project__zone__order", "project__zone__name"],
                "project__zone__name",
            ),
            kinds=by_kind,
            total=total,
            period_form=None,  # the money received so far, not a month's figure
        )
        return context
