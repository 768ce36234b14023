"""What the review of an extracted agreement is pre-filled with: for each agreement the text
reports, the values of its fields and one row per partner, signatory, attendee and project read in
the text, each matched to what is recorded. Plain data: the page turns it into forms.

The pre-filling rules:

- territory: the region (and the province) every matched place name agrees on;
- partners: the recorded organisation of the same name, else a guess of the new one's kind;
- signatories: linked to the partner their title speaks for, when that partner is recorded, so
  that the review as pre-filled can be confirmed;
- attendees: read from «بحضور …» for the first agreement only (one signing ceremony);
- amounts: the total, or the budget of the one project read in the same clause;
- projects: a category guessed from their words (ticked only then), with the communes the text
  names inside their own words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shiraka.agreements.models import Agreement
from shiraka.core.formatting import format_amount
from shiraka.core.text import fold, name_key, script_language
from shiraka.extraction import AgreementDraft, ExtractionResult, extract
from shiraka.extraction.attendees import looks_like_attendee
from shiraka.extraction.parties import derive_institution

from .matching import (
    OrganisationIndex,
    TerritoryIndex,
    TerritoryMatch,
    category_guess,
    organisation_kind_guess,
    programme_match,
)

CLAUSE_ENDS = "،,;؛.\n"
# Rows offered per section of one agreement: an article names far fewer; a text past this is not
# one agreement's report, and every row is a form on the page.
MAX_ROWS = 30


@lru_cache(maxsize=8)
def extracted(text: str) -> ExtractionResult:
    """The extraction is deterministic: the same text gives the same draft on every request."""
    return extract(text)


def extracted_attendees(result: ExtractionResult) -> list[tuple[str, tuple[int, int]]]:
    """Who attended without signing («بحضور …», «en présence de …»), as the extraction read them."""
    found, seen = [], set()
    for agreement in result.agreements:
        for mention in agreement.attendees:
            if mention.span is not None and mention.span not in seen:
                seen.add(mention.span)
                found.append((mention.text, tuple(mention.span)))
    return found


class DraftReading:
    """A press text, what the extraction read in it, and the recorded names it is compared with,
    read once per request."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.result = extracted(text)
        self.language = script_language(text)
        self.gazetteer = TerritoryIndex()
        self.organisations = OrganisationIndex()
        self.attendees = extracted_attendees(self.result)

    def place_matches(self, mentions) -> list[TerritoryMatch | None]:
        """Each place name, a name several communes share settled by the others the text gives."""
        first = [self.gazetteer.match(m.text) for m in mentions]
        return [self.gazetteer.match(m.text, near=[p for p in first if p]) for m in mentions]

    def attendee_organisation(self, description: str):
        """The organisation of the same name, else the longest recorded name inside the description
        («ممثل الوكالة الوطنية للتجهيزات العامة»)."""
        found = self.organisations.match(description)
        if found:
            return found
        key = name_key(description)
        best = None
        for candidate, organisation in self.organisations.by_key.items():
            if len(candidate) >= 10 and candidate in key and (best is None or len(candidate) > len(best[0])):
                best = (candidate, organisation)
        return best[1] if best else None

    def clause(self, start: int, end: int) -> tuple[int, int]:
        """The bounds of the clause around text[start:end], between commas, semicolons or stops."""
        left = max(self.text.rfind(ch, 0, start) for ch in CLAUSE_ENDS) + 1
        rights = [p for p in (self.text.find(ch, end) for ch in CLAUSE_ENDS) if p >= 0]
        return left, min(rights, default=len(self.text))


@dataclass
class RowProposal:
    read: str  # the words of the text the row comes from
    initial: dict  # the pre-filled values, by field name
    note: str = ""


@dataclass
class AgreementProposal:
    index: int
    draft: AgreementDraft
    agreement: dict
    programme_read: str = ""
    partners: list[RowProposal] = field(default_factory=list)
    signatories: list[RowProposal] = field(default_factory=list)
    attendees: list[RowProposal] = field(default_factory=list)
    projects: list[RowProposal] = field(default_factory=list)
    communes: list[tuple[int, str]] = field(default_factory=list)  # those the text names, for projects
    amounts: list[tuple[str, str, str]] = field(default_factory=list)  # (amount, purpose, used as)
    locations: list[tuple[str, str]] = field(default_factory=list)  # (as read, matched to)
    left_out: int = 0  # rows read in the text past MAX_ROWS in a section, not offered


