"""Press release text -> agreement drafts.

The pipeline reads the text once into tokens, sentences, places, people, money and dates,
then splits it into one segment per agreement the text tells apart, and fills each draft
from its segment (falling back to the shared preamble for parties and signers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .attendees import find_attendees
from .dates import DateMention, find_dates, resolve
from .gazetteer import PlaceMatch, find_places
from .lang import script_language
from .lexicon import ORDINALS_AR, ORDINALS_FR
from .model import AgreementDraft, AmountItem, CommitteeDraft, ExtractionResult, Mention, SignatoryDraft
from .numbers import Money, find_money
from .parties import derive_institution, find_approvers, find_parties, institution_at, similar
from .people import PersonMention, find_people, same_role
from .projects import find_project_count, find_projects
from .text import Token, clean_phrase, compact_key, fold, fold_word, index_at, sentences, tokenize

# --- keyword patterns (matched on the original text) ---------------------------------------

_SIGN_RE = re.compile(
    r"توقيع|وق[ّ]?ع(?:ت|ها|ه|تها|وا)?(?!\w)|إمضاء|امضاء|sign[ée]|signature|paraph[ée]|conclu", re.I
)
_PRESIDE_RE = re.compile(
    r"تر[أا]س|[أا]شرف|إشراف|اشراف|رئاسة|الت[أا]شير|présid(?!ente?s?\b)|sous la présidence|supervis", re.I
)
_PRESENCE_RE = re.compile(r"بحضور|حضر|en présence|la présence|présence d", re.I)
_APPROVAL_RE = re.compile(r"صادق|المصادقة|مصادقة|وافق|صو[ّ]?ت|التصويت|approuv|adopt|examin|vot[ée]", re.I)
_SPEECH_RE = re.compile(r"(?:^|\s)(?:و?قال|و?أكد|و?اكد|a déclaré|a souligné|a affirmé)(?:\s|$)")
_TOTAL_RE = re.compile(r"[إا]جمالي|مجموع|global|total|الكلفة الإجمالية|coût global", re.I)
_ALLOCATION_RE = re.compile(
    r"غلاف|كلفة|تكلفة|ميزانية|بقيمة|مبلغ|قدره|قدرها|رصد|خصص|enveloppe|montant|coût|budget|valeur|"
    r"تكلفتها|كلفتها|تبلغ|بلغت|يبلغ|إجمالي|بتكلفة|بكلفة|استثمار|investissement",
    re.I,
)
_CONTRIBUTION_RE = re.compile(
    r"تلتزم|تساهم|ساهمت|مساهمة|بمساهمة|المساهمة|للمساهمة|contribution|financé par|dont|دعم مالي|منح", re.I
)
_ANNUAL_RE = re.compile(r"^\W{0,3}(?:سنويا|سنوياً|في السنة|par an|annuel)", re.I)
_MONEY_CONTEXT_RE = re.compile(
    r"غلاف|كلفة|تكلفة|ميزانية|مبلغ|بقيمة|مساهمة|تمويل|يناهز|قدره|montant|budget|coût|enveloppe|financ", re.I
)


@dataclass
class AgreementMention:
    start: int
    end: int
    kind: str
    plural: bool
    ordinal: int | None = None
    new: bool = False  # «كما … اتفاقية», «اتفاقية أخرى»: a further agreement
    list_item: bool = False


@dataclass
class Segment:
    start: int
    end: int
    mention: AgreementMention | None
    kind: str


@dataclass
class Document:
    text: str
    tokens: list[Token]
    sentences: list[tuple[int, int]]
    places: list[PlaceMatch]
    people: list[PersonMention]
    money: list[Money]
    dates: list[DateMention]
    language: str
    article_date: date | None
    mentions: list[AgreementMention] = field(default_factory=list)
    body: int = 0
    word_index: dict[str, list[int]] | None = None  # first word of a name -> its token indices
    fullest: dict[str, Mention | None] = field(default_factory=dict)  # name -> fullest spelling
    chairs: list[SignatoryDraft] = field(default_factory=list)  # presiding a council session
    presided: bool = False  # the signatories listed presided over the signing, none signed

    def sentence_of(self, pos: int) -> tuple[int, int]:
        for start, end in self.sentences:
            if start <= pos < end:
                return start, end
        return (pos, pos)


def extract(text: str, *, reference_date: date | None = None) -> ExtractionResult:
    """Reads every agreement a press text reports. `reference_date` stands in for the
    article's own date when the text does not contain it."""
    doc = _read(text, reference_date)
    segments = _segments(doc)
    drafts = [_draft(doc, seg, index, segments) for index, seg in enumerate(segments)]
    attendees = find_attendees(text, doc.people)
    for draft in drafts:
        draft.attendees = list(attendees)
    _share_batch_total(doc, drafts, segments)
    return ExtractionResult(drafts, doc.language, doc.article_date)


def _read(text: str, reference_date: date | None) -> Document:
    tokens = tokenize(text)
    dates = find_dates(text)
    doc = Document(
        text=text,
        tokens=tokens,
        sentences=sentences(text),
        places=find_places(tokens, text),
        people=find_people(tokens, text),
        money=_money(text),
        dates=dates,
        language=script_language(text),
        article_date=_article_date(text, dates) or reference_date,
    )
    doc.mentions = _agreement_mentions(doc)
    doc.body = _body_start(doc)
    return doc


# --- article date --------------------------------------------------------------------------


def _article_date(text: str, dates: list[DateMention]) -> date | None:
    """The article's own date: a full date in a short byline-like line, or near the top."""
    for mention in dates:
        full = mention.full
        if not full:
            continue
        line_start = text.rfind("\n", 0, mention.start) + 1
        line_end = text.find("\n", mention.end)
        line_end = len(text) if line_end < 0 else line_end
        line = text[line_start:line_end]
        if len(line) <= 90 or mention.start < 120:
            if not _SIGN_RE.search(line) or len(line) <= 60:
                return full
    return None


