"""Never a link to a page the viewer cannot open: every link on every page that each demo
role can reach answers below 400 for that role (a unit contact's problem register linked each
project to a project page that refused them)."""

from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django.contrib.auth.models import User
from django.urls import Resolver404, resolve

pytestmark = pytest.mark.django_db

ROLES = ["office", "observer", "chenlixin", "liaison", "jiaobei"]
# Pages of each URL name read for their links (more of the same kind add nothing new); every
# distinct link is still opened.
READ_PER_NAME = 3


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def links_of(url, html):
    parser = Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        target = urlsplit(urljoin(url, href))
        if target.scheme not in ("", "http") or target.netloc not in ("", "testserver"):
            continue
        if href.startswith("#"):
            continue
        found.append(target.path + (f"?{target.query}" if target.query else ""))
    return found


def kind(link):
    """Links to the same view with the same parameter names behave alike (?sort=name and
    ?sort=code): one of them is enough."""
    path, _, query = link.partition("?")
    return path, tuple(sorted({key for key, _value in parse_qsl(query)}))


def url_name(path):
    try:
        return resolve(path).view_name
    except Resolver404:
        return path


def crawl(client, start):
    """Every link reachable from `start`: {link: status}, and where each was found."""
    seen, found_on, statuses = set(), {}, {}
    read = Counter()
    queue = deque([(start, None)])
    while queue:
        link, page = queue.popleft()
        if kind(link) in seen:
            continue
        seen.add(kind(link))
        response = client.get(link)
        statuses[link] = response.status_code
        found_on[link] = page
        path = link.partition("?")[0]
        name = url_name(path)
        if (
            response.status_code != 200
            or "text/html" not in response.get("Content-Type", "")
            or path.startswith("/admin/")
            or read[name] >= READ_PER_NAME
        ):
            continue
        read[name] += 1
        for target in links_of(link, response.content.decode()):
            if kind(target) not in seen:
                queue.append((target, link))
    return statuses, found_on


@pytest.mark.parametrize("username", ROLES)
def test_every_link_opens_for_the_role_that_sees_it(client, demo_users, username):
    client.force_login(User.objects.get(username=username))
    statuses, found_on = crawl(client, "/help/")
    assert len(statuses) > 5
    refused = {
        link: (status, found_on[link]) for link, status in statuses.items() if status >= 400
    }
    assert refused == {}


