"""The monthly report form, locked months, lost updates, the change log and login protection."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from projects.models import Milestone, MonthLock, MonthlyReport, Project, StaleVersion

pytestmark = pytest.mark.django_db


def today():
    """Read when the test runs: a run may cross midnight in Shanghai."""
    return timezone.localdate()


@pytest.fixture
def lead(client, demo_users):
    client.force_login(User.objects.get(username="chenlixin"))
    return client


def project():
    return Project.objects.get(code="JF2013-001")


def create_url():
    return reverse("projects:report_create", args=[project().pk])


def data(**overrides):
    return {
        "year": today().year,
        "month": today().month,
        "amount": "100.00",
        "physical_progress": "主体施工",
        "problems": "",
    } | overrides


def errors_of(response):
    return response.content.decode()


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"amount": "-5"}, "金额不能为负数。"),
        ({"amount": "一百"}, "输入一个数字。"),
        ({"amount": ""}, "该字段是必填项。"),
        ({"month": "13"}, "月份必须在 1 到 12 之间。"),
    ],
)
def test_bad_amounts_and_months_are_refused_in_chinese(lead, overrides, message):
    response = lead.post(create_url(), data(**overrides))
    assert response.status_code == 200
    assert message in errors_of(response)
    assert not MonthlyReport.objects.filter(year=today().year).exists()


def test_a_month_that_has_not_begun_is_refused(lead):
    next_month = today().replace(day=1) + datetime.timedelta(days=32)
    response = lead.post(create_url(), data(year=next_month.year, month=next_month.month))
    assert "尚未开始，不能填报。" in errors_of(response)
    assert not MonthlyReport.objects.filter(year=next_month.year, month=next_month.month).exists()


def test_a_second_report_for_the_same_month_is_refused(lead):
    response = lead.post(create_url(), data(year=2013, month=5))
    assert "2013年5月已填报，请修改已有的填报。" in errors_of(response)
    assert MonthlyReport.objects.get(project=project(), year=2013, month=5).amount == 2300


def test_milestone_dates_in_the_future_or_before_the_start_are_refused(lead):
    milestone = project().milestones.get(name="酒店主体封顶")
    key = f"milestone_{milestone.pk}"
    tomorrow = today() + datetime.timedelta(days=1)
    response = lead.post(create_url(), data(**{key: tomorrow.isoformat()}))
    assert "实际日期不能晚于今天。" in errors_of(response)
    response = lead.post(create_url(), data(**{key: "2013-01-01"}))  # started 2013-03-18
    assert "实际日期不能早于项目开工日期。" in errors_of(response)
    milestone.refresh_from_db()
    assert milestone.actual_date is None
    assert not MonthlyReport.objects.filter(year=today().year).exists()


def test_cumulative_over_total_investment_needs_confirmation(lead):
    too_much = data(amount="195000.00")  # 9,000 already reported of 200,000
    response = lead.post(create_url(), too_much)
    html = errors_of(response)
    assert "累计完成投资将达 204,000.00" in html and "超过总投资 200,000.00" in html
    assert not MonthlyReport.objects.filter(year=today().year).exists()
    response = lead.post(create_url(), too_much | {"confirm_over_total": "on"})
    assert response.status_code == 302
    assert MonthlyReport.objects.get(year=today().year).amount == Decimal("195000.00")


def test_a_report_saves_the_submitter_and_shows_in_my_projects(lead):
    response = lead.post(create_url(), data(), follow=True)
    assert "已保存" in errors_of(response)
    report = MonthlyReport.objects.get(year=today().year)
    assert report.submitted_by.username == "chenlixin"
    rows = {p.code: p for p in response.context["rows"]}
    assert rows["JF2013-001"].report_status == "submitted"


def test_locked_month_can_be_changed_only_by_the_office(client, demo_users):
    report = MonthlyReport.objects.get(project=project(), year=2013, month=5)
    MonthLock.objects.create(year=2013, month=5)
    url = reverse("projects:report_edit", args=[report.pk])
    client.force_login(User.objects.get(username="chenlixin"))
    refused = client.get(url)
    assert refused.status_code == 403
    # Only the true reason: the lock (who and when), not also "your role does not allow this".
    html = refused.content.decode()
    assert "2013年5月" in html and "锁定" in html
    assert "您账号的角色不允许" not in html
    response = client.post(url, {"amount": "1", "loaded_version": report.version})
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.amount == 2300
    response = client.get(reverse("projects:my_projects"), {"year": 2013, "month": 5})
    assert {p.report_status for p in response.context["rows"]} == {"locked"}
    client.force_login(User.objects.get(username="office"))
    response = client.post(
        url, {"amount": "2350.00", "physical_progress": "x", "loaded_version": report.version}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.amount == Decimal("2350.00")


def test_the_lock_time_is_shanghai_time_on_my_projects_as_on_the_meeting_page(client, demo_users):
    """A month locked at 22:49 UTC on 3 December is locked at 06:49 on the 4th in Shanghai:
    我的项目 and the meeting page both say 2026-12-04 06:49."""
    from projects.models import Meeting

    office = User.objects.get(username="office")
    locked_at = datetime.datetime(2026, 12, 3, 22, 49, tzinfo=datetime.UTC)
    MonthLock.objects.create(year=2013, month=5, locked_by=office, locked_at=locked_at)
    MonthLock.objects.filter(year=2013, month=5).update(locked_at=locked_at)
    client.force_login(User.objects.get(username="chenlixin"))
    page = client.get(reverse("projects:my_projects"), {"year": 2013, "month": 5})
    assert "于 2026-12-04 06:49 锁定" in page.context["lock_reason"]
    client.force_login(office)
    meeting = Meeting.objects.get(year=2013, number=5)
    assert "2026-12-04 06:49" in client.get(meeting.get_absolute_url()).content.decode()


def test_second_editor_of_the_same_version_is_refused_and_sees_the_change(demo_users):
    """Two people open the same report; the first save wins, the second is told what changed."""
    report = MonthlyReport.objects.get(project=project(), year=2013, month=5)
    url = reverse("projects:report_edit", args=[report.pk])
    first, second = Client(), Client()
    first.force_login(User.objects.get(username="chenlixin"))
    second.force_login(User.objects.get(username="liaison"))
    loaded = first.get(url).context["form"]["loaded_version"].value()
    assert second.get(url).context["form"]["loaded_version"].value() == loaded
    common = {"problems": "", "loaded_version": loaded}
    assert (
        first.post(url, common | {"amount": "2500.00", "physical_progress": "甲"}).status_code
        == 302
    )
    response = second.post(url, common | {"amount": "2600.00", "physical_progress": "乙"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "未保存" in html and "陈立新" in html
    assert "2300.00 → 2500.00" in html and "会所主体施工至2层 → 甲" in html
    report.refresh_from_db()
    assert (report.amount, report.physical_progress) == (Decimal("2500.00"), "甲")
    # The refused form now carries the current version: a deliberate resubmit goes through.
    assert response.context["form"]["loaded_version"].value() == loaded + 1


def test_update_is_checked_against_the_loaded_version_in_sql(demo_users):
    """Two copies loaded at the same version: the second UPDATE matches no row."""
    one = MonthlyReport.objects.get(project=project(), year=2013, month=5)
    two = MonthlyReport.objects.get(pk=one.pk)
    one.amount = Decimal("1")
    one.save()
    two.amount = Decimal("2")
    with pytest.raises(StaleVersion):
        two.save()
    one.refresh_from_db()
    assert one.amount == Decimal("1") and one.version == 2
    for model in (Project, Milestone):
        a = model.objects.first()
        b = model.objects.get(pk=a.pk)
        a.save()
        with pytest.raises(StaleVersion):
            b.save()


def test_admin_refuses_a_stale_project_form(client, demo_users):
    office = User.objects.get(username="office")
    client.force_login(office)
    item = project()
    url = reverse("admin:projects_project_change", args=[item.pk])
    form = client.get(url).context["adminform"].form
    post = {k: v for k, v in form.initial.items() if v is not None and k != "liaisons"}
    post.update(
        {
            "zone": item.zone_id,
            "lead_official": item.lead_official_id,
            "responsible_unit": item.responsible_unit_id,
            "street_office": item.street_office_id,
            "annual_plans-TOTAL_FORMS": 0,
            "annual_plans-INITIAL_FORMS": 0,
            "milestones-TOTAL_FORMS": 0,
            "milestones-INITIAL_FORMS": 0,
            "loaded_version": item.version,
        }
    )
    item.name = "别人改的名称"
    item.save()
    response = client.post(url, post | {"name": "我改的名称"})
    assert response.status_code == 200
    assert "未保存" in response.content.decode()
    assert project().name == "别人改的名称"


def test_change_log_on_the_project_page(client, demo_users):
    client.force_login(User.objects.get(username="chenlixin"))
    report = MonthlyReport.objects.get(project=project(), year=2013, month=5)
    client.post(
        reverse("projects:report_edit", args=[report.pk]),
        {
            "amount": "2450.00",
            "physical_progress": "会所主体施工至3层",
            "loaded_version": report.version,
        },
    )
    client.force_login(User.objects.get(username="observer"))
    html = client.get(project().get_absolute_url(), {"year": 2013, "month": 5}).content.decode()
    assert "变更记录" in html
    assert "本月完成投资（万元）：2300.00 → 2450.00" in html
    assert "陈立新" in html


def login(client, username, password, ip="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_five_failures_lock_that_user_on_that_address_only(client, demo_users):
    for _ in range(4):
        assert login(client, "observer", "wrong").status_code == 200
    assert login(client, "observer", "wrong").status_code == 429  # the fifth failure locks
    response = login(client, "observer", "jiefang-demo-2013")
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    # A colleague on the same office address is not locked out, nor the same user elsewhere.
    assert login(Client(), "office", "jiefang-demo-2013").status_code == 302
    assert login(Client(), "observer", "jiefang-demo-2013", ip="10.0.0.2").status_code == 302


def test_lockout_ends_after_thirty_minutes(client, demo_users, settings):
    from axes.models import AccessAttempt

    for _ in range(5):
        login(client, "observer", "wrong")
    assert login(client, "observer", "jiefang-demo-2013").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=31))
    assert login(client, "observer", "jiefang-demo-2013").status_code == 302


def test_failed_logins_are_visible_to_the_office(client, demo_users):
    login(client, "observer", "wrong")
    login(Client(), "observer", "jiefang-demo-2013")
    client.force_login(User.objects.get(username="office"))
    failures = client.get(reverse("admin:axes_accessfailurelog_changelist")).content.decode()
    assert "observer" in failures
    logins = client.get(reverse("admin:axes_accesslog_changelist")).content.decode()
    assert "observer" in logins


def test_idle_session_expires_after_thirty_minutes(client, demo_users, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    login(client, "observer", "jiefang-demo-2013")
    from django.contrib.sessions.models import Session

    assert client.get(reverse("projects:project_list")).status_code == 200
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(reverse("projects:project_list"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_password_validators_are_on(settings):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        validate_password("12345678")
    assert "这个密码太常见了。" in str(error.value.messages)
