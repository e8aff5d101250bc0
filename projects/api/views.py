"""The API's endpoints: every queryset starts from `Model.objects.restrict(user)`, so that a
token of a district reads nothing of a sibling and the city's reads both."""

import functools
from collections import defaultdict
from decimal import Decimal

from django import forms
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.db.models import Max, Sum
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from drf_spectacular.views import (
    SpectacularJSONAPIView,
    SpectacularRedocView,
    SpectacularSwaggerView,
)
from rest_framework import generics, serializers
from rest_framework.exceptions import MethodNotAllowed, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from projects.meetings import issued
from projects.models import Meeting, Problem, Project, Region, ReportPhoto
from projects.progress import store
from projects.progress.lights import LIGHT_NAMES
from projects.progress.period import Period, percent, quantize
from projects.scope import region_of

from . import filters
from . import serializers as api
from .pagination import Cursor

PERIOD_PARAMETERS = [
    OpenApiParameter(
        "year",
        OpenApiTypes.INT,
        description=gettext_lazy("Year (2000–2100); with neither year nor month, last month."),
    ),
    OpenApiParameter(
        "month",
        OpenApiTypes.INT,
        description=gettext_lazy("Month (1–12); 12 when only the year is given."),
    ),
]


def described(text, **kwargs):
    """The operation's summary and description in the schema (in Chinese, as the page is)."""
    return extend_schema(summary=text, description=text, **kwargs)


class ReadOnly:
    """Every endpoint reads: any other method answers 405 before anything else is asked."""

    def initial(self, request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            raise MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)


class PeriodForm(forms.Form):
    year = forms.IntegerField(required=False, min_value=2000, max_value=2100)
    month = forms.IntegerField(required=False, min_value=1, max_value=12)


def period_of(request):
    """The month named by ?year=&month= (last month by default); 400 naming a bad one."""
    form = PeriodForm(request.query_params)
    if not form.is_valid():
        raise ValidationError({name: list(errors) for name, errors in form.errors.items()})
    year, month = form.cleaned_data["year"], form.cleaned_data["month"]
    if year is None and month is None:
        return Period.collecting()
    default = Period.collecting()
    return Period(year or default.year, month or 12)


@described(gettext_lazy("Project register"))
class ProjectListView(ReadOnly, generics.ListAPIView):
    """The register: every project the account can see."""

    serializer_class = api.ProjectSerializer
    filterset_class = filters.ProjectFilterSet
    pagination_class = Cursor

    def get_queryset(self):
        return Project.objects.restrict(self.request.user).select_related(
            "region", "zone", "lead_official", "responsible_unit"
        )


@described(gettext_lazy("A project with its milestones"))
class ProjectDetailView(ReadOnly, generics.RetrieveAPIView):
    """A project by its code, with its milestones (404 for a project the account cannot see)."""

    serializer_class = api.ProjectDetailSerializer
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return (
            Project.objects.restrict(self.request.user)
            .select_related("region", "zone", "lead_official", "responsible_unit")
            .prefetch_related(
                "milestones", "level_leads__lead_official", "level_leads__responsible_unit"
            )
        )


