"""Places and institutions from the project's reference data (shiraka/territory/data).

Names are compared in a compact key (folded, without spaces or hyphens), so «كلميم وادنون»,
«كلميم-واد نون» and «كلميم واد نون» meet, and so do words run together in archived pages
(«بني ملالخنيفرة»). The tables are read once per process.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .text import Token, fold

DATA_DIR = Path(__file__).resolve().parent.parent / "territory" / "data"

# Level of each kind of place, used to prefer the reading an administrative word asks for.
REGION, PROVINCE, COMMUNE = "region", "province", "commune"

# Administrative words that stay in a location string («جماعة زناكة», «إقليم خنيفرة»).
ADMIN_WORDS = {"جهه": REGION, "اقليم": PROVINCE, "عماله": PROVINCE, "جماعه": COMMUNE}
# Words that announce a place but are dropped from the location string («بمدينة كلميم» → «كلميم»).
PLACE_WORDS = {"مدينه", "بلديه", "دايره", "قريه"}

_TOKEN_VARIANTS = {"وادي": "واد", "oued": "oued", "wadi": "oued", "ayt": "ait", "aït": "ait"}
# Ordinary words that are also names of small communes: never read as places on their own.
_COMMON_WORDS = {
    "عامر",
    "صباح",
    "رياح",
    "ثكنه",
    "منيع",
    "مجاط",
    "الجبيل",
    "الواد",
    "السوق",
    "المركز",
    "العين",
    "الزاويه",
    "الحمام",
    "البير",
    "القصر",
    "المدينه",
    "الرحمه",
    "الشرق",
    "الغرب",
    "الجنوب",
    "الساحل",
    "النخيل",
    "الصفا",
    "الوحده",
    "الامل",
    "sidi",
    "centre",
    "ville",
    "tah",
    "zag",
    "adar",
    "aday",
    "adis",
    "jorf",
    "riah",
    "rima",
    "saka",
}


# Single words that are ordinary nouns or adjectives as often as place names: read as places
# only after an administrative word («إقليم الجديدة»).
_NEEDS_ADMIN = {"الجديده", "الدوره", "المساعده", "ملعب", "الوسط", "المحطه", "الملعب"}

# The sixteen regions of 1997-2015, still used in older articles («جهة كلميم السمارة»).
_OLD_REGIONS = [
    ("O01", "وادي الذهب الكويرة", "Oued Ed-Dahab-Lagouira"),
    ("O02", "العيون بوجدور الساقية الحمراء", "Laâyoune-Boujdour-Sakia El Hamra"),
    ("O03", "كلميم السمارة", "Guelmim-Es Semara"),
    ("O04", "سوس ماسة درعة", "Souss-Massa-Drâa"),
    ("O05", "الغرب الشراردة بني احسن", "Gharb-Chrarda-Béni Hssen"),
    ("O06", "الشاوية ورديغة", "Chaouia-Ouardigha"),
    ("O07", "مراكش تانسيفت الحوز", "Marrakech-Tensift-Al Haouz"),
    ("O08", "الجهة الشرقية", "Oriental"),
    ("O09", "الدار البيضاء الكبرى", "Grand Casablanca"),
    ("O10", "الرباط سلا زمور زعير", "Rabat-Salé-Zemmour-Zaër"),
    ("O11", "دكالة عبدة", "Doukkala-Abda"),
    ("O12", "تادلة أزيلال", "Tadla-Azilal"),
    ("O13", "مكناس تافيلالت", "Meknès-Tafilalet"),
    ("O14", "فاس بولمان", "Fès-Boulemane"),
    ("O15", "تازة الحسيمة تاونات", "Taza-Al Hoceïma-Taounate"),
    ("O16", "طنجة تطوان", "Tanger-Tétouan"),
]


@dataclass(frozen=True, slots=True)
class Place:
    code: str
    level: str
    name_ar: str
    name_fr: str


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    place: Place
    start: int  # span of the name itself (no preposition)
    end: int
    admin_start: int | None  # start of an administrative word kept with the name
    admin_level: str | None
    first_token: int
    last_token: int


def _read(name: str) -> list[dict[str, str]]:
    path = DATA_DIR / name
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def name_key(name: str) -> str:
    words = []
    for raw in fold(name).replace("-", " ").replace("'", " ").split():
        word = "".join(c for c in raw if c.isalnum())
        words.append(_TOKEN_VARIANTS.get(word, word))
    return "".join(words)


@dataclass
class Gazetteer:
    places: dict[str, list[Place]]
    institutions: dict[str, str]  # key -> canonical Arabic or French name
    max_tokens: int
    prefixes: frozenset[str] = frozenset()  # every prefix of every key, to stop joining words early

    def lookup(self, key: str) -> list[Place]:
        return self.places.get(key, [])


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    places: dict[str, list[Place]] = {}

    def add(place: Place, *names: str) -> None:
        for name in names:
            if not name:
                continue
            key = name_key(name)
            if len(key) < 3 or key in _COMMON_WORDS:
                continue
            bucket = places.setdefault(key, [])
            if place not in bucket:
                bucket.append(place)

    for row in _read("regions.csv"):
        place = Place(row["code"], REGION, row["name_ar"], row["name_fr"])
        add(place, row["name_ar"], row["name_fr"], row.get("name_en", ""))
    for code, name_ar, name_fr in _OLD_REGIONS:
        add(Place(code, REGION, name_ar, name_fr), name_ar, name_fr)
    for row in _read("provinces.csv"):
        place = Place(row["code"], PROVINCE, row["name_ar"], row["name_fr"])
        add(place, row["name_ar"], row["name_fr"])
        # «Oujda-Angad» is also written «Oujda Angad»; the compact key already covers that.
    for row in _read("prefectures_arrondissements.csv"):
        place = Place(row["code"], PROVINCE, row["name_ar"], row["name_fr"])
        add(place, row["name_ar"], row["name_fr"])
    for row in _read("communes.csv"):
        place = Place(row["code"], COMMUNE, row["name_ar"], row["name_fr"])
        add(place, row["name_ar"], row["name_fr"])
    institutions: dict[str, str] = {}
    for row in _read("institutions.csv"):
        for name in (row["name_ar"], row["name_fr"]):
            for variant in name.split(" / "):
                variant = variant.split("(")[0].strip()
                if len(variant) > 6:
                    institutions[name_key(variant)] = variant
    prefixes = frozenset(key[:n] for key in places for n in range(1, len(key) + 1))
    return Gazetteer(places, institutions, 6, prefixes)


_PREFIXES = ("وب", "ول", "وال", "بال", "لل", "ب", "ل", "و", "ك")


@lru_cache(maxsize=8192)
def _first_token_variants(key: str) -> tuple[tuple[str, int], ...]:
    """Readings of a first word with an attached preposition or administrative word.

    Returns (key, folded characters dropped from the front of the written word)."""
    out = [(key, 0)]
    for prefix in _PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix) + 2:
            if prefix == "لل":
                out.append(("ال" + key[2:], 1))  # «للعيون» = ل + العيون
            elif prefix in ("وال", "بال"):
                out.append((key[len(prefix) - 2 :], len(prefix) - 2))
            else:
                out.append((key[len(prefix) :], len(prefix)))
    # Administrative word run together with the name: «بإقليمورزازات», «إقليمبني».
    for variant, dropped in list(out):
        for admin in ADMIN_WORDS:
            if variant.startswith(admin) and len(variant) > len(admin) + 2:
                out.append((variant[len(admin) :], dropped + len(admin)))
    return tuple(out)


_CLAUSE_BREAK = re.compile(r"[.,،;:()\n«»\"“”]")


def _token_key(token: Token) -> str:
    return _word_key(token.key)


@lru_cache(maxsize=65536)
def _word_key(key: str) -> str:
    word = "".join(c for c in key if c.isalnum())
    return _TOKEN_VARIANTS.get(word, word)


def find_places(tokens: list[Token], text: str) -> list[PlaceMatch]:
    """Longest gazetteer matches over the token stream, left to right."""
    gaz = gazetteer()
    keys = [_token_key(t) for t in tokens]
    # Names never span a sentence or clause break.
    breaks = [False] + [
        bool(_CLAUSE_BREAK.search(text, tokens[k - 1].end, tokens[k].start)) for k in range(1, len(tokens))
    ]
    prefixes = gaz.prefixes
    matches: list[PlaceMatch] = []
    i = 0
    n = len(tokens)
    while i < n:
        best: tuple[int, list[Place], int] | None = None  # (last index, places, chars dropped)
        for first_key, dropped in _first_token_variants(keys[i]):
            joined = first_key
            for j in range(i, min(n, i + 5)):
                if j > i:
                    if breaks[j]:
                        break
                    joined += keys[j]
                if joined not in prefixes:
                    break
                found = gaz.places.get(joined)
                if found and (best is None or j > best[0]):
                    best = (j, found, dropped)
        if best is None:
            i += 1
            continue
        last, found, dropped = best
        start = tokens[i].start + _dropped_chars(tokens[i].text, dropped)
        admin_start, admin_level = _admin_before(tokens, keys, i, text, dropped)
        place = _choose(found, admin_level)
        announced = admin_level or (COMMUNE if i > 0 and _town_word(keys[i - 1]) else None)
        if _plausible(place, keys[i][dropped:] if dropped else keys[i], last - i + 1, announced):
            matches.append(PlaceMatch(place, start, tokens[last].end, admin_start, admin_level, i, last))
        i = last + 1
    return matches


_TOWN_WORDS = PLACE_WORDS | {"مدن"}


def _town_word(key: str) -> bool:
    """«بمدينة الجديدة», «بمدن …»: the word before says a town follows."""
    return key in _TOWN_WORDS or key[:1] in ("ب", "ل", "و") and key[1:] in _TOWN_WORDS


def _dropped_chars(raw: str, dropped_folded: int) -> int:
    """Original characters covering the first `dropped_folded` folded characters."""
    count = 0
    for index, ch in enumerate(raw):
        if count >= dropped_folded:
            return index
        if fold(ch):
            count += 1
    return len(raw)


def _admin_before(
    tokens: list[Token], keys: list[str], i: int, text: str, dropped: int
) -> tuple[int | None, str | None]:
    own = keys[i]
    for admin, level in ADMIN_WORDS.items():
        # Run together: «بإقليمورزازات» keeps «إقليم» with the name.
        pos = own.find(admin)
        if 0 <= pos <= 2 and dropped >= pos + len(admin):
            return tokens[i].start + _dropped_chars(tokens[i].text, pos), level
    if i == 0:
        return None, None
    prev = keys[i - 1]
    between = text[tokens[i - 1].end : tokens[i].start]
    if any(c in between for c in ".,،;:\n"):
        return None, None
    for prefix in ("", "ب", "و", "ل", "وب"):
        if prev.startswith(prefix) and prev[len(prefix) :] in ADMIN_WORDS:
            start = tokens[i - 1].start + _dropped_chars(tokens[i - 1].text, len(prefix))
            return start, ADMIN_WORDS[prev[len(prefix) :]]
    return None, None


def _choose(found: list[Place], admin_level: str | None) -> Place:
    if admin_level:
        for place in found:
            if place.level == admin_level:
                return place
    order = {REGION: 0, PROVINCE: 1, COMMUNE: 2}
    return min(found, key=lambda p: order[p.level])


def _plausible(place: Place, key: str, width: int, admin_level: str | None) -> bool:
    """Very short single-word commune names are read only after «جماعة» or similar."""
    if admin_level or width > 1:
        return True
    if key in _NEEDS_ADMIN:
        return False
    return place.level != COMMUNE or len(key) >= 4
