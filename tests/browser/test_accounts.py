"""账号管理 on a phone (390×844), with the city demo: the city's office lists both districts'
accounts as cards, creates 山阳区's second office account and reads its password once.
Screenshots: docs/screenshots/phone-accounts*.png."""

import pytest
from django.contrib.auth.models import User

from tests.conftest import setup_demo

from .conftest import PHONES, overflow, phone_site
from .test_phone import serious_axe_violations, small_controls, small_text_inputs


@pytest.fixture
def city_phone(browser, live_server):
    setup_demo(year=2013, city=True)
    context, watched = phone_site(browser, live_server.url, PHONES["390x844"])
    yield watched
    context.close()
    assert watched.problems == []


def test_the_city_office_creates_a_district_office_on_a_phone(city_phone):
    site, page = city_phone, city_phone.page
    site.login("jiaozuo")
    page.click(".menu-toggle")
    page.locator("#menu a", has_text="账号管理").click()
    page.wait_for_url("**/accounts/")
    assert page.locator("table.accounts thead").is_hidden()  # rows are cards
    assert page.locator("table.accounts tbody tr").count() == 11
    assert "山阳区项目办" in page.locator("table.accounts").inner_text()
    assert overflow(page) <= 0 and small_text_inputs(page) == []
    assert serious_axe_violations(page) == []
    site.screenshot("phone-accounts", full_page=True)

    page.locator("a.button", has_text="新建账号").click()
    page.wait_for_url("**/accounts/new/")
    page.fill("#id_name", "山阳区项目办（二）")
    page.fill("#id_username", "shanyang2")
    page.select_option("#id_region", label="山阳区")
    page.select_option("#id_role", label="项目办")
    assert overflow(page) <= 0
    assert small_controls(page) == [] and small_text_inputs(page) == []
    assert serious_axe_violations(page) == []
    site.screenshot("phone-account-form", full_page=True)
    page.click("form.report button[type=submit]")
    page.wait_for_url("**/accounts/*/")
    password = page.locator("code.password").inner_text()
    assert len(password) == 12
    assert User.objects.get(username="shanyang2").check_password(password)
    assert overflow(page) <= 0
    site.screenshot("phone-account-password")
    page.reload()
    assert page.locator("code.password").count() == 0  # shown once
