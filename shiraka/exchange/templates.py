"""The blank workbook of each kind, to fill and upload: one sheet per kind of row with its headers in
the reader's language, and an instructions sheet saying what each column takes."""

from django.utils import translation
from django.utils.translation import gettext as _

from .columns import CHOICE, KIND_HELP, TEMPLATES, TEXT, Column, Sheet
from .writers import write_xlsx


def _column_help(column) -> str:
    if column.kind == CHOICE:
        return _("One of: %(values)s.") % {
            "values": ", ".join(str(label) for _value, label in column.choices)
        }
    return str(KIND_HELP.get(column.kind, KIND_HELP[TEXT]))


def _instruction_rows(sheets):
    general = [
        _("Fill one row per record, from line 2. Keep the headers of line 1; columns may be in any order."),
        _("Names of provinces, communes and organisations may be written in Arabic or in French."),
        _("Dates: Excel dates or dd/mm/yyyy. Amounts in dirhams, with spaces, commas or dots."),
        _(
            "A row whose reference already exists changes that record; an empty cell leaves its value as it is."
        ),
        _(
            "No formulas: paste values. Shiraka first shows what it will write; nothing is written before you confirm."
        ),
    ]
    yield from ({"a": line} for line in general)
    for sheet in sheets:
        yield {}
        yield {"a": sheet.title()}
        for column in sheet.importable():
            required = _("required") if column.required else ""
            yield {"a": column.header(), "b": required, "c": _column_help(column)}


def write_template(kind: str, target, *, language: str) -> None:
    sheets = TEMPLATES[kind]
    with translation.override(language):
        instructions = Sheet(
            "instructions",
            _("Instructions"),
            (Column("a", _("Column")), Column("b", _("Required")), Column("c", _("What to write"))),
        )
        rows = list(_instruction_rows(sheets))
    blank = [(Sheet(s.key, s.label, s.importable()), []) for s in sheets]
    write_xlsx([*blank, (instructions, rows)], target, language=language)