# --- money ---------------------------------------------------------------------------------


def _money(text: str) -> list[Money]:
    found = []
    for money in find_money(text):
        if money.currency is None:
            before = text[max(0, money.start - 40) : money.start]
            if not _MONEY_CONTEXT_RE.search(before) or money.value < 100_000:
                continue
        found.append(money)
    return found


# --- agreements ----------------------------------------------------------------------------

_AGREEMENT_RE = re.compile(
    r"(?<!\w)(?:[وبل]|لل|وب|ول|ك)?(?:ال)?(?:[اإ]تفاقي(?:ة|ات|تين|تان|تي)|[اإ]تفاق|مذكر(?:ة|ات)\s+(?:ال)?تفاهم|"
    r"بروتوكول|عقود)(?!\w)|(?<!\w)(?:conventions?(?:-cadres?)?|accords?(?:-cadres?)?|protocoles?\s+d['’]accord|"
    r"m[ée]morandum|contrats?)(?!\w)",
    re.I,
)
_AR_NUMBER_WORDS = r"(?:ثلاث|أربع|اربع|خمس|ست|سبع|ثمان|تسع|عشر)[ةه]?"


def _kind_of(text: str, start: int, end: int) -> str:
    head = fold(text[start:end])
    after = fold(text[end : end + 60])
    if "cadre" in head or re.match(r"^\W*(?:[-\s]?cadres?|[-\s]+(?:ال)?اطار|\s+شراكه\s+(?:ال)?اطار)", after):
        return "framework"
    if "تفاهم" in head or "protocole" in head or "memorandum" in head or "بروتوكول" in head:
        return "memorandum"
    window = re.split(
        r"[.،,;:]|\s(?:بين|entre|مع|avec|signée|pour|الذي|التي|qui|الموقعة)\s", after, maxsplit=1
    )[0]
    window = " ".join(window.split()[:5])
    if re.search(r"شراك|partenariat|cooperation|coopération|تعاون", window):
        return "partnership"
    return "other"


def _agreement_mentions(doc: Document) -> list[AgreementMention]:
    text = doc.text
    out: list[AgreementMention] = []
    for m in _AGREEMENT_RE.finditer(text):
        word = fold(m.group())
        plural = bool(re.search(r"ات$|تين$|تان$|تي$|s$|عقود|s-cadres$", word))
        before = fold(text[max(0, m.start() - 40) : m.start()])
        after = fold(text[m.end() : m.end() + 30])
        ordinal = _ordinal_near(before, after)
        clause = re.split(r"[.\n]", before)[-1]
        indefinite = not re.match(r"^(?:[وبل]|لل)?ال", word) and not re.search(
            r"(?:هذه|هذا|ذات|cette|ces|la|le|l')\s*$", before
        )
        new = indefinite and (
            bool(re.search(r"(?:^|\s)كما(?:\s|$)", clause))
            or bool(re.match(r"^\s*(?:اخري|ثانيه|autre)", after))
            or bool(re.search(r"(?:une|un)\s+autre\s*$", before))
            or bool(re.search(r"(?:^|\s)(?:egalement|aussi|en outre|de meme)(?:\s|$)", clause))
            # a council's agenda: «…، ومشروع اتفاقية …، بالإضافة إلى مشروع اتفاقية …»
            or bool(re.search(r"(?:(?:^|\s)و\s*|بالاضافه الي\s+|وكذا\s+)مشروع\s*$", before))
        )
        line_start = text.rfind("\n", 0, m.start()) + 1
        prefix = text[line_start : m.start()]
        list_item = bool(re.fullmatch(r"\s*(?:[-–•*]|\d+\s*[-–)\.])\s*", prefix))
        out.append(
            AgreementMention(
                m.start(), m.end(), _kind_of(text, m.start(), m.end()), plural, ordinal, new, list_item
            )
        )
    return out


def _ordinal_near(before: str, after: str) -> int | None:
    m = re.match(r"^\s*(\w+)", after)
    if m and m.group(1) in ORDINALS_AR:
        return ORDINALS_AR[m.group(1)]
    words = before.split()
    if words and words[-1] in ORDINALS_FR:
        return ORDINALS_FR[words[-1]]
    return None


_FR_ORDINAL_ALONE = re.compile(
    r"(?<!\w)(?:la|le)\s+(premi[èe]re|deuxi[èe]me|seconde|troisi[èe]me|quatri[èe]me|cinqui[èe]me|derni[èe]re)"
    r"(?=\s*,|\s+(?:sign|portant|porte|concern|conclu|paraph|relative|prévoit))",
    re.I,
)
_NUMBERED_ITEM = re.compile(r"(?m)^\s*(\d+)\s*[-–)\.]\s*(?=\S)")


def _segments(doc: Document) -> list[Segment]:
    """One segment per agreement the text tells apart."""
    text = doc.text
    mentions = [m for m in doc.mentions if m.start >= doc.body] or doc.mentions
    if not mentions:
        return [Segment(0, len(text), None, "other")]
    first = next((m for m in mentions if not m.plural), mentions[0])
    if first.new and mentions[0].plural:
        # «صادق على اتفاقيات … كما صادق على اتفاقية …»: the batch comes first, then one more.
        first = mentions[0]
    markers: list[tuple[int, AgreementMention | None, str | None]] = []
    for candidate in (
        _ordinal_markers(doc, mentions),
        _list_markers(text, mentions),
        _numbered_agreements(doc, mentions),
        _further_markers(text, first, mentions),
    ):
        if len(candidate) >= 2:
            markers = candidate
            break
    if len(markers) < 2:
        head = _head_mention(mentions)
        return [Segment(0, len(text), head, _single_kind(doc, head))]
    markers.sort(key=lambda t: t[0])
    plural_kind = _head_mention(mentions).kind
    out = []
    for index, (start, mention, forced) in enumerate(markers):
        end = markers[index + 1][0] if index + 1 < len(markers) else len(text)
        kind = forced or (
            mention.kind if mention and (mention.kind != "other" or not mention.ordinal) else plural_kind
        )
        if mention and mention.ordinal and mention.kind == "other":
            kind = plural_kind
        if mention and mention.new and kind == "other" and out and _another(text, mention):
            kind = out[-1].kind  # «اتفاقية أخرى», «une autre convention»: one more of the same kind
        out.append(Segment(start, end, mention, kind))
    return out


