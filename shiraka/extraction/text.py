"""Text helpers shared by every extraction step.

Spans always refer to the caller's original text, so every helper that rewrites
characters either keeps one output character per input character, or returns an
index map back to the original.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Arabic-Indic (U+0660..) and Extended/Persian (U+06F0..) digits.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")

# One character in, one character out: safe to apply before span-preserving regexes.
_SAME_LENGTH = str.maketrans(
    {
        **{c: d for c, d in zip("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789", strict=True)},
        "٫": ",",  # Arabic decimal separator
        "٬": ".",  # Arabic thousands separator
        "،": "،",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "’": "'",
        "‘": "'",
        "`": " ",
        "–": "-",
        "—": "-",
        "ـ": "ـ",
    }
)

_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_LETTER_FOLD = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ى": "ي",
    "ة": "ه",
    "ؤ": "و",
    "ئ": "ي",
    "ء": "",
    # Moroccan spellings swap the two emphatics (الناظور / الناضور).
    "ظ": "ض",
    "ک": "ك",
    "ی": "ي",
}

ARABIC_LETTER = re.compile("[\u0621-\u064a\u066e-\u06d3]")


_NEEDS_SAME_LENGTH = re.compile("[٠-٩۰-۹٫٬\u00a0\u202f\u2009’‘`–—]")


def same_length(text: str) -> str:
    """Digits to ASCII and punctuation variants to one form, one char per char."""
    return text.translate(_SAME_LENGTH) if _NEEDS_SAME_LENGTH.search(text) else text


def to_ascii_digits(text: str) -> str:
    return text.translate(_DIGITS)


@lru_cache(maxsize=65536)
def fold_char(ch: str) -> str:
    """Matching form of one character (may be empty for diacritics)."""
    if _DIACRITICS.match(ch):
        return ""
    if ch in _LETTER_FOLD:
        return _LETTER_FOLD[ch]
    ch = ch.translate(_SAME_LENGTH)
    if ch.isascii():
        return ch.lower()
    if "\u0600" <= ch <= "\u06ff":
        return ch
    base = unicodedata.normalize("NFD", ch)[0]
    return base.lower()


def _fold_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for code in list(range(0x20, 0x250)) + list(range(0x600, 0x700)) + [0x2019, 0x2018, 0x2013, 0x2014, 0xA0]:
        ch = chr(code)
        folded = fold_char(ch)
        if folded != ch:
            table[code] = folded or None
    return table


_FOLD_TABLE = _fold_table()


def fold(text: str) -> str:
    """Matching form of a string: no diacritics, one alef, lower case, no accents."""
    folded = text.translate(_FOLD_TABLE)
    if folded.isascii() or not _OUTSIDE_TABLE.search(folded):
        return folded
    return "".join(fold_char(c) for c in text)


_OUTSIDE_TABLE = re.compile("[^\x00-\u024f\u0600-\u06ff]")


@lru_cache(maxsize=200_000)
def fold_word(word: str) -> str:
    return fold(word)


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # as written
    start: int
    end: int
    key: str  # folded, for lookups

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


# Words are runs of letters/digits plus internal apostrophes; hyphens separate words.
_WORD = re.compile(r"[\w\u064b-\u065f\u0670\u0640]+(?:['’]\w+)*", re.UNICODE)


def tokenize(text: str) -> list[Token]:
    return [Token(m.group(), m.start(), m.end(), fold_word(m.group())) for m in _WORD.finditer(text)]


def compact_key(text: str) -> str:
    """Key used to compare names written with or without spaces and hyphens."""
    folded = fold(text)
    return "".join(c for c in folded if c.isalnum())


_PAIRS = (("(", ")"), ("«", "»"), ("“", "”"))


def clean_phrase(text: str) -> str:
    """Trim punctuation and whitespace an extracted phrase should not carry; a closing bracket or
    quote whose opening one the phrase keeps («… (APDN)», «association « … »») stays."""
    text = re.sub(r"\s+", " ", text)
    out = text.strip(" \t\n,.;:،؛-–—*\"'«»“”()[]")
    if not out:
        return out
    tail = text[text.find(out) + len(out) :]
    for opener, closer in _PAIRS:
        if out.count(opener) > out.count(closer) and tail.lstrip().startswith(closer):
            out += tail[: tail.find(closer) + 1]
            break
    return out


# A comma, Latin or Arabic, between two words: it ends a name, a party or a project.
COMMA = re.compile(r"[,،]")

_SENTENCE_END = re.compile(r"(?<=[.!?؟])\s+|\n+|(?<=[.!?؟])(?=[\u0600-\u06ff])")


_TITLE_ABBREVIATION = re.compile(r"(?<![\w.])(?:M|MM|Mme|Mmes|Mlle|Dr|Pr|Me)\.$")


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans; a full stop between digits (2.050.000) does not end one."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if m.start() > 0 and text[m.start() - 1] == "." and m.start() >= 2 and text[m.start() - 2].isdigit():
            if m.end() < len(text) and text[m.end()].isdigit():
                continue
        if _TITLE_ABBREVIATION.search(text, max(0, m.start() - 5), m.start()) and "\n" not in m.group():
            continue  # «signée par MM. Alami et Bennani»: «MM.» ends no sentence
        end = m.start()
        if text[start:end].strip():
            spans.append((start, end))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def index_at(tokens: list[Token], pos: int) -> int:
    """The index of the first token that starts at or after `pos` (len(tokens) when none does)."""
    return bisect.bisect_left(tokens, pos, key=lambda token: token.start)
