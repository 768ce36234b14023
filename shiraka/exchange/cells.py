"""What secretariats type in a cell, read as a value, and values written so that no spreadsheet reads
them as a formula. Every refusal is a `CellError` with a message in the reader's language."""

import re
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from django.utils.translation import gettext_lazy as _

from shiraka.core.text import fold

# Characters that make a spreadsheet start a formula (OWASP's CSV injection list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0 in the 1900 date system (with its leap-year bug)
DATE_PATTERN = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
ISO_PATTERN = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$")
SPACES = re.compile(r"[\s\u00a0\u202f\u2009']+")
CURRENCY = re.compile(r"(?i)(mad|dhs?|dirhams?|درهم|دراهم|د\.م\.?)\s*$")
ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩٫٬", "0123456789.,")
YES = {"1", "yes", "oui", "نعم", "x", "true", "vrai", "y", "o"}
NO = {"0", "no", "non", "لا", "false", "faux", "n"}


class CellError(ValueError):
    """A cell that cannot be read; `message` is translated (lazily)."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value) -> str:
    """A text cell: our exports prefix a quote to text that looks like a formula; it is taken off."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    result = str(value).strip()
    if len(result) > 1 and result[0] == "'" and result[1] in FORMULA_STARTS:
        result = result[1:]
    return result


def parse_date(value) -> date | None:
    if is_empty(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # Excel's serial numbers, up to 31/12/9999
            return EXCEL_EPOCH + timedelta(days=int(value))
        raise CellError(_("This is not a date: write it as dd/mm/yyyy."))
    return _date_of_text(text(value))


# A sheet's dates are a few hundred distinct days written over and over: each is read once.
@lru_cache(maxsize=4096)
def _date_of_text(raw: str) -> date:
    raw = raw.translate(ARABIC_DIGITS)
    try:
        if match := DATE_PATTERN.match(raw):
            day, month, year = (int(part) for part in match.groups())
            return date(year, month, day)
        if match := ISO_PATTERN.match(raw):
            year, month, day = (int(part) for part in match.groups())
            return date(year, month, day)
    except ValueError:
        raise CellError(_("This date does not exist: check the day and the month (dd/mm/yyyy).")) from None
    raise CellError(_("This is not a date: write it as dd/mm/yyyy."))


def _decimal_text(raw: str) -> str:
    """1 500 000,50 · 1.500.000,50 · 1,500,000.50 · 1500000.5 → 1500000.50. A lone separator followed
    by exactly three digits groups thousands (12.500 is twelve thousand five hundred)."""
    if not raw.isascii():
        raw = raw.translate(ARABIC_DIGITS)
    if not raw[-1:].isdigit():  # a currency's name or sign ends with a letter or a dot
        raw = CURRENCY.sub("", raw)
    raw = SPACES.sub("", raw)
    commas, dots = raw.count(","), raw.count(".")
    if commas and dots:
        decimal_mark = "," if raw.rfind(",") > raw.rfind(".") else "."
        group_mark = "." if decimal_mark == "," else ","
        return raw.replace(group_mark, "").replace(decimal_mark, ".")
    mark = "," if commas else "." if dots else ""
    if not mark:
        return raw
    if raw.count(mark) > 1 or (raw[-4:-3] == mark and raw[-3:].isdecimal()):
        return raw.replace(mark, "")
    return raw.replace(mark, ".")


def parse_decimal(value) -> Decimal | None:
    if is_empty(value):
        return None
    if isinstance(value, bool):
        raise CellError(_("This is not an amount."))
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # A spreadsheet's number is a binary float: its shortest repr is what the user typed.
        return Decimal(repr(value))
    try:
        return Decimal(_decimal_text(text(value)))
    except InvalidOperation:
        raise CellError(_("This is not an amount: write digits, with spaces, dots or commas.")) from None


def parse_amount(value) -> Decimal | None:
    amount = parse_decimal(value)
    if amount is None:
        return None
    if not amount.is_finite():
        raise CellError(_("This is not an amount: write digits, with spaces, dots or commas."))
    if amount < 0:
        raise CellError(_("An amount cannot be negative."))
    if amount != amount.quantize(Decimal("0.01")):
        raise CellError(_("An amount has at most two decimals (centimes)."))
    return amount.quantize(Decimal("0.01"))


def parse_int(value) -> int | None:
    number = parse_decimal(value)
    if number is None:
        return None
    if number != number.to_integral_value() or number < 0:
        raise CellError(_("Write a whole number."))
    return int(number)


def parse_bool(value) -> bool | None:
    if is_empty(value):
        return None
    if isinstance(value, bool):
        return value
    folded = fold(text(value))
    if folded in YES:
        return True
    if folded in NO:
        return False
    raise CellError(_("Write yes or no."))


def safe_text(value: str) -> str:
    """Text for a CSV cell: a leading formula character gets a quote before it, which the import
    takes off again (`text`)."""
    if value and value[0] in FORMULA_STARTS:
        return "'" + value
    return value
