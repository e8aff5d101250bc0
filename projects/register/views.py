"""Pages of the tracker. Every progress figure comes from Project.objects.with_progress."""

import datetime
import re
import uuid
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import markdown
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Count, Sum
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from django.views.generic import CreateView, DetailView, TemplateView, UpdateView, View
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin

from . import charts, excel, imports
from .filters import ProblemFilterSet, ProjectFilterSet
from .forms import MeetingForm, MonthlyReportForm, PeriodForm, ProblemCloseForm, ProblemForm
from .history import project_history
from .models import (
    Light,
    Meeting,
    MonthLock,
    MonthlyReport,
    Official,
    Problem,
    Project,
    ReportStatus,
    StaleVersion,
)
from .packet import meeting_packet
from .pdf import PdfUnavailable, render_pdf
from .periods import Period, quantize
from .permissions import is_office, reportable_projects
from .tables import MeetingTable, OfficialTable, ProblemTable, ProjectTable, ZoneSummaryTable
from .timeline import milestone_timeline


class PeriodMixin:
    """Reads the reporting period from ?year=&month=, defaulting to the latest reported month."""

    default_period = "latest"  # or "current": the month in progress

    @cached_property
    def period(self):
        default = Period.current if self.default_period == "current" else Period.latest
        try:
            return Period.from_params(self.request.GET, default=default)
        except ValueError as error:
            messages.error(self.request, str(error))
            return default()

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


class ReadMixin(PermissionRequiredMixin):
    """Pages every role may read; a user with no role gets 403."""

    permission_required = "projects.view_project"
    raise_exception = True


class ObjectListView(ReadMixin, PeriodMixin, SingleTableMixin, FilterView):
    """A filtered, sortable list that can be downloaded as .xlsx (?export=xlsx)."""

    template_name = "list.html"
    title = None
    export_name = "export"

    def get_table_kwargs(self):
        return {"period": self.period}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        return context

    def render_to_response(self, context, **response_kwargs):
        if self.request.GET.get("export") == "xlsx":
            table = self.get_table_class()(self.get_table_data(), **self.get_table_kwargs())
            RequestConfig(self.request, paginate=False).configure(table)
            return excel.table_response(table, f"{self.export_name}-{self.period.label}")
        return super().render_to_response(context, **response_kwargs)


class ProjectListView(ObjectListView):
    table_class = ProjectTable
    filterset_class = ProjectFilterSet
    title = _("Key projects")
    export_name = "projects"

    def get_queryset(self):
        return Project.objects.with_progress(self.period).select_related("zone", "lead_official")


class ProjectDetailView(ReadMixin, PeriodMixin, DetailView):
    template_name = "projects/project_detail.html"

    def get_queryset(self):
        return Project.objects.with_progress(self.period).select_related(
            "zone", "lead_official", "responsible_unit", "street_office"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project, period = self.object, self.period
        milestones = list(project.milestones.all())
        context.update(
            annual_plans=project.annual_plans.all(),
            months=self.month_rows(),
            milestones=[
                (milestone, milestone.delay_at(period.as_of), milestone.status_at(period.as_of))
                for milestone in milestones
            ],
            timeline=milestone_timeline(milestones, period.as_of),
            problems=project.problem_items.select_related("meeting", "responsible_unit"),
            reports=project.reports.filter(year=period.year, month__lte=period.month).order_by(
                "-month"
            ),
            history=project_history(project),
            can_report=reportable_projects(
                Project.objects.filter(pk=project.pk), self.request.user
            ).exists(),
        )
        return context

    def month_rows(self):
        """Month by month of the period's year, each month through the progress engine."""
        rows = []
        for month in range(1, self.period.month + 1):
            row = (
                Project.objects.filter(pk=self.object.pk)
                .with_progress(self.period.year, month)
                .get()
            )
            row.month = month
            rows.append(row)
        return rows


class ProgressWorkbookView(ReadMixin, PeriodMixin, View):
    """The standard progress workbook, for the whole register or the filtered project list."""

    def get(self, request):
        unit = request.GET.get("unit", "万元")
        if unit not in excel.UNITS:
            unit = "万元"
        filtered = ProjectFilterSet(
            request.GET, queryset=Project.objects.with_progress(self.period)
        ).qs
        projects = Project.objects.filter(pk__in=filtered.values("pk"))
        content = excel.progress_workbook(self.period, projects, unit)
        return excel.xlsx_response(content, f"重点项目进展情况表-{self.period.label}")


class OfficialListView(ReadMixin, PeriodMixin, TemplateView):
    template_name = "list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows, total = Project.objects.filter(lead_official__isnull=False).summary(
            self.period, by="lead_official"
        )
        table = OfficialTable(rows, period=self.period)
        RequestConfig(self.request, paginate={"per_page": 50}).configure(table)
        context.update(title=_("Lead officials"), table=table)
        return context


