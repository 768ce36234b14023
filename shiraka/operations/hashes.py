"""Per-table row hashes, the same on SQLite and PostgreSQL: every concrete column of every row read
through the ORM (so each engine's converters give the same Python values), in primary-key order,
written canonically and hashed. A backup records them; a restore or a move must find them again."""

import hashlib
import json
from datetime import UTC, date, datetime, time
from decimal import Decimal
from uuid import UUID

from django.apps import apps
from django.db import models


def backed_up_models() -> list[type[models.Model]]:
    """Every table Django manages (many-to-many tables included), in table-name order."""
    found = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]
    return sorted(found, key=lambda model: model._meta.db_table)


def canonical(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, (date, time, UUID)):
        return str(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).hex()
    if isinstance(value, float):
        return repr(value)
    return value


def table_hash(model: type[models.Model], alias: str) -> dict:
    columns = [field.attname for field in model._meta.concrete_fields]
    rows = model._base_manager.using(alias).values_list(*columns)
    integer_key = isinstance(model._meta.pk, (models.AutoField, models.BigAutoField, models.IntegerField))
    if integer_key:
        ordered = rows.order_by("pk").iterator(chunk_size=5000)
    else:
        # Text keys sort differently under each engine's collation: sorted here instead.
        index = columns.index(model._meta.pk.attname)
        ordered = sorted(rows, key=lambda row: str(row[index]))
    digest = hashlib.sha256()
    count = 0
    for row in ordered:
        line = json.dumps(
            [canonical(value) for value in row], ensure_ascii=False, sort_keys=True, default=str
        )
        digest.update(line.encode() + b"\n")
        count += 1
    return {"rows": count, "sha256": digest.hexdigest()}


def row_hashes(alias: str = "default") -> dict[str, dict]:
    return {model._meta.db_table: table_hash(model, alias) for model in backed_up_models()}


def differences(expected: dict, found: dict) -> list[str]:
    """The tables whose rows differ, as one line each (empty when the two agree)."""
    lines = []
    for table in sorted(set(expected) | set(found)):
        want, got = expected.get(table), found.get(table)
        if want != got:
            lines.append(f"{table}: expected {want or 'no table'}, found {got or 'no table'}")
    return lines
