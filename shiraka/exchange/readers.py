"""Workbooks and CSV files read into tables of raw cells, after the file itself has been checked:
size, emptiness, and for a workbook the ZIP directory (uncompressed size, number of parts) before any
reader opens it. A file refused as a whole raises `FileRefused` with a message in the reader's
language; a formula is refused cell by cell, so the report names each one."""

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shiraka.core.text import fold
from shiraka.core.uploads import XLSX, check_upload

from .columns import IMPORT_ORDER, Column, Sheet, header_names, sheet_names

OLD_EXCEL = b"\xd0\xcf\x11\xe0"  # the OLE header of .xls files
CSV_DELIMITERS = ",;\t"
INSTRUCTIONS = {"instructions", "تعليمات", "mode demploi"}


class FileRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    sheet: Sheet
    title: str
    columns: dict[int, Column]
    headers: dict[str, str]  # column key → header as written in the file
    rows: Iterator  # (line, {column key: raw value}, formula column keys)
    size: int = 0  # rows announced by the file (an estimate for the progress bar)
    unknown_headers: list[str] = field(default_factory=list)


def _size_of(file) -> int:
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, io.SEEK_END)
        size = file.tell()
    file.seek(0)
    return size


def open_tables(file) -> list[Table]:
    """The tables of an uploaded workbook or CSV file, in the order their rows must be written."""
    if _size_of(file) == 0:
        raise FileRefused(_("This file is empty."))
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if head.startswith(OLD_EXCEL):
        raise FileRefused(_("This is an old Excel file (.xls): save it as an Excel workbook (.xlsx) first."))
    if head.startswith(b"PK"):
        try:
            check_upload(file, allowed={XLSX})  # size, ZIP directory, content types: before openpyxl
        except ValidationError as error:
            raise FileRefused(" ".join(str(m) for m in error.messages)) from None
        tables = _workbook_tables(file)
    else:
        tables = [_csv_table(file)]
    if not tables:
        raise FileRefused(_("No sheet of this file has the columns of a Shiraka template."))
    order = [sheet.key for sheet in IMPORT_ORDER]
    return sorted(tables, key=lambda t: order.index(t.sheet.key))


def _match_headers(values: list, sheet: Sheet | None) -> tuple[Sheet | None, dict[int, Column], list[str]]:
    folded = [fold(str(v)) if v is not None else "" for v in values]
    candidates = [sheet] if sheet else list(IMPORT_ORDER)
    best = (None, {}, [])
    for candidate in candidates:
        names = header_names(candidate.key)
        columns = {i: names[f] for i, f in enumerate(folded) if f in names}
        required = {c.key for c in candidate.columns if c.required}
        if sheet is None and not required <= {c.key for c in columns.values()}:
            continue
        if len(columns) > len(best[1]):
            unknown = [str(values[i]) for i, f in enumerate(folded) if f and i not in columns]
            best = (candidate, columns, unknown)
    return best


# A cell holding a formula (`<f>`, shared and array formulas included, in any namespace prefix) or an
# error value (t="e"): such a workbook is read by openpyxl, which names each of those cells. Found
# by plain byte searches, each hit of "<f" or ":f" checked for the end of an element name (not
# <formula1>): a regular expression took 180 ms over the 12 MB of a 20,000-row sheet, this 30 ms.
# A mark that happens to stand in a text cell only sends the workbook to the slower reader.
ERROR_MARKS = (b't="e"', b"t='e'")
NAME_ENDS = frozenset(b">/ \t\n\r")


def _holds_formula_or_error(xml: bytes) -> bool:
    if any(mark in xml for mark in ERROR_MARKS):
        return True
    for start in (b"<f", b":f"):
        at = xml.find(start)
        while at != -1:
            if at + 2 < len(xml) and xml[at + 2] in NAME_ENDS:
                return True
            at = xml.find(start, at + 2)
    return False


def _has_formula_or_error(file) -> bool:
    file.seek(0)
    with zipfile.ZipFile(file) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                if _holds_formula_or_error(archive.read(name)):
                    return True
    return False


