"""Projects and components named by an agreement, and the stated number of projects."""

from __future__ import annotations

import re
from functools import lru_cache

from .lexicon import AR_ACTIONS, FR_ACTIONS, folded_words
from .model import Mention
from .numbers import Money, find_money
from .text import COMMA, Token, clean_phrase, fold, index_at

_BREAK = re.compile(r"[.;:!?؟\n()«»\"“”|]")
# Phrases that end a project and may start the next one.
_AR_ENDS = folded_words(
    {
        "بالاضافه",
        "اضافه",
        "فضلا",
        "وكذا",
        "كذا",
        "وايضا",
        "ايضا",
        "كما",
        "بقيمه",
        "بميزانيه",
        "بغلاف",
        "بتكلفه",
        "بكلفه",
        "لضمان",
        "من",
        "بهدف",
        "قصد",
        "الكفيله",
        "التي",
        "الذي",
        "الذين",
        "لتحسين",
        "لتقويه",
        "وذلك",
        "ذلك",
        "حيث",
        "عبر",
        "بمساهمه",
        "لفايده",
        "موزعه",
        "تقدر",
        "يقدر",
        "بلغت",
        "تبلغ",
        "على",
        "ضمن",
        "لانجاز",
        "للمساهمه",
        "بشراكه",
        "ويشمل",
        "وتشمل",
        "وتهم",
        "تهم",
        "ترمي",
        "تروم",
        "وتروم",
        "لتمكين",
        "بين",
        "وبين",
    }
)
_FR_ENDS = folded_words(
    {
        "pour",
        "avec",
        "dont",
        "afin",
        "ainsi",
        "qui",
        "en",
        "d'une",
        "estimee",
        "estime",
        "par",
        "sur",
        "signee",
        "a",
        "ont",
        "est",
        "au",
        "aux",
        "lors",
        "tandis",
        "alors",
        "porte",
        "entre",
    }
)
_MAX_TOKENS = 12
_ASIDE = re.compile(r"\s*\([^()\n]{1,24}\)")
_OBJECTIVES = folded_words({"developpement", "renforcement"})
# «تعزيز» is an aim before an offer, capacities or cooperation, a component before equipment.
_AR_STRENGTHEN = folded_words({"تعزيز"})
_LAY = next(iter(folded_words({"وضع"})))
_AR_SUPPORT = folded_words({"دعم", "ضمان", "توفير"})
_SUPPORT_AIMS = folded_words({"مختلف", "القطاعات", "قطاعات", "مجهودات", "الخدمات", "خدمات", "مالي"})
_FOUNDATIONS = folded_words({"الحجر", "حجر", "اسس", "الاسس", "أسس"})
_ABSTRACT_OBJECTS = folded_words(
    {"العرض", "عرض", "قدرات", "القدرات", "التعاون", "الشراكه", "مجال", "وتنويع", "الحكامه"}
)
# «المركز الصحي القروي صنف 2 …»: a grade number is part of the name, not an amount.
_GRADE_WORDS = folded_words({"صنف", "درجه", "مستوي", "type", "categorie", "niveau"})
_DEMONSTRATIVES = folded_words({"هذه", "هذا", "هاته", "هذين", "هاتين", "ces", "cette", "ce", "cet"})


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
    tokens: list[Token],
    text: str,
    scope: tuple[int, int],
    money: list[Money] | None = None,
    skip: list[tuple[int, int]] | None = None,
) -> list[Mention]:
    """Action phrases in scope. Actions inside a `skip` span (an institution's name, «جمعية
    الوفاء لدعم المرضى») are not projects; reading resumes right after them."""
    out: list[Mention] = []
    money_spans = [
        (m.start - scope[0], m.end - scope[0]) for m in (money if money is not None else find_money(text))
    ]
    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        if not (scope[0] <= tok.start < scope[1]):
            i += 1
            continue
        is_action, drop = _action(tok)
        if not is_action or _not_a_project_action(tokens, text, i, drop, skip):
            i += 1
            continue
        j = _phrase_end(tokens, text, i)
        if i + 1 < n and tokens[i + 1].key in _DEMONSTRATIVES:
            # «تمويل هذه الاتفاقية», «financement de ces projets»: refers back, names nothing new.
            i = max(j, i + 1)
            continue
        start = tok.start + drop
        end = tokens[j - 1].end
        if text[end : end + 1] == ")" and text.count("(", start, end) > text.count(")", start, end):
            end += 1
        phrase = _balanced(clean_phrase(text[start:end]))
        if _refers_back(phrase, j - i):
            i = max(j, i + 1)
            continue
        if j - i >= 2 and not any(s <= start - scope[0] < e for s, e in money_spans):
            out.append(Mention(phrase, (start, end)))
            j = _read_further_items(out, tokens, text, i, j, scope)
        i = max(j, i + 1)
    return _dedupe(out)


