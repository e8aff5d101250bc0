"""The progress table: it holds exactly the engine's figures, every write that changes a
figure recomputes its project, and a month is rebuilt when its as-of day passes."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.exchange.template import template_workbook
from projects.exchange.writing import run_import
from projects.models import (
    AnnualPlan,
    Light,
    Meeting,
    MonthlyPlan,
    MonthlyReport,
    Problem,
    ProgressPeriod,
    Project,
    ProjectProgress,
)
from projects.progress import store
from projects.progress.period import Period
from tests.conftest import make_project, make_projects, milestone, plan, report

pytestmark = pytest.mark.django_db

JUNE = Period(2013, 6)  # time schedule 50.00 %, as of 2013-06-30


def stored(project, period=JUNE):
    return Project.objects.with_stored_progress(period).get(pk=project.pk)


def engine(project, period=JUNE):
    return Project.objects.with_progress(period).get(pk=project.pk)


def figures(row):
    return {name: getattr(row, name) for name in store.FIGURES}


def test_the_table_holds_the_engines_figures_for_every_project_of_the_demo(demo):
    period = MonthlyReport.objects.latest_period()
    live = {
        row[0]: row[1:]
        for row in Project.objects.with_progress(period).values_list("pk", *store.FIGURES)
    }
    kept = {
        row[0]: row[1:]
        for row in Project.objects.with_stored_progress(period).values_list("pk", *store.FIGURES)
    }
    assert kept == live
    assert ProjectProgress.objects.filter(year=period.year, month=period.month).count() == len(live)
    lights = {row[-1] for row in live.values()}
    assert {Light.GREEN.rank, Light.YELLOW.rank, Light.RED.rank} <= lights  # a real mix
    assert store.disagreements(Project, period) == []


@pytest.fixture
def june(zone):
    """A project on pace in June 2013 (green), with its month already in the table."""
    project = make_project(zone, "S-1", planned_start=datetime.date(2013, 1, 1))
    plan(project, 2013, "10000.00")
    report(project, 2013, 6, "5000.00")
    assert stored(project).light == Light.GREEN
    return project


def change_report(project):
    row = MonthlyReport.objects.get(project=project, year=2013, month=6)
    row.amount = Decimal("1000.00")
    row.save()


def delete_report(project):
    MonthlyReport.objects.get(project=project, year=2013, month=6).delete()


def raise_plan(project):
    row = AnnualPlan.objects.get(project=project, year=2013)
    row.planned_investment = Decimal("30000.00")
    row.save()


def split_plan(project):
    """Most of the year's plan due by June: 5,000 done of 9,000 planned is 40 points behind."""
    annual = AnnualPlan.objects.get(project=project, year=2013)
    for month in range(1, 13):
        MonthlyPlan.objects.create(
            annual_plan=annual, month=month, amount=Decimal("1500.00" if month <= 6 else "166.67")
        )


def overdue_milestone(project):
    milestone(project, "开工", datetime.date(2013, 5, 1))


def start_later(project):
    """Planned to start in June: the linear schedule is 1/7 by June, far ahead of it."""
    row = Project.objects.get(pk=project.pk)
    row.planned_start = datetime.date(2013, 6, 1)
    row.save()


def open_problem(project):
    Problem.objects.create(project=project, description="征地", deadline=datetime.date(2013, 6, 1))


def move_meeting(project):
    """A problem raised at a meeting after June does not count in June until the meeting
    moves into June."""
    meeting = Meeting.objects.create(number=7, year=2013, month=7, date=datetime.date(2013, 7, 20))
    Problem.objects.create(
        project=project, meeting=meeting, description="资金", deadline=datetime.date(2013, 6, 10)
    )
    assert stored(project).open_problems == 0
    meeting.date = datetime.date(2013, 6, 20)
    meeting.save()