def _workbook_tables(file) -> list[Table]:
    """Calamine reads the cells' values about thirty times faster than openpyxl, but gives a
    formula's last computed value (or nothing) and an error cell as empty: a workbook with either
    is read by openpyxl instead, so that each such cell is refused by name."""
    try:
        readable = not _has_formula_or_error(file)
    except (zipfile.BadZipFile, OSError):
        readable = False
    file.seek(0)
    if not readable:
        return _openpyxl_tables(file)
    from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum

    try:
        workbook = CalamineWorkbook.from_filelike(file)
        sheets = [
            (meta.name, workbook.get_sheet_by_name(meta.name).to_python(skip_empty_area=False))
            for meta in workbook.sheets_metadata
            if meta.typ == SheetTypeEnum.WorkSheet
        ]
    except (CalamineError, OSError, ValueError):
        raise FileRefused(
            _("This workbook cannot be read: open it in Excel and save it again as .xlsx.")
        ) from None
    tables = []
    for title, rows in sheets:
        if fold(title) in INSTRUCTIONS or not rows:
            continue
        body = rows[1:]
        table = _table(title, rows[0], len(body), lambda columns, body=body: _values(body, columns))
        if table:
            tables.append(table)
    return tables


def _table(title: str, header: list, size: int, read_rows) -> Table | None:
    """The table of a sheet whose first row names a template's columns; `read_rows(columns)` gives
    its rows as (line, {column key: value}, formula column keys)."""
    sheet, columns, unknown = _match_headers(header, sheet_names().get(fold(title)[:31]))
    if sheet is None or not columns:
        return None
    return Table(
        sheet=sheet,
        title=title,
        columns=columns,
        headers={c.key: str(header[i]) for i, c in columns.items()},
        rows=read_rows(columns),
        size=size,
        unknown_headers=unknown,
    )


def _values(rows: list[list], columns: dict[int, Column]) -> Iterator:
    places = [(index, column.key) for index, column in columns.items()]
    for line, row in enumerate(rows, start=2):
        size = len(row)
        values = {key: row[index] for index, key in places if index < size and row[index] != ""}
        # A number, a date or a yes/no is never blank; a text may be spaces only.
        if any(not isinstance(v, str) or not v.isspace() for v in values.values()):
            yield line, values, []


def _openpyxl_tables(file) -> list[Table]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(file, read_only=True, data_only=False)
    except Exception:
        raise FileRefused(
            _("This workbook cannot be read: open it in Excel and save it again as .xlsx.")
        ) from None
    tables = []
    for worksheet in workbook.worksheets:
        title = worksheet.title
        if fold(title) in INSTRUCTIONS:
            continue
        rows = worksheet.iter_rows()
        header = next(rows, None)
        if header is None:
            continue
        size = max((worksheet.max_row or 1) - 1, 0)
        table = _table(
            title, [c.value for c in header], size, lambda columns, rows=rows: _cells(rows, columns)
        )
        if table:
            tables.append(table)
    return tables


def _cells(rows, columns: dict[int, Column]) -> Iterator:
    for line, row in enumerate(rows, start=2):
        values, formulas = {}, []
        for index, column in columns.items():
            cell = row[index] if index < len(row) else None
            if cell is None:
                continue
            if getattr(cell, "data_type", None) == "f":
                formulas.append(column.key)
                continue
            values[column.key] = cell.value
        if any(v is not None and str(v).strip() for v in values.values()) or formulas:
            yield line, values, formulas


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        guess = data.decode("cp1256")
    except UnicodeDecodeError:
        guess = ""
    if any("\u0621" <= ch <= "\u064a" for ch in guess):
        raise FileRefused(
            _(
                "This CSV file is in Windows-1256 (Excel's Arabic encoding), not in UTF-8: in Excel, "
                'choose Save As, then "CSV UTF-8 (comma delimited)", and upload that file.'
            )
        )
    raise FileRefused(_('This CSV file is not in UTF-8: save it as "CSV UTF-8" and upload it again.'))


def _csv_table(file) -> Table:
    file.seek(0)
    content = _decode(file.read())
    first = content.split("\n", 1)[0]
    delimiter = max(CSV_DELIMITERS, key=first.count)
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
    header = next(reader, None)
    if not header or not any(h.strip() for h in header):
        raise FileRefused(_("This file is empty."))
    sheet, columns, unknown = _match_headers(header, None)
    if sheet is None:
        raise FileRefused(
            _("The columns of this file were not recognised: start from a template downloaded from Shiraka.")
        )

    def rows():
        for line, values in enumerate(reader, start=2):
            cells = {c.key: values[i] for i, c in columns.items() if i < len(values)}
            if any(v.strip() for v in cells.values()):
                yield line, cells, []

    return Table(
        sheet=sheet,
        title=str(sheet.label),
        columns=columns,
        headers={c.key: header[i] for i, c in columns.items()},
        rows=rows(),
        size=content.count("\n"),
        unknown_headers=unknown,
    )
