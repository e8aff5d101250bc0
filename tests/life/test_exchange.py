"""The register's import and export carry the stage (项目阶段)."""

import io

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from projects.exchange.template import OPTIONAL_HEADERS, PROJECT_HEADERS, export_projects
from projects.exchange.writing import run_import
from projects.models import Project, StageChange

pytestmark = pytest.mark.django_db

HEADERS = [*PROJECT_HEADERS, "项目阶段"]


def sheet_rows(content):
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    return rows[0], rows[1:]


def workbook(rows):
    book = openpyxl.Workbook()
    book.active.title = "项目"
    book.active.append(HEADERS)
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def row(code, stage, name="新建项目"):
    return [
        code,
        name,
        "特色商业区",
        "",
        "",
        5000,
        "2013-06-01",
        "2014-12-31",
        None,
        None,
        None,
        None,
        stage,
    ]


def test_the_export_has_the_stage_in_words(demo):
    header, rows = sheet_rows(export_projects())
    assert "项目阶段" in OPTIONAL_HEADERS["projects"]
    column = header.index("项目阶段")
    stages = {r[0]: r[column] for r in rows}
    assert stages["JF2013-001"] == "新开工" and stages["JF2013-010"] == "储备"
    assert stages["JF2013-006"] == "前期"  # its start withdrawn


def test_an_imported_stage_is_a_dated_change_by_the_importer(demo):
    importer = User.objects.create_user("importer")
    project = Project.objects.get(code="JF2013-002")
    data = workbook([row("JF2013-002", "新开工", project.name), row("JF2013-201", "续建")])
    preview = run_import("projects", data, dry_run=True)
    assert preview.ok, [str(p) for p in preview.errors]
    change = preview.update[0][4]["stage"]
    assert (change.old, change.new) == ("前期", "新开工")  # in words, not codes
    result = run_import("projects", data, user=importer, dry_run=False)
    assert result.written
    moved = StageChange.objects.filter(project__code="JF2013-002").latest("pk")
    assert (moved.from_stage, moved.to_stage, moved.changed_by) == (
        "preparation",
        "new_start",
        importer,
    )
    new = Project.objects.get(code="JF2013-201")
    assert new.stage == "continuing" and new.stage_changes.get().to_stage == "continuing"
    assert dict(
        Project.objects.filter(code="JF2013-201")
        .with_year_category(timezone.localdate().year)
        .values_list("code", "year_category")
    ) == {"JF2013-201": "continuing"}


def test_an_unknown_stage_is_refused_in_words_and_nothing_is_written(demo):
    before = StageChange.objects.count()
    result = run_import("projects", workbook([row("JF2013-202", "在建中")]), dry_run=False)
    assert not result.ok and not result.written
    assert any("项目阶段“在建中”" in str(p) and "新开工" in str(p) for p in result.errors)
    assert StageChange.objects.count() == before
    assert not Project.objects.filter(code="JF2013-202").exists()


def test_export_then_import_changes_no_stage(demo):
    result = run_import("projects", export_projects(), dry_run=True)
    assert result.ok and not result.update and not result.create
