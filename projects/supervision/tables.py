"""The problem register's table: each problem with its deadline, overdue state and the level
it has been escalated to (提醒, 催办, 督办)."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from projects.models import Escalation, Problem
from projects.web.tables import DateColumn, PeriodTable


class ProblemTable(PeriodTable):
    description = tables.Column(linkify=True)
    project = tables.Column(order_by=("project__code",))
    lead_official = tables.Column(
        accessor="project__lead_official",
        verbose_name=_("lead official"),
        order_by=("project__lead_official__name",),
    )
    meeting = tables.Column(order_by=("meeting__date",))
    deadline = DateColumn()
    is_overdue = tables.BooleanColumn(verbose_name=_("overdue"), yesno=(_("Overdue"), ""))
    escalation = tables.Column(verbose_name=_("escalation"), attrs={"td": {"class": "escalation"}})

    class Meta:
        model = Problem
        fields = [
            "description",
            "project",
            "responsible_unit",
            "meeting",
            "disposition",
            "deadline",
            "status",
        ]
        sequence = [
            "description",
            "project",
            "lead_official",
            "responsible_unit",
            "meeting",
            "disposition",
            "deadline",
            "status",
            "is_overdue",
            "escalation",
        ]
        order_by = ("deadline",)
        per_page = 50
        attrs = {"class": "data stack"}
        template_name = "tables/stack.html"
        row_attrs = {"class": lambda record: "overdue" if record.is_overdue else ""}

    def render_project(self, value):
        """Linked only for those who may open a project page (a unit contact may not)."""
        request = getattr(self, "request", None)
        if request and request.user.has_perm("projects.view_project"):
            return format_html('<a href="{}">{}</a>', value.get_absolute_url(), value)
        return value

    def value_project(self, value):
        return str(value)

    def render_escalation(self, value):
        return Escalation(value).label if value else ""

    def value_escalation(self, value):
        return str(Escalation(value).label) if value else ""

    def value_is_overdue(self, value):
        return str(_("yes") if value else _("no"))
