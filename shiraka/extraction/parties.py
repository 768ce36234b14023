"""Parties to an agreement: institutions named in «بين … و …», «entre … et …», «مع …»,
«بمساهمة …», as subject of «وقع/وقعت», of an approval, or of a commitment («تلتزم …»), plus
institutions derived from the signers' titles («والي جهة …» → «ولاية جهة …»)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .gazetteer import find_places, gazetteer, name_key
from .lexicon import AR_HEADS, AR_HONORIFICS, AR_TITLES, FR_HEADS, FR_TITLES, folded_words
from .model import Mention
from .people import PersonMention
from .text import COMMA, Token, clean_phrase, compact_key, fold, index_at

_BREAK = re.compile(r"[.;:!?؟\n()«»]")

# Words after which an institution name does not continue.
_AR_STOPS = folded_words(
    {
        "من",
        "اجل",
        "بهدف",
        "حول",
        "قصد",
        "على",
        "في",
        "عن",
        "الي",
        "التي",
        "الذي",
        "وذلك",
        "ذلك",
        "يوم",
        "يومه",
        "تحت",
        "بحضور",
        "لفايده",
        "ممثله",
        "ممثلا",
        "ممثلين",
        "بصفته",
        "بتكلفه",
        "بكلفه",
        "بغلاف",
        "بقيمه",
        "بمساهمه",
        "تهم",
        "يهم",
        "تتعلق",
        "يتعلق",
        "ترمي",
        "تروم",
        "تهدف",
        "يهدف",
        "الموقعه",
        "المبرمه",
        "بمقر",
        "مقر",
        "خلال",
        "اليوم",
        "امس",
        "صبيحه",
        "مساء",
        "وتروم",
        "وتهدف",
        "بموجب",
        "سيتم",
        "تم",
        "حيث",
        "كل",
        "اتفاقيه",
        "الاتفاقيه",
        "اتفاقيات",
        "شراكه",
        "لاجل",
        "لانجاز",
        "لتمويل",
        "للنهوض",
        "لبناء",
        "لتنفيذ",
        "لتعزيز",
        "لتاهيل",
        "لاحداث",
        "لتجهيز",
        "لتحسين",
        "لتطوير",
        "لتنضيم",
        "لتوفير",
        "لمحاربه",
        "للمساهمه",
        "بشكل",
        "ضمن",
        "عبر",
        "وفق",
        "بعد",
        "قبل",
        "حسب",
        "اما",
        "فيما",
        "بينما",
        "او",
        "ان",
        "انه",
        "كما",
        "بالاضافه",
        "اضافه",
        "فضلا",
        "وكذا",
        "كذا",
        "ايضا",
        "عقب",
        "مجموع",
        "ما",
        "منها",
        "بدعم",
        "تعاقدت",
        "بشراكه",
    }
)
# Association-like heads keep «لـ…» purposes in their name («جمعية طيبة لدعم المرضى»).
_AR_PURPOSE_HEADS = folded_words(
    {"جمعيه", "الجمعيه", "جمعيات", "موسسه", "الموسسه", "الفيدراليه", "فيدراليه", "مركز"}
)
_FR_STOPS = folded_words(
    {
        "porte",
        "portant",
        "portent",
        "relative",
        "relatives",
        "concerne",
        "visant",
        "afin",
        "dans",
        "avec",
        "ont",
        "a",
        "est",
        "sera",
        "sur",
        "lors",
        "signee",
        "signees",
        "prevoit",
        "dont",
        "qui",
        "ainsi",
        "en",
        "par",
        "le",
        "la",
        "les",
        "l",
        "d'une",
        "d'un",
        "une",
        "un",
        "pour",
        "ce",
        "cette",
        "ces",
        "au",
        "aux",
    }
)
_FR_PRESENT_VERBS = folded_words(
    {"adopte", "approuve", "examine", "valide", "signe", "tient", "vote", "conclut", "lance", "scelle"}
)
_FR_LINKS = folded_words({"de", "du", "des", "d", "la", "l", "et", "le", "a", "à", "sur"})
# Association-like heads keep «pour …» in their name («Association Sanad pour le soutien …»).
_FR_PURPOSE_HEADS = folded_words(
    {"association", "associations", "fondation", "ligue", "federation", "centre", "agence"}
)

_TRIGGERS_AR = re.compile(
    r"(?<!\w)(?:بين|وبين|ب?مساهم[ةه]|بشراك[ةه] مع|شراك[ةه] مع|مبرم[ةه] مع|المبرم[ةه] مع|تربط|"
    r"ب?تنسيق مع|ب?تعاون مع)(?!\w)"
)
_AGREEMENT_WITH = re.compile(r"(?:[اإ]تفاقي[ةه]|[اإ]تفاق|تفاهم|شراك[ةه]|عقود)(?:\s+\S+){0,3}?\s+مع(?!\w)")
_SIGN_SUBJECT = re.compile(
    r"(?<!\w)(?:و?وق[ّ]?ع(?:ت)?(?:\s+كل\s+من)?|و?تلتزم|و?تساهم|و?يلتزم|و?يساهم|"
    # what a party undertakes under the agreement: «وستسهر الجمعية …», «تتولى الولاية …»
    r"و?س?[تي]سهر|و?س?[تي]تولى|و?س?[تي]تكفل|و?س?[تي]تكلف|و?س?[تي]تعهد)(?!\w)"
)
_TRIGGERS_FR = re.compile(
    r"(?<!\w)(?:entre|conclues? entre|sign[ée]+s? (?:entre|avec|par)|avec|liant|à savoir|"
    r"(?:financ[ée]+s?|assur[ée]+s?|pris\s+en\s+charge)\s+par|"
    r"(?:partenaires|parties)\s+(?:de\s+(?:cette|ces|la|cet)\s+\w+\s+)?sont)(?!\w)",
    re.I,
)
# «… liant le Conseil aux communes de …»: the bodies bound to the first one follow «à/au/aux».
_LINKED_TO_FR = re.compile(r"(?<!\w)liant\s+[^.,;:\n]{1,60}?\s(?:aux|au|à)\s", re.I)
_APPROVAL = re.compile(r"(?<!\w)(?:صادق(?:ت)?|وافق(?:ت)?|(?:بعد\s+|ب)?مصادق[ةه])(?!\w)")
_ASIDE = re.compile(r"\s*\([^()\n]{1,60}\)")
_FR_SUBJECT = re.compile(r"(?i)(?:^|[.\n]\s*)(?:[A-Z]\w+\s+[–-]\s+)?(le|la|l['’])\s*(conseil|commune)\b")


@dataclass
class Parties:
    institutions: list[Mention] = field(default_factory=list)
    from_people: list[Mention] = field(default_factory=list)


def _strip(key: str) -> str:
    for prefix in ("وب", "ول", "و", "ب", "ل"):
        if key.startswith(prefix) and key[len(prefix) :] in AR_HEADS:
            return key[len(prefix) :]
    if key.startswith("لل") and ("ال" + key[2:]) in AR_HEADS:
        return "ال" + key[2:]
    return key


def _is_head(token: Token) -> bool:
    key = token.key
    return key in AR_HEADS or _strip(key) in AR_HEADS or _fr_head(token)


def _fr_head(token: Token) -> bool:
    key = token.key
    raw = token.text
    if key.startswith(("l'", "d'")):
        key = key[2:]
        raw = raw[2:]
    # An acronym («l'OFPPT», «ANAPEC») names a body.
    return key in FR_HEADS or (raw.isupper() and len(raw) >= 3 and raw.isalpha())


def _head_offset(token: Token) -> int:
    """Characters of an attached conjunction or preposition before the head word."""
    key = token.key
    if key in AR_HEADS or _fr_head(token):
        if token.text.lower().startswith(("l'", "l’", "d'", "d’")):
            return 2
        return 0
    if key.startswith("لل"):
        return 1
    for prefix in ("وب", "ول", "و", "ب", "ل"):
        if key.startswith(prefix):
            return len(prefix)
    return 0


def institution_at(tokens: list[Token], text: str, i: int) -> tuple[int, int, int] | None:
    """Span (start, end) and next token index of an institution name starting at token i."""
    if i >= len(tokens) or not _is_head(tokens[i]):
        return None
    head = tokens[i]
    arabic = not head.text[:1].isascii()
    head_key = _strip(head.key)
    j = i + 1
    while j < len(tokens) and j - i < 14:
        gap = text[tokens[j - 1].end : tokens[j].start]
        quoted = _QUOTED_NAME.match(text, tokens[j - 1].end) if j - i <= 2 else None
        if quoted:
            # «association « les amis du patient »», «مؤسسة "إسعاف"»: the quoted name is the body's.
            return head.start + _head_offset(head), quoted.end(), index_at(tokens, quoted.end())
        if _BREAK.search(gap) or COMMA.search(gap) and not _ministry_goes_on(tokens, j, head, arabic):
            break
        if _arabic_name_ends(tokens, j, head_key) if arabic else _french_name_ends(tokens, j, head):
            break
        j += 1
    # Trailing links («… de la») are not part of the name.
    while j - 1 > i and tokens[j - 1].key in _FR_LINKS | {"و"}:
        j -= 1
    start = head.start + _head_offset(head)
    end = tokens[j - 1].end
    if end - start < 3:
        return None
    # A lone generic head («le conseil») is kept only if something follows it.
    return start, end, j


# «تساهم وزارة الصحة ب 60 مليون درهم ومجلس الجهة ب 40 مليون درهم»: each party's share, then the next.
_SHARE_AFTER = re.compile(
    r"\s*(?:ب|بمبلغ|بـ)?\s*[\d٠-٩][\d٠-٩.,ر\s]*(?:مليار|مليون|ملايين|ألف|الف)?\s*(?:درهم|سنتيم)?(?=\s*[وو،,])"
)
_QUOTED_NAME = re.compile(r"\s*(?:«[^«»\n]{2,50}»|\"[^\"\n]{2,50}\"|“[^“”\n]{2,50}”)")


def _ministry_goes_on(tokens: list[Token], j: int, head: Token, arabic: bool) -> bool:
    """«ministère du Tourisme, de l'Artisanat et de …»: a ministry's portfolios run on after a comma."""
    if arabic or fold(head.text.split("'")[-1].split("’")[-1]) != "ministere":
        return False
    key = tokens[j].key
    return key in ("de", "du", "des") or key.startswith(("d'", "de l'"))


def _arabic_name_ends(tokens: list[Token], j: int, head_key: str) -> bool:
    """Does token j end an Arabic institution name (a stop word, a title, the next party)?"""
    tok = tokens[j]
    key = tok.key
    if key in _AR_STOPS or key in AR_TITLES or any(ch.isdigit() for ch in key):
        return True
    if tok.text.rstrip("ـ") in ("ب", "ل"):
        return True  # «تساهم الوزارة ب 600 مليون»: a preposition written apart
    if key.startswith("و") and (key[1:] in AR_HEADS or _strip(key[1:]) in AR_HEADS or key[1:] in AR_TITLES):
        return True
    if key.startswith("و") and key[1:] in _AR_STOPS and len(key) > 4:
        return True  # «… واتفاقية أخرى مع …»: the next clause
    if key == "و" and j + 1 < len(tokens) and (_is_head(tokens[j + 1]) or tokens[j + 1].key in AR_TITLES):
        return True
    if (
        key.startswith("ل")
        and key[1:2] == "ت"
        and head_key not in _AR_PURPOSE_HEADS
        and not gazetteer().lookup(name_key(key[1:]))
    ):
        return True  # «لتعزيز …» is a purpose; «لتازة» is a place
    if key in ("السيد", "السيده") or key in AR_HONORIFICS:
        return True
    if _adverbial(key) or key in _DUAL:
        return True
    return tok.text[:1].isascii() and not tokens[j - 1].text[:1].isascii() and key.startswith("و")


# «بالإجماع», «بمبلغ», «بتنسيق مع», «بمعاينة»: a verbal noun after «ب» says how or with what the
# body acts; it is not part of its name. Places («بني ملال», «بركان») are looked up first.
_ADVERBIAL = re.compile(r"^ب(?:ال)?[تم]\w{3,}$|^بالا\w{3,}$")
# Words that never continue a body's name: a project follows, or the people in the room.
_AR_NAME_BREAKS = folded_words(
    {
        "مشروع",
        "مشاريع",
        "الحاضرين",
        "الحاضرون",
        "ضمنه",
        "ضمنها",
        "بنسبه",
        "اي",
        # a headline's verb in the present: «مجلس جماعة … يصادق على …»
        "يصادق",
        "تصادق",
        "يوافق",
        "توافق",
        "يصوت",
        "يوقع",
        "توقع",
        "يعقد",
        "تعقد",
        "يبرم",
        "تبرم",
    }
)


def _adverbial(key: str) -> bool:
    if key in _AR_NAME_BREAKS:
        return True
    if not _ADVERBIAL.match(key):
        return False
    places = gazetteer()
    return not places.lookup(name_key(key)) and not places.lookup(name_key(key[1:]))


def _french_name_ends(tokens: list[Token], j: int, head: Token) -> bool:
    """Does token j end a French institution name (a stop word, a title, the next party)?"""
    tok = tokens[j]
    low = tok.key
    if tok.text in ("a", "ont") and j + 1 < len(tokens) and not tokens[j + 1].text[:1].isupper():
        return True  # «… a approuvé»: the verb, not «à»
    if low in _FR_PRESENT_VERBS:
        return True  # a headline: «Le conseil provincial adopte des projets»
    if low == "pour" and fold(head.text.split("'")[-1].split("’")[-1]) not in _FR_PURPOSE_HEADS:
        return True
    if low in _FR_STOPS and low not in _FR_LINKS and low != "pour":
        return True
    if (
        low in ("et",)
        and j + 1 < len(tokens)
        and (_is_head(tokens[j + 1]) or tokens[j + 1].key in ("le", "la", "les", "l'"))
    ):
        return True
    # «… et l'Anapec», «… et des associations …»: the next party begins.
    if (
        low == "et"
        and j + 1 < len(tokens)
        and (
            tokens[j + 1].key.startswith("l'")
            and tokens[j + 1].text[2:3].isupper()
            or tokens[j + 1].key in ("des", "du", "un", "une")
            and j + 2 < len(tokens)
            and _is_head(tokens[j + 2])
        )
    ):
        return True
    if low in FR_TITLES:
        return True
    return tok.text.startswith(("l'", "l’")) and bool(_fr_head(tok))


def _plural_list(tokens: list[Token], text: str, i: int, j: int) -> list[Mention] | None:
    """«جماعات كل من إنزكان و الدشيرة الجهادية و أيت ملول» → one «جماعة X» per place."""
    head = _strip(tokens[i].key)
    singular = {"جماعات": "جماعة", "الجماعات": "جماعة", "مجالس": "مجلس"}
    if head not in singular:
        return None
    k = i + 1
    prefix_words = [singular[head]]
    if k < len(tokens) and _strip(tokens[k].key) in singular:
        prefix_words.append(singular[_strip(tokens[k].key)])
        k += 1
    if k + 1 < len(tokens) and tokens[k].key == "كل" and tokens[k + 1].key == "من":
        k += 2
    else:
        return None
    end = k
    while end < len(tokens) and not _BREAK.search(text[tokens[end - 1].end : tokens[end].start]):
        if tokens[end].key in _AR_STOPS:
            break
        end += 1
    places = find_places(tokens[k:end], text)
    if not places:
        return None
    words = " ".join(prefix_words)
    return [Mention(f"{words} {text[p.start : p.end]}", (p.start, p.end)) for p in places]


_DUAL = folded_words({"مجلسي", "ومجلسي", "بمجلسي", "لمجلسي", "ومن مجلسي"})
_COUNCIL_OF = folded_words({"عماله", "اقليم", "جماعه", "جهه", "مقاطعه"})


def _dual_councils(tokens: list[Token], text: str, i: int) -> list[Mention] | None:
    """«مجلسي عمالة وجماعة المحمدية» → «مجلس عمالة المحمدية», «مجلس جماعة المحمدية»."""
    if tokens[i].key not in _DUAL or i + 3 >= len(tokens):
        return None
    first, second = tokens[i + 1], tokens[i + 2]
    second_key = second.key[1:] if second.key.startswith("و") else ""
    if first.key not in _COUNCIL_OF or second_key not in _COUNCIL_OF:
        return None
    places = find_places(tokens[i + 3 : i + 8], text)
    if not places or places[0].first_token != 0 and places[0].start != tokens[i + 3].start:
        return None
    name = text[places[0].start : places[0].end]
    span = (tokens[i].start, places[0].end)
    return [
        Mention(f"مجلس {first.text} {name}", span),
        Mention(f"مجلس {second.text[1:]} {name}", span),
    ]


def _fr_commune_list(tokens: list[Token], text: str, i: int) -> list[Mention] | None:
    """«communes de Tiflet, Sidi Allal et Ain Johra» → one «commune de X» per name."""
    if tokens[i].key != "communes" or i + 1 >= len(tokens) or tokens[i + 1].key not in ("de", "d'"):
        return None
    out: list[Mention] = []
    k = i + 2 if tokens[i + 1].key == "de" else i + 1
    while k < len(tokens):
        start = k
        while k < len(tokens) and tokens[k].text[:1].isupper() and tokens[k].text.isascii():
            k += 1
            if _BREAK.search(text[tokens[k - 1].end : tokens[k].start] if k < len(tokens) else "."):
                break
            if COMMA.search(text[tokens[k - 1].end : tokens[k].start]):
                break
        if k == start:
            break
        name = text[tokens[start].start : tokens[k - 1].end]
        out.append(Mention(f"commune de {name}", (tokens[start].start, tokens[k - 1].end)))
        if k >= len(tokens) or _BREAK.search(text[tokens[k - 1].end : tokens[k].start]):
            break
        if tokens[k].key == "et" and k + 1 < len(tokens) and tokens[k + 1].text[:1].isupper():
            k += 1
        elif not COMMA.search(text[tokens[k - 1].end : tokens[k].start]):
            break
    return out or None


def find_parties(
    tokens: list[Token], text: str, people: list[PersonMention], scope: tuple[int, int]
) -> Parties:
    parties = Parties()
    starts = _zone_starts(text, scope)
    index_of = {t.start: n for n, t in enumerate(tokens)}
    for zone_start in starts:
        i = index_at(tokens, zone_start)
        if i >= len(tokens):
            continue
        _read_list(tokens, text, people, i, parties, scope)
    parties.institutions.extend(find_approvers(tokens, text, scope))
    for m in _FR_SUBJECT.finditer(text, scope[0], scope[1]):
        i = index_of.get(m.start(2))
        if i is None:
            i = index_at(tokens, m.start(2))
        found = institution_at(tokens, text, i)
        if found and _has_verb_after(text, found[1]):
            parties.institutions.append(Mention(clean_phrase(text[found[0] : found[1]]), found[:2]))
    return parties


# «موزعة بين …», «مقسمة بين …»: a cost shared between bodies names them as contributors.
_SHARED_BETWEEN = re.compile(r"(?:موزع[ةه]?|مقسم[ةه]?|يتقاسمها|تتقاسمها|r[ée]partie?s?)\s*$", re.I)


def find_approvers(tokens: list[Token], text: str, scope: tuple[int, int]) -> list[Mention]:
    """Subjects of an approval: «صادق مجلس الجهة», «وافق أعضاء مجلس جهة الشرق»,
    «بعد مصادقة أعضاء مجلس …»."""
    out = []
    for m in _APPROVAL.finditer(text, scope[0], scope[1]):
        i = index_at(tokens, m.end())
        for k in range(i or 0, min(len(tokens), (i or 0) + 3)):
            found = institution_at(tokens, text, k)
            if found:
                out.append(Mention(clean_phrase(text[found[0] : found[1]]), found[:2]))
                break
    return out


def _has_verb_after(text: str, pos: int) -> bool:
    m = re.match(r"\s*(\w+)\s", text[pos : pos + 16])
    return bool(m) and (m.group(1) in ("a", "ont", "avait", "vient") or fold(m.group(1)) in _FR_PRESENT_VERBS)


def _zone_starts(text: str, scope: tuple[int, int]) -> list[int]:
    out = []
    for regex in (_TRIGGERS_AR, _TRIGGERS_FR):
        for m in regex.finditer(text, scope[0], scope[1]):
            word = m.group()
            if word.lower() == "avec" or word in ("بين", "وبين"):
                before = text[max(0, m.start() - 120) : m.start()]
                if not re.search(
                    r"اتفاق|تفاهم|شراك|توقيع|وقع|تربط|convention|accord|protocole|sign|partenariat",
                    before,
                    re.I,
                ) and not _SHARED_BETWEEN.search(before[-25:]):
                    continue
            out.append(m.end())
    for m in _AGREEMENT_WITH.finditer(text, scope[0], scope[1]):
        out.append(m.end())
    for m in _LINKED_TO_FR.finditer(text, scope[0], scope[1]):
        out.append(m.end())
    for m in _SIGN_SUBJECT.finditer(text, scope[0], scope[1]):
        out.append(m.end())
    return sorted(set(out))


_IN_ADDITION = folded_words({"اضافه", "بالاضافه", "واضافه"})
_TO = next(iter(folded_words({"إلى"})))
_LIST_FILLERS = {"كل", "من", "و", "et", "le", "la", "les", "منها", "عليها", "مع", "l'"}


def _read_list(
    tokens: list[Token],
    text: str,
    people: list[PersonMention],
    i: int,
    parties: Parties,
    scope: tuple[int, int],
) -> None:
    """Reads «X و Y، و Z» from token i until the list ends."""
    items = 0
    while i < len(tokens) and tokens[i].start < scope[1]:
        skip = _filler_length(tokens, i, items)
        if skip:
            i += skip
            continue
        step = _read_item(tokens, text, people, i, parties, items)
        if step is None:
            break
        i, then = step
        items += 1
        if i >= len(tokens):
            break
        if then == "next":
            continue
        if then == "gap":
            if _BREAK.search(text[tokens[i - 1].end : tokens[i].start]):
                break
            continue
        i = _next_list_item(tokens, text, i)
        if i is None or items > 12:
            break


def _filler_length(tokens: list[Token], i: int, items: int) -> int:
    """How many tokens before the next item are list glue, not a party."""
    if items:
        side = _side_marker(tokens, i)
        if side:
            # «X d'une part, et Y d'autre part», «بين X من جهة و Y من جهة أخرى»
            return side
    key = tokens[i].key
    if key in _LIST_FILLERS:
        return 1
    if items and key in _IN_ADDITION and i + 1 < len(tokens) and tokens[i + 1].key == _TO:
        return 2  # «…، إضافة إلى شركة …»
    if items and key in ("des", "du") and i + 1 < len(tokens) and _is_head(tokens[i + 1]):
        return 1
    return 0


def _read_item(
    tokens: list[Token], text: str, people: list[PersonMention], i: int, parties: Parties, items: int
):
    """One party of a list at token i: (index after it, what follows: "join" when a joiner must come
    next, "gap" when only a break ends the list, "next" when the list simply goes on), or None."""
    tok = tokens[i]
    person = next((p for p in people if p.start <= tok.start < p.end), None)
    if person is not None:
        if person.role:
            derived = derive_institution(person.role)
            if derived:
                parties.from_people.append(Mention(derived, person.role_span))
        return index_at(tokens, person.end), "join"
    communes = _fr_commune_list(tokens, text, i) or _dual_councils(tokens, text, i)
    if communes:
        parties.institutions.extend(communes)
        return index_at(tokens, communes[-1].span[1]), "join"
    plural_end = institution_at(tokens, text, i)
    if plural_end is None:
        if tok.key in AR_TITLES or tok.key.startswith("و") and tok.key[1:] in AR_TITLES:
            return _title_item(tokens, text, i, parties), "next"
        proper = _proper_name(tokens, text, i) if items else None
        if proper is None:
            return None
        parties.institutions.append(Mention(text[proper[0] : proper[1]], proper[:2]))
        return proper[2], "gap"
    start, end, j = plural_end
    listed = _plural_list(tokens, text, i, j)
    if listed:
        parties.institutions.extend(listed)
        return (index_at(tokens, listed[-1].span[1]) if listed[-1].span else j), "join"
    parties.institutions.append(Mention(clean_phrase(text[start:end]), (start, end)))
    return j, "join"


def _title_item(tokens: list[Token], text: str, i: int, parties: Parties) -> int:
    """«والي الجهة» in a list of parties: the institution the title stands for."""
    tok = tokens[i]
    end = _title_phrase_end(tokens, text, i)
    role = text[
        tok.start + (1 if tok.key.startswith("و") and tok.key[1:] in AR_TITLES else 0) : tokens[end - 1].end
    ]
    derived = derive_institution(role)
    if derived:
        parties.from_people.append(Mention(derived, (tok.start, tokens[end - 1].end)))
    return end


def _next_list_item(tokens: list[Token], text: str, i: int) -> int | None:
    """The index where the list goes on after an item ending before token i, or None when it ends."""
    aside = _ASIDE.match(text, tokens[i - 1].end) if i > 0 else None
    aside = aside or (_SHARE_AFTER.match(text, tokens[i - 1].end) if i > 0 else None)
    if aside:
        # «المجلس الجهوي ( 6 ملايين درهم ) ووكالة …»: a short aside does not end the list.
        i = index_at(tokens, aside.end())
        if i >= len(tokens):
            return None
        gap = text[aside.end() : tokens[i].start]
    else:
        gap = text[tokens[i - 1].end : tokens[i].start] if i > 0 else ""
    if _BREAK.search(gap):
        return None
    side = _side_marker(tokens, i)
    if side:
        # «جمعية الشفاء من جهة ومجلس …»: the next side of the agreement follows.
        i += side
        if i >= len(tokens) or _BREAK.search(text[tokens[i - 1].end : tokens[i].start]):
            return None
        gap = text[tokens[i - 1].end : tokens[i].start]
    nxt = tokens[i]
    if nxt.key == "ainsi" and i + 2 < len(tokens) and tokens[i + 1].key == "que":
        return i + 2  # «… ainsi que les communes de …»
    joined = nxt.key.startswith("و") or nxt.key in ("و", "et") or COMMA.search(gap) or nxt.key in ("كل",)
    # Without a joiner the list is over: «Conseil régional et des associations …», «وUM6P Hospitals».
    return i if joined else None


_SIDE_AR = folded_words({"جهه", "ناحيه"})


def _side_marker(tokens: list[Token], i: int) -> int:
    """Length in tokens of «d'une part», «d'autre part», «d'une autre part», «من جهة (أخرى)»."""
    key = tokens[i].key
    nxt = tokens[i + 1].key if i + 1 < len(tokens) else ""
    if key in ("d'une", "d'autre") and nxt == "part":
        return 2
    if key == "d'une" and nxt == "autre" and i + 2 < len(tokens) and tokens[i + 2].key == "part":
        return 3
    if key == "من" and nxt in _SIDE_AR:
        third = tokens[i + 2].key if i + 2 < len(tokens) else ""
        return 3 if third in ("اخري", "ثانيه", "اخرى") else 2
    return 0