class OfficialDetailView(ReadMixin, PeriodMixin, DetailView):
    model = Official
    template_name = "projects/official_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        projects = Project.objects.filter(lead_official=self.object)
        table = ProjectTable(
            projects.with_progress(self.period).select_related("zone", "lead_official"),
            period=self.period,
        )
        RequestConfig(self.request, paginate={"per_page": 50}).configure(table)
        _rows, total = projects.summary(self.period)
        context.update(
            table=table,
            total=total,
            problems=Problem.objects.open_at(self.period.as_of)
            .filter(project__lead_official=self.object)
            .with_overdue(self.period.as_of)
            .select_related("project", "meeting", "responsible_unit")
            .order_by("deadline"),
        )
        return context


class ZoneListView(ReadMixin, PeriodMixin, TemplateView):
    template_name = "list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows, total = Project.objects.summary(self.period)
        table = ZoneSummaryTable(rows, period=self.period)
        RequestConfig(self.request, paginate=False).configure(table)
        context.update(title=_("Zones"), table=table, total=total)
        return context


class ReportMixin(PermissionRequiredMixin):
    """Report pages: the role must report, and the project must be the user's own.

    A project outside the user's scope answers 404, as if it did not exist for them.
    """

    permission_required = "projects.add_monthlyreport"
    raise_exception = True


class MyProjectsView(ReportMixin, PeriodMixin, TemplateView):
    """A lead official's or liaison's projects, with the month's report status."""

    template_name = "projects/my_projects.html"
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
    template_name = "projects/report_form.html"

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


class OfficeMixin(PermissionRequiredMixin):
    """Pages that change the meeting record: the project office only."""

    raise_exception = True