@described(
    gettext_lazy("Progress of each project for a month (as the progress workbook)"),
    parameters=PERIOD_PARAMETERS,
)
class ProgressListView(ReadOnly, generics.ListAPIView):
    """Each project's figures for the month, from the progress table: the same figures as
    the progress workbook (重点项目进展情况表)."""

    serializer_class = api.ProgressSerializer
    filterset_class = filters.ProgressFilterSet
    pagination_class = Cursor

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema asks for the model only
            return Project.objects.none()
        self.period = period_of(self.request)
        return (
            Project.objects.restrict(self.request.user)
            .with_stored_progress(self.period)
            .with_report_text(self.period)
            .select_related("region", "zone")
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        photos = defaultdict(list)
        for pk, project in (
            ReportPhoto.objects.filter(
                report__project__in=[project.pk for project in page],
                report__year=self.period.year,
                report__month=self.period.month,
            )
            .order_by("uploaded_at", "pk")
            .values_list("pk", "report__project")
        ):
            photos[project].append(pk)
        context = self.get_serializer_context() | {"period": self.period, "photos": photos}
        serializer = self.serializer_class(page, many=True, context=context)
        return self.get_paginated_response(serializer.data)


class RegionTotalsList(serializers.Serializer):
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    results = api.RegionTotalsSerializer(many=True)


SUMMED = ("total_investment", "annual_plan", "month_amount", "ytd", "cumulative", "planned_to_date")


@described(
    gettext_lazy("Region tree with each region's totals for a month"),
    parameters=PERIOD_PARAMETERS,
    responses=RegionTotalsList,
)
class RegionListView(ReadOnly, APIView):
    """The regions the account can see, from its own down, each with what its projects and
    those beneath it add up to for the month (from the progress table's totals: two
    queries, however many regions and projects)."""

    def get(self, request):
        period = period_of(request)
        user = request.user
        regions = list(Region.objects.restrict(user).select_related("parent").order_by("path"))
        groups = (
            store.totals(Project, period, region_of(user))
            .order_by()
            .values("zone__region__path")
            .annotate(
                count=Sum("projects"),
                **{name: Sum(name) for name in SUMMED},
                **{f"lights_{name}": Sum(f"lights_{name}") for name in LIGHT_NAMES.values()},
            )
        )
        groups = list(groups)
        results = []
        for region in regions:
            mine = [
                group for group in groups if group["zone__region__path"].startswith(region.path)
            ]
            sums = {
                name: quantize(sum((Decimal(g[name] or 0) for g in mine), Decimal(0)))
                for name in SUMMED
            }
            rate = percent(sums["ytd"], sums["annual_plan"])
            schedule = percent(sums["planned_to_date"], sums["annual_plan"])
            results.append(
                {
                    "code": region.code,
                    "name": region.name,
                    "kind": region.kind,
                    "parent": region.parent.code if region.parent_id else None,
                    "projects": sum(g["count"] or 0 for g in mine),
                    **{name: sums[name] for name in SUMMED if name != "planned_to_date"},
                    "completion_rate": rate,
                    "time_schedule": schedule,
                    "gap": None if rate is None else quantize(schedule - rate),
                    "lights": {
                        name: sum(g[f"lights_{name}"] or 0 for g in mine)
                        for name in LIGHT_NAMES.values()
                    },
                }
            )
        data = {"year": period.year, "month": period.month, "results": results}
        return Response(RegionTotalsList(data).data)


@described(gettext_lazy("Problem register with escalation"))
class ProblemListView(ReadOnly, generics.ListAPIView):
    """The problem register, open and closed, with each problem's escalation today."""

    serializer_class = api.ProblemSerializer
    filterset_class = filters.ProblemFilterSet
    pagination_class = Cursor

    def get_queryset(self):
        return (
            Problem.objects.restrict(self.request.user)
            .with_overdue(timezone.localdate())
            .select_related("project", "responsible_unit", "meeting")
        )


@described(gettext_lazy("Monthly meetings and their documents"))
class MeetingListView(ReadOnly, generics.ListAPIView):
    """The monthly meetings, with the URLs of their documents."""

    serializer_class = api.MeetingSerializer
    filterset_class = filters.MeetingFilterSet
    pagination_class = Cursor

    def get_queryset(self):
        return (
            Meeting.objects.restrict(self.request.user)
            .select_related("region")
            .annotate(frozen_at=Max("snapshots__taken_at"))
        )


class MeetingDocumentView(ReadOnly, APIView):
    """One of a meeting's documents, as the meeting page gives it: frozen once the meeting is
    held (?issue=N for an earlier issue, the latest by default)."""

    build = None

    def get(self, request, pk):
        meeting = get_object_or_404(Meeting.objects.restrict(request.user), pk=pk)
        return issued.respond(type(self).build, meeting, request.GET.get("issue"))


ISSUE = OpenApiParameter(
    "issue",
    OpenApiTypes.INT,
    description=gettext_lazy("Issue of the frozen record (0 the original); the latest if absent."),
)


@described(
    gettext_lazy("A meeting's packet (PDF)"),
    parameters=[ISSUE],
    responses={(200, "application/pdf"): OpenApiTypes.BINARY},
)
class MeetingPacketView(MeetingDocumentView):
    build = issued.packet_pdf


@described(
    gettext_lazy("A meeting's minutes (Word)"),
    parameters=[ISSUE],
    responses={(200, issued.DOCX): OpenApiTypes.BINARY},
)
class MeetingMinutesView(MeetingDocumentView):
    build = issued.minutes_docx


@described(
    gettext_lazy("The bulletin of the month a meeting reviewed (Word)"),
    parameters=[ISSUE],
    responses={(200, issued.DOCX): OpenApiTypes.BINARY},
)
class MeetingBulletinView(MeetingDocumentView):
    build = issued.bulletin_docx


@described(
    gettext_lazy("A site photo"),
    responses={(200, "image/jpeg"): OpenApiTypes.BINARY},
)
class PhotoView(ReadOnly, APIView):
    """A site photo of a monthly report (JPEG), for an account that can see its project."""

    def get(self, request, pk):
        photo = get_object_or_404(ReportPhoto.objects.restrict(request.user), pk=pk)
        if not default_storage.exists(photo.image.name):
            raise Http404(_("The photo file is missing."))
        response = FileResponse(
            default_storage.open(photo.image.name, "rb"), content_type="image/jpeg"
        )
        response["Cache-Control"] = "private, max-age=3600"
        return response


class SchemaView(ReadOnly, SpectacularJSONAPIView):
    """The OpenAPI 3 schema, in JSON (errors too)."""


class SwaggerView(SpectacularSwaggerView):
    """Swagger UI from this server, its script inline with the page's CSP nonce."""

    template_name = "api/swagger_ui.html"


class RedocView(SpectacularRedocView):
    """Redoc from this server, without the web fonts its default page fetches."""

    template_name = "api/redoc.html"

    @staticmethod
    def _redoc_standalone():
        return reverse("api:redoc_js")


# Redoc's footer always shows Redocly's logo from their CDN, with no option to leave it out;
# on an intranet that is a request that never answers. The same image, drawn from here.
REDOC_BUNDLE = "drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


@functools.cache
def redoc_bundle():
    path = finders.find(REDOC_BUNDLE)
    with open(path, encoding="utf-8") as handle:
        bundle = handle.read()
    return bundle.replace(REDOC_LOGO, static("api/redoc-logo-mini.svg"))


def redoc_script(request):
    """Redoc's script from this server, its logo too."""
    response = HttpResponse(redoc_bundle(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response
