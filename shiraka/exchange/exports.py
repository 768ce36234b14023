"""What each list page shows, as rows of plain values for the writers: the same selectors as the
pages (each dirham counted once, as they count it) over a queryset the caller has already scoped to
the reader (`shiraka.accounts.access.visible_*`) and filtered like the page. Rows are produced lazily
from database iterators, so tens of thousands of them never sit in memory together.

`export_sheets(kind, source, language=…)` gives [(sheet, rows)]: the list itself first, then, for
agreements and projects, the sheets the import needs to bring them back (partners and schedule;
funding and milestones). `export_rows(kind, source, language)` is the list alone (for the API)."""

from collections.abc import Iterator
from operator import attrgetter, methodcaller

from django.utils import translation

from shiraka.agreements.models import Partnership, ScheduledContribution
from shiraka.core.text import localised
from shiraka.portfolio.selectors import agreement_page_rows, partnerships_with_kept_figures
from shiraka.projects.models import Milestone, ProjectFunding
from shiraka.projects.selectors import project_page_rows

from .columns import (
    AGREEMENTS,
    ALERTS,
    CHOICE,
    COMMITMENTS,
    FUNDING,
    MILESTONES,
    PARTNERS,
    PROJECTS,
    SCHEDULE,
    TRANSFERS,
)

CHUNK = 500
KINDS = ("agreements", "projects", "transfers", "commitments", "alerts")


def _builder(sheet, **special):
    """A function of a record to its row: each column's value is the record's attribute of the same
    name (a choice column's label, `get_<key>_display`), but for the `special` columns' functions."""

    def getter(column):
        if column.key in special:
            return special[column.key]
        if column.kind == CHOICE:
            return methodcaller(f"get_{column.key}_display")
        return attrgetter(column.key)

    getters = tuple((column.key, getter(column)) for column in sheet.columns)
    return lambda item: {key: get(item) for key, get in getters}


_agreement = _builder(
    AGREEMENTS,
    parent=lambda a: a.parent.reference if a.parent_id else None,
    effective_total=attrgetter("total"),
)
_partner = _builder(PARTNERS, agreement=attrgetter("agreement.reference"))
# A schedule line and a transfer name their agreement and partner through their partnership.
_OF_PARTNERSHIP = {
    "agreement": attrgetter("partnership.agreement.reference"),
    "organisation": attrgetter("partnership.organisation"),
}
_schedule = _builder(SCHEDULE, **_OF_PARTNERSHIP)
_transfer = _builder(TRANSFERS, **_OF_PARTNERSHIP, cancelled=lambda t: t.cancelled_at is not None)
_project = _builder(
    PROJECTS,
    agreement=attrgetter("agreement.reference"),
    communes=lambda p: [c.name for c in p.communes.all()] or None,
)
_commitment = _builder(
    COMMITMENTS,
    agreement=attrgetter("agreement.reference"),
    title=lambda p: localised(p.agreement.title_ar, p.agreement.title_fr),
    signed_on=attrgetter("agreement.signed_on"),
)
_alert = _builder(
    ALERTS,
    kind=attrgetter("kind_label"),
    severity=attrgetter("severity_label"),
    agreement=attrgetter("agreement_reference"),
)
_funding = _builder(FUNDING, project=attrgetter("project.reference"))
_milestone = _builder(MILESTONES, project=attrgetter("project.reference"))


# What only members of an organisation read (as on the pages): a transfer's bank reference and note,
# the note of a schedule line. Visitors' exports carry these columns empty.
INTERNAL = {"reference", "note"}


def _rows(queryset, build, language: str, *, members: bool = True) -> Iterator[dict]:
    """Rows built in `language` (names, choice labels) while the database cursor streams."""
    items = queryset.iterator(chunk_size=CHUNK) if hasattr(queryset, "iterator") else iter(queryset)
    for item in items:
        with translation.override(language):
            row = build(item)
        if not members:
            row.update({name: "" for name in INTERNAL & row.keys()})
        yield row


def _agreement_sheets(agreements, language: str, sort: str, members: bool):
    rows = agreement_page_rows(agreements.select_related("parent"), sort)
    partners = partnerships_with_kept_figures(
        Partnership.objects.filter(agreement__in=agreements.values("pk")).select_related(
            "agreement", "organisation"
        )
    ).order_by("agreement__reference", "pk")
    schedule = (
        ScheduledContribution.objects.filter(partnership__agreement__in=agreements.values("pk"))
        .select_related("partnership__agreement", "partnership__organisation")
        .order_by("partnership__agreement__reference", "due_on", "pk")
    )
    return [
        (AGREEMENTS, _rows(rows, _agreement, language)),
        (PARTNERS, _rows(partners, _partner, language)),
        (SCHEDULE, _rows(schedule, _schedule, language, members=members)),
    ]


def _project_sheets(projects, language: str, sort: str):
    rows = project_page_rows(
        projects.select_related("agreement", "owner", "delegated_owner"), sort
    ).prefetch_related("communes")
    funding = (
        ProjectFunding.objects.filter(project__in=projects.values("pk"))
        .select_related("project", "organisation")
        .order_by("project__reference", "pk")
    )
    milestones = (
        Milestone.objects.filter(project__in=projects.values("pk"))
        .select_related("project")
        .order_by("project__reference", "pk")
    )
    return [
        (PROJECTS, _rows(rows, _project, language)),
        (FUNDING, _rows(funding, _funding, language)),
        (MILESTONES, _rows(milestones, _milestone, language)),
    ]


def export_sheets(kind: str, source, *, language: str, members: bool, sort: str = "") -> list:
    """[(sheet, rows)] of an export. `source`: agreements, projects, transfers or partnerships
    (commitments) as a queryset already scoped and filtered; for alerts, the list of alerts.
    `members`: the reader belongs to an organisation (`shiraka.accounts.access.is_member`)."""
    if kind == "agreements":
        return _agreement_sheets(source, language, sort or "-signed", members)
    if kind == "projects":
        return _project_sheets(source, language, sort or "reference")
    if kind == "transfers":
        transfers = source.select_related("partnership__agreement", "partnership__organisation")
        return [(TRANSFERS, _rows(transfers, _transfer, language, members=members))]
    if kind == "commitments":
        partnerships = partnerships_with_kept_figures(source.select_related("agreement"))
        return [(COMMITMENTS, _rows(partnerships, _commitment, language))]
    if kind == "alerts":
        return [(ALERTS, _rows(source, _alert, language))]
    raise ValueError(f"unknown export kind {kind!r}")


def export_rows(kind: str, source, language: str, *, members: bool, sort: str = "") -> Iterator[dict]:
    """The list's own rows (the first sheet of `export_sheets`)."""
    return export_sheets(kind, source, language=language, members=members, sort=sort)[0][1]
