"""A lead official's or liaison's pages: 我的项目 and the monthly report form."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView, TemplateView, UpdateView, View

from projects.models import (
    MAX_PHOTOS,
    MonthLock,
    MonthlyReport,
    Problem,
    Project,
    ReportPhoto,
    ReportStatus,
    StaleVersion,
)
from projects.permissions import READ, RoleRequiredMixin, is_office
from projects.progress.period import Period
from projects.scope import region_of
from projects.templatetags.jiefang import money, pct
from projects.web.mixins import PeriodMixin

from .context import ReportContext
from .forms import LoginForm, MonthlyReportForm, SaveRefused
from .months import ReportableMonths, lock_reason

# Report pages: the role must report, and the project must be the user's own (a project
# outside the user's scope answers 404, as if it did not exist for them).
REPORT = "projects.add_monthlyreport"


class MyProjectsView(RoleRequiredMixin, PeriodMixin, TemplateView):
    """A lead official's or liaison's projects, with the month's report status."""

    permission_required = REPORT

    template_name = "projects/reporting/my_projects.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        period = self.period
        projects = Project.objects.restrict(self.request.user, "change")
        rows = list(
            projects.with_progress(period)
            .with_report_status(period)
            .select_related("zone", "lead_official")
            .order_by("code")
        )
        lock = (
            MonthLock.on(period.year, period.month, region_of(self.request.user))
            .select_related("locked_by")
            .first()
        )
        locked = lock is not None
        # Missing only where a report is owed: the one rule of 填报情况, the ranking, the
        # packet and the bulletin.
        owing = set(projects.expected_to_report(period).values_list("pk", flat=True))
        for row in rows:
            row.report_status = (
                ReportStatus.LOCKED
                if locked and row.report_id
                else ReportStatus.SUBMITTED
                if row.report_id
                else ReportStatus.MISSING
                if row.pk in owing
                else ReportStatus.NOT_EXPECTED
            )
        today = timezone.localdate()
        context.update(
            title=_("My projects"),
            rows=rows,
            locked=locked,
            lock_reason=lock_reason(lock) if lock else "",
            may_report_locked=is_office(self.request.user),
            missing=sum(row.report_status == ReportStatus.MISSING for row in rows),
            problems=Problem.objects.open_at(today)
            .filter(project__in=projects.values("pk"))
            .with_overdue(today)
            .select_related("project", "responsible_unit")
            .order_by("deadline", "pk"),
        )
        return context


