"""What an older official on a phone and a screen-reader user meet, in Chromium: the skip
link, the error summary that takes the focus, chart text readable at 390 px, the menu button
worked by keyboard, 大字, table headers kept at phone width, and axe at 0 violations.
Screenshots at 390×844 go to docs/screenshots/phone-*.png."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from projects.models import Project

from .conftest import Watched, overflow

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def axe_violations(page):
    results = Axe().run(page)
    return [
        (violation["id"], [n["target"] for n in violation["nodes"]][:3])
        for violation in results.response["violations"]
    ]


def focused(page):
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : ''); }"
    )


def test_the_skip_link_is_the_first_tab_stop_and_moves_to_the_content(site):
    site.login("office")
    page = site.page
    site.goto("/?year=2013&month=5")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    assert skip.inner_text() == "跳到主要内容"
    box = skip.bounding_box()
    assert box["y"] >= 0 and box["height"] > 20  # visible while it has the focus
    page.keyboard.press("Enter")
    assert focused(page) == "main#main"
    page.keyboard.press("Tab")  # the next stop is inside the content, not the menu
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")
    assert axe_violations(page) == []


def test_keyboard_only_login_and_a_report_with_an_error(phone):
    """Log in and report with the keyboard alone: a wrong password and a negative amount are
    each announced in a summary that has the focus and leads to the field."""
    page = phone.page
    phone.goto("/accounts/login/")
    expect(page.locator("#id_username")).to_be_focused()  # the form's autofocus
    page.keyboard.type("chenlixin")
    page.keyboard.press("Tab")
    page.keyboard.type("not-the-password")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator("#login-error")).to_be_focused()
    assert page.locator("#login-error").get_attribute("role") == "alert"
    assert page.locator("#id_username").get_attribute("aria-describedby") == "login-error"
    assert page.locator("#id_password").get_attribute("aria-invalid") == "true"
    page.locator("#id_password").focus()
    page.keyboard.type("jiefang-demo-2013")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/my/"))

    project = Project.objects.get(code="JF2013-001")
    phone.goto(f"/projects/{project.pk}/reports/new/?year=2013&month=6")
    page.locator("#id_amount").focus()
    page.keyboard.type("-5")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    assert summary.get_attribute("role") == "alert"
    assert "金额不能为负数。" in summary.inner_text()
    assert page.locator("#id_amount").get_attribute("aria-invalid") == "true"
    assert axe_violations(page) == []
    phone.screenshot("phone-report-error")
    page.keyboard.press("Tab")
    expect(summary.locator("a[href='#id_amount']")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#id_amount")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("1250.50")
    page.locator("#submit-report").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/my/.*"))
    saved = page.locator(".messages [role=status]")
    assert "已保存" in saved.inner_text()


CHART_TEXT = """(selector) => [...document.querySelectorAll(selector)]
  .filter(svg => svg.getBoundingClientRect().width > 0)
  .flatMap(svg => {
    const box = svg.getBoundingClientRect();
    const scale = box.width / svg.viewBox.baseVal.width;
    return [...svg.querySelectorAll('text')].map(text => {
      const r = text.getBoundingClientRect();
      return {text: text.textContent, px: parseFloat(getComputedStyle(text).fontSize) * scale,
              cut: r.left < box.left - 0.5 || r.right > box.right + 0.5
                || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5};
    });
  })"""


def test_chart_text_is_readable_on_a_phone(phone):
    """At 390×844 every chart's text renders at 12 px or more and none is cut off; each
    chart is named by its title alone, with its figures in a table beside it."""
    phone.login("observer")
    page = phone.page
    project = Project.objects.get(code="JF2013-005")
    for path in ["/?year=2013&month=5", f"/projects/{project.pk}/?year=2013&month=5"]:
        phone.goto(path)
        texts = page.evaluate(CHART_TEXT, "figure svg")
        assert len(texts) > 5, path  # the project page's timeline is a list on a phone
        assert [t for t in texts if t["px"] < 12] == [], path
        assert [t for t in texts if t["cut"]] == [], path
        assert overflow(page) <= 0
    phone.goto("/?year=2013&month=5")
    chart = page.get_by_role("img", name="分功能区年度计划与完成投资（万元）")
    expect(chart).to_be_visible()
    assert page.locator("#zone-chart-table tbody th").first.inner_text() == "特色商业区"
    page.locator("#zone-chart").scroll_into_view_if_needed()
    page.locator("#zone-chart").screenshot(path=str(phone_chart_path()))
    phone.goto(f"/projects/{project.pk}/?year=2013&month=5")
    assert page.locator("#plan-chart-table tbody th").all_inner_texts() == [
        "累计计划投资",
        "累计完成投资",
    ]


def phone_chart_path():
    from .conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / "phone-chart.png"


def test_the_dashboard_on_a_phone_names_each_light(phone):
    phone.login("office")
    page = phone.page
    phone.goto("/?year=2013&month=5")
    names = page.locator("#headline .light-counts a").all_inner_texts()
    assert [re.sub(r"[●\s\d]", "", name) for name in names] == ["正常", "滞后", "严重滞后"]
    assert all(re.search(r"\d", name) for name in names)
    assert axe_violations(page) == []
    phone.screenshot("phone-dashboard-lights", full_page=True)


def test_the_menu_button_opens_with_space_and_closes_with_escape(phone):
    phone.login("chenlixin")
    page = phone.page
    toggle = page.locator(".menu-toggle")
    assert toggle.evaluate("e => e.tagName") == "BUTTON"
    assert toggle.get_attribute("aria-controls") == "menu"
    toggle.focus()
    page.keyboard.press("Space")
    expect(page.locator("#menu")).to_be_visible()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.evaluate("window.scrollY") == 0  # Space did not scroll the page
    page.locator("#menu a").first.focus()
    page.keyboard.press("Escape")
    expect(page.locator("#menu")).to_be_hidden()
    expect(toggle).to_be_focused()
    assert toggle.get_attribute("aria-expanded") == "false"


def test_large_text_scales_the_interface_and_is_remembered(phone):
    phone.login("chenlixin")
    page = phone.page
    phone.goto("/my/?year=2013&month=6")
    before = page.locator("h1").bounding_box()["height"]
    page.locator(".text-size").click()
    assert page.locator(".text-size").get_attribute("aria-pressed") == "true"
    phone.goto("/my/?year=2013&month=6")  # remembered across pages
    assert page.evaluate("document.documentElement.classList.contains('large-text')")
    assert page.locator("h1").bounding_box()["height"] >= before * 1.2
    phone.screenshot("phone-large-text")
    page.locator(".text-size").click()
    phone.goto("/my/?year=2013&month=6")
    assert not page.evaluate("document.documentElement.classList.contains('large-text')")


def test_large_text_does_not_scroll_sideways(browser, demo_site):
    """Enlarged at 390, 800 and 1366 px: no page scrolls sideways (windows that are not
    phones, where Chromium does not widen the viewport to fit the page)."""
    project = Project.objects.get(code="JF2013-001")
    paths = [
        "/my/?year=2013&month=6",
        f"/projects/{project.pk}/reports/new/?year=2013&month=6",
        f"/projects/{project.pk}/?year=2013&month=5",
        "/problems/mine/",
        "/help/",
    ]
    for width, height, username in [
        (390, 844, "chenlixin"),
        (800, 768, "office"),  # the office's long menu wraps
        (1366, 768, "chenlixin"),
    ]:
        context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        context.add_cookies([{"name": "jiefang_text", "value": "large", "url": demo_site}])
        site = Watched(context.new_page(), demo_site)
        site.login(username)
        for path in paths if username == "chenlixin" else ["/", "/projects/", "/report-status/"]:
            site.goto(path)
            assert site.page.evaluate("document.documentElement.classList.contains('large-text')")
            assert overflow(site.page) <= 0, (width, path)
        context.close()
        assert site.problems == []


def test_stacked_tables_keep_their_headers_for_screen_readers(phone):
    """At 390 px /my/ shows each row as a card; each cell still carries its column's name in
    the accessibility tree."""
    phone.login("chenlixin")
    page = phone.page
    phone.goto("/my/?year=2013&month=6")
    assert page.locator("#my-projects thead").is_hidden()
    tree = page.locator("#my-projects tbody tr").first.aria_snapshot()
    for header in ["项目编号", "完成率（%）", "进度状态", "本月填报"]:
        assert header in tree, (header, tree)


def test_the_help_page_does_not_scroll_sideways_at_320_px(browser, demo_site):
    """A narrow desktop window, where Chromium does not widen the viewport to fit the page."""
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="zh-CN")
    site = Watched(context.new_page(), demo_site)
    site.login("chenlixin")
    for path in ["/help/", "/my/?year=2013&month=6", "/problems/mine/"]:
        site.goto(path)
        assert overflow(site.page) <= 0, path
    context.close()
    assert site.problems == []
