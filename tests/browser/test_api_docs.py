"""The API's documentation pages in Chromium: Swagger UI and Redoc draw the whole API from this
server alone (the Watched page fails on any request to another host, any CSP violation or
script error), in Chinese, with every endpoint listed. Screenshots: docs/screenshots/api-docs.png
and api-redoc.png."""

from .conftest import wait_until

ENDPOINTS = [
    "/api/v1/projects/",
    "/api/v1/progress/",
    "/api/v1/regions/",
    "/api/v1/problems/",
    "/api/v1/meetings/",
    "/api/v1/meetings/{id}/packet.pdf",
]


def test_swagger_ui_draws_every_endpoint_from_this_server(site):
    site.login("office")
    site.goto("/api/v1/docs/")
    wait_until(site.page, "document.querySelectorAll('.opblock').length >= 10", timeout=20)
    paths = site.page.locator(".opblock-summary-path").all_inner_texts()
    for endpoint in ENDPOINTS:
        assert any(endpoint in path.replace("\u200b", "") for path in paths), endpoint
    assert "各项目当月进度" in site.page.locator("body").inner_text()
    # Opening an operation shows its parameters, described in Chinese.
    site.page.locator(".opblock-summary-path", has_text="/api/v1/progress/").first.click()
    wait_until(site.page, "document.querySelectorAll('.parameters-container').length > 0")
    assert "行政区划代码" in site.page.locator(".opblock.is-open").inner_text()
    site.screenshot("api-docs")


def test_redoc_draws_every_endpoint_from_this_server(site):
    site.login("office")
    site.goto("/api/v1/redoc/")
    wait_until(site.page, "document.querySelectorAll('[data-section-id]').length >= 10", timeout=30)
    text = site.page.locator("body").inner_text()
    assert "各项目当月进度" in text and "地区树及各地区当月合计" in text
    site.screenshot("api-redoc")


def test_the_docs_send_an_anonymous_visitor_to_sign_in(site):
    site.page.goto(site.base + "/api/v1/docs/")
    assert "/accounts/login/" in site.page.url
