"""The plan as a district makes it, on the pages: the planned curve against the actual line,
前期手续 on the project page, in the packet and as a list filter, the national project code,
monthly plans in the admin and through the import template."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from projects.exchange.template import (
    LATITUDE,
    LONGITUDE,
    MONTH_HEADERS,
    NATIONAL_CODE,
    PROJECT_HEADERS,
    STAGE,
)
from projects.exchange.writing import run_import
from projects.models import AnnualPlan, Meeting, Milestone, MilestoneTemplate, MonthlyPlan, Project
from projects.register.scheduling import apply_milestone_template

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client, demo_users):
    client.force_login(User.objects.get(username="observer"))
    return client


def test_the_plan_chart_draws_the_engines_figures(reader):
    """Each point of the planned curve is the engine's planned_to_date for that month, and
    each point of the actual line its year-to-date."""
    project = Project.objects.get(code="JF2013-005")
    response = reader.get(project.get_absolute_url(), {"year": 2013, "month": 5})
    planned = dict(response.context["planned"])
    assert len(planned) == 12
    for month in range(1, 6):
        row = Project.objects.filter(pk=project.pk).with_progress(2013, month).get()
        assert planned[month] == row.planned_to_date
        assert response.context["months"][month - 1].ytd == row.ytd
    assert planned[12] == Decimal("18000.00")
    html = response.content.decode()
    assert 'id="plan-chart"' in html and "<polyline" in html
    assert "1月 720.00" in html  # the monthly split of the 2013 plan


def test_the_dashboard_plan_line_is_the_district_sum(reader):
    response = reader.get(reverse("projects:dashboard"), {"year": 2013, "month": 5})
    _rows, total = Project.objects.summary(2013, 5)
    assert dict(response.context["planned"])[5] == total["planned_to_date"]


@pytest.fixture
def approvals(demo):
    project = Project.objects.get(code="JF2013-001")  # actual start 2013-03-18
    template = MilestoneTemplate.objects.get(name="前期手续(标准)")
    milestones = apply_milestone_template(project, template, datetime.date(2013, 3, 1))
    first = milestones[0]
    first.actual_date, first.approval_number = datetime.date(2012, 11, 20), "焦发改〔2012〕88号"
    first.full_clean()  # an approval before construction starts is normal
    first.save()
    return project, milestones


def test_approvals_before_construction_are_allowed_but_construction_steps_are_not(approvals):
    project, milestones = approvals
    assert all(m.kind == Milestone.Kind.PREPARATION for m in milestones)
    step = Milestone(
        project=project,
        name="主体施工",
        planned_date=datetime.date(2013, 6, 1),
        actual_date=datetime.date(2013, 1, 1),
    )
    with pytest.raises(ValidationError):
        step.full_clean()


def test_the_project_page_shows_the_preparation_panel(reader, approvals):
    project, _milestones = approvals
    html = reader.get(project.get_absolute_url(), {"year": 2013, "month": 5}).content.decode()
    panel = html[html.index('id="preparation-table"') :]
    panel = panel[: panel.index("</table>")]
    assert "立项(备案/核准/审批)" in panel and "焦发改〔2012〕88号" in panel
    assert "施工许可" in panel and "逾期" in panel  # due 2013-03-01, not obtained


def test_the_packet_shows_the_preparation_panel(admin_client, approvals):
    client = admin_client
    meeting = Meeting.objects.get(year=2013, number=5)
    html = client.get(reverse("projects:meeting_print", args=[meeting.pk])).content.decode()
    section = html[html.index('id="preparation"') :]
    assert section.count('class="approval') == Milestone.objects.filter(kind="preparation").count()
    assert section.count('class="approval') >= 5
    assert "焦发改〔2012〕88号" in section and "tag-overdue" in section


@pytest.mark.parametrize("value", ["pending", "overdue"])
def test_the_list_finds_projects_stuck_in_preparation(reader, approvals, value):
    """Projects with an approval not obtained (overdue: past its planned date)."""
    response = reader.get(
        reverse("projects:project_list"), {"year": 2013, "month": 5, "preparation": value}
    )
    found = {row.record.code for row in response.context["table"].page.object_list}
    stuck = Milestone.objects.filter(kind="preparation", actual_date__isnull=True)
    assert found == set(stuck.values_list("project__code", flat=True))
    assert "JF2013-001" in found and "JF2013-004" not in found
    everything = reader.get(reverse("projects:project_list"), {"year": 2013, "month": 5})
    assert len(everything.context["table"].page.object_list) == 10


@pytest.mark.parametrize(
    "code, ok",
    [
        ("2013-410802-70-01-000123", True),
        ("2013-410802-70-01-00012", False),
        ("2013/410802/70/01/000123", False),
        ("２０13-410802-70-01-000123", False),
    ],
)
def test_the_national_code_is_checked(demo, code, ok):
    project = Project.objects.get(code="JF2013-001")
    project.national_code = code
    if ok:
        project.full_clean()
    else:
        with pytest.raises(ValidationError, match="24 位"):
            project.full_clean()


def test_the_national_code_is_unique_when_present_and_shown(reader):
    first, second = Project.objects.filter(code__in=["JF2013-001", "JF2013-002"]).order_by("code")
    first.national_code = "2013-410802-70-01-000123"
    first.save()
    second.national_code = first.national_code
    with pytest.raises(ValidationError, match="已有其他项目"):
        second.validate_constraints()
    Project.objects.filter(code__in=["JF2013-003", "JF2013-004"]).update(national_code="")
    html = reader.get(first.get_absolute_url()).content.decode()
    assert "2013-410802-70-01-000123" in html


def test_monthly_plans_and_the_code_round_trip_through_the_template(demo, tmp_path):
    """Export writes 1月计划…12月计划 and the code; importing it back changes nothing; a new
    split is written; blank months make the plan linear; a split that does not add up is
    refused naming the difference."""
    project = Project.objects.get(code="JF2013-001")
    project.national_code = "2013-410802-70-01-000123"
    project.save()
    path = tmp_path / "register.xlsx"
    call_command("export_projects", output=str(path), stdout=io.StringIO())
    sheet = openpyxl.load_workbook(path).worksheets[0]
    headings = [c.value for c in sheet[1]]
    assert headings == PROJECT_HEADERS + [NATIONAL_CODE, *MONTH_HEADERS, STAGE, LATITUDE, LONGITUDE]
    rows = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
    row = next(r for r in rows if r[0] == "JF2013-001" and r[10] == 2013)
    assert row[12] == "2013-410802-70-01-000123"
    assert row[13:25] == [
        float(v) for v in (1200, 1500, 2400, 3300, 3600, 3300, 3000, 2700, 2700, 2400, 2100, 1800)
    ]
    result = run_import("projects", path.read_bytes(), dry_run=False)
    assert result.ok and not result.update and not result.create

    def import_months(months):
        book = openpyxl.Workbook()
        book.active.append(headings)
        book.active.append(row[:13] + months)
        buffer = io.BytesIO()
        book.save(buffer)
        return run_import("projects", buffer.getvalue(), dry_run=False)

    plan = AnnualPlan.objects.get(project=project, year=2013)
    even = [2500] * 12
    assert import_months(even).ok
    assert [m.amount for m in plan.months.order_by("month")] == [Decimal(2500)] * 12
    assert import_months([None] * 12).ok
    assert not plan.months.exists()  # linear
    refused = import_months([2000] * 12)
    assert not refused.ok
    assert "6,000.00" in str(refused.errors[0]) and "1月计划" in str(refused.errors[0])
    assert not plan.months.exists()


def test_the_admin_refuses_months_that_do_not_add_up_and_spreads_quarters(admin_client, demo):
    plan = AnnualPlan.objects.get(project__code="JF2013-002", year=2013)
    url = reverse("admin:projects_annualplan_change", args=[plan.pk])
    form = {
        "project": plan.project_id,
        "year": 2013,
        "planned_investment": "25000.00",
        "target": "",
        "loaded_version": plan.version,  # the page carries the version it was opened at
        "months-TOTAL_FORMS": "12",
        "months-INITIAL_FORMS": "12",
        "months-MIN_NUM_FORMS": "0",
        "months-MAX_NUM_FORMS": "12",
    }
    for index, month in enumerate(plan.months.order_by("month")):
        form |= {
            f"months-{index}-id": month.pk,
            f"months-{index}-annual_plan": plan.pk,
            f"months-{index}-month": month.month,
            f"months-{index}-amount": "1000.00",
        }
    response = admin_client.post(url, form)
    assert response.status_code == 200
    assert "分月计划合计 12,000.00 万元" in response.content.decode()
    for index in range(12):
        form[f"months-{index}-DELETE"] = "on"
    response = admin_client.post(
        url, form | {"q1": "4000", "q2": "8000", "q3": "8000", "q4": "5000"}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    amounts = [m.amount for m in MonthlyPlan.objects.filter(annual_plan=plan).order_by("month")]
    assert amounts[:3] == [Decimal("1333.33"), Decimal("1333.33"), Decimal("1333.34")]
    assert sum(amounts) == Decimal("25000")
