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


# How each language writes an amount: (decimal mark, group mark, pattern of a full amount, of millions).
# Arabic pages take dots, not spaces, between groups: a space would let the bidi algorithm reorder
# the groups of a number inside right-to-left text (443.000.000,00 stays one number).
AMOUNT_STYLES = {
    "en": (".", ",", "MAD {}", "MAD {} M"),
    "ar": (",", ".", "{}" + NBSP + "درهم", "{}" + NBSP + "مليون درهم"),
    "fr": (",", NBSP, "{}" + NBSP + "DH", "{}" + NBSP + "M DH"),
}


def _styled(value: Decimal, language: str | None, *, millions: bool) -> str:
    decimal_mark, group_mark, full, compact = AMOUNT_STYLES.get(_language(language), AMOUNT_STYLES["fr"])
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
