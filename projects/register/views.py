"""Pages of the register: dashboard, projects, officials, zones and the user guide.
Every progress figure comes from the progress engine: with_progress for one project, and
its table (with_stored_progress) for lists and totals."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, TemplateView, View
from django_tables2 import RequestConfig

from projects.exchange.workbook import progress_workbook
from projects.exchange.xlsx import UNITS, xlsx_response
from projects.exports import jobs
from projects.factors.detail import life_context
from projects.history import project_history
from projects.life.forms import stage_context
from projects.life.rates import start_rates
from projects.models import (
    Escalation,
    Light,
    MeetingSnapshot,
    Milestone,
    Official,
    Problem,
    Project,
    Region,
)
from projects.models.levels import leads_by_level
from projects.permissions import READ, RoleRequiredMixin
from projects.scope import chosen_region, heading_region, region_of
from projects.web.mixins import ObjectListView, PeriodMixin
from projects.web.pagination import CountedPaginator

from . import charts, exports, ranking
from .beneath import regions_beneath
from .filters import ProjectFilterSet
from .forms import LocationForm
from .geojson import base_layer, base_layer_sources, outlines
from .ranking_record import ranking_from_json
from .ranking_regions import regions_ranking
from .ranking_workbook import ranking_workbook
from .tables import ProjectTable
from .timeline import milestone_timeline


class ProjectListView(ObjectListView):
    table_class = ProjectTable
    filterset_class = ProjectFilterSet
    title = _("Key projects")
    export_name = "projects"
    extra_context = {"my_exports": True}  # large downloads are kept there

    def get_queryset(self):
        projects = (
            Project.objects.restrict(self.request.user)
            .with_stored_progress(self.period)
            .select_related("zone", "lead_official")
        )
        if self.request.GET.get("sort", "").lstrip("-") == "light":
            # Every project has its row: saying so lets the database read the month's light
            # index in order and stop at the page, instead of sorting every project.
            projects = projects.filter(light_rank__isnull=False)
        return projects

    def get_table_pagination(self, table):
        """Filtered by nothing but lights, zone and lead official, the list's length is
        added up from the progress table's totals rather than counted over the join."""
        paginate = super().get_table_pagination(table)
        filters = self.filterset
        if paginate is False or not filters.is_bound or not filters.is_valid():
            return paginate
        chosen = {name: value for name, value in filters.form.cleaned_data.items() if value}
        if set(chosen) - {"light", "zone", "lead_official"}:
            return paginate
        count = Project.objects.restrict(self.request.user).stored_count(
            self.period,
            lights=[Light(light) for light in chosen.get("light", Light.values)],
            zone=chosen.get("zone"),
            lead_official=chosen.get("lead_official"),
        )
        return {**paginate, "paginator_class": CountedPaginator, "count": count}

    def render_to_response(self, context, **response_kwargs):
        """Every row of more than JIEFANG_BACKGROUND_EXPORT_OVER projects is written in the
        background."""
        if self.request.GET.get("export") == "xlsx":
            count = context["table"].paginator.count
            if jobs.in_background(count):
                query = self.request.GET.copy()
                query.pop("export", None)
                query.pop("page", None)
                return queued(self.request, "list", self.period, query.urlencode(), count)
        return super().render_to_response(context, **response_kwargs)


def queued(request, kind, period, query, count, unit="万元"):
    """To the page of the export queued for this request (or of the same one already waiting);
    to My exports, saying why, when the user has as many waiting as one may."""
    try:
        return redirect(jobs.queue(request.user, kind, period, query, count, unit))
    except jobs.QueueFull as full:
        messages.error(request, str(full))
        return redirect("projects:export_list")


