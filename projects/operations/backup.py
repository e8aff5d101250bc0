"""Backup and restore of the whole database, loss-free.

PostgreSQL: pg_dump's custom format and pg_restore (tables, rows and sequences).
SQLite: the online backup API, page by page, safe while the app is serving.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection
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


def backup(output):
    """Write a backup of the default database to `output`."""
    output = Path(output)
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
    """Replace the default database's contents with the backup in `source`."""
    source = Path(source)
    if not source.exists():
        raise BackupError(_("The backup file does not exist: %(file)s") % {"file": source})
    if connection.vendor == "postgresql":
        env, args = _pg_env_and_args(connection.settings_dict)
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
        try:
            backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            backup_db.execute("PRAGMA schema_version").fetchone()
        except sqlite3.DatabaseError as error:
            raise BackupError(
                _("Not a valid SQLite backup: %(error)s") % {"error": error}
            ) from None
        connection.ensure_connection()
        try:
            backup_db.backup(connection.connection)
        finally:
            backup_db.close()
    else:
        raise BackupError(_("Unsupported database: %(vendor)s") % {"vendor": connection.vendor})