def _not_a_project_action(tokens: list[Token], text: str, i: int, drop: int, skip) -> bool:
    """An action word that opens no project: «mise» not followed by its object, an aim of the
    agreement, or a word inside a proper name or a `skip` span."""
    tok = tokens[i]
    if tok.key == "mise" and not _mise(tokens, i):
        return True
    if _objective(tokens, i, drop):
        # «تعزيز العرض الصحي», «développement régional»: what the agreement aims at; its
        # components are named by the other actions.
        return True
    # «l'Initiative nationale pour le Développement humain» names a programme.
    return _in_proper_name(tok, text) or bool(skip) and any(a <= tok.start < b for a, b in skip)


def _read_further_items(out: list[Mention], tokens: list[Token], text: str, i: int, j: int, scope) -> int:
    """After the phrase `out[-1]` (tokens i to j), the other facilities or sites its action names;
    returns where reading resumes."""
    start = out[-1].span[0]
    further = _further_facilities(tokens, text, j, scope)
    if further:
        # «إحداث مركب رياضي بالحي أ، وملعب للقرب بالحي ب»: one action, several facilities.
        out.extend(further)
        j = index_at(tokens, further[-1].span[1]) if further[-1].span else j
    first_end, shared = _shared_action_items(tokens, text, i, j, scope)
    if shared:
        # The first site is read whole too («… صنف 2 اصديف بجماعة زناكة»).
        end = tokens[first_end - 1].end
        out[-1] = Mention(clean_phrase(text[start:end]), (start, end))
        out.extend(shared)
        j = index_at(tokens, shared[-1].span[1]) if shared[-1].span else j
    return j


def _objective(tokens: list[Token], i: int, drop: int) -> bool:
    key = tokens[i].key[drop:]
    if key in _OBJECTIVES:
        return True
    following = tokens[i + 1].key if i + 1 < len(tokens) else ""
    if key == _LAY and following in _FOUNDATIONS:
        return True  # «وضع الحجر الأساس لبناء …»: the building that follows is the project
    if key in _AR_SUPPORT and following in _SUPPORT_AIMS:
        return True  # «دعم مختلف القطاعات», «دعم مجهودات …», «توفير الخدمات …»: an aim, no component
    return key in _AR_STRENGTHEN and following in _ABSTRACT_OBJECTS


# Nouns of a facility or an item that an action named before it applies to as well.
_FACILITIES = folded_words(
    {
        "مركز",
        "مراكز",
        "مستشفي",
        "مستشفى",
        "ملعب",
        "مركب",
        "دار",
        "قاعه",
        "مصحه",
        "وحده",
        "مختبر",
        "مستوصف",
        "سياره",
        "سيارات",
        "centre",
        "hopital",
        "unite",
        "salle",
        "maison",
        "complexe",
        "terrain",
        "dispensaire",
    }
)


