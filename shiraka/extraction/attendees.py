"""Attendees: people and bodies only present at the signing («بحضور …», «en présence de …»).

They are not parties and not signatories (see the corpus README), so they stay out of the gold
schema; the draft keeps them for review screens (`AgreementDraft.attendees`, `to_dict(spans=True)`).
"""

from __future__ import annotations

import re

from .lexicon import AR_HEADS, AR_HONORIFICS, AR_TITLES, FR_HEADS, FR_HONORIFICS, FR_TITLES, folded_words
from .model import Mention
from .people import PersonMention
from .text import fold

_PRESENCE = re.compile(
    r"(?<!\w)(?:و?بحضور|و?حضره|وحضر|حضر)\s+(?:كل\s+من\s+)?"
    r"|(?:en\s+|la\s+|rehauss[ée]e?\s+par\s+la\s+)pr[ée]sence\s+(?:de\s+|d['’]|du\s+|des\s+)",
    re.I,
)
# The list ends at the end of the sentence, or at a clause that moves on («وذلك», «et ce», «pour …»).
_END = re.compile(
    r"(?<!\b[A-Z])(?<!\bMM)(?<!\bDr)(?<!\bPr)\.|[\n؛;:!?؟]|(?:،|,)?\s*(?:و\s*ذلك|وذلك|حيث|et\s+ce|pour\s+|afin\s+|lors\s+|ainsi\s+que\s+de\s+nombreux)"
    r"|[,،]\s*(?:sera|seront|a|ont|est|sont|porte|portent|vise|visent|prévoit)\s"
)
_SPLIT = re.compile(
    r"\s*[،,]\s*|\s+ainsi\s+que\s+|\s+et\s+(?=(?:du\s+|des\s+|de\s+la\s+|de\s+l['’])?(?:M\.|Mme|MM\.|l['’]|la\s|le\s|les\s|repr[ée]sentant))"
    r"|\s+و\s*(?=(?:كذا\s+)?(?:السيد|السيدة|ممثل|ممثلي|رئيس|رئيسة|عامل|والي|المدير|المديرة|وزير|وزيرة|"
    r"الكاتب|المندوب|عدد|مجموعة|بعض|[اأ]عضاء|منتخب|فعاليات|شخصيات|[اأ]طر|مسؤول|برلماني|ال))"
)
_LEAD = re.compile(
    r"^(?:و\s*كذا|وكذا|كذا|و\s+|et\s+(?:de\s+|du\s+|des\s+|d['’])?|de\s+|du\s+|des\s+|d['’])\s*"
    r"|^و(?!الي(?:\s|$))(?=ممثل|السيد|المدير|رئيس|عامل|والي|وزير|ال)",
    re.I,
)
_MAX_LIST = 400


def find_attendees(text: str, people: list[PersonMention] | None = None) -> list[Mention]:
    """One mention per listed attendee, in text order. A person read with a title
    («le ministre de la Santé et de la Protection sociale, Khalid Ait Taleb») stays one item."""
    extents = []
    for person in people or []:
        spans = [sp for sp in (person.name_span, person.role_span) if sp]
        if spans:
            extents.append((min(a for a, _ in spans), max(b for _, b in spans)))
    found: list[Mention] = []
    for m in _PRESENCE.finditer(text):
        end_match = _END.search(text, m.end(), m.end() + _MAX_LIST)
        end = end_match.start() if end_match else min(len(text), m.end() + _MAX_LIST)
        position = m.end()
        for piece in _SPLIT.split(text[m.end() : end]):
            start = text.find(piece, position, end) if piece else -1
            if start < 0:
                continue
            position = start + len(piece)
            lead = _LEAD.match(piece)
            if lead:
                start += lead.end()
                piece = piece[lead.end() :]
            stripped = piece.strip(" \t\"'«»“”()")
            start += piece.find(stripped) if stripped else 0
            stop = start + len(stripped)
            extent = next(((a, b) for a, b in extents if a < stop and start < b), None)
            if extent:
                start, stop = max(extent[0], m.end()), min(extent[1], end)
                stripped = text[start:stop]
            if len(stripped) >= 4 and not any(
                f.span[0] < stop and start < f.span[1] for f in found if f.span
            ):
                found.append(Mention(stripped, (start, stop)))
    return found


# Words that open the description of someone present: a title, an honorific, a body, or one who
# stands for a body.
_OPENINGS = (
    AR_TITLES
    | AR_HONORIFICS
    | AR_HEADS
    | FR_TITLES
    | FR_HONORIFICS
    | FR_HEADS
    | folded_words(
        {
            "ممثل",
            "ممثلي",
            "ممثلو",
            "ممثله",
            "اعضاء",
            "representant",
            "representants",
            "representante",
            "membres",
        }
    )
)
_FR_ARTICLES = folded_words({"le", "la", "les", "l", "du", "des", "de", "d", "et"})


def looks_like_attendee(description: str) -> bool:
    """Whether a piece of an attendance list names someone (a title, an honorific, a body)
    rather than a piece of sentence or a crowd («ومنتخبين», «qui a souligné …»)."""
    words = [w for w in re.split(r"[\s'’]+", fold(description)) if w]
    while words and words[0] in _FR_ARTICLES:
        words = words[1:]
    if not words:
        return False
    first = words[0].rstrip(".")
    candidates = {first}
    if first.startswith("و") and len(first) > 3:
        candidates.add(first[1:])
    return bool(candidates & _OPENINGS)
