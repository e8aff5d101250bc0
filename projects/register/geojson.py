"""The map's data (挂图作战): the pins of a project queryset and the outlines of the zones
and regions a user may see, as GeoJSON, and the origin of the optional tile server."""

from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import (
    Avg,
    Count,
    FloatField,
    IntegerField,
    Max,
    Min,
    Q,
    Value,
)
from django.db.models.functions import Cast, Floor, Substr
from django.urls import reverse

from projects.models import Light, Project, Region, Zone
from projects.scope import region_of

GRID = 8  # clusters of an area asked for: per cell of a GRID × GRID grid


def map_figures(projects, bbox=None, cap=None, above=None):
    """The map's pins: the located projects of `projects` (restricted and filtered, with the
    progress table's figures), within `bbox` (west, south, east, north) when given, as a
    GeoJSON FeatureCollection read as plain values in one query. Above `cap` projects
    (settings.JIEFANG_MAP_PINS) they come as clusters instead (see map_clusters), in a second
    query: never more than cap + 1 rows are read as pins. `above`: a function giving the
    region of a map above the districts (see cluster_region), whose clusters are then the
    regions beneath it, asked only when the answer is clusters."""
    cap = settings.JIEFANG_MAP_PINS if cap is None else cap
    located = projects.filter(latitude__isnull=False, longitude__isnull=False).order_by()
    if bbox is not None:
        west, south, east, north = bbox
        located = located.filter(
            latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east
        )
    url = reverse("projects:project_detail", args=[0]).removesuffix("0/")
    rows = located.values_list(
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
    )[: cap + 1]
    rows = list(rows)
    if len(rows) > cap:
        return map_clusters(located, bbox, above() if above is not None else None)
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
    return {
        "type": "FeatureCollection",
        "clustered": False,
        "projects": len(features),
        "features": features,
    }


def cluster_region(user, district=None):
    """The region of `user`'s map when it is above the districts (a province's, a city's;
    the top of the tree for an account above every region), whose clusters are then the
    regions beneath it; None for a district's map (its clusters are its zones), as for any
    map narrowed to one `district` (the project list's region filter)."""
    if district is not None:
        return None
    region = region_of(user) or (Region.objects.heading() if user.is_superuser else None)
    if region is None or region.kind == Region.Kind.DISTRICT:
        return None
    return region


def map_clusters(located, bbox=None, above=None):
    """The located projects as numbered clusters, in one grouped query, each a point at the
    mean of its projects' coordinates with its count, its count of red projects and the
    bounds of its projects (the map zooms to them when clicked).

    A district's map (`above` None): per zone, and within `bbox` per cell of a GRID × GRID
    grid over it (so that zooming in splits them), named after its zone or its district. A map above the districts:
    per region beneath `above` (a province's cities, a city's districts), and within `bbox`
    per cell alone, named after the smallest region that holds all its projects: with a
    province's zones on top of each other, per zone and cell made thousands of clusters."""
    if above is None:
        rows = grid_clusters(located, bbox) if bbox is not None else zone_clusters(located)
    else:
        rows = cell_clusters(located, bbox) if bbox is not None else region_clusters(located, above)
    features = [
        {
            "type": "Feature",
            "geometry": {
                "type": "Point",
                "coordinates": [float(row["mean_longitude"]), float(row["mean_latitude"])],
            },
            "properties": {
                "cluster": True,
                "zone": row.get("zone_name"),
                "region": row.get("region_name"),
                "count": row["projects"],
                "red": row["red"],
                "bounds": [float(row[side]) for side in ("west", "south", "east", "north")],
            },
        }
        for row in rows
    ]
    return {
        "type": "FeatureCollection",
        "clustered": True,
        "projects": sum(feature["properties"]["count"] for feature in features),
        "features": features,
    }


def zone_clusters(located):
    """The clusters per zone."""
    return named_by_zone(cluster_rows(located.values("zone")))


