"""A lead official's or liaison's pages: 我的项目 and the monthly report form."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView, TemplateView, UpdateView

from projects.models import MonthLock, MonthlyReport, Project, ReportStatus, StaleVersion
from projects.permissions import is_office, reportable_projects
from projects.progress.period import Period
from projects.web.mixins import PeriodMixin

from .forms import MonthlyReportForm


class ReportMixin(PermissionRequiredMixin):
    """Report pages: the role must report, and the project must be the user's own.

    A project outside the user's scope answers 404, as if it did not exist for them.
    """

    permission_required = "projects.add_monthlyreport"
    raise_exception = True


class MyProjectsView(ReportMixin, PeriodMixin, TemplateView):
    """A lead official's or liaison's projects, with the month's report status."""

    template_name = "projects/reporting/my_projects.html"
    default_period = "current"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        period = self.period
        projects = reportable_projects(Project.objects.all(), self.request.user)
        rows = list(
            projects.with_progress(period)
            .with_report_status(period)
            .select_related("zone", "lead_official")
            .order_by("code")
        )
        locked = MonthLock.on(period.year, period.month).exists()
        for row in rows:
            row.report_status = (
                ReportStatus.LOCKED
                if locked and row.report_id
                else ReportStatus.SUBMITTED
                if row.report_id
                else ReportStatus.MISSING
            )
        context.update(
            title=_("My projects"),
            rows=rows,
            locked=locked,
            missing=sum(row.report_status == ReportStatus.MISSING for row in rows),
        )
        return context


class ReportFormMixin(ReportMixin):
    form_class = MonthlyReportForm
    template_name = "projects/reporting/report_form.html"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {
            "project": self.project,
            "may_change_locked": is_office(self.request.user),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"project": self.project}

    def form_valid(self, form):
        form.instance.submitted_by = self.request.user
        form.instance.submitted_at = timezone.now()
        try:
            self.object = form.save()
        except StaleVersion:
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The report for %(period)s is saved.")
            % {"period": Period(self.object.year, self.object.month).label},
        )
        return redirect(
            f"{reverse('projects:my_projects')}?year={self.object.year}&month={self.object.month}"
        )


class ReportCreateView(ReportFormMixin, CreateView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.has_permission():
            self.project = get_object_or_404(
                reportable_projects(Project.objects.all(), request.user), pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        period = Period.current()
        return {"year": period.year, "month": period.month}


class ReportEditView(ReportFormMixin, UpdateView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.has_permission():
            self.object = get_object_or_404(
                MonthlyReport.objects.filter(
                    project__in=reportable_projects(Project.objects.all(), request.user)
                ),
                pk=kwargs["pk"],
            )
            self.project = self.object.project
            if self.object.is_locked and not is_office(request.user):
                messages.error(
                    request, _("This month is locked; only the project office can change it.")
                )
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_object(self, queryset=None):
        return self.object
