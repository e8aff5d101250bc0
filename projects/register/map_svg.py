"""挂图作战 on paper: a region's outlines and its projects' points drawn as one SVG on the
server (no browser, no tiles), for the meeting packet's map page in A4 landscape.

WGS-84 degrees are projected equirectangularly, the longitudes scaled by the cosine of the
middle latitude (true to shape at a district's or a city's size), and fitted to the box of
everything drawn. Each light has a shape of its own as well as a colour (green circle, yellow
triangle, red square with a bar, grey ring: the symbols of the map page and its legend), so
the page reads in black and white.
"""

import math
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.translation import gettext as _

from projects.models import Light, Region, Zone
from projects.models.geo import outline_geometry

# The drawing's units: the text block of an A4 landscape page (277 × 184 mm, less the
# heading) is 1000 wide; the map takes the left, the legend the right.
WIDTH, HEIGHT = 1000, 580
MAP = (10, 10, 740, 560)  # x, y, width, height of the map's box
LEGEND_X = 775
MARKER = 9  # half the size of a marker
FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, sans-serif"
# The same colours as the screen's map (static/js/map.js) and light_symbol.html.
FILL = {
    Light.GREEN: ("#1b7a36", "#0b3b18"),
    Light.YELLOW: ("#f0b400", "#5c3b00"),
    Light.RED: ("#c4281c", "#5a0f09"),
    Light.NONE: ("#ffffff", "#434e5b"),
}


@dataclass
class Pin:
    number: int
    code: str
    name: str
    longitude: float
    latitude: float
    light: Light


@dataclass
class Outline:
    name: str
    kind: str  # "region" or "zone"
    geometry: dict


def packet_map(region, projects, period):
    """The map page's data for `region`'s packet: the SVG and the numbered key of the placed
    projects among `projects` (rows annotated with their stored progress), and how many have
    no place. A city's map outlines its districts; a district's, its zones."""
    located = sorted(
        (p for p in projects if p.latitude is not None and p.longitude is not None),
        key=lambda p: p.code,
    )
    pins = [
        Pin(
            number,
            project.code,
            project.name,
            float(project.longitude),
            float(project.latitude),
            light_of(project),
        )
        for number, project in enumerate(located, 1)
    ]
    shapes = region_outlines(region)
    return {
        "svg": map_svg(shapes, pins, period) if pins or shapes else "",
        "pins": pins,
        "unplaced": len(projects) - len(pins),
    }


def light_of(project):
    rank = getattr(project, "light_rank", None)
    return Light.NONE if rank is None else Light.from_rank(rank)


def region_outlines(region):
    """The outlines drawn under the pins: the region's own, and its districts' (a city) or
    its zones' (a district)."""
    shapes = []
    if region.outline:
        shapes.append(Outline(region.name, "region", outline_geometry(region.outline)))
    children = Region.objects.filter(parent=region, outline__isnull=False).order_by("code")
    for name, outline in children.values_list("name", "outline"):
        shapes.append(Outline(name, "region", outline_geometry(outline)))
    if not children.exists():
        zones = Zone.objects.filter(region=region, outline__isnull=False).order_by("order", "name")
        for name, outline in zones.values_list("name", "outline"):
            shapes.append(Outline(name, "zone", outline_geometry(outline)))
    return shapes


def polygons(geometry):
    """The polygons (lists of rings of [lon, lat]) of a Polygon or MultiPolygon."""
    if not isinstance(geometry, dict):
        return []
    if geometry.get("type") == "Polygon":
        return [geometry.get("coordinates") or []]
    if geometry.get("type") == "MultiPolygon":
        return geometry.get("coordinates") or []
    return []