def _proper_name(tokens: list[Token], text: str, i: int) -> tuple[int, int, int] | None:
    """A capitalised name listed among parties («…, l'Andzoa, l'Anapec et …»)."""
    tok = tokens[i]
    raw = tok.text
    offset = 2 if raw.lower().startswith(("l'", "l’")) else 0
    if not raw[offset : offset + 1].isupper() or not raw[offset:].isascii():
        return None
    j = i + 1
    while (
        j < len(tokens)
        and j - i < 4
        and tokens[j].text[:1].isupper()
        and tokens[j].text.isascii()
        and not _BREAK.search(text[tokens[j - 1].end : tokens[j].start])
        and not COMMA.search(text[tokens[j - 1].end : tokens[j].start])
    ):
        j += 1
    start = tok.start + offset
    if tokens[j - 1].end - start < 3:
        return None
    return start, tokens[j - 1].end, j


def _title_phrase_end(tokens: list[Token], text: str, i: int) -> int:
    j = i + 1
    while j < len(tokens) and j - i < 10:
        gap = text[tokens[j - 1].end : tokens[j].start]
        if _BREAK.search(gap) or COMMA.search(gap):
            break
        key = tokens[j].key
        if (
            key in ("السيد", "السيده", "و")
            or key.startswith("و")
            and key[1:] in AR_TITLES
            or key in _AR_STOPS
        ):
            break
        j += 1
    return j


