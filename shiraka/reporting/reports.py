"""Status reports of an agreement, a province, a region or a partner, as PDF in Arabic or French.

The figures are the pages' (`portfolio.selectors`, each dirham counted once); the HTML is laid out by
WeasyPrint, which shapes Arabic well in HTML text but reverses Arabic words inside SVG `<text>`: the
report's charts are HTML/CSS bars. Tables repeat their header on each page and no row is split."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from shiraka.agreements.models import Agreement, Partnership
from shiraka.core.rules import today as local_today
from shiraka.core.text import localised
from shiraka.followup.alerts import Order
from shiraka.followup.models import Decision
from shiraka.followup.pdf import pdf_of, printed_html
from shiraka.followup.selectors import alerts_in
from shiraka.organisations.models import Organisation
from shiraka.portfolio.selectors import (
    Summary,
    agreement_summary,
    breakdown_by_partner,
    partner_summary,
    partnerships_with_kept_figures,
    portfolio_summary,
)
from shiraka.projects.models import Project
from shiraka.projects.selectors import late_milestones
from shiraka.territory.models import Province, Region

from .fictional import FICTIONAL_NOTE
from .selectors import counted_projects, late_milestones_of, per_inhabitant

KINDS = ("agreement", "province", "region", "partner")
LANGUAGES = ("ar", "fr")
MAX_PROJECTS = 300
MAX_ROWS = 100
# A report lists the most serious alerts; the alerts page has them all.
MAX_ALERTS = 30


class ReportSubjectMissing(LookupError):
    """No agreement, province, region or partner answers to the key given."""


@dataclass
class PartnerRow:
    name: str
    committed: Decimal | None
    due: Decimal
    transferred: Decimal
    arrears: Decimal
    committed_width: float = 0.0
    transferred_width: float = 0.0


@dataclass
class Report:
    kind: str
    subject: object
    title: str
    place: str
    agreements: QuerySet
    summary: Summary
    partners: list[PartnerRow] = field(default_factory=list)
    population: int | None = None
    object: str = ""


def _subject(kind: str, key: str):
    """The report's subject and its agreements (every agreement: a report is an internal document)."""
    if kind == "agreement":
        agreement = Agreement.objects.select_related("region", "province").filter(reference=key).first()
        if agreement is None:
            raise ReportSubjectMissing(key)
        return agreement, Agreement.objects.filter(pk=agreement.pk)
    if kind == "province":
        province = Province.objects.select_related("region").filter(code=key).first()
        if province is None:
            raise ReportSubjectMissing(key)
        return province, Agreement.objects.filter(province=province)
    if kind == "region":
        region = Region.objects.filter(code=key).first()
        if region is None:
            raise ReportSubjectMissing(key)
        return region, Agreement.objects.filter(region=region)
    organisation = Organisation.objects.filter(pk=int(key)).first() if key.isdigit() else None
    if organisation is None:
        raise ReportSubjectMissing(key)
    return organisation, Agreement.objects.filter(partnerships__organisation=organisation).distinct()


def _partner_rows(kind: str, subject, agreements: QuerySet) -> list[PartnerRow]:
    if kind == "agreement" or kind == "partner":
        partnerships = Partnership.objects.filter(agreement__in=agreements.values("pk"))
        if kind == "partner":
            partnerships = partnerships.filter(organisation=subject)
        rows = [
            PartnerRow(
                name=p.agreement.reference if kind == "partner" else str(p.organisation),
                committed=p.committed,
                due=p.due_to_date,
                transferred=p.transferred,
                arrears=p.arrears,
            )
            for p in partnerships_with_kept_figures(
                partnerships.select_related("organisation", "agreement")
            ).order_by("agreement__reference", "pk")[:MAX_ROWS]
        ]
    else:
        rows = [
            PartnerRow(
                name=localised(r["organisation__name_ar"], r["organisation__name_fr"]),
                committed=r["committed_sum"],
                due=r["due_sum"] or Decimal(0),
                transferred=r["transferred_sum"] or Decimal(0),
                arrears=r["arrears_sum"] or Decimal(0),
            )
            for r in breakdown_by_partner(agreements, limit=MAX_ROWS)
        ]
    largest = max([r.committed or 0 for r in rows] + [r.transferred for r in rows] + [Decimal(1)])
    for row in rows:
        row.committed_width = round(float((row.committed or 0) / largest * 100), 1)
        row.transferred_width = round(float(row.transferred / largest * 100), 1)
    return rows