class Projection:
    """Equirectangular, the longitudes scaled by cos(middle latitude), fitted to MAP."""

    def __init__(self, points):
        longitudes = [p[0] for p in points]
        latitudes = [p[1] for p in points]
        west, east = min(longitudes), max(longitudes)
        south, north = min(latitudes), max(latitudes)
        # A single point (or a line) still gets a box: about a kilometre around it.
        if east - west < 0.01:
            west, east = (west + east) / 2 - 0.005, (west + east) / 2 + 0.005
        if north - south < 0.01:
            south, north = (south + north) / 2 - 0.005, (south + north) / 2 + 0.005
        self.k = math.cos(math.radians((south + north) / 2))
        x, y, width, height = MAP
        pad = 2.5 * MARKER  # room for the markers at the edge
        span_x, span_y = (east - west) * self.k, north - south
        self.scale = min((width - 2 * pad) / span_x, (height - 2 * pad) / span_y)
        self.west, self.north = west, north
        self.x0 = x + (width - span_x * self.scale) / 2
        self.y0 = y + (height - span_y * self.scale) / 2

    def __call__(self, longitude, latitude):
        return (
            self.x0 + (longitude - self.west) * self.k * self.scale,
            self.y0 + (self.north - latitude) * self.scale,
        )


def _n(value):
    return f"{value:.1f}"


def marker(light, x, y, size=MARKER):
    """The light's symbol centred at x, y: its shape tells it without the colour."""
    fill, stroke = FILL[light]
    if light == Light.GREEN:
        return (
            f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(size)}" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="1.6"/>'
        )
    if light == Light.YELLOW:
        top, base = y - size * 1.15, y + size * 0.85
        return (
            f'<path d="M{_n(x)} {_n(top)} L{_n(x + size * 1.15)} {_n(base)} '
            f'L{_n(x - size * 1.15)} {_n(base)} Z" fill="{fill}" stroke="{stroke}" '
            'stroke-width="1.6" stroke-linejoin="round"/>'
        )
    if light == Light.RED:
        return (
            f'<rect x="{_n(x - size)}" y="{_n(y - size)}" width="{_n(2 * size)}" '
            f'height="{_n(2 * size)}" fill="{fill}" stroke="{stroke}" stroke-width="1.6"/>'
            f'<rect x="{_n(x - size * 0.18)}" y="{_n(y - size * 0.65)}" '
            f'width="{_n(size * 0.36)}" height="{_n(size * 1.3)}" fill="#ffffff"/>'
        )
    return (
        f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(size * 0.85)}" fill="{fill}" '
        f'stroke="{stroke}" stroke-width="3"/>'
    )


def text(x, y, words, size=13, anchor="start", weight="normal", halo=False):
    """A line of text; with a white halo under it (drawn first) where it lies on the map."""
    attributes = (
        f'x="{_n(x)}" y="{_n(y)}" font-size="{size}" font-family="{FONT}" '
        f'text-anchor="{anchor}" font-weight="{weight}"'
    )
    words = escape(words)
    under = (
        f'<text {attributes} fill="#ffffff" stroke="#ffffff" stroke-width="3.5" '
        f'stroke-linejoin="round">{words}</text>'
        if halo
        else ""
    )
    return f'{under}<text {attributes} fill="#111111">{words}</text>'


def centroid(ring):
    """The area centroid of a ring of projected points (its mean for a degenerate one)."""
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x1 * y2 - x2 * y1
        area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if abs(area) < 1e-9:
        return sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring)
    return cx / (3 * area), cy / (3 * area)