def cells(located, bbox):
    """`located` with the row and column of its cell in the GRID × GRID grid over `bbox`."""
    west, south, east, north = bbox

    def cell(field, low, high):
        position = (Cast(field, FloatField()) - Value(float(low))) * Value(GRID / (high - low))
        return Cast(Floor(position), IntegerField())

    return located.annotate(
        cell_row=cell("latitude", south, north), cell_column=cell("longitude", west, east)
    )


def grid_clusters(located, bbox):
    """The clusters per cell of the grid over `bbox` alone, as above the districts (a few
    dozen groups, aggregated in parallel in a hash; per zone and cell, PostgreSQL sorted
    every row first: 0.94–1.21× the admin changelist over a district of 100,000 projects),
    each named after its zone when all its projects are in one, else after the district."""
    rows = cluster_rows(
        cells(located, bbox).values("cell_row", "cell_column"),
        first_zone=Min("zone"),
        last_zone=Max("zone"),
        district=Min("region"),
    )
    for row in rows:
        row["zone"] = row["first_zone"] if row["first_zone"] == row["last_zone"] else None
    rows = named_by_zone(rows)
    mixed = {row["district"] for row in rows if row["zone"] is None}
    names = dict(Region.objects.filter(pk__in=mixed).values_list("pk", "name")) if mixed else {}
    for row in rows:
        if row["zone"] is None:
            row["region_name"] = names.get(row["district"])
    return rows


def region_clusters(located, above):
    """The clusters per region directly beneath `above` (its projects' region paths cut
    after one more code: every code has six digits), and one of `above`'s own projects."""
    depth = len(above.path) + len("000000/")
    rows = cluster_rows(
        located.annotate(beneath=Substr("region__path", 1, depth)).values("beneath")
    )
    for row in rows:
        row["path"] = row["beneath"]
    return named_by_region(rows)


def cell_clusters(located, bbox):
    """The clusters per cell of the grid over `bbox` alone (a few dozen groups, which
    PostgreSQL aggregates in a hash), each named after the smallest region holding all its
    projects: the paths' common codes, from the least and the greatest path in the cell."""
    rows = cluster_rows(
        cells(located, bbox).values("cell_row", "cell_column"),
        first=Min("region__path"),
        last=Max("region__path"),
    )
    for row in rows:
        row["path"] = common_path(row["first"], row["last"])
    return named_by_region(rows)


def common_path(first, last):
    """The path of the smallest region whose path both `first` and `last` begin with."""
    common = ""
    for one, other in zip(first.split("/"), last.split("/"), strict=False):
        if one != other or not one:
            break
        common += f"{one}/"
    return common


def cluster_rows(groups, **more):
    """The figures of each group. Grouped on plain keys and unsorted, PostgreSQL aggregates
    in parallel or in a hash (the zone's name in the group or an ORDER BY cost it a sort of
    every row on disk, at 100,000 projects); the names are read after, for the few groups
    there are: joining every project with its zone for them was an eighth of the grouped
    query (EXPLAIN ANALYZE at 100,000 projects)."""
    return list(
        groups.annotate(
            projects=Count("pk"),
            red=Count("pk", filter=Q(light_rank=Light.RED.rank)),
            mean_latitude=Avg("latitude"),
            mean_longitude=Avg("longitude"),
            south=Min("latitude"),
            north=Max("latitude"),
            west=Min("longitude"),
            east=Max("longitude"),
            **more,
        ).order_by()
    )


def named_by_zone(rows):
    """The rows with their zone's name, sorted by it."""
    names = dict(
        Zone.objects.filter(pk__in={row["zone"] for row in rows}).values_list("pk", "name")
    )
    for row in rows:
        row["zone_name"] = names.get(row["zone"])
    return sorted(rows, key=lambda row: (row["zone_name"] or "", row["zone"] or 0, *row.values()))


def named_by_region(rows):
    """The rows with the name of their region (the row's `path`), sorted by it and by place."""
    paths = {row["path"] for row in rows}
    names = dict(Region.objects.filter(path__in=paths).values_list("path", "name"))
    for row in rows:
        row["region_name"] = names.get(row["path"])
    return sorted(
        rows,
        key=lambda row: (
            row["region_name"] or "",
            float(row["mean_latitude"]),
            float(row["mean_longitude"]),
        ),
    )


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
