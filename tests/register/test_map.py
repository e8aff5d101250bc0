"""挂图作战: the project map, its GeoJSON, the places of projects and the outlines of zones
and regions."""

import io
import json
import re
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from projects.models import Project, Region, Zone
from projects.models.geo import validate_outline
from projects.operations.demo_places import REGIONS, ZONES
from projects.register.geojson import common_path
from tests.conftest import make_projects, setup_demo

pytestmark = pytest.mark.django_db

PERIOD = {"year": 2013, "month": 5}
STATIC = Path(settings.BASE_DIR) / "static"


def pins(client, **query):
    response = client.get(reverse("projects:map_geojson"), {**PERIOD, **query})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    return response.json()


def codes(collection):
    return sorted(feature["properties"]["code"] for feature in collection["features"])


def login(client, username):
    client.force_login(User.objects.get(username=username))


def test_the_pins_carry_the_project_lists_figures(client, demo_users):
    """Every demo project is a pin with the light, rate and gap the project list shows, and a
    link to its page."""
    login(client, "observer")
    collection = pins(client)
    assert collection["type"] == "FeatureCollection"
    listed = client.get(reverse("projects:project_list"), PERIOD).context["table"]
    expected = {
        row.record.code: (
            row.record.light.value,
            None if row.record.completion_rate is None else float(row.record.completion_rate),
            None if row.record.gap is None else float(row.record.gap),
            row.record.get_absolute_url(),
        )
        for row in listed.page.object_list
    }
    assert len(expected) == 10
    got = {}
    for feature in collection["features"]:
        p = feature["properties"]
        got[p["code"]] = (p["light"], p["rate"], p["gap"], p["url"])
        assert feature["geometry"]["type"] == "Point"
        longitude, latitude = feature["geometry"]["coordinates"]
        assert 113 < longitude < 114 and 35 < latitude < 36  # 焦作
    assert got == expected
    assert got["JF2013-002"][0] == "red"


def test_a_district_sees_none_of_its_siblings_pins_or_outlines(client):
    """解放区's office sees only 解放区's pins and outlines, 山阳区's only its own; the city
    sees both districts'."""
    setup_demo(year=2013, city=True)
    jiefang_zones = set(Zone.objects.filter(region__code="410802").values_list("name", flat=True))
    shanyang_zones = set(Zone.objects.filter(region__code="410811").values_list("name", flat=True))
    seen = {}
    for username in ("office", "shanyang", "jiaozuo"):
        login(client, username)
        page = client.get(reverse("projects:map"), PERIOD)
        outlines = {
            f["properties"]["name"] for f in page.context["map_config"]["outlines"]["features"]
        }
        seen[username] = (codes(pins(client)), outlines, page.content.decode())
    own, outlines, html = seen["office"]
    assert own and all(code.startswith("JF") for code in own)
    assert outlines == {"解放区"} | jiefang_zones
    assert not any(name in html for name in shanyang_zones | {"山阳区", "SY2013-"})
    sibling, outlines, html = seen["shanyang"]
    assert sibling and all(code.startswith("SY") for code in sibling)
    assert outlines == {"山阳区"} | shanyang_zones
    assert "JF2013-" not in html and "解放区" not in outlines
    city, outlines, _html = seen["jiaozuo"]
    assert city == sorted(own + sibling)
    assert outlines == {"解放区", "山阳区"} | jiefang_zones | shanyang_zones
    # The city's districts are shaded by their share of red projects, the count in words.
    page = client.get(reverse("projects:map"), PERIOD)
    shares = {
        f["properties"]["name"]: (f["properties"]["red"], f["properties"]["projects"])
        for f in page.context["map_config"]["outlines"]["features"]
        if f["properties"]["kind"] == "region"
    }
    for code, name in (("410802", "解放区"), ("410811", "山阳区")):
        lights = [
            f["properties"]["light"]
            for f in pins(client)["features"]
            if Project.objects.get(code=f["properties"]["code"]).region.code == code
        ]
        assert shares[name] == (lights.count("red"), len(lights))
    assert shares["解放区"][0] > 0
    assert page.context["map_config"]["labels"]["red"] == "%(projects)s 个项目中 %(red)s 个严重滞后"


