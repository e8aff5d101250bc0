"""Backup and restore lose nothing: every table's rows, history included, and the database
works afterwards (a new report can be saved; primary keys continue)."""

import hashlib
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from projects.models import MonthlyReport, Project
from tests.conftest import setup_demo

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def snapshot():
    """Per table: the row count and a hash of all rows ordered by primary key."""
    result = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            pk = connection.introspection.get_primary_key_column(cursor, table)
            order = f" ORDER BY {connection.ops.quote_name(pk)}" if pk else ""
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}{order}")
            rows = cursor.fetchall()
            digest = hashlib.sha256(repr(rows).encode()).hexdigest()
            result[table] = (len(rows), digest)
    return result


def test_backup_and_restore_round_trip(tmp_path):
    setup_demo(year=2013)
    report = MonthlyReport.objects.get(project__code="JF2013-001", year=2013, month=5)
    report.amount = Decimal("2345.67")
    report._history_user = User.objects.get(username="office")
    report.save()
    before = snapshot()
    assert before["projects_historicalmonthlyreport"][0] == MonthlyReport.objects.count() + 1

    path = tmp_path / "jiefang.backup"
    call_command("backup", output=str(path), stdout=open("/dev/null", "w"))
    assert path.stat().st_size > 0

    # Damage the database after the backup.
    MonthlyReport.objects.filter(year=2013, month__gte=3).delete()
    Project.objects.update(name="被改坏了")
    assert snapshot() != before

    call_command("restore", str(path), yes=True, stdout=open("/dev/null", "w"))
    assert snapshot() == before

    # Usable afterwards: a new report saves, and its key continues after the restored ones.
    highest = MonthlyReport.objects.order_by("-pk").values_list("pk", flat=True).first()
    new = MonthlyReport.objects.create(
        project=Project.objects.get(code="JF2013-001"), year=2013, month=6, amount=Decimal("1")
    )
    assert new.pk > highest
    assert new.history.count() == 1


def test_restore_refuses_a_missing_or_broken_file(tmp_path):
    with pytest.raises(CommandError, match="备份文件不存在"):
        call_command("restore", str(tmp_path / "nothing"), yes=True)
    broken = tmp_path / "broken.backup"
    broken.write_bytes(b"this is not a backup")
    setup_demo(year=2013)
    before = snapshot()
    with pytest.raises(CommandError):
        call_command("restore", str(broken), yes=True)
    assert snapshot() == before


def _backup_of_this(tmp_path):
    path = tmp_path / "good.backup"
    call_command("backup", output=str(path), stdout=open("/dev/null", "w"))
    return path


def _unrelated_database(tmp_path):
    path = tmp_path / "other.sqlite3"
    import sqlite3

    other = sqlite3.connect(path)
    other.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    other.execute("INSERT INTO notes (text) VALUES ('别的系统')")
    other.commit()
    other.close()
    return path


def _corrupted(tmp_path):
    """A backup of this tracker with pages in the middle overwritten."""
    good = _backup_of_this(tmp_path)
    import tarfile

    with tarfile.open(good) as archive:
        name = next(n for n in archive.getnames() if n.startswith("database."))
        data = bytearray(archive.extractfile(name).read())
    # The end of the first page (where the schema's cells are) and the second half of the
    # file (table pages) overwritten; the 100-byte file header is left as it was.
    page = int.from_bytes(data[16:18], "big")
    data[page - 1500 : page] = b"\xff" * 1500
    middle = len(data) // 2
    data[middle:] = b"\xff" * (len(data) - middle)
    path = tmp_path / name.replace("database", "corrupted")
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize(
    "make, reason",
    [
        (lambda tmp: (tmp / "empty.backup").open("wb").close() or tmp / "empty.backup", "没有改动"),
        (_unrelated_database, "不是本系统的备份"),
        (_corrupted, "没有改动"),
    ],
    ids=["zero-bytes", "an-unrelated-database", "corrupted-pages"],
)
def test_restore_verifies_before_it_touches_anything(tmp_path, make, reason):
    """A 0-byte file, an unrelated database, a damaged one: refused in Chinese, and the
    register and the photos are as they were."""
    setup_demo(year=2013)
    if connection.vendor == "postgresql" and make is _unrelated_database:
        pytest.skip("an SQLite file is not a PostgreSQL dump: the broken-file test covers it")
    source = make(tmp_path)
    photos = Path(settings.MEDIA_ROOT) / "photos"
    photos.mkdir(parents=True, exist_ok=True)
    kept = photos / "kept-by-the-refusal.txt"
    kept.write_text("x")
    before = snapshot()
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(source), yes=True)
    assert reason in str(refused.value)
    assert snapshot() == before
    assert kept.exists()
    kept.unlink()


@pytest.mark.parametrize("app", ["projects", "axes"])
def test_restore_refuses_a_backup_from_a_newer_version(tmp_path, app):
    """A backup holding a migration this version does not know (of the tracker or of a library
    it uses) is refused, saying to upgrade first; nothing changes."""
    setup_demo(year=2013)
    from django.db.migrations.recorder import MigrationRecorder

    MigrationRecorder.Migration.objects.create(app=app, name="9999_from_the_future")
    path = _backup_of_this(tmp_path)
    MigrationRecorder.Migration.objects.filter(name="9999_from_the_future").delete()
    Project.objects.update(name="备份之后改的")
    before = snapshot()
    with pytest.raises(CommandError, match="更新的版本.*9999_from_the_future.*请先升级本系统"):
        call_command("restore", str(path), yes=True)
    assert snapshot() == before


def projects_rows():
    with connection.cursor() as cursor:
        cursor.execute("SELECT code, name FROM projects_project ORDER BY code")
        return cursor.fetchall()


@pytest.mark.slow
def test_a_backup_from_an_older_version_is_migrated_to_this_one(tmp_path, client):
    """A backup made at migration 0013 restores with its rows, its database is brought up to
    this version in the same step, and the site works at once (it answered 500 before)."""
    from django.db.migrations.executor import MigrationExecutor

    setup_demo(year=2013)
    call_command("migrate", "projects", "0013_document_templates", verbosity=0)
    at_backup = projects_rows()
    path = _backup_of_this(tmp_path)
    call_command("migrate", verbosity=0)
    Project.objects.update(name="备份之后改的")

    out = io.StringIO()
    call_command("restore", str(path), yes=True, stdout=out)
    assert "该备份来自旧版本" in out.getvalue() and "projects.0014" in out.getvalue()
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
    assert projects_rows() == at_backup
    client.force_login(User.objects.get(username="office"))
    assert client.get(reverse("projects:dashboard")).status_code == 200
    project = Project.objects.get(code="JF2013-001")
    assert client.get(project.get_absolute_url()).status_code == 200


def test_the_offices_word_templates_are_backed_up_and_restored(tmp_path):
    from django.core.files.base import ContentFile

    from projects.models import DocumentTemplate

    setup_demo(year=2013)
    template = DocumentTemplate(kind="minutes")
    template.file.save("本区纪要.docx", ContentFile(b"docx bytes"), save=True)
    path = Path(template.file.path)
    backup = tmp_path / "with-templates.backup"
    call_command("backup", output=str(backup), stdout=open("/dev/null", "w"))
    path.unlink()
    DocumentTemplate.objects.all().delete()
    call_command("restore", str(backup), yes=True, stdout=open("/dev/null", "w"))
    restored = DocumentTemplate.objects.get(kind="minutes")
    assert Path(restored.file.path).read_bytes() == b"docx bytes"
