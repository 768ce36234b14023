"""One row's raw cells read into values by the kind of their column; each unreadable cell is named."""

from functools import lru_cache

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from shiraka.core.text import fold

from . import cells
from .columns import (
    AMOUNT,
    BOOL,
    CHOICE,
    COMMUNES,
    DATE,
    INT,
    ORGANISATION,
    PROGRAMME,
    PROVINCE,
    REGION,
    choice_values,
)

# A choice column holds a few values many times over: each is folded once.
_folded = lru_cache(maxsize=1024)(fold)

READERS = {
    DATE: cells.parse_date,
    AMOUNT: cells.parse_amount,
    INT: cells.parse_int,
    BOOL: cells.parse_bool,
}


def _choice(sheet_key: str, column, value):
    found = choice_values(sheet_key, column.key).get(_folded(cells.text(value)))
    if found is None:
        separator = "، " if get_language() == "ar" else ", "
        allowed = separator.join(str(label) for _value, label in column.choices)
        raise cells.CellError(_("This value is not one of: %(allowed)s.") % {"allowed": allowed})
    return found


def _reader(table, column):
    """The function reading a cell of `column`: `read(value, lookups)`."""
    if column.kind in READERS:
        parse = READERS[column.kind]
        return lambda value, _lookups: parse(value)
    if column.kind == CHOICE:
        return lambda value, _lookups: _choice(table.sheet.key, column, value)
    lookup = {ORGANISATION: "organisation", REGION: "region", PROVINCE: "province", PROGRAMME: "programme"}
    if column.kind in lookup:
        name = lookup[column.kind]
        return lambda value, lookups: getattr(lookups, name)(value)
    return lambda value, _lookups: cells.text(value)


class _Plan:
    """A table's importable columns read once: by key, their place and reader, and the required
    ones. A row then visits its own filled cells, not every column of the sheet."""

    def __init__(self, table):
        columns = table.sheet.importable()
        self.by_key = {c.key: (place, c, _reader(table, c)) for place, c in enumerate(columns)}
        self.required = [(place, c) for place, c in enumerate(columns) if c.required]


def _plan(table) -> _Plan:
    plan = table.__dict__.get("plan")
    if plan is None:
        plan = table.__dict__["plan"] = _Plan(table)
    return plan


def parse_row(table, values: dict, lookups) -> tuple[dict, list[tuple[str, str]]]:
    """(column key → value for the filled cells, [(column key, message)] for the unreadable ones, in
    the order of the sheet's columns). An empty cell is absent from the values: on an existing
    record it leaves the field as it is."""
    plan = _plan(table)
    data, errors = {}, []
    communes = None
    for key, value in values.items():
        found = plan.by_key.get(key)
        if found is None or cells.is_empty(value):
            continue
        place, column, read = found
        if column.kind == COMMUNES:
            communes = (place, column, value)
            continue
        try:
            data[key] = read(value, lookups)
        except cells.CellError as error:
            errors.append((place, key, str(error.message)))
    for place, column in plan.required:
        if cells.is_empty(values.get(column.key)):
            errors.append((place, column.key, str(_("This cell must be filled."))))
    if communes is not None:
        place, column, value = communes
        try:
            data[column.key] = lookups.communes(value, data.get("province"))
        except cells.CellError as error:
            errors.append((place, column.key, str(error.message)))
    return data, [(key, message) for _place, key, message in sorted(errors, key=lambda e: e[0])]
