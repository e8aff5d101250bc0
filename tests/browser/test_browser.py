"""The main journeys in a real browser, with screenshots for the README and the user guide."""

import io
import re

import openpyxl
import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_login_and_dashboard_with_charts(site):
    site.login("observer")
    page = site.page
    assert "重点项目" in page.title()
    site.goto("/?year=2013&month=5")
    assert page.locator("#headline").inner_text().count("953,700.00") == 1
    assert page.locator("#zone-chart svg.chart-wide rect").count() == 8  # plan and ytd, 4 zones
    assert page.locator("#pace-chart svg.chart-wide polyline").count() == 2
    assert "54,600" in page.locator("#pace-chart-table").inner_text()
    assert "动漫产业园" in page.locator("#red-list").inner_text()
    site.screenshot("dashboard", full_page=True)


def test_filter_and_sort_the_project_list(site):
    site.login("office")
    page = site.page
    site.goto("/projects/?year=2013&month=5")
    page.select_option("#id_zone", label="特色商业区")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    rows = page.locator("table.data tbody tr")
    assert rows.count() == 5
    page.click("th >> text=落后序时（百分点）")
    page.wait_for_load_state()
    page.click("th >> text=落后序时（百分点）")  # second click: largest gap first
    page.wait_for_load_state()
    assert "sort=-gap" in page.url
    assert rows.first.inner_text().startswith("JF2013-006")
    badge = rows.first.locator(".light")
    assert badge.inner_text().strip().endswith("滞后")
    assert "逾期" in rows.first.locator(".light-reason").inner_text()  # written, not a hover
    site.screenshot("project-list", full_page=True)
    site.goto("/projects/5/?year=2013&month=5")
    assert page.locator("figure.timeline svg.chart-wide circle").count() == 2
    site.screenshot("project-detail", full_page=True)


def test_lead_official_submits_a_monthly_report(site):
    site.login("chenlixin")
    page = site.page
    site.goto("/my/?year=2013&month=6")  # the month after the demo's last report
    row = page.locator("#my-projects tr", has_text="JF2013-001")
    assert "未填报" in row.inner_text()
    row.locator("a", has_text="填报").click()
    page.fill("#id_amount", "-5")
    page.click("#submit-report")
    assert "金额不能为负数。" in page.locator("form.report").inner_text()
    page.fill("#id_amount", "1250.50")
    page.fill("#id_physical_progress", "酒店主体施工至5层")
    site.screenshot("report-form", full_page=True)
    page.click("#submit-report")
    page.wait_for_url(re.compile(r".*/my/.*"))
    assert "已保存" in page.locator(".messages").inner_text()
    assert "已填报" in page.locator("#my-projects tr", has_text="JF2013-001").inner_text()
    site.screenshot("my-projects", full_page=True)


def test_office_records_a_problem_at_the_meeting(site):
    site.login("office")
    page = site.page
    site.goto("/meetings/")
    page.click("table.data a >> text=2013年第5次“四区联建”例会")
    page.select_option("#id_project", label="JF2013-004 唐人中心")
    page.fill("#id_description", "裙楼施工需临时占道")
    page.select_option("#id_responsible_unit", label="区城市管理局")
    page.select_option("#id_disposition", value="deadline")
    page.fill("#id_working_days", "5")
    page.click("#problem-form button[type=submit]")
    page.wait_for_load_state()
    assert "问题已记录" in page.locator(".messages").inner_text()
    table = page.locator("#meeting-problems").inner_text()
    assert "裙楼施工需临时占道" in table and "2013-06-04" in table
    site.screenshot("meeting", full_page=True)


def test_packet_in_print_media(site):
    site.login("office")
    page = site.page
    site.goto("/meetings/1/print/")
    page.emulate_media(media="print")
    assert page.locator(".screen-only").is_hidden()
    header = page.locator("section.official thead").first
    assert header.evaluate("e => getComputedStyle(e).display") == "table-header-group"
    assert page.locator("tr.problem.overdue").count() == 1
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1]  # nothing cut at the right edge
    site.screenshot("packet-print", full_page=True)


def test_excel_download_from_the_filtered_list(site):
    site.login("observer")
    page = site.page
    site.goto("/projects/?year=2013&month=5&light=red")
    with page.expect_download() as info:
        page.click("text=导出 Excel")
    sheet = openpyxl.load_workbook(io.BytesIO(open(info.value.path(), "rb").read())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "项目编号" and len(rows) == 3
    assert {r[0] for r in rows[1:]} == {"JF2013-002", "JF2013-005"}
    with page.expect_download() as info:
        site.goto("/")
        page.click("nav.mainnav >> text=进展情况表")
    book = openpyxl.load_workbook(io.BytesIO(open(info.value.path(), "rb").read()))
    assert book.sheetnames == ["进展情况", "汇总", "问题清单", "时间节点", "开工率"]


@pytest.mark.slow
def test_office_imports_a_large_workbook_and_sees_how_far_the_check_has_got(site, tmp_path):
    from projects.exchange.template import export_projects
    from projects.models import AnnualPlan, Project

    register = openpyxl.load_workbook(io.BytesIO(export_projects()))
    sheet = register.worksheets[0]
    template = list(sheet.iter_rows(min_row=2, max_row=2, values_only=True))[0]
    for number in range(1, 8001):
        sheet.append([f"XJ-{number:05d}", f"新项目{number}", *template[2:]])
    path = tmp_path / "register.xlsx"
    register.save(path)

    site.login("office")
    page = site.page
    polled = []
    page.on(
        "response",
        lambda response: "/import/progress/" in response.url and polled.append(response.json()),
    )
    site.goto("/import/")
    page.set_input_files("#id_file", str(path))
    page.click("#upload-form button[type=submit]")
    # Locator assertions, not wait_for_function: the CSP forbids the eval that one needs.
    expect(page.locator("#upload-status .import-text")).to_have_text(
        re.compile(r"已(读取|检查) \d+ / \d+ 行"), timeout=30_000
    )
    assert page.locator("#upload-form button[type=submit]").is_disabled()
    site.screenshot("import-progress")
    page.wait_for_selector("#preview", timeout=60_000)
    assert "预览" in page.locator("#preview h2").inner_text()
    existing = Project.objects.count() + AnnualPlan.objects.count()
    assert (
        f"共 {sheet.max_row - 1} 行：新建 16000，更新 0，不变 {existing}。"
        in page.locator("#preview").inner_text()
    )
    texts = [state["text"] for state in polled if state["text"]]
    assert any(re.match(r"已(读取|检查) \d+ / \d+ 行", text) for text in texts), polled
    site.screenshot("import-preview")
    page.click("#confirm")
    page.wait_for_selector(".messages", timeout=60_000)
    assert "新建 16000" in page.locator(".messages").inner_text()
    assert Project.objects.filter(code__startswith="XJ-").count() == 8000
    assert page.locator("#id_file").count() == 1  # back at an empty upload form