def _further_facilities(tokens: list[Token], text: str, j: int, scope: tuple[int, int]) -> list[Mention]:
    """Facilities listed after an action's first object, each after «، و» / «et» / a comma."""
    out: list[Mention] = []
    while j < len(tokens) and tokens[j].start < scope[1] and len(out) < 10:
        gap = text[tokens[j - 1].end : tokens[j].start]
        if _BREAK.search(gap.replace("(", "").replace(")", "")):
            break
        k, key = j, tokens[j].key
        if key in ("و", "et") and k + 1 < len(tokens):
            k, key = k + 1, tokens[k + 1].key
        elif key.startswith("و") and key[1:] in _FACILITIES:
            key = key[1:]
        elif not COMMA.search(gap):
            break
        if key.startswith(("l'", "d'", "un", "une")) and k + 1 < len(tokens) and key in ("un", "une"):
            k, key = k + 1, tokens[k + 1].key
        if key not in _FACILITIES:
            break
        start = tokens[k].start + (
            1 if tokens[k].key.startswith("و") and tokens[k].key[1:] in _FACILITIES else 0
        )
        stop = _phrase_end(tokens, text, k)
        if stop - k < 2:
            break
        out.append(Mention(clean_phrase(text[start : tokens[stop - 1].end]), (start, tokens[stop - 1].end)))
        j = stop
    return out


# «بناء المؤسسة الاستشفائية موضوع الاتفاقية», «… سالفة الذكر», «إنجاز المشاريع»: a component named
# before, referred to again.
_BACK_REFERENCE = re.compile(
    r"موضوع (?:ال)?اتفاقي|سالف[ةه]? الذكر|(?:ال)?مذكور[ةه]?(?:\s|$)|susmentionn|pr[ée]cit"
)
_BARE_OBJECTS = folded_words({"المشاريع", "المشروع", "projets", "projet"})


def _refers_back(phrase: str, width: int) -> bool:
    words = phrase.split()
    return (
        bool(_BACK_REFERENCE.search(phrase))
        or width == 2
        and len(words) == 2
        and fold(words[1]) in _BARE_OBJECTS
    )


def _balanced(phrase: str) -> str:
    """clean_phrase trims a closing parenthesis; an aside that ends the phrase keeps it."""
    return phrase + ")" if phrase.count("(") > phrase.count(")") else phrase


def _shared_action_items(
    tokens: list[Token], text: str, i: int, j: int, scope: tuple[int, int]
) -> tuple[int, list[Mention]]:
    """«توفير طبيب بكل من المركز الصحي أ، والمركز الصحي ب، ثم المركز الصحي ج»: one action over
    a list of sites gives one component per site, read as the site as written («المركز الصحي ب»)."""
    head_at = None
    for k in range(i + 1, j):
        key = tokens[k].key
        if key.startswith("بال") and len(key) > 4:
            head_at, head = k, key[1:]
            break
        if key == "بكل":
            nxt = k + 2 if k + 2 < j and tokens[k + 1].key == "من" else k + 1
            if nxt < j and tokens[nxt].key.startswith("ال"):
                head_at, head = nxt, tokens[nxt].key
            break
    if head_at is None:
        return j, []
    out: list[Mention] = []
    end = j
    # The first site may run on past the phrase's end («… صنف 2 اصديف بجماعة زناكة، والمركز …»).
    while (
        end < len(tokens) and end - j < 8 and not COMMA.search(text[tokens[end - 1].end : tokens[end].start])
    ):
        if _BREAK.search(text[tokens[end - 1].end : tokens[end].start]):
            return j, []
        end += 1
    first_end = end
    while end < len(tokens) and tokens[end].start < scope[1] and len(out) < 20:
        gap = text[tokens[end - 1].end : tokens[end].start]
        if not COMMA.search(gap) or _BREAK.search(gap):
            break
        k = end
        if tokens[k].key in ("ثم", "و") and k + 1 < len(tokens):
            k += 1
        key = tokens[k].key
        if key != head and not (key.startswith("و") and key[1:] == head):
            break
        item_start = tokens[k].start + (1 if key != head else 0)
        stop = _phrase_end(tokens, text, k)
        item = text[item_start : tokens[stop - 1].end]
        if item.strip() == item and len(item.split()) >= 2:
            out.append(Mention(item, (item_start, tokens[stop - 1].end)))
        end = stop
    return first_end, out


