"""开工率 on a phone (390×844): the figures fit the screen, the tables become cards, the
projects not started are listed; the office moves a stage from the project's page.
Screenshots: docs/screenshots/phone-starts.png and phone-stage.png."""

import pytest
from playwright.sync_api import expect

from projects.models import Project

from .conftest import overflow

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_start_rates_on_a_phone(phone):
    phone.login("observer")
    page = phone.page
    phone.goto("/starts/?year=2013&month=6")
    expect(page.locator("h1")).to_contain_text("开工率和竣工率")
    expect(page.locator("#rate-cards")).to_contain_text("60.00")
    expect(page.locator("#not-started-table")).to_contain_text("焦运商业中心")
    assert overflow(page) <= 0
    phone.screenshot("phone-starts", full_page=True)


def test_the_office_moves_a_stage_on_a_phone(phone):
    phone.login("office")
    page = phone.page
    project = Project.objects.get(code="JF2013-002")
    phone.goto(f"/projects/{project.pk}/?year=2013&month=6")
    form = page.locator("form.stage-form")
    form.locator("select[name=to_stage]").select_option("new_start")
    form.locator("input[name=on]").fill("2013-06-28")
    form.locator("input[name=note]").fill("取得施工许可证")
    form.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("新开工")
    expect(page.locator("#stage-changes")).to_contain_text("取得施工许可证")
    assert overflow(page) <= 0
    page.locator("#stages").scroll_into_view_if_needed()
    phone.screenshot("phone-stage")
