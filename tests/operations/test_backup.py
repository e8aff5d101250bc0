"""Backup and restore lose nothing: every table's rows, history included, and the database
works afterwards (a new report can be saved; primary keys continue)."""

import hashlib
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection

from projects.models import MonthlyReport, Project

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
    call_command("setup_demo", stdout=open("/dev/null", "w"))
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
    call_command("setup_demo", stdout=open("/dev/null", "w"))
    before = snapshot()
    with pytest.raises(CommandError):
        call_command("restore", str(broken), yes=True)
    assert snapshot() == before