def test_the_map_filters_as_the_project_list(client, demo_users):
    login(client, "office")
    red = codes(pins(client, light="red"))
    listed = client.get(reverse("projects:project_list"), {**PERIOD, "light": "red"})
    assert red == sorted(row.record.code for row in listed.context["table"].page.object_list)
    assert red and "JF2013-002" in red
    zone = Zone.objects.get(name="解放工业园区")
    assert codes(pins(client, zone=zone.pk)) == sorted(
        Project.objects.filter(zone=zone).values_list("code", flat=True)
    )
    assert codes(pins(client, q="动漫")) == ["JF2013-002"]


def test_the_map_page_lists_the_same_projects_in_its_table(client, demo_users):
    """Below the map, the table (keyboard-reachable) lists the projects the pins show."""
    login(client, "observer")
    response = client.get(reverse("projects:map"), {**PERIOD, "light": "red"})
    rows = sorted(row.record.code for row in response.context["table"].page.object_list)
    assert rows == codes(pins(client, light="red"))
    # The page asks for its pins with its own filters and period.
    assert codes(client.get(response.context["map_config"]["pins"]).json()) == rows
    html = response.content.decode()
    assert '<div class="table-scroll" tabindex="0" role="region"' in html
    for code in rows:
        assert code in html
    # Each light is told by its word and its own symbol in the legend, not by colour alone.
    legend = html[html.index('class="map-legend"') : html.index('id="map"')]
    for word in ("正常", "滞后", "严重滞后", "无计划"):
        assert word in legend
    assert legend.count("<svg") == 4 and "<circle" in legend and "<rect" in legend