# --- titles to institutions ----------------------------------------------------------------

_AR_ROLE_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(?:ال)?وزير[ةه]?\s+(?:ال)?منتدب[ةه]?\s*(.*)$"), "الوزارة المنتدبة {0}"),
    (re.compile(r"^(?:ال)?وزير[ةه]?\s+(.+)$"), "وزارة {0}"),
    (re.compile(r"^(?:ال)?والي\s+((?:ال)?جه[ةه].*?)(?:\s*[،,]\s*عامل.*)?$"), "ولاية {0}"),
    (re.compile(r"^(?:ال)?عامل\s+((?:عمال[ةه]|[إا]قليم).+)$"), "{0}"),
    (re.compile(r"^(?:ال)?رئيس[ةه]?\s+(?:ال)?حكوم[ةه]"), "الحكومة"),
    (
        re.compile(r"^(?:نائب\s+)?(?:ال)?رئيس[ةه]?\s+((?:ال)?مجلس.+|(?:ال)?جه[ةه].*|(?:ال)?جماع[ةه].+)$"),
        "{0}",
    ),
    (re.compile(r"^(?:ال)?مدير[ةه]?\s+(?:ال)?(?:عام|تنفيذي|التنفيذي|العام)?\s*ل(.+)$"), "{0}"),
    (re.compile(r"^(?:ال)?مدير[ةه]?\s+((?:ال)?(?:[أا]كاديمي|وكال|مؤسس|شرك|مديري|جامع)\S*.*)$"), "{0}"),
    (re.compile(r"^(?:ال)?رئيس[ةه]?\s+((?:جمعي|مؤسس|جامع|شرك|مجموع|ال)\S*.*)$"), "{0}"),
]
_FR_ROLE_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(?:la\s+|le\s+)?ministre\s+d[ée]l[ée]gu[ée]e?\s+(.+)$", re.I), "ministère délégué {0}"),
    (re.compile(r"^(?:la\s+|le\s+)?ministre\s+(d[eu]s?\s.+|de\s.+|d['’].+)$", re.I), "ministère {0}"),
    (re.compile(r"^(?:le\s+)?wali\s+de\s+(la\s+r[ée]gion.+?)(?:,.*)?$", re.I), "Wilaya de {0}"),
    (re.compile(r"^(?:le\s+)?gouverneur\s+de\s+(?:la\s+)?((?:pr[ée]fecture|province).*)$", re.I), "{0}"),
    (re.compile(r"^(?:le\s+|la\s+)?pr[ée]sidente?\s+(?:du|de\s+la|de\s+l['’]|des)\s*(.+)$", re.I), "{0}"),
    (
        re.compile(
            r"^(?:le\s+|la\s+)?(?:directeur|directrice)(?:\s+g[ée]n[ée]ral)?\s+(?:du|de\s+la|de\s+l['’]|des)\s*(.+)$",
            re.I,
        ),
        "{0}",
    ),
]


