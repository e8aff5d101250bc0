"""Stages, their dated changes, the year's category and the counts behind 开工率 and 竣工率."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from projects.life.rates import Targets, not_started, start_rates
from projects.life.stages import change_stage
from projects.models import Project, Stage, StageChange, StartTarget
from projects.progress.period import Period
from tests.conftest import make_project

pytestmark = pytest.mark.django_db

D = datetime.date


def planned(zone, code, start=None, completion=None, **fields):
    return make_project(zone, code, planned_start=start, planned_completion=completion, **fields)


def test_a_change_is_dated_attributed_and_moves_the_dates(zone, office_user):
    """Moving a project to 新开工 records who, when, from and to, and fills the actual start."""
    project = planned(zone, "S-1", D(2013, 3, 1))
    change = change_stage(office_user, project, Stage.NEW_START, D(2013, 3, 18), " 施工许可证 ")
    project.refresh_from_db()
    assert (change.from_stage, change.to_stage, change.on) == (
        "preparation",
        "new_start",
        D(2013, 3, 18),
    )
    assert change.changed_by == office_user and change.note == "施工许可证"
    assert project.stage == Stage.NEW_START and project.actual_start == D(2013, 3, 18)
    assert project.history.latest().history_user == office_user


def test_only_the_office_changes_a_stage(zone, lead_user):
    project = planned(zone, "S-2", D(2013, 3, 1))
    with pytest.raises(PermissionDenied):
        change_stage(lead_user, project, Stage.NEW_START, D(2013, 3, 18))
    assert not StageChange.objects.exists()


@pytest.mark.parametrize(
    ("stage", "on", "field"),
    [
        ("preparation", D(2013, 3, 1), "to_stage"),  # already there
        ("nonsense", D(2013, 3, 1), "to_stage"),
        ("new_start", D(2099, 1, 1), "on"),  # in the future
    ],
)
def test_a_bad_change_changes_nothing(zone, office_user, stage, on, field):
    project = planned(zone, "S-3", D(2013, 3, 1))
    with pytest.raises(ValidationError) as error:
        change_stage(office_user, project, stage, on)
    assert field in error.value.message_dict
    assert not StageChange.objects.exists()


def test_a_change_cannot_be_dated_before_the_last(zone, office_user):
    project = planned(zone, "S-4", D(2013, 3, 1))
    change_stage(office_user, project, Stage.NEW_START, D(2013, 5, 1))
    with pytest.raises(ValidationError, match="2013-05-01"):
        change_stage(office_user, project, Stage.COMPLETED, D(2013, 4, 1))


def test_started_on_the_last_day_of_a_quarter_counts_in_that_quarter(zone, office_user):
    project = planned(zone, "S-5", D(2013, 2, 1))
    planned(zone, "S-6", D(2013, 8, 1))
    change_stage(office_user, project, Stage.NEW_START, D(2013, 3, 31))
    projects = Project.objects.all()
    assert projects.start_counts(2013, D(2013, 3, 31)) == {
        "planned_starts": 2,
        "started": 1,
        "planned_completions": 0,
        "completed": 0,
    }
    assert projects.start_counts(2013, D(2013, 3, 30))["started"] == 0


def test_a_stage_moved_back_counts_from_the_day_it_moved(zone, office_user):
    """Q1 keeps its start; from the day it moved back the project is not started, and the
    move is a change of its own."""
    project = planned(zone, "S-7", D(2013, 2, 1))
    change_stage(office_user, project, Stage.NEW_START, D(2013, 2, 10))
    change_stage(office_user, project, Stage.PREPARATION, D(2013, 5, 3), "施工许可被撤销")
    project.refresh_from_db()
    assert project.stage == Stage.PREPARATION and project.actual_start is None
    assert list(project.stage_changes.values_list("to_stage", flat=True)) == [
        "new_start",
        "preparation",
    ]
    projects = Project.objects.all()
    assert projects.start_counts(2013, D(2013, 3, 31))["started"] == 1
    assert projects.start_counts(2013, D(2013, 6, 30))["started"] == 0
    assert [p.code for p in not_started(projects, Period(2013, 6))] == ["S-7"]
    assert list(not_started(projects, Period(2013, 3))) == []


def test_without_changes_the_dates_decide(zone):
    planned(zone, "S-8", D(2013, 2, 1), D(2013, 11, 1), actual_start=D(2013, 4, 2))
    planned(
        zone,
        "S-9",
        D(2013, 2, 1),
        D(2013, 6, 1),
        actual_start=D(2012, 4, 2),
        actual_completion=D(2013, 6, 30),
    )
    counts = Project.objects.start_counts(2013, D(2013, 6, 30))
    assert counts == {"planned_starts": 2, "started": 2, "planned_completions": 2, "completed": 1}


def test_the_years_category_follows_from_stages_and_dates(zone, office_user):
    """新开工, 续建, 竣工投产 and 前期 are derived, never typed; a project done before the
    year is in no group."""
    planned(zone, "C-NEW", D(2013, 5, 1))
    planned(zone, "C-CONT", D(2012, 5, 1), actual_start=D(2012, 6, 1))
    planned(zone, "C-DONE", D(2012, 5, 1), D(2013, 10, 1), actual_start=D(2012, 6, 1))
    planned(zone, "C-PREP", D(2014, 5, 1))
    planned(
        zone, "C-OLD", D(2010, 5, 1), actual_start=D(2010, 6, 1), actual_completion=D(2012, 1, 1)
    )
    early = planned(zone, "C-EARLY", D(2014, 5, 1))
    change_stage(office_user, early, Stage.NEW_START, D(2013, 9, 1))
    categories = dict(Project.objects.with_year_category(2013).values_list("code", "year_category"))
    assert categories == {
        "C-NEW": "new_start",
        "C-CONT": "continuing",
        "C-DONE": "completed",
        "C-PREP": "preparation",
        "C-OLD": "",
        "C-EARLY": "new_start",
    }
    assert Project.objects.get(code="C-CONT").category == Project.Category.COMMERCE  # untouched


def test_targets_default_inherit_and_may_be_zero(zone):
    district = zone.region
    assert Targets(2013, 2).of(district.path) == (Decimal(60), Decimal(60))
    StartTarget.objects.create(
        region=district.parent, year=2013, quarter=2, start_rate=50, completion_rate=0
    )
    assert Targets(2013, 2).of(district.path) == (Decimal(50), Decimal(0))
    StartTarget.objects.create(
        region=district, year=2013, quarter=2, start_rate=0, completion_rate=0
    )
    planned(zone, "T-1", D(2013, 5, 1), D(2013, 5, 1))
    rates = start_rates(Project.objects.all(), Period(2013, 6), district)
    total = rates.total
    assert (total.start_rate, total.start_target) == (Decimal(0), Decimal(0))
    assert not total.start_behind and not total.completion_behind  # 0 of 0% is met
    assert rates.zones[0].label == zone.name and rates.zones[0].planned_starts == 1