def _another(text: str, mention: AgreementMention) -> bool:
    after = fold(text[mention.end : mention.end + 12])
    before = fold(text[max(0, mention.start - 12) : mention.start])
    return bool(re.match(r"^\s*اخر[يى]", after) or re.search(r"autre\s*$", before))


def _single_kind(doc: Document, head: AgreementMention) -> str:
    """One agreement named bare in the body («الاتفاقية») takes the qualifier its headline or
    another mention gives it («اتفاقية شراكة …»)."""
    if head.kind != "other":
        return head.kind
    kinds = [m.kind for m in doc.mentions if not m.plural and m.kind != "other"]
    return kinds[0] if kinds and len(set(kinds)) == 1 else head.kind


def _ordinal_markers(doc: Document, mentions: list[AgreementMention]) -> list:
    text = doc.text
    markers = [(_clause_start(text, m.start), m, None) for m in mentions if m.ordinal]
    if markers:
        for m in _FR_ORDINAL_ALONE.finditer(text):
            if not any(abs(m.start() - s) < 40 for s, _, _ in markers):
                markers.append((m.start(), None, None))
    return markers


def _list_markers(text: str, mentions: list[AgreementMention]) -> list:
    return [(text.rfind("\n", 0, m.start) + 1, m, None) for m in mentions if m.list_item and not m.plural]


def _further_markers(text: str, first: AgreementMention, mentions: list[AgreementMention]) -> list:
    further = [m for m in mentions if m.new and not m.plural and m.start > first.end]
    if not further:
        return []
    return [(first.start, first, None)] + [(_mention_clause(text, m.start), m, None) for m in further]


def _mention_clause(text: str, pos: int) -> int:
    cut = max(text.rfind(ch, 0, pos) for ch in ".\n؛;،,")
    return cut + 1 if cut >= 0 else 0


def _head_mention(mentions: list[AgreementMention]) -> AgreementMention:
    """The mention that best names the agreement(s): the first one with a qualifier."""
    for m in mentions[:4]:
        if m.kind != "other":
            return m
    return mentions[0]


def _numbered_agreements(doc: Document, mentions: list[AgreementMention]) -> list:
    """«1- … 2- …» items under a plural agreement mention («خمسة اتفاقيات … : 1- …»)."""
    text = doc.text
    items = list(_NUMBERED_ITEM.finditer(text))
    if len(items) < 2:
        return []
    first = items[0].start()
    intro = text[max(0, first - 400) : first]
    if not any(m.plural and m.end <= first and first - m.end < 400 for m in mentions):
        return []
    if re.search(r"برامج|programmes", intro[-150:]):
        return []
    markers = [(m.start(), None, None) for m in items]
    # «أما الاتفاقية الأخيرة …» closes a numbered list of agreements.
    last = [m for m in mentions if m.ordinal == 99 and m.start > items[-1].start()]
    markers += [(_clause_start(text, m.start), m, None) for m in last[:1]]
    return markers


def _clause_start(text: str, pos: int) -> int:
    cut = max(text.rfind(ch, 0, pos) for ch in ".\n؛;")
    return cut + 1 if cut >= 0 else 0


def _body_start(doc: Document) -> int:
    """Skip navigation headlines: the body starts at the first agreement mention in a sentence
    that reports a signing or an approval."""
    for m in doc.mentions:
        s, e = doc.sentence_of(m.start)
        sentence = doc.text[s:e]
        if (_SIGN_RE.search(sentence) or _APPROVAL_RE.search(sentence)) and len(sentence) > 40:
            return s
    return 0


# --- one draft -----------------------------------------------------------------------------


def _draft(doc: Document, seg: Segment, index: int, segments: list[Segment]) -> AgreementDraft:
    text = doc.text
    draft = AgreementDraft(kind=seg.kind)
    if seg.mention:
        draft.kind_span = (seg.mention.start, seg.mention.end)
        draft.title, draft.title_span = _title(text, seg.mention)
    multi = len(segments) > 1
    preamble_end = segments[0].start if multi else 0
    scope = (seg.start, seg.end)
    draft.signed_on, draft.signed_on_span = _signing_date(doc)
    draft.place, draft.place_span = _place(doc)
    _fill_amounts(doc, draft, scope)
    draft.project_count, draft.project_count_span = find_project_count(text, scope)
    parties = find_parties(doc.tokens, text, doc.people, scope)
    if multi and not parties.institutions and preamble_end:
        parties = find_parties(doc.tokens, text, doc.people, (0, preamble_end))
    if multi and not parties.institutions and not parties.from_people:
        parties = find_parties(doc.tokens, text, doc.people, (0, len(text)))
    if multi and preamble_end:
        # A council that approved the whole set in the preamble is a party to each agreement.
        approvers = find_approvers(doc.tokens, text, (0, preamble_end))
        parties.institutions[:0] = [
            a for a in approvers if not any(similar(a.text, p.text) for p in parties.institutions)
        ]
    signers = _signatories(doc, scope) if multi else []
    if not signers:
        signers = _signatories(doc, (0, len(text)))
    draft.signatories = signers
    draft.partners = _partners(doc, parties, signers)
    draft.locations = _locations(doc, scope if multi else (0, len(text)), preamble_end if multi else 0)
    project_scope = (max(seg.start, doc.body), seg.end) if not multi else scope
    named = [p.span for p in draft.partners if p.span] + [m.span for m in parties.institutions if m.span]
    draft.projects = find_projects(doc.tokens, text, project_scope, doc.money, named)
    if multi and not draft.projects and preamble_end > doc.body:
        # Items that only name their parties share the purpose stated before the list.
        draft.projects = find_projects(doc.tokens, text, (doc.body, preamble_end), doc.money, named)
    draft.committee = _committee(doc)
    draft.programme = _programme(doc, scope)
    return draft