def derive_institution(role: str) -> str | None:
    """Institution a title speaks for: «وزير الصحة …» → «وزارة الصحة …»."""
    role = clean_phrase(role)
    if not role:
        return None
    if role[:1].isascii():
        for regex, template in _FR_ROLE_RULES:
            m = regex.match(role)
            if m:
                value = template.format(*(g.strip() for g in m.groups())) if m.groups() else template
                return _fr_case(value)
        return None
    for regex, template in _AR_ROLE_RULES:
        m = regex.match(role)
        if m:
            groups = [g.strip() for g in m.groups()]
            return clean_phrase(template.format(*groups)) if groups else template
    return None


def _fr_case(value: str) -> str:
    return (
        value[:1].upper() + value[1:]
        if value.lower().startswith(("conseil", "wilaya", "association"))
        else value
    )


def similar(a: str, b: str) -> bool:
    """Whether two institution strings name the same body (for one spelling per document)."""
    ka, kb = compact_key(a), compact_key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    wa = {w for w in fold(a).split() if len(w) > 2}
    wb = {w for w in fold(b).split() if len(w) > 2}
    if not wa or not wb:
        return False
    overlap = len(wa & wb) / min(len(wa), len(wb))
    short, long_ = sorted((ka, kb), key=len)
    return overlap >= 0.99 and len(short) >= 8 and (short in long_ or overlap == 1.0 and len(wa) == len(wb))