@pytest.mark.parametrize(
    "write, figure",
    [
        (change_report, "ytd"),
        (delete_report, "ytd"),
        (raise_plan, "light_rank"),
        (split_plan, "time_schedule"),
        (overdue_milestone, "overdue_milestones"),
        (start_later, "time_schedule"),
        (open_problem, "overdue_problems"),
        (move_meeting, "open_problems"),
    ],
)
def test_every_write_that_changes_a_figure_recomputes_the_projects_row(june, write, figure):
    before = figures(stored(june))
    write(june)
    after = figures(stored(june))
    assert after[figure] != before[figure]
    assert after == figures(engine(june))
    assert_month_totals()


def assert_month_totals():
    """Each month held agrees with the engine, its totals add up its rows, and the month's
    completed total is the sum of its reports."""
    for held in ProgressPeriod.objects.all():
        period = Period(held.year, held.month)
        assert store.disagreements(Project, period) == []
        reports = MonthlyReport.objects.filter(year=held.year, month=held.month)
        assert completed(period) == sum(report.amount for report in reports)


def completed(period):
    """The month's completed investment, from the totals."""
    return store.month_sums(Project, period.year)[period.month][1]


def test_a_write_recomputes_every_month_held_and_leaves_other_projects_alone(june, zone):
    other = make_project(zone, "S-2")
    plan(other, 2013, "100.00")
    may = Period(2013, 5)
    stored(june, may)
    untouched = ProjectProgress.objects.get(project=other, year=2013, month=6).pk
    report(june, 2013, 4, "2000.00")
    assert stored(june, may).ytd == Decimal("2000.00")
    assert stored(june).ytd == Decimal("7000.00")
    assert ProjectProgress.objects.get(project=other, year=2013, month=6).pk == untouched
    report(june, 2013, 5, "300.00")
    report(other, 2013, 5, "40.00")
    assert completed(may) == Decimal("340.00")
    assert_month_totals()


def test_a_new_project_gets_its_rows_and_a_deleted_one_loses_them(june, zone):
    newcomer = make_project(zone, "S-3")
    assert ProjectProgress.objects.filter(project=newcomer, year=2013, month=6).exists()
    assert stored(newcomer).light == Light.NONE
    newcomer.delete()
    assert not ProjectProgress.objects.filter(project_id=newcomer.pk).exists()


def test_deleting_a_project_with_its_reports_takes_it_out_of_the_table_and_the_totals(june, zone):
    other = make_project(zone, "S-2")
    report(other, 2013, 6, "700.00")
    open_problem(june)
    milestone(june, "开工", datetime.date(2013, 9, 1))
    assert completed(JUNE) == Decimal("5700.00")
    Project.objects.get(pk=june.pk).delete()  # its reports, plan, problem and milestone too
    connection.check_constraints()  # no row left behind for a project that is gone
    assert not ProjectProgress.objects.filter(project_id=june.pk).exists()
    assert completed(JUNE) == Decimal("700.00")
    assert stored(other).month_amount == Decimal("700.00")
    assert_month_totals()
    report(other, 2013, 5, "10.00")  # later writes in the same thread recompute as before
    assert stored(other).ytd == Decimal("710.00")


def test_a_problem_moved_to_another_project_recomputes_both(june, zone):
    other = make_project(zone, "S-2")
    problem = Problem.objects.create(
        project=june, description="征地", deadline=datetime.date(2013, 6, 1)
    )
    assert (stored(june).overdue_problems, stored(other).overdue_problems) == (1, 0)
    problem = Problem.objects.get(pk=problem.pk)  # as a form loads it
    problem.project = other
    problem.save()
    assert (stored(june).overdue_problems, stored(other).overdue_problems) == (0, 1)


def test_an_import_written_in_bulk_recomputes_its_projects(june, office_user):
    data = template_workbook("progress", [["S-1", 2013, 6, 8000, "主体完工", ""]])
    result = run_import("progress", data, user=office_user, dry_run=False)
    assert result.written, [str(error) for error in result.errors]
    assert stored(june).ytd == Decimal("8000.00")
    assert store.disagreements(Project, JUNE) == []


