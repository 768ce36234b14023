"""Number and money grammar for Moroccan press Arabic and French.

Reads figures such as «158,16 مليون درهم», «1,25 MMDH», «مليار و865 مليون درهم»,
«10 مليون و500 الف درهم», «تسعة ملايين درهم», MAP's reversed decimals «5ر4 مليون»,
grouped figures with cents «11.000.000.00 درهم» and centimes «6 مليار سنتيم».
All values are `Decimal`; spans index the original text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from .text import fold, same_length

# --- scale and currency words -------------------------------------------------------------

# Each pattern is matched on the same-length text (ASCII digits), case-insensitively for Latin.
_SCALES: list[tuple[str, Decimal]] = [
    (r"ملياري(?:ن)?|مليارين", Decimal(2_000_000_000)),
    (r"مليار(?:ات|ا)?|ملايير", Decimal(1_000_000_000)),
    (r"مليوني(?:ن)?|مليونين", Decimal(2_000_000)),
    (r"مليون(?:ا)?|ملايين|ملايي?ن", Decimal(1_000_000)),
    (r"ألفي(?:ن)?|الفين", Decimal(2_000)),
    (r"[أاآ]ل[اآ]?ف(?:ا)?|آلاف", Decimal(1_000)),
    (r"milliards?|mds?(?![a-z])", Decimal(1_000_000_000)),
    (r"millions?", Decimal(1_000_000)),
    (r"milles?", Decimal(1_000)),
]
# Combined scale+currency abbreviations: «75 MDH», «1,25 MMDH», «3 M DH».
_SCALE_CURRENCY: list[tuple[str, Decimal]] = [
    (r"MMDHS?|MM\s?DH|Mrds?\s?DH", Decimal(1_000_000_000)),
    (r"MDHS?|M\s?DHS?|MDhs?|Mdhs?", Decimal(1_000_000)),
    (r"KDH", Decimal(1_000)),
]
_CURRENCIES: list[tuple[str, str, Decimal]] = [
    (r"سنتيم(?:ات|ا)?|centimes?", "MAD", Decimal("0.01")),
    (r"(?:ال)?دراهم|(?:ال)?دره?م(?:ا)?|dirhams?|DHS?|Dhs?|dh|MAD(?![a-z])", "MAD", Decimal(1)),
    (r"(?:ال)?[أاي]ورو|euros?|€|EUR(?![a-z])", "EUR", Decimal(1)),
    (r"(?:ال)?دولار(?:ا)?|dollars?|USD|\$", "USD", Decimal(1)),
]

_END = r"(?!\w)"
_SCALE_RE = [(re.compile(rf"(?:{p}){_END}", re.IGNORECASE), v) for p, v in _SCALES]
_SCALE_CUR_RE = [(re.compile(rf"(?:{p}){_END}"), v) for p, v in _SCALE_CURRENCY]
_CURRENCY_RE = [(re.compile(rf"(?:{p}){_END}", re.IGNORECASE), c, f) for p, c, f in _CURRENCIES]
# Filler allowed between a figure and its currency: «ملايين من الدراهم», «millions de dirhams».
_LINK_RE = re.compile(r"\s*(?:\)\s*)?(?:(?:من|de|d')\s*)?", re.IGNORECASE)
_SPACE_RE = re.compile(r"[\s)(]*")

# --- number words ------------------------------------------------------------------------

_AR_UNITS = {
    "واحد": 1,
    "واحده": 1,
    "احد": 1,
    "اثنان": 2,
    "اثنين": 2,
    "اثنتين": 2,
    "اثنتان": 2,
    "اثنا": 2,
    "اثني": 2,
    "ثلاث": 3,
    "ثلاثه": 3,
    "اربع": 4,
    "اربعه": 4,
    "خمس": 5,
    "خمسه": 5,
    "ست": 6,
    "سته": 6,
    "سبع": 7,
    "سبعه": 7,
    "ثمان": 8,
    "ثماني": 8,
    "ثمانيه": 8,
    "تسع": 9,
    "تسعه": 9,
}
_AR_TEN = {"عشر": 10, "عشره": 10}
_AR_TENS = {
    "عشرون": 20,
    "عشرين": 20,
    "ثلاثون": 30,
    "ثلاثين": 30,
    "اربعون": 40,
    "اربعين": 40,
    "خمسون": 50,
    "خمسين": 50,
    "ستون": 60,
    "ستين": 60,
    "سبعون": 70,
    "سبعين": 70,
    "ثمانون": 80,
    "ثمانين": 80,
    "تسعون": 90,
    "تسعين": 90,
}
_AR_HUNDREDS = {
    "مايه": 100,
    "ميه": 100,
    "مايتان": 200,
    "مايتين": 200,
    "مايتي": 200,
    "ميتان": 200,
    "ميتين": 200,
}
for _word, _unit in (("ثلاث", 3), ("اربع", 4), ("خمس", 5), ("ست", 6), ("سبع", 7), ("ثمان", 8), ("تسع", 9)):
    _AR_HUNDREDS[_word + "مايه"] = _unit * 100
    _AR_HUNDREDS[_word + "ميه"] = _unit * 100

_FR_WORDS = {
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "treize": 13,
    "quatorze": 14,
    "quinze": 15,
    "seize": 16,
    "vingt": 20,
    "vingts": 20,
    "trente": 30,
    "quarante": 40,
    "cinquante": 50,
    "soixante": 60,
    "cent": 100,
    "cents": 100,
}
_AR_ALL = {**_AR_UNITS, **_AR_TEN, **_AR_TENS, **_AR_HUNDREDS}

_AR_WORD_RE = re.compile(r"[\u0621-\u064a]+")
_FR_WORD_RE = re.compile(r"[a-zA-Z]+(?:-[a-zA-Z]+)*")

# A figure: digits with separators, or MAP's «5ر4».
_FIGURE_RE = re.compile(r"(\d+)ر(\d+)|\d+(?:[.,]\d+|[ ]\d{3}(?!\d))*")


@dataclass(frozen=True, slots=True)
class Money:
    """A monetary amount found in the text."""

    value: Decimal
    currency: str | None  # None when the text gives a scale word but no currency word
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Figure:
    value: Decimal
    end: int
    full: bool  # written as a full grouped figure, so a following scale word is redundant


def parse_figure(raw: str, before_scale: bool = False) -> tuple[Decimal, bool] | None:
    """Value of a digit string such as «2.050.000», «158,16», «11.000.000.00», «26,343»."""
    raw = raw.replace(" ", ".")
    parts = re.split(r"[.,]", raw)
    if not all(p.isdigit() for p in parts):
        return None
    if len(parts) == 1:
        return Decimal(parts[0]), False
    seps = re.findall(r"[.,]", raw)
    grouped_head = 1 <= len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:-1])
    # «11.000.000.00», «(3.000.000,00)»: full figure followed by cents.
    if len(parts) >= 3 and len(parts[-1]) == 2 and grouped_head:
        return Decimal("".join(parts[:-1]) + "." + parts[-1]), True
    if all(len(p) == 3 for p in parts[1:]) and 1 <= len(parts[0]) <= 3:
        if len(parts) >= 3 or (len(set(seps)) == 1 and not before_scale):
            return Decimal("".join(parts)), True
    if len(parts) == 2:
        return Decimal(parts[0] + "." + parts[1]), False
    # Mixed «1.234,5»: the last separator is the decimal one.
    return Decimal("".join(parts[:-1]) + "." + parts[-1]), True


def _scale_at(text: str, pos: int) -> tuple[Decimal, int, bool] | None:
    """Scale word at pos: (multiplier, end, carries currency)."""
    for regex, value in _SCALE_CUR_RE:
        m = regex.match(text, pos)
        if m:
            return value, m.end(), True
    for regex, value in _SCALE_RE:
        m = regex.match(text, pos)
        if m:
            return value, m.end(), False
    return None


def _currency_at(text: str, pos: int) -> tuple[str, Decimal, int] | None:
    link = _LINK_RE.match(text, pos)
    start = link.end() if link else pos
    for regex, code, factor in _CURRENCY_RE:
        m = regex.match(text, start)
        if m:
            return code, factor, m.end()
    # «(MDH)» after «millions de dirhams» is already covered; a bare «(» before currency is rare.
    return None


def _word_number_at(text: str, pos: int) -> tuple[Decimal, int] | None:
    """Arabic or French number words starting at pos: «خمسة عشر», «تسعة», «deux»."""
    m = _AR_WORD_RE.match(text, pos)
    if m:
        return _arabic_words(text, pos)
    m = _FR_WORD_RE.match(text, pos)
    if m:
        return _french_words(text, pos)
    return None


def _strip_conj(word: str) -> str:
    return word[1:] if word.startswith("و") and fold(word[1:]) in _AR_ALL else word


def _arabic_words(text: str, pos: int) -> tuple[Decimal, int] | None:
    total, end, seen = 0, pos, False
    cursor = pos
    last_kind = ""
    while True:
        m = _AR_WORD_RE.match(text, cursor)
        if not m:
            break
        word = fold(m.group())
        if seen:
            word = _strip_conj(word) if word.startswith("و") else word
        elif word.startswith(("ب", "ل")) and word[1:] in _AR_ALL and word not in _AR_ALL:
            word = word[1:]
        word = fold(word)
        if word in _AR_TEN and last_kind == "unit":
            total += 10
            last_kind = "teen"
        elif word in _AR_UNITS and last_kind in ("", "hundred"):
            total += _AR_UNITS[word]
            last_kind = "unit"
        elif word in _AR_TENS and last_kind in ("", "hundred", "unit"):
            total += _AR_TENS[word]
            last_kind = "tens"
        elif word in _AR_HUNDREDS and last_kind == "":
            total += _AR_HUNDREDS[word]
            last_kind = "hundred"
        elif word in _AR_TEN and last_kind in ("", "hundred"):
            total += 10
            last_kind = "tens"
        else:
            break
        seen = True
        end = m.end()
        nxt = re.compile(r"\s+").match(text, end)
        cursor = nxt.end() if nxt else end
    return (Decimal(total), end) if seen else None


def _french_words(text: str, pos: int) -> tuple[Decimal, int] | None:
    total, end, seen, cursor = 0, pos, False, pos
    while True:
        m = _FR_WORD_RE.match(text, cursor)
        if not m:
            break
        pieces = m.group().lower().split("-")
        if not all(p in _FR_WORDS or p == "et" for p in pieces):
            if not (seen and m.group().lower() == "et"):
                break
        value = 0
        for p in pieces:
            if p == "et":
                continue
            n = _FR_WORDS[p]
            value = value * n if n == 100 and value else value + n
        if value == 100 and total and total < 100:
            total *= 100
        else:
            total += value
        seen = seen or value > 0
        end = m.end()
        nxt = re.compile(r"\s+").match(text, end)
        cursor = nxt.end() if nxt else end
    return (Decimal(total), end) if seen and total else None


def _head_at(text: str, pos: int) -> tuple[_Figure, int] | None:
    """A figure, number words, or a bare scale word («بمليار» = one billion) at pos."""
    m = _FIGURE_RE.match(text, pos)
    if m:
        if m.group(1):
            # MAP writes the integer part after «ر»: «5ر4» is 4.5.
            return _Figure(Decimal(f"{m.group(2)}.{m.group(1)}"), m.end(), False), m.start()
        after = _SPACE_RE.match(text, m.end())
        scale_next = _scale_at(text, after.end() if after else m.end()) is not None
        parsed = parse_figure(m.group(), before_scale=scale_next)
        if parsed is None:
            return None
        value, full = parsed
        return _Figure(value, m.end(), full and value >= 1000), m.start()
    words = _word_number_at(text, pos)
    if words:
        return _Figure(words[0], words[1], False), pos
    return None


def _read_amount(text: str, pos: int) -> Money | None:
    """Parses «N [scale] [و M scale]* [currency]» starting at pos, or None."""
    head = _head_at(text, pos)
    if head is None:
        bare = _bare_scale(text, pos)
        if bare is None:
            return None
        figure = bare
    else:
        figure, _ = head
    value = figure.value
    cursor = figure.end
    scaled = False
    currency: str | None = None
    factor = Decimal(1)
    gap = _SPACE_RE.match(text, cursor)
    scale = _scale_at(text, gap.end()) if gap else None
    if scale and (gap.end() - cursor) <= 3:
        multiplier, scale_end, carries_currency = scale
        if not figure.full:
            value *= multiplier
        scaled = True
        cursor = scale_end
        if carries_currency:
            currency = "MAD"
        # «مليار و865 مليون», «10 مليون و500 الف»
        while True:
            extra = _compound_tail(text, cursor, multiplier)
            if extra is None:
                break
            add_value, add_mult, cursor = extra
            value += add_value
            multiplier = add_mult
    if currency is None:
        found = _currency_at(text, cursor)
        if found:
            currency, factor, cursor = found
    if currency is None and not scaled:
        return None
    if figure.full and value < 1 and currency is None:
        return None
    start = head[1] if head else pos
    return Money(tidy(value * factor), currency, start, cursor)


def tidy(value: Decimal) -> Decimal:
    """Whole amounts as integers, others to the cent, so equal amounts compare and print alike."""
    value = value.quantize(Decimal("0.01"))
    return Decimal(int(value)) if value == value.to_integral_value() else value


_CONJ_RE = re.compile(r"\s*و\s*")


def _compound_tail(text: str, pos: int, previous: Decimal) -> tuple[Decimal, Decimal, int] | None:
    m = _CONJ_RE.match(text, pos)
    if not m:
        return None
    head = _head_at(text, m.end())
    if head is None:
        return None
    figure, _ = head
    gap = _SPACE_RE.match(text, figure.end)
    scale = _scale_at(text, gap.end())
    if not scale or scale[0] >= previous:
        return None
    return figure.value * scale[0], scale[0], scale[1]


def _bare_scale(text: str, pos: int) -> _Figure | None:
    """«مليار» or «بمليار» used as «one billion» before «و865 مليون»."""
    start = pos + 1 if text[pos : pos + 1] in ("ب", "و", "ل") else pos
    scale = _scale_at(text, start)
    if scale is None or scale[2]:
        return None
    if not _CONJ_RE.match(text, scale[1]) and _currency_at(text, scale[1]) is None:
        return None
    if scale[0] < 1_000_000:
        return None
    # The figure is «one»; the scale word itself is read again by the caller.
    return _Figure(Decimal(1), start, False)


def _variant_class(word: str) -> str:
    """Regex for a folded word that also matches its hamza / ta marbuta spellings."""
    classes = {"ا": "[اأإآ]", "ه": "[هة]", "ي": "[يىئ]", "و": "[وؤ]"}
    return "".join(classes.get(ch, re.escape(ch)) for ch in word) + "ء?"


_NUMBER_WORDS = sorted(
    {*_AR_ALL, "مليار", "ملايير", "ملياري", "مليارين", "مليون", "ملايين", "مليوني", "مليونين"},
    key=len,
    reverse=True,
)
# Where an amount may start: a digit, or an Arabic/French number or scale word (with a prefix).
_CANDIDATE_RE = re.compile(
    r"\d|(?<!\w)[وبل]?(?:" + "|".join(_variant_class(w) for w in _NUMBER_WORDS) + r")(?!\w)"
    r"|(?<!\w)(?:" + "|".join(sorted(_FR_WORDS, key=len, reverse=True)) + r")(?![\w])",
    re.IGNORECASE,
)


def find_money(text: str) -> list[Money]:
    """Every monetary amount in text, left to right, without overlaps."""
    work = same_length(text)
    found: list[Money] = []
    pos = 0
    for m in _CANDIDATE_RE.finditer(work):
        if m.start() < pos:
            continue
        start = m.start()
        if start > 0 and work[start - 1].isdigit():
            continue
        money = _try_at(work, start)
        if money is not None:
            found.append(money)
            pos = money.end
    return found


_SCALE_WORDS = {"مليار", "ملايير", "ملياري", "مليارين", "مليون", "ملايين", "مليوني", "مليونين"}
_WORD_RE = re.compile(r"[\u0621-\u064a]+|[a-zA-Z]+")


@lru_cache(maxsize=65536)
def _may_start_number(word: str) -> bool:
    folded = fold(word)
    if folded in _AR_ALL or folded in _SCALE_WORDS or folded in _FR_WORDS:
        return True
    return folded[:1] in ("و", "ب", "ل") and (folded[1:] in _AR_ALL or folded[1:] in _SCALE_WORDS)


def _try_at(work: str, start: int) -> Money | None:
    ch = work[start]
    if ch.isdigit():
        return _read_amount(work, start)
    word = _WORD_RE.match(work, start)
    if word is None or not _may_start_number(word.group()):
        return None
    money = _read_amount(work, start)
    if money is not None:
        return money
    if ch in "وبل":
        return _read_amount(work, start + 1)
    return None


def parse_amount(text: str) -> Decimal | None:
    """Value of the first amount in text (convenience for callers and tests)."""
    found = find_money(text)
    return found[0].value if found else None
