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
