"""Amounts as the reader expects them: `443,00 M DH` / `443,00 مليون درهم` (DESIGN.md §2).
Western digits in every language, as in Moroccan administration."""

from decimal import ROUND_HALF_UP, Decimal

from shiraka.core.text import reader_language

MILLION = Decimal(1_000_000)
NBSP = "\u00a0"


def _language(language: str | None) -> str:
    return reader_language(language)


def _group(value: Decimal, decimal_mark: str, group_mark: str) -> str:
    sign = "-" if value < 0 else ""
    whole, _, cents = f"{abs(value):.2f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}{group_mark.join(groups)}{decimal_mark}{cents}"


def format_amount(value, language: str | None = None) -> str:
    """A full amount: `443 000 000,00 DH` (fr), `443.000.000,00 درهم` (ar), `MAD 443,000,000.00` (en)."""
    if value is None:
        return ""
    value = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    lang = _language(language)
    if lang == "en":
        return f"MAD {_group(value, '.', ',')}"
    if lang == "ar":
        # Dots, not spaces, between groups: a space would let the bidi algorithm reorder the
        # groups of a number inside right-to-left text (443.000.000,00 stays one number).
        return _group(value, ",", ".") + NBSP + "درهم"
    return _group(value, ",", NBSP) + NBSP + "DH"


def format_millions(value, language: str | None = None) -> str:
    """A compact amount in millions: `443,00 M DH`, `443,00 مليون درهم`, `MAD 443.00 M`."""
    if value is None:
        return ""
    millions = (Decimal(value) / MILLION).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    lang = _language(language)
    if lang == "en":
        return f"MAD {_group(millions, '.', ',')} M"
    if lang == "ar":
        return _group(millions, ",", ".") + NBSP + "مليون درهم"
    return _group(millions, ",", NBSP) + NBSP + "M DH"
