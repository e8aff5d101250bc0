"""The Content-Security-Policy (django-csp) and pages that keep to it: no inline script or
style (elements, attributes or event handlers) without the request's nonce, nothing from
another host. The browser tests fail on any violation Chromium reports."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from projects.models import Project
from tests.test_permissions import MATRIX

pytestmark = pytest.mark.django_db


class Inline(HTMLParser):
    def __init__(self, nonce):
        super().__init__()
        self.nonce = nonce
        self.problems = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name == "style" or name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name in ("src", "href", "action") and value and re.match(r"(https?:)?//", value):
                self.problems.append(f"<{tag} {name}={value}> (another host)")
        if tag in ("script", "style") and "src" not in attrs:
            if attrs.get("type") != "application/json" and attrs.get("nonce") != self.nonce:
                self.problems.append(f"inline <{tag}> without the nonce")


def policy(response):
    header = response["Content-Security-Policy"]
    return dict((part.split()[0], part.split()[1:]) for part in header.split(";") if part.strip())


def test_the_policy_allows_this_server_only(client, demo_users):
    client.force_login(User.objects.get(username="office"))
    directives = policy(client.get(reverse("projects:dashboard")))
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"][0] == "'self'" and "'unsafe-inline'" not in str(directives)
    assert directives["object-src"] == ["'none'"] and directives["frame-ancestors"] == ["'none'"]
    assert not any("http" in source for sources in directives.values() for source in sources)


@pytest.mark.slow
def test_no_page_has_inline_script_or_style(client, demo_users):
    client.force_login(User.objects.get(username="office"))
    pages = [
        reverse(name, kwargs=kwargs())
        for name, (kwargs, readers, *_rest) in MATRIX.items()
        if readers is not None
    ]
    project = Project.objects.get(code="JF2013-001")
    pages += [
        reverse("admin:index"),
        reverse("admin:projects_project_changelist"),
        reverse("admin:projects_project_change", args=[project.pk]),
        reverse("admin:projects_project_history", args=[project.pk]),
        reverse("admin:projects_meeting_add"),
    ]
    problems = {}
    for url in pages:
        response = client.get(url, {"year": 2013, "month": 5})
        if not response["Content-Type"].startswith("text/html"):
            continue
        nonce = re.search(r"'nonce-([^']+)'", response.get("Content-Security-Policy", ""))
        checker = Inline(nonce.group(1) if nonce else None)
        checker.feed(response.content.decode())
        if checker.problems:
            problems[url] = checker.problems
    assert problems == {}
