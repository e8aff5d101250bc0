"""The filters of problems and meetings, and hostile parameters: every endpoint answers 200,
400 or 404 with a Chinese `detail`, never 500."""

import pytest
from django.urls import reverse
from django.utils import timezone

from projects.models import Meeting, Problem
from tests.api.conftest import JIEFANG, bearer, token_of
from tests.conftest import setup_demo

pytestmark = pytest.mark.django_db

LISTS = [
    "api:project_list",
    "api:progress_list",
    "api:region_list",
    "api:problem_list",
    "api:meeting_list",
]
PARAMETERS = [
    "year",
    "month",
    "region",
    "code",
    "national_code",
    "zone",
    "level",
    "light",
    "status",
    "updated_since",
    "page_size",
    "cursor",
]
HOSTILE = ["", "\x00", "'; DROP TABLE x; --", "9" * 40, "-1", "２０１３", "%", "a" * 5000]


@pytest.fixture
def key(db):
    setup_demo(year=2013)
    return token_of(JIEFANG)


def rows(client, key, name, **params):
    response = client.get(reverse(name), params, **bearer(key))
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_problems_filter_by_status_project_and_what_changed(client, key):
    every = rows(client, key, "api:problem_list")
    assert {row["status"] for row in every} == {"open", "closed"}
    assert all(
        row["status"] == "open" for row in rows(client, key, "api:problem_list", status="open")
    )
    assert [row["project"] for row in rows(client, key, "api:problem_list", code="JF2013-002")] == [
        "JF2013-002"
    ]
    since = timezone.now()
    assert rows(client, key, "api:problem_list", updated_since=since.isoformat()) == []
    problem = Problem.objects.filter(status="open").order_by("pk").first()
    problem.status, problem.closing_note = "closed", "已协调解决"
    problem.save()
    changed = rows(client, key, "api:problem_list", updated_since=since.isoformat())
    assert [(row["id"], row["status"]) for row in changed] == [(problem.pk, "closed")]


def test_problems_carry_their_escalation(client, key):
    escalated = {row["id"]: row for row in rows(client, key, "api:problem_list")}
    for problem in Problem.objects.most_overdue(timezone.localdate()):
        assert escalated[problem.pk]["escalation"] == problem.escalation
        assert escalated[problem.pk]["escalation_label"] == "督办"


def test_meetings_filter_by_year(client, key):
    assert (
        len(rows(client, key, "api:meeting_list", year=2013))
        == Meeting.objects.filter(year=2013).count()
    )
    assert rows(client, key, "api:meeting_list", year=2012) == []


@pytest.mark.parametrize("value", HOSTILE)
def test_no_endpoint_answers_500_to_hostile_parameters(client, key, value):
    for name in LISTS:
        for parameter in PARAMETERS:
            response = client.get(reverse(name), {parameter: value}, **bearer(key))
            assert response.status_code in (200, 400, 404), (name, parameter, value)
            if response.status_code != 200:
                detail = response.json()["detail"]
                assert any("\u4e00" <= char <= "\u9fff" for char in detail), detail