def test_changed_light_thresholds_rebuild_the_month(june, settings):
    """On pace (0 points behind) is green; with yellow from 1 point ahead it is yellow."""
    settings.JIEFANG_LIGHT_YELLOW_GAP = Decimal("-1")
    assert stored(june).light == Light.YELLOW
    assert ProgressPeriod.objects.get(year=2013, month=6).rules == store.rules()


def test_the_current_month_is_rebuilt_when_the_day_passes(zone):
    """As of today, a milestone due tomorrow is not overdue; the day after it is, and the
    table says so without any write."""
    with time_machine.travel(
        datetime.datetime(2026, 3, 10, 9, tzinfo=timezone.get_current_timezone())
    ):
        project = make_project(zone, "D-1")
        plan(project, 2026, "1200.00")
        report(project, 2026, 3, "300.00")
        milestone(project, "开工", datetime.date(2026, 3, 11))
        march = Period(2026, 3)
        assert march.as_of == datetime.date(2026, 3, 10)
        assert stored(project, march).overdue_milestones == 0
    with time_machine.travel(
        datetime.datetime(2026, 3, 12, 9, tzinfo=timezone.get_current_timezone())
    ):
        row = stored(project, march)
        assert row.overdue_milestones == 1
        assert row.max_delay == 1
        assert row.light == Light.YELLOW
        assert ProgressPeriod.objects.get(year=2026, month=3).as_of == datetime.date(2026, 3, 12)


def test_loading_fixtures_forgets_the_table(demo):
    """Fixtures are saved raw (loaded again over the demo here): the table forgets every
    month and builds it again from the engine on the next read."""
    period = MonthlyReport.objects.latest_period()
    store.ensure(Project, period)
    assert ProgressPeriod.objects.exists()
    call_command("loaddata", "demo", verbosity=0)
    assert not ProgressPeriod.objects.exists()
    kept = Project.objects.with_stored_progress(period).values_list("pk", *store.FIGURES)
    live = Project.objects.with_progress(period).values_list("pk", *store.FIGURES)
    assert sorted(kept) == sorted(live)
    assert len(kept) > 1


def test_the_command_builds_checks_and_prunes(demo, capsys):
    call_command("refresh_progress")
    today = timezone.localdate()
    current = Period(today.year, today.month)
    latest = MonthlyReport.objects.latest_period()
    whole_years = {(today.year, month) for month in range(1, 13)} | {
        (latest.year, month) for month in range(1, 13)
    }
    assert set(ProgressPeriod.objects.values_list("year", "month")) == whole_years | {
        (current.shifted(-1).year, current.shifted(-1).month)
    }
    call_command("refresh_progress", "--check")
    assert _("The progress table agrees with the engine.") in capsys.readouterr().out

    # A row changed behind the engine's back is found and named, and so is its group's total,
    # which no longer adds up its rows.
    row = ProjectProgress.objects.filter(year=latest.year, month=latest.month).first()
    ProjectProgress.objects.filter(pk=row.pk).update(ytd=row.ytd + 1)
    with pytest.raises(CommandError) as refused:
        call_command("refresh_progress", "--check")
    assert str(refused.value) == _(
        "The progress table differs from the engine in %(count)s figure(s)."
    ) % {"count": 2}
    err = capsys.readouterr().err
    assert _("project %(pk)s") % {"pk": row.project_id} + " ytd" in err
    total = _("total of zone %(zone)s, lead official %(official)s") % {
        "zone": row.zone_id,
        "official": row.lead_official_id or "-",
    }
    assert total + " ytd" in err

    # --rebuild forgets it and builds anew.
    call_command("refresh_progress", "--rebuild")
    call_command("refresh_progress", "--check")

    # A month no page has read for a week is dropped; one read six days ago is kept.
    for month, days in ((1, 8), (2, 6)):
        ProgressPeriod.objects.create(
            year=2012,
            month=month,
            as_of=datetime.date(2012, month, 1),
            rules=store.rules(),
            used_on=today - datetime.timedelta(days=days),
        )
    call_command("refresh_progress")
    assert not ProgressPeriod.objects.filter(year=2012, month=1).exists()
    assert ProgressPeriod.objects.filter(year=2012, month=2).exists()


