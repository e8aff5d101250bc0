"""The map's data (挂图作战): the pins of a project queryset and the outlines of the zones
and regions a user may see, as GeoJSON, and the origin of the optional tile server."""

from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse

from projects.models import Light, Project, Region, Zone


def map_figures(projects):
    """The map's pins: the located projects of `projects` (restricted and filtered, with the
    progress table's figures) as a GeoJSON FeatureCollection, read as plain values in one
    query."""
    url = reverse("projects:project_detail", args=[0]).removesuffix("0/")
    rows = projects.filter(latitude__isnull=False, longitude__isnull=False).values_list(
        "pk",
        "code",
        "name",
        "zone__name",
        "latitude",
        "longitude",
        "light_rank",
        "completion_rate",
        "gap",
        "annual_plan",
        "ytd",
    )
    number = lambda value: None if value is None else float(value)  # noqa: E731
    features = []
    for pk, code, name, zone, lat, lon, rank, rate, gap, plan, ytd in rows:
        light = Light.from_rank(rank) if rank is not None else Light.NONE
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [float(lon), float(lat)]},
                "properties": {
                    "code": code,
                    "name": name,
                    "zone": zone,
                    "light": light.value,
                    "light_label": str(light.label),
                    "rate": number(rate),
                    "gap": number(gap),
                    "annual_plan": number(plan),
                    "ytd": number(ytd),
                    "url": f"{url}{pk}/",
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def outlines(user, period=None):
    """The outlines of the regions and zones `user` may see, as GeoJSON Features named; with
    a period, each region's count of projects and of red ones (the city's map shades its
    districts by their share of red projects)."""
    features = []
    counts = red_counts(user, period) if period is not None else []
    for kind, model in (("region", Region), ("zone", Zone)):
        rows = model.objects.restrict(user).filter(outline__isnull=False)
        fields = ["pk", "name", "outline", *(["path"] if kind == "region" else [])]
        for pk, name, outline, *path in rows.values_list(*fields):
            properties = {"kind": kind, "id": pk, "name": name}
            if path and counts:
                inside = [row for row in counts if row[0].startswith(path[0])]
                properties["projects"] = sum(row[1] for row in inside)
                properties["red"] = sum(row[2] for row in inside)
            features.append({"type": "Feature", "geometry": outline, "properties": properties})
    return {"type": "FeatureCollection", "features": features}


def red_counts(user, period):
    """(region path, projects, red projects) of each region `user` sees projects of."""
    return list(
        Project.objects.restrict(user)
        .with_stored_progress(period)
        .order_by()
        .values("region__path")
        .annotate(
            projects=Count("pk"),
            red=Count("pk", filter=Q(light_rank=Light.RED.rank)),
        )
        .values_list("region__path", "projects", "red")
    )


def tile_origin():
    """The origin of the intranet tile server (a {s} subdomain as a wildcard), or None when
    the tiles come from this server or there are none."""
    template = settings.JIEFANG_MAP_TILES
    parts = urlsplit(template.replace("{s}", "*"))
    if not template or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme else parts.netloc


def base_layer():
    """The map's base layer, for the pages' map settings: a local PMTiles file served by this
    app (its URL here), or an intranet tile server's URL template, or neither; and the 审图号."""
    pmtiles = reverse("projects:map_pmtiles") if settings.JIEFANG_MAP_PMTILES else ""
    return {
        "pmtiles": pmtiles,
        "tiles": "" if pmtiles else settings.JIEFANG_MAP_TILES,
        "attribution": settings.JIEFANG_MAP_ATTRIBUTION,
    }


def base_layer_sources():
    """What the map pages' img-src must allow beyond this server: the tile server's origin,
    or blob: for the PMTiles reader's tiles (it hands each tile to an <img> as a blob)."""
    if settings.JIEFANG_MAP_PMTILES:
        return ["blob:"]
    origin = tile_origin()
    return [origin] if origin else []
