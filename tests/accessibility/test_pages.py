"""Every page of every demo role, as the test client gets it: no link to a page the role
cannot open (a unit contact's problem register linked each project to a page that refused
them), and none of the markup problems axe cannot see (tests/accessibility/markup.py)."""

import pytest
from django.contrib.auth.models import User

from .crawl import Site
from .markup import problems

pytestmark = pytest.mark.django_db

ROLES = ["office", "observer", "chenlixin", "liaison", "jiaobei"]


@pytest.mark.slow
@pytest.mark.parametrize("username", ROLES)
def test_every_link_opens_and_every_page_reads_well_for_each_role(client, demo_users, username):
    client.force_login(User.objects.get(username=username))
    site = Site(client)
    assert len(site.pages) > 3
    refused = {
        link: (status, site.found_on[link])
        for link, status in site.statuses.items()
        if status >= 400
    }
    assert refused == {}
    found = {link: problems(html) for link, html in site.pages.items()}
    assert {link: issues for link, issues in found.items() if issues} == {}


def test_the_login_page_reads_well(client):
    response = client.get("/accounts/login/")
    assert problems(response.content.decode()) == []
