"""What each list page shows, as rows of plain values for the writers: the same selectors as the
pages (each dirham counted once, as they count it) over a queryset the caller has already scoped to
the reader (`shiraka.accounts.access.visible_*`) and filtered like the page. Rows are produced lazily
from database iterators, so tens of thousands of them never sit in memory together.

`export_sheets(kind, source, language=…)` gives [(sheet, rows)]: the list itself first, then, for
agreements and projects, the sheets the import needs to bring them back (partners and schedule;
funding and milestones). `export_rows(kind, source, language)` is the list alone (for the API)."""

from collections.abc import Iterator

from django.utils import translation

from shiraka.agreements.models import Partnership, ScheduledContribution
from shiraka.core.text import localised
from shiraka.portfolio.selectors import agreement_page_rows, partnerships_with_kept_figures
from shiraka.projects.models import Milestone, ProjectFunding
from shiraka.projects.selectors import project_page_rows

from .columns import (
    AGREEMENTS,
    ALERTS,
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


def _agreement(a) -> dict:
    return {
        "reference": a.reference,
        "kind": a.get_kind_display(),
        "parent": a.parent.reference if a.parent_id else None,
        "title_ar": a.title_ar,
        "title_fr": a.title_fr,
        "programme": a.programme,
        "signed_on": a.signed_on,
        "signed_place": a.signed_place,
        "start_on": a.start_on,
        "end_on": a.end_on,
        "total_amount": a.total_amount,
        "status": a.get_status_display(),
        "status_reason": a.status_reason,
        "region": a.region,
        "province": a.province,
        "is_published": a.is_published,
        "effective_total": a.total,
        "committed": a.committed,
        "due_to_date": a.due_to_date,
        "transferred": a.transferred,
        "arrears": a.arrears,
        "unallocated": a.unallocated,
        "project_count": a.project_count,
    }


def _partner(p) -> dict:
    return {
        "agreement": p.agreement.reference,
        "organisation": p.organisation,
        "committed_amount": p.committed_amount,
        "is_funder": p.is_funder,
        "is_project_owner": p.is_project_owner,
        "is_delegated_owner": p.is_delegated_owner,
        "is_technical_partner": p.is_technical_partner,
        "committed": p.committed,
        "due_to_date": p.due_to_date,
        "transferred": p.transferred,
        "arrears": p.arrears,
    }


def _schedule(line) -> dict:
    return {
        "agreement": line.partnership.agreement.reference,
        "organisation": line.partnership.organisation,
        "due_on": line.due_on,
        "amount": line.amount,
        "note": line.note,
    }


def _transfer(t) -> dict:
    return {
        "agreement": t.partnership.agreement.reference,
        "organisation": t.partnership.organisation,
        "transferred_on": t.transferred_on,
        "amount": t.amount,
        "reference": t.reference,
        "note": t.note,
        "cancelled": t.cancelled_at is not None,
    }


def _project(p) -> dict:
    return {
        "reference": p.reference,
        "agreement": p.agreement.reference,
        "title_ar": p.title_ar,
        "title_fr": p.title_fr,
        "category": p.get_category_display(),
        "region": p.region,
        "province": p.province,
        "communes": [c.name for c in p.communes.all()] or None,
        "owner": p.owner,
        "delegated_owner": p.delegated_owner,
        "budget": p.budget,
        "status": p.get_status_display(),
        "status_reason": p.status_reason,
        "planned_start": p.planned_start,
        "planned_end": p.planned_end,
        "actual_start": p.actual_start,
        "actual_end": p.actual_end,
        "opened_on": p.opened_on,
        "beds": p.beds,
        "beneficiaries": p.beneficiaries,
        "physical_progress": p.physical_progress,
        "paid": p.paid,
        "late_milestones": p.late_milestones,
    }


def _commitment(p) -> dict:
    return {
        "agreement": p.agreement.reference,
        "title": localised(p.agreement.title_ar, p.agreement.title_fr),
        "signed_on": p.agreement.signed_on,
        "committed": p.committed,
        "due_to_date": p.due_to_date,
        "transferred": p.transferred,
        "remaining": p.remaining,
        "arrears": p.arrears,
    }


def _alert(a) -> dict:
    return {
        "kind": a.kind_label,
        "severity": a.severity_label,
        "label": a.label,
        "agreement": a.agreement_reference,
        "since": a.since,
        "amount": a.amount,
        "reason": a.reason,
    }


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
    rows = project_page_rows(projects.select_related("owner", "delegated_owner"), sort).prefetch_related(
        "communes"
    )
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


def _funding(f) -> dict:
    return {"project": f.project.reference, "organisation": f.organisation, "amount": f.amount}


def _milestone(m) -> dict:
    return {
        "project": m.project.reference,
        "kind": m.get_kind_display(),
        "planned_on": m.planned_on,
        "achieved_on": m.achieved_on,
        "note": m.note,
    }


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
