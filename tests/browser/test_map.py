"""挂图作战 in Chromium: the map draws every demo project and the outlines from this server
alone (the Watched page fails on any request to another host, any CSP violation or script
error), a pin opens its popup with the light in words, the phone's map fills the screen with
pins big enough to tap, the office places a project by clicking its page's map, and draws a zone's outline on the
admin's map; the city's map clusters its districts. Screenshots: docs/screenshots/map.png,
map-city-clusters.png, phone-map.png, admin-outline-draw.png."""

import json

from axe_playwright_python.sync_playwright import Axe

from projects.models import Project
from tests.conftest import setup_demo

from .conftest import overflow, wait_until

PINS = "document.querySelectorAll('.leaflet-marker-icon.pin').length"


WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def violations(page, preload=True):
    """axe-core's WCAG 2.1 A and AA findings, of any impact. Without preload on the admin's
    pages: axe would inline the stylesheet the admin's forms.css @imports, as a <style> the
    Content-Security-Policy rightly refuses (the page itself applies no inline style)."""
    options = WCAG if preload else {**WCAG, "preload": False}
    return [
        (violation["id"], [node["target"] for node in violation["nodes"]][:3])
        for violation in Axe().run(page, options=options).response["violations"]
    ]


def test_the_map_draws_every_project_from_this_server(site):
    site.login("office")
    site.goto("/map/?year=2013&month=5")
    wait_until(site.page, f"{PINS} === 10")
    assert site.page.locator(".outline-label").count() == 5  # 解放区 and its four zones
    assert site.page.locator("table.data tbody tr").count() == 10
    site.screenshot("map")
    site.page.locator(".leaflet-marker-icon.pin-red").first.click()
    popup = site.page.locator(".leaflet-popup-content")
    site.page.wait_for_timeout(400)  # the popup fades in
    assert "严重滞后" in popup.inner_text() and "打开项目页面" in popup.inner_text()
    assert violations(site.page) == []


CLUSTERS = "[...document.querySelectorAll('.leaflet-marker-icon.cluster')]"


def test_the_map_draws_clusters_above_the_cap_and_zooms_into_them(site, settings):
    """Above the cap (4 here, 2,000 in use) the map draws numbered clusters that add up to the
    district's projects; clicking one zooms in, down to the pins."""
    settings.JIEFANG_MAP_PINS = 4
    site.login("office")
    site.goto("/map/?year=2013&month=5")
    wait_until(site.page, f"{CLUSTERS}.length > 0")
    counts = site.page.evaluate(f"{CLUSTERS}.map(e => +e.textContent)")
    assert sum(counts) == 10 and site.page.evaluate(PINS) == 0
    title = site.page.locator(".leaflet-marker-icon.cluster").first.get_attribute("title")
    assert "个项目" in title and "点击放大" in title
    site.screenshot("map-clusters")
    for _ in range(8):  # into the biggest cluster until its pins show
        if site.page.evaluate(PINS):
            break
        site.page.evaluate(f"{CLUSTERS}.sort((a, b) => +b.textContent - +a.textContent)[0].click()")
        site.page.wait_for_timeout(700)  # the zoom, then the answer for the new area
    assert 0 < site.page.evaluate(PINS) <= 4


def test_the_citys_map_clusters_its_districts_and_zooms_into_them(site, settings):
    """Above the cap the city's map draws one numbered cluster per district, titled with the
    district's name, adding up to both districts' projects; clicking 解放区's zooms into it,
    down to the pins. Screenshot: docs/screenshots/map-city-clusters.png."""
    setup_demo(year=2013, city=True)
    settings.JIEFANG_MAP_PINS = 4
    site.login("jiaozuo")
    site.goto("/map/?year=2013&month=5")
    wait_until(site.page, f"{CLUSTERS}.length > 0")
    clusters = site.page.evaluate(f"{CLUSTERS}.map(e => [e.title, +e.textContent])")
    assert (
        sum(count for _title, count in clusters) == Project.objects.exclude(latitude=None).count()
    )
    assert sorted(title.split("：")[0] for title, _count in clusters) == ["山阳区", "解放区"]
    site.screenshot("map-city-clusters")
    site.page.locator(".leaflet-marker-icon.cluster[title^='解放区']").click()
    for _ in range(8):  # into the biggest cluster until its pins show
        site.page.wait_for_timeout(700)  # the zoom, then the answer for the new area
        if site.page.evaluate(PINS):
            break
        site.page.evaluate(f"{CLUSTERS}.sort((a, b) => +b.textContent - +a.textContent)[0].click()")
    assert 0 < site.page.evaluate(PINS) <= 4