def _title(text: str, mention: AgreementMention) -> tuple[str, tuple[int, int]]:
    end = mention.end
    stop = re.compile(r"[.،,;:\n]|\s(?:بحضور|وذلك|en présence|signée|ont été|وقد)\s")
    m = stop.search(text, end)
    limit = min(m.start() if m else len(text), end + 160)
    start = mention.start
    # Drop an attached preposition: «باتفاقية» → «اتفاقية».
    word = text[start : mention.end]
    for prefix in ("لل", "وب", "ول", "و", "ب", "ل", "ك"):
        if (
            word.startswith(prefix)
            and fold(word[len(prefix) :]).startswith(("ا", "م", "ب", "ع"))
            and fold(word[len(prefix) :]) not in ("ا",)
        ):
            if fold(word).startswith(("وال", "بال", "لل", "وا", "با", "لا", "وم", "بم", "وع", "بع")):
                start += len(prefix)
            break
    return clean_phrase(text[start:limit]), (start, limit)


def _signing_date(doc: Document) -> tuple[date | None, tuple[int, int] | None]:
    for mention in doc.dates:
        s, e = doc.sentence_of(mention.start)
        if doc.text[s:e].rstrip()[-1:] in ("،", ","):
            following = [span for span in doc.sentences if span[0] >= e]
            if following:
                e = following[0][1]
        sentence = doc.text[s:e]
        if not _SIGN_RE.search(sentence):
            continue
        if _APPROVAL_RE.search(sentence) and not re.search(r"توقيع|sign", sentence, re.I):
            continue
        if (
            doc.article_date
            and mention.full is None
            and mention.start < 150
            and not _SIGN_RE.search(doc.text[max(s, mention.start - 80) : mention.end + 80])
        ):
            continue
        resolved = resolve(mention, doc.article_date)
        if resolved:
            return resolved, (mention.start, mention.end)
    return None, None


_PLACE_RE = re.compile(r"(?:ب)?(مقر\s+[^،,.\n]{3,60}?)(?=\s*(?:[،,.\n]|على|صبيحة|يوم|مساء|توقيع|التوقيع|$))")
_FR_PLACE_RE = re.compile(r"(?<!\w)à\s+([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)")


def _place(doc: Document) -> tuple[str | None, tuple[int, int] | None]:
    for s, e in doc.sentences:
        sentence = doc.text[s:e]
        if not _SIGN_RE.search(sentence) or _APPROVAL_RE.search(sentence):
            continue
        m = _PLACE_RE.search(sentence) or _FR_PLACE_RE.search(sentence)
        if m:
            return clean_phrase(m.group(1)), (s + m.start(1), s + m.end(1))
        for place in doc.places:
            if s <= place.start < e and doc.text[max(0, place.start - 1) : place.start] == "ب":
                return doc.text[place.start : place.end], (place.start, place.end)
    return None, None


def _fill_amounts(doc: Document, draft: AgreementDraft, scope: tuple[int, int]) -> None:
    text = doc.text
    inside = [m for m in doc.money if scope[0] <= m.start < scope[1]]
    kept: list[Money] = []
    for money in inside:
        s, e = doc.sentence_of(money.start)
        if _SPEECH_RE.search(text[s : money.start]):
            continue
        # «60 مليون درهم (6 مليار سنتيم)»: the same amount restated in another unit.
        if kept and kept[-1].value == money.value and money.start - kept[-1].end < 12:
            continue
        kept.append(money)
    total: Money | None = None
    ranked: list[tuple[int, int, Money]] = []
    for order, money in enumerate(kept):
        s, _ = doc.sentence_of(money.start)
        before = text[max(s, money.start - 70) : money.start]
        previous_end = max((m.end for m in kept if m.end <= money.start and m.start >= s), default=s)
        before = text[max(previous_end, money.start - 70) : money.start]
        after = text[money.end : money.end + 20]
        if _ANNUAL_RE.search(after):
            continue
        contribution = _last_match(_CONTRIBUTION_RE, before)
        # «تساهم … في توسيع المستشفى بكلفة إجمالية تقدر ب 13 مليون»: the words nearest the
        # amount say what it is.
        overall = _last_match(_TOTAL_RE, before)
        allocation = _last_match(_ALLOCATION_RE, before)
        if overall > contribution:
            ranked.append((0, order, money))
        elif allocation > contribution:
            ranked.append((1, order, money))
    if ranked:
        total = min(ranked)[2]
    elif len(kept) == 1 and not _ANNUAL_RE.search(text[kept[0].end : kept[0].end + 20]):
        total = kept[0]
    for money in kept:
        draft.amounts.append(
            AmountItem(money.value, money.currency or "MAD", _purpose(doc, money), (money.start, money.end))
        )
    if total:
        draft.total_amount = total.value
        draft.total_span = (total.start, total.end)
    if draft.amounts:
        draft.currency = total.currency if total and total.currency else "MAD"


def _last_match(regex: re.Pattern[str], text: str) -> int:
    """Where the last match of `regex` in `text` starts, -1 without one."""
    return max((m.start() for m in regex.finditer(text)), default=-1)


def _purpose(doc: Document, money: Money) -> str:
    s, _ = doc.sentence_of(money.start)
    clause_start = max(doc.text.rfind(ch, s, money.start) for ch in "،,(")
    start = clause_start + 1 if clause_start >= s else max(s, money.start - 80)
    return clean_phrase(doc.text[start : money.start])[-100:]


