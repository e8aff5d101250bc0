"""挂图作战: the project map, its GeoJSON, and the office placing a project."""

import math
import re
from functools import partial
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import View

from projects.models import Light, Project, StaleVersion
from projects.permissions import READ, RoleRequiredMixin
from projects.progress.period import Period
from projects.web.mixins import PeriodMixin

from .filters import ProjectFilterSet
from .forms import LocationForm
from .geojson import base_layer, base_layer_sources, cluster_region, map_figures, outlines
from .views import ProjectListView


class MapView(ProjectListView):
    """挂图作战: the projects the user may see, as pins coloured and shaped by their light on
    the outlines of zones and regions, filtered as the project list; below the map, the same
    projects as the project list's table (the map's accessible alternative)."""

    template_name = "projects/register/map.html"
    title = _("Project map")
    export_name = "map"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("sort", None)
        query["year"], query["month"] = self.period.year, self.period.month
        filtered = self.object_list
        context["unplaced"] = filtered.filter(latitude__isnull=True).count()
        context["map_config"] = {
            "pins": f"{reverse('projects:map_geojson')}?{query.urlencode()}",
            "outlines": outlines(self.request.user, self.period),
            **base_layer(),
            "period": self.period.query_string(),
            "lights": {light.value: str(light.label) for light in Light},
            "labels": {
                "rate": str(_("completion rate (%)")),
                "gap": str(_("gap (points)")),
                "zone": str(_("zone")),
                "plan": str(_("annual plan")),
                "ytd": str(_("completed this year")),
                "open": str(_("Open the project's page")),
                "red": str(_("%(red)s of %(projects)s projects seriously behind")),
                "cluster": str(
                    _("%(zone)s: %(count)s projects, %(red)s of them seriously behind; zoom in")
                ),
            },
        }
        context["lights"] = list(Light)
        # The filters fold away (the map first, on a phone) unless some are in use.
        context["filtered"] = any(
            value for key, value in self.request.GET.items() if key in self.filterset.filters
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        sources = base_layer_sources()
        if sources:
            response._csp_update = {"img-src": sources}
        return response


class MapGeoJSONView(RoleRequiredMixin, PeriodMixin, View):
    """The map's pins as GeoJSON (properties code, name, light, rate, gap, url), filtered as
    the project list and scoped as every page; with `bbox=west,south,east,north` only those
    within it. Above settings.JIEFANG_MAP_PINS projects, numbered clusters instead (properties
    cluster, zone or region, count, red, bounds): a district's per zone, a map above the
    districts per region beneath (per cell of the area when it has a bbox). A bad bbox is a
    400 with its reason."""

    permission_required = READ

    def get(self, request):
        try:
            bbox = parse_bbox(request.GET.get("bbox"))
        except ValueError:
            return JsonResponse({"error": str(BAD_BBOX)}, status=400)
        projects = Project.objects.restrict(request.user).with_stored_progress(self.period)
        filterset = ProjectFilterSet(request.GET, queryset=projects, request=request)
        if filterset.is_valid():
            projects = filterset.qs
            district = filterset.form.cleaned_data.get("region")
            above = partial(cluster_region, request.user, district)
        else:
            projects, above = projects.none(), None
        return JsonResponse(
            map_figures(projects, bbox, above=above), content_type="application/geo+json"
        )


BAD_BBOX = _(
    "The map's area (bbox) must be four numbers in degrees, west,south,east,north, with west "
    "less than east and south less than north."
)


def parse_bbox(value):
    """(west, south, east, north) of a `bbox` parameter, or None when there is none; a
    ValueError when it is not four finite degrees, west to east and south to north."""
    if value is None or not value.strip():
        return None
    parts = [float(part) for part in value.split(",")]  # ValueError on a word
    if len(parts) != 4 or not all(math.isfinite(part) for part in parts):
        raise ValueError(value)
    west, south, east, north = parts
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise ValueError(value)
    return west, south, east, north


class MapTilesView(RoleRequiredMixin, View):
    """The map's base layer from a local PMTiles file (settings.JIEFANG_MAP_PMTILES), for
    the signed-in users' maps: the whole file, or the byte range pmtiles.js asks for (206);
    a range past the end is 416. 404 when no file is set."""

    permission_required = READ
    CHUNK = 8 * 1024 * 1024  # a header, a directory or a tile: far less than this

    def get(self, request):
        path = Path(settings.JIEFANG_MAP_PMTILES) if settings.JIEFANG_MAP_PMTILES else None
        if path is None or not path.is_file():
            raise Http404(_("No base layer is set up for the map."))
        size = path.stat().st_size
        asked = request.headers.get("Range")
        if not asked:
            response = FileResponse(path.open("rb"), content_type=PMTILES_TYPE)
            response["Accept-Ranges"] = "bytes"
            return response
        span = byte_range(asked, size)
        if span is None or span[1] - span[0] + 1 > self.CHUNK:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        start, end = span
        with path.open("rb") as handle:
            handle.seek(start)
            data = handle.read(end - start + 1)
        response = HttpResponse(data, status=206, content_type=PMTILES_TYPE)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Accept-Ranges"] = "bytes"
        response["Cache-Control"] = "private, max-age=3600"
        return response


PMTILES_TYPE = "application/vnd.pmtiles"


def byte_range(header, size):
    """(first, last) byte of a single `bytes=` range within a file of `size` bytes, or None
    when it cannot be served (several ranges, bad syntax, or past the end)."""
    match = re.fullmatch(r"\s*bytes=(\d*)-(\d*)\s*", header)
    if not match or not any(match.groups()) or size == 0:
        return None
    first, last = match.groups()
    if not first:  # the last N bytes
        return (max(size - int(last), 0), size - 1) if int(last) else None
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or end < start:
        return None
    return start, end


class ProjectLocationView(RoleRequiredMixin, View):
    """The office places a project: latitude and longitude, typed, clicked on the map or
    taken from the phone; both empty takes the project off the map."""

    permission_required = "projects.change_project"

    def post(self, request, pk):
        project = get_object_or_404(Project.objects.restrict(request.user, "change"), pk=pk)
        form = LocationForm(request.POST, instance=project)
        if form.is_valid():
            try:
                form.save()
            except StaleVersion:
                messages.error(
                    request, _("Someone changed this project just now; please try again.")
                )
            else:
                messages.success(request, _("The project's place on the map is saved."))
        else:
            errors = [str(error) for errors in form.errors.values() for error in errors]
            messages.error(request, " ".join(dict.fromkeys(errors)))
        try:  # back to the page at the period it was shown for
            period = Period.from_params(request.POST)
        except ValueError:
            period = Period.collecting()
        return redirect(f"{project.get_absolute_url()}?{period.query_string()}#location")
