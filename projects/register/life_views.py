"""The pages of a project's life: the office moves a project to another stage; everyone
reads 开工率 and 竣工率 (/starts/)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from projects.life.forms import StageChangeForm
from projects.life.rates import not_started, start_rates
from projects.life.stages import change_stage
from projects.models import Project
from projects.permissions import READ, RoleRequiredMixin
from projects.progress.period import Period
from projects.scope import chosen_region, region_of
from projects.web.mixins import PeriodMixin


class StageChangeView(RoleRequiredMixin, View):
    """The office moves a project to another stage, dated, with its evidence."""

    permission_required = "projects.change_project"

    def post(self, request, pk):
        project = get_object_or_404(Project.objects.restrict(request.user, "change"), pk=pk)
        form = StageChangeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                change_stage(request.user, project, data["to_stage"], data["on"], data["note"])
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("The project is now at the stage “%(stage)s”.")
                    % {"stage": Project.Stage(data["to_stage"]).label},
                )
        else:
            errors = [str(error) for errors in form.errors.values() for error in errors]
            messages.error(request, " ".join(dict.fromkeys(errors)))
        try:  # back to the page at the period it was shown for
            period = Period.from_params(request.POST)
        except ValueError:
            period = Period.collecting()
        return redirect(f"{project.get_absolute_url()}?{period.query_string()}#stages")


class StartRatesView(RoleRequiredMixin, PeriodMixin, TemplateView):
    """开工率 and 竣工率 of the year up to the period's end, against the quarter's target:
    overall, per zone, per lead official and per region beneath; then the projects planned
    to start in the year that have not."""

    permission_required = READ
    template_name = "projects/life/start_rates.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, region = self.request.user, chosen_region(self.request)
        projects = Project.objects.restrict(user, region=region)
        rates = start_rates(projects, self.period, region or region_of(user))
        waiting = Paginator(not_started(projects, self.period), self.paginate_by)
        # Those planned less those started are the list's count, already read with the rates
        # (the same two conditions): not a second scan of the register to count them.
        waiting.count = rates.total.planned_starts - rates.total.started
        context.update(
            title=_("Start and completion rates"),
            rates=rates,
            waiting=waiting.get_page(self.request.GET.get("page")),
        )
        return context