def _share_batch_total(doc: Document, drafts: list[AgreementDraft], segments: list[Segment]) -> None:
    """Itemised agreements with a batch figure before the first item: the batch figure is kept
    in the first entry's amounts, not as anyone's total."""
    if len(segments) < 2:
        return
    preamble = [m for m in doc.money if m.start < segments[0].start]
    if not preamble:
        return
    first = drafts[0]
    for money in preamble:
        if any(a.span == (money.start, money.end) for a in first.amounts):
            continue
        first.amounts.insert(
            0,
            AmountItem(
                money.value, money.currency or "MAD", "total of all the agreements", (money.start, money.end)
            ),
        )
    first.currency = first.currency or "MAD"


# --- signatories ---------------------------------------------------------------------------


def _signatories(doc: Document, scope: tuple[int, int]) -> list[SignatoryDraft]:
    text = doc.text
    signers: list[PersonMention] = []
    presiders: list[PersonMention] = []
    unnamed_presiders: list[PersonMention] = []
    unnamed_signers: list[PersonMention] = []
    all_sign = [m.start() for m in _SIGN_RE.finditer(text)]
    all_preside = [m.start() for m in _PRESIDE_RE.finditer(text)]
    all_presence = [m.start() for m in _PRESENCE_RE.finditer(text)]
    for s, e in doc.sentences:
        if e <= scope[0] or s >= scope[1]:
            continue
        if not any(s <= p.start < e for p in doc.people):
            continue
        presence_at = next((p for p in all_presence if s <= p < e), None)
        sign_positions = [p for p in all_sign if s <= p < e]
        preside_positions = [p for p in all_preside if s <= p < e]
        for person in doc.people:
            if not (s <= person.start < e) or not (scope[0] <= person.start < scope[1]):
                continue
            if (
                presence_at is not None
                and person.start > presence_at
                and not any(presence_at < p < person.start for p in sign_positions if p > presence_at + 20)
            ):
                continue
            signed_before = [p for p in sign_positions if p < person.start]
            presided = [
                p
                for p in preside_positions
                if (not signed_before or p > signed_before[-1]) and p < person.start
            ]
            if signed_before and not presided:
                (signers if person.name else unnamed_signers).append(person)
            elif preside_positions:
                (presiders if person.name else unnamed_presiders).append(person)
    chairs = [p for p in presiders + unnamed_presiders if _chairs_a_session(doc, p)]
    # A session's chair signs nothing, but the title still names the council that approves.
    doc.chairs = _resolve(doc, chairs)
    presiders = [p for p in presiders + unnamed_presiders if p not in chairs]
    chosen = _resolve(doc, signers + unnamed_signers)
    if not chosen:
        chosen = _resolve(doc, presiders)
        doc.presided = bool(chosen)
    return chosen


# «ترأس أشغال الدورة …», «برئاسة … الدورة», «session présidée par …»: a council sitting, where
# members vote and nobody signs.
_SESSION_RE = re.compile(
    r"(?<!\w)(?:ال)?دور[ةه]|(?<!\w)اجتماع|(?<!\w)جلس[ةه]|\bsession|\bréunion|\bséance", re.I
)


def _chairs_a_session(doc: Document, person: PersonMention) -> bool:
    """A presiding official whose sentence speaks of a session and of no signing."""
    s, e = doc.sentence_of(person.start)
    if _SIGN_RE.search(doc.text, s, e):
        return False
    window = doc.text[s : min(e, person.end + 90)]
    return bool(_SESSION_RE.search(window))


def _resolve(doc: Document, people: list[PersonMention]) -> list[SignatoryDraft]:
    """Completes surnames («MM. Miraoui») and unnamed titles («السيد عامل عمالة …») from the
    named people elsewhere in the text; drops those still unnamed."""
    named = [p for p in doc.people if p.name and p.role]
    out: list[SignatoryDraft] = []
    for person in sorted(people, key=lambda p: p.start):
        full = person
        if person.name and not person.role:
            key = fold(person.name)
            full = next((p for p in named if fold(p.name or "").endswith(key) and p is not person), person)
        elif not person.name and person.role:
            full = next((p for p in named if same_role(p.role or "", person.role)), None)
            if full is None:
                continue
        if not full.name:
            continue
        if any(fold(s.name) == fold(full.name) for s in out):
            continue
        out.append(SignatoryDraft(full.name, full.role or "", full.name_span, full.role_span))
    return out


# --- partners ------------------------------------------------------------------------------


def _partners(doc: Document, parties, signers: list[SignatoryDraft]) -> list[Mention]:
    found: list[Mention] = list(parties.institutions)
    few = len(parties.institutions) < 2
    if not few and doc.presided:
        signers = []  # who presided speaks for no party when the parties are named
    for signer in signers or (doc.chairs if few else []):
        if not signer.role:
            continue
        derived = derive_institution(signer.role)
        # Beside named parties, a signer's title adds its body only when no party stands for it.
        if derived and (few or _named_body(derived) and not any(_same_body(derived, p.text) for p in found)):
            found.append(Mention(derived, signer.role_span))
    if few:
        found.extend(parties.from_people)
    return _dedupe_mentions(doc, found)


_GENERIC_TAILS = {
    fold(w) for w in ("الجهة", "الإقليم", "العمالة", "الجماعة", "province", "région", "commune")
}


def _named_body(name: str) -> bool:
    """A body named in full («ولاية جهة الشرق»), not a bare kind («ولاية الجهة», «province»)."""
    words = fold(name).split()
    return len(words) >= 2 and words[-1] not in _GENERIC_TAILS and not words[0].startswith("ل")


def _same_body(a: str, b: str) -> bool:
    """Loosely: one name's distinctive words all in the other («مجلس جهة الشرق» / «الجهة»)."""
    if similar(a, b):
        return True
    wa = {w for w in fold(a).split() if len(w) > 3}
    wb = {w for w in fold(b).split() if len(w) > 3}
    return bool(wa and wb) and (wa <= wb or wb <= wa or len(wa & wb) >= 2)


