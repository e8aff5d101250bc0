"""The lead officials' and the zones' lists: each a row of sums of its projects
(QuerySet.summary, from the progress table), on the shared list base (sort, .xlsx)."""

from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from projects.models import Project
from projects.web.mixins import ObjectListView

from .tables import OfficialTable, ZoneSummaryTable


class OfficialListView(ObjectListView):
    """Each lead official's projects added up (QuerySet.summary), 50 to a page."""

    table_class = OfficialTable
    title = _("Lead officials")
    export_name = "officials"
    has_amounts = False  # the columns say 万元 themselves

    def get_queryset(self):
        rows, _total = Project.objects.restrict(self.request.user).summary(
            self.period, by="lead_official"
        )
        return [row for row in rows if row["lead_official"]]


class ZoneListView(ObjectListView):
    """Each zone's projects added up (QuerySet.summary), 50 to a page (a district's four on
    one; a province's 600 zones drawn at once took 2–3× the admin changelist at 100,000
    projects), with the total of them all."""

    table_class = ZoneSummaryTable
    title = _("Zones")
    export_name = "zones"
    has_amounts = False  # the columns say 万元 themselves

    @cached_property
    def summary(self):
        return Project.objects.restrict(self.request.user).summary(self.period)

    def get_queryset(self):
        return self.summary[0]

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"total": self.summary[1]}
