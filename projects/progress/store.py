"""The progress table: the engine's output, kept per project and month.

Pages that judge every project at once (totals, the light filter and sort, rankings, the
packet and the workbook) read figures from the table, a join on (project, year, month),
instead of evaluating the engine's subqueries for each project. The engine
(ProjectQuerySet.with_progress) stays the one definition: the table holds exactly what it
returns, written by INSERT … SELECT of the engine's own query.

How the table stays right:

- A month is built in full, with one statement, the first time a page reads it (or by
  `manage.py refresh_progress`), and rebuilt when its as-of day is no longer the one it was
  built for (the current month's figures depend on today: every day the first read, or the
  nightly refresh, rebuilds it) or when the light thresholds changed.
- Every write that changes a figure (a report, annual or monthly plan, milestone, problem,
  meeting date or project) recomputes that project's rows for every month held, in the
  writer's transaction: the models' signals call `refresh`, and the bulk writes of the
  import and the admin call it themselves.
- Each month is also added up per zone and lead official (ProgressTotal: the totals,
  officials list, dashboard curves, missing reports and light counts read these few rows).
  A build adds them up anew; a recompute moves them by the difference between its projects'
  rows before and after, which is why each row keeps the zone, lead official and total
  investment it was written with.
- On PostgreSQL, a build takes an exclusive advisory lock and a refresh a shared one, and a
  refresh locks its projects' rows, so that a build never misses a write committed while it
  ran and two writers of one project recompute one after the other. SQLite runs one writer
  at a time (the app's transactions begin IMMEDIATE).

This module belongs to the engine's layer: it imports no model module and reaches the
tables through the Project model's relations.
"""

import datetime
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, QuerySet, Sum, Value
from django.utils import timezone

from . import ledger
from .columns import FIGURES, KEPT, ModelType, models_of
from .columns import REPORT_STATE as REPORT_STATE
from .drift import disagreements as disagreements
from .period import Period

_models = models_of

LOCK_KEY = 7_190_219  # the advisory lock of the progress table, on PostgreSQL
UNUSED_DAYS = 7  # `prune` drops months no page has read for this long


# The months a request has already found current: a page that reads a month several times
# (totals, then the red list) looks it up once. Outside requests nothing is remembered.
_request = threading.local()


def _begin_request(**kwargs: Any) -> None:
    _request.checked = set()
    _request.deleting = set()
    _request.cleared = False


def _end_request(**kwargs: Any) -> None:
    _request.checked = None
    _request.deleting = set()
    _request.cleared = False


def _deleting() -> set[int]:
    """Projects this thread is deleting: the writes their deletion cascades to (their
    reports, plans, …) recompute nothing."""
    if getattr(_request, "deleting", None) is None:
        _request.deleting = set()
    return _request.deleting


request_started.connect(_begin_request, dispatch_uid="progress-store-begin")
request_finished.connect(_end_request, dispatch_uid="progress-store-end")


# The engine's own rules change with the code: a month built by an earlier version is rebuilt.
# 2: no 序时进度 without a plan for the year. 3: the month's report state (expected, on time).
ENGINE_VERSION = 3


def rules() -> str:
    """The thresholds the lights were judged by, the working day reports are due on (what is
    on time) and the engine's version: a month built with others is rebuilt."""
    return (
        f"red_gap={settings.JIEFANG_LIGHT_RED_GAP}; "
        f"yellow_gap={settings.JIEFANG_LIGHT_YELLOW_GAP}; "
        f"red_delay_days={settings.JIEFANG_LIGHT_RED_DELAY_DAYS}; "
        f"due_workday={settings.JIEFANG_REPORT_DUE_WORKDAY}; engine={ENGINE_VERSION}"
    )


def _lock(shared: bool) -> None:
    if connection.vendor == "postgresql":
        function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {function}(%s)", [LOCK_KEY])


def _insert(
    project_model: ModelType, period: Period, project_ids: Sequence[int] | None = None
) -> None:
    """Write the engine's rows for `period` (of these projects, or of every one) with one
    INSERT … SELECT."""
    rows, _periods = _models(project_model)
    sql, params = _engine(project_model, period)
    if project_ids is not None:
        # The month's query for every project, narrowed to these: the databases fold the
        # outer condition into it, so that it reads these projects by their key.
        quote = connection.ops.quote_name
        sql = (
            f"SELECT * FROM ({sql}) {quote('engine')} WHERE {quote('engine')}."
            f"{quote('stored_project')} IN ({', '.join(['%s'] * len(project_ids))})"
        )
        params = (*params, *project_ids)
    _execute_insert(rows, ["project_id", "year", "month", *FIGURES, *KEPT], sql, params)


