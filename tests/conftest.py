"""Small builders for test data, and the users of each role."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, User

from projects.models import (
    AnnualPlan,
    Milestone,
    MonthlyReport,
    Official,
    Project,
    Unit,
    Zone,
    refresh_progress,
)

ROLES = ["project_office", "lead_official", "observer"]


@pytest.fixture
def zone(db):
    return Zone.objects.create(name="特色商业区", order=1)


@pytest.fixture
def official(db):
    return Official.objects.create(name="测试领导", position="副区长")


@pytest.fixture
def unit(db):
    return Unit.objects.create(name="区商务局", kind=Unit.Kind.DEPARTMENT)


def make_project(zone, code="T-001", total="10000.00", **fields):
    return Project.objects.create(
        code=code,
        name=fields.pop("name", f"项目{code}"),
        zone=zone,
        total_investment=Decimal(total),
        **fields,
    )


def plan(project, year, amount):
    return AnnualPlan.objects.create(project=project, year=year, planned_investment=Decimal(amount))


def report(project, year, month, amount, **fields):
    return MonthlyReport.objects.create(
        project=project, year=year, month=month, amount=Decimal(amount), **fields
    )


def milestone(project, name, planned, actual=None, baseline=None, order=0):
    return Milestone.objects.create(
        project=project,
        name=name,
        planned_date=planned,
        actual_date=actual,
        baseline_date=baseline,
        order=order,
    )


def make_projects(zone, count, year=2013, month=5, official=None, unit=None, prefix="P"):
    """`count` projects, each with a plan, reports up to `month` and two milestones."""
    projects = Project.objects.bulk_create(
        Project(
            code=f"{prefix}-{i:04d}",
            name=f"项目{i}",
            zone=zone,
            region_id=zone.region_id,  # named, not looked up for each of many rows
            owner=f"业主{i}",
            total_investment=Decimal(10000 + i),
            lead_official=official,
            responsible_unit=unit,
        )
        for i in range(count)
    )
    AnnualPlan.objects.bulk_create(
        AnnualPlan(project=p, year=year, planned_investment=Decimal(1200)) for p in projects
    )
    MonthlyReport.objects.bulk_create(
        MonthlyReport(project=p, year=year, month=m, amount=Decimal(50 + i % 70))
        for i, p in enumerate(projects)
        for m in range(1, month + 1)
    )
    Milestone.objects.bulk_create(
        Milestone(
            project=p,
            name=name,
            order=o,
            planned_date=datetime.date(year, o * 3, 1),
            baseline_date=datetime.date(year, o * 3, 1),
        )
        for p in projects
        for o, name in [(1, "开工"), (2, "主体封顶")]
    )
    refresh_progress(p.pk for p in projects)  # as the app's bulk writes do
    return projects


def user_in(role, username=None, **fields):
    user = User.objects.create_user(username or role, password="pw-for-tests-only", **fields)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def office_user(db):
    return user_in("project_office", "office", is_staff=True)


@pytest.fixture
def observer_user(db):
    return user_in("observer", "observer")


@pytest.fixture
def lead_user(db):
    return user_in("lead_official", "lead")


@pytest.fixture
def nobody_user(db):
    """A logged-in account with no role."""
    return user_in(None, "nobody")


@pytest.fixture
def demo(db):
    """fixtures/demo.json as setup_demo loads it (without accounts or bringing it to today)."""
    from projects.operations.demo import load_demo

    if not Project.objects.exists():  # as setup_demo: not again over demo_users' demo
        load_demo()


@pytest.fixture(autouse=True)
def no_request_left_open():
    """The progress table remembers, for one request, the months it has checked; a test
    whose last response was never closed (a download not read to its end) would hand that
    memory to the next test, whose rolled-back table is empty. Each test starts outside
    any request, as a worker's task does."""
    from projects.progress import store

    store._end_request()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests log in a lot; the production hasher is deliberately slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def own_media_and_cache(settings, tmp_path):
    """Uploads and the cache in the test's own directory: nothing is left in the checkout,
    and no test sees another's import progress."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": tmp_path / "cache",
        }
    }


def setup_demo(**options):
    """`manage.py setup_demo` as `make run` calls it, with DEBUG on (it refuses otherwise)."""
    from django.core.management import call_command
    from django.test import override_settings

    with override_settings(DEBUG=True):
        call_command("setup_demo", **options)


@pytest.fixture
def demo_users(db):
    """The demo data with its accounts, as `make run` sets them up, in the article's 2013."""
    setup_demo(year=2013)


def run_tasks(**options):
    """Run every task waiting, as `manage.py db_worker --batch` does, in this process. The
    worker closes the database connection between tasks, as a worker should; here the
    connection holds the test's transaction, so it is kept. Its signal handlers (for a
    clean stop on SIGINT/SIGTERM) are left out: a browser test runs it in a thread."""
    from io import StringIO
    from unittest import mock

    from django.core.management import call_command

    keep = mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    quiet = mock.patch(
        "django_tasks_db.management.commands.db_worker.Worker.configure_signals", lambda self: None
    )
    with keep, quiet:
        call_command(
            "db_worker",
            "--batch",
            "--no-startup-delay",
            "--no-reload",
            "--interval",
            "0",
            *(f"--{name.replace('_', '-')}={value}" for name, value in options.items()),
            stdout=StringIO(),
            verbosity=0,
        )


def pytest_collection_modifyitems(items):
    """Every test on a transactional database (a live server's) puts the migrated rows back
    (serialized_rollback), as the browser tests mostly did: one flushed without it had
    post_migrate create the content types again, and the next test that restores them
    failed on their unique names, depending on which worker ran what before it."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        transactional = "live_server" in item.fixturenames or "transactional_db" in (
            item.fixturenames
        )
        if marker is not None and marker.kwargs.get("transaction"):
            transactional = True
        if transactional and not (marker and marker.kwargs.get("serialized_rollback")):
            rollback = pytest.mark.django_db(transaction=True, serialized_rollback=True)
            item.add_marker(rollback, append=False)