class ProjectDetailView(RoleRequiredMixin, PeriodMixin, DetailView):
    permission_required = READ
    template_name = "projects/register/project_detail.html"

    def get_queryset(self):
        return (
            Project.objects.restrict(self.request.user)
            .with_progress(self.period)
            .select_related("zone", "lead_official", "responsible_unit", "street_office")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project, period = self.object, self.period
        milestones = list(project.milestones.all())
        rows = [
            (milestone, milestone.delay_at(period.as_of), milestone.status_at(period.as_of))
            for milestone in milestones
        ]
        months = self.month_rows()
        reports = list(
            project.reports.filter(year=period.year, month__lte=period.month)
            .order_by("-month")
            .prefetch_related("photos")
        )
        planned, _completed = Project.objects.filter(pk=project.pk).curves(period.year)
        completed = [(row.month, row.ytd) for row in months]  # the engine's, month by month
        context.update(
            annual_plans=project.annual_plans.prefetch_related("months"),
            months=months,
            plan_chart=charts.pace_line(completed, planned),
            planned=planned[1:],
            completed=completed,
            milestones=[row for row in rows if row[0].kind == Milestone.Kind.CONSTRUCTION],
            preparation=[row for row in rows if row[0].kind == Milestone.Kind.PREPARATION],
            timeline=milestone_timeline(milestones, period.as_of),
            problems=project.problem_items.select_related("meeting", "responsible_unit"),
            reports=reports,
            photo_reports=[report for report in reports if report.photos.all()],
            history=project_history(project),
            level_leads=leads_by_level(project, above=True),
            can_report=Project.objects.filter(pk=project.pk)
            .restrict(self.request.user, "change")
            .exists(),
        )
        context.update(self.location_context(project))
        context.update(life_context(project, period))
        context.update(stage_context(project, self.request.user))
        return context

    def location_context(self, project):
        """The project's place: a small map for every reader; the office's form to set it."""
        placed = project.latitude is not None
        config = {
            "point": [float(project.latitude), float(project.longitude)] if placed else None,
            "light": project.light.value,
            **base_layer(),
            "outlines": outlines(self.request.user),
        }
        user = self.request.user
        form = None
        if user.has_perm("projects.change_project"):
            form = LocationForm(instance=project)
            config["editable"] = True
        return {"location_config": config, "location_form": form}

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        sources = base_layer_sources()
        if sources:
            response._csp_update = {"img-src": sources}
        return response

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


class ProgressWorkbookView(RoleRequiredMixin, PeriodMixin, View):
    """The standard progress workbook, for the whole register or the filtered project list.
    More than JIEFANG_BACKGROUND_EXPORT_OVER projects are built in the background: the
    request queues the job and goes to its progress page."""

    permission_required = READ

    def get(self, request):
        unit = request.GET.get("unit", "万元")
        if unit not in UNITS:
            unit = "万元"
        query = request.GET.urlencode()
        filtered = exports.selected(self.period, query, request.user)
        count = filtered.count()
        if jobs.in_background(count):
            return queued(request, "progress", self.period, query, count, unit)
        projects = Project.objects.filter(pk__in=filtered.values("pk"))
        content = progress_workbook(self.period, projects, unit, heading_region(request.user))
        return xlsx_response(content, f"重点项目进展情况表-{self.period.label}")


class OfficialDetailView(RoleRequiredMixin, PeriodMixin, DetailView):
    permission_required = READ
    template_name = "projects/register/official_detail.html"

    def get_queryset(self):
        return Official.objects.restrict(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        projects = Project.objects.restrict(self.request.user).filter(lead_official=self.object)
        table = ProjectTable(
            projects.with_stored_progress(self.period).select_related("zone", "lead_official"),
            period=self.period,
        )
        RequestConfig(self.request, paginate={"per_page": 50}).configure(table)
        _rows, total = projects.summary(self.period)
        context.update(
            table=table,
            total=total,
            problems=Problem.objects.restrict(self.request.user)
            .open_at(self.period.as_of)
            .filter(project__lead_official=self.object)
            .with_overdue(self.period.as_of)
            .select_related("project", "meeting", "responsible_unit")
            .order_by("deadline"),
        )
        return context


class DashboardView(RoleRequiredMixin, PeriodMixin, TemplateView):
    """Headline figures, charts, lights, the red list, overdue items and missing reports.
    A unit contact, who reads only their unit's problems, is taken to those instead."""

    permission_required = READ
    template_name = "projects/register/dashboard.html"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if (
            request.method == "GET"
            and user.is_authenticated
            and not user.has_perm("projects.view_project")
            and user.has_perm("projects.add_problemupdate")
        ):
            return redirect("projects:my_problems")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        period = self.period
        user, region = self.request.user, chosen_region(self.request)
        projects = Project.objects.restrict(user, region=region)
        problems = Problem.objects.restrict(user, region=region)
        scope = region or region_of(user) or Region.objects.heading()
        by_region = scope is not None and scope.kind != Region.Kind.DISTRICT
        if by_region:
            # Above districts the chart and the missing reports are per region beneath (a
            # city's districts, a province's cities): a province has hundreds of zones and
            # thousands of lead officials, and its office compares districts.
            zones, total, missing = regions_beneath(projects, period, scope)
        else:
            zones, total = projects.summary(period)
            missing = projects.missing_reports(period)
        planned, completed = projects.pace(period)
        points = completed[1:]
        red = (
            projects.with_stored_progress(period)
            .filter(light_rank=Light.RED.rank)
            .select_related("lead_official", "zone")
            .order_by("-gap", "code")[:20]
        )
        context.update(
            title=_("Dashboard") if region is None else f"{region.name} · {_('Dashboard')}",
            region=region,
            # Above districts: the districts side by side are a click away.
            districts=region is None and getattr(region_of(user), "kind", "") != "district",
            zones=zones,
            total=total,
            zone_chart=charts.zone_bars(zones),
            by_region=by_region,
            chart_title=(
                _("Annual plan and completed investment by region (10k yuan)")
                if by_region
                else _("Annual plan and completed investment by zone (10k yuan)")
            ),
            pace_chart=charts.pace_line(points, planned),
            planned=planned[1 : period.month + 1],
            points=points,
            red=red,
            overdue=problems.most_overdue(period.as_of).select_related(
                "project__lead_official", "responsible_unit"
            )[:20],
            escalations=[
                (level, count)
                for level, count in zip(
                    list(Escalation)[1:],
                    problems.escalation_counts(period.as_of),
                    strict=True,
                )
            ],
            missing=missing,
            starts=start_rates(projects, period, scope, detail=False).total,
        )
        return context


class RankingView(RoleRequiredMixin, PeriodMixin, TemplateView):
    """The month's ranking of lead officials, zones and responsible units, with 红榜 and 黑榜
    and the movement since last month; ?export=xlsx downloads it."""

    permission_required = READ
    template_name = "projects/register/ranking.html"
    # Each table shows this many places a page (a city's 2,000 officials would otherwise be
    # drawn at once); the Excel download has every one.
    paginate_by = 50

    def get_context_data(self, **kwargs):
        # A district's month whose meeting is held keeps the ranking printed for it.
        region = region_of(self.request.user)
        frozen = (
            MeetingSnapshot.of_period(self.period, region, kept=("ranking",))
            if region is not None
            else None
        )
        projects = Project.objects.restrict(self.request.user)
        scope = region or heading_region(self.request.user)
        if frozen is not None:
            result = ranking_from_json(frozen.ranking)
        elif scope is not None and scope.kind != Region.Kind.DISTRICT:
            # Above the districts: the regions beneath, from the progress table's totals (a
            # province has thousands of lead officials and hundreds of zones; each district's
            # own ranking ranks them).
            result = regions_ranking(self.period, projects, scope)
        else:
            result = ranking.ranking(self.period, projects)
        number = self.request.GET.get("page")
        boards = [
            (
                title,
                Paginator(entries, self.paginate_by).get_page(number),
                *ranking.top_and_bottom(entries),
            )
            for title, entries in ranking.boards(result)
        ]
        return super().get_context_data(**kwargs) | {
            "title": _("Monthly ranking"),
            "ranking": result,
            "frozen": frozen,
            "boards": boards,
            "weighted": result.weighted(),
        }

    def render_to_response(self, context, **response_kwargs):
        if self.request.GET.get("export") == "xlsx":
            return xlsx_response(
                ranking_workbook(context["ranking"], heading_region(self.request.user)),
                f"排名通报-{self.period.label}",
            )
        return super().render_to_response(context, **response_kwargs)
