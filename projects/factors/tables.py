"""The factor needs (要素保障) list: one row a need, overdue ones flagged as overdue problems
are; the same table is the quarterly land list's workbook (?kind=land&export=xlsx)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from projects.models import FactorNeed
from projects.web.tables import DateColumn, PeriodTable


class FactorNeedTable(PeriodTable):
    project = tables.Column(linkify=True, order_by=("project__code",))
    zone = tables.Column(
        accessor="project__zone", verbose_name=_("zone"), order_by=("project__zone__order",)
    )
    amount = tables.Column(attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    deadline = DateColumn()
    met_on = DateColumn()
    is_overdue = tables.BooleanColumn(verbose_name=_("overdue"), yesno=(_("Overdue"), ""))
    problem = tables.Column(linkify=True, verbose_name=_("problem"), orderable=False)

    class Meta:
        model = FactorNeed
        fields = ["project", "kind", "description", "amount", "unit", "responsible_unit", "state"]
        sequence = [
            "project",
            "zone",
            "kind",
            "description",
            "amount",
            "unit",
            "responsible_unit",
            "deadline",
            "state",
            "met_on",
            "is_overdue",
            "problem",
        ]
        order_by = ("deadline",)
        per_page = 50
        attrs = {"class": "data stack", "id": "factor-needs"}
        template_name = "tables/stack.html"
        row_attrs = {"class": lambda record: "overdue" if record.is_overdue else ""}

    def render_amount(self, value):
        return f"{value.normalize():f}"

    def value_amount(self, value):
        return value

    def render_problem(self, value):
        return value.get_status_display()

    def value_problem(self, value):
        return value.description

    def value_is_overdue(self, value):
        return str(_("yes") if value else _("no"))
