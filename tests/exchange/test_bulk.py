"""Set-based writes used by the import: the rows and change log they leave behind."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from projects.exchange import bulk
from projects.history import project_history
from projects.models import AnnualPlan, Project, Unit
from tests.conftest import make_project, plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def projects(zone, official, unit):
    return [
        make_project(
            zone,
            code=f"B-{n:03d}",
            lead_official=official,
            responsible_unit=unit,
            planned_start=datetime.date(2013, 3, 1),
        )
        for n in range(3)
    ]


def test_update_rows_writes_every_kind_of_field_and_the_next_version(projects, monkeypatch):
    monkeypatch.setattr(bulk, "BATCH", 2)  # two statements for three rows on SQLite
    other = Unit.objects.create(name="区住建局", kind=Unit.Kind.DEPARTMENT)
    first, second, third = projects
    first.name, first.total_investment = "新名称", Decimal("12345.67")
    second.planned_start, second.responsible_unit = None, other
    third.lead_official, third.planned_completion = None, datetime.date(2015, 6, 30)
    names = ["lead_official", "name", "planned_completion", "planned_start"]
    names += ["responsible_unit", "total_investment"]

    assert bulk.update_rows(Project, projects, names) == 3

    assert [p.version for p in projects] == [2, 2, 2]
    rows = Project.objects.order_by("code")
    assert [(p.name, p.total_investment, p.version) for p in rows] == [
        ("新名称", Decimal("12345.67"), 2),
        ("项目B-001", Decimal("10000.00"), 2),
        ("项目B-002", Decimal("10000.00"), 2),
    ]
    assert rows[1].planned_start is None and rows[1].responsible_unit == other
    assert rows[2].lead_official is None
    assert rows[2].planned_completion == datetime.date(2015, 6, 30)
    assert rows[0].planned_start == datetime.date(2013, 3, 1)


def test_update_rows_leaves_a_row_saved_meanwhile_alone(projects):
    first, second, _third = projects
    Project.objects.get(pk=second.pk).save()  # somebody else's save: version 2
    first.name = second.name = "导入的名称"

    assert bulk.update_rows(Project, [first, second], ["name"]) == 1

    assert Project.objects.get(pk=first.pk).name == "导入的名称"
    assert Project.objects.get(pk=second.pk).name == "项目B-001"


def test_update_rows_of_a_model_without_versions(projects):
    plans = [plan(project, 2013, "100") for project in projects]
    for annual in plans:
        annual.planned_investment = Decimal("250.50")
    assert bulk.update_rows(AnnualPlan, plans, ["planned_investment"]) == 3
    assert set(AnnualPlan.objects.values_list("planned_investment", flat=True)) == {
        Decimal("250.50")
    }


def test_copy_to_history_records_the_rows_as_they_stand_with_the_user(projects):
    user = User.objects.create_user("importer")
    first = projects[0]
    first.name = "改过的名称"
    bulk.update_rows(Project, [first], ["name"])

    bulk.copy_to_history(Project, [first.pk], user)

    record = Project.history.filter(id=first.pk).latest("history_id")
    assert (record.history_type, record.history_user, record.name, record.version) == (
        "~",
        user,
        "改过的名称",
        2,
    )
    assert record.lead_official_id == first.lead_official_id
    change = project_history(first)[0]
    assert change.user == "importer"  # the person's name; this account has none
    label = Project._meta.get_field("name").verbose_name
    assert (label, "项目B-000", "改过的名称") in change.changes


def test_copy_to_history_of_created_rows_without_a_user(projects):
    bulk.copy_to_history(Project, [p.pk for p in projects], None, "+")
    created = Project.history.filter(history_type="+", history_user=None)
    # each project has its own create record from save(), and now one copied record
    assert created.values("id").distinct().count() == 3
    assert created.count() == 6
