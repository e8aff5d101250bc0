"""Every page a demo role can reach, by following its links from the user guide with the test
client: what the link check, the markup checks and the HTML checker read."""

from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

from django.urls import Resolver404, resolve

# Pages of one URL name read for their links (more of the same kind add nothing new); every
# distinct link is still opened.
READ_PER_NAME = 3


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href and not href.startswith("#"):
            self.hrefs.append(href)


def links_of(url, html):
    parser = Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        target = urlsplit(urljoin(url, href))
        if target.scheme not in ("", "http") or target.netloc not in ("", "testserver"):
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


class Site:
    """The crawl of one logged-in client: `statuses` {link: status}, `found_on` {link: the page
    that links to it} and `pages` {link: HTML} of the pages read (the admin's are not)."""

    def __init__(self, client, start="/help/"):
        self.statuses, self.found_on, self.pages = {}, {}, {}
        seen, read = set(), Counter()
        queue = deque([(start, None)])
        while queue:
            link, page = queue.popleft()
            if kind(link) in seen:
                continue
            seen.add(kind(link))
            response = client.get(link)
            self.statuses[link] = response.status_code
            self.found_on[link] = page
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
            html = response.content.decode()
            self.pages[link] = html
            for target in links_of(link, html):
                if kind(target) not in seen:
                    queue.append((target, link))