def test_the_map_asks_no_other_server(client, demo_users):
    """The page, its script and the vendored Leaflet are served here; no external URL."""
    login(client, "office")
    html = client.get(reverse("projects:map"), PERIOD).content.decode()
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert not re.match(r"(https?:)?//", url), url
    assert "/static/vendor/leaflet/leaflet.js" in html
    assert not re.search(r"https?://", (STATIC / "js" / "map.js").read_text())
    css = (STATIC / "vendor" / "leaflet" / "leaflet.css").read_text()
    assert not re.search(r"url\((['\"]?)(https?:)?//", css)
    assert "BSD 2-Clause" in (STATIC / "vendor" / "leaflet" / "LICENSE").read_text()
    config = json.loads(re.search(r'id="map-config"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert config["tiles"] == "" and config["attribution"] == ""


def test_a_tile_server_is_allowed_only_when_set(client, demo_users, settings):
    login(client, "office")
    response = client.get(reverse("projects:map"), PERIOD)
    assert "tiles.intranet" not in response["Content-Security-Policy"]
    settings.JIEFANG_MAP_TILES = "https://tiles.intranet.local/{z}/{x}/{y}.png"
    settings.JIEFANG_MAP_ATTRIBUTION = "审图号：豫S(2026)001号"
    response = client.get(reverse("projects:map"), PERIOD)
    img = re.search(r"img-src ([^;]+)", response["Content-Security-Policy"]).group(1).split()
    assert "https://tiles.intranet.local" in img
    config = response.context["map_config"]
    assert config["attribution"] == "审图号：豫S(2026)001号"  # shown bottom-left by map.js
    assert config["tiles"] == settings.JIEFANG_MAP_TILES
    assert (
        "tiles.intranet" not in client.get(reverse("projects:dashboard"))["Content-Security-Policy"]
    )


def test_the_geojson_costs_the_same_for_5_and_25_projects(client, office_user, zone):
    counts = []
    client.force_login(office_user)
    for count, prefix in ((5, "A"), (25, "B")):
        Project.objects.all().delete()
        make_projects(zone, count, prefix=prefix)
        Project.objects.update(latitude="35.25", longitude="113.23")
        pins(client)  # the progress table filled for the month
        with CaptureQueriesContext(connection) as queries:
            assert len(pins(client)["features"]) == count
            page = client.get(reverse("projects:map"), PERIOD)
            assert page.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_geojson_costs_the_same_as_clusters_for_5_and_25_projects(
    client, office_user, zone, settings
):
    """Above the cap the answer is clusters, at the same count of queries for 5 and 25."""
    settings.JIEFANG_MAP_PINS = 3
    counts = []
    client.force_login(office_user)
    for count, prefix in ((5, "A"), (25, "B")):
        Project.objects.all().delete()
        make_projects(zone, count, prefix=prefix)
        Project.objects.update(latitude="35.25", longitude="113.23")
        pins(client)
        with CaptureQueriesContext(connection) as queries:
            collection = pins(client, bbox="113.2,35.2,113.3,35.3")
        assert collection["clustered"] and collection["projects"] == count
        counts.append(len(queries))
    assert counts[0] == counts[1]


def in_box(collection, west, south, east, north):
    return all(
        west <= f["geometry"]["coordinates"][0] <= east
        and south <= f["geometry"]["coordinates"][1] <= north
        for f in collection["features"]
    )


def test_the_map_asks_for_its_area_and_gets_clusters_above_the_cap(client, settings):
    """Within a bbox, only the projects inside it; up to the cap as pins, above it as
    numbered clusters (per zone, split by a grid over the area) whose counts add up to the
    projects in the area, each at the mean of its projects' places, never counting a sibling
    district's projects."""
    setup_demo(year=2013, city=True)
    login(client, "office")
    everything = pins(client)
    assert not everything["clustered"] and len(everything["features"]) == 10
    box = (113.22, 35.23, 113.26, 35.26)  # 特色商业区 and around
    bbox = ",".join(map(str, box))
    inside = pins(client, bbox=bbox)
    expected = sorted(
        Project.objects.filter(
            region__code="410802",
            latitude__range=(box[1], box[3]),
            longitude__range=(box[0], box[2]),
        ).values_list("code", flat=True)
    )
    assert 2 < len(expected) < 10 and codes(inside) == expected
    assert not inside["clustered"] and in_box(inside, *box)

    settings.JIEFANG_MAP_PINS = 2
    clusters = pins(client, bbox=bbox)
    assert clusters["clustered"]
    assert all(f["properties"]["cluster"] for f in clusters["features"])
    assert sum(f["properties"]["count"] for f in clusters["features"]) == len(expected)
    assert clusters["projects"] == len(expected) and in_box(clusters, *box)
    red = [f["properties"]["code"] for f in inside["features"] if f["properties"]["light"] == "red"]
    assert sum(f["properties"]["red"] for f in clusters["features"]) == len(red)
    for feature in clusters["features"]:  # the centroid: the mean of its projects' places
        p = feature["properties"]
        west, south, east, north = p["bounds"]
        members = [
            f["geometry"]["coordinates"]
            for f in inside["features"]
            if west <= f["geometry"]["coordinates"][0] <= east
            and south <= f["geometry"]["coordinates"][1] <= north
            and f["properties"]["zone"] == p["zone"]
        ]
        assert len(members) == p["count"]
        mean = [sum(c[i] for c in members) / len(members) for i in (0, 1)]
        assert feature["geometry"]["coordinates"] == pytest.approx(mean, abs=1e-6)
    # The whole scope above the cap: one cluster per zone, 解放区's ten projects only.
    whole = pins(client)
    assert whole["clustered"] and whole["projects"] == 10
    zones = {f["properties"]["zone"] for f in whole["features"]}
    assert zones == set(
        Project.objects.filter(region__code="410802").values_list("zone__name", flat=True)
    )
    assert len(whole["features"]) == len(zones)
    login(client, "jiaozuo")  # the city: both districts' projects
    assert pins(client)["projects"] == Project.objects.filter(latitude__isnull=False).count()
    login(client, "shanyang")
    assert pins(client, bbox=bbox)["projects"] == 0  # 特色商业区 is 解放区's


def members(pins_inside, cluster):
    """The pins (of an answer below the cap) within a cluster's bounds."""
    west, south, east, north = cluster["properties"]["bounds"]
    return [
        f
        for f in pins_inside["features"]
        if west <= f["geometry"]["coordinates"][0] <= east
        and south <= f["geometry"]["coordinates"][1] <= north
    ]


def test_above_the_districts_the_clusters_are_the_regions_beneath(client, settings):
    """The city's map above the cap: one cluster per district (named, its count and its red
    ones its own projects'), and within an area one per cell of the grid, named after the
    district when it holds one district's projects only, else the city; their counts and red
    counts add up to the pins of the same area, each at the mean of its projects' places. A
    district's map is clustered per zone as before, and never counts its sibling's projects;
    the city's map narrowed to one district (the region filter) is that district's."""
    setup_demo(year=2013, city=True)
    login(client, "jiaozuo")
    everything = pins(client)  # below the cap: every pin, to check the clusters against
    region_of = dict(Project.objects.values_list("code", "region__name"))
    by_district = {}
    for f in everything["features"]:
        count, red = by_district.get(region_of[f["properties"]["code"]], (0, 0))
        by_district[region_of[f["properties"]["code"]]] = (
            count + 1,
            red + (f["properties"]["light"] == "red"),
        )
    assert set(by_district) == {"解放区", "山阳区"}

    settings.JIEFANG_MAP_PINS = 2
    whole = pins(client)
    assert whole["clustered"] and whole["projects"] == len(everything["features"])
    got = {
        f["properties"]["region"]: (f["properties"]["count"], f["properties"]["red"])
        for f in whole["features"]
    }
    assert got == by_district and len(whole["features"]) == 2
    assert all(f["properties"]["zone"] is None for f in whole["features"])

    box = (113.17, 35.18, 113.38, 35.32)  # both districts
    bbox = ",".join(map(str, box))
    settings.JIEFANG_MAP_PINS = 2000
    inside = pins(client, bbox=bbox)
    settings.JIEFANG_MAP_PINS = 2
    cells = pins(client, bbox=bbox)
    assert cells["clustered"] and not inside["clustered"]
    assert cells["projects"] == len(inside["features"]) == len(everything["features"])
    assert 2 < len(cells["features"]) <= 64 and in_box(cells, *box)
    names = set()
    for cluster in cells["features"]:
        p = cluster["properties"]
        held = members(inside, cluster)
        assert len(held) == p["count"]
        assert p["red"] == sum(f["properties"]["light"] == "red" for f in held)
        districts = {region_of[f["properties"]["code"]] for f in held}
        assert p["region"] == (districts.pop() if len(districts) == 1 else "焦作市")
        mean = [sum(f["geometry"]["coordinates"][i] for f in held) / len(held) for i in (0, 1)]
        assert cluster["geometry"]["coordinates"] == pytest.approx(mean, abs=1e-6)
        names.add(p["region"])
    assert {"解放区", "山阳区"} <= names

    # The city's map narrowed to 解放区: that district's map, per zone.
    jiefang = Region.objects.get(code="410802")
    narrowed = pins(client, region=jiefang.pk)
    assert {f["properties"]["zone"] for f in narrowed["features"]} == set(
        Zone.objects.filter(region=jiefang, projects__isnull=False).values_list("name", flat=True)
    )
    assert narrowed["projects"] == by_district["解放区"][0]

    # 山阳区's office over the same area: its own zones and projects only, per zone and cell.
    login(client, "shanyang")
    sibling = pins(client, bbox=bbox)
    assert sibling["clustered"] and sibling["projects"] == by_district["山阳区"][0]
    shanyang_zones = set(Zone.objects.filter(region__code="410811").values_list("name", flat=True))
    assert {f["properties"]["zone"] for f in sibling["features"]} <= shanyang_zones
    assert all(f["properties"]["region"] is None for f in sibling["features"])
    assert "解放区" not in json.dumps(pins(client), ensure_ascii=False)


def province_counts(projects, regions, settings):
    """{(office, answer): queries} of the province's and a city's map above the cap, with
    `projects` in `regions` districts (seed_scale), in a savepoint rolled back."""
    point = transaction.savepoint()
    try:
        call_command("seed_scale", projects=projects, regions=regions, stdout=io.StringIO())
        settings.JIEFANG_MAP_PINS = 3
        counts = {}
        province = Region.objects.get(parent__isnull=True)
        city = province.children.order_by("code").first()
        for office in (province, city):
            client = Client()
            client.force_login(User.objects.get(username=f"office{office.code}"))
            for answer, query in (("scope", {}), ("area", {"bbox": "100,30,120,40"})):
                pins(client, year=2013, month=12, **query)  # builds the month
                with CaptureQueriesContext(connection) as queries:
                    collection = pins(client, year=2013, month=12, **query)
                assert collection["clustered"]
                placed = Project.objects.in_region(office).filter(latitude__isnull=False)
                assert collection["projects"] == placed.count()
                counts[office.kind, answer] = len(queries)
        return counts
    finally:
        transaction.savepoint_rollback(point)


def test_the_clusters_above_the_districts_cost_the_same_for_more_projects(settings):
    """The province's and a city's clusters, whole scope and an area: the same number of
    queries for 24 projects in 3 districts as for 120 in 12."""
    settings.ALLOWED_HOSTS = ["testserver"]
    assert province_counts(24, 3, settings) == province_counts(120, 12, settings)


@pytest.mark.parametrize(
    "bbox",
    [
        "113,35,114",  # three numbers
        "113,35,114,36,1",
        "西,35,114,36",
        "114,35,113,36",  # west east of east
        "113,36,114,35",
        "113,35,114,91",  # past the pole
        "nan,35,114,36",
        "-inf,35,114,36",
    ],
)
def test_a_bad_bbox_is_refused_in_chinese(client, demo_users, bbox):
    login(client, "office")
    response = client.get(reverse("projects:map_geojson"), {**PERIOD, "bbox": bbox})
    assert response.status_code == 400
    assert response.json()["error"].startswith("地图范围（bbox）须为")


def test_the_office_places_a_project(client, demo_users):
    login(client, "office")
    project = Project.objects.get(code="JF2013-003")
    url = reverse("projects:project_location", args=[project.pk])
    response = client.post(
        url,
        {
            "latitude": "35.241234",
            "longitude": "113.232345",
            "loaded_version": project.version,
            **PERIOD,
        },
    )
    assert response.status_code == 302
    assert response.url.endswith("?year=2013&month=5#location")
    project.refresh_from_db()
    assert (str(project.latitude), str(project.longitude)) == ("35.241234", "113.232345")
    page = client.get(response.url.split("#")[0]).content.decode()
    assert "纬度 35.241234，经度 113.232345" in page
    # Both empty: off the map.
    client.post(url, {"latitude": "", "longitude": "", "loaded_version": project.version})
    project.refresh_from_db()
    assert project.latitude is None and project.longitude is None
    assert "JF2013-003" not in codes(pins(client))


@pytest.mark.parametrize(
    "data, message",
    [
        ({"latitude": "60", "longitude": "113.2"}, "纬度须在中国境内，北纬 3.8 至 53.6 度之间。"),
        (
            {"latitude": "35.2", "longitude": "13.2"},
            "经度须在中国境内，东经 73.5 至 135.1 度之间。",
        ),
        ({"latitude": "35.2", "longitude": ""}, "请同时填写纬度和经度，或都不填。"),
        ({"latitude": "北纬35", "longitude": "113.2"}, "输入一个数字。"),
    ],
)
def test_a_bad_place_is_refused_in_chinese(client, demo_users, data, message):
    login(client, "office")
    project = Project.objects.get(code="JF2013-003")
    before = (project.latitude, project.longitude, Project.history.count())
    response = client.post(
        reverse("projects:project_location", args=[project.pk]),
        {**data, "loaded_version": project.version},
        follow=True,
    )
    assert message in response.content.decode()
    project.refresh_from_db()
    assert (project.latitude, project.longitude, Project.history.count()) == before


def test_the_admin_refuses_a_half_place(client, demo_users):
    with translation.override("zh-hans"):
        project = Project.objects.get(code="JF2013-003")
        project.longitude = None
        with pytest.raises(ValidationError) as refused:
            project.full_clean()
    assert refused.value.message_dict["longitude"] == ["请同时填写纬度和经度，或都不填。"]


def ring(*points):
    return {"type": "Polygon", "coordinates": [[list(p) for p in points]]}


SQUARE = [[113.2, 35.2], [113.3, 35.2], [113.3, 35.3], [113.2, 35.3], [113.2, 35.2]]


@pytest.mark.parametrize(
    "outline, message",
    [
        ("{not json", "边界不是 GeoJSON：无法按 JSON 读取。"),
        (
            {"type": "Point", "coordinates": [113.2, 35.2]},
            "边界须为 GeoJSON 的 Polygon 或 MultiPolygon。",
        ),
        (ring(*SQUARE[:-1]), "边界的每个环须回到起点闭合。"),
        (ring(*SQUARE[:2]), "边界的每个环至少需要四个点。"),
        (ring((35.2, 113.2), *SQUARE[1:-1], (35.2, 113.2)), "边界上的点 35.2, 113.2 在中国境外"),
        (ring(("113.2", 35.2), *SQUARE[1:]), "边界上的每个点是一对数字：经度、纬度。"),
        (ring(*([[113, 35], [114, 36]] * 5_001 + [[113, 35]])), "边界超过 10000 个点：请先简化。"),
        (ring(*([[113.123456789, 35.123456789]] * 9_000)), "边界超过 200 KB：请先简化。"),
    ],
)
def test_bad_outlines_are_refused_in_chinese(outline, message):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        validate_outline(outline)
    assert message in refused.value.messages[0]


def test_good_outlines_pass():
    for outline in [*REGIONS.values(), *ZONES.values()]:
        validate_outline(outline)
    validate_outline({"type": "Feature", "properties": {}, "geometry": ring(*SQUARE)})
    validate_outline({"type": "MultiPolygon", "coordinates": [[SQUARE], [SQUARE]]})


def test_the_admin_takes_an_outline_pasted_or_uploaded(client, demo_users):
    """A pasted Feature is kept as its geometry; a bad upload is refused in Chinese and
    changes nothing."""
    login(client, "office")
    zone = Zone.objects.get(name="新型城市社区")
    url = reverse("admin:projects_zone_change", args=[zone.pk])
    page = client.get(url).content.decode()
    assert 'enctype="multipart/form-data"' in page and "边界文件" in page
    assert client.get(reverse("admin:projects_zone_changelist")).status_code == 200
    form = {"name": zone.name, "order": zone.order, "region": zone.region_id}
    feature = {"type": "Feature", "properties": {}, "geometry": ring(*SQUARE)}
    response = client.post(url, {**form, "outline": json.dumps(feature)})
    assert response.status_code == 302
    zone.refresh_from_db()
    assert zone.outline == ring(*SQUARE)
    bad = io.BytesIO(json.dumps(ring(*SQUARE[:-1])).encode())
    response = client.post(
        url,
        {
            **form,
            "outline": json.dumps(ring(*SQUARE)),
            "outline_file": SimpleUploadedFile("z.geojson", bad.read()),
        },
    )
    assert response.status_code == 200
    assert "边界的每个环须回到起点闭合。" in response.content.decode()
    response = client.post(url, {**form, "outline": "[1, 2"})
    assert response.status_code == 200
    zone.refresh_from_db()
    assert zone.outline == ring(*SQUARE)
    # Regions are the administrators' (an account above every district).
    User.objects.create_superuser("admin", password="pw-for-tests-only")
    login(client, "admin")
    region = Region.objects.get(code="410802")
    upload = SimpleUploadedFile("r.geojson", json.dumps(REGIONS["410802"]).encode())
    region.outline = None
    region.save()
    response = client.post(
        reverse("admin:projects_region_change", args=[region.pk]),
        {
            "name": region.name,
            "code": region.code,
            "parent": region.parent_id,
            "kind": region.kind,
            "reporting_unit": region.reporting_unit,
            "outline": "",
            "outline_file": upload,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    region.refresh_from_db()
    assert region.outline == REGIONS["410802"]


def test_the_register_workbook_carries_the_place_in_its_last_two_columns(demo_users):
    """Exported: 纬度 and 经度 after every column the offices already fill in; imported back,
    nothing changes; a new place is written, a bad one refused in Chinese against its column."""
    from projects.exchange.template import PROJECT_HEADERS, export_projects
    from projects.exchange.writing import run_import

    office = User.objects.get(username="office")
    book = openpyxl.load_workbook(io.BytesIO(export_projects(office)))
    sheet = book.worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    headers = rows[0]
    assert headers[: len(PROJECT_HEADERS)] == PROJECT_HEADERS
    assert headers[-2:] == ["纬度", "经度"]
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code["JF2013-002"][-2:] == [35.2663, 113.1952]
    data = io.BytesIO()
    book.save(data)
    result = run_import("projects", data.getvalue(), user=office, dry_run=True)
    assert result.ok and not result.update, [str(p) for p in result.errors]

    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "JF2013-002":
            row[-2].value, row[-1].value = "35.250001", 113.2
    data = io.BytesIO()
    book.save(data)
    result = run_import("projects", data.getvalue(), user=office, dry_run=False)
    assert result.written, [str(p) for p in result.errors]
    project = Project.objects.get(code="JF2013-002")
    assert (str(project.latitude), str(project.longitude)) == ("35.250001", "113.200000")

    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "JF2013-002":
            row[-2].value, row[-1].value = 113.2, 35.25  # swapped
    data = io.BytesIO()
    book.save(data)
    with translation.override("zh-hans"):
        result = run_import("projects", data.getvalue(), user=office, dry_run=False)
        errors = [str(problem) for problem in result.errors]
    assert not result.written
    assert any("纬度" in e and "纬度须在中国境内，北纬 3.8 至 53.6 度之间。" in e for e in errors)
    project.refresh_from_db()
    assert str(project.latitude) == "35.250001"


@pytest.mark.parametrize(
    "template, origin",
    [
        ("", None),
        ("/tiles/{z}/{x}/{y}.png", None),  # this server: the policy already allows it
        ("https://{s}.tianditu.intranet/vec_w/{z}/{x}/{y}", "https://*.tianditu.intranet"),
        ("http://10.1.2.3:8080/{z}/{x}/{y}.png", "http://10.1.2.3:8080"),
    ],
)
def test_the_tile_servers_origin_is_what_the_policy_allows(settings, template, origin):
    from projects.register.geojson import tile_origin

    settings.JIEFANG_MAP_TILES = template
    assert tile_origin() == origin


def test_the_admin_offers_a_map_to_draw_an_outline_on(client, demo_users):
    """The zone's page carries the drawing map (a static script, no inline one), its buttons
    in Chinese, and the outlines the office sees to trace by, never a sibling's."""
    login(client, "office")
    zone = Zone.objects.get(name="新型城市社区")
    page = client.get(reverse("admin:projects_zone_change", args=[zone.pk])).content.decode()
    assert 'class="outline-draw" data-for="id_outline"' in page
    assert "/static/js/outline-draw.js" in page and "/static/vendor/leaflet/leaflet.js" in page
    assert "撤销上一个拐点" in page and "清除边界" in page and "已画 %(count)s 个拐点" in page
    context = re.search(
        r'<script id="id_outline-context" type="application/json">(.*?)</script>', page, re.S
    )
    names = {f["properties"]["name"] for f in json.loads(context.group(1))["features"]}
    assert "解放区" in names and "新型城市社区" in names and "山阳区" not in names
    assert not re.search(r"<script(?![^>]*(src=|application/json))[^>]*>", page)


@pytest.mark.parametrize(
    "first, last, common",
    [
        ("410000/410800/410802/", "410000/410800/410802/", "410000/410800/410802/"),
        ("410000/410800/410802/", "410000/410800/410811/", "410000/410800/"),
        ("410000/410100/410102/", "410000/410800/410802/", "410000/"),
        ("410000/410800/", "410000/410800/410811/", "410000/410800/"),  # the city's own
        ("410000/", "420000/", ""),  # two provinces: no region holds both
    ],
)
def test_a_cells_cluster_is_named_after_the_smallest_region_holding_it(first, last, common):
    assert common_path(first, last) == common
