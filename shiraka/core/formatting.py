"""Amounts as the reader expects them: `443,00 M DH` / `443,00 مليون درهم` (DESIGN.md §2).
Western digits in every language, as in Moroccan administration."""

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from shiraka.core.text import reader_language

MILLION = Decimal(1_000_000)
NBSP = "\u00a0"


def _language(language: str | None) -> str:
    return reader_language(language)


def _group(value: Decimal, decimal_mark: str, group_mark: str) -> str:
    # Python groups by threes with "," and marks the decimals with "."; each language's marks replace them.
    return f"{value:,.2f}".translate({ord(","): group_mark, ord("."): decimal_mark})


# How each language writes an amount: (decimal mark, group mark, pattern of a full amount, of millions).
# Arabic pages take dots, not spaces, between groups: a space would let the bidi algorithm reorder
# the groups of a number inside right-to-left text (443.000.000,00 stays one number).
AMOUNT_STYLES = {
    "en": (".", ",", "MAD {}", "MAD {} M"),
    "ar": (",", ".", "{}" + NBSP + "درهم", "{}" + NBSP + "مليون درهم"),
    "fr": (",", NBSP, "{}" + NBSP + "DH", "{}" + NBSP + "M DH"),
}


def _styled(value: Decimal, language: str | None, *, millions: bool) -> str:
    # A negative amount rounded to zero is written 0,00, never -0,00.
    return written_amount(abs(value) if value == 0 else value, _language(language), millions)


@lru_cache(maxsize=8192)
def written_amount(value: Decimal, language: str, millions: bool) -> str:
    """An amount already rounded to the centime, as `language` writes it. A page writes a few hundred
    amounts, and the same figures again from one request to the next: each is written once. (Equal
    Decimals are written alike once rounded: 1.1 and 1.10 both give 1,10.)"""
    decimal_mark, group_mark, full, compact = AMOUNT_STYLES.get(language, AMOUNT_STYLES["fr"])
    return (compact if millions else full).format(_group(value, decimal_mark, group_mark))


def format_amount(value, language: str | None = None) -> str:
    """A full amount: `443 000 000,00 DH` (fr), `443.000.000,00 درهم` (ar), `MAD 443,000,000.00` (en)."""
    if value is None:
        return ""
    return _styled(Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), language, millions=False)


def format_millions(value, language: str | None = None) -> str:
    """A compact amount in millions: `443,00 M DH`, `443,00 مليون درهم`, `MAD 443.00 M`."""
    if value is None:
        return ""
    millions = (Decimal(value) / MILLION).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return _styled(millions, language, millions=True)


# --- dates and plain numbers ------------------------------------------------------------------------
# One date format per language, used by every page (the `day` and `moment` template filters). ISO order
# (2024-03-15) in all three: it is what the history, alerts and exports already write, its digits keep
# their order inside right-to-left text, and French (15/03) and English (03/15) readers cannot misread it.
DATE_STYLES = {"ar": "%Y-%m-%d", "fr": "%Y-%m-%d", "en": "%Y-%m-%d"}
TIME_STYLE = "%H:%M"


def _local(value):
    """A datetime in the site's time zone (what the reader's clock says); a date unchanged."""
    from datetime import datetime

    from django.utils import timezone

    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def format_date(value, language: str | None = None) -> str:
    """A day as the reader's language writes it: `2024-03-15`; "" for nothing."""
    if not value:
        return ""
    return _local(value).strftime(DATE_STYLES.get(_language(language), DATE_STYLES["fr"]))


def left_to_right(text: str, rtl: bool) -> str:
    """`text` (a date) isolated left to right (LRI … PDI) when the page reads right to left: after
    Arabic words a date's digits took the letters' direction, and «ألغي في 2026-12-03» showed as
    «03-12-2026». Isolated, it reads as written wherever it stands (a sentence, an attribute, a cell
    of its own); for data files, not pages, dates stay bare."""
    return f"\u2066{text}\u2069" if text and rtl else text


def format_datetime(value, language: str | None = None) -> str:
    """A moment in local time: `2024-03-15 14:05`; "" for nothing."""
    if not value:
        return ""
    return f"{format_date(value, language)} {_local(value).strftime(TIME_STYLE)}"


def machine_datetime(value) -> str:
    """The `datetime` attribute of a `<time>`: ISO 8601 to the second (the HTML standard takes at most
    three digits of a second's fraction; Python writes six)."""
    if not value:
        return ""
    local = _local(value)
    return local.replace(microsecond=0).isoformat() if hasattr(local, "hour") else local.isoformat()


# How each language groups a plain number: (decimal mark, group mark), the same as its amounts.
NUMBER_MARKS = {language: (style[0], style[1]) for language, style in AMOUNT_STYLES.items()}


def format_number(value, places: int = 0, language: str | None = None) -> str:
    """A count or measure with its thousands grouped: 379079 → «379 079» (fr), «379.079» (ar),
    «379,079» (en); "—" for nothing."""
    if value is None or value == "":
        return "—"
    decimal_mark, group_mark = NUMBER_MARKS.get(_language(language), NUMBER_MARKS["fr"])
    number = Decimal(value)
    whole, _, fraction = f"{abs(number):.{int(places)}f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = group_mark.join(groups) + (decimal_mark + fraction if fraction else "")
    return ("-" if number < 0 else "") + text
