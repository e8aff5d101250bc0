"""What looked wrong at desktop size and on a 390×844 phone (issue 28, item 21), measured as a
user sees it: the log-in inputs' width, the chart's names inside the picture, the project
list's columns and the filters' names on a phone, the timeline on a phone, the admin's project
page at 1280 px, and the character counter under its text box. Screenshots go to
docs/screenshots/ (cosmetics-*.png and phone-cosmetics-*.png)."""

import pytest

from projects.models import MonthlyReport, Project, Zone

from .conftest import Watched, overflow

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def desktop(browser, demo_site):
    """A 1280×800 window, the size the issue was found at."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    watched = Watched(context.new_page(), demo_site)
    yield watched
    context.close()
    assert watched.problems == []


def box(locator):
    return locator.bounding_box()


def test_the_login_inputs_are_a_comfortable_width(desktop, phone):
    """Desktop: the user name and password boxes were 54 px wide beside their labels."""
    for site, name, least in [
        (desktop, "cosmetics-login", 240),
        (phone, "phone-cosmetics-login", 300),
    ]:
        site.goto("/accounts/login/")
        for field in ("#id_username", "#id_password"):
            assert box(site.page.locator(field))["width"] >= least, (name, field)
        assert overflow(site.page) <= 0
        site.screenshot(name)


TEXTS_OUTSIDE = """(selector) => [...document.querySelectorAll(selector)]
  .filter(svg => svg.getBoundingClientRect().width > 0)
  .flatMap(svg => {
    const b = svg.getBoundingClientRect();
    return [...svg.querySelectorAll('text')]
      .filter(t => { const r = t.getBoundingClientRect();
        return r.left < b.left - 0.5 || r.right > b.right + 0.5 || r.top < b.top - 0.5
          || r.bottom > b.bottom + 0.5; })
      .map(t => t.textContent);
  })"""

TEXTS_OVERLAPPING = """(selector) => {
  const texts = [...document.querySelectorAll(selector)]
    .filter(svg => svg.getBoundingClientRect().width > 0)
    .flatMap(svg => [...svg.querySelectorAll('text')]);
  const boxes = texts.map(t => [t.textContent, t.getBoundingClientRect()]);
  const pairs = [];
  boxes.forEach(([a, r], i) => boxes.slice(i + 1).forEach(([b, s]) => {
    // a text's box is its font's full line height: lines 2 px apart do not touch on screen
    if (r.left < s.right - 3 && s.left < r.right - 3 && r.top < s.bottom - 3
        && s.top < r.bottom - 3) pairs.push([a, b]);
  }));
  return pairs;
}"""


def many_zones():
    """Each demo project in a zone of its own, with names as long as a city's."""
    first = Zone.objects.order_by("pk").first()
    for index, project in enumerate(Project.objects.order_by("code")):
        zone = Zone.objects.create(
            name=f"焦作高新技术产业园区{index + 1}号片区", order=index, region=first.region
        )
        Project.objects.filter(pk=project.pk).update(zone=zone)


@pytest.mark.parametrize("zones", ["demo", "many"])
def test_the_charts_names_and_values_lie_inside_the_picture(desktop, phone, zones):
    """The dashboard's charts at 1280 px and at 390 px: every name and value inside its SVG and
    none written over another, with the district's four zones and with ten long-named ones (a
    city's), where the names under the bars ran into each other and past both ends."""
    if zones == "many":
        many_zones()
    project = Project.objects.get(code="JF2013-001")
    for site in (desktop, phone):
        site.login("office")
        for path in [
            "/?year=2013&month=5",
            "/?year=2013&month=12",
            f"/projects/{project.pk}/?year=2013&month=5",
        ]:
            site.goto(path)
            page = site.page
            assert page.evaluate(TEXTS_OUTSIDE, "figure.chart svg") == [], (path, zones)
            assert page.evaluate(TEXTS_OVERLAPPING, "figure.chart svg") == [], (path, zones)
            assert overflow(page) <= 0
    if zones == "many":
        desktop.goto("/?year=2013&month=5")
        desktop.page.locator("#zone-chart").screenshot(
            path=str(screenshot_path("cosmetics-zone-chart-many"))
        )