def test_the_map_fills_a_phone_with_tappable_pins(phone):
    phone.login("observer")
    phone.goto("/map/?year=2013&month=5")
    wait_until(phone.page, f"{PINS} === 10")
    box = phone.page.locator("#map").bounding_box()
    assert box["width"] >= 370 and box["height"] >= 600
    sizes = phone.page.evaluate(
        "[...document.querySelectorAll('.leaflet-marker-icon.pin')]"
        ".map(e => Math.round(Math.min(e.getBoundingClientRect().width, e.getBoundingClientRect().height)))"
    )
    assert min(sizes) >= 44
    assert overflow(phone.page) <= 0
    phone.screenshot("phone-map")
    assert violations(phone.page) == []
    phone.page.locator(".leaflet-marker-icon.pin").first.tap()
    popup = phone.page.locator(".leaflet-popup")
    popup.wait_for()
    assert popup.bounding_box()["width"] <= 390


def test_the_office_places_a_project_by_clicking_its_map(site):
    project = Project.objects.get(code="JF2013-003")
    site.login("office")
    site.goto(f"/projects/{project.pk}/?year=2013&month=5")
    wait_until(site.page, "document.querySelector('#location-map .leaflet-marker-icon') !== null")
    secure = site.page.evaluate("window.isSecureContext")
    assert site.page.locator(".use-position").is_visible() == secure
    assert violations(site.page) == []
    site.page.locator("#location-map").click(position={"x": 60, "y": 60})
    latitude = site.page.locator("#id_latitude").input_value()
    assert latitude and latitude != "35.240500"
    site.page.locator("#location").scroll_into_view_if_needed()
    site.screenshot("project-location")
    site.page.locator(".location-form button[type=submit]").click()
    site.page.wait_for_url("**#location")
    assert "项目位置已保存" in site.page.content()
    project.refresh_from_db()
    assert str(project.latitude) == latitude


def test_the_office_draws_a_zones_outline_in_the_admin(site):
    """On a zone's admin page the office clicks three corners on the small map: the outline
    box holds a closed ring (undo takes a corner back, clear empties it), and saved, the zone
    keeps the triangle drawn."""
    from projects.models import Zone

    zone = Zone.objects.get(name="新型城市社区")
    site.login("office")
    site.goto(f"/admin/projects/zone/{zone.pk}/change/")
    box = site.page.locator("#id_outline-map")
    wait_until(site.page, "document.querySelector('#id_outline-map.leaflet-container') !== null")
    assert violations(site.page, preload=False) == []
    for x, y in ((80, 80), (260, 90), (170, 250), (300, 300)):
        box.click(position={"x": x, "y": y})
    assert "4" in site.page.locator(".outline-draw-status").inner_text()
    site.page.locator(".outline-undo").click()  # the fourth corner was a slip
    drawn = json.loads(site.page.locator("#id_outline").input_value())
    ring = drawn["coordinates"][0]
    assert drawn["type"] == "Polygon" and len(ring) == 4 and ring[0] == ring[-1]
    site.page.locator("#id_outline").scroll_into_view_if_needed()
    site.screenshot("admin-outline-draw")
    site.page.locator("input[name=_continue]").click()
    site.page.wait_for_url(f"**/admin/projects/zone/{zone.pk}/change/")
    zone.refresh_from_db()
    assert zone.outline == drawn
    stored = zone.outline["coordinates"][0]
    assert len(stored) == 4 and stored[0] == stored[-1]
    assert all(113 < lon < 114 and 35 < lat < 36 for lon, lat in stored)  # 焦作
    # Clear empties the outline; saved, the zone has none.
    site.page.locator(".outline-clear").click()
    assert site.page.locator("#id_outline").input_value() == ""
    site.page.locator("input[name=_continue]").click()
    site.page.wait_for_url(f"**/admin/projects/zone/{zone.pk}/change/")
    zone.refresh_from_db()
    assert zone.outline is None


def test_the_map_lays_a_local_pmtiles_base_layer(site, settings, tmp_path):
    """With JIEFANG_MAP_PMTILES set, the vendored pmtiles.js reads the file from this server by
    byte ranges and lays its tiles under the outlines (as blob: images, which the map page's
    policy allows), still asking no other host. Screenshot: docs/screenshots/map-pmtiles.png."""
    from tests.pmtiles_file import write_pmtiles

    settings.JIEFANG_MAP_PMTILES = str(write_pmtiles(tmp_path / "base.pmtiles"))
    settings.JIEFANG_MAP_ATTRIBUTION = "审图号：GS(2024)0000号"
    ranges = []
    site.page.on(
        "request",
        lambda request: (
            request.url.endswith("/map/tiles.pmtiles")
            and ranges.append(request.headers.get("range"))
        ),
    )
    site.login("office")
    site.goto("/map/?year=2013&month=5")
    wait_until(site.page, f"{PINS} === 10")
    tiles = "[...document.querySelectorAll('.leaflet-tile-pane img.leaflet-tile-loaded')]"
    wait_until(site.page, f"{tiles}.length > 0")
    assert site.page.evaluate(f"{tiles}.every(img => img.src.startsWith('blob:'))")
    assert ranges and all(r and r.startswith("bytes=") for r in ranges)
    assert "审图号" in site.page.locator(".leaflet-control-attribution").inner_text()
    site.screenshot("map-pmtiles")
    assert violations(site.page) == []