class MeetingListView(ObjectListView):
    table_class = MeetingTable
    model = Meeting
    filterset_fields = ["year"]
    title = _("Meetings")
    export_name = "meetings"
    permission_required = "projects.view_meeting"

    def get_queryset(self):
        return Meeting.objects.annotate(problem_count=Count("problems"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["period_form"] = None  # meetings are listed whatever the period
        if self.request.user.has_perm("projects.add_meeting"):
            context["actions"] = [(reverse("projects:meeting_create"), _("Open a meeting"))]
        return context


class MeetingCreateView(OfficeMixin, CreateView):
    permission_required = "projects.add_meeting"
    form_class = MeetingForm
    template_name = "projects/form.html"
    extra_context = {"title": _("Open a meeting")}

    def get_initial(self):
        period = Period.current()
        return {
            "year": period.year,
            "month": period.month,
            "number": Meeting.next_number(period.year),
            "date": timezone.localdate(),
        }

    def form_valid(self, form):
        form.instance.title = form.instance.title or form.instance.default_title
        messages.success(self.request, _("The meeting is open."))
        return super().form_valid(form)


class MeetingDetailView(ReadMixin, DetailView):
    permission_required = "projects.view_meeting"
    model = Meeting
    template_name = "projects/meeting_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        as_of = self.object.period.as_of
        context["problems"] = (
            self.object.problems.with_overdue(as_of)
            .select_related("project", "responsible_unit")
            .order_by("pk")
        )
        if self.request.user.has_perm("projects.add_problem"):
            context["form"] = ProblemForm(meeting=self.object)
        context["lock"] = self.object.month_lock()
        context["may_lock"] = self.request.user.has_perms(MeetingLockView.permission_required)
        return context


class MeetingLockView(OfficeMixin, View):
    """Lock the month a meeting reviewed (its reports then change only through the office),
    or unlock it: POST action=lock|unlock, from the meeting page."""

    permission_required = ("projects.add_monthlock", "projects.delete_monthlock")

    def post(self, request, pk):
        meeting = get_object_or_404(Meeting, pk=pk)
        label = meeting.period.label
        action = request.POST.get("action")
        if action == "lock":
            MonthLock.objects.get_or_create(
                year=meeting.year, month=meeting.month, defaults={"locked_by": request.user}
            )
            messages.success(
                request,
                _("%(period)s is locked: lead officials can no longer add or change its reports.")
                % {"period": label},
            )
        elif action == "unlock":
            MonthLock.on(meeting.year, meeting.month).delete()
            messages.success(
                request,
                _("%(period)s is unlocked: lead officials can add and change its reports again.")
                % {"period": label},
            )
        else:
            messages.error(request, _("Choose to lock or to unlock the month."))
        return redirect(meeting)


class ProblemCreateView(OfficeMixin, CreateView):
    """Record a problem raised at a meeting."""

    permission_required = "projects.add_problem"
    form_class = ProblemForm
    template_name = "projects/form.html"

    def dispatch(self, request, *args, **kwargs):
        self.meeting = get_object_or_404(Meeting, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"meeting": self.meeting}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "title": _("Record a problem: %(meeting)s") % {"meeting": self.meeting}
        }

    def form_valid(self, form):
        form.save()
        messages.success(self.request, _("The problem is recorded."))
        return redirect(self.meeting.get_absolute_url())


class ProblemListView(ObjectListView):
    table_class = ProblemTable
    filterset_class = ProblemFilterSet
    title = _("Problem register")
    export_name = "problems"
    permission_required = "projects.view_problem"

    def get_queryset(self):
        """The register, each problem judged overdue or not as of today."""
        return Problem.objects.with_overdue(timezone.localdate()).select_related(
            "project__lead_official", "meeting", "responsible_unit"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["period_form"] = None  # the register is judged today
        return context


class ProblemDetailView(ReadMixin, DetailView):
    permission_required = "projects.view_problem"
    template_name = "projects/problem_detail.html"
    get_queryset = ProblemListView.get_queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.object.status == Problem.Status.OPEN and self.request.user.has_perm(
            "projects.change_problem"
        ):
            context["close_form"] = ProblemCloseForm(instance=self.object)
        context["history"] = self.object.history.select_related("history_user").order_by(
            "-history_date"
        )
        return context


class ProblemCloseView(OfficeMixin, UpdateView):
    """Close an item (销号) with a note."""

    permission_required = "projects.change_problem"
    model = Problem
    form_class = ProblemCloseForm
    template_name = "projects/form.html"
    http_method_names = ["post"]

    def form_valid(self, form):
        try:
            form.save()
        except StaleVersion:
            return self.form_invalid(form)
        messages.success(self.request, _("The problem is closed."))
        return redirect(self.object.get_absolute_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"title": _("Close a problem")}


class PacketMixin(ReadMixin):
    """The meeting packet, as HTML for printing or as PDF."""

    permission_required = "projects.view_meeting"

    def packet(self):
        return meeting_packet(get_object_or_404(Meeting, pk=self.kwargs["pk"]))


class MeetingPrintView(PacketMixin, TemplateView):
    template_name = "projects/packet.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | self.packet()


class MeetingPdfView(PacketMixin, View):
    def get(self, request, pk):
        context = self.packet()
        try:
            content = render_pdf("projects/packet.html", context, request)
        except PdfUnavailable as error:
            return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
        response = HttpResponse(content, content_type="application/pdf")
        filename = f"{context['meeting']}.pdf"
        response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(filename)}"
        return response


class OfficialPrintView(ReadMixin, TemplateView):
    """One official's part of the packet, for the latest meeting (or ?meeting=pk)."""

    template_name = "projects/packet.html"

    def get_context_data(self, **kwargs):
        official = get_object_or_404(Official, pk=self.kwargs["pk"])
        meetings = Meeting.objects.order_by("-date")
        meeting_pk = self.request.GET.get("meeting")
        meeting = (
            get_object_or_404(Meeting, pk=meeting_pk)
            if meeting_pk and meeting_pk.isdigit()
            else meetings.first()
        )
        if meeting is None:
            raise Http404(_("No meeting has been opened yet."))
        return super().get_context_data(**kwargs) | meeting_packet(meeting, official)


class DashboardView(ReadMixin, PeriodMixin, TemplateView):
    """Headline figures, charts, lights, the red list, overdue items and missing reports."""

    template_name = "projects/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        period = self.period
        zones, total = Project.objects.summary(period)
        monthly = dict(
            MonthlyReport.objects.filter(year=period.year, month__lte=period.month)
            .values_list("month")
            .annotate(total=Sum("amount"))
            .order_by("month")
        )
        points, running = [], Decimal(0)
        for month in range(1, period.month + 1):
            running += monthly.get(month, Decimal(0))
            points.append((month, quantize(running)))
        red = (
            Project.objects.with_progress(period)
            .filter(light_rank=Light.RED.rank)
            .select_related("lead_official", "zone")
            .order_by("-gap", "code")[:20]
        )
        missing = (
            Project.objects.with_report_status(period)
            .filter(report_id__isnull=True)
            .exclude(status__in=[Project.Status.COMPLETED, Project.Status.PLANNING])
            .values("lead_official__name")
            .annotate(count=Count("pk"))
            .order_by("-count", "lead_official__name")
        )
        context.update(
            title=_("Dashboard"),
            zones=zones,
            total=total,
            zone_chart=charts.zone_bars(zones),
            pace_chart=charts.pace_line(points, total["annual_plan"]),
            points=points,
            red=red,
            overdue=Problem.objects.overdue_at(period.as_of)
            .select_related("project__lead_official", "responsible_unit")
            .order_by("deadline")[:20],
            missing=missing,
        )
        return context


class HelpView(ReadMixin, TemplateView):
    """The user guide (docs/user-guide.zh.md), for every logged-in user."""

    template_name = "help.html"
    guide = Path(settings.BASE_DIR) / "docs" / "user-guide.zh.md"

    def get_context_data(self, **kwargs):
        html = markdown.markdown(self.guide.read_text(encoding="utf-8"))
        html = html.replace('src="screenshots/', f'src="{reverse("projects:help")}screenshots/')
        return super().get_context_data(**kwargs) | {"title": _("Help"), "guide": mark_safe(html)}


@permission_required("projects.view_project", raise_exception=True)
@require_GET
def help_screenshot(request, name):
    """The guide's pictures, served from docs/screenshots."""
    path = Path(settings.BASE_DIR) / "docs" / "screenshots" / f"{name}.png"
    if not path.is_file():
        raise Http404(name)
    return FileResponse(path.open("rb"), content_type="image/png")


class ImportTemplateView(ReadMixin, View):
    """A blank import template (?kind=projects or progress) with its 说明 sheet."""

    def get(self, request):
        kind = request.GET.get("kind", "projects")
        if kind not in imports.HEADERS:
            raise Http404(_("Unknown template."))
        name = _("project template") if kind == "projects" else _("progress template")
        return excel.xlsx_response(imports.template_workbook(kind), str(name))


TOKEN = re.compile(r"[0-9a-f]{32}")  # an uploaded file's, or the page's for its progress


def import_progress_key(request, token):
    """Where the progress of the upload the page tagged `token` is kept: the cache, which
    every app server shares (see CACHES), keyed by the user so no one else can read it."""
    if not TOKEN.fullmatch(token or ""):
        return None
    return f"import-progress:{request.user.pk}:{token}"


class ImportView(OfficeMixin, TemplateView):
    """Upload → preview (nothing written) → confirm, for the project office.

    The page tags an upload with a random token and, while the server reads and checks the
    rows, asks projects:import_progress how far it has got.
    """

    permission_required = "projects.add_project"
    template_name = "projects/import.html"
    PREVIEW_ROWS = 500  # of the updates, and of the new rows, listed in the preview

    def progress_reporter(self, request):
        key = import_progress_key(request, request.POST.get("progress"))
        if key is None:
            return imports.silent

        def report(text, fraction=None):
            percent = None if fraction is None else round(fraction * 100)
            cache.set(key, {"text": text, "percent": percent}, timeout=600)

        return report

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs) | {"title": _("Import from Excel")}
        if result := context.get("result"):
            context["preview_rows"] = f":{self.PREVIEW_ROWS}"
            context["preview_hidden"] = sum(
                max(len(rows) - self.PREVIEW_ROWS, 0) for rows in (result.update, result.create)
            )
        return context

    def post(self, request):
        kind = request.POST.get("kind")
        if kind not in imports.HEADERS:
            messages.error(request, _("Choose what the workbook contains."))
            return self.get(request)
        token = request.POST.get("token", "")
        if token:
            return self.confirm(request, kind, token)
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choose a workbook to upload."))
            return self.get(request)
        if upload.size > imports.MAX_UPLOAD:
            messages.error(request, _("The file is over 5 MB; split it and import the parts."))
            return self.get(request)
        data = upload.read()
        result = imports.run_import(
            kind, data, dry_run=True, progress=self.progress_reporter(request)
        )
        token = ""
        self.clear_expired()
        if result.ok:
            token = uuid.uuid4().hex
            default_storage.save(self.upload_path(request, token), ContentFile(data))
        return self.render_to_response(
            self.get_context_data(result=result, kind=kind, token=token, filename=upload.name)
        )

    # An upload waits this long for its confirmation; then it is deleted.
    KEEP_UPLOADS = datetime.timedelta(hours=24)

    @staticmethod
    def upload_path(request, token):
        """Where a checked upload waits, under its uploader: no one else can confirm it."""
        return f"imports/{request.user.pk}/{token}.xlsx"

    def clear_expired(self):
        """Delete the uploads that were checked but never confirmed within KEEP_UPLOADS."""
        if not default_storage.exists("imports"):
            return
        oldest = timezone.now() - self.KEEP_UPLOADS
        for folder in default_storage.listdir("imports")[0]:
            for name in default_storage.listdir(f"imports/{folder}")[1]:
                path = f"imports/{folder}/{name}"
                if default_storage.get_modified_time(path) < oldest:
                    default_storage.delete(path)

    def confirm(self, request, kind, token):
        path = self.upload_path(request, token)
        if (
            not TOKEN.fullmatch(token)
            or not default_storage.exists(path)
            or default_storage.get_modified_time(path) < timezone.now() - self.KEEP_UPLOADS
        ):
            messages.error(request, _("The uploaded file has expired; upload it again."))
            return redirect("projects:import")
        with default_storage.open(path, "rb") as handle:
            data = handle.read()
        result = imports.run_import(
            kind, data, user=request.user, dry_run=False, progress=self.progress_reporter(request)
        )
        default_storage.delete(path)
        if not result.ok:
            return self.render_to_response(self.get_context_data(result=result, kind=kind))
        messages.success(
            request,
            _("Imported: %(create)s created, %(update)s updated, %(unchanged)s unchanged.")
            % {
                "create": len(result.create),
                "update": len(result.update),
                "unchanged": len(result.unchanged),
            },
        )
        return redirect("projects:import")


class ImportProgressView(OfficeMixin, View):
    """How far the server has got with an upload: {"text": …, "percent": … or null}; empty
    for a token it has not heard of (the check has not begun, or it is another user's)."""

    permission_required = "projects.add_project"

    def get(self, request):
        key = import_progress_key(request, request.GET.get("token"))
        state = cache.get(key) if key else None
        return JsonResponse(state or {"text": "", "percent": None})
