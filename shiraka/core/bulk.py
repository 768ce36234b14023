"""Plain multi-row INSERTs for bulk loads where the ORM's per-field preparation dominates.

Only for rows whose values are already valid (the synthetic generator); user-facing writes go through
the services. No signals fire, so no history rows are written."""

from django.db import connection, models
from django.utils import timezone

from .money import MoneyField


def insert_rows(model: type[models.Model], objects: list[models.Model], *, batch_size: int = 5000) -> int:
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    converters = []
    for field in fields:
        if isinstance(field, MoneyField):
            converters.append(lambda v: None if v is None else int(v * 100))
        elif isinstance(field, models.DateTimeField):
            # Timestamps left empty get "now"; a nullable one (a money row's cancelled_at) stays empty,
            # or every bulk-inserted transfer and payment would read as cancelled and count nowhere.
            converters.append(
                lambda v, now=now, null=field.null: (
                    (None if null else now) if v is None else connection.ops.adapt_datetimefield_value(v)
                )
            )
        elif isinstance(field, models.DateField):
            converters.append(connection.ops.adapt_datefield_value)
        elif isinstance(field, models.FileField):
            converters.append(lambda v: v.name if v else "")
        elif isinstance(field, models.DecimalField):
            converters.append(
                lambda v, f=field: connection.ops.adapt_decimalfield_value(v, f.max_digits, f.decimal_places)
            )
        else:
            converters.append(None)
    attnames = [f.attname for f in fields]
    rows = []
    for obj in objects:
        row = []
        for attname, convert, field in zip(attnames, converters, fields, strict=True):
            value = getattr(obj, attname)
            if value is None and field.has_default() and not field.null:
                value = field.get_default()
            row.append(convert(value) if convert else value)
        rows.append(row)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            cursor.executemany(sql, rows[start : start + batch_size])
    return len(rows)
