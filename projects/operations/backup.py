"""Backup and restore of the whole register, loss-free: the database and the site photos.

A backup is one tar file holding the database (database.pgdump or database.sqlite3) and the
photo files (media/photos/...). A plain database file from an older backup still restores.
PostgreSQL: pg_dump's custom format and pg_restore (tables, rows and sequences).
SQLite: the online backup API, page by page, safe while the app is serving.

A restore checks the backup before it touches anything: the file must be whole (SQLite's
integrity check, or pg_restore reading the dump's table of contents) and a backup of this
tracker (its tables present, and its migrations ones this version knows). The database is
then replaced in one step (one transaction on PostgreSQL, the backup API's on SQLite) and
the photos after it.
"""

import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _


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
    """Replace the database's contents, and the photo files, with the backup in `source`."""
    source = Path(source)
    if not source.exists():
        raise BackupError(_("The backup file does not exist: %(file)s") % {"file": source})
    if not tarfile.is_tarfile(source):
        _restore_database(source)  # a plain database file, from before photos were kept
        return
    with tempfile.TemporaryDirectory() as folder, tarfile.open(source) as archive:
        names = archive.getnames()
        database = next((n for n in names if n.startswith("database.")), None)
        if database is None:
            raise BackupError(_("Not a backup of this tracker: it holds no database."))
        archive.extractall(folder, filter="data")
        _restore_database(Path(folder) / database)
        for media in MEDIA_FOLDERS:
            _replace_folder(Path(folder) / "media" / media, Path(settings.MEDIA_ROOT) / media)


def _replace_folder(new, target):
    """Put `new` in the place of `target` (which may not exist); the old one is removed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    if new.is_dir():
        shutil.move(str(new), str(target))
    shutil.rmtree(old, ignore_errors=True)


# Tables without which a file is not a backup of this tracker.
REQUIRED_TABLES = ("django_migrations", "projects_project", "projects_monthlyreport", "auth_user")


def _refuse(reason):
    raise BackupError(
        _("Not restored, nothing was changed: %(reason)s") % {"reason": reason}
    ) from None


def _check_migrations(applied):
    """The backup's migrations of the app: at least the first, none this version lacks."""
    known = {name for app, name in MigrationLoader(None).disk_migrations if app == "projects"}
    if "0001_initial" not in applied:
        _refuse(_("the backup holds no migrations of this tracker."))
    unknown = sorted(set(applied) - known)
    if unknown:
        _refuse(
            _("the backup comes from a newer version of the tracker (migrations %(names)s).")
            % {"names": ", ".join(unknown)}
        )


def _verify_sqlite(source):
    """Open the file read-only and check it whole and ours; returns the open connection."""
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
        applied = [
            row[0]
            for row in backup_db.execute("SELECT name FROM django_migrations WHERE app='projects'")
        ]
    except sqlite3.DatabaseError as error:
        _refuse(_("the file is not a readable SQLite database (%(error)s).") % {"error": error})
    _check_migrations(applied)
    return backup_db


def _verify_pgdump(source, env):
    """Read the dump's table of contents (pg_restore --list) and check it ours."""
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
    _check_migrations(
        [
            fields[2]
            for fields in (row.split("\t") for row in rows)
            if len(fields) == 4 and fields[1] == "projects"
        ]
    )


def _restore_database(source):
    if connection.vendor == "postgresql":
        env, args = _pg_env_and_args(connection.settings_dict)
        _verify_pgdump(source, env)
        connection.close()  # pg_restore drops the tables this connection may hold
        command = [
            _pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            *args,
            str(source),
        ]
        result = subprocess.run(command, env=env, capture_output=True, text=True)
        if result.returncode:
            raise BackupError(result.stderr.strip())
    elif connection.vendor == "sqlite":
        backup_db = _verify_sqlite(source)
        connection.ensure_connection()
        try:
            backup_db.backup(connection.connection)
        finally:
            backup_db.close()
    else:
        raise BackupError(_("Unsupported database: %(vendor)s") % {"vendor": connection.vendor})
