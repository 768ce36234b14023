"""Projects and components named by an agreement, and the stated number of projects."""

from __future__ import annotations

import re
from functools import lru_cache

from .lexicon import AR_ACTIONS, FR_ACTIONS, _f
from .model import Mention
from .numbers import Money, find_money
from .text import Token, clean_phrase

_BREAK = re.compile(r"[.;:!?؟\n()«»\"“”]")
_COMMA = re.compile(r"[,،]")
# Phrases that end a project and may start the next one.
_AR_ENDS = _f({
    "بالاضافه", "اضافه", "فضلا", "وكذا", "كذا", "وايضا", "ايضا", "كما", "بقيمه", "بميزانيه", "بغلاف", "بتكلفه",
    "بكلفه", "لضمان", "من", "بهدف", "قصد", "الكفيله", "التي", "الذي", "الذين", "لتحسين", "لتقويه", "وذلك",
    "ذلك", "حيث", "عبر", "بمساهمه", "لفايده", "موزعه", "تقدر", "يقدر", "بلغت", "تبلغ", "على", "ضمن",
    "لانجاز", "للمساهمه", "بشراكه", "ويشمل", "وتشمل", "وتهم", "تهم", "ترمي", "تروم", "وتروم", "لتمكين",
})
_FR_ENDS = _f({"pour", "avec", "dont", "afin", "ainsi", "qui", "en", "d'une", "estimee", "estime", "par", "sur",
            "signee", "a", "ont", "est", "au", "aux", "lors", "tandis", "alors", "porte"})
_MAX_TOKENS = 12


def _action(token: Token) -> tuple[bool, int]:
    """Whether the token opens a project phrase; returns the characters of a prefix to drop."""
    return _action_key(token.key)


@lru_cache(maxsize=65536)
def _action_key(key: str) -> tuple[bool, int]:
    if key in AR_ACTIONS or key in FR_ACTIONS:
        return True, 0
    for prefix in ("و", "ب", "ل"):
        if key.startswith(prefix) and key[len(prefix) :] in AR_ACTIONS:
            return True, len(prefix)
    if key.startswith(("l'", "d'")) and key[2:] in FR_ACTIONS:
        return True, 2
    return False, 0


def find_projects(
    tokens: list[Token], text: str, scope: tuple[int, int], money: list[Money] | None = None
) -> list[Mention]:
    out: list[Mention] = []
    money_spans = [(m.start - scope[0], m.end - scope[0]) for m in (money if money is not None else find_money(text))]
    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        if not (scope[0] <= tok.start < scope[1]):
            i += 1
            continue
        is_action, drop = _action(tok)
        if not is_action or tok.key == "mise" and not _mise(tokens, i):
            i += 1
            continue
        j = _phrase_end(tokens, text, i)
        start = tok.start + drop
        phrase = clean_phrase(text[start : tokens[j - 1].end])
        if j - i >= 2 and not any(s <= start - scope[0] < e for s, e in money_spans):
            out.append(Mention(phrase, (start, tokens[j - 1].end)))
        i = max(j, i + 1)
    return _dedupe(out)


def _mise(tokens: list[Token], i: int) -> bool:
    return i + 1 < len(tokens) and tokens[i + 1].key in ("a", "à", "en")


def _phrase_end(tokens: list[Token], text: str, i: int) -> int:
    arabic = not tokens[i].text[:1].isascii()
    j = i + 1
    while j < len(tokens) and j - i < _MAX_TOKENS:
        gap = text[tokens[j - 1].end : tokens[j].start]
        if _BREAK.search(gap) or _COMMA.search(gap):
            break
        tok = tokens[j]
        if any(ch.isdigit() for ch in tok.key) and j - i > 4:
            break
        if arabic:
            if tok.key in _AR_ENDS:
                break
            # «… و إنشاء …», «… وتجهيز …» begin the next item unless the two actions share an
            # object («إحداث وتجهيز مركز»): keep going when the action comes right after another.
            if (tok.key == "و" and j + 1 < len(tokens) and _action(tokens[j + 1])[0]) or (
                tok.key.startswith("و") and _action(tok)[0]
            ):
                if j - i <= 1:
                    j += 2 if tok.key == "و" else 1
                    continue
                break
        else:
            if tok.key in _FR_ENDS:
                break
            if tok.key == "et" and j + 1 < len(tokens) and _action(tokens[j + 1])[0]:
                if j - i <= 1:
                    j += 2
                    continue
                break
        j += 1
    return min(j, len(tokens))


def _dedupe(items: list[Mention]) -> list[Mention]:
    seen: set[str] = set()
    out = []
    for item in items:
        key = re.sub(r"\W", "", item.text)
        if key in seen:
            continue
        seen.add(key)
        out.append(item)
    return out


_COUNT_RE = re.compile(r"(?<!\w)(\d+)\s*(?:مشروعا|مشروع|مشاريع|projets?)(?!\w)", re.I)
_AR_SMALL = {
    "اثنين": 2, "ثلاثة": 3, "ثلاث": 3, "أربعة": 4, "أربع": 4, "اربعة": 4, "خمسة": 5, "خمس": 5, "ستة": 6,
    "سبعة": 7, "ثمانية": 8, "تسعة": 9, "عشرة": 10, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
}
_COUNTED_RE = re.compile(r"(?<!\w)(\d+|" + "|".join(_AR_SMALL) + r")\s+(?:مراكز|مستشفيات|وحدات|centres|hôpitaux)")


def find_project_count(text: str, scope: tuple[int, int]) -> tuple[int | None, tuple[int, int] | None]:
    """«14 مشروعا», «51 مشروعا»; or N items the text then calls «هذه المشاريع»."""
    m = _COUNT_RE.search(text, scope[0], scope[1])
    if m:
        return int(m.group(1)), (m.start(), m.end())
    refer = re.search(r"هذه المشاريع|ces projets", text[scope[0] : scope[1]])
    if refer:
        counted = None
        for c in _COUNTED_RE.finditer(text, scope[0], scope[0] + refer.start()):
            counted = c
        if counted:
            raw = counted.group(1)
            value = int(raw) if raw.isdigit() else _AR_SMALL[raw]
            return value, (counted.start(), counted.end())
    return None, None
