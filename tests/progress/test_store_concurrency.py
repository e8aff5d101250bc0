"""The progress table under concurrent writers (PostgreSQL, where app servers run at once): a
month being built waits for a write in progress and includes it."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction

from projects.models import Project
from projects.progress import store
from projects.progress.period import Period
from tests.conftest import make_project, plan, report

# serialized_rollback: see tests/operations/test_bench.py.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

JUNE = Period(2013, 6)


def test_a_build_waits_for_a_write_in_progress_and_includes_it(zone):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite runs one writer at a time")
    project = make_project(zone, "C-1")
    plan(project, 2013, "10000.00")
    written, release, built = threading.Event(), threading.Event(), threading.Event()

    def writer():
        try:
            with transaction.atomic():
                report(project, 2013, 6, "5000.00")  # its refresh holds the shared lock
                written.set()
                release.wait(10)
        finally:
            connection.close()

    def builder():
        try:
            store.ensure(Project, JUNE)
            built.set()
        finally:
            connection.close()

    threads = [threading.Thread(target=writer)]
    threads[0].start()
    assert written.wait(10)
    threads.append(threading.Thread(target=builder))
    threads[1].start()
    assert not built.wait(1)  # the build waits for the write's transaction
    release.set()
    for thread in threads:
        thread.join(10)
    assert built.is_set()
    row = Project.objects.with_stored_progress(JUNE).get(pk=project.pk)
    assert row.ytd == Decimal("5000.00")
    assert store.disagreements(Project, JUNE) == []


def test_two_writers_adding_the_first_projects_of_a_new_group_make_one_total(zone):
    """The second writer's insert of the group's total waits for the first's, then adds its
    difference to that row: one row holding both projects."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite runs one writer at a time")
    from projects.models import Official, ProgressTotal

    store.ensure(Project, JUNE)
    newcomer = Official.objects.create(name="新领导", position="区长助理")
    first_in, errors = threading.Event(), []

    def writer(code, hold):
        try:
            with transaction.atomic():
                project = make_project(zone, code, lead_official=newcomer)
                report(project, 2013, 6, "100.00")
                if hold:
                    first_in.set()
                    hold.wait(10)
        except Exception as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    release = threading.Event()
    first = threading.Thread(target=writer, args=("G-1", release))
    first.start()
    assert first_in.wait(10)
    second = threading.Thread(target=writer, args=("G-2", None))
    second.start()
    second.join(1)
    assert second.is_alive()  # waiting on the first writer's uncommitted total
    release.set()
    first.join(10)
    second.join(10)
    assert errors == []
    group = ProgressTotal.objects.get(year=2013, month=6, lead_official=newcomer)
    assert (group.projects, group.month_amount) == (2, Decimal("200.00"))
    assert store.disagreements(Project, JUNE) == []
