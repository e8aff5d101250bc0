"""Backup and restore of the whole register, loss-free: the database and the site photos.

A backup is one tar file holding the database (database.pgdump or database.sqlite3) and the
photo files (media/photos/...). A plain database file from an older backup still restores.
PostgreSQL: pg_dump's custom format and pg_restore (tables, rows and sequences).
SQLite: the online backup API, page by page, safe while the app is serving.

A restore checks the backup before it touches anything: it is unpacked by unpacking.py
(only plain files and folders where a backup puts them, within a byte budget) into a folder
beside the live ones, the file must be whole (SQLite's integrity check, or pg_restore reading
the dump's table of contents) and a backup of this tracker (its tables present, and its
migrations ones this version knows: a backup of a newer version is refused). The database is
then replaced in one step (one transaction on PostgreSQL, dropping the tables the backup
lacks; the backup API's on SQLite), the media folders after it, and a backup of an older
version is migrated forward to this one at once, so the site works when the command ends.
"""

import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _

from .unpacking import Refused, unpack


class BackupError(Exception):
    pass


def _pg_tool(name):
    for candidate in (os.environ.get("JIEFANG_PG_BIN"), "/usr/lib/postgresql/15/bin"):
        if candidate and (Path(candidate) / name).exists():
            return str(Path(candidate) / name)
    found = shutil.which(name)
    if not found:
        raise BackupError(
            _("%(tool)s not found: install the PostgreSQL client, or set JIEFANG_PG_BIN.")
            % {"tool": name}
        )
    return found


def _pg_env_and_args(settings):
    env = os.environ | {"PGPASSWORD": settings.get("PASSWORD") or ""}
    args = ["--no-password", "-d", settings["NAME"]]
    for flag, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
        if settings.get(key):
            args += [flag, str(settings[key])]
    return env, args


# What the register keeps outside the database: site photos and the office's Word templates.
MEDIA_FOLDERS = ("photos", "docx-templates")


def backup(output):
    """Write the database and the photo files to the tar file `output`."""
    output = Path(output)
    with tempfile.TemporaryDirectory() as folder:
        name = "database.pgdump" if connection.vendor == "postgresql" else "database.sqlite3"
        database = _backup_database(Path(folder) / name)
        with tarfile.open(output, "w") as archive:
            archive.add(database, arcname=name)
            for media in MEDIA_FOLDERS:
                source = Path(settings.MEDIA_ROOT) / media
                if source.is_dir():
                    archive.add(source, arcname=f"media/{media}")
    return output


def _backup_database(output):
    if connection.vendor == "postgresql":
        env, args = _pg_env_and_args(connection.settings_dict)
        command = [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "-f", str(output), *args]
        result = subprocess.run(command, env=env, capture_output=True, text=True)
        if result.returncode:
            raise BackupError(result.stderr.strip())
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(output)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    else:
        raise BackupError(_("Unsupported database: %(vendor)s") % {"vendor": connection.vendor})
    return output


def restore(source):
    """Replace the database's contents, and the media files, with the backup in `source`;
    returns the migrations applied to bring an older backup up to this version."""
    source = Path(source)
    if not source.exists():
        raise BackupError(_("The backup file does not exist: %(file)s") % {"file": source})
    with tempfile.TemporaryDirectory(prefix="jiefang-restore-") as folder:
        if not tarfile.is_tarfile(source):
            # A plain database file, from before photos were kept.
            pending = _restore_database(source, Path(folder))
            return _migrate(pending)
        media_root = Path(settings.MEDIA_ROOT)
        media_root.mkdir(parents=True, exist_ok=True)
        # Beside the live folders, so that putting each in place is a rename on the same disk.
        staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=media_root))
        try:
            try:
                database = unpack(source, MEDIA_FOLDERS, Path(folder), staging)
            except Refused as refusal:
                _refuse(str(refusal))
            pending = _restore_database(database, Path(folder))
            for media in MEDIA_FOLDERS:
                _replace_folder(staging / media, media_root / media)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return _migrate(pending)


def _migrate(pending):
    """Bring the restored database up to this version's migrations (an older backup)."""
    ContentType.objects.clear_cache()  # its ids are the backup's now
    if not pending:
        return []
    try:
        call_command("migrate", interactive=False, verbosity=0)
    except Exception as error:
        raise BackupError(
            _(
                "The backup was restored, but bringing its database up to this version failed "
                "(%(error)s). Run: manage.py migrate"
            )
            % {"error": error}
        ) from error
    return pending


