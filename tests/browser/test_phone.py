"""Lead officials on their phones, in Chromium at 390×844 and 360×640: no page scrolls
sideways, the header folds into a menu, tables become cards, controls are big enough to tap,
inputs do not make iOS zoom, axe finds nothing serious, and the whole report flow works,
photos included. Screenshots at phone size go to docs/screenshots/phone-*.png."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from projects.models import MonthlyReport, Problem, Project, ReportPhoto
from tests.reporting.images import jpeg

from .conftest import PHONES, overflow, phone_site, wait_until


@pytest.fixture(params=sorted(PHONES))
def phone_size(request):
    return PHONES[request.param]


def small_controls(page):
    """Visible controls of the page's body that are under 44 px tall (a radio button's label is
    what a finger taps, so the label is measured)."""
    return page.evaluate(
        """() => [...document.querySelectorAll(
            'main button, main a.button, .chooser a, .chooser span, label.pick, .menu-toggle,'
            + ' main input:not([type=hidden]):not([type=file]):not([type=checkbox]):not([type=radio]),'
            + ' main select, main label:has(> input[type=radio]),'
            + ' main textarea')]
          .filter(e => e.offsetParent !== null)
          .filter(e => e.getBoundingClientRect().height < 44)
          .map(e => e.outerHTML.slice(0, 80))"""
    )


def small_text_inputs(page):
    """Inputs whose text is under 16 px (iOS zooms into those)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('input, select, textarea')]
          .filter(e => e.type !== 'hidden' && e.offsetParent !== null)
          .filter(e => parseFloat(getComputedStyle(e).fontSize) < 16)
          .map(e => e.outerHTML.slice(0, 80))"""
    )


def serious_axe_violations(page):
    results = Axe().run(page)
    return [
        (violation["id"], violation["impact"], [n["target"] for n in violation["nodes"]][:3])
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def reporter_pages():
    project = Project.objects.get(code="JF2013-001")
    report = MonthlyReport.objects.get(project=project, year=2013, month=5)
    problem = Problem.objects.filter(project__lead_official__name="陈立新").first()
    return {
        "my-projects": "/my/?year=2013&month=6",
        "report-create": f"/projects/{project.pk}/reports/new/?year=2013&month=6",
        "report-edit": f"/reports/{report.pk}/edit/",
        "project": f"/projects/{project.pk}/?year=2013&month=5",
        "problem": f"/problems/{problem.pk}/",
        "my-problems": "/problems/mine/",
        "notifications": "/notifications/",
    }


def test_reporter_pages_fit_the_phone(browser, demo_site, phone_size):
    """At 390×844 and 360×640: no sideways scrolling, 44 px controls, 16 px inputs, cards."""
    context, site = phone_site(browser, demo_site, phone_size)
    page = site.page
    site.goto("/accounts/login/")
    assert overflow(page) <= 0
    assert small_controls(page) == [] and small_text_inputs(page) == []
    site.login("chenlixin")
    for name, path in reporter_pages().items():
        site.goto(path)
        assert overflow(page) <= 0, (name, overflow(page))
        assert small_controls(page) == [], (name, small_controls(page))
        assert small_text_inputs(page) == [], (name, small_text_inputs(page))
    site.goto("/my/?year=2013&month=6")
    assert page.locator("#my-projects thead").is_hidden()  # rows are cards
    card = page.locator("#my-projects tbody tr").first.bounding_box()
    assert card["width"] <= phone_size[0]
    context.close()
    assert site.problems == []


def test_the_header_folds_into_a_menu(phone):
    phone.login("chenlixin")
    page = phone.page
    header = page.locator("header.topbar").bounding_box()
    assert header["height"] <= 60
    assert page.locator("#menu").is_hidden()
    page.click(".menu-toggle")
    assert page.locator("#menu").is_visible()
    menu = page.locator("#menu").bounding_box()
    assert menu["y"] >= header["height"] - 1 and menu["width"] > 300  # below the bar, full width
    assert page.locator("#menu a", has_text="我的项目").is_visible()
    phone.screenshot("phone-menu")


def test_the_office_pages_do_not_break_at_phone_width(phone):
    """Wide tables scroll inside their own box; the page itself never scrolls sideways."""
    phone.login("office")
    page = phone.page
    for path in [
        "/",
        "/projects/",
        "/officials/",
        "/zones/",
        "/ranking/?year=2013&month=5",
        "/lockouts/",
        "/meetings/",
        "/problems/",
        "/import/",
        "/help/",
    ]:
        phone.goto(path)
        assert overflow(page) <= 0, (path, overflow(page))
        if path.startswith("/ranking/"):
            phone.screenshot("phone-ranking", full_page=True)
        if path == "/meetings/":  # the meetings list's rows are cards
            assert page.locator("table.stack thead").is_hidden()
            phone.screenshot("phone-meetings", full_page=True)
    phone.goto("/")
    chart = page.locator("#zone-chart svg.chart-narrow").bounding_box()
    assert chart["width"] <= 390
    phone.screenshot("phone-dashboard")


@pytest.mark.parametrize("username", ["chenlixin", "observer", "jiaobei"])
def test_each_roles_help_fits_the_phone(phone, username):
    """帮助, as each role reads it, fits a 390 px phone: nothing scrolls sideways."""
    phone.login(username)
    phone.goto("/help/")
    assert overflow(phone.page) <= 0


def test_axe_finds_nothing_serious_on_the_reporter_pages(phone):
    page = phone.page
    phone.goto("/accounts/login/")
    assert serious_axe_violations(page) == []
    phone.login("chenlixin")
    for name, path in reporter_pages().items():
        phone.goto(path)
        assert serious_axe_violations(page) == [], name


def test_a_lead_official_reports_june_with_two_photos_from_the_phone(phone, tmp_path):
    """Log in, land on 我的项目, pick June 2013 from a June link, see the plan and the year so
    far, enter an amount, attach two real JPEGs, submit, see them on the project page."""
    page = phone.page
    phone.goto("/accounts/login/")
    phone.screenshot("phone-login")
    phone.login("chenlixin")
    assert page.url.endswith("/my/")
    phone.goto("/my/?year=2013&month=6")
    phone.screenshot("phone-my-projects", full_page=True)
    card = page.locator("#my-projects tbody tr", has_text="JF2013-001")
    card.locator("a.button", has_text="填报").click()
    page.wait_for_url(re.compile(r".*/reports/new/\?year=2013&month=6"))
    assert page.locator(".chooser .current").inner_text() == "2013年6月"
    reference = page.locator("#reference").inner_text()
    assert "30,000.00" in reference and "9,000.00" in reference  # plan, Jan–May
    page.fill("#id_amount", "1500")
    expect(page.locator("#projection-rate")).to_have_text("35.00")
    # The demo's June plan: 51 % of the year due (its monthly split), 35 % done.
    assert page.locator("#projection-gap").inner_text() == "16.00"
    page.fill("#id_physical_progress", "酒店主体施工至6层，会所装修")
    photos = []
    for index, color in enumerate([(200, 80, 40), (40, 120, 200)]):
        path = tmp_path / f"site-{index}.jpg"
        path.write_bytes(jpeg(3024, 4032, color))
        photos.append(str(path))
    page.set_input_files("input[type=file]:not([capture])", photos)
    assert page.locator("#gallery-count").inner_text() == "(2)"
    assert overflow(page) <= 0
    phone.screenshot("phone-report-form", full_page=True)
    page.click("#submit-report")
    page.wait_for_url(re.compile(r".*/my/\?year=2013&month=6"))
    assert "已保存" in page.locator(".messages").inner_text()
    assert "已填报" in page.locator("#my-projects tbody tr", has_text="JF2013-001").inner_text()
    report = MonthlyReport.objects.get(project__code="JF2013-001", year=2013, month=6)
    assert report.amount == 1500 and report.photos.count() == 2
    page.locator("#my-projects tbody tr", has_text="JF2013-001").locator("td.title a").click()
    page.wait_for_url(re.compile(rf".*/projects/{report.project_id}/\?year=2013&month=6"))
    images = page.locator("ul.photos img")
    assert images.count() == 2
    images.last.scroll_into_view_if_needed()  # they load lazily
    wait_until(
        page,
        "[...document.querySelectorAll('ul.photos img')].every(i => i.complete && i.naturalWidth > 0)",
    )
    assert ReportPhoto.objects.filter(report=report).count() == 2
    page.evaluate("document.getElementById('site-photos').scrollIntoView()")
    phone.screenshot("phone-project-photos")
    phone.goto(f"/reports/{report.pk}/edit/")
    assert page.locator("ul.photos img").count() == 2 and overflow(page) <= 0
    phone.screenshot("phone-report-edit", full_page=True)
    problem = reporter_pages()["problem"]
    phone.goto(problem)
    phone.screenshot("phone-problem", full_page=True)


def test_card_tables_stay_tables_on_a_desktop(site):
    """Below 600 px a table of a reporter page stacks into cards; on a desktop it is a table
    with its header row, as the office expects."""
    site.login("chenlixin")
    page = site.page
    site.goto("/my/?year=2013&month=6")
    display = "el => getComputedStyle(el).display"
    assert page.locator("#my-projects").evaluate(display) == "table"
    assert page.locator("#my-projects thead").is_visible()
    site.goto(reporter_pages()["project"])
    for table in ("#months", "#milestones", "#reports", "#plans"):
        assert page.locator(table).evaluate(display) == "table", table
        header = page.locator(f"{table} thead").bounding_box()
        first_row = page.locator(f"{table} tbody tr").first.bounding_box()
        assert first_row["y"] >= header["y"] + header["height"] - 1, table  # below, not beside
