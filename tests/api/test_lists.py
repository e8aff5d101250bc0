"""The lists page with a cursor (no COUNT over the table), cap their page size, and read
the same number of queries however many projects there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import Meeting, Problem, Project, ReportPhoto
from tests.api.conftest import JIEFANG, bearer, token_of
from tests.conftest import make_projects

pytestmark = pytest.mark.django_db

PERIOD = {"year": 2013, "month": 5}
LISTS = [
    "api:project_list",
    "api:progress_list",
    "api:problem_list",
    "api:meeting_list",
    "api:region_list",
]


def add_projects(zone, unit, count, prefix):
    """`count` projects, each with a problem raised at the month's meeting and a photo."""
    projects = make_projects(zone, count, unit=unit, prefix=prefix)
    meeting = Meeting.objects.filter(year=2013, month=5).first() or Meeting.objects.create(
        number=5, date="2013-05-28", year=2013, month=5
    )
    for project in projects:
        Problem.objects.create(
            project=project,
            meeting=meeting,
            description=f"问题{project.code}",
            responsible_unit=unit,
            deadline="2013-06-30",
        )
        ReportPhoto.objects.create(
            report=project.reports.get(year=2013, month=5),
            image=f"photos/{project.code}.jpg",
            thumbnail=f"photos/{project.code}-t.jpg",
            width=1,
            height=1,
        )
    return projects


@pytest.fixture
def key(zone, unit):
    return token_of(JIEFANG)


def queries(client, key, name, **params):
    client.get(reverse(name), {**PERIOD, **params}, **bearer(key))  # builds the month once
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(name), {**PERIOD, **params}, **bearer(key))
    assert response.status_code == 200, response.content
    return captured


@pytest.mark.parametrize("name", LISTS)
def test_the_query_count_does_not_grow_with_the_projects(client, key, zone, unit, name):
    add_projects(zone, unit, 2, "A")
    few = len(queries(client, key, name))
    add_projects(zone, unit, 12, "B")
    assert len(queries(client, key, name)) == few


def test_a_projects_detail_reads_its_milestones_in_one_query(client, key, zone, unit):
    add_projects(zone, unit, 2, "A")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("api:project_detail", args=["A-0000"]), **bearer(key))
    assert len(response.json()["milestones"]) == 2
    assert len(captured) <= 8


@pytest.mark.parametrize("name", LISTS[:4])
def test_pages_follow_a_cursor_with_no_count(client, key, zone, unit, name):
    add_projects(zone, unit, 7, "A")
    # The progress table's month is built (and added up) by the first read, once.
    client.get(reverse(name), PERIOD, **bearer(key))
    seen, url, query = [], reverse(name), {**PERIOD, "page_size": 3}
    while url:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, query, **bearer(key))
        assert not any("COUNT(" in q["sql"].upper() for q in captured), name
        page = response.json()
        assert set(page) == {"next", "previous", "results"} and len(page["results"]) <= 3
        seen += page["results"]
        url, query = page["next"], None
    expected = Meeting.objects.count() if name == "api:meeting_list" else 7
    assert len(seen) == expected
    assert len({str(row) for row in seen}) == expected


def test_the_page_size_is_capped(client, key, zone, unit, settings):
    settings.JIEFANG_API_MAX_PAGE_SIZE = 4
    add_projects(zone, unit, 6, "A")
    response = client.get(reverse("api:project_list"), {"page_size": 1000}, **bearer(key))
    assert len(response.json()["results"]) == 4 and response.json()["next"]


def test_the_month_photos_are_listed_as_api_urls(client, key, zone, unit):
    add_projects(zone, unit, 1, "A")
    row = client.get(reverse("api:progress_list"), PERIOD, **bearer(key)).json()["results"][0]
    photo = ReportPhoto.objects.get(report__project__code="A-0000")
    assert row["photos"] == [f"http://testserver/api/v1/photos/{photo.pk}/"]
    assert row["problems_open"] == Problem.objects.filter(project__code="A-0000").count()


def test_filters_narrow_the_register(client, key, zone, unit):
    projects = add_projects(zone, unit, 3, "A")
    Project.objects.filter(pk=projects[0].pk).update(
        national_code="2013-410802-70-01-000123", levels="district,city"
    )

    def codes(**params):
        response = client.get(reverse("api:project_list"), params, **bearer(key))
        return [row["code"] for row in response.json()["results"]]

    assert codes(national_code="2013-410802-70-01-000123") == ["A-0000"]
    assert codes(code="A-0002") == ["A-0002"]
    assert codes(level="city") == ["A-0000"]
    assert codes(zone=zone.name) == ["A-0000", "A-0001", "A-0002"]
    assert codes(zone="没有的功能区") == []
    assert codes(region=JIEFANG) == ["A-0000", "A-0001", "A-0002"]
