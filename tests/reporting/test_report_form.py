"""The report form for phones: the month carries from the link, the chooser offers only open
months, the form shows what to report against, and a reporter lands on 我的项目."""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from projects.models import Milestone, MonthLock, MonthlyReport, Problem, Project
from projects.progress.period import Period

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(client, demo_users):
    client.force_login(User.objects.get(username="chenlixin"))
    return client


def project():
    return Project.objects.get(code="JF2013-001")  # 陈立新's; reports up to 2013-05


def create_url(**params):
    url = reverse("projects:report_create", args=[project().pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def hidden(html, name):
    match = re.search(rf'type="hidden" name="{name}" value="(\d+)"', html)
    return int(match.group(1)) if match else None


def test_the_report_link_of_june_opens_and_saves_june(lead):
    """From 我的项目 of June 2013 the 填报 link opens the form on June 2013, and the report is
    saved there, not in the current month."""
    page = lead.get(reverse("projects:my_projects"), {"year": 2013, "month": 6}).content.decode()
    link = re.search(rf'href="({create_url()}\?[^"]+)"', page).group(1).replace("&amp;", "&")
    assert "year=2013" in link and "month=6" in link
    form = lead.get(link).content.decode()
    assert (hidden(form, "year"), hidden(form, "month")) == (2013, 6)
    response = lead.post(
        link,
        {"year": 2013, "month": 6, "amount": "1000", "physical_progress": "主体施工至5层"},
    )
    assert response.status_code == 302
    assert "year=2013&month=6" in response.url
    assert project().reports.filter(year=2013, month=6, amount=Decimal("1000")).exists()
    today = timezone.localdate()
    assert not project().reports.filter(year=today.year, month=today.month).exists()


def test_the_chooser_offers_only_months_still_open(lead, demo_users):
    """Not the future, not a locked month, not a month already reported; the asked-for month
    is among them when it is open."""
    today = Period.current()
    previous = Period(today.year - (today.month == 1), 12 if today.month == 1 else today.month - 1)
    MonthLock.objects.create(year=previous.year, month=previous.month)
    MonthlyReport.objects.create(
        project=project(), year=today.year, month=today.month, amount=Decimal(1)
    )
    response = lead.get(create_url(year=2013, month=6))
    choices = response.context["choices"]
    assert Period(2013, 6) in choices
    assert today not in choices and previous not in choices
    assert all((p.year, p.month) <= (today.year, today.month) for p in choices)
    assert Period(2013, 5) not in choices  # reported in the demo
    assert len(choices) == 10 + 1  # the last twelve months less two, and June 2013


@pytest.mark.parametrize(
    "period, reason",
    [((2013, 5), "已填报"), ("locked", "项目办"), ("future", "尚未开始")],
)
def test_a_closed_month_says_why_and_offers_no_form(lead, period, reason):
    if period == "locked":
        MonthLock.objects.create(year=2013, month=6)
        period = (2013, 6)
    elif period == "future":
        later = timezone.localdate() + datetime.timedelta(days=40)
        period = (later.year, later.month)
    response = lead.get(create_url(year=period[0], month=period[1]))
    html = response.content.decode()
    assert response.status_code == 200
    assert reason in html
    assert 'name="amount"' not in html


def test_a_locked_month_shows_no_report_button_on_my_projects(lead):
    MonthLock.objects.create(year=2013, month=6, locked_by=User.objects.get(username="office"))
    html = lead.get(reverse("projects:my_projects"), {"year": 2013, "month": 6}).content.decode()
    assert create_url() not in html
    assert "已锁定" in html and "项目办" in html


def test_the_office_may_still_report_a_locked_month(client, demo_users):
    MonthLock.objects.create(year=2013, month=6)
    client.force_login(User.objects.get(username="office"))
    html = client.get(create_url(year=2013, month=6)).content.decode()
    assert 'name="amount"' in html


@pytest.mark.parametrize(
    "username, landing",
    [
        ("chenlixin", "projects:my_projects"),
        ("liaison", "projects:my_projects"),
        ("office", "projects:dashboard"),
        ("observer", "projects:dashboard"),
    ],
)
def test_after_login_a_reporter_lands_on_my_projects(client, demo_users, username, landing):
    response = client.post(
        reverse("login"), {"username": username, "password": "jiefang-demo-2013"}
    )
    assert response.status_code == 302
    assert response.url == reverse(landing)


@pytest.mark.parametrize(
    "username, landing", [("chenlixin", "projects:my_projects"), ("office", "projects:dashboard")]
)
def test_opening_the_site_root_and_logging_in_lands_by_role(client, demo_users, username, landing):
    """The address typed without a path (`/`) sends to the login page with next=/: a lead
    official still lands on 我的项目."""
    login = client.get("/")
    assert login.status_code == 302 and "next=/" in login.url
    response = client.post(
        login.url, {"username": username, "password": "jiefang-demo-2013", "next": "/"}
    )
    assert response.url == reverse(landing)


def test_login_keeps_the_page_asked_for(client, demo_users):
    response = client.post(
        reverse("login") + "?next=/problems/",
        {"username": "chenlixin", "password": "jiefang-demo-2013", "next": "/problems/"},
    )
    assert response.url == "/problems/"


def test_the_form_shows_what_to_report_against(lead):
    """Plan, the year so far before the month, last month's 形象进度 as the starting text,
    milestones due or overdue with their dates, and the open problems with deadlines."""
    milestone = Milestone.objects.create(
        project=project(), name="幕墙安装", planned_date=datetime.date(2013, 6, 10)
    )
    problem = Problem.objects.create(
        project=project(), description="临时用电容量不足", deadline=datetime.date(2013, 7, 1)
    )
    response = lead.get(create_url(year=2013, month=6))
    html = response.content.decode()
    panel = response.context["panel"]
    figures = Project.objects.filter(pk=project().pk).with_progress(2013, 5).get()
    assert panel.annual_plan == figures.annual_plan
    assert panel.ytd_before == figures.ytd  # January to May
    assert "30,000.00" in html and f"{figures.ytd:,.2f}" in html
    may = MonthlyReport.objects.get(project=project(), year=2013, month=5)
    assert response.context["form"]["physical_progress"].value() == may.physical_progress
    assert milestone.name in html and "2013-06-10" in html
    assert problem.description in html and "2013-07-01" in html


def test_calculate_shows_the_engines_figures_and_saves_nothing(lead):
    """计算 (the page without script) shows the rate and gap this amount would give; they are
    the figures the engine gives once the report is saved."""
    data = {"year": 2013, "month": 6, "amount": "3000", "physical_progress": "施工"}
    response = lead.post(create_url(), data | {"calculate": "1"})
    assert response.status_code == 200
    projection = response.context["projection"]
    assert not project().reports.filter(year=2013, month=6).exists()
    assert lead.post(create_url(), data).status_code == 302
    saved = Project.objects.filter(pk=project().pk).with_progress(2013, 6).get()
    assert (projection.ytd, projection.completion_rate, projection.gap) == (
        saved.ytd,
        saved.completion_rate,
        saved.gap,
    )
    html = response.content.decode()
    assert f"{saved.completion_rate:.2f}" in html and f"{saved.gap:.2f}" in html


def test_the_projection_for_the_script_matches_the_engine(lead):
    url = reverse("projects:report_projection", args=[project().pk])
    answer = lead.get(url, {"year": 2013, "month": 6, "amount": "3000"}).json()
    MonthlyReport.objects.create(project=project(), year=2013, month=6, amount=Decimal(3000))
    saved = Project.objects.filter(pk=project().pk).with_progress(2013, 6).get()
    assert answer == {
        "ytd": f"{saved.ytd:,.2f}",
        "completion_rate": f"{saved.completion_rate:.2f}",
        "gap": f"{saved.gap:.2f}",
    }


@pytest.mark.parametrize("amount", ["-1", "abc", "NaN", "1e30"])
def test_the_projection_refuses_bad_amounts_in_chinese(lead, amount):
    url = reverse("projects:report_projection", args=[project().pk])
    response = lead.get(url, {"year": 2013, "month": 6, "amount": amount})
    assert response.status_code == 400
    assert "金额" in response.json()["error"]


def test_the_projection_of_another_officials_project_is_not_found(lead):
    other = Project.objects.get(code="JF2013-002")
    url = reverse("projects:report_projection", args=[other.pk])
    assert lead.get(url, {"year": 2013, "month": 6, "amount": "1"}).status_code == 404


@pytest.mark.parametrize("field", ["physical_progress", "problems"])
def test_texts_are_limited_to_500_characters(lead, field):
    data = {"year": 2013, "month": 6, "amount": "10", "physical_progress": ""}
    response = lead.post(create_url(), data | {field: "字" * 501})
    assert response.status_code == 200
    assert "最多 500 个字" in response.content.decode()
    assert not project().reports.filter(year=2013, month=6).exists()
    assert lead.post(create_url(), data | {field: "字" * 500}).status_code == 302
    html = lead.get(create_url(year=2013, month=7)).content.decode()
    assert html.count('maxlength="500"') == 2 and 'data-counter="500"' in html


def test_my_projects_costs_the_same_queries_for_3_and_30_projects(
    client, zone, official, unit, office_user
):
    """我的项目 (the office sees every project) with its open problems: flat query count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.conftest import make_projects

    client.force_login(office_user)
    url = reverse("projects:my_projects")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"year": 2013, "month": 5}).status_code == 200
        return len(queries)

    make_projects(zone, 3, official=official, unit=unit, prefix="A")
    few = count()
    projects = make_projects(zone, 27, official=official, unit=unit, prefix="B")
    Problem.objects.bulk_create(
        Problem(project=p, description="问题", deadline=datetime.date(2013, 6, 1)) for p in projects
    )
    assert count() == few


def test_the_project_page_costs_the_same_queries_for_one_photo_and_five(lead):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.reporting.images import stored_photo

    report = MonthlyReport.objects.get(project=project(), year=2013, month=5)
    url = project().get_absolute_url() + "?year=2013&month=5"

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert lead.get(url).status_code == 200
        return len(queries)

    stored_photo(report)
    few = count()
    for _ in range(4):
        stored_photo(report)
    assert count() == few


@pytest.mark.parametrize("params", [{"month": "6"}, {"year": "2013"}, {"month": "x"}])
def test_a_half_given_or_unreadable_month_opens_the_form_not_an_error(lead, params):
    response = lead.get(create_url(**params))
    assert response.status_code == 200
    assert (
        'name="amount"' in response.content.decode() or "closed-reason" in response.content.decode()
    )


def test_a_negative_amount_gets_the_fields_message_not_a_constraint_name(lead):
    """ "约束 monthlyreport_amount_non_negative 是无效的" must never reach the user."""
    response = lead.post(
        create_url(year=2013, month=6),
        {"year": 2013, "month": 6, "amount": "-5", "physical_progress": "x"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "不能为负" in html
    assert "monthlyreport" not in html and "约束" not in html
    assert not project().reports.filter(year=2013, month=6).exists()


def test_with_no_other_month_open_the_chooser_says_so_instead_of_an_empty_box(lead):
    """Every month before this one locked: no 选择其他月份 box that opens on nothing."""
    current = Period.current()
    for back in range(1, 12):
        month = current.shifted(-back)
        MonthLock.objects.create(year=month.year, month=month.month)
    html = lead.get(create_url()).content.decode()
    assert '<details id="month-chooser"' not in html
    assert "没有其他可以填报的月份。" in html
    MonthLock.objects.filter(
        year=current.shifted(-1).year, month=current.shifted(-1).month
    ).delete()
    html = lead.get(create_url()).content.decode()
    assert '<details id="month-chooser">' in html
    assert current.shifted(-1).label in html.split('<details id="month-chooser">')[1]