def test_the_command_refuses_a_bad_month():
    with pytest.raises(CommandError) as refused:
        call_command("refresh_progress", "--month", "2013/6")
    assert str(refused.value) == _("Give the month as YYYY-MM, like 2025-10.")
    assert not ProgressPeriod.objects.exists()


@pytest.mark.parametrize("count", [3, 30])
def test_building_a_month_takes_the_same_statements_for_any_number_of_projects(zone, count):
    """Check, lock (on PostgreSQL), check again, delete the rows, one INSERT … SELECT,
    delete the totals, one INSERT … SELECT of them, and the month's record (an UPDATE, then
    an INSERT the first time)."""
    make_projects(zone, count)
    with CaptureQueriesContext(connection) as queries:
        assert store.ensure(Project, JUNE)
    statements = [query["sql"] for query in queries if "SAVEPOINT" not in query["sql"]]
    assert len(statements) <= 9
    assert sum(sql.startswith("INSERT INTO") for sql in statements) == 3  # rows, totals, month
    assert ProjectProgress.objects.filter(year=2013, month=6).count() == count
    with CaptureQueriesContext(connection) as queries:
        assert not store.ensure(Project, JUNE)
    assert len(queries) == 1  # a month already built costs one lookup


def test_totals_read_the_table_not_the_reports(demo):
    """The set-based totals: once the month is in the table, adding up zones or officials
    never touches the reports, milestones or problems (no per-project subqueries)."""
    period = MonthlyReport.objects.latest_period()
    store.ensure(Project, period)
    with CaptureQueriesContext(connection) as queries:
        Project.objects.summary(period)
        Project.objects.summary(period, by="lead_official")
    text = " ".join(query["sql"] for query in queries)
    for table in ("monthlyreport", "milestone", "problem", "annualplan", "monthlyplan"):
        assert f"projects_{table}" not in text, table


def test_the_dashboards_curves_add_up_the_months_held_and_agree_with_the_reports(demo):
    period = MonthlyReport.objects.latest_period()
    direct_planned, direct_completed = Project.objects.curves(period.year)
    expected = (direct_planned, direct_completed[: period.month + 1])
    # Not every month of the year held: the curves come from the plans and reports.
    store.ensure(Project, period)
    assert set(store.month_sums(Project, period.year)) == {period.month}
    assert Project.objects.pace(period) == expected
    # Every month held: both curves add up the table's totals, to the same numbers.
    for month in range(1, 13):
        store.ensure(Project, Period(period.year, month))
    assert set(store.month_sums(Project, period.year)) == set(range(1, 13))
    with CaptureQueriesContext(connection) as queries:
        assert Project.objects.pace(period) == expected
    text = " ".join(query["sql"] for query in queries)
    for table in ("monthlyreport", "annualplan", "monthlyplan"):
        assert f"projects_{table}" not in text, table
    # A report written now moves both alike.
    project = Project.objects.order_by("code").first()
    report(project, period.year, period.month, "123.45") if not MonthlyReport.objects.filter(
        project=project, year=period.year, month=period.month
    ).exists() else None
    changed = MonthlyReport.objects.get(project=project, year=period.year, month=period.month)
    changed.amount += Decimal("10.00")
    changed.save()
    planned, completed = Project.objects.curves(period.year)
    assert Project.objects.pace(period) == (planned, completed[: period.month + 1])
    assert_month_totals()
