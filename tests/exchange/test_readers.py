"""Workbooks are read by calamine unless a cell holds a formula or an error; both readers must give
the import the same cells, whatever types Excel stored them as."""

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from shiraka.accounts.models import Membership
from shiraka.exchange import readers
from shiraka.exchange.imports import import_workbook
from shiraka.projects.models import Project
from tests import factories
from tests.factories import sheet_headers

pytestmark = pytest.mark.django_db

KEYS = ["reference", "agreement", "title_fr", "category", "province", "budget", "planned_start"]


def typed_rows() -> list[list]:
    """Rows as a spreadsheet stores them when people type numbers and dates, not text."""
    return [
        sheet_headers("projects", KEYS),
        [
            "P-1",
            "A-1",
            "Centre de santé",
            "health_centre",
            "Inezgane-Aït Melloul",
            1_500_000.5,
            date(2025, 3, 1),
        ],
        [2024, "A-1", "مركز صحي", "health_centre", None, 12, datetime(2025, 1, 2, 0, 0)],
        [None, None, None, None, None, None, None],  # a blank row in the middle is skipped
        ["P-3", "A-1", "  ", "health_centre", "إنزكان آيت ملول", "1 200,50", "15/01/2024"],
    ]


def workbook(rows: list[list], *, write_only: bool) -> io.BytesIO:
    # Normal mode writes text as shared strings, write-only mode inline: Excel files have either.
    book = Workbook(write_only=write_only)
    if not write_only:
        book.remove(book.active)
    instructions = book.create_sheet("Instructions")
    instructions.append(["Ce feuillet n'est pas lu."])
    sheet = book.create_sheet("Projets")
    for row in rows:
        if write_only:
            row = [WriteOnlyCell(sheet, value=value) if value is not None else None for value in row]
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def read(tables) -> list:
    """(sheet, headers, [(line, filled cells, formulas)]) with dates as dates: openpyxl gives a date
    cell as a datetime at midnight, calamine as a date, and an empty cell as None where calamine
    leaves it out; the import reads them the same."""

    def plain(value):
        return (
            value.date()
            if isinstance(value, datetime) and value == datetime(*value.timetuple()[:3])
            else value
        )

    return [
        (
            t.sheet.key,
            t.headers,
            [
                (line, {k: plain(v) for k, v in cells.items() if v is not None}, f)
                for line, cells, f in t.rows
            ],
        )
        for t in tables
    ]


@pytest.mark.parametrize("write_only", [False, True])
def test_calamine_and_openpyxl_give_the_same_cells(write_only):
    file = workbook(typed_rows(), write_only=write_only)
    assert not readers._has_formula_or_error(file)
    fast = read(readers._workbook_tables(file))
    file.seek(0)
    assert fast == read(readers._openpyxl_tables(file))
    [(sheet, _headers, rows)] = fast
    assert sheet == "projects"
    assert [line for line, _cells, _formulas in rows] == [2, 3, 5]
    assert rows[0][1]["planned_start"] == date(2025, 3, 1) and rows[0][1]["budget"] == 1_500_000.5
    assert rows[2][1]["title_fr"] == "  "  # a blank text cell is kept: the import treats it as empty


@pytest.mark.parametrize("cell", ["=1+2", "#N/A"])
def test_a_workbook_with_a_formula_or_an_error_cell_is_read_by_openpyxl(cell):
    rows = typed_rows()
    rows[1][5] = cell
    book = Workbook()
    for row in rows:
        book.active.append(row)
    if cell == "#N/A":
        book.active["F2"].data_type = "e"
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    assert readers._has_formula_or_error(buffer)
    [table] = readers._workbook_tables(buffer)
    line, cells, formulas = next(table.rows)
    assert line == 2
    assert (formulas, cells.get("budget")) == ((["budget"], None) if cell[0] == "=" else ([], "#N/A"))


def test_typed_cells_are_imported_as_typed(reference):
    province = factories.province("09.273")
    user = factories.member(Membership.Role.SECRETARIAT, province=province, username="sec")
    factories.agreement(reference="A-1", province=province)
    file = workbook(typed_rows(), write_only=False)
    file.name = "projets.xlsx"
    report = import_workbook(file, user, dry_run=False)
    assert report.errors == []
    budgets = dict(Project.objects.values_list("reference", "budget"))
    assert budgets == {"P-1": Decimal("1500000.50"), "2024": Decimal("12.00"), "P-3": Decimal("1200.50")}
    assert Project.objects.get(reference="P-1").planned_start == date(2025, 3, 1)
    assert Project.objects.get(reference="2024").planned_start == date(2025, 1, 2)


@pytest.mark.parametrize(
    ("xml", "marked"),
    [
        (b'<c r="A1"><f>1+2</f><v>3</v></c>', True),
        (b'<x:c r="A2"><x:f t="shared" si="0"/></x:c>', True),  # a namespace prefix, a shared formula
        (b'<c r="A3"><f\n>1</f></c>', True),
        (b'<c r="A4" t="e"><v>#N/A</v></c>', True),
        (b"<dataValidation><formula1>1</formula1></dataValidation>", False),  # not a cell's formula
        (b'<c r="A5" t="inlineStr"><is><t>Note:foo</t></is></c>', False),
        (b"<sheetData/><f", False),
    ],
)
def test_formula_and_error_marks(xml, marked):
    assert readers._holds_formula_or_error(xml) is marked
