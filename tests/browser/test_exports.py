"""A large export in Chromium on a phone (390×844): the list's download goes to the job's page,
whose bar moves while the worker builds it, then the download link appears and downloads the
workbook. Screenshots go to docs/screenshots/."""

import threading

import pytest
from playwright.sync_api import expect

from projects.models import ExportJob
from tests.conftest import run_tasks

from .conftest import overflow


@pytest.fixture
def office_phone(phone, settings):
    settings.JIEFANG_BACKGROUND_EXPORT_OVER = 4  # the demo's 10 projects go to the background
    return phone


def test_a_large_export_shows_its_progress_and_then_its_download(office_phone):
    phone = office_phone
    page = phone.page
    phone.login("office")
    phone.goto("/projects/?year=2013&month=5")
    page.click("text=导出 Excel")
    page.wait_for_url("**/exports/*/")
    expect(page.locator("h1")).to_have_text("导出")
    expect(page.locator(".export-label")).to_have_text("排队中")
    assert overflow(page) <= 0
    phone.screenshot("phone-export-queued")

    worker = threading.Thread(target=run_tasks)  # db_worker, in this process
    worker.start()
    worker.join(60)
    job = ExportJob.objects.get()
    assert job.status == "done", job.error
    # The page asks every two seconds; the link appears without reloading.
    expect(page.locator(".export-ready a")).to_be_visible(timeout=10_000)
    expect(page.locator(".export-label")).to_have_text("已完成")
    expect(page.locator("progress")).to_have_attribute("value", "100")
    phone.screenshot("phone-export-ready")
    with page.expect_download() as download:
        page.click(".export-ready a")
    assert download.value.suggested_filename.endswith(".xlsx")

    phone.goto("/projects/?year=2013&month=5")
    page.click("text=我的导出")
    page.wait_for_url("**/exports/")
    expect(page.locator("table tbody tr")).to_have_count(1)
    expect(page.locator("table tbody tr")).to_contain_text("项目列表")
    assert overflow(page) <= 0
    phone.screenshot("phone-my-exports")
