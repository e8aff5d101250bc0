"""挂图作战 on paper: the packet's map page, drawn as SVG on the server: one marker per placed
project of the meeting's region (none of a sibling's), a shape of its own per light, the
legend and the period, A4 landscape in the PDF, and frozen with the meeting's record."""

import datetime
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from projects.meetings import record
from projects.models import Light, Meeting, Project, Region
from projects.progress.period import Period
from projects.register.map_svg import Outline, Pin, map_svg, marker
from tests.conftest import setup_demo

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
POPPLER = pytest.mark.skipif(
    not (shutil.which("pdftoppm") and shutil.which("pdfinfo")),
    reason="pdftoppm and pdfinfo (poppler-utils) are not installed",
)


def login(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def the_svg(html):
    """The map page's drawing, parsed (it must be well-formed XML)."""
    found = re.search(
        r'<svg xmlns="http://www.w3.org/2000/svg" class="print-map".*?</svg>', html, re.S
    )
    assert found, "no map in the packet"
    return ET.fromstring(found.group(0))


def pins(svg):
    """{project code: its light} of the markers on the map."""
    return {
        g.get("data-code"): g.get("class").split("pin-")[1]
        for g in svg.iter(f"{SVG}g")
        if (g.get("class") or "").startswith("pin ")
    }


def district_meeting():
    return Meeting.objects.get(year=2013, number=5, region__code="410802")


def city_meeting():
    city = Region.objects.get(code="410800")
    meeting, _created = Meeting.objects.get_or_create(
        region=city,
        year=2013,
        month=5,
        defaults={"number": 5, "date": datetime.date(2013, 6, 10)},
    )
    return meeting


def test_the_district_packet_maps_each_placed_project_once_and_no_siblings(client):
    setup_demo(year=2013, city=True)
    login(client, "office")
    html = client.get(reverse("projects:meeting_print", args=[district_meeting().pk]))
    html = html.content.decode()
    svg = the_svg(html)
    placed = pins(svg)
    own = Project.objects.filter(region__code="410802", latitude__isnull=False)
    assert sorted(placed) == sorted(own.values_list("code", flat=True))
    assert len(placed) == 10 and not any(code.startswith("SY") for code in placed)
    # Each marker's light is the packet's own (its tables), and the legend counts them.
    rows = dict(
        re.findall(
            r'<tr class="project" data-code="([^"]+)">.*?class="light light-(\w+)', html, re.S
        )
    )
    assert placed == {code: rows[code] for code in placed}
    words = "".join(svg.itertext())
    for light in Light:
        count = list(placed.values()).count(light.value)
        assert f"{light.label}（{count}）" in words
    # The district's outline and its zones', named; not the sibling's.
    assert "解放区" in words and "解放工业园区" in words and "山阳区" not in words
    assert "进展截至 2013年5月底" in words
    assert "未标注位置" not in html


def test_the_city_packet_maps_both_districts_and_counts_the_unplaced(client):
    """The city's meeting hears its 市重点 (one project of each district in the demo): the map
    draws both districts' outlines and pins those projects, and counts the one unplaced."""
    setup_demo(year=2013, city=True)
    meeting = city_meeting()
    login(client, "jiaozuo")
    url = reverse("projects:meeting_print", args=[meeting.pk])
    placed = pins(the_svg(client.get(url).content.decode()))
    assert sorted(placed) == ["JF2013-001", "SY2013-006"]
    Project.objects.filter(code="SY2013-006").update(latitude=None, longitude=None)
    html = client.get(url).content.decode()
    assert list(pins(the_svg(html))) == ["JF2013-001"]
    words = "".join(the_svg(html).itertext())
    assert "解放区" in words and "山阳区" in words
    assert "1 个项目未标注位置" in html
    # The district's packet shows none of the city's other district.
    login(client, "shanyang")
    sibling = Meeting.objects.filter(region__code="410811").first()
    html = client.get(reverse("projects:meeting_print", args=[sibling.pk])).content.decode()
    placed = pins(the_svg(html))
    assert placed and not any(code.startswith("JF") for code in placed)


def test_each_light_has_a_shape_of_its_own():
    """Green circle, yellow triangle, red square with a bar, no plan a hollow ring: told apart
    in black and white."""
    shapes = {light: marker(light, 50, 50) for light in Light}
    assert shapes[Light.GREEN].startswith("<circle") and 'fill="#ffffff"' not in shapes[Light.GREEN]
    assert shapes[Light.YELLOW].startswith("<path") and shapes[Light.YELLOW].count(" L") == 2
    assert shapes[Light.RED].count("<rect") == 2
    assert shapes[Light.NONE].startswith("<circle") and 'fill="#ffffff"' in shapes[Light.NONE]
    drawing = map_svg(
        [
            Outline(
                "甲区",
                "region",
                {
                    "type": "Polygon",
                    "coordinates": [[[113, 35], [113.1, 35], [113.1, 35.1], [113, 35]]],
                },
            )
        ],
        [
            Pin(number, f"P{number}", "项目", 113.05, 35.05, light)
            for number, light in enumerate(Light, 1)
        ],
        Period(2013, 5),
    )
    svg = ET.fromstring(drawing)
    assert pins(svg) == {f"P{n}": light.value for n, light in enumerate(Light, 1)}
    # A name with markup in it is text, not markup.
    drawing = map_svg([], [Pin(1, "P<1>", "<b>&", 113.0, 35.0, Light.RED)], Period(2013, 5))
    assert "<b>" not in drawing and ET.fromstring(drawing) is not None


def test_a_frozen_packet_keeps_its_map(client, demo_users):
    """Moved or re-lit afterwards, the held meeting's map stays as it was frozen."""
    meeting = district_meeting()
    record.freeze(meeting)
    project = Project.objects.get(code="JF2013-001")
    Project.objects.filter(pk=project.pk).update(latitude=None, longitude=None)
    login(client, "office")
    html = client.get(reverse("projects:meeting_print", args=[meeting.pk])).content.decode()
    assert "JF2013-001" in pins(the_svg(html))
    assert "未标注位置" not in html
    # Today's figures (a meeting not frozen) lose the pin.
    later = Meeting.objects.create(
        region=meeting.region, year=2013, month=5, number=6, date=datetime.date(2013, 6, 20)
    )
    html = client.get(reverse("projects:meeting_print", args=[later.pk])).content.decode()
    assert "JF2013-001" not in pins(the_svg(html)) and "1 个项目未标注位置" in html


@POPPLER
def test_the_pdfs_map_page_is_a4_landscape_and_drawn(client, demo_users, tmp_path):
    """The PDF's map page is A4 landscape; rendered (pdftoppm) in colour and in grey, it is
    kept as docs/screenshots/packet-map.png and packet-map-grey.png to look at."""
    login(client, "office")
    response = client.get(reverse("projects:meeting_pdf", args=[district_meeting().pk]))
    assert response.status_code == 200
    path = tmp_path / "packet.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")
    number = next(i for i, page in enumerate(pages, 1) if "挂图作战" in page and "图例" in page)
    info = subprocess.run(
        ["pdfinfo", "-f", str(number), "-l", str(number), str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    width, height = map(
        float, re.search(rf"Page\s+{number} size:\s+([\d.]+) x ([\d.]+)", info).groups()
    )
    assert round(width) == 842 and round(height) == 595  # A4 landscape, in points
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, options in (("packet-map", []), ("packet-map-grey", ["-gray"])):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "80",
                "-singlefile",
                *options,
                "-f",
                str(number),
                "-l",
                str(number),
                str(path),
                str(SCREENSHOTS / name),
            ],
            check=True,
        )
        assert (SCREENSHOTS / f"{name}.png").stat().st_size > 10_000
