"""Rows out as XLSX, CSV and JSON, a row at a time: the CSV and JSON writers are generators a
streaming response sends as they come, the XLSX one uses openpyxl's write-only mode (rows go to a
temporary file, not to memory). Numbers and dates are typed cells in XLSX; no text is ever written as
a formula (a typed string in XLSX, a leading quote in CSV)."""

import csv
import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _

from .cells import FORMULA_STARTS, safe_text
from .columns import AMOUNT, DATE, INT, Sheet

BOM = "\ufeff"  # Excel opens a UTF-8 CSV with Arabic text correctly only with it
AMOUNT_FORMAT = "#,##0.00"
DATE_FORMAT = "DD/MM/YYYY"


def plain(value) -> str | int | Decimal | date | None:
    """A value as a cell holds it: records become their name in the active language."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if value is None or isinstance(value, str | int | Decimal | date):
        return value
    if isinstance(value, list | tuple):
        return "; ".join(str(item) for item in value)
    return str(value)


class _Line:
    """A file-like object whose write() hands back what the csv module wrote."""

    def write(self, value: str) -> str:
        return value


def _csv_cell(value) -> str:
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal | int):
        return str(value)
    return safe_text(value)


def csv_chunks(sheet: Sheet, rows: Iterable[dict], *, language: str, delimiter: str = ",") -> Iterator[str]:
    writer = csv.writer(_Line(), delimiter=delimiter)
    with translation.override(language):
        yield BOM + writer.writerow([column.header() for column in sheet.columns])
        for row in rows:
            yield writer.writerow([_csv_cell(row.get(column.key)) for column in sheet.columns])


def _json_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    value = plain(value)
    if isinstance(value, Decimal):
        return str(value)  # a JSON number written exactly, never through a float
    if isinstance(value, date):
        return json.dumps(value.isoformat())
    return json.dumps(value, ensure_ascii=False)


def json_chunks(sheet: Sheet, rows: Iterable[dict], *, language: str) -> Iterator[str]:
    """A JSON array of objects keyed by the columns' stable English keys."""
    yield "["
    first = True
    with translation.override(language):
        for row in rows:
            body = ", ".join(f"{json.dumps(c.key)}: {_json_value(row.get(c.key))}" for c in sheet.columns)
            yield ("\n" if first else ",\n") + "{" + body + "}"
            first = False
    yield "\n]\n"


def _xlsx_cell(worksheet, column, value, cell_class):
    value = plain(value)
    if isinstance(value, datetime):
        value = value.date()
    cell = cell_class(worksheet, value=value)
    if isinstance(value, date):
        cell.number_format = DATE_FORMAT
    elif column.kind == AMOUNT and value is not None:
        cell.number_format = AMOUNT_FORMAT
    elif isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"  # text, never a formula
    return cell


def write_xlsx(sheets: Iterable[tuple[Sheet, Iterable[dict]]], target, *, language: str) -> None:
    """Write each (sheet, rows) as a worksheet of `target` (a path or a binary file): headers in the
    reader's language, frozen header row, right to left in Arabic."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    with translation.override(language):
        for sheet, rows in sheets:
            worksheet = workbook.create_sheet(sheet.title())
            worksheet.sheet_view.rightToLeft = language == "ar"
            worksheet.freeze_panes = "A2"
            for index, column in enumerate(sheet.columns, start=1):
                wide = column.kind not in (AMOUNT, DATE, INT)
                worksheet.column_dimensions[get_column_letter(index)].width = 30 if wide else 16
            header = []
            for column in sheet.columns:
                cell = WriteOnlyCell(worksheet, value=column.header())
                cell.font = bold
                header.append(cell)
            worksheet.append(header)
            for row in rows:
                worksheet.append(
                    [_xlsx_cell(worksheet, c, row.get(c.key), WriteOnlyCell) for c in sheet.columns]
                )
    workbook.save(target)
