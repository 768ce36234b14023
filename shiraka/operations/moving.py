"""Rows copied from one database to another through the ORM (SQLite to PostgreSQL, or back), every
column as stored: no save signal, no `auto_now`, the keys kept, then each table's sequence moved past
its highest key."""

from django.core.management.color import no_style
from django.db import connections, transaction

from .hashes import backed_up_models

PARAMETERS_PER_INSERT = 20_000  # under SQLite's and PostgreSQL's limits on bound parameters


def empty_tables(alias: str, models: list) -> None:
    connection = connections[alias]
    tables = [connection.ops.quote_name(model._meta.db_table) for model in models]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")


def copy_model(model, source: str, target: str) -> int:
    fields = model._meta.concrete_fields
    size = max(1, PARAMETERS_PER_INSERT // len(fields))
    batch, count = [], 0
    for row in model._base_manager.using(source).order_by().iterator(chunk_size=size):
        batch.append(row)
        if len(batch) == size:
            model._base_manager._insert(batch, fields=fields, raw=True, using=target)
            count, batch = count + len(batch), []
    if batch:
        model._base_manager._insert(batch, fields=fields, raw=True, using=target)
        count += len(batch)
    return count


def copy_rows(source: str, target: str = "default") -> dict[str, int]:
    """Replace every table of `target` with the rows of `source` (both migrated alike), in one
    transaction: PostgreSQL checks the foreign keys at commit, SQLite's checks are off meanwhile."""
    models = backed_up_models()
    connection = connections[target]
    copied = {}
    with transaction.atomic(using=target), connection.constraint_checks_disabled():
        empty_tables(target, models)
        for model in models:
            copied[model._meta.db_table] = copy_model(model, source, target)
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)
    return copied
