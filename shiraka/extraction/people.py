"""Named officials and their titles: «السيد X رئيس مجلس …», «وزير الصحة، X», «X، والي جهة …»,
«le ministre de …, X», «Mme X», and unnamed officials («السيد والي الجهة») for coreference."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import (
    AR_FIRST_NAMES,
    AR_HEADS,
    AR_HONORIFICS,
    AR_NAME_STOPS,
    AR_TITLES,
    FR_HONORIFICS,
    FR_PARTICLES,
    FR_TITLES,
    folded_words,
)
from .text import COMMA, Token, clean_phrase, compact_key, fold

_BREAK = re.compile(r"[.;:!?؟\n()«»\"“”]")


@dataclass
class PersonMention:
    name: str | None
    name_span: tuple[int, int] | None
    role: str | None
    role_span: tuple[int, int] | None

    # Read for every token against every person: kept to plain comparisons.
    @property
    def start(self) -> int:
        a, b = self.name_span, self.role_span
        if a and b:
            return a[0] if a[0] < b[0] else b[0]
        return (a or b)[0]

    @property
    def end(self) -> int:
        a, b = self.name_span, self.role_span
        if a and b:
            return a[1] if a[1] > b[1] else b[1]
        return (a or b)[1]


def _strip(key: str, options: tuple[str, ...] = ("و", "ب", "ل")) -> str:
    for prefix in options:
        if key.startswith(prefix) and len(key) > len(prefix) + 2:
            return key[len(prefix) :]
    return key


def _is_title(token: Token) -> bool:
    return _title_key(token.key)


@lru_cache(maxsize=65536)
def _title_key(key: str) -> bool:
    if key in AR_TITLES or _strip(key) in AR_TITLES or key in FR_TITLES:
        return True
    return _strip(key, ("و",)) in AR_TITLES


def _is_honorific(token: Token) -> bool:
    return _honorific_key(token.key)


@lru_cache(maxsize=65536)
def _honorific_key(key: str) -> bool:
    key = key.rstrip(".")
    return key in AR_HONORIFICS or _strip(key, ("و",)) in AR_HONORIFICS or key in FR_HONORIFICS


def _latin(token: Token) -> bool:
    return token.text[:1].isascii() and token.text[:1].isalpha()


def _gap(text: str, a: Token, b: Token) -> str:
    return text[a.end : b.start]


def _ar_name_token(token: Token) -> bool:
    key = token.key
    if not key or key.isdigit() or any(ch.isdigit() for ch in key):
        return False
    if _latin(token):
        return False
    bare = _strip(key, ("و",))
    if key in AR_NAME_STOPS or bare in AR_NAME_STOPS or _is_title(token) or _is_honorific(token):
        return False
    if key in AR_HEADS or bare in AR_HEADS or bare in _STANDS_FOR:
        return False
    # «لتدارك», «بالمهدي», «للعلوم»: a preposition before a noun, not part of a name.
    if key.startswith(("لت", "لا", "لل", "بال", "بت", "لم", "وال", "واست", "وزياد")) or key in _REGNAL:
        return False
    return True


# «… محمد بودرا وممثل الهيئة …»: the next person of a list, who stands for a body.
_STANDS_FOR = folded_words({"ممثل", "ممثله", "ممثلو", "ممثلي"})
_REGNAL = {"الثاني", "الاول", "الثالث", "الخامس", "السادس", "الرابع"}


def _fr_name_token(token: Token) -> bool:
    text = token.text
    if not _latin(token):
        return False
    if token.key in FR_PARTICLES:
        return True
    if not text[0].isupper() or token.key in FR_TITLES or token.key in FR_HONORIFICS:
        return False
    return token.key not in {"le", "la", "les", "l", "conseil", "ministere", "region", "sante", "map"}


def _extend_name(tokens: list[Token], text: str, i: int, arabic: bool, limit: int = 4) -> int:
    """Index after the last token of a personal name starting at i."""
    accept = _ar_name_token if arabic else _fr_name_token
    j = i
    while j < len(tokens) and j - i < limit:
        if (
            j > i
            and _BREAK.search(_gap(text, tokens[j - 1], tokens[j]))
            or (j > i and COMMA.search(_gap(text, tokens[j - 1], tokens[j])))
        ):
            break
        tok = tokens[j]
        if not accept(tok):
            break
        if arabic and j > i and tok.key.startswith("و") and tok.key[1:] in AR_FIRST_NAMES:
            break  # «… ووالي», «… وخالد»: a new person
        j += 1
    # French names end on a capitalised word, not a particle.
    while not arabic and j > i and tokens[j - 1].key in FR_PARTICLES:
        j -= 1
    return j


def find_people(tokens: list[Token], text: str) -> list[PersonMention]:
    """Every person (named or not) with a title, left to right."""
    people: list[PersonMention] = []
    used_until = 0
    i = 0
    titles = [_is_title(t) for t in tokens]
    while i < len(tokens):
        tok = tokens[i]
        # Cheap filter: a person starts at an honorific, a known first name, a capitalised Latin
        # word, or two words before a title.
        if not (
            titles[i]
            or (i + 2 < len(tokens) and titles[i + 2])
            or _is_honorific(tok)
            or tok.key in AR_FIRST_NAMES
            or tok.key[1:] in AR_FIRST_NAMES
            or tok.text[:1].isupper()
        ):
            i += 1
            continue
        found = _person_at(tokens, text, i, used_until)
        if found is None:
            i += 1
            continue
        person, next_index = found
        previous = people[-1] if people else None
        if (
            person.name
            and person.role is None
            and previous is not None
            and previous.name is None
            and previous.role_span
            and _honorific_only(text, previous.role_span[1], person.name_span[0])
        ):
            people[-1] = PersonMention(person.name, person.name_span, previous.role, previous.role_span)
        elif person.role or _honorific_only(text, max(0, person.start - 14), person.start, loose=True):
            people.append(person)
        used_until = person.end
        i = max(next_index, i + 1)
    return people


def _honorific_only(text: str, start: int, end: int, loose: bool = False) -> bool:
    words = [fold_word for fold_word in (w.strip(".") for w in fold(text[start:end]).split())]
    if loose:
        return bool(words) and (
            words[-1] in AR_HONORIFICS or words[-1] in FR_HONORIFICS or words[-1][1:] in AR_HONORIFICS
        )
    return len(words) == 1 and (words[0] in AR_HONORIFICS or words[0] in FR_HONORIFICS)


def _person_at(tokens: list[Token], text: str, i: int, used_until: int) -> tuple[PersonMention, int] | None:
    tok = tokens[i]
    arabic = not _latin(tok)
    name_start = None
    if _is_honorific(tok) and i + 1 < len(tokens):
        # «MM. Alaoui et Bennani» names only surnames; handled by the caller's coreference.
        if _is_title(tokens[i + 1]):
            role_end = _role_end(tokens, text, i + 1, arabic)
            span = (tokens[i + 1].start, tokens[role_end - 1].end)
            return PersonMention(None, None, clean_phrase(text[span[0] : span[1]]), span), role_end
        name_start = i + 1
    elif arabic and (tok.key in AR_FIRST_NAMES or _strip(tok.key, ("و",)) in AR_FIRST_NAMES):
        name_start = i
    elif not arabic and _fr_name_token(tok) and tok.key not in FR_PARTICLES and i + 1 < len(tokens):
        # A French name needs a title beside it: «ministre de la Santé, Khalid Ait Taleb».
        before = text[max(0, tok.start - 2) : tok.start]
        if "," not in before:
            return None
        name_start = i
    elif _is_title(tok):
        return None
    else:
        return _name_before_title(tokens, text, i, used_until)
    if name_start is None or name_start >= len(tokens):
        return None
    name_end = _extend_name(tokens, text, name_start, arabic)
    if name_end - name_start < (1 if _is_honorific(tok) else 2):
        return None
    name_tokens = tokens[name_start:name_end]
    name_text = text[name_tokens[0].start : name_tokens[-1].end]
    if arabic and name_tokens[0].key.startswith("و") and name_tokens[0].key[1:] in AR_FIRST_NAMES:
        name_text = name_text[1:]
        name_span = (name_tokens[0].start + 1, name_tokens[-1].end)
    else:
        name_span = (name_tokens[0].start, name_tokens[-1].end)
    if not arabic and name_end - name_start < 2 and not _is_honorific(tok):
        return None
    role, role_span, after = _role_after(tokens, text, name_end, arabic)
    if role is None:
        role, role_span = _role_before(tokens, text, i, used_until, arabic)
    return PersonMention(name_text, name_span, role, role_span), after if role_span and after else name_end


def _name_before_title(
    tokens: list[Token], text: str, i: int, used_until: int
) -> tuple[PersonMention, int] | None:
    """«شكيب بنموسى، وزير …»: two name-like words right before «، TITLE» after a boundary."""
    if i + 2 >= len(tokens):
        return None
    a, b = tokens[i], tokens[i + 1]
    title = tokens[i + 2]
    if not _is_title(title) or not re.fullmatch(r"\s*[,،]\s*", _gap(text, b, title)):
        return None
    arabic = not _latin(a)
    accept = _ar_name_token if arabic else _fr_name_token
    if not (accept(a) and accept(b)) or _BREAK.search(_gap(text, a, b)) or "،" in _gap(text, a, b):
        return None
    if a.start < used_until:
        return None
    if i > 0:
        prev = tokens[i - 1]
        gap = _gap(text, prev, a)
        boundary = (
            bool(re.search(r"[,،.:\n]", gap))
            or prev.key
            in {
                "اشرف",
                "ترأس",
                "تراس",
                "ترات",
                "ترأست",
                "وقع",
                "وقعه",
                "وقعها",
                "قال",
                "اكد",
                "اوضح",
                "من",
                "طرف",
            }
            or prev.key.startswith(("اشرف", "ترا", "وقع"))
        )
        if not boundary and not (arabic and a.key.startswith("و")):
            return None
    name_span = (a.start + (1 if arabic and a.key.startswith("و") and len(a.key) > 3 else 0), b.end)
    role, role_span, after = _role_after(tokens, text, i + 2, arabic)
    return PersonMention(text[name_span[0] : name_span[1]], name_span, role, role_span), after or i + 3


def _role_after(
    tokens: list[Token], text: str, j: int, arabic: bool
) -> tuple[str | None, tuple[int, int] | None, int]:
    """A title right after a name, optionally after a comma: «X، المدير الجهوي …»."""
    if j >= len(tokens) or j == 0:
        return None, None, 0
    gap = _gap(text, tokens[j - 1], tokens[j])
    if _BREAK.search(gap) or not re.fullmatch(r"\s*[,،]?\s*", gap):
        return None, None, 0
    if not _is_title(tokens[j]) or (
        arabic and tokens[j].key.startswith("و") and tokens[j].key[1:] in AR_TITLES
    ):
        return None, None, 0
    end = _role_end(tokens, text, j, arabic)
    span = (tokens[j].start, tokens[end - 1].end)
    return clean_phrase(text[span[0] : span[1]]), span, end


def _role_end(tokens: list[Token], text: str, j: int, arabic: bool) -> int:
    """Index after the last token of a title phrase starting at j."""
    k = _role_scan(tokens, text, j, arabic)
    while k - 1 > j and tokens[k - 1].key in {"و", "et"}:
        k -= 1
    return k


def _role_scan(tokens: list[Token], text: str, j: int, arabic: bool) -> int:
    k = j + 1
    while k < len(tokens) and k - j < 14:
        gap = _gap(text, tokens[k - 1], tokens[k])
        if _BREAK.search(gap) or COMMA.search(gap):
            break
        tok = tokens[k]
        key = tok.key
        if _is_honorific(tok):
            break
        if arabic:
            if key in _ROLE_STOPS:
                break
            if key.startswith("و") and (
                _strip(key, ("و",)) in AR_TITLES or _strip(key, ("و",)) in AR_FIRST_NAMES
            ):
                break
            if key in AR_FIRST_NAMES and k > j + 1:
                break
        else:
            if key in {"a", "ont", "qui", "lors", "en", "et"} or (
                tok.text[:1].isupper() and _is_name_start(tokens, k)
            ):
                break
        k += 1
    return k


_ROLE_STOPS = frozenset(
    fold(w)
    for w in (
        "بصفته",
        "بمعية",
        "رفقة",
        "بحضور",
        "على",
        "يوم",
        "يومه",
        "أمس",
        "اليوم",
        "صبيحة",
        "مساء",
        "خلال",
        "الذي",
        "التي",
        "حيث",
        "أن",
        "عن",
        "في",
        "إضافة",
        "إلى",
        "بتوقيع",
        "لتوقيع",
        "توقيع",
        "مراسيم",
        "وبعض",
        "بعض",
        "أنه",
        "سيتم",
        "تم",
    )
)


def _is_name_start(tokens: list[Token], k: int) -> bool:
    return (
        k + 1 < len(tokens)
        and tokens[k + 1].text[:1].isupper()
        and tokens[k].key
        not in {"sante", "conseil", "region", "province", "prefecture", "ministere", "association", "centre"}
    )


def _role_before(
    tokens: list[Token], text: str, i: int, used_until: int, arabic: bool
) -> tuple[str | None, tuple[int, int] | None]:
    """A title written before the name: «والي جهة … السيد حسن العمراني», «le gouverneur …, X»."""
    k = i - 1
    lowest = i - 14
    while k >= 0 and k >= lowest:
        tok = tokens[k]
        if tok.end <= used_until:
            break
        gap = _gap(text, tok, tokens[k + 1])
        if _BREAK.search(gap):
            break
        if COMMA.search(gap) and k + 1 != i and not (k + 2 == i and _is_honorific(tokens[i - 1])):
            if not arabic:
                pass
            else:
                break
        if _is_title(tok):
            start = tok.start
            if arabic and tok.key.startswith("و") and _strip(tok.key, ("و",)) in AR_TITLES:
                start += 1
            end_token = i - 1 if _is_honorific(tokens[i - 1]) and i - 1 > k else i
            span = (start, tokens[end_token - 1].end)
            role = clean_phrase(text[span[0] : span[1]])
            return (role, span) if role else (None, None)
        k -= 1
    return None, None


def same_role(a: str, b: str) -> bool:
    """Whether two titles name the same office, ignoring spelling and run-together words."""
    ka, kb = compact_key(a), compact_key(b)
    for prefix in ("ال",):
        ka = ka.replace(prefix, "")
        kb = kb.replace(prefix, "")
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    short, long_ = sorted((ka, kb), key=len)
    return len(short) >= 8 and long_.startswith(short)
