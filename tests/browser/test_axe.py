"""axe-core (WCAG 2.1 A and AA) finds nothing on any page of any role, at desktop size and on a
phone (390×844): every page a role reaches by following its links (one of each kind), and the
log-in page. A violation of any impact fails."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import User
from django.test import Client
from django.urls import Resolver404, resolve

from tests.accessibility.crawl import Site

from .conftest import Watched

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROLES = ["office", "observer", "chenlixin", "liaison", "jiaobei"]
SIZES = {"desktop": (1366, 900), "phone": (390, 844)}
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def one_of_each(pages):
    """The pages of a crawl, one per view (more of the same view add nothing for axe)."""
    chosen = {}
    for link in pages:
        try:
            name = resolve(link.partition("?")[0]).view_name
        except Resolver404:
            continue
        chosen.setdefault(name, link)
    return sorted(chosen.values())


def violations(page):
    results = Axe().run(page, options=WCAG)
    return [
        (violation["id"], violation["impact"], [n["target"] for n in violation["nodes"]][:3])
        for violation in results.response["violations"]
    ]


@pytest.mark.slow
def test_axe_finds_nothing_on_any_page_of_any_role_at_desktop_and_phone_size(browser, demo_site):
    found = {}
    for username in [None, *ROLES]:
        client = Client()
        links = ["/accounts/login/"]
        if username:
            client.force_login(User.objects.get(username=username))
            links = one_of_each(Site(client).pages)
        for size, (width, height) in SIZES.items():
            context = browser.new_context(
                viewport={"width": width, "height": height},
                locale="zh-CN",
                is_mobile=size == "phone",
                has_touch=size == "phone",
            )
            if username:
                session = client.cookies["sessionid"].value
                context.add_cookies([{"name": "sessionid", "value": session, "url": demo_site}])
            watched = Watched(context.new_page(), demo_site)
            for link in links:
                watched.page.goto(demo_site + link)
                problems = violations(watched.page)
                if problems:
                    found[(username, size, link)] = problems
            context.close()
            assert watched.problems == [], (username, size)
    assert found == {}
