"""Trigram indexes (pg_trgm, GIN) for the project list's text search on PostgreSQL, which
read every project. The search (register/filters.py) is Django's `icontains` on the code, the
name and the owner, which PostgreSQL is given as `UPPER(column::text) LIKE UPPER('%…%')`:
the indexes are on that expression, so the planner takes them for a search of three
characters or more (a trigram); a shorter one still scans, as fast as before. (`ILIKE` on
the plain column could use an index on the column, but scans Chinese text at half the speed
of UPPER … LIKE when a search is too short for the index.) Nothing on SQLite.

pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it."""

from django.db import migrations

COLUMNS = ("code", "name", "owner")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = apps.get_model("projects", "Project")._meta.db_table
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS project_{column}_trgm "
            f"ON {table} USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS project_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0047_start_targets"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
