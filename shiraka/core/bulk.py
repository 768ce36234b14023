"""Bulk writes: many new rows checked by the models' own rules, then written with `executemany`.

- `allocate_ids(model, count)` reserves primary keys, so that rows written without RETURNING can be
  pointed at by the rows written after them (PostgreSQL: the table's sequence; SQLite: past the
  highest id ever given, under the write lock that the IMMEDIATE transaction holds).
- `bulk_full_clean(objects)` runs `Model.full_clean()` on every object, with the checks that would
  cost one query per row done at one query per batch: links to existing records, unique fields and
  unique constraints (against the database and within the batch), check constraints (once per
  distinct value of the fields they read). The messages are Django's own, as a save would give.
- `new_object(model, **values)` is `model(**values)` at a fraction of the cost, for the many new
  objects of a bulk path.
- `insert_rows(model, objects)` writes the objects' values with one multi-row INSERT per batch.
- `insert_history(model, objects)` writes their "created" history rows (who: the `_history_user` the
  services set, when: now), read by the pages exactly as those of a single save;
  `insert_with_history` does both, making each object's values once for the two tables.

No signals fire: the caller bumps the data version (`core.cache.bump_data_version`).
`collector_paused()` holds Python's cyclic garbage collector off while a bulk path builds its many
objects."""

import functools
import gc
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from inspect import getattr_static
from itertools import islice
from operator import itemgetter

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxLengthValidator
from django.db import connection, models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import (
    ForeignKeyDeferredAttribute,
    ForwardManyToOneDescriptor,
)
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init
from django.utils import timezone