def proposals(reading: DraftReading) -> list[AgreementProposal]:
    return [proposal(reading, index, draft) for index, draft in enumerate(reading.result.agreements)]


def proposal(reading: DraftReading, index: int, draft: AgreementDraft) -> AgreementProposal:
    places = reading.place_matches(draft.locations)
    programme = draft.programme.text if draft.programme else ""
    result = AgreementProposal(index, draft, _agreement_values(draft, places, programme), programme)
    partner_keys = _partners(reading, draft, result)
    result.signatories = [_signatory(draft, signatory, partner_keys) for signatory in draft.signatories]
    result.attendees = (
        [_attendee(reading, description) for description, _span in reading.attendees] if index == 0 else []
    )
    budgets = _amounts(reading, draft, result)
    _contributions(reading, draft, result)
    _projects(draft, places, budgets, result)
    for section in ("partners", "signatories", "attendees", "projects"):
        rows = getattr(result, section)
        result.left_out += max(0, len(rows) - MAX_ROWS)
        setattr(result, section, rows[:MAX_ROWS])
    for row in result.signatories:
        if row.initial.get("partner") is not None and row.initial["partner"] >= MAX_ROWS:
            row.initial["partner"] = None
    result.locations = [
        _location(mention, place) for mention, place in zip(draft.locations, places, strict=False)
    ]
    return result


def _agreement_values(
    draft: AgreementDraft, places: list[TerritoryMatch | None], programme_read: str
) -> dict:
    regions = {p.region_id for p in places if p}
    provinces = {p.province_id for p in places if p and p.province_id}
    programme = programme_match(programme_read or None)
    return {
        "kind": draft.kind if draft.kind in Agreement.Kind.values else Agreement.Kind.PARTNERSHIP,
        "title": draft.title[:500],
        "signed_on": draft.signed_on,
        "signed_place": (draft.place or "")[:255],
        "total_amount": draft.total_amount,
        "programme": programme.pk if programme else None,
        "region": regions.pop() if len(regions) == 1 else None,
        "province": provinces.pop() if len(provinces) == 1 else None,
    }


def _partners(reading: DraftReading, draft: AgreementDraft, result: AgreementProposal) -> list[str]:
    """Fills the partner rows; returns each partner's name key, "" for one not recorded."""
    keys = []
    for mention in draft.partners:
        match = reading.organisations.match(mention.text, reading.gazetteer)
        initial = {
            "organisation": match.pk if match else None,
            "new_name": mention.text[:255],
            "new_kind": organisation_kind_guess(mention.text),
        }
        keys.append(name_key(mention.text) if match else "")
        note = "" if match else gettext_lazy("No recorded organisation has this name.")
        result.partners.append(RowProposal(mention.text, initial, note))
    return keys


def _signatory(draft: AgreementDraft, signatory, partner_keys: list[str]) -> RowProposal:
    # Linked only to a partner matched to a recorded organisation, so that the form as pre-filled
    # can be confirmed; after ticking "create", the user links it.
    partner = next(
        (
            k
            for k, m in enumerate(draft.partners)
            if m.span and m.span == signatory.role_span and partner_keys[k]
        ),
        None,
    )
    if partner is None:
        derived = name_key(derive_institution(signatory.role) or signatory.role)
        role_key = name_key(signatory.role)
        partner = next(
            (k for k, key in enumerate(partner_keys) if key and (key == derived or key in role_key)), None
        )
    initial = {"include": True, "name": signatory.name, "role": signatory.role[:255], "partner": partner}
    return RowProposal(signatory.name, initial)


def _attendee(reading: DraftReading, description: str) -> RowProposal:
    organisation = reading.attendee_organisation(description)
    # A piece of sentence or a crowd («ومنتخبين») is offered unticked, for the reader to judge.
    initial = {
        "include": bool(organisation) or looks_like_attendee(description),
        "description": description[:255],
        "organisation": organisation.pk if organisation else None,
    }
    return RowProposal(description, initial)


