"""Draft objects returned by `extract`. Every value keeps the span of text it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

Span = tuple[int, int]


@dataclass
class Mention:
    """A string value and where it was read; `span` is None only for values the text does
    not spell out (e.g. «ولاية جهة …» derived from «والي جهة …» uses the title's span)."""

    text: str
    span: Span | None


@dataclass
class SignatoryDraft:
    name: str
    role: str
    name_span: Span | None
    role_span: Span | None


@dataclass
class AmountItem:
    amount: Decimal
    currency: str
    purpose: str
    span: Span
    purpose_span: Span | None = None


@dataclass
class CommitteeDraft:
    name: str
    chair: str | None
    name_span: Span
    chair_span: Span | None = None


@dataclass
class AgreementDraft:
    kind: str = "other"
    kind_span: Span | None = None
    title: str = ""
    title_span: Span | None = None
    signed_on: date | None = None
    signed_on_span: Span | None = None
    place: str | None = None
    place_span: Span | None = None
    total_amount: Decimal | None = None
    total_span: Span | None = None
    currency: str | None = None
    project_count: int | None = None
    project_count_span: Span | None = None
    partners: list[Mention] = field(default_factory=list)
    signatories: list[SignatoryDraft] = field(default_factory=list)
    amounts: list[AmountItem] = field(default_factory=list)
    locations: list[Mention] = field(default_factory=list)
    projects: list[Mention] = field(default_factory=list)
    committee: CommitteeDraft | None = None
    programme: Mention | None = None
    # People and bodies only present («بحضور …»): not in the gold schema, kept for review.
    attendees: list[Mention] = field(default_factory=list)

    def to_dict(self, spans: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": self.kind,
            "title": self.title,
            "signed_on": self.signed_on.isoformat() if self.signed_on else None,
            "place": self.place,
            "total_amount": json_number(self.total_amount),
            "currency": self.currency,
            "project_count": self.project_count,
            "partners": [p.text for p in self.partners],
            "signatories": [{"name": s.name, "role": s.role} for s in self.signatories],
            "amounts": [
                {"amount": json_number(a.amount), "currency": a.currency, "purpose": a.purpose}
                for a in self.amounts
            ],
            "locations": [p.text for p in self.locations],
            "projects": [p.text for p in self.projects],
        }
        if spans:
            out["committee"] = (
                {"name": self.committee.name, "chair": self.committee.chair} if self.committee else None
            )
            out["programme"] = self.programme.text if self.programme else None
            out["attendees"] = [a.text for a in self.attendees]
            out["spans"] = self._spans()
        return out

    def _spans(self) -> dict[str, Any]:
        return {
            "kind": _span(self.kind_span),
            "title": _span(self.title_span),
            "signed_on": _span(self.signed_on_span),
            "place": _span(self.place_span),
            "total_amount": _span(self.total_span),
            "project_count": _span(self.project_count_span),
            "partners": [_span(p.span) for p in self.partners],
            "signatories": [
                {"name": _span(s.name_span), "role": _span(s.role_span)} for s in self.signatories
            ],
            "amounts": [{"amount": _span(a.span), "purpose": _span(a.purpose_span)} for a in self.amounts],
            "locations": [_span(p.span) for p in self.locations],
            "projects": [_span(p.span) for p in self.projects],
            "committee": (
                {"name": _span(self.committee.name_span), "chair": _span(self.committee.chair_span)}
                if self.committee
                else None
            ),
            "programme": _span(self.programme.span) if self.programme else None,
            "attendees": [_span(a.span) for a in self.attendees],
        }


@dataclass
class ExtractionResult:
    agreements: list[AgreementDraft]
    language: str
    article_date: date | None = None

    def to_dict(self, spans: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"agreements": [a.to_dict(spans=spans) for a in self.agreements]}
        if spans:
            out["language"] = self.language
            out["article_date"] = self.article_date.isoformat() if self.article_date else None
        return out


# The project calls the result a draft too.
Draft = ExtractionResult


def json_number(value: Decimal | None) -> int | float | None:
    """Whole amounts as int, others as float with two decimals (JSON has no Decimal)."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return round(float(value), 2)


def _span(span: Span | None) -> list[int] | None:
    return [span[0], span[1]] if span else None
