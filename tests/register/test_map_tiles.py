"""The map's optional base layer from a local PMTiles file, served by the app to its signed-in
users by byte ranges (pmtiles.js reads the header, a directory and each tile as a range), and
allowed by the map pages' Content-Security-Policy only when it is set."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from projects.models import Project
from tests.pmtiles_file import write_pmtiles

pytestmark = pytest.mark.django_db

URL = "/map/tiles.pmtiles"


@pytest.fixture
def office(client, demo_users):
    client.force_login(User.objects.get(username="office"))
    return client


@pytest.fixture
def pmtiles(settings, tmp_path):
    path = write_pmtiles(tmp_path / "base.pmtiles")
    settings.JIEFANG_MAP_PMTILES = str(path)
    return path.read_bytes()


def img_src(response):
    policy = response["Content-Security-Policy"]
    return next(part for part in policy.split(";") if part.strip().startswith("img-src"))


def test_without_a_file_there_is_no_base_layer(office):
    assert reverse("projects:map_pmtiles") == URL
    assert office.get(URL).status_code == 404
    page = office.get(reverse("projects:map"), {"year": 2013, "month": 5})
    assert page.context["map_config"]["pmtiles"] == ""
    assert "pmtiles.js" not in page.content.decode() and "blob:" not in img_src(page)


def test_the_file_is_served_whole_and_by_ranges(office, pmtiles):
    whole = office.get(URL)
    assert whole.status_code == 200 and b"".join(whole.streaming_content) == pmtiles
    assert whole["Accept-Ranges"] == "bytes"
    size = len(pmtiles)
    head = office.get(URL, headers={"Range": "bytes=0-16383"})  # pmtiles.js's first read
    assert head.status_code == 206 and head.content == pmtiles
    assert head["Content-Range"] == f"bytes 0-{size - 1}/{size}"
    assert head.content.startswith(b"PMTiles\x03")
    part = office.get(URL, headers={"Range": "bytes=127-130"})
    assert part.status_code == 206 and part.content == pmtiles[127:131]
    assert part["Content-Range"] == f"bytes 127-130/{size}"
    tail = office.get(URL, headers={"Range": "bytes=-10"})
    assert tail.status_code == 206 and tail.content == pmtiles[-10:]
    for bad in (f"bytes={size}-", "bytes=5-2", "bytes=0-1,4-5", "lines=1-2", "bytes=-"):
        refused = office.get(URL, headers={"Range": bad})
        assert refused.status_code == 416, bad
        assert refused["Content-Range"] == f"bytes */{size}"


def test_only_signed_in_readers_get_the_tiles(client, demo_users, pmtiles):
    assert client.get(URL).status_code == 302  # to the log-in page
    User.objects.create_user("nobody", password="pw-for-tests-only")
    client.force_login(User.objects.get(username="nobody"))
    assert client.get(URL).status_code == 403


def test_the_map_pages_read_the_file_and_allow_its_tiles(office, pmtiles, settings):
    settings.JIEFANG_MAP_TILES = "https://tiles.intranet.example/{z}/{x}/{y}.png"
    page = office.get(reverse("projects:map"), {"year": 2013, "month": 5})
    config = page.context["map_config"]
    assert config["pmtiles"] == URL and config["tiles"] == ""  # the local file wins
    html = page.content.decode()
    assert "/static/vendor/pmtiles/pmtiles.js" in html
    assert html.index("leaflet.js") < html.index("pmtiles.js") < html.index("js/map.js")
    src = img_src(page)
    assert "blob:" in src and "tiles.intranet.example" not in src
    project = Project.objects.get(code="JF2013-001")
    detail = office.get(project.get_absolute_url(), {"year": 2013, "month": 5})
    assert detail.context["location_config"]["pmtiles"] == URL
    assert "pmtiles.js" in detail.content.decode() and "blob:" in img_src(detail)
    # Other pages allow no blob: images.
    assert "blob:" not in img_src(office.get(reverse("projects:project_list")))
