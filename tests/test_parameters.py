"""Hostile query parameters on every page: the page with a Chinese message or a 400, never
a 500 (per_page, page, year, month, meeting, sort, filters, export)."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from tests.test_permissions import MATRIX

pytestmark = pytest.mark.django_db

HOSTILE = [
    {"per_page": "-5"},
    {"per_page": "0"},
    {"per_page": "abc"},
    {"per_page": "99999999999999999999"},
    {"page": "-1"},
    {"page": "99999999999999999999"},
    {"year": "99999999999999999999", "month": "5"},
    {"year": "2013", "month": "99999999999999999999"},
    {"year": "²", "month": "5"},
    {"year": "2013", "month": "\x00"},
    # The first and last months there are: the month before and the due date after them.
    {"year": "2000", "month": "1"},
    {"year": "2100", "month": "12"},
    {"escalation": "9", "state": "overdue"},
    {"meeting": "²"},
    {"meeting": "99999999999999999999"},
    {"sort": "no_such_column"},
    {"light": "purple", "zone": "x", "official": "-1"},
    {"zone": "99999999999999999999", "official": "99999999999999999999", "project": "²"},
    {"unit": "亿元"},
    {"kind": "nonsense"},
    {"export": "xlsx", "per_page": "-5"},
    {"token": "../../etc/passwd"},
    {"amount": "1e999999"},
]


@pytest.mark.slow
@pytest.mark.parametrize("params", HOSTILE, ids=lambda p: "&".join(p))
def test_no_page_answers_500_to_hostile_parameters(client, demo_users, params):
    client.force_login(User.objects.get(username="office"))
    failures = []
    for name, (kwargs, readers, *_rest) in MATRIX.items():
        if readers is None:
            continue
        url = reverse(name, kwargs=kwargs())
        response = client.get(url, params)
        if response.status_code >= 500:
            failures.append((name, response.status_code))
    assert failures == []


def test_a_bad_page_size_keeps_the_list_and_says_so(client, demo_users):
    client.force_login(User.objects.get(username="office"))
    response = client.get(reverse("projects:project_list"), {"per_page": "-5"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "每页条数" in html
    assert len(response.context["table"].page.object_list) == 10  # the demo's ten projects
