"""What secretariats type in a cell, read as they meant it (amounts, dates, yes/no), or refused."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from shiraka.exchange.cells import CellError, parse_amount, parse_bool, parse_date, text


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("1 500 000,50", "1500000.50"),
        ("1\u00a0500\u00a0000,50 DH", "1500000.50"),
        ("1.500.000,50", "1500000.50"),
        ("1,500,000.50", "1500000.50"),
        ("1500000.5", "1500000.50"),
        ("12.500", "12500.00"),
        ("12,500", "12500.00"),
        ("12,5", "12.50"),
        ("3.500 Dhs", "3500.00"),
        ("1 200 dirhams", "1200.00"),
        ("75 000 د.م.", "75000.00"),
        ("٧٥٬٠٠٠٫٥٠ درهم", "75000.50"),
        ("443 000 000 درهم", "443000000.00"),
        ("١٢٣٤٥٦", "123456.00"),
        (1500000.5, "1500000.50"),
        (443000000, "443000000.00"),
    ],
)
def test_amounts_with_spaces_commas_or_dots(typed, amount):
    assert parse_amount(typed) == Decimal(amount)


@pytest.mark.parametrize("typed", ["abc", "-5", "1,234,5.6.7", 1.005, "12,3456"])
def test_what_is_not_an_amount_in_dirhams_is_refused(typed):
    with pytest.raises(CellError):
        parse_amount(typed)


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("06/11/2023", date(2023, 11, 6)),
        ("6/11/2023", date(2023, 11, 6)),
        ("06-11-2023", date(2023, 11, 6)),
        ("2023-11-06", date(2023, 11, 6)),
        (45236, date(2023, 11, 6)),  # an Excel date left as a number
        (datetime(2023, 11, 6, 0, 0), date(2023, 11, 6)),
        ("٠٦/١١/٢٠٢٣", date(2023, 11, 6)),
    ],
)
def test_dates_as_excel_dates_or_dd_mm_yyyy(typed, day):
    assert parse_date(typed) == day


@pytest.mark.parametrize("typed", ["31/02/2024", "11/2023", "demain", -3])
def test_impossible_dates_are_refused(typed):
    # Twice: the dates of a sheet are read once each, and a refusal is not remembered as a date.
    for _ in range(2):
        with pytest.raises(CellError):
            parse_date(typed)


def test_yes_no_in_three_languages_and_quoted_formulas():
    assert [parse_bool(v) for v in ("oui", "نعم", "Yes", "non", "لا", 0)] == [
        True,
        True,
        True,
        False,
        False,
        False,
    ]
    assert text("'=SUM(A1)") == "=SUM(A1)" and text("'abc") == "'abc"
