"""Set-based writes for large imports: many rows per statement, their change log copied in SQL.

Django's bulk_update writes a CASE per field and bulk_history_create builds one Python object
per record; at 10,000 rows both cost more than the rest of an import together. These write
the same rows with UPDATE … FROM (PostgreSQL; SQLite 3.33+) and INSERT … SELECT.
"""

from django.db import connection
from django.utils import timezone

BATCH = 500


def placeholder(field):
    """A parameter typed as `field` on PostgreSQL (an untyped NULL would be read as text)."""
    if connection.vendor == "postgresql":
        return f"CAST(%s AS {field.db_type(connection)})"
    return "%s"


def update_rows(model, instances, names):
    """UPDATE the rows of `instances` to their values of the fields `names`; return how many
    rows were written.

    A versioned model's rows are written only at the version the instances hold, and get the
    next one (the instances are brought up to it), so a row somebody saved meanwhile is left
    alone and is missing from the count.
    """
    meta, quote = model._meta, connection.ops.quote_name
    fields = [meta.pk] + [meta.get_field(name) for name in names]
    versioned = hasattr(model, "version")
    if versioned:
        fields.append(meta.get_field("version"))
    table = quote(meta.db_table)
    columns = [quote(field.column) for field in fields]
    assignments = [f"{column} = v.{column}" for column in columns[1:]]
    match = f"{table}.{columns[0]} = v.{columns[0]}"
    if versioned:
        assignments[-1] = f"{columns[-1]} = v.{columns[-1]} + 1"
        match += f" AND {table}.{columns[-1]} = v.{columns[-1]}"
    postgresql = connection.vendor == "postgresql"
    size = max(len(instances), 1) if postgresql else BATCH
    written = 0
    with connection.cursor() as cursor:
        for start in range(0, len(instances), size):
            batch = instances[start : start + size]
            source, params = (_arrays if postgresql else _values)(fields, columns, batch)
            cursor.execute(
                f"UPDATE {table} SET {', '.join(assignments)} FROM {source} WHERE {match}",
                params,
            )
            written += cursor.rowcount
    if versioned:
        for instance in instances:
            instance.version += 1
    return written


def _arrays(fields, columns, batch):
    """PostgreSQL: the rows as table v, from one typed array per field (one statement for
    any number of rows)."""
    arrays = ", ".join(f"CAST(%s AS {field.db_type(connection)}[])" for field in fields)
    params = [[_prepared(field, instance) for instance in batch] for field in fields]
    return f"unnest({arrays}) AS v ({', '.join(columns)})", params


def _values(fields, columns, batch):
    """SQLite: the rows as table v, from a VALUES list (which names its columns column1,
    column2, …). The statement still begins with UPDATE, so the driver counts the rows."""
    select = ", ".join(f"column{i} AS {column}" for i, column in enumerate(columns, start=1))
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    params = [_prepared(field, instance) for instance in batch for field in fields]
    return f"(SELECT {select} FROM (VALUES {', '.join([row] * len(batch))}) AS r) AS v", params


def _prepared(field, instance):
    return field.get_db_prep_save(getattr(instance, field.attname), connection)


def copy_to_history(model, pks, user=None, history_type="~"):
    """Change-log records of the rows `pks` as they now stand in the table, attributed to
    `user`: what bulk_history_create records, copied by INSERT … SELECT."""
    history = model.history.model
    meta, quote = history._meta, connection.ops.quote_name
    tracked = ", ".join(quote(field.column) for field in history.tracked_fields)
    extra = [
        (meta.get_field("history_date"), timezone.now()),
        (meta.get_field("history_change_reason"), ""),
        (meta.get_field("history_type"), history_type),
        (meta.get_field("history_user"), user.pk if user else None),
    ]
    columns = ", ".join(quote(field.column) for field, _value in extra)
    constants = ", ".join(placeholder(field) for field, _value in extra)
    params = [field.get_db_prep_save(value, connection) for field, value in extra]
    source, key = quote(model._meta.db_table), quote(model._meta.pk.column)
    with connection.cursor() as cursor:
        for start in range(0, len(pks), BATCH):
            batch = pks[start : start + BATCH]
            cursor.execute(
                f"INSERT INTO {quote(meta.db_table)} ({tracked}, {columns}) "
                f"SELECT {tracked}, {constants} FROM {source} "
                f"WHERE {key} IN ({', '.join(['%s'] * len(batch))})",
                params + list(batch),
            )