def _dedupe_mentions(doc: Document, items: list[Mention]) -> list[Mention]:
    out: list[Mention] = []
    for item in items:
        item = _fullest_form(doc, item)
        text = item.text.strip()
        if len(text) < 3 or _SAME.search(text) and len(items) > 1:
            continue  # «المجلس ذاته» not resolved: it names again a party already listed
        clash = next((i for i, kept in enumerate(out) if similar(kept.text, text)), None)
        if clash is None:
            out.append(Mention(text, item.span))
        elif len(text) > len(out[clash].text):
            out[clash] = Mention(text, item.span)
    return out


_ACRONYM = re.compile(r"^[A-Z][A-Z.&-]{1,9}$")


def _fullest_form(doc: Document, item: Mention) -> Mention:
    """One spelling per document: a short or generic form of an institution («la préfecture»,
    «اللجنة الإقليمية», «CPDH») is replaced by the fullest form the text gives for it
    («préfecture des arrondissements …», «اللجنة الإقليمية للمبادرة …», «Comité … (CPDH)»)."""
    name = item.text.strip()
    cache = doc.fullest
    if name not in cache:
        cache[name] = _fullest_uncached(doc, item)
    return cache[name] or item


# A body named by its generic word alone («الجهة», «المجلس», «la province») stands for the council
# or territory of that kind the text names in full; each generic word lists the folded openings of
# such full names.
_GENERIC_BODIES = {
    "الجهه": ("مجلس جهه", "المجلس الجهوي", "جهه"),
    "المجلس": ("مجلس", "المجلس"),
    "الاقليم": ("مجلس اقليم", "المجلس الاقليمي", "اقليم"),
    "العماله": ("مجلس عماله", "عماله"),
    "الجماعه": ("مجلس جماعه", "جماعه"),
    "مجلس الجهه": ("مجلس جهه", "المجلس الجهوي"),
    "المجلس الجهوي": ("مجلس جهه", "مجلس الجهه", "المجلس الجهوي"),
    "المجلس الاقليمي": ("مجلس اقليم", "المجلس الاقليمي"),
    "الوزاره": ("وزاره", "الوزاره"),
    "الموسسه": ("موسسه", "الموسسه"),
    "الجمعيه": ("جمعيه", "الجمعيه"),
    "الهييه": ("هييه", "الهييه"),
    "la region": ("conseil regional", "conseil de la region", "region"),
    "conseil de la region": ("conseil de la region", "conseil regional"),
    "conseil regional": ("conseil regional", "conseil de la region"),
    "conseil provincial": ("conseil provincial",),
    "conseil de la province": ("conseil provincial", "conseil de la province"),
    "le conseil de la province": ("conseil provincial", "conseil de la province"),
    "conseil communal": ("conseil communal",),
    "le conseil": ("conseil",),
    "la province": ("conseil provincial", "province"),
}


# «المجلس ذاته», «le conseil lui-même»: the same body, named again.
_SAME = re.compile(r"\s+(?:ذاته|نفسه|المذكور|lui-même|même)$")


def _generic_body(doc: Document, name: str) -> Mention | None:
    openings = _GENERIC_BODIES.get(fold(_SAME.sub("", name)))
    if not openings:
        return None
    best: tuple[int, int] | None = None
    in_title: tuple[int, int] | None = None  # only inside a person's title («رئيس الجمعية …»)
    roles = [p.role_span for p in doc.people if p.role_span]
    names = [p.name_span for p in doc.people if p.name_span]
    firsts = {fold_word(o.split()[0]) for o in openings}
    variants = set().union(*(_word_variants(f) for f in firsts))
    for i, tok in enumerate(doc.tokens):
        key = fold_word(tok.key)
        if key not in variants and not (any(f in key for f in firsts) and firsts & _word_variants(key)):
            continue
        found = institution_at(doc.tokens, doc.text, i)
        if not found or found[2] - i < 2 or found[2] - i > 10:
            continue
        end = min([found[1], *(s for s, _e in names if found[0] < s < found[1])])
        phrase = clean_phrase(doc.text[found[0] : end])
        if not fold(phrase).startswith(openings) or fold(phrase) in _GENERIC_BODIES:
            continue
        if any(s <= found[0] < e for s, e in roles):
            if in_title is None or end - found[0] > in_title[1] - in_title[0]:
                in_title = (found[0], end)
            continue
        if best is None or end - found[0] > best[1] - best[0]:
            best = (found[0], end)
    best = best or in_title
    return Mention(clean_phrase(doc.text[best[0] : best[1]]), best) if best else None


def _fullest_uncached(doc: Document, item: Mention) -> Mention | None:
    text = doc.text
    name = item.text.strip()
    generic = _generic_body(doc, name)
    if generic:
        return generic
    if _ACRONYM.match(name):
        m = re.search(r"\(\s*" + re.escape(name) + r"\s*\)", text)
        if m:
            i = index_at(doc.tokens, m.start()) - 1
            for k in range(max(0, i - 10), i + 1):
                found = institution_at(doc.tokens, text, k)
                if found and found[2] == i + 1:
                    return Mention(
                        f"{clean_phrase(text[found[0] : m.start()])} ({name})", (found[0], m.end())
                    )
        return None
    keys = [fold_word(w) for w in re.findall(r"\w+", name)]
    if not keys or len(keys) > 3:
        return None
    best: tuple[int, int] | None = None
    tokens = doc.tokens
    roles = [p.role_span for p in doc.people if p.role_span]
    if doc.word_index is None:
        doc.word_index = {}
    first = keys[0]
    positions = doc.word_index.get(first)
    if positions is None:
        tail = first[2:] if first.startswith("ال") else first
        positions = [
            n for n, tok in enumerate(tokens) if tok.key.endswith(tail) and first in _word_variants(tok.key)
        ]
        doc.word_index[first] = positions
    for i in positions:
        tok = tokens[i]
        if any(i + n >= len(tokens) or tokens[i + n].key != keys[n] for n in range(1, len(keys))):
            continue
        if any(s <= tok.start < e for s, e in roles):
            continue  # «المندوب الإقليمي لوزارة الصحة …» is a title, not the institution's name
        found = institution_at(tokens, text, i)
        if not found or found[2] - i <= len(keys) or found[2] - i > 10:
            continue
        if any(found[0] < p.end and p.start < found[1] for p in doc.people if p.name_span):
            continue
        if _AGREEMENT_RE.search(text, found[0], found[1]) or _SIGN_RE.search(text, found[0], found[1]):
            continue
        if best is None or found[1] - found[0] > best[1] - best[0]:
            best = found[:2]
    if best is None:
        return None
    return Mention(clean_phrase(text[best[0] : best[1]]), best)