def _replace_folder(new, target):
    """Put `new` in the place of `target` (which may not exist); the old one is removed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    if new.is_dir():
        new.rename(target)
    shutil.rmtree(old, ignore_errors=True)


# Tables without which a file is not a backup of this tracker.
REQUIRED_TABLES = ("django_migrations", "projects_project", "projects_monthlyreport", "auth_user")


def _refuse(reason):
    raise BackupError(
        _("Not restored, nothing was changed: %(reason)s") % {"reason": reason}
    ) from None


def _check_migrations(applied):
    """The backup's migrations, as (app, name): at least the tracker's first, none this version
    lacks. Returns the migrations this version has that the backup lacks (an older backup)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    applied = {(app, name) for app, name in applied if app in loader.migrated_apps}
    if ("projects", "0001_initial") not in applied:
        _refuse(_("the backup holds no migrations of this tracker."))
    unknown = sorted(f"{app}.{name}" for app, name in applied - known)
    if unknown:
        _refuse(
            _("the backup comes from a newer version of the tracker (migrations %(names)s).")
            % {"names": ", ".join(unknown)}
        )
    squashed = loader.replacements
    return sorted(
        f"{app}.{name}"
        for app, name in loader.graph.nodes
        if (app, name) not in applied
        and not ((app, name) in squashed and set(squashed[app, name].replaces) <= applied)
    )


def _verify_sqlite(source):
    """Open the file read-only and check it whole and ours; returns the open connection and
    the migrations the backup lacks."""
    try:
        backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        integrity = backup_db.execute("PRAGMA integrity_check").fetchall()
        if integrity != [("ok",)]:
            _refuse(_("the file is damaged (%(detail)s).") % {"detail": integrity[0][0]})
        tables = {
            row[0] for row in backup_db.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        missing = [table for table in REQUIRED_TABLES if table not in tables]
        if missing:
            _refuse(
                _("it is not a backup of this tracker (no table %(tables)s).")
                % {"tables": ", ".join(missing)}
            )
        applied = backup_db.execute("SELECT app, name FROM django_migrations").fetchall()
    except sqlite3.DatabaseError as error:
        _refuse(_("the file is not a readable SQLite database (%(error)s).") % {"error": error})
    return backup_db, _check_migrations(applied)


def _verify_pgdump(source, env):
    """Read the dump's table of contents (pg_restore --list) and check it ours; returns its
    tables and the migrations the backup lacks."""
    result = subprocess.run(
        [_pg_tool("pg_restore"), "--list", str(source)], env=env, capture_output=True, text=True
    )
    if result.returncode:
        _refuse(
            _("the file is not a readable PostgreSQL dump (%(error)s).")
            % {"error": result.stderr.strip()}
        )
    data = {line.split()[-2] for line in result.stdout.splitlines() if " TABLE DATA " in line}
    missing = [table for table in REQUIRED_TABLES if table not in data]
    if missing:
        _refuse(
            _("it is not a backup of this tracker (no table %(tables)s).")
            % {"tables": ", ".join(missing)}
        )
    # The migrations table's rows, as the SQL pg_restore would run (written out, not run).
    rows = subprocess.run(
        [
            _pg_tool("pg_restore"),
            "--data-only",
            "--table=django_migrations",
            "-f",
            "-",
            str(source),
        ],
        env=env,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    applied = [
        (fields[1], fields[2]) for fields in (row.split("\t") for row in rows) if len(fields) == 4
    ]
    return data, _check_migrations(applied)


def _restore_database(source, folder):
    """Replace the database with the one in `source`; returns the migrations it lacks."""
    if connection.vendor == "postgresql":
        env, args = _pg_env_and_args(connection.settings_dict)
        tables, pending = _verify_pgdump(source, env)
        script = folder / "restore.sql"
        command = [
            _pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "-f",
            str(script),
        ]
        result = subprocess.run([*command, str(source)], env=env, capture_output=True, text=True)
        if result.returncode:
            raise BackupError(result.stderr.strip())
        # Tables of a later version than the backup's are dropped in the same transaction, so
        # that the migrations after the restore can create them again.
        with connection.cursor() as cursor:
            extra = sorted(set(connection.introspection.table_names(cursor)) - tables)
        connection.close()  # the restore drops the tables this connection may hold
        command = [_pg_tool("psql"), "--no-psqlrc", "--quiet", "--single-transaction"]
        command += ["-v", "ON_ERROR_STOP=1", *args]
        if extra:
            names = ", ".join(connection.ops.quote_name(table) for table in extra)
            command += ["-c", f"DROP TABLE IF EXISTS {names} CASCADE"]
        result = subprocess.run(
            [*command, "-f", str(script)], env=env, capture_output=True, text=True
        )
        if result.returncode:
            raise BackupError(result.stderr.strip())
    elif connection.vendor == "sqlite":
        backup_db, pending = _verify_sqlite(source)
        connection.ensure_connection()
        try:
            backup_db.backup(connection.connection)
        finally:
            backup_db.close()
    else:
        raise BackupError(_("Unsupported database: %(vendor)s") % {"vendor": connection.vendor})
    return pending