class ReportFormMixin(RoleRequiredMixin):
    permission_required = REPORT
    form_class = MonthlyReportForm
    template_name = "projects/reporting/report_form.html"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {
            "project": self.project,
            "may_change_locked": is_office(self.request.user),
            "user": self.request.user,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        panel = self.panel
        amount = form.instance.amount if not form.is_bound else None
        if form.is_bound and "amount" not in form.errors:
            amount = form.cleaned_data.get("amount")
        return context | {
            "project": self.project,
            "period": self.period,
            "panel": panel,
            "projection": panel.projection(amount),
            "max_photos": MAX_PHOTOS,
            "choices": None,
        }

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        # The script asks the engine what the amount would give, for this project and month.
        form.fields["amount"].widget.attrs["data-projection-url"] = (
            reverse("projects:report_projection", args=[self.project.pk])
            + f"?{self.period.query_string()}"
        )
        return form

    @cached_property
    def panel(self):
        """What the report is made against (plan, year so far, last text, milestones,
        problems), for the period the form is on."""
        return ReportContext(self.project, self.period)

    def form_valid(self, form):
        if "calculate" in self.request.POST:
            # 计算: show what the entry would give, save nothing (the page without script).
            return self.render_to_response(self.get_context_data(form=form))
        try:
            self.object = form.save()
        except (StaleVersion, SaveRefused):
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
    """A new report for the month the link or the chooser names (?year=&month=); the chooser
    offers only the months this user may still report."""

    object = None

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.has_permission():
            self.project = get_object_or_404(
                Project.objects.restrict(request.user, "change"), pk=kwargs["pk"]
            )
            self.months = ReportableMonths(self.project, request.user)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def period(self):
        """The month asked for (the form's hidden fields on POST, ?year=&month= on GET), else
        the latest month still open; an unreadable one falls back with a message."""
        params = self.request.POST if self.request.method == "POST" else self.request.GET
        if params.get("year") or params.get("month"):
            try:
                return Period.from_params(params, default=Period.current)
            except ValueError as error:
                messages.error(self.request, str(error))
        choices = self.months.choices()
        return choices[0] if choices else Period.current()

    def get_initial(self):
        initial = {"year": self.period.year, "month": self.period.month}
        previous = self.panel.previous
        if previous and previous.physical_progress:
            initial["physical_progress"] = previous.physical_progress
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        closed = self.months.reason_closed(self.period)
        choices = self.months.choices(include=self.period)
        return context | {
            "choices": choices,
            "other_months": [choice for choice in choices if choice != self.period],
            "closed": closed,
            "closed_report_id": self.months.report_id(self.period),
        }


class ReportEditView(ReportFormMixin, UpdateView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.has_permission():
            self.object = get_object_or_404(
                MonthlyReport.objects.of_projects(Project.objects.restrict(request.user, "change")),
                pk=kwargs["pk"],
            )
            self.project = self.object.project
            if self.object.is_locked and not is_office(request.user):
                # The one true reason, shown by the 403 page in place of the role text.
                lock = MonthLock.on(
                    self.object.year, self.object.month, self.project.region_id
                ).first()
                raise PermissionDenied(
                    lock_reason(lock)
                    if lock
                    else _("This month is locked; only the project office can change it.")
                )
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def period(self):
        return Period(self.object.year, self.object.month)

    def get_object(self, queryset=None):
        return self.object


class ReportProjectionView(RoleRequiredMixin, View):
    """The completion rate and gap an amount would give (?year=&month=&amount=), as JSON for
    the report form's script; the same figures the form shows after 计算."""

    permission_required = REPORT

    def get(self, request, pk):
        project = get_object_or_404(Project.objects.restrict(request.user, "change"), pk=pk)
        text = request.GET.get("amount", "").strip()
        try:
            period = Period.from_params(request.GET)
            amount = Decimal(text) if text else None
            if amount is not None and (
                not amount.is_finite() or amount < 0 or amount >= Decimal("1e12")
            ):
                raise InvalidOperation
        except (ValueError, InvalidOperation):
            return JsonResponse(
                {"error": str(_("Enter a non-negative amount and a valid month."))}, status=400
            )
        projection = ReportContext(project, period).projection(amount)
        return JsonResponse(
            {
                "ytd": money(projection.ytd),
                "completion_rate": pct(projection.completion_rate),
                "gap": pct(projection.gap),
            }
        )


class PhotoView(RoleRequiredMixin, View):
    """A site photo (or its thumbnail), streamed to whoever may see the project's page; the
    files are never public media."""

    permission_required = READ
    thumbnail = False

    def get(self, request, pk):
        photo = get_object_or_404(ReportPhoto.objects.restrict(request.user), pk=pk)
        name = photo.thumbnail.name if self.thumbnail else photo.image.name
        if not default_storage.exists(name):
            raise Http404(_("The photo file is missing."))
        response = FileResponse(default_storage.open(name, "rb"), content_type="image/jpeg")
        response["Cache-Control"] = "private, max-age=3600"
        return response


class LoginView(auth_views.LoginView):
    """After login a reporter lands on 我的项目; the office and observers on the dashboard.
    The site's root as `next` (where an address typed without a path is sent) counts as no
    page asked for: the landing rule applies to it too."""

    def get_redirect_url(self):
        url = super().get_redirect_url()
        return "" if url in {"/", reverse("projects:dashboard")} else url

    authentication_form = LoginForm

    def get_default_redirect_url(self):
        user = self.request.user
        if user.has_perm("projects.add_monthlyreport") and not is_office(user):
            return reverse("projects:my_projects")
        return reverse("projects:dashboard")

    def form_invalid(self, form):
        """The refusal names neither field, so both point at it and are marked invalid."""
        for name in ("username", "password"):
            form.fields[name].widget.attrs.update(
                {"aria-invalid": "true", "aria-describedby": "login-error"}
            )
        return super().form_invalid(form)
