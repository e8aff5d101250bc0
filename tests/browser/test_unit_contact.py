"""The responsible unit's contact on a phone (390×844), end to end in Chromium: the bell, the
unit's problems, a progress note, a request for closure; then the office sends it back and
closes it on a desktop, and reads 填报情况. Screenshots go to docs/screenshots/."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from projects.models import Problem, ProblemUpdate
from projects.reminders.schedule import run

from .conftest import Watched, overflow

MINE = "商户过渡安置场地不足"


@pytest.fixture
def contact_phone(phone):
    run(timezone.localdate(), deliver=False)  # today's reminders: the demo's problems are late
    return phone


def test_a_unit_contact_answers_a_problem_from_the_phone(contact_phone):
    phone = contact_phone
    page = phone.page
    phone.login("jiaobei")
    # Logging in lands on the unit's problems; the bell shows the unread reminder.
    expect(page.locator("h1")).to_have_text("我的问题")
    expect(page.locator(".bell .badge")).to_have_text("1")
    cards = page.locator(".inbox > li")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text(MINE)
    expect(cards.first.locator(".escalation-badge")).to_have_text("督办")
    assert overflow(page) <= 0
    phone.screenshot("phone-unit-problems")

    page.locator(".bell").click()
    expect(page.locator(".inbox")).to_contain_text("已逾期")
    assert overflow(page) <= 0
    phone.screenshot("phone-notifications", full_page=True)
    page.get_by_role("button", name="全部标为已读").click()
    expect(page.locator(".bell .badge")).to_have_count(0)

    page.locator(".menu-toggle").click()
    page.get_by_role("link", name="我的问题").click()
    page.locator(".inbox > li h2 a").first.click()
    expect(page.locator("h1")).to_contain_text(MINE)
    page.fill("#id_note", "已协调焦北街道临时安置点两处，商户已搬迁过半")
    page.get_by_role("button", name="提交").click()
    expect(page.locator(".messages")).to_contain_text("处理进展已记录。")
    expect(page.locator(".steps")).to_contain_text("商户已搬迁过半")
    page.get_by_label("申请销号").check()
    page.fill("#id_note", "商户已全部过渡安置，申请销号")
    page.get_by_role("button", name="提交").click()
    expect(page.locator(".messages")).to_contain_text("已申请销号，等待项目办审核。")
    expect(page.locator("h1 .requested")).to_have_text("已申请销号")
    assert overflow(page) <= 0
    phone.screenshot("phone-unit-closure-requested", full_page=True)
    problem = Problem.objects.get(description=MINE)
    assert problem.closure_requested_at is not None
    assert list(problem.updates.values_list("kind", "author__username")) == [
        ("progress", "jiaobei"),
        ("closure_requested", "jiaobei"),
    ]


def test_the_office_sends_back_then_closes_and_reads_the_reporting_status(browser, demo_site):
    problem = Problem.objects.get(description=MINE)
    problem.closure_requested_at = timezone.now()
    problem.save()
    ProblemUpdate.objects.create(problem=problem, kind="closure_requested", note="已安置完毕")
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    office = Watched(context.new_page(), demo_site)
    page = office.page
    office.login("office")
    office.goto("/problems/mine/")
    expect(page.locator(".inbox > li").first).to_contain_text(MINE)
    expect(page.locator(".inbox > li").first.locator(".requested")).to_be_visible()
    page.locator(".inbox > li h2 a").first.click()
    expect(page.locator("#id_closing_note")).to_have_value("已安置完毕")
    page.fill("#id_reason", "请附安置协议")
    page.get_by_role("button", name="退回").click()
    expect(page.locator(".messages")).to_contain_text("销号申请已退回")
    office.screenshot("problem-returned", full_page=True)
    page.fill("#id_closing_note", "安置协议已签，同意销号")
    page.get_by_role("button", name="销号").click()
    expect(page.locator(".messages")).to_contain_text("问题已销号")
    expect(page.locator(".steps li")).to_have_count(3)

    office.goto("/report-status/")
    expect(page.locator("h1")).to_contain_text("填报情况")
    rows = page.locator("table.report-status tbody tr")
    expect(rows.first.get_by_role("button", name="立即催报")).to_be_visible()
    office.screenshot("report-status", full_page=True)
    rows.first.get_by_role("button", name="立即催报").click()
    expect(page.locator(".messages")).to_contain_text("催报")
    context.close()
    assert office.problems == []