def screenshot_path(name):
    from .conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"


def test_the_project_lists_rate_and_light_are_on_the_phones_screen(phone):
    """At 390 px the rows of 重点项目 were a table wider than the screen: 完成率 and 进度状态
    (its 8th and 10th cells) were out of sight to the right. Every row's cells now lie within
    the screen, without sideways scrolling of the page or of the table's box."""
    phone.login("office")
    phone.goto("/projects/?year=2013&month=5")
    page = phone.page
    rows = page.locator("table.data tbody tr")
    assert rows.count() == 10
    for index in range(rows.count()):
        row = rows.nth(index)
        for cell in (row.locator("td:nth-child(8)"), row.locator("td:nth-child(10)")):
            cell.scroll_into_view_if_needed()
            seen = box(cell)
            assert seen["width"] > 0 and seen["x"] >= 0 and seen["x"] + seen["width"] <= 390, (
                index,
                cell.inner_text(),
                seen,
            )
    first = rows.first
    assert first.locator("td:nth-child(8)").inner_text().split() == ["完成率（%）", "30.00"]
    assert "滞后" in first.locator("td:nth-child(10)").inner_text()
    scroller = page.locator(".table-scroll").first
    assert scroller.evaluate("e => e.scrollWidth - e.clientWidth") <= 0
    assert overflow(page) <= 0
    page.locator("p.tools").last.scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, -8)")
    phone.screenshot("phone-cosmetics-project-list")  # the first cards, as the screen shows them


def test_the_project_list_stays_a_table_on_a_desktop(desktop):
    desktop.login("office")
    desktop.goto("/projects/?year=2013&month=5")
    page = desktop.page
    assert page.locator("table.data thead").is_visible()
    assert page.locator("table.data").evaluate("e => getComputedStyle(e).display") == "table"
    assert page.locator("table.data tbody tr").first.inner_text().startswith("JF2013-001")
    assert overflow(page) <= 0
    desktop.screenshot("cosmetics-project-list")


FILTER_NAME_LINES = """() => [...document.querySelectorAll('form.filters label')].map(label => {
  const walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT,
    {acceptNode: n => n.textContent.trim() ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP});
  const text = walker.nextNode();
  const range = document.createRange();
  range.selectNodeContents(text);
  const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
  return [text.textContent.trim(), tops.size];
})"""


def test_the_filters_names_are_on_one_line_on_a_phone(phone, desktop):
    """At 390 px the filter form's names wrapped a character per line (搜/索, 功能/区)."""
    for site in (phone, desktop):
        site.login("office")
        site.goto("/projects/?year=2013&month=5")
        lines = site.page.evaluate(FILTER_NAME_LINES)
        assert len(lines) >= 8
        assert [name for name, count in lines if count != 1] == []
        assert overflow(site.page) <= 0
    phone.page.locator("form.filters").screenshot(
        path=str(screenshot_path("phone-cosmetics-filters"))
    )


TIMELINE_TEXT = """() => {
  const figure = document.querySelector('figure.timeline');
  const walker = document.createTreeWalker(figure, NodeFilter.SHOW_TEXT);
  const found = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (!node.textContent.trim() || element.closest('title')) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const r = range.getBoundingClientRect();
    if (!r.width) continue;  // not shown at this size
    const svg = element.closest('svg');
    const scale = svg ? svg.getBoundingClientRect().width / svg.viewBox.baseVal.width : 1;
    found.push({text: node.textContent.trim(),
                px: parseFloat(getComputedStyle(element).fontSize) * scale,
                left: r.left, right: r.right});
  }
  return found;
}"""