# The engine's query of a month, compiled once per process for its as-of day and thresholds:
# building and compiling it costs several times what running it for one project does, and
# a write recomputes every month held.
_compiled: dict[tuple[Any, ...], tuple[str, tuple[Any, ...]]] = {}


def _engine(project_model: ModelType, period: Period) -> tuple[str, tuple[Any, ...]]:
    key = (connection.alias, connection.vendor, period, period.as_of, rules())
    if key not in _compiled:
        select = (
            project_model.objects.with_progress(period)
            .with_report_state(period)
            .annotate(
                stored_project=F("pk"),
                stored_year=Value(period.year),
                stored_month=Value(period.month),
            )
            .order_by()
            .values_list("stored_project", "stored_year", "stored_month", *FIGURES, *KEPT)
        )
        if len(_compiled) >= 100:  # months of days gone by
            _compiled.clear()
        _compiled[key] = select.query.sql_with_params()
    return _compiled[key]


def _insert_select(model: ModelType, columns: list[str], select: QuerySet[Any, Any]) -> None:
    """INSERT INTO model's table (columns) SELECT …: the rows of a values_list queryset."""
    _execute_insert(model, columns, *select.query.sql_with_params())


def _execute_insert(model: ModelType, columns: list[str], sql: str, params: Sequence[Any]) -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(model._meta.db_table)} "
            f"({', '.join(quote(model._meta.get_field(c).column) for c in columns)}) {sql}",
            params,
        )


def ensure(project_model: ModelType, period: Period) -> bool:
    """Make the table hold `period` as of its as-of day: build it when it is missing or
    stale. Returns True when it (re)built the month."""
    rows, periods = _models(project_model)
    today = timezone.localdate()
    current = (period.as_of, rules())
    checked = getattr(_request, "checked", None)
    if checked is not None:
        if (period, current) in checked:
            return False
        checked.add((period, current))
    held = periods.objects.filter(year=period.year, month=period.month).values_list(
        "as_of", "rules", "used_on"
    )
    found = held.first()
    if found and found[:2] == current:
        if found[2] != today:
            held.update(used_on=today)
        return False
    with transaction.atomic():
        _lock(shared=False)
        found = held.first()  # someone else may have built it while we waited
        if found and found[:2] == current:
            return False
        month = rows.objects.filter(year=period.year, month=period.month)
        month.delete()
        _insert(project_model, period)
        totals = ledger.model(project_model)
        totals.objects.filter(year=period.year, month=period.month).delete()
        _insert_select(
            totals,
            ["year", "month", "zone_id", "lead_official_id", *ledger.TOTALLED, *ledger.COUNTED],
            ledger.added_up(month),
        )
        _request.cleared = False  # something is held again
        record = {"as_of": period.as_of, "rules": rules(), "used_on": today}
        if not held.update(**record):
            periods.objects.create(year=period.year, month=period.month, **record)
    return True


@contextmanager
def once(project_model: ModelType) -> Iterator[None]:
    """Within the block, the recomputes asked for (by each row's signal) are gathered and run
    once at its end, for every project named: an action that writes a report and the
    milestones it reached recomputes the project once, not once per row. Nothing is
    recomputed when the block fails (its transaction rolls back). Nested blocks join the
    outer one."""
    if getattr(_request, "pending", None) is not None:
        yield
        return
    _request.pending = set()
    try:
        yield
        pending = _request.pending
    finally:
        _request.pending = None
    refresh(project_model, pending)


def refresh(project_model: ModelType, project_ids: Iterable[int | None]) -> None:
    """Recompute the rows of these projects for every month the table holds (after a write
    to them), in the caller's transaction (at the end of an `once` block, when in one)."""
    project_ids = sorted({pk for pk in project_ids if pk is not None} - _deleting())
    if not project_ids:
        return
    pending = getattr(_request, "pending", None)
    if pending is not None:
        pending.update(project_ids)
        return
    rows, periods = _models(project_model)
    with transaction.atomic():
        _lock(shared=True)
        held = [Period(year, month) for year, month in periods.objects.values_list("year", "month")]
        if not held:
            return
        for start in range(0, len(project_ids), 1000):
            chunk = project_ids[start : start + 1000]
            projects = project_model.objects.filter(pk__in=chunk)
            if connection.features.has_select_for_update:
                list(projects.order_by("pk").select_for_update().values_list("pk"))
            theirs = rows.objects.filter(project_id__in=chunk)
            before = ledger.add_up(theirs)
            theirs.delete()
            for period in held:
                _insert(project_model, period, chunk)
            ledger.move(project_model, before, ledger.add_up(theirs))