def _word_variants(key: str) -> set[str]:
    """A word and its readings without an attached conjunction or preposition."""
    out = {key}
    for prefix in ("و", "ب", "ل", "وب", "ول", "l'", "d'"):
        if key.startswith(prefix) and len(key) > len(prefix) + 1:
            out.add(key[len(prefix) :])
    if key.startswith("لل"):
        out.add("ال" + key[2:])
    return out


# --- locations -----------------------------------------------------------------------------


_SEAT_BEFORE = re.compile(r"(?:مقر|ولاي[ةه]|مجلس|siège|wilaya|conseil)\s+(?:(?:de\s+)?(?:la\s+|l')?)?$", re.I)


# «commune de Tarnata», «province de Zagora»: the French administrative word kept, as the text
# writes it (a commune and the province of one name are two places).
_LOCALITY_BEFORE = re.compile(
    r"(?<!\w)(?:ب|و|ل)?(?:ال)?(?:دوار|دواوير|حي|أحياء|احياء|منتزه|douars?|quartiers?)\s((?:[^\s.,،;؛:\n]+\s+){0,8})$",
    re.I,
)
# Words that close a list of localities: a preposition with the article, an administrative word.
_LOCALITY_LIST_ENDS = re.compile(r"^(?:ب|ل|و)?(?:ال|لل)|^(?:ب|و)?(?:إقليم|اقليم|جماعة|عمالة|جهة)$")


def _in_locality_list(text: str, pos: int) -> bool:
    m = _LOCALITY_BEFORE.search(text, max(0, pos - 80), pos)
    if not m:
        return False
    words = m.group(1).split()
    # «دواوير أولاد زراد الواد لخضر …» runs on; «… بالماء الصالح للشرب بإقليم …» has ended.
    return not any(_LOCALITY_LIST_ENDS.match(w) and not w.startswith(("ال", "وال")) for w in words)


_FR_ADMIN_BEFORE = re.compile(r"(?<!\w)(?:commune|province|préfecture)\s+(?:de\s+|d['’])$", re.I)


def _locations(doc: Document, scope: tuple[int, int], preamble_end: int = 0) -> list[Mention]:
    """Places of the agreement in `scope`; with several agreements, the places of the shared
    preamble (before the first agreement's own segment) belong to each of them."""
    body = doc.body
    roles = [p.role_span for p in doc.people if p.role_span]
    names = [p.name_span for p in doc.people if p.name_span]
    out: list[Mention] = []
    index: dict[str, int] = {}
    for place in doc.places:
        if place.start < body and not _in_title_line(doc, place.start):
            continue
        if not (scope[0] <= place.start < scope[1] or place.start < preamble_end):
            continue
        if any(s <= place.start < e for s, e in roles + names):
            continue
        if _in_locality_list(doc.text, place.start):
            continue  # a douar, a neighbourhood or a park of the list, not a commune
        start = place.admin_start if place.admin_start is not None else place.start
        if not scope[0] <= place.start < scope[1] and _SEAT_BEFORE.search(
            doc.text, max(0, start - 16), start
        ):
            continue  # «بمقر ولاية جهة …» in the preamble names an institution's seat
        if doc.language == "fr":
            admin = _FR_ADMIN_BEFORE.search(doc.text, max(0, place.start - 16), place.start)
            start = admin.start() if admin else place.start
        mention = Mention(clean_phrase(doc.text[start : place.end]), (start, place.end))
        code = place.place.code
        if doc.language == "fr" and start != place.start:
            # «province de Zagora» and «commune de Zagora» are two places of one name.
            code = (code, fold(doc.text[start : place.start]).split()[0])
        if code in index:
            # One spelling per document: the fuller form («جماعة تلوات» over «تلوات»).
            kept = out[index[code]]
            joined = place.admin_start is not None and not re.search(
                r"[^\s\u0621-\u064a]", doc.text[place.admin_start : place.start]
            )
            owned = _SEAT_BEFORE.search(doc.text, max(0, start - 16), start)
            if len(mention.text) > len(kept.text) and doc.language != "fr" and joined and not owned:
                out[index[code]] = mention
            continue
        index[code] = len(out)
        out.append(mention)
    if doc.language == "ar":
        _unlisted_communes(doc, scope, preamble_end, roles + names, out)
        _arrondissements(doc, scope, preamble_end, out)
    else:
        _fr_unlisted_communes(doc, scope, preamble_end, roles + names, out)
    return out


# «بمقاطعة يعقوب المنصور», «مقاطعة سيدي يوسف بن علي»: a city's district, named in up to four
# words; the name ends at punctuation or at a word with an attached preposition or conjunction.
_DISTRICT_RE = re.compile(r"(?<!\w)(?:[وبل])?(مقاطع[ةه])((?:\s+[\u0621-\u064a]{2,}){1,4})")
_DISTRICT_NAME_ENDS = re.compile(r"^(?:[وبلف](?!ن$)\S|التي$|الذي$|ال(?:حضري|جديد)\S*$)")


