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


def _read(table, column, value, lookups):
    if column.kind in READERS:
        return READERS[column.kind](value)
    if column.kind == CHOICE:
        return _choice(table.sheet.key, column, value)
    if column.kind == ORGANISATION:
        return lookups.organisation(value)
    if column.kind == REGION:
        return lookups.region(value)
    if column.kind == PROVINCE:
        return lookups.province(value)
    if column.kind == PROGRAMME:
        return lookups.programme(value)
    return cells.text(value)


def parse_row(table, values: dict, lookups) -> tuple[dict, list[tuple[str, str]]]:
    """(column key → value for the filled cells, [(column key, message)] for the unreadable ones).
    An empty cell is absent from the values: on an existing record it leaves the field as it is."""
    data, errors = {}, []
    communes = None
    importable = table.__dict__.get("importable")
    if importable is None:  # once per table, not per row
        importable = table.__dict__["importable"] = table.sheet.importable()
    for column in importable:
        value = values.get(column.key)
        if cells.is_empty(value):
            if column.required:
                errors.append((column.key, _("This cell must be filled.")))
            continue
        if column.kind == COMMUNES:
            communes = (column, value)
            continue
        try:
            data[column.key] = _read(table, column, value, lookups)
        except cells.CellError as error:
            errors.append((column.key, str(error.message)))
    if communes is not None:
        try:
            data[communes[0].key] = lookups.communes(communes[1], data.get("province"))
        except cells.CellError as error:
            errors.append((communes[0].key, str(error.message)))
    return data, errors