def complete(
    project_model: ModelType, period: Period, projects: QuerySet[Any, Any] | None = None
) -> list[int]:
    """Write the held month's rows of projects it lacks (written around the signals: a
    `bulk_create`, a repair in SQL), for every month held, and move the totals; of
    `projects` only, when given. Returns the ids written (most reads find none: one query)."""
    rows, _periods = _models(project_model)
    ensure(project_model, period)
    projects = project_model.objects.all() if projects is None else projects
    held = rows.objects.filter(project_id=OuterRef("pk"), year=period.year, month=period.month)
    missing = list(projects.order_by().filter(~Exists(held)).values_list("pk", flat=True))
    refresh(project_model, missing)
    return missing


def forget(project_model: ModelType, project_ids: Iterable[int]) -> None:
    """Take projects about to be deleted out of the table: their rows go and each month's
    total loses them (before the deletion cascades to their reports, whose own signals would
    otherwise recompute them)."""
    project_ids = sorted(set(project_ids))
    rows, periods = _models(project_model)
    with transaction.atomic():
        _lock(shared=True)
        theirs = rows.objects.filter(project_id__in=project_ids)
        before = ledger.add_up(theirs)
        theirs.delete()
        ledger.move(project_model, before, {})
    _deleting().update(project_ids)


def deleted(project_ids: Iterable[int]) -> None:
    _deleting().difference_update(project_ids)


def month_sums(
    project_model: ModelType, year: int, region: Any = None
) -> dict[int, tuple[Any, Any]]:
    """{month: (planned_to_date, month_amount)} of every project (of `region` and beneath
    it, when given), for the months of `year` the table holds as of their day (from the
    totals)."""
    _rows, periods = _models(project_model)
    current = [
        month
        for month, as_of, kept_rules in periods.objects.filter(year=year).values_list(
            "month", "as_of", "rules"
        )
        if (as_of, kept_rules) == (Period(year, month).as_of, rules())
    ]
    sums = dict.fromkeys(current, (0, 0))  # a month held with no project at all adds up to 0
    for row in (
        _in_region(ledger.model(project_model).objects.filter(year=year, month__in=current), region)
        .order_by()
        .values("month")
        .annotate(planned=Sum("planned_to_date"), completed=Sum("month_amount"))
    ):
        sums[row["month"]] = (row["planned"], row["completed"])
    return sums


def totals(project_model: ModelType, period: Period, region: Any = None) -> QuerySet[Any, Any]:
    """The month's totals per zone and lead official (of `region` and beneath it, when
    given: a zone belongs to one region), built first when missing or stale."""
    ensure(project_model, period)
    return _in_region(
        ledger.model(project_model).objects.filter(year=period.year, month=period.month), region
    )


def _in_region(totals: QuerySet[Any, Any], region: Any) -> QuerySet[Any, Any]:
    return totals if region is None else totals.filter(zone__region__path__startswith=region.path)


def clear(project_model: ModelType) -> None:
    """Forget every month (after writes the signals do not see, such as loading fixtures)."""
    _rows, periods = _models(project_model)
    with transaction.atomic():
        _lock(shared=False)
        _models(project_model)[0].objects.all().delete()
        ledger.model(project_model).objects.all().delete()
        periods.objects.all().delete()


def clear_once(project_model: ModelType) -> None:
    """clear(), for each row a fixture loads: the first row forgets every month, and the
    rest find nothing built since (until a month is built again)."""
    if not getattr(_request, "cleared", False):
        clear(project_model)
        _request.cleared = True


def build(project_model: ModelType, months: Iterable[Period]) -> list[Period]:
    """Build or rebuild these months now (the nightly refresh); returns the months built."""
    return [period for period in months if ensure(project_model, period)]


def prune(
    project_model: ModelType, keep: Iterable[Period] = (), today: datetime.date | None = None
) -> int:
    """Drop the months no page has read for UNUSED_DAYS days, except those in `keep`;
    returns how many."""
    rows, periods = _models(project_model)
    today = today or timezone.localdate()
    unused = periods.objects.filter(used_on__lt=today - datetime.timedelta(days=UNUSED_DAYS))
    months = [key for key in unused.values_list("year", "month") if Period(*key) not in keep]
    with transaction.atomic():
        _lock(shared=False)
        for year, month in months:
            rows.objects.filter(year=year, month=month).delete()
            ledger.model(project_model).objects.filter(year=year, month=month).delete()
            periods.objects.filter(year=year, month=month).delete()
    return len(months)