def _arrondissements(doc: Document, scope: tuple[int, int], preamble_end: int, out: list) -> None:
    known = {compact_key(m.text) for m in out}
    for m in _DISTRICT_RE.finditer(doc.text, doc.body, scope[1]):
        start = m.start(1)
        if not (scope[0] <= start < scope[1] or start < preamble_end):
            continue
        words = []
        people = [p.name_span[0] for p in doc.people if p.name_span and p.name_span[0] > m.start(2)]
        for word in re.finditer(r"\S+", m.group(2)):
            at = m.start(2) + word.start()
            ends = _DISTRICT_NAME_ENDS.match(word.group()) and word.group() not in ("بن", "بني")
            if words and ends or at in people:
                break
            words.append(word.group())
        if not words:
            continue
        phrase = f"{m.group(1)} {' '.join(words)}"
        if compact_key(phrase) in known:
            continue
        known.add(compact_key(phrase))
        end = doc.text.find(words[-1], m.start(2)) + len(words[-1])
        out.append(Mention(phrase, (start, end)))


# «بجماعة زناكة»: a commune named with its administrative word, even when the reference list
# does not know it. Adjectives («جماعة ترابية») and named bodies («جماعة الأخصاص …») are left alone.
_COMMUNE_RE = re.compile(
    r"(?<!\w)(?:و?ب)(جماع[ةه])\s+([\u0621-\u064a]{3,})(?=\s*(?:[،,.؛:\n)\"»]|\s(?:و|ثم|ب)\S|$))"
)
_NOT_A_NAME = {fold(w) for w in ("ترابية", "قروية", "حضرية", "محلية", "واحدة", "أخرى", "مستفيدة", "معنية")}


def _unlisted_communes(
    doc: Document, scope: tuple[int, int], preamble_end: int, skip: list, out: list
) -> None:
    known = {compact_key(m.text) for m in out}
    covered = [(p.start, p.end) for p in doc.places]
    for m in _COMMUNE_RE.finditer(doc.text, doc.body, scope[1]):
        start = m.start(1)
        if not (scope[0] <= start < scope[1] or start < preamble_end):
            continue
        name = m.group(2)
        if fold(name).startswith("ال") or fold(name) in _NOT_A_NAME:
            continue
        if any(s <= m.start(2) < e for s, e in covered + skip):
            continue
        phrase = doc.text[start : m.end(2)]
        key = compact_key(phrase)
        if key in known:
            continue
        known.add(key)
        out.append(Mention(phrase, (start, m.end(2))))


_FR_COMMUNE_RE = re.compile(
    r"(?<!\w)[Cc]ommune\s+(?:de\s+|d['’])([A-Z][\w'’-]+(?:\s+(?!De\b)[A-Z][\w'’-]+){0,2})"
)


def _fr_unlisted_communes(
    doc: Document, scope: tuple[int, int], preamble_end: int, skip: list, out: list
) -> None:
    """«la commune de Tarnata»: a commune named with its word, even when the reference list lacks it."""
    known = {compact_key(m.text) for m in out}
    for m in _FR_COMMUNE_RE.finditer(doc.text, doc.body, scope[1]):
        if not (scope[0] <= m.start() < scope[1] or m.start() < preamble_end):
            continue
        if any(s <= m.start(1) < e for s, e in skip):
            continue
        phrase = clean_phrase(m.group())
        if compact_key(phrase) in known or any(compact_key(phrase).endswith(k) for k in known if len(k) > 3):
            continue
        known.add(compact_key(phrase))
        out.append(Mention(phrase, (m.start(), m.end())))


def _in_title_line(doc: Document, pos: int) -> bool:
    """The first line is usually the article's title and names the place of the event."""
    first_line_end = doc.text.find("\n")
    return (
        0 <= pos < first_line_end
        and first_line_end < 200
        and bool(_AGREEMENT_RE.search(doc.text[:first_line_end]))
    )


# --- committee and programme -------------------------------------------------------------

_COMMITTEE_RE = re.compile(
    r"(?:ال)?لجن[ةه]\s+(?:ال\w+\s+){0,2}(?:لل|ل)(?:[إا]شراف|تتبع|قيادة|تنسيق)(?:\s+و\s*(?:ال)?\w+)?"
    r"|comit[ée]\s+(?:\w+\s+){0,2}de\s+(?:suivi|pilotage)(?:\s+et\s+de\s+\w+)?",
    re.I,
)
_PROGRAMME_RE = re.compile(
    r"(?<!\w)(برنامج|programme|المبادرة الوطنية للتنمية البشرية|Initiative nationale pour le développement humain)"
    r"([^،,.\n]{0,80})",
    re.I,
)
_PROGRAMME_STOP = re.compile(
    r"\s(?:بتكلفة|بغلاف|الذي|التي|القاضي|من أجل|لفائدة|الهادف|qui|pour|dans|avec|d'un)\s"
)


def _committee(doc: Document) -> CommitteeDraft | None:
    m = _COMMITTEE_RE.search(doc.text)
    if not m:
        return None
    name = clean_phrase(m.group())
    chair, chair_span = None, None
    before = doc.text[max(0, m.start() - 60) : m.start()]
    if re.search(r"بصفته\s+رئيس|رئيس|présid", before):
        owner = [p for p in doc.people if p.end <= m.start() and p.role]
        if owner:
            chair, chair_span = owner[-1].role, owner[-1].role_span
    return CommitteeDraft(name, chair, (m.start(), m.end()), chair_span)


def _programme(doc: Document, scope: tuple[int, int]) -> Mention | None:
    for m in _PROGRAMME_RE.finditer(doc.text, scope[0], scope[1]):
        tail = m.group(2)
        stop = _PROGRAMME_STOP.search(tail)
        if stop:
            tail = tail[: stop.start()]
        if m.group(1).lower().startswith(("برنامج", "programme")) and len(tail.split()) < 2:
            continue
        if m.group(1).lower().startswith(("برنامج", "programme")):
            words = list(re.finditer(r"\S+", tail))[:9]
            tail = tail[: words[-1].end()] if words else ""
        else:
            tail = ""
        end = m.start() + len(m.group(1)) + len(tail)
        return Mention(clean_phrase(doc.text[m.start() : end]), (m.start(), end))
    return None