from .models import TrackedModel, clean_field
from .money import MAX_AMOUNT, MoneyField


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic collector off for a bulk path: tens of thousands of new objects that all live
    until the end would otherwise set off its full passes over every object of the process, each
    longer than the last (a tenth of an import's time on 20,000 rows). Their memory is freed as
    usual by reference counts; the collector resumes afterwards, unless it was already off."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


BATCH = 5000
QUERY_CHUNK = 900  # values per IN (…): under SQLite's bound on query parameters


def _chunks(values, size: int = QUERY_CHUNK):
    iterator = iter(values)
    while chunk := list(islice(iterator, size)):
        yield chunk


def allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` primary keys nobody else will use, in increasing order. Call inside the transaction
    that writes the rows."""
    if count <= 0:
        return []
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [connection.ops.quote_name(table), column, count],
            )
            return sorted(row[0] for row in cursor.fetchall())
        # SQLite: the transaction holds the write lock, so nobody inserts meanwhile. Never below an
        # id given before (AUTOINCREMENT): a deleted record's history must not join a new one's.
        cursor.execute(
            f"SELECT max(id) FROM (SELECT max({connection.ops.quote_name(column)}) AS id FROM "
            f"{connection.ops.quote_name(table)} UNION ALL SELECT seq FROM sqlite_sequence WHERE name = %s)",
            [table],
        )
        start = (cursor.fetchone()[0] or 0) + 1
    return list(range(start, start + count))


def assign_ids(model: type[models.Model], objects: list) -> None:
    for obj, pk in zip(objects, allocate_ids(model, len(objects)), strict=True):
        obj.pk = pk


class Row:
    """A new row for a bulk write, much lighter than a model instance: its values by attname, and a
    link given as a record also under the field's name (see `row_maker`). Unset attributes read as
    None; the writers put the field's default."""

    def __init__(self, **values):
        self.__dict__.update(values)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return None

    @property
    def pk(self):
        return self.__dict__.get("id")

    @pk.setter
    def pk(self, value) -> None:
        self.__dict__["id"] = value


class _Blank:
    """What `model()` holds before it is given anything, read once per model: the constant defaults
    by attname, the fields whose default is called each time, and the links by name."""

    def __init__(self, model: type[models.Model]):
        self.constants, self.called, self.links = {}, [], {}
        for field in model._meta.concrete_fields:
            if field.generated:
                continue
            if field.has_default() and callable(field.default):
                self.called.append(field)
            else:
                self.constants[field.attname] = field.get_default()
            if field.many_to_one:
                self.links[field.name] = field
        self.names = frozenset(self.constants) | {f.attname for f in self.called}
        self.plain = self._plain(model)

    def _plain(self, model) -> bool:
        """Whether `model(**values)` does nothing a dict update would not: no init signals, and
        every field read through Django's plain descriptors (no file or custom descriptor)."""
        if pre_init.has_listeners(model) or post_init.has_listeners(model):
            return False
        for field in model._meta.concrete_fields:
            kind = type(getattr_static(model, field.attname))
            if kind not in (DeferredAttribute, ForeignKeyDeferredAttribute):
                return False
            if (
                field.many_to_one
                and type(getattr_static(model, field.name)) is not ForwardManyToOneDescriptor
            ):
                return False
        return True


@functools.cache
def _blank(model: type[models.Model]) -> _Blank:
    return _Blank(model)


def new_object(model: type[models.Model], **values):
    """`model(**values)`, the same object, built by filling its dict: Django's constructor walks
    every field and its descriptor, a fifth of an import's time for 20,000 projects. A link is
    given as a record (`agreement=…`, kept as Django keeps it) or as an id (`agreement_id=…`);
    anything else (a property, a wrong type, an unknown name) goes to Django's constructor, which
    sets it or refuses it in its own words."""
    blank = _blank(model)
    if not blank.plain:
        return model(**values)
    obj = model.__new__(model)
    state = obj._state = ModelState()
    found = obj.__dict__
    found.update(blank.constants)
    for field in blank.called:
        found[field.attname] = field.get_default()
    for name, value in values.items():
        link = blank.links.get(name)
        if link is not None:
            if value is not None and not isinstance(value, link.remote_field.model):
                return model(**values)
            found[link.attname] = None if value is None else getattr(value, link.target_field.attname)
            state.fields_cache[name] = value
        elif name in blank.names:
            found[name] = value
        else:
            return model(**values)
    return obj


def row_maker(model: type[models.Model]):
    """`make(**values)` → a `Row` of `model`, taking links as records (`agreement=…`) or ids."""
    links = {f.name: f.attname for f in model._meta.concrete_fields if f.many_to_one}
    names = frozenset(links)

    def make(**values) -> Row:
        for name in names.intersection(values):  # the links given as records, found in C
            linked = values[name]
            values[links[name]] = None if linked is None else linked.pk
        return Row(**values)

    return make


def stamp(model: type[models.Model], objects: list) -> None:
    """One "now" in every empty timestamp (created at, updated at) of new objects, as a save sets it:
    the record and its history row then say the same."""
    if not objects:
        return
    now = timezone.now()
    fields = [
        f.attname
        for f in model._meta.concrete_fields
        if isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add)
    ]
    for obj in objects:
        values = obj.__dict__
        for attname in fields:
            if values.get(attname) is None:
                values[attname] = now


def mark_written(objects: list) -> None:
    """Model instances written by `insert_rows` are in the database now: a later save updates them."""
    alias = connection.alias  # read once: each read goes through the connection handler
    for obj in objects:
        obj._state.adding = False
        obj._state.db = alias


def _datetime_converter(empty):
    """Adapts a datetime, remembering the last one: a batch's stamps are one value."""
    adapt, last = connection.ops.adapt_datetimefield_value, [None, None]

    def convert(value):
        if value is None:
            return empty
        if value is not last[0]:
            last[0], last[1] = value, adapt(value)
        return last[1]

    return convert


def _inline_converter(field: models.Field) -> str | None:
    """An expression converting `{}` for the database, for the commonest fields: written into the
    row maker, it saves a Python call per cell (a synth converts millions)."""
    if isinstance(field, MoneyField):
        return "(None if (v := {}) is None else int(v * 100))"
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        if type(connection.ops).adapt_datefield_value is BaseDatabaseOperations.adapt_datefield_value:
            return "(None if (v := {}) is None else str(v))"  # what Django's own adapter does (SQLite)
    return None


def _conversion(field: models.Field) -> tuple | None:
    """What `_converter` does to a field's values, as a value that two fields can compare."""
    if isinstance(field, models.DateTimeField):
        return ("datetime", field.null)
    if isinstance(field, models.DateField):
        return ("date",)
    if isinstance(field, models.FileField):
        return ("file",)
    if isinstance(field, models.DecimalField):
        return ("decimal", field.max_digits, field.decimal_places)
    return None


def _converter(field: models.Field, now):
    ops = connection.ops
    match _conversion(field):
        case ("datetime", null):
            # Timestamps left empty get "now"; a nullable one (a money row's cancelled_at) stays
            # empty, or every bulk-inserted transfer and payment would read as cancelled.
            return _datetime_converter(None if null else now)
        case ("date",):
            return ops.adapt_datefield_value
        case ("file",):
            return lambda v: v.name if v else ""
        case ("decimal", digits, places):
            adapt = ops.adapt_decimalfield_value
            return lambda v: adapt(v, digits, places)
    return None


def _positions_alike(fields: list, kept: list) -> list[int] | None:
    """Where each of the `kept` fields sits among `fields` when `_row_maker` writes it to the same
    value there (a model and the table of its history, which may leave some fields out: same
    attname, default and conversion, keys and links aside); None when one is written otherwise."""

    def writing(field):
        default = None if field.primary_key else field.get_default()
        return default, _inline_converter(field), _conversion(field)

    index = {field.attname: position for position, field in enumerate(fields)}
    positions = [index.get(field.attname) for field in kept]
    if None in positions or any(
        writing(fields[p]) != writing(f) for p, f in zip(positions, kept, strict=True)
    ):
        return None
    return positions


def _row_maker(fields: list[models.Field], now):
    """A function from an object to the tuple of its column values (a field's default when unset),
    compiled once per table: the loop over the fields runs in one expression, not in Python code."""
    names: dict[str, object] = {}
    parts = []
    for index, field in enumerate(fields):
        value = f"d.get({field.attname!r})"
        # What a model instance holds for a field it was not given (Model.__init__).
        default = None if field.primary_key else field.get_default()
        if default is not None:
            names[f"default{index}"] = default
            value = f"(default{index} if (v := {value}) is None else v)"
        inline = _inline_converter(field)
        convert = None if inline else _converter(field, now)
        if inline:
            value = inline.format(value)
        elif convert is not None:
            names[f"convert{index}"] = convert
            value = f"convert{index}({value})"
        parts.append(value)
    source = "lambda obj: (lambda d: ({},))(obj.__dict__)".format(", ".join(parts))
    return eval(_compiled(source), names)  # noqa: S307 (built from field names, never from data)


@functools.lru_cache(maxsize=256)
def _compiled(source: str):
    # A writer called once per small batch (synth, a refresh of kept figures) compiled its row maker
    # each time: a fifth of a millisecond, two thousand times in a synth of 2,000 agreements.
    return compile(source, "<row maker>", "eval")


def execute_rows(table: str, columns: list[str], rows, *, batch_size: int = BATCH) -> int:
    """INSERT the tuples `rows` into `table`'s `columns` with one `executemany` per batch."""
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(table), ", ".join(quote(c) for c in columns), ", ".join(["%s"] * len(columns))
    )
    count = 0
    with connection.cursor() as cursor:
        for batch in _chunks(rows, batch_size):
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _now():
    return connection.ops.adapt_datetimefield_value(timezone.now())


def table_rows(model: type[models.Model], objects: list, *, with_pk: bool | None = None, when=None):
    """(table, columns, iterator of value tuples) of `objects` (model instances, or any object whose
    `__dict__` holds the attnames); the primary keys are among the columns when they are set."""
    if with_pk is None:
        with_pk = bool(objects) and objects[0].__dict__.get(model._meta.pk.attname) is not None
    fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
    make = _row_maker(fields, when or _now())
    return model._meta.db_table, [f.column for f in fields], map(make, objects)


def history_rows(model: type[models.Model], objects: list, *, user=None, when=None, values=None):
    """(table, columns, iterator of value tuples) of the "created" history rows of `objects`, which
    have their primary keys: the values a save would record, by the object's `_history_user` (set by
    `core.services.set_history_user`) or `user`, at `when` (now). `values`: the objects' tuples
    already made for a table written alike (`_positions_alike`)."""
    historical = model.history.model
    fields = list(historical.tracked_fields)
    when = when or _now()
    if values is None:
        values = map(_row_maker(fields, when), objects)
    default_user = getattr(user, "pk", None)
    ends = {}  # (when, reason, type, author) by author: one tuple added to each row

    def rows():
        for obj, row in zip(objects, values, strict=True):
            author = obj.__dict__.get("_history_user")
            author = default_user if author is None else author.pk
            end = ends.get(author)
            if end is None:
                end = ends[author] = (when, None, "+", author)
            yield row + end

    columns = [f.column for f in fields]
    columns += ["history_date", "history_change_reason", "history_type", "history_user_id"]
    return historical._meta.db_table, columns, rows()


def insert_rows(
    model: type[models.Model], objects: list, *, batch_size: int = BATCH, with_pk: bool | None = None
) -> int:
    """Write `objects` with plain multi-row INSERTs. Their primary keys are written when set."""
    if not objects:
        return 0
    return execute_rows(*table_rows(model, objects, with_pk=with_pk), batch_size=batch_size)


def insert_history(model: type[models.Model], objects: list, *, user=None, batch_size: int = BATCH) -> int:
    """Write the "created" history rows of `objects` (see `history_rows`)."""
    if not objects:
        return 0
    return execute_rows(*history_rows(model, objects, user=user), batch_size=batch_size)


def insert_with_history(
    model: type[models.Model], objects: list, *, user=None, batch_size: int = BATCH
) -> int:
    """`insert_rows` then `insert_history` of new objects that have their primary keys. A history
    table keeps its model's columns, or some of them: each object's values are then made once for
    both tables (a sixth of an import's time went to making them twice)."""
    if not objects:
        return 0
    fields = list(model._meta.concrete_fields)
    positions = _positions_alike(fields, list(model.history.model.tracked_fields))
    if positions is None:
        return insert_rows(model, objects, batch_size=batch_size) + insert_history(
            model, objects, user=user, batch_size=batch_size
        )
    when = _now()
    table, columns, rows = table_rows(model, objects, with_pk=True, when=when)
    values = list(rows)
    written = execute_rows(table, columns, values, batch_size=batch_size)
    if positions == list(range(len(fields))):
        kept = values
    else:  # (itemgetter of one position gives the value, not a tuple)
        kept = (
            map(itemgetter(*positions), values)
            if len(positions) > 1
            else ((r[positions[0]],) for r in values)
        )
    history = history_rows(model, objects, user=user, when=when, values=kept)
    return written + execute_rows(*history, batch_size=batch_size)


def _add(errors: dict, index: int, name: str, error) -> None:
    errors[index].setdefault(name, []).extend(ValidationError(error).error_list)


def _refused(errors: dict, index: int, names) -> bool:
    """Whether one of these fields of the object is refused already: `full_clean()` then checks
    no unique rule or constraint that reads it."""
    found = errors.get(index)
    return bool(found) and any(name in found for name in names)


def _link_errors(model, objects, errors) -> None:
    """ForeignKey.validate() for every link that holds a value: one query per link and batch."""
    for field in model._meta.concrete_fields:
        if not field.many_to_one:
            continue
        wanted = defaultdict(list)
        for index, obj in enumerate(objects):
            value = obj.__dict__.get(field.attname)
            if value is not None:
                wanted[value].append(index)
        if not wanted:
            continue
        target, key = field.remote_field.model._base_manager, field.remote_field.field_name
        found = set()
        for chunk in _chunks(wanted):
            found.update(
                target.filter(**{f"{key}__in": chunk})
                .complex_filter(field.get_limit_choices_to())
                .values_list(key, flat=True)
            )
        for value in set(wanted) - found:
            params = {
                "model": field.remote_field.model._meta.verbose_name,
                "pk": value,
                "field": key,
                "value": value,
            }
            error = ValidationError(field.error_messages["invalid"], code="invalid", params=params)
            for index in wanted[value]:
                _add(errors, index, field.name, error)


def _unique_sets(model) -> list[tuple[tuple[str, ...], object]]:
    """(field names, constraint or None, error key) of each unique rule a value comparison decides:
    a unique field's error is the field's, the others' the record's (as `full_clean()` files them)."""
    sets = [((f.name,), None, f.name) for f in model._meta.concrete_fields if f.unique and not f.primary_key]
    sets += [(tuple(names), None, NON_FIELD_ERRORS) for names in model._meta.unique_together]
    for constraint in model._meta.total_unique_constraints:
        sets.append((tuple(constraint.fields), constraint, NON_FIELD_ERRORS))
    return sets


def _unique_errors(model, objects, errors, absent=frozenset()) -> None:
    for names, constraint, error_key in _unique_sets(model):
        fields = [model._meta.get_field(name) for name in names]
        key_of = {}
        for index, obj in enumerate(objects):
            key = tuple(obj.__dict__.get(f.attname) for f in fields)
            if any(v is None for v in key) or _refused(errors, index, names):
                continue  # NULLs are distinct
            key_of.setdefault(key, []).append(index)
        taken = set() if names in absent else _taken(model, fields, key_of)
        for key, indexes in key_of.items():
            # In the database already, or an earlier row of the batch has it: every row after the first.
            clashing = indexes if key in taken else indexes[1:]
            for index in clashing:
                _add(errors, index, error_key, _unique_message(model, objects[index], names, constraint))


def _taken(model, fields, keys) -> set[tuple]:
    """The keys (tuples of the fields' values) already in the table."""
    names = [f.attname for f in fields]
    taken = set()
    if len(fields) == 1:
        for chunk in _chunks(key[0] for key in keys):
            taken.update(
                (value,)
                for value in model._default_manager.filter(**{f"{names[0]}__in": chunk}).values_list(
                    names[0], flat=True
                )
            )
        return taken
    # Several fields: the rows sharing the first one's values, compared in Python.
    firsts = {key[0] for key in keys}
    for chunk in _chunks(firsts):
        found = model._default_manager.filter(**{f"{names[0]}__in": chunk}).values_list(*names)
        taken.update(key for key in found if key in keys)
    return taken


def _unique_message(model, obj, names, constraint) -> ValidationError:
    if constraint is None or constraint.violation_error_message == constraint.default_violation_error_message:
        return obj.unique_error_message(model, list(names))
    return ValidationError(constraint.get_violation_error_message(), code=constraint.violation_error_code)


def _check_constraint_errors(model, objects, errors) -> None:
    """Each check constraint asked once per distinct value of the fields it reads."""
    for constraint in model._meta.constraints:
        if not isinstance(constraint, models.CheckConstraint):
            continue
        names = sorted(constraint.condition.referenced_base_fields)
        fields = [model._meta.get_field(name) for name in names]
        groups = defaultdict(list)
        for index, obj in enumerate(objects):
            if not _refused(errors, index, names):
                groups[tuple(obj.__dict__.get(f.attname) for f in fields)].append(index)
        for indexes in groups.values():
            try:
                constraint.validate(model, objects[indexes[0]])
            except ValidationError as error:
                for index in indexes:
                    _add(errors, index, NON_FIELD_ERRORS, error)


def _value_keys(column: list) -> list:
    """A key for each value, equal for values that clean alike: the type and, for numbers, the
    written form belong to it (1.0 and 1.00 are equal but do not pass the same digit checks)."""
    kinds = set(map(type, column)) - {type(None)}
    if len(kinds) <= 1:  # the usual column: one type, or none but empty cells (keys built in C)
        return list(map(repr, column)) if kinds & {Decimal, float} else column
    return [(type(v), repr(v) if type(v) in (Decimal, float) else v) for v in column]


def _kept_amount(value) -> bool:
    return type(value) is Decimal and value.as_tuple().exponent == -2 and 0 <= value <= MAX_AMOUNT


@functools.cache
def _kept_as_is(field: models.Field):
    """A test of the values `clean_field` keeps as they are without a message, for a plain text
    field (no choices, no validator but its length): a column of 20,000 distinct titles is then
    checked without a call per value; an amount already in centimes and within bounds likewise.
    None for the other fields."""
    if field.choices or not field.editable or field._validators:
        return None
    if type(field) is MoneyField:
        return _kept_amount
    if type(field) not in (models.CharField, models.TextField):
        return None
    limits = [getattr(validator, "limit_value", None) for validator in field.validators]
    if any(type(v) is not MaxLengthValidator for v in field.validators) or any(map(callable, limits)):
        return None
    limit = min(limits, default=None)

    def kept(value) -> bool:
        return (
            type(value) is str
            and value != ""
            and "\x00" not in value
            and (limit is None or len(value) <= limit)
        )

    return kept


def _field_errors(model, objects, errors) -> None:
    """`clean_fields()` of every object, each field's distinct values cleaned once
    (`core.models.clean_field` reads the value alone), a column at a time; a link holding a value
    is checked against its table by `_link_errors`."""
    for field in model._meta.fields:
        attname = field.attname
        column = [obj.__dict__.get(attname) for obj in objects]
        keys = _value_keys(column)
        try:
            first = dict(zip(keys, range(len(keys)), strict=True))  # an object holding each value
        except TypeError:  # an unhashable value (JSON): each object's value on its own
            keys = list(range(len(keys)))
            first = {index: index for index in keys}
        kept = _kept_as_is(field)
        results = {
            key: clean_field(objects[index], field, column[index])
            for key, index in first.items()
            if not (field.many_to_one and column[index] is not None)
            and not (kept is not None and kept(column[index]))
        }
        changed = {
            key
            for key, (cleaned, messages) in results.items()
            if messages or cleaned is not column[first[key]]
        }
        if not changed:
            continue
        for index, key in enumerate(keys):
            if key in changed:
                cleaned, messages = results[key]
                if messages:
                    _add(errors, index, field.name, messages)
                else:
                    setattr(objects[index], attname, cleaned)


def _full_clean_each(model, objects, errors) -> None:
    links = [f for f in model._meta.concrete_fields if f.many_to_one]
    for index, obj in enumerate(objects):
        # A link that holds a value is checked by _link_errors for all objects at once.
        checked_below = [f.name for f in links if obj.__dict__.get(f.attname) is not None]
        try:
            obj.full_clean(exclude=checked_below, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for name, messages in error.error_dict.items():
                _add(errors, index, name, messages)


def bulk_full_clean(objects: list[models.Model], *, absent=()) -> dict[int, ValidationError]:
    """{index of the object: the ValidationError that its `full_clean()` would raise} for new
    objects of one model, at a number of queries that does not grow with each row. `absent`: unique
    fields whose values the caller has just found missing from the table, in this transaction
    (an import routes the references it finds to the one-by-one path): they are compared within the
    batch only, without asking the database again."""
    if not objects:
        return {}
    model = type(objects[0])
    errors: dict[int, dict] = defaultdict(dict)
    if model.clean_fields is TrackedModel.clean_fields:
        _field_errors(model, objects, errors)
        for index, obj in enumerate(objects):
            try:
                obj.clean()  # after the fields, even when one is refused, as full_clean() does
            except ValidationError as error:
                for name, messages in error.update_error_dict({}).items():
                    _add(errors, index, name, messages)
    else:
        _full_clean_each(model, objects, errors)
    _link_errors(model, objects, errors)
    _unique_errors(model, objects, errors, frozenset((name,) for name in absent))
    _check_constraint_errors(model, objects, errors)
    return {index: ValidationError(found) for index, found in errors.items() if found}
