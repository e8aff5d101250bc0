"""Validation rules shared by the admin, forms and imports: each with a Chinese message,
and nothing saved when it fails."""

import datetime
import re

import pytest
from django.db import IntegrityError, transaction
from django.forms import modelform_factory
from django.urls import reverse
from django.utils import timezone

from projects.models import AnnualPlan, Meeting, Milestone, MonthlyReport, Problem, Project
from tests.conftest import make_project

pytestmark = pytest.mark.django_db

TOMORROW = "tomorrow"  # read when the test runs: a run may cross midnight in Shanghai


def tomorrow():
    return (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


def form_errors(model, data, instance=None):
    """Validate `data` with a model form, as the admin and forms do; save if valid."""
    form = modelform_factory(model, fields="__all__")(data, instance=instance)
    if form.is_valid():
        form.save()
    return form.errors


def project_data(zone, **overrides):
    data = {
        "code": "V-1",
        "name": "校验项目",
        "zone": zone.pk,
        "total_investment": "1000.00",
        "category": Project.Category.COMMERCE,
        "status": Project.Status.PLANNING,
    }
    return data | overrides


def test_valid_project_is_saved(zone):
    assert form_errors(Project, project_data(zone)) == {}
    assert Project.objects.filter(code="V-1").exists()


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"total_investment": "-1"}, "total_investment", "金额不能为负数。"),
        ({"actual_start": TOMORROW}, "actual_start", "实际日期不能晚于今天。"),
        (
            {"actual_completion": TOMORROW},
            "actual_completion",
            "实际日期不能晚于今天。",
        ),
        (
            {"planned_start": "2013-06-01", "planned_completion": "2013-05-31"},
            "planned_completion",
            "计划竣工日期不能早于计划开工日期。",
        ),
    ],
)
def test_project_rules(zone, overrides, field, message):
    overrides = {key: tomorrow() if v == TOMORROW else v for key, v in overrides.items()}
    errors = form_errors(Project, project_data(zone, **overrides))
    assert errors[field] == [message]
    assert not Project.objects.exists()


def test_negative_annual_plan_is_refused(zone):
    project = make_project(zone)
    errors = form_errors(
        AnnualPlan, {"project": project.pk, "year": 2013, "planned_investment": "-5"}
    )
    assert errors["planned_investment"] == ["金额不能为负数。"]
    assert not AnnualPlan.objects.exists()


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"amount": "-0.01"}, "amount", "金额不能为负数。"),
        ({"month": "13"}, "month", "月份必须在 1 到 12 之间。"),
        ({"month": "0"}, "month", "月份必须在 1 到 12 之间。"),
    ],
)
def test_monthly_report_rules(zone, overrides, field, message):
    project = make_project(zone)
    data = {
        "project": project.pk,
        "year": 2013,
        "month": 5,
        "amount": "10",
        "submitted_at": "2013-06-01 09:00",
    }
    errors = form_errors(MonthlyReport, data | overrides)
    assert errors[field] == [message]
    assert not MonthlyReport.objects.exists()


def test_milestone_actual_date_not_in_future(zone):
    project = make_project(zone)
    data = {
        "project": project.pk,
        "name": "开工",
        "order": 1,
        "planned_date": "2013-05-01",
        "actual_date": tomorrow(),
    }
    assert form_errors(Milestone, data)["actual_date"] == ["实际日期不能晚于今天。"]
    assert not Milestone.objects.exists()


@pytest.fixture
def meeting(db):
    return Meeting.objects.create(number=5, date=datetime.date(2013, 5, 28), year=2013, month=5)


