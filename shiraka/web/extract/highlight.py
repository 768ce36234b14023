"""The press text as HTML, each value the extraction read in it wrapped in a <mark> naming the field
it fills, so the reviewer checks every value against its words."""

from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

FIELD_LABELS = {
    "title": _("title"),
    "signed_on": _("signing date"),
    "place": _("place of signing"),
    "total_amount": _("total amount"),
    "amount": _("amount"),
    "partner": _("partner"),
    "signatory_name": _("signatory"),
    "signatory_role": _("signatory's role"),
    "attendee": _("attendee"),
    "location": _("place name"),
    "project": _("project"),
    "programme": _("programme"),
}
# Bootstrap colour utilities only: no inline style (a CSP may come).
FIELD_CLASSES = {
    "title": "bg-body-secondary",
    "signed_on": "bg-info-subtle",
    "place": "bg-info-subtle",
    "programme": "bg-info-subtle",
    "total_amount": "bg-warning",
    "amount": "bg-warning-subtle",
    "partner": "bg-success-subtle",
    "signatory_name": "bg-primary-subtle",
    "signatory_role": "bg-success-subtle",
    "attendee": "bg-body-tertiary border",
    "location": "bg-danger-subtle",
    "project": "bg-secondary-subtle",
}
FIELD_ORDER = list(FIELD_LABELS)


@dataclass
class Mark:
    start: int
    end: int
    fields: list[str]


def _open_tag(mark: Mark) -> str:
    return format_html(
        '<mark class="{} px-0" data-field="{}" title="{}">',
        FIELD_CLASSES[mark.fields[0]],
        " ".join(mark.fields),
        " · ".join(str(FIELD_LABELS[f]) for f in mark.fields),
    )


def _escaped(text: str) -> str:
    return escape(text).replace("\n", "<br>\n")


def _untangle(marks: list[Mark], rounds: int = 3) -> None:
    """Where two spans cross («title» running into the amount that follows it), the longer one is
    shortened so that the shorter, more precise value keeps one whole mark. What is left crossing
    is split by `highlight`."""
    for _round in range(rounds):
        changed = False
        marks.sort(key=lambda m: (m.start, -m.end))
        for i, a in enumerate(marks):
            for b in marks[i + 1 :]:
                if b.start >= a.end:
                    break
                if a.start < b.start < a.end < b.end:
                    if a.end - a.start >= b.end - b.start:
                        a.end = b.start
                    else:
                        b.start = a.end
                    changed = True
        if not changed:
            return


def highlight(text: str, spans: list[tuple[int, int, str]]):
    """The text, escaped, each span wrapped in <mark data-field=…>. Spans that overlap without
    nesting are split where they cross, so the HTML stays well formed."""
    by_extent: dict[tuple[int, int], list[str]] = {}
    for start, end, name in spans:
        if 0 <= start < end <= len(text) and name not in by_extent.setdefault((start, end), []):
            by_extent[(start, end)].append(name)
    marks = [Mark(s, e, sorted(names, key=FIELD_ORDER.index)) for (s, e), names in by_extent.items()]
    _untangle(marks)
    marks = [m for m in marks if m.start < m.end]
    starts: dict[int, list[int]] = {}
    ends: dict[int, list[int]] = {}
    for number, mark in enumerate(marks):
        starts.setdefault(mark.start, []).append(number)
        ends.setdefault(mark.end, []).append(number)
    bounds = sorted({0, len(text), *starts, *ends})
    out: list[str] = []
    active: set[int] = set()
    stack: list[int] = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        active.difference_update(ends.get(a, ()))
        active.update(starts.get(a, ()))
        wanted = sorted(active, key=lambda n: (marks[n].start, -marks[n].end, n))
        keep = 0
        while keep < len(stack) and keep < len(wanted) and stack[keep] == wanted[keep]:
            keep += 1
        out.extend("</mark>" for _ in stack[keep:])
        out.extend(_open_tag(marks[n]) for n in wanted[keep:])
        stack = wanted
        out.append(_escaped(text[a:b]))
    out.extend("</mark>" for _ in stack)
    return mark_safe("".join(out))  # noqa: S308 — every piece of text above went through escape()


# Where each field's spans are in an extracted agreement: (attribute, field) for single values,
# (list, attribute of each item, field) for the lists.
SINGLE_SPANS = (
    ("title_span", "title"),
    ("signed_on_span", "signed_on"),
    ("place_span", "place"),
    ("total_span", "total_amount"),
)
LISTED_SPANS = (
    ("amounts", "span", "amount"),
    ("partners", "span", "partner"),
    ("signatories", "name_span", "signatory_name"),
    ("signatories", "role_span", "signatory_role"),
    ("locations", "span", "location"),
    ("projects", "span", "project"),
)


def draft_spans(result, attendees: list[tuple[str, tuple[int, int]]]) -> list[tuple[int, int, str]]:
    found = []
    for draft in result.agreements:
        found += [(getattr(draft, attribute), name) for attribute, name in SINGLE_SPANS]
        for listed, attribute, name in LISTED_SPANS:
            found += [(getattr(item, attribute), name) for item in getattr(draft, listed)]
        if draft.programme:
            found.append((draft.programme.span, "programme"))
    found += [(span, "attendee") for _description, span in attendees]
    return [(span[0], span[1], name) for span, name in found if span]


def legend() -> list[tuple[str, str, str]]:
    """(field, label, classes) of every kind of mark, in the order they are shown."""
    return [(name, FIELD_LABELS[name], FIELD_CLASSES[name]) for name in FIELD_ORDER]
