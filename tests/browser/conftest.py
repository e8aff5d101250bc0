"""Playwright driving Debian's Chromium against the live test server.

Every page is checked for requests to any other host and for JavaScript errors.
Without Chromium the tests are skipped with a clear reason, unless
JIEFANG_REQUIRE_BROWSER is set (as in CI), which turns the skip into a failure.
"""

import os
import shutil
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.conftest import setup_demo

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PASSWORD = "jiefang-demo-2013"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-features=Translate,MediaRouter,OptimizationHints",
]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = "Chromium is not installed (apt-get install chromium fonts-noto-cjk): browser tests skipped"
        if os.environ.get("JIEFANG_REQUIRE_BROWSER"):
            pytest.fail(message.replace("skipped", "required here"))
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


@pytest.fixture
def demo_site(live_server):
    setup_demo(year=2013)
    return live_server.url


class Watched:
    """A page whose foreign requests and script errors are collected."""

    def __init__(self, page, base):
        self.page = page
        self.base = base
        self.problems = []
        host = urlparse(base).netloc
        page.on(
            "request",
            lambda request: (
                urlparse(request.url).scheme in ("http", "https")
                and urlparse(request.url).netloc != host
                and self.problems.append(f"request to another host: {request.url}")
            ),
        )
        page.on(
            "console",
            lambda message: (
                message.type == "error" and self.problems.append(f"console error: {message.text}")
            ),
        )
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on(
            "response",
            lambda response: (
                response.status >= 400
                and self.problems.append(f"{response.status}: {response.url}")
            ),
        )

    def goto(self, path):
        response = self.page.goto(self.base + path)
        assert response.status < 400, (path, response.status)
        return response

    def login(self, username):
        self.goto("/accounts/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        self.page.click("button[type=submit]")
        self.page.wait_for_url(lambda url: "/accounts/login/" not in url)

    def screenshot(self, name, **options):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), **options)


@pytest.fixture
def site(browser, demo_site):
    context = browser.new_context(
        viewport={"width": 1366, "height": 768}, locale="zh-CN", accept_downloads=True
    )
    page = context.new_page()
    watched = Watched(page, demo_site)
    yield watched
    context.close()
    assert watched.problems == []


def wait_until(page, expression, timeout=10.0):
    """Poll a JavaScript expression until it is true. Playwright's wait_for_function evaluates
    its predicate with eval, which the Content-Security-Policy rightly refuses; evaluate() runs
    through the DevTools protocol, outside the page's policy."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"not true after {timeout} s: {expression}")
        page.wait_for_timeout(100)


# Phones: the size every phone screenshot is taken at, and one smaller.
PHONES = {"390x844": (390, 844), "360x640": (360, 640)}


def phone_site(browser, demo_site, size):
    width, height = size
    context = browser.new_context(
        viewport={"width": width, "height": height},
        locale="zh-CN",
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    return context, Watched(context.new_page(), demo_site)


@pytest.fixture
def phone(browser, demo_site):
    context, watched = phone_site(browser, demo_site, PHONES["390x844"])
    yield watched
    context.close()
    assert watched.problems == []


def overflow(page):
    """How far the page is wider than the screen (0 when nothing scrolls sideways)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
