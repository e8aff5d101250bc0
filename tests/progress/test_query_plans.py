"""The heaviest queries use their indexes (PostgreSQL): EXPLAIN of a page of 50 projects with
their progress reads the monthly reports only by index lookups on the project (no sequential
scan, no scan of a whole month's reports per project), and a month's reports are found by
their period index.

The test database is small, so the planner would rightly scan it whole; after ANALYZE,
`enable_seqscan = off` makes it take the index it finds best, which is what is checked here."""

import pytest
from django.db import connection

from projects.models import MonthlyReport, Project
from projects.progress.period import Period
from tests.conftest import make_projects

pytestmark = pytest.mark.django_db

REPORTS = MonthlyReport._meta.db_table


@pytest.fixture
def explain():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the plans checked are PostgreSQL's")

    def plan(queryset):
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            return "\n".join(row[0] for row in cursor.fetchall())

    return plan


def test_a_page_of_projects_with_progress_reads_reports_by_index(explain, zone, official, unit):
    make_projects(zone, 60, official=official, unit=unit)
    page = Project.objects.with_progress(Period(2013, 5)).order_by("code")[:50]
    plan = explain(page)
    assert f"Seq Scan on {REPORTS}" not in plan, plan
    lines = plan.splitlines()
    reads = [i for i, line in enumerate(lines) if f"on {REPORTS}" in line]
    assert len(reads) >= 3  # this month, the year to date, since the start
    for i in reads:
        # Each read of the reports looks up this project's rows through an index.
        condition = next(line for line in lines[i + 1 :] if "Cond:" in line)
        assert "project_id = projects_project.id" in condition, "\n".join(lines[i : i + 4])


def test_a_months_reports_are_found_by_index(explain, zone, official, unit):
    make_projects(zone, 10, official=official, unit=unit)
    plan = explain(MonthlyReport.objects.filter(year=2013, month=5))
    assert f"Seq Scan on {REPORTS}" not in plan, plan


def test_a_page_of_red_projects_reads_the_progress_table_by_index(explain, zone, official, unit):
    make_projects(zone, 60, official=official, unit=unit)
    page = (
        Project.objects.with_stored_progress(Period(2013, 5))
        .filter(light_rank=2)
        .order_by("-gap", "code")[:50]
    )
    plan = explain(page)
    assert "Seq Scan on projects_projectprogress" not in plan, plan
    assert REPORTS not in plan, plan  # the figures come from the table, not the reports


def test_the_dashboards_most_overdue_problems_are_read_in_deadline_order(explain, zone):
    from projects.models import Problem
    from tests.conftest import make_project

    # Enough problems that reading them all to sort them is plainly dearer than walking the
    # deadline's index to the page (with 28 on one project the two plans cost about the same,
    # and the planner's choice followed the statistics earlier tests had left).
    projects = [make_project(zone, f"P-{number}") for number in range(10)]
    Problem.objects.bulk_create(
        Problem(
            project=project,
            description=f"问题{index}-{day}",
            deadline=f"2013-{1 + (index + day) % 5:02d}-{day:02d}",
        )
        for index, project in enumerate(projects)
        for day in range(1, 29)
        for _copy in range(4)
    )
    page = Problem.objects.most_overdue(Period(2013, 6).as_of).select_related("project")[:20]
    plan = explain(page)
    assert "problem_deadline" in plan, plan  # walked in order, stopping at the page
    assert "Sort" not in plan.split("problem_deadline")[0], plan
