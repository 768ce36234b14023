"""The one text and language toolkit: folding for search and matching, the key two spellings of a
name share, which script a text is written in, the reader's language, and a record's name in it.

Arabic diacritics, tatweel and letter variants, French accents and case are folded away, so
«إنزكان», «انزكان» and «Inezgane» find what they should. The extraction (pure Python, importing
nothing from the project) detects languages with its own statistics and tells a text's script;
`detect_language` and `script_language` are those."""

import functools
import re
import unicodedata

from django.utils.translation import get_language

from shiraka.extraction.lang import detect_language, script_language

__all__ = [
    "detect_language",
    "fold",
    "localised",
    "name_key",
    "reader_language",
    "script_language",
    "search_terms",
]

ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
# Alef, yeh, teh marbuta and hamza carriers to one form; Arabic-Indic digits to Western ones.
# Replaced one by one (no replacement yields another variant): `str.translate` with a table calls
# back into Python for each character of a non-ASCII text, and was most of an import's folding.
LETTER_VARIANTS = tuple(
    (
        {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي", "ء": ""}
        | {arabic: str(digit) for digit, arabic in enumerate("٠١٢٣٤٥٦٧٨٩")}
    ).items()
)
SEPARATORS = re.compile(r"[\s\-‐‑–—_/.,;:()«»\"'’]+")
FRENCH_ARTICLE = re.compile(r"^(?:les|le|la|l)(?=[a-z]{4})")
LANGUAGES = ("ar", "fr", "en")


class _CombiningMarks(dict):
    """A `str.translate` table that deletes combining marks, filled as characters are met (an
    import folds millions of characters: this was a Python call for each)."""

    def __missing__(self, code: int):
        character = chr(code)
        self[code] = None if unicodedata.combining(character) else character
        return self[code]


COMBINING_MARKS = _CombiningMarks()


def fold(text: str) -> str:
    """Lower case, no Arabic diacritics or tatweel, one form of alef, yeh, teh marbuta and hamza
    carriers, Western digits, no Latin accents, punctuation and runs of spaces as one space."""
    return " ".join(filter(None, map(_fold_word, (text or "").split())))


def fold_whole(text: str) -> str:
    """`fold` of a text at once. No step of it looks past a space, so `fold` folds word by word and
    remembers its words: titles and names repeat the same few thousand words, and folding them was a
    tenth of an import's time (a test holds the two equal on mixed scripts, marks and spaces)."""
    if text.isascii() and text.isalnum():  # a number, a code: nothing to fold but case
        return text.lower()
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        text = ARABIC_MARKS.sub("", text)
        for variant, letter in LETTER_VARIANTS:
            if variant in text:
                text = text.replace(variant, letter)
        text = unicodedata.normalize("NFD", text).translate(COMBINING_MARKS)
    return SEPARATORS.sub(" ", text.casefold()).strip()


# Bounded: a process keeps at most a few megabytes of words, whatever the data's size.
_fold_word = functools.lru_cache(maxsize=16384)(fold_whole)


# Territory names, folded once each: a bulk write of 20,000 projects names the same 75 provinces
# over and over.
_folded_place = functools.lru_cache(maxsize=4096)(fold)


def search_document(*parts: str, places=()) -> str:
    """What a record's search matches: its folded text, then the same without spaces, so that a name
    written run together or split («وادنون» / «واد نون», «طنجةتطوان») is found either way. The
    `places` (its territories' names) come last, as if they were parts: folding text in pieces gives
    the fold of the pieces joined by spaces."""
    pieces = (fold(" ".join(part for part in parts if part)), *(_folded_place(p) for p in places if p))
    folded = " ".join(piece for piece in pieces if piece)
    return f"{folded} {folded.replace(' ', '')}" if folded else ""


def search_terms(query: str) -> list[str]:
    return [term for term in fold(query).split(" ") if term][:8]


def name_key(value: str) -> str:
    """The key two spellings of one name share: folded, without «ال» at the start of words,
    without spaces, hyphens or punctuation (مجلس جهة كلميم-واد نون = مجلس جهة كلميم وادنون)."""
    words = []
    for word in fold(value).split(" "):
        if word.startswith("وال") and len(word) > 4 and not word.startswith("والي"):
            word = "و" + word[3:]
        elif word.startswith("ال") and len(word) > 3:
            word = word[2:]
        words.append(word)
    key = "".join(c for c in "".join(words) if c.isalnum())
    # French articles at the start: «la Wilaya de …» = «Wilaya de …».
    return FRENCH_ARTICLE.sub("", key) if key.isascii() else key


def reader_language(language: str | None = None) -> str:
    """The two-letter language the reader is served in (Arabic when none is active)."""
    return (language or get_language() or "ar")[:2]


def localised(arabic: str, french: str, language: str | None = None) -> str:
    """A record's text in the reader's language: Arabic for Arabic readers, French otherwise (English
    readers get the French of Moroccan administration), the other one when that is empty."""
    if reader_language(language) == "ar":
        return arabic or french or ""
    return french or arabic or ""
