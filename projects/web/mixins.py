"""What every page shares: the period picker and the one list-view base (filter, sort, page,
.xlsx export) that each list configures; the permission is projects/permissions.py's one
mixin, RoleRequiredMixin."""

from django.contrib import messages
from django.utils.functional import cached_property
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin

from projects.exchange.xlsx import table_response
from projects.permissions import READ, RoleRequiredMixin
from projects.progress.period import Period

from .forms import PeriodForm


class PeriodMixin:
    """Reads the reporting period from ?year=&month=, defaulting to the month whose reports
    are being collected (Period.collecting), the same on every page."""

    @cached_property
    def period(self):
        try:
            return Period.from_params(self.request.GET, default=Period.collecting)
        except ValueError as error:
            messages.error(self.request, str(error))
            return Period.collecting()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["period"] = self.period
        context["period_form"] = PeriodForm.for_period(self.period)
        context["period_hidden"] = [
            (key, value)
            for key, values in self.request.GET.lists()
            if key not in {"year", "month", "page"}
            for value in values
        ]
        return context


class TableExportMixin:
    """?export=xlsx answers the page's table, every row, as a workbook (list.html links it)."""

    export_name = "export"

    def get_export_table(self, context):
        return context["table"]

    def render_to_response(self, context, **response_kwargs):
        if self.request.GET.get("export") == "xlsx":
            table = self.get_export_table(context)
            return table_response(table, f"{self.export_name}-{self.period.label}")
        return super().render_to_response(context, **response_kwargs)


class ObjectListView(
    TableExportMixin, RoleRequiredMixin, PeriodMixin, SingleTableMixin, FilterView
):
    """A filtered, sortable list that can be downloaded as .xlsx (?export=xlsx).

    A list with neither a filterset nor a model (the officials' and zones' sums, rows the
    engine adds up) is not filtered: its get_queryset answers the rows themselves."""

    permission_required = READ
    template_name = "list.html"
    title = None
    # The list shows amounts of money (the page then says they are in 万元).
    has_amounts = True

    def get(self, request, *args, **kwargs):
        if self.filterset_class is None and self.model is None:
            self.object_list = self.get_queryset()
            return self.render_to_response(self.get_context_data())
        return super().get(request, *args, **kwargs)

    def get_table_kwargs(self):
        return {"period": self.period}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        return context

    def get_export_table(self, context):
        table = self.get_table_class()(self.get_table_data(), **self.get_table_kwargs())
        RequestConfig(self.request, paginate=False).configure(table)
        return table
