"""Rows written around the signals and rebuilds as tasks: a project the progress table lacks
(bulk_create, a repair in SQL) is written when the workbook reads the month, and a change
that leaves the table to build (seed_scale's bulk writes) enqueues the rebuild at once."""

import datetime
import io
import zoneinfo
from decimal import Decimal

import openpyxl
import pytest
import time_machine
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from projects.exchange.workbook import progress_workbook
from projects.models import (
    AnnualPlan,
    MonthlyReport,
    ProgressPeriod,
    Project,
    ProjectProgress,
    Zone,
    clear_progress,
    months_to_hold,
    rebuild_soon,
)
from projects.progress.period import Period
from tests.conftest import run_tasks

pytestmark = pytest.mark.django_db

MAY = Period(2013, 5)
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def bulk_project(zone):
    """A project with a plan of 1,200 and five reports of 50, written by bulk_create (no
    signal: the progress table does not hear of it)."""
    [project] = Project.objects.bulk_create(
        [
            Project(
                code="BULK-1",
                name="批量项目",
                zone=zone,
                region_id=zone.region_id,
                total_investment=Decimal(10000),
            )
        ]
    )
    AnnualPlan.objects.bulk_create(
        [AnnualPlan(project=project, year=2013, planned_investment=Decimal(1200))]
    )
    MonthlyReport.objects.bulk_create(
        MonthlyReport(project=project, year=2013, month=m, amount=Decimal(50)) for m in range(1, 6)
    )
    return project


def test_a_project_missing_from_the_table_is_in_the_progress_workbook(demo):
    """A project bulk-created with its reports after the month was built (no signal) does not
    break the workbook: its row shows its own figures, and the total counts it."""
    Project.objects.with_stored_progress(MAY).count()  # May is held
    project = bulk_project(Zone.objects.first())
    assert not ProjectProgress.objects.filter(project=project).exists()
    sheet = openpyxl.load_workbook(io.BytesIO(progress_workbook(MAY)))["进展情况"]
    rows = {row[1]: row for row in sheet.iter_rows(min_row=5, values_only=True)}
    row = rows[project.name]
    # 总投资, 年度计划, 本月完成, 1-5月 (five reports of 50)
    assert row[4:8] == (10000, 1200, 50, 250)
    live = Project.objects.with_progress(MAY)
    assert rows["合计"][7] == sum(p.ytd or Decimal(0) for p in live)
    assert ProjectProgress.objects.filter(project=project, year=2013, month=5).exists()


def test_a_change_that_leaves_the_table_to_build_enqueues_the_rebuild(
    demo, django_capture_on_commit_callbacks
):
    """After bulk writes clear the table (seed_scale), a rebuild is enqueued once the writes
    commit; a worker then builds every month to hold, with no reader waiting for it."""
    clear_progress()
    before = DBTaskResult.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        rebuild_soon()
    assert DBTaskResult.objects.count() == before + 1
    assert not ProgressPeriod.objects.exists()
    run_tasks()
    held = {Period(y, m) for y, m in ProgressPeriod.objects.values_list("year", "month")}
    assert held >= months_to_hold()
    assert ProjectProgress.objects.filter(year=2013, month=5).count() == Project.objects.count()


def test_a_new_day_has_a_worker_rebuild_the_month_in_progress(demo):
    """The first reminder pass of a new day enqueues the rebuild of the month in progress
    (held as of yesterday); the worker builds it as of today, before anyone reads it."""
    with time_machine.travel(datetime.datetime(2026, 11, 4, 8, tzinfo=SHANGHAI), tick=False):
        Project.objects.with_stored_progress(Period.current()).count()
        before = DBTaskResult.objects.count()
        call_command("send_reminders", stdout=io.StringIO())
        assert DBTaskResult.objects.count() == before  # the month is current: nothing to do
    with time_machine.travel(datetime.datetime(2026, 11, 5, 0, 10, tzinfo=SHANGHAI), tick=False):
        call_command("send_reminders", stdout=io.StringIO())
        assert DBTaskResult.objects.count() == before + 1
        run_tasks()
        held = ProgressPeriod.objects.get(year=2026, month=11)
        assert held.as_of == datetime.date(2026, 11, 5)
