"""The benchmark command runs end to end on a small register and reports every row it claims."""

import io
import re

import pytest
from django.core.management import call_command

from projects.roles import ensure_roles
from tests.conftest import user_in

# serialized_rollback: a flush without it re-creates the content types under new numbers, and the
# next test that restores the serialized database would then collide with them.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.slow
def test_bench_reports_pages_export_and_import_with_ratios(settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("seed_scale", projects=40, stdout=io.StringIO())
    out = io.StringIO()
    call_command("bench", repeat=1, stdout=out)
    text = out.getvalue()
    for row in (
        "admin changelist (baseline)",
        "project list",
        "project list, red lights",
        "project list, text search",
        "project list sorted by light",
        "officials list",
        "zone summary",
        "dashboard",
        "start rates",
        "map GeoJSON, whole scope",
        "map GeoJSON, zoomed in",
        "map GeoJSON, whole area",
        "progress workbook",
        "openpyxl read-only (baseline)",
        "import, every row an update",
        "import, nothing changed",
        "import, every row new",
    ):
        assert re.search(rf"^{re.escape(row)}\s+[\d.]+.*\s[\d.]+$", text, re.M), (row, text)
    assert re.search(
        r"^progress table: .* built for 40 projects in \d+ ms .*; the \d+ other months of the year in \d+ ms$",
        text,
        re.M,
    ), text
    assert re.search(
        r"^packet PDF of \S+ \(\d+ projects, \d+ KiB\): [\d.]+ s, [\d.]+ s of CPU", text, re.M
    ), text
    assert re.search(
        r"^background export of one zone \(\d+ projects\): \d+ ms, peak [\d.]+ MiB$", text, re.M
    ), text

    # Pages only, on the table as the first run left it: nothing is built anew.
    from projects.models import ProgressPeriod

    built = dict(ProgressPeriod.objects.values_list("month", "built_at"))
    out = io.StringIO()
    call_command("bench", repeat=1, skip_build=True, skip_export=True, skip_import=True, stdout=out)
    assert "progress table:" not in out.getvalue()
    assert re.search(r"^dashboard\s+[\d.]+", out.getvalue(), re.M), out.getvalue()
    assert dict(ProgressPeriod.objects.values_list("month", "built_at")) == built

    # --only: the baseline and the pages named, nothing else.
    out = io.StringIO()
    call_command(
        "bench",
        repeat=1,
        skip_build=True,
        skip_export=True,
        skip_import=True,
        skip_background=True,
        only="ranking,map",
        stdout=out,
    )
    rows = [line.split("  ")[0] for line in out.getvalue().splitlines()[2:] if line.strip()]
    assert rows == [
        "admin changelist (baseline)",
        "ranking",
        "map GeoJSON, whole scope",
        "map GeoJSON, zoomed in",
        "map GeoJSON, whole area",
    ], out.getvalue()

    # --commands: the nightly commands in seconds per 10,000 projects, then the 通知 page of
    # the reader the reminders wrote to most (the office: the problems past their deadline),
    # timed beside the changelist.
    ensure_roles()  # after an earlier transactional test's flush, the groups may be gone
    user_in("project_office", "office", is_staff=True)
    out = io.StringIO()
    call_command(
        "bench",
        repeat=1,
        skip_build=True,
        skip_export=True,
        skip_import=True,
        skip_background=True,
        skip_documents=True,
        commands=True,
        only="notifications",
        stdout=out,
    )
    text = out.getvalue()
    for command in ("refresh_progress", "send_reminders --date"):
        assert re.search(rf"^{command}.*: [\d.]+ s, [\d.]+ s per 10,000 projects$", text, re.M)
    assert re.search(r"^notifications: \S+ has [1-9]\d*$", text, re.M), text
    assert re.search(r"^notifications after reminders\s+[\d.]+\s+\d+\s+[\d.]+$", text, re.M), text
