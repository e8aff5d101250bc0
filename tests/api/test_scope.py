"""Two sibling districts under their city (setup_demo --city): a district's token reads
nothing of its sibling on any endpoint, a direct URL to a sibling's project answers 404,
and the city's token reads both."""

from decimal import Decimal

import pytest
from django.urls import reverse

from projects.models import Meeting, Problem, Project, Region
from tests.api.conftest import CITY, JIEFANG, SHANYANG, bearer

pytestmark = pytest.mark.django_db

PERIOD = {"year": 2013, "month": 5}
LISTS = ["api:project_list", "api:progress_list", "api:problem_list", "api:meeting_list"]


def every_row(client, key, name, **params):
    """Every row of a list, following its `next` links."""
    rows, url, query = [], reverse(name), {**PERIOD, "page_size": 3, **params}
    while url:
        response = client.get(url, query, **bearer(key))
        assert response.status_code == 200, response.content
        rows += response.json()["results"]
        url, query = response.json()["next"], None
    return rows


def regions_of(rows, name):
    """The regions the rows belong to (a problem through its project)."""
    if name == "api:problem_list":
        return set(
            Project.objects.filter(code__in=[row["project"] for row in rows]).values_list(
                "region__code", flat=True
            )
        )
    return {row["region"]["code"] for row in rows}


@pytest.mark.parametrize("name", LISTS)
def test_a_district_reads_nothing_of_its_sibling(client, tokens, name):
    for own, sibling in [(JIEFANG, SHANYANG), (SHANYANG, JIEFANG)]:
        rows = every_row(client, tokens[own], name)
        assert rows and regions_of(rows, name) == {own}
        sibling_names = set(
            Project.objects.filter(region__code=sibling).values_list("name", flat=True)
        )
        text = str(rows)
        assert not any(project in text for project in sibling_names)


@pytest.mark.parametrize("name", LISTS)
def test_the_city_reads_both_districts(client, tokens, name):
    rows = every_row(client, tokens[CITY], name)
    # The city's own meeting (of its 市重点) is the city's; the rest are its districts'.
    own = {CITY} if name == "api:meeting_list" else set()
    assert regions_of(rows, name) == {JIEFANG, SHANYANG} | own
    model = {
        "api:project_list": Project.objects.all(),
        "api:progress_list": Project.objects.all(),
        "api:problem_list": Problem.objects.all(),
        "api:meeting_list": Meeting.objects.all(),
    }[name]
    assert len(rows) == model.count()


def test_a_direct_url_to_a_siblings_project_answers_404(client, tokens):
    sibling = Project.objects.filter(region__code=SHANYANG).first()
    own = Project.objects.filter(region__code=JIEFANG).first()
    url = reverse("api:project_detail", args=[sibling.code])
    response = client.get(url, **bearer(tokens[JIEFANG]))
    assert response.status_code == 404 and response.json()["detail"]
    assert sibling.name not in response.content.decode()
    assert client.get(url, **bearer(tokens[CITY])).status_code == 200
    assert client.get(url, **bearer(tokens[SHANYANG])).status_code == 200
    own_url = reverse("api:project_detail", args=[own.code])
    assert client.get(own_url, **bearer(tokens[SHANYANG])).status_code == 404


def test_the_region_tree_is_the_tokens_own_and_beneath(client, tokens):
    def codes(key):
        response = client.get(reverse("api:region_list"), PERIOD, **bearer(key))
        return [row["code"] for row in response.json()["results"]]

    assert codes(tokens[JIEFANG]) == [JIEFANG]
    assert codes(tokens[SHANYANG]) == [SHANYANG]
    assert codes(tokens[CITY]) == [CITY, JIEFANG, SHANYANG]


def test_a_district_cannot_filter_by_its_siblings_region(client, tokens):
    """The sibling's code is answered as an unknown region: its existence is not told."""
    for name in LISTS:
        response = client.get(
            reverse(name), {**PERIOD, "region": SHANYANG}, **bearer(tokens[JIEFANG])
        )
        assert response.status_code == 400
        assert response.json()["detail"] == f"参数 region：没有代码为 {SHANYANG} 的行政区划。"


def test_the_city_filters_one_district_by_its_code(client, tokens):
    for name in LISTS:
        rows = every_row(client, tokens[CITY], name, region=SHANYANG)
        assert rows and regions_of(rows, name) == {SHANYANG}
    rows = every_row(client, tokens[CITY], "api:project_list", region=CITY)
    assert regions_of(rows, "api:project_list") == {JIEFANG, SHANYANG}


def test_the_city_totals_add_up_its_districts(client, tokens):
    response = client.get(reverse("api:region_list"), PERIOD, **bearer(tokens[CITY]))
    rows = {row["code"]: row for row in response.json()["results"]}
    for figure in ("total_investment", "annual_plan", "ytd", "cumulative", "month_amount"):
        assert Decimal(rows[CITY][figure]) == Decimal(rows[JIEFANG][figure]) + Decimal(
            rows[SHANYANG][figure]
        )
    assert rows[CITY]["projects"] == Project.objects.count()
    assert rows[JIEFANG]["projects"] == Project.objects.filter(region__code=JIEFANG).count()
    assert rows[JIEFANG]["parent"] == CITY and rows[CITY]["parent"] is None
    assert Region.objects.get(code=CITY).kind == rows[CITY]["kind"]
    # A district's totals are those its dashboard and workbook show (the engine's summary).
    from projects.progress.period import Period

    district = Region.objects.get(code=JIEFANG)
    _rows, total = Project.objects.in_region(district).summary(Period(2013, 5))
    for figure in ("ytd", "annual_plan", "completion_rate", "time_schedule", "gap"):
        assert Decimal(rows[JIEFANG][figure]) == total[figure], figure
    assert rows[JIEFANG]["lights"]["red"] == total["red"]


def test_a_siblings_photo_answers_404(client, tokens, tmp_path, settings):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from projects.models import ReportPhoto

    report = Project.objects.filter(region__code=SHANYANG).first().reports.first()
    name = default_storage.save("photos/site.jpg", ContentFile(b"\xff\xd8\xff\xd9"))
    photo = ReportPhoto.objects.create(report=report, image=name, thumbnail=name, width=1, height=1)
    url = reverse("api:photo", args=[photo.pk])
    assert client.get(url, **bearer(tokens[JIEFANG])).status_code == 404
    response = client.get(url, **bearer(tokens[SHANYANG]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == b"\xff\xd8\xff\xd9"
    assert client.get(url, **bearer(tokens[CITY])).status_code == 200