def problem_data(project, meeting, **overrides):
    data = {
        "project": project.pk,
        "meeting": meeting.pk,
        "description": "用地指标未落实",
        "disposition": Problem.Disposition.DEADLINE,
        "deadline": "2013-06-10",
        "status": Problem.Status.OPEN,
        "closing_note": "",
    }
    return data | overrides


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"deadline": ""}, "deadline", "限期解决的问题必须填写解决时限。"),
        ({"deadline": "2013-05-27"}, "deadline", "解决时限不能早于例会日期。"),
        ({"status": "closed"}, "closing_note", "销号必须填写销号说明。"),
        ({"status": "closed", "closing_note": "   "}, "closing_note", "销号必须填写销号说明。"),
    ],
)
def test_problem_rules(zone, meeting, overrides, field, message):
    project = make_project(zone)
    errors = form_errors(Problem, problem_data(project, meeting, **overrides))
    assert errors[field] == [message]
    assert not Problem.objects.exists()


def test_problem_solved_on_the_spot_needs_no_deadline_and_closes_with_a_note(zone, meeting):
    project = make_project(zone)
    data = problem_data(
        project, meeting, disposition="on_spot", deadline="", status="closed", closing_note="已协调"
    )
    assert form_errors(Problem, data) == {}
    problem = Problem.objects.get()
    assert problem.closed_at is not None


def test_database_refuses_negative_money_and_duplicates(zone):
    """The named constraints hold even when validation is bypassed."""
    project = make_project(zone)
    for make in (
        lambda: MonthlyReport.objects.create(project=project, year=2013, month=1, amount=-1),
        lambda: AnnualPlan.objects.create(project=project, year=2013, planned_investment=-1),
        lambda: MonthlyReport.objects.create(project=project, year=2013, month=13, amount=1),
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            make()
    MonthlyReport.objects.create(project=project, year=2013, month=1, amount=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        MonthlyReport.objects.create(project=project, year=2013, month=1, amount=2)
    assert MonthlyReport.objects.count() == 1


def test_duplicate_report_month_gets_a_chinese_message(zone):
    project = make_project(zone)
    MonthlyReport.objects.create(project=project, year=2013, month=1, amount=1)
    data = {
        "project": project.pk,
        "year": 2013,
        "month": 1,
        "amount": "10",
        "submitted_at": "2013-06-01 09:00",
    }
    errors = form_errors(MonthlyReport, data)
    assert errors["__all__"] == ["该项目该月的进展已填报，请修改原记录。"]
    assert MonthlyReport.objects.count() == 1


def test_baseline_is_the_first_planned_date(zone):
    project = make_project(zone)
    item = Milestone.objects.create(
        project=project, name="开工", planned_date=datetime.date(2013, 5, 1)
    )
    item.planned_date = datetime.date(2013, 7, 1)
    item.save()
    item.refresh_from_db()
    assert item.baseline_date == datetime.date(2013, 5, 1)
    assert item.slip_days == 61


def test_admin_add_form_shows_the_message(client, zone, office_user):
    """Through the admin itself: the error is shown in Chinese and nothing is saved."""
    office_user.is_superuser = True
    office_user.save()
    client.force_login(office_user)
    data = project_data(zone, total_investment="-3")
    data.update(
        {
            "annual_plans-TOTAL_FORMS": 0,
            "annual_plans-INITIAL_FORMS": 0,
            "milestones-TOTAL_FORMS": 0,
            "milestones-INITIAL_FORMS": 0,
        }
    )
    response = client.post(reverse("admin:projects_project_add"), data)
    assert response.status_code == 200
    assert "金额不能为负数。" in response.content.decode()
    assert not Project.objects.exists()


def test_every_constraint_speaks_chinese_not_its_name():
    """A constraint's violation reaches users in their words, never as its database name."""
    from django.apps import apps
    from django.utils import translation

    with translation.override("zh-hans"):
        for model in apps.get_app_config("projects").get_models():
            for constraint in model._meta.constraints:
                message = str(constraint.get_violation_error_message())
                assert constraint.name not in message, (model.__name__, message)
                assert re.search(r"[\u4e00-\u9fff]", message), (model.__name__, message)
