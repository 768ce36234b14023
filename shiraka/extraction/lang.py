"""Language of a text by letter and stop-word statistics: "ar", "fr", or None (neither)."""

from __future__ import annotations

import re

_ARABIC = re.compile(r"[\u0621-\u064a]")
_PERSIAN_ONLY = re.compile(r"[پچژگ]")
_LATIN = re.compile(r"[A-Za-zÀ-ÿ]")
_WORD = re.compile(r"[A-Za-zÀ-ÿ']+|[\u0621-\u064a\u067e-\u06d3]+")

_FR_STOPS = {
    "le",
    "la",
    "les",
    "de",
    "des",
    "du",
    "et",
    "en",
    "un",
    "une",
    "est",
    "pour",
    "dans",
    "par",
    "sur",
    "au",
    "aux",
    "que",
    "qui",
    "avec",
    "ont",
    "été",
    "sont",
    "cette",
    "ces",
    "d'une",
    "d'un",
    "l'",
    "d'",
}
_EN_STOPS = {
    "the",
    "and",
    "of",
    "to",
    "in",
    "is",
    "for",
    "with",
    "on",
    "that",
    "was",
    "were",
    "by",
    "this",
    "are",
    "be",
    "has",
    "have",
    "it",
    "its",
    "from",
    "an",
    "as",
    "at",
}
_AR_STOPS = {
    "في",
    "من",
    "على",
    "إلى",
    "الى",
    "عن",
    "التي",
    "الذي",
    "هذه",
    "هذا",
    "مع",
    "بين",
    "كما",
    "أن",
    "ان",
    "تم",
}
_FA_STOPS = {"است", "این", "که", "را", "برای", "های", "می", "شده", "آن", "یک", "با"}


def detect_language(text: str) -> str | None:
    arabic = len(_ARABIC.findall(text))
    latin = len(_LATIN.findall(text))
    letters = arabic + latin + len(re.findall(r"[^\W\d_]", text)) - arabic - latin
    total_letters = max(letters, arabic + latin, 1)
    words = [w.lower() for w in _WORD.findall(text)]
    if arabic / total_letters >= 0.3:
        ar = sum(w in _AR_STOPS for w in words)
        fa = sum(w in _FA_STOPS for w in words) + len(_PERSIAN_ONLY.findall(text)) // 3
        if ar >= fa and (ar > 0 or arabic >= 20):
            return "ar"
    if latin / total_letters >= 0.5:
        latin_words = [w.split("'")[0] + ("'" if "'" in w else "") for w in words if _LATIN.match(w)]
        fr = sum(w in _FR_STOPS for w in latin_words)
        en = sum(w in _EN_STOPS for w in latin_words)
        if fr > en and fr >= max(1, len(latin_words) // 25):
            return "fr"
    return None


def script_language(text: str) -> str:
    """ "ar" or "fr" by letters alone, for a text already known to be one or the other."""
    return "ar" if len(_ARABIC.findall(text)) * 2 >= len(_LATIN.findall(text)) else "fr"
