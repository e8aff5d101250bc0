"""Places on the map (挂图作战): a project's point and the outlines of zones and regions, in
WGS-84 degrees, kept within China's extent so that a swapped or mistyped coordinate is
refused where it is entered rather than drawn in the sea."""

import json
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# China's extent (with its islands), in degrees.
LATITUDE = (Decimal("3.8"), Decimal("53.6"))
LONGITUDE = (Decimal("73.5"), Decimal("135.1"))
# An outline is a district's or a zone's boundary: enough to draw, small enough to serve.
OUTLINE_MAX_BYTES = 200 * 1024
OUTLINE_MAX_POINTS = 10_000

COORDINATE = {"max_digits": 9, "decimal_places": 6, "null": True, "blank": True}


def validate_latitude(value):
    if value is not None and not LATITUDE[0] <= value <= LATITUDE[1]:
        raise ValidationError(
            _("The latitude must lie within China, between %(low)s and %(high)s degrees north.")
            % {"low": LATITUDE[0], "high": LATITUDE[1]},
            code="latitude",
        )


def validate_longitude(value):
    if value is not None and not LONGITUDE[0] <= value <= LONGITUDE[1]:
        raise ValidationError(
            _("The longitude must lie within China, between %(low)s and %(high)s degrees east.")
            % {"low": LONGITUDE[0], "high": LONGITUDE[1]},
            code="longitude",
        )


def check_point(latitude, longitude):
    """Both or neither: a point with one coordinate cannot be placed."""
    if (latitude is None) != (longitude is None):
        missing = "longitude" if longitude is None else "latitude"
        raise ValidationError(
            {missing: _("Give both the latitude and the longitude, or neither.")},
            code="half_point",
        )


def _bad(message):
    return ValidationError(message, code="outline")


def _ring(ring, counted):
    if not isinstance(ring, list) or len(ring) < 4:
        raise _bad(_("Each ring of the outline needs at least four points."))
    for point in ring:
        if (
            not isinstance(point, list)
            or len(point) < 2
            or not all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in point[:2])
        ):
            raise _bad(_("Each point of the outline is a pair of numbers: longitude, latitude."))
        longitude, latitude = point[0], point[1]
        if not (
            LONGITUDE[0] <= Decimal(str(longitude)) <= LONGITUDE[1]
            and LATITUDE[0] <= Decimal(str(latitude)) <= LATITUDE[1]
        ):
            raise _bad(
                _(
                    "The point %(lon)s, %(lat)s of the outline lies outside China "
                    "(give longitude first, then latitude, in degrees)."
                )
                % {"lon": longitude, "lat": latitude}
            )
    if ring[0][:2] != ring[-1][:2]:
        raise _bad(_("Each ring of the outline must end at the point it starts from."))
    counted[0] += len(ring)
    if counted[0] > OUTLINE_MAX_POINTS:
        raise _bad(
            _("The outline has more than %(count)s points: simplify it first.")
            % {"count": OUTLINE_MAX_POINTS}
        )


def validate_outline(value):
    """A GeoJSON Polygon or MultiPolygon (a bare geometry, or a Feature or a one-feature
    FeatureCollection holding one), closed rings of numbers within China, within the caps."""
    if value in (None, ""):
        return
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise _bad(_("The outline is not GeoJSON: it cannot be read as JSON.")) from None
    if len(json.dumps(value)) > OUTLINE_MAX_BYTES:
        raise _bad(
            _("The outline is larger than %(size)s KB: simplify it first.")
            % {"size": OUTLINE_MAX_BYTES // 1024}
        )
    geometry = outline_geometry(value)
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise _bad(_("The outline must be a GeoJSON Polygon or MultiPolygon."))
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if geometry["type"] == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        raise _bad(_("The outline has no coordinates."))
    counted = [0]
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise _bad(_("The outline has no coordinates."))
        for ring in polygon:
            _ring(ring, counted)


def outline_geometry(value):
    """The geometry of a stored outline: a Feature's or a one-feature collection's, or the
    value itself."""
    if isinstance(value, dict) and value.get("type") == "FeatureCollection":
        features = value.get("features")
        if not isinstance(features, list) or len(features) != 1:
            raise _bad(_("Paste one outline: a collection must hold exactly one feature."))
        value = features[0]
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    return value