def test_the_timeline_reads_on_a_phone(phone):
    """At 390 px the timeline was a 900-unit picture squeezed: names crossed by the as-of line,
    no dates but the axis's. Now each milestone reads with its date, in the order of the dates,
    the as-of date among them, in text of 14 px or more that stays on the screen."""
    phone.login("office")
    project = Project.objects.get(code="JF2013-001")
    phone.goto(f"/projects/{project.pk}/?year=2013&month=5")
    page = phone.page
    page.locator("figure.timeline").scroll_into_view_if_needed()
    texts = page.evaluate(TIMELINE_TEXT)
    shown = " ".join(t["text"] for t in texts)
    for milestone in project.milestones.all():
        done = milestone.actual_date and milestone.actual_date.isoformat() <= "2013-05-31"
        date = milestone.actual_date if done else milestone.planned_date
        assert milestone.name in shown and date.isoformat() in shown, (milestone.name, shown)
    assert "2013-05-31 统计截止日" in shown
    assert shown.index("开工") < shown.index("2013-05-31") < shown.index("酒店主体封顶")
    assert [t for t in texts if t["px"] < 14] == []
    assert [t for t in texts if t["left"] < 0 or t["right"] > 390] == []
    assert overflow(page) <= 0
    page.locator("figure.timeline").screenshot(
        path=str(screenshot_path("phone-cosmetics-timeline"))
    )


def test_the_timeline_is_still_a_picture_on_a_desktop(desktop):
    desktop.login("office")
    project = Project.objects.get(code="JF2013-001")
    desktop.goto(f"/projects/{project.pk}/?year=2013&month=5")
    page = desktop.page
    assert page.locator("figure.timeline svg.chart-wide").is_visible()
    assert page.locator("figure.timeline ol.timeline-list").is_hidden()
    page.locator("figure.timeline").screenshot(path=str(screenshot_path("cosmetics-timeline")))


def test_the_admins_project_page_fits_a_1280_px_window(desktop):
    """The milestone inline widened the page to 1,875 px at 1280: now the page does not scroll
    sideways, nor do the inlines inside their boxes, and the names have room to be read."""
    desktop.login("office")
    project = Project.objects.get(code="JF2013-001")
    desktop.goto(f"/admin/projects/project/{project.pk}/change/")
    page = desktop.page
    assert overflow(page) <= 0
    for group in ("#milestones-group", "#annual_plans-group"):
        inline = page.locator(f"{group} .tabular")
        assert inline.evaluate("e => e.scrollWidth - e.clientWidth") <= 1, group
    name = box(page.locator("#id_milestones-0-name"))
    assert name["width"] >= 78 and name["x"] + name["width"] <= 1280
    delete = box(page.locator("#id_milestones-0-DELETE"))
    assert delete["x"] + delete["width"] <= 1280
    page.locator("#milestones-group").screenshot(
        path=str(screenshot_path("cosmetics-admin-milestones"))
    )


COUNTERS = """() => [...document.querySelectorAll('textarea[data-counter]')].map(area => {
  const counter = area.parentElement.querySelector('.counter');
  const a = area.getBoundingClientRect(), c = counter.getBoundingClientRect();
  return {name: area.name, text: counter.textContent,
          under: c.top >= a.bottom - 1, inside: c.left >= a.left - 1 && c.right <= a.right + 1};
})"""


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_character_counter_sits_under_its_text_box(desktop, phone, size):
    """The "9/500" of 形象进度 and 存在问题 was drawn in the labels' column, under the label:
    it belongs under the box it counts, at its right."""
    site = {"desktop": desktop, "phone": phone}[size]
    site.login("chenlixin")
    report = MonthlyReport.objects.get(project__code="JF2013-001", year=2013, month=5)
    for path in [
        f"/projects/{report.project_id}/reports/new/?year=2013&month=6",
        f"/reports/{report.pk}/edit/",
    ]:
        site.goto(path)
        counters = site.page.evaluate(COUNTERS)
        assert len(counters) == 2, path
        for counter in counters:
            assert counter["under"] and counter["inside"], (path, counter)
        assert overflow(site.page) <= 0
    site.page.locator("form.report").screenshot(
        path=str(screenshot_path(("phone-" if size == "phone" else "") + "cosmetics-counter"))
    )
