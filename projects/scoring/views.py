"""考核评分: the quarterly score table of units, lead officials and districts."""

from django.contrib import messages
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from projects.exchange.xlsx import xlsx_response
from projects.models import Project
from projects.permissions import READ, RoleRequiredMixin
from projects.scope import heading_region, region_of

from .excel import score_workbook
from .forms import QuarterForm, current_quarter
from .scores import score_table


class ScoreTableView(RoleRequiredMixin, TemplateView):
    """The quarter's scores under the quarterly rules in force, each measure's value, points,
    weight and weighted points shown; ?export=xlsx downloads the same figures."""

    permission_required = READ
    template_name = "projects/scoring/scores.html"

    def get_context_data(self, **kwargs):
        form = QuarterForm(self.request.GET)
        try:
            window = form.window()
        except ValueError as error:
            messages.error(self.request, str(error))
            window = current_quarter()
            form = QuarterForm()
        form.initial = {"year": window.year, "quarter": window.quarter_number}
        user = self.request.user
        table = score_table(window, Project.objects.restrict(user), region_of(user))
        return super().get_context_data(**kwargs) | {
            "title": _("Quarterly scores"),
            "table": table,
            "window": window,
            "quarter_form": form if not form.is_bound else QuarterForm(initial=form.initial),
        }

    def render_to_response(self, context, **response_kwargs):
        if self.request.GET.get("export") == "xlsx":
            window = context["window"]
            return xlsx_response(
                score_workbook(context["table"], heading_region(self.request.user)),
                f"考核评分-{window.year}年第{window.quarter_number}季度",
            )
        return super().render_to_response(context, **response_kwargs)
