"""序时进度 from a monthly plan (分月计划): curved plans at the light boundaries, Decimal-exact
on both databases, mid-year starts, plan-weighted totals, and splits that must add up."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from projects.models import AnnualPlan, Light, MonthlyPlan, Project
from projects.progress.period import Period
from tests.conftest import make_project, plan, report

pytestmark = pytest.mark.django_db


def split(annual_plan, amounts):
    MonthlyPlan.objects.bulk_create(
        MonthlyPlan(annual_plan=annual_plan, month=month, amount=Decimal(amount))
        for month, amount in enumerate(amounts, start=1)
    )


def progress(project, month):
    return Project.objects.with_progress(2013, month).get(pk=project.pk)


# Nothing planned in the winter months 1–3; the building season carries the year.
WINTER = ["0", "0", "0", "500", "1000", "1500", "1500", "1500", "1500", "1500", "500", "500"]
# Front-loaded: most of the money early.
FRONT = ["3000", "2000", "1000", "1000", "500", "500", "500", "500", "400", "300", "200", "100"]


@pytest.mark.parametrize(
    "months, month, ytd, schedule, gap, light",
    [
        # June, winter plan: 3,000 of 10,000 due (30.00 %).
        (WINTER, 6, "2000.00", "30.00", "10.00", Light.YELLOW),
        (WINTER, 6, "2001.00", "30.00", "9.99", Light.GREEN),
        # March, winter plan: nothing due, nothing behind.
        (WINTER, 3, "0.00", "0.00", "0.00", Light.GREEN),
        # February, front-loaded: 5,000 due (50.00 %); exactly 30.00 points is still yellow.
        (FRONT, 2, "2000.00", "50.00", "30.00", Light.YELLOW),
        (FRONT, 2, "1999.00", "50.00", "30.01", Light.RED),
        # September, front-loaded: 9,400 due (94.00 %).
        (FRONT, 9, "8400.00", "94.00", "10.00", Light.YELLOW),
    ],
)
def test_curved_plans_at_the_light_boundaries(zone, months, month, ytd, schedule, gap, light):
    project = make_project(zone, "C")
    split(plan(project, 2013, "10000.00"), months)
    report(project, 2013, month, ytd)
    row = progress(project, month)
    assert row.time_schedule == Decimal(schedule)
    assert row.gap == Decimal(gap)
    assert row.light == light


def test_thirds_are_exact(zone):
    """A plan of 30,000 with 10,000 due by September: 33.33 %; 7,000 done is 23.33 %, exactly
    10.00 points behind (yellow) — no float slip on either database."""
    project = make_project(zone, "T")
    split(plan(project, 2013, "30000.00"), ["0"] * 8 + ["10000", "10000", "5000", "5000"])
    report(project, 2013, 9, "7000.00")
    row = progress(project, 9)
    assert (row.time_schedule, row.completion_rate, row.gap) == (
        Decimal("33.33"),
        Decimal("23.33"),
        Decimal("10.00"),
    )
    assert row.light == Light.YELLOW


def test_without_a_split_the_schedule_stays_linear(zone):
    project = make_project(zone, "L")
    plan(project, 2013, "12000.00")
    row = progress(project, 9)
    assert row.time_schedule == Decimal("75.00")
    assert row.planned_to_date == Decimal("9000.00")


def test_totals_are_plan_weighted(zone):
    """Σ plans due by the month ÷ Σ annual plans: a winter plan and a linear one in March."""
    winter = make_project(zone, "W")
    split(plan(winter, 2013, "10000.00"), WINTER)
    linear = make_project(zone, "L")
    plan(linear, 2013, "30000.00")
    _rows, total = Project.objects.summary(Period(2013, 3))
    # 0 of 10,000 and 7,500 of 30,000 due: 7,500 / 40,000 = 18.75 %.
    assert total["time_schedule"] == Decimal("18.75")
    assert total["planned_to_date"] == Decimal("7500.00")


def test_a_split_that_does_not_add_up_is_refused_naming_the_difference(zone):
    annual = plan(make_project(zone, "X"), 2013, "10000.00")
    with pytest.raises(ValidationError) as refused:
        annual.check_months([Decimal("800")] * 12)
    assert "9,600.00" in str(refused.value) and "400.00" in str(refused.value)
    annual.check_months([Decimal(a) for a in WINTER])  # adds up: no error


def test_quarters_are_spread_evenly_within_the_quarter():
    months = AnnualPlan.spread_quarters(
        [Decimal("1000"), Decimal("3000"), Decimal("3000"), Decimal("3000")]
    )
    assert months[:3] == [Decimal("333.33"), Decimal("333.33"), Decimal("333.34")]
    assert sum(months) == Decimal("10000")


def test_a_plan_starting_in_a_later_year_is_not_due(zone):
    project = make_project(zone, "N", planned_start=datetime.date(2014, 3, 1))
    plan(project, 2013, "1000.00")
    assert progress(project, 12).time_schedule == Decimal("0.00")


def test_the_districts_plan_curve_is_the_sum_of_each_projects_plan_to_date(zone):
    """curves() (one query, for the charts) agrees month by month with the engine's
    planned_to_date summed over projects: a split plan, a linear one starting in July, a
    linear one all year; completed is the year-to-date."""
    split_project = make_project(zone, "A")
    split(plan(split_project, 2013, "10000.00"), WINTER)
    july = make_project(zone, "B", planned_start=datetime.date(2013, 7, 1))
    plan(july, 2013, "6000.00")
    all_year = make_project(zone, "C", planned_start=datetime.date(2012, 5, 1))
    plan(all_year, 2013, "1200.00")
    report(split_project, 2013, 4, "700.00")
    report(all_year, 2013, 8, "300.00")
    planned, completed = Project.objects.curves(2013)
    for month in range(1, 13):
        _rows, total = Project.objects.summary(2013, month)
        assert planned[month] == (month, total["planned_to_date"]), month
        assert completed[month] == (month, total["ytd"]), month
    assert planned[12][1] == Decimal("17200.00")