def build_report(kind: str, key: str) -> Report:
    """The report's figures, in the active language."""
    if kind not in KINDS:
        raise ValueError(kind)
    subject, agreements = _subject(kind, key)
    if kind == "agreement":
        summary, place = agreement_summary(subject), str(subject.province or subject.region or "")
        title = f"{subject.reference} — {subject.title}"
    elif kind == "partner":
        summary, place, title = partner_summary(subject, agreements=agreements), "", str(subject)
    else:
        summary, title = portfolio_summary(agreements), str(subject)
        place = str(subject.region) if kind == "province" else ""
    return Report(
        kind=kind,
        subject=subject,
        title=title,
        place=place,
        agreements=agreements,
        summary=summary,
        partners=_partner_rows(kind, subject, agreements),
        population=getattr(subject, "population_2024", None),
        object=localised(subject.object_ar, subject.object_fr) if kind == "agreement" else "",
    )


def _projects(agreements: QuerySet, kind: str) -> QuerySet:
    projects = (
        Project.objects.filter(agreement__in=agreements.values("pk"))
        if kind == "agreement"
        else counted_projects(agreements)
    )
    late = late_milestones().values("project")
    return projects.select_related("province").annotate(
        late=Count("milestones", filter=Q(milestones__in=late_milestones()), distinct=True),
        is_late=Count("pk", filter=Q(pk__in=late)),
    )


def report_context(report: Report) -> dict:
    projects = _projects(report.agreements, report.kind).order_by("reference")
    decisions = (
        Decision.objects.filter(status__in=[Decision.Status.OPEN, Decision.Status.IN_PROGRESS])
        .filter(Q(agreement__in=report.agreements.values("pk")) | Q(project__in=projects.values("pk")))
        .select_related("responsible", "committee")
        .order_by("due_on", "pk")
    )
    # The alerts page's rules over the report's agreements: the most serious, and the counts by kind.
    alerts = alerts_in(report.agreements, order=Order.BY_SEVERITY)
    return {
        "report": report,
        "summary": report.summary,
        "alerts": alerts.fetch(0, MAX_ALERTS),
        "alert_kinds": alerts.most_common_kinds(),
        "alert_count": alerts.total(),
        "per_inhabitant": per_inhabitant(report.summary.total_amount, report.population),
        "projects": projects[:MAX_PROJECTS],
        "project_count": projects.count(),
        "late": late_milestones_of(projects).select_related("project")[:MAX_ROWS],
        "decisions": decisions[:MAX_ROWS],
        "today": local_today(),
        "statuses": [
            (label, report.summary.projects_by_status.get(value, 0))
            for value, label in Project.Status.choices
        ],
        "fictional": report.agreements.filter(source_text=FICTIONAL_NOTE).exists(),
        "kind_label": {
            "agreement": _("Agreement"),
            "province": _("Province or prefecture"),
            "region": _("Region"),
            "partner": _("Partner"),
        }[report.kind],
    }


def report_html(kind: str, key: str, *, language: str = "ar") -> str:
    return printed_html(
        "reporting/status_report.html",
        language,
        LANGUAGES,
        lambda: report_context(build_report(kind, key)),
    )


def report_pdf(kind: str, key: str, *, language: str = "ar") -> bytes:
    return pdf_of(report_html(kind, key, language=language))