def _in_proper_name(tok: Token, text: str) -> bool:
    """A French action word capitalised inside a sentence is part of a name."""
    word = tok.text.split("'")[-1].split("’")[-1]
    if not word[:1].isupper() or not word.isascii() and not word[:1].isalpha() or tok.start == 0:
        return False
    before = text[max(0, tok.start - 3) : tok.start].rstrip(" '’")
    return bool(before) and before[-1:] not in ".!?:\n-•*" and not before[-1:].isdigit()


def _mise(tokens: list[Token], i: int) -> bool:
    return i + 1 < len(tokens) and tokens[i + 1].key in ("a", "à", "en")


def _phrase_end(tokens: list[Token], text: str, i: int) -> int:
    arabic = not tokens[i].text[:1].isascii()
    j = i + 1
    while j < len(tokens) and j - i < _MAX_TOKENS:
        gap = text[tokens[j - 1].end : tokens[j].start]
        aside = _ASIDE.match(text, tokens[j - 1].end) if j - i >= 2 else None
        if aside and not find_money(aside.group()):
            # «مركب رياضي (800 م2)», «centre de santé (niveau 1)»: a short aside belongs to the name.
            j = index_at(tokens, aside.end())
            continue
        if _BREAK.search(gap) or COMMA.search(gap):
            break
        tok = tokens[j]
        if _capacity(tokens, j):
            j += 2  # «مستشفى … بسعة 250 سريرا»: the capacity belongs to the project
            continue
        if any(ch.isdigit() for ch in tok.key) and j - i > 4 and tokens[j - 1].key not in _GRADE_WORDS:
            break
        if arabic:
            if tok.key in _AR_ENDS and not _phrase_goes_on(tokens, j):
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
            if tok.key in _FR_ENDS and not _phrase_goes_on(tokens, j):
                break
            if tok.key == "et" and j + 1 < len(tokens) and _action(tokens[j + 1])[0]:
                if j - i <= 1:
                    j += 2
                    continue
                break
        j += 1
    return min(j, len(tokens))


# «العديد من الطرق», «مجموعة من المحاور», «على مستوى», «au profit de»: a quantity or a place
# word that the next words complete; the phrase is not over.
_QUANTITY_WORDS = folded_words({"العديد", "مجموعه", "عدد", "جمله", "بعض", "كل", "بكل", "اكثر", "ازيد"})
_ON = next(iter(folded_words({"على"})))
_LEVEL_WORDS = folded_words({"مستوى", "صعيد"})
_CAPACITY_UNITS = folded_words({"سرير", "سريرا", "اسره", "اسرة", "lits", "lit", "places", "مقعد", "مقعدا"})


def _phrase_goes_on(tokens: list[Token], j: int) -> bool:
    key = tokens[j].key
    previous = tokens[j - 1].key
    following = tokens[j + 1].key if j + 1 < len(tokens) else ""
    if key == _ON:
        return following in _LEVEL_WORDS
    if key == "من":
        return previous in _QUANTITY_WORDS
    if key == "au":
        return following == "profit"
    if key in ("aux", "au") and _action(tokens[j - 1])[0]:
        return True  # «raccordement aux réseaux»: the action's own object
    if key in ("d'une", "d'un"):
        # «acquisition d'une ambulance» names its object; «… d'une part» ends a side of a list.
        return following not in ("part", "autre", "valeur", "enveloppe", "montant", "cout", "duree")
    return False


def _capacity(tokens: list[Token], j: int) -> bool:
    following = tokens[j + 1].key if j + 1 < len(tokens) else ""
    return tokens[j].key.isdigit() and following in _CAPACITY_UNITS


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
    "اثنين": 2,
    "ثلاثة": 3,
    "ثلاث": 3,
    "أربعة": 4,
    "أربع": 4,
    "اربعة": 4,
    "خمسة": 5,
    "خمس": 5,
    "ستة": 6,
    "سبعة": 7,
    "ثمانية": 8,
    "تسعة": 9,
    "عشرة": 10,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
}
_COUNTED_RE = re.compile(
    r"(?<!\w)(\d+|" + "|".join(_AR_SMALL) + r")\s+(?:مراكز|مستشفيات|وحدات|centres|hôpitaux)"
)


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