def map_svg(shapes, pins, period):
    """The SVG: outlines named, one numbered marker per pin, the legend with the period."""
    points = [(pin.longitude, pin.latitude) for pin in pins]
    for shape in shapes:
        for polygon in polygons(shape.geometry):
            for ring in polygon:
                points.extend((p[0], p[1]) for p in ring)
    project = Projection(points)
    title = _("Project map") + " · " + period.as_of_label
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="print-map" viewBox="0 0 {WIDTH} '
        f'{HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" aria-labelledby="map-title">',
        f'<title id="map-title">{escape(title)}</title>',
        f'<rect x="{MAP[0]}" y="{MAP[1]}" width="{MAP[2]}" height="{MAP[3]}" fill="#ffffff" '
        'stroke="#888888" stroke-width="1"/>',
    ]
    labels = []
    for shape in shapes:
        zone = shape.kind == "zone"
        style = (
            'fill="none" stroke="#555555" stroke-width="1.4" stroke-dasharray="7 4"'
            if zone
            else 'fill="#f4f2ec" stroke="#222222" stroke-width="2.2"'
        )
        biggest, biggest_area = None, -1.0
        for polygon in polygons(shape.geometry):
            rings = [[project(p[0], p[1]) for p in ring] for ring in polygon if ring]
            if not rings:
                continue
            d = " ".join(
                "M" + " L".join(f"{_n(x)} {_n(y)}" for x, y in ring) + " Z" for ring in rings
            )
            out.append(
                f'<path class="outline outline-{shape.kind}" d="{d}" fill-rule="evenodd" {style}/>'
            )
            xs, ys = [p[0] for p in rings[0]], [p[1] for p in rings[0]]
            area = (max(xs) - min(xs)) * (max(ys) - min(ys))
            if area > biggest_area:
                biggest, biggest_area = rings[0], area
        if biggest:
            if zone:  # a zone's name along its top edge, clear of the pins inside it
                xs, ys = [p[0] for p in biggest], [p[1] for p in biggest]
                x, y = (min(xs) + max(xs)) / 2, min(ys) + 17
            else:
                x, y = centroid(biggest[:-1] if biggest[0] == biggest[-1] else biggest)
            labels.append(
                text(
                    x,
                    y,
                    shape.name,
                    size=13 if zone else 17,
                    anchor="middle",
                    weight="normal" if zone else "bold",
                    halo=True,
                )
            )
    # The names of the outlines go under the markers, so that no pin is hidden by a name.
    out.extend(labels)
    for pin in pins:
        x, y = project(pin.longitude, pin.latitude)
        out.append(
            f'<g class="pin pin-{pin.light.value}" data-code="{escape(pin.code)}">'
            f"<title>{escape(pin.code)} {escape(pin.name)} · {escape(str(pin.light.label))}"
            f"</title>{marker(pin.light, x, y)}"
            f"{text(x + MARKER + 2, y + 4.5, str(pin.number), size=12, halo=True)}</g>"
        )
    out.append(legend(pins, shapes, period))
    out.append("</svg>")
    return "".join(out)


def legend(pins, shapes, period):
    """The legend: the period, each light's symbol, its word and count, and the lines."""
    x, y = LEGEND_X, 30
    out = [
        '<g class="legend">',
        text(x, y, _("Project map"), size=18, weight="bold"),
        text(x, y + 24, _("Progress as of %(as_of)s") % {"as_of": period.as_of_label}, size=13),
        text(x, y + 64, _("Legend"), size=15, weight="bold"),
    ]
    y += 96
    for light in (Light.GREEN, Light.YELLOW, Light.RED, Light.NONE):
        count = sum(1 for pin in pins if pin.light == light)
        out.append(f'<g class="legend-{light.value}">{marker(light, x + 10, y - 5)}')
        out.append(text(x + 28, y, f"{light.label}（{count}）", size=14))
        out.append("</g>")
        y += 30
    kinds = {shape.kind for shape in shapes}
    if "region" in kinds:
        out.append(
            f'<rect x="{x}" y="{y - 14}" width="20" height="14" fill="#f4f2ec" '
            'stroke="#222222" stroke-width="2.2"/>'
        )
        out.append(text(x + 28, y, _("region boundary"), size=14))
        y += 30
    if "zone" in kinds:
        out.append(
            f'<rect x="{x}" y="{y - 14}" width="20" height="14" fill="none" '
            'stroke="#555555" stroke-width="1.4" stroke-dasharray="7 4"/>'
        )
        out.append(text(x + 28, y, _("zone boundary"), size=14))
        y += 30
    out.append(text(x, y + 10, _("The numbered projects are listed after the map."), size=12))
    out.append("</g>")
    return "".join(out)