def _amounts(reading: DraftReading, draft: AgreementDraft, result: AgreementProposal) -> dict[int, Decimal]:
    """Fills the amounts read; returns the budgets found, by project index."""
    budgets: dict[int, Decimal] = {}
    for item in draft.amounts:
        usage = ""
        if draft.total_span and item.span == draft.total_span:
            usage = _("total amount")
        elif item.amount != draft.total_amount:
            left, right = reading.clause(item.span[0], item.span[1])
            inside = [
                k for k, p in enumerate(draft.projects) if p.span and left <= p.span[0] and p.span[1] <= right
            ]
            if len(inside) == 1 and inside[0] not in budgets:
                budgets[inside[0]] = item.amount
                usage = _("budget of project %(n)s") % {"n": inside[0] + 1}
        result.amounts.append((format_amount(item.amount), item.purpose, usage))
    return budgets


# How a text names a partner again before its share: the body's generic word.
_GENERIC_WORDS = {
    "ministry": ("الوزارة", "le ministère", "ministère"),
    "regional_council": ("الجهة", "مجلس الجهة", "المجلس الجهوي", "la région", "le conseil régional"),
    "provincial_council": ("الإقليم", "المجلس الإقليمي", "مجلس العمالة", "le conseil provincial"),
    "commune": ("الجماعة", "مجلس الجماعة", "la commune"),
}


def _contributions(reading: DraftReading, draft: AgreementDraft, result: AgreementProposal) -> None:
    """«تساهم فيه وزارة الصحة ب 600 مليون درهم والجهة ب 300 مليون»: an amount right after a partner's
    name (or its generic word), in the same clause, is that partner's committed amount."""
    used = {draft.total_span} | {item.span for item in draft.amounts if item.amount == draft.total_amount}
    previous_end = 0
    for n, item in enumerate(draft.amounts):
        window_start = max(previous_end, reading.clause(item.span[0], item.span[1])[0])
        previous_end = item.span[1]
        if item.span in used or any(item.amount == row.initial.get("budget") for row in result.projects):
            continue
        window = fold(reading.text[window_start : item.span[0]])
        best = None
        for k, row in enumerate(result.partners):
            at = max((window.rfind(fold(name)) for name in _partner_names(row)), default=-1)
            if at >= 0 and (best is None or at > best[0]):
                best = (at, k)
        if best is not None and result.partners[best[1]].initial.get("committed_amount") is None:
            result.partners[best[1]].initial.update(committed_amount=item.amount, is_funder=True)
            amount, purpose, _usage = result.amounts[n]
            result.amounts[n] = (amount, purpose, _("share of partner %(n)s") % {"n": best[1] + 1})


def _partner_names(row: RowProposal) -> list[str]:
    names = [row.read]
    words = row.read.split()
    if len(words) > 2:
        names.append(" ".join(words[:2]))  # «وزارة الصحة …», «مجلس جهة …»
    return names + list(_GENERIC_WORDS.get(str(row.initial.get("new_kind")), ()))


def _projects(draft: AgreementDraft, places, budgets: dict[int, Decimal], result: AgreementProposal) -> None:
    communes = []
    for mention, place in zip(draft.locations, places, strict=False):
        if place and place.kind == "commune" and all(c.pk != place.place.pk for c, _m in communes):
            communes.append((place.place, mention))
    result.communes = [(c.pk, str(c)) for c, _m in communes]
    for j, mention in enumerate(draft.projects):
        category = category_guess(mention.text)
        inside = [
            c.pk
            for c, m in communes
            if mention.span and m.span and mention.span[0] <= m.span[0] and m.span[1] <= mention.span[1]
        ]
        initial = {
            "include": bool(category),
            "title": mention.text[:500],
            "category": category,
            "budget": budgets.get(j),
            "communes": inside,
        }
        result.projects.append(RowProposal(mention.text, initial))


def _location(mention, place: TerritoryMatch | None) -> tuple[str, str]:
    if place is None:
        return (mention.text, _("not matched"))
    kind = {"region": _("region"), "province": _("province or prefecture"), "commune": _("commune")}[
        place.kind
    ]
    return (mention.text, f"{kind}: {place.place}")
