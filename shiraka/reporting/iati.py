"""IATI 2.03 activity XML of a selection of agreements: one parent activity per agreement
(hierarchy 1) and one child per project (hierarchy 2), `related-activity` both ways. The mapping is in
the README; every code used comes from the constants below, which tests/reporting check against the
IATI code lists (the XSD does not check them).

Amendments are not activities of their own: the agreement they amend carries the amended commitments.
Drafts are never exported. Amounts are the partners' effective commitments (type 11, incoming
commitment), standing transfers (type 1, incoming funds), contracts (type 2, outgoing commitment) and
standing payments (type 3, disbursement), in MAD."""

import os
from datetime import UTC, datetime
from decimal import Decimal
from xml.etree import ElementTree as ET

from django.db.models import Prefetch, QuerySet

from shiraka.agreements.models import Agreement, Partnership, Transfer
from shiraka.portfolio.selectors import partnerships_with_kept_figures
from shiraka.projects.models import Category, Contract, Payment, Project, ProjectFunding

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# The publisher's IATI organisation identifier; set it to the registered one before publishing.
REPORTING_ORG_REF = os.environ.get("SHIRAKA_IATI_ORG_REF", "XM-DAC-MA-SHIRAKA")
CURRENCY = "MAD"
COUNTRY = "MA"

# OrganisationRole: 1 funding, 3 extending, 4 implementing.
ROLE_FUNDING, ROLE_EXTENDING, ROLE_IMPLEMENTING = "1", "3", "4"
# OrganisationType by our organisation kinds.
ORGANISATION_TYPES = {
    "ministry": "10",
    "deconcentrated_service": "10",
    "governorate": "10",
    "indh": "10",
    "regional_council": "11",
    "provincial_council": "11",
    "commune": "11",
    "public_agency": "15",
    "international": "40",
    "foundation": "60",
    "association": "22",
    "company": "70",
    "other": "90",
}
# ActivityStatus: 1 pipeline, 2 implementation, 3 finalisation, 4 closed, 5 cancelled, 6 suspended.
AGREEMENT_STATUSES = {
    "signed": "1",
    "in_execution": "2",
    "completed": "3",
    "suspended": "6",
    "cancelled": "5",
}
PROJECT_STATUSES = {
    "planned": "1",
    "studies": "1",
    "tendering": "1",
    "works": "2",
    "delivered": "3",
    "in_service": "4",
    "suspended": "6",
    "cancelled": "5",
}
# ActivityDateType: 1 planned start, 2 actual start, 3 planned end, 4 actual end.
PLANNED_START, ACTUAL_START, PLANNED_END, ACTUAL_END = "1", "2", "3", "4"
# TransactionType: 1 incoming funds, 2 outgoing commitment, 3 disbursement, 11 incoming commitment.
INCOMING_FUNDS, OUTGOING_COMMITMENT, DISBURSEMENT, INCOMING_COMMITMENT = "1", "2", "3", "11"
# RelatedActivityType: 1 parent, 2 child.
PARENT, CHILD = "1", "2"
# Sector vocabulary 1: OECD DAC 5-digit purpose codes.
SECTOR_VOCABULARY = "1"
DAC_SECTORS = {
    Category.PROXIMITY_HOSPITAL: "12230",  # basic health infrastructure
    Category.HEALTH_CENTRE: "12230",
    Category.EMERGENCY_UNIT: "12191",  # medical services
    Category.PSYCHIATRIC_UNIT: "12340",  # promotion of mental health and well-being
    Category.ADDICTION_CENTRE: "12330",  # control of harmful use of alcohol and drugs
    Category.YOUTH_HEALTH_SPACE: "12261",  # health education
    Category.WOMENS_REFERENCE_CENTRE: "13020",  # reproductive health care
    Category.UNIVERSITY_MEDICAL_CENTRE: "12191",
    Category.IMAGING_EQUIPMENT: "12191",
    Category.MOBILE_CARAVANS: "12220",  # basic health care
    Category.STAFF_CONTRACTING: "12281",  # health personnel development
    Category.STAFF_HOUSING: "12230",
    Category.PATIENT_TRANSPORT: "12220",
    Category.FACILITY_UPGRADE: "12230",
}
# GeographicVocabulary A5: ISO 3166-2 subdivisions; LocationClass 1 administrative region, 3 structure;
# GeographicExactness 1 exact, 2 approximate; GeographicLocationReach 1 activity.
ADMIN_VOCABULARY, CLASS_REGION, CLASS_STRUCTURE, EXACT, APPROXIMATE, REACH_ACTIVITY = (
    "A5",
    "1",
    "3",
    "1",
    "2",
    "1",
)
WGS84 = "http://www.opengis.net/def/crs/EPSG/0/4326"


def _sub(parent, tag: str, text: str | None = None, **attributes) -> ET.Element:
    element = ET.SubElement(parent, tag, {k.replace("_", "-"): v for k, v in attributes.items() if v})
    if text is not None:
        element.text = text
    return element


def _narratives(parent, tag: str, arabic: str, french: str, **attributes) -> ET.Element | None:
    if not (arabic or french):
        return None
    element = _sub(parent, tag, **attributes)
    for language, text in (("ar", arabic), ("fr", french)):
        if text:
            _sub(element, "narrative", text, **{XML_LANG: language})
    return element


def _org(parent, tag: str, organisation, *, name: str = "", **attributes) -> None:
    if organisation is not None:
        attributes.setdefault("type", ORGANISATION_TYPES.get(organisation.kind, "90"))
        if organisation.reference_code:
            attributes.setdefault("ref", f"{REPORTING_ORG_REF}-ORG-{organisation.reference_code}")
    element = _sub(parent, tag, **attributes)
    if organisation is not None:
        _narratives_into(element, organisation.name_ar, organisation.name_fr)
    elif name:
        _sub(element, "narrative", name)


def _narratives_into(element, arabic: str, french: str) -> None:
    for language, text in (("ar", arabic), ("fr", french)):
        if text:
            _sub(element, "narrative", text, **{XML_LANG: language})
    if not (arabic or french):
        _sub(element, "narrative", "—")


def _date(parent, kind: str, value) -> None:
    if value:
        _sub(parent, "activity-date", type=kind, iso_date=value.isoformat())


def _money(value: Decimal) -> str:
    return f"{Decimal(value):.2f}"


def _transaction(parent, kind: str, when, amount, *, provider=None, receiver=None, receiver_name="") -> None:
    if not when or amount is None:
        return
    transaction = _sub(parent, "transaction")
    _sub(transaction, "transaction-type", code=kind)
    _sub(transaction, "transaction-date", iso_date=when.isoformat())
    _sub(transaction, "value", _money(amount), currency=CURRENCY, value_date=when.isoformat())
    if provider is not None:
        _org(transaction, "provider-org", provider, type=None)
    if receiver is not None or receiver_name:
        _org(transaction, "receiver-org", receiver, name=receiver_name)


def _location(parent, place, *, latitude=None, longitude=None, structure: bool = False) -> None:
    if place is None:
        return
    location = _sub(parent, "location", ref=f"{REPORTING_ORG_REF}-LOC-{place.code}")
    _sub(location, "location-reach", code=REACH_ACTIVITY)
    name = _sub(location, "name")
    _narratives_into(name, place.name_ar, place.name_fr)
    if place.iso_code:
        level = "2" if hasattr(place, "region_id") else "1"
        _sub(location, "administrative", vocabulary=ADMIN_VOCABULARY, level=level, code=place.iso_code)
    if latitude is not None and longitude is not None:
        point = _sub(location, "point", srsName=WGS84)
        _sub(point, "pos", f"{latitude} {longitude}")
    _sub(location, "exactness", code=EXACT if latitude is not None else APPROXIMATE)
    _sub(
        location,
        "location-class",
        code=CLASS_STRUCTURE if structure and latitude is not None else CLASS_REGION,
    )


def _sectors(parent, projects: list[Project]) -> None:
    """Budget-weighted DAC sectors of the projects; whole percentages summing to 100."""
    weights: dict[str, Decimal] = {}
    for project in projects:
        code = DAC_SECTORS.get(project.category, "12230")
        weights[code] = weights.get(code, Decimal(0)) + (project.budget or Decimal(1))
    if not weights:
        _sub(parent, "sector", vocabulary=SECTOR_VOCABULARY, code="12230", percentage="100")
        return
    total = sum(weights.values())
    shares = {code: int(weight * 100 / total) for code, weight in weights.items()}
    largest = max(weights, key=weights.get)
    shares[largest] += 100 - sum(shares.values())
    for code, share in sorted(shares.items()):
        if share > 0:
            _sub(parent, "sector", vocabulary=SECTOR_VOCABULARY, code=code, percentage=str(share))


def _activity(root, identifier: str, hierarchy: str, updated: str) -> ET.Element:
    activity = _sub(
        root,
        "iati-activity",
        **{
            XML_LANG: "ar",
            "default-currency": CURRENCY,
            "hierarchy": hierarchy,
            "last-updated-datetime": updated,
        },
    )
    _sub(activity, "iati-identifier", identifier)
    reporting = _sub(activity, "reporting-org", ref=REPORTING_ORG_REF, type="10")
    _sub(reporting, "narrative", "Shiraka — شراكة")
    return activity


def _agreement_activity(root, agreement: Agreement, updated: str) -> None:
    activity = _activity(root, f"{REPORTING_ORG_REF}-{agreement.reference}", "1", updated)
    _narratives(activity, "title", agreement.title_ar, agreement.title_fr)
    # The schema requires a description: the agreement's object, or its title when the text gives none.
    if agreement.object_ar or agreement.object_fr:
        _narratives(activity, "description", agreement.object_ar, agreement.object_fr, type="1")
    else:
        _narratives_into(_sub(activity, "description", type="1"), agreement.title_ar, agreement.title_fr)
    for partnership in agreement.partnerships.all():
        role = ROLE_FUNDING if partnership.is_funder or partnership.committed else ROLE_IMPLEMENTING
        _org(activity, "participating-org", partnership.organisation, role=role)
    if not agreement.partnerships.all():
        _sub(_sub(activity, "participating-org", role=ROLE_FUNDING), "narrative", "—")
    _sub(activity, "activity-status", code=AGREEMENT_STATUSES.get(agreement.status, "1"))
    started = agreement.status in ("in_execution", "completed", "suspended")
    _date(activity, ACTUAL_START if started else PLANNED_START, agreement.start_on or agreement.signed_on)
    _date(activity, PLANNED_END, agreement.end_on)
    _sub(activity, "recipient-country", code=COUNTRY, percentage="100")
    _location(activity, agreement.province or agreement.region)
    projects = list(agreement.projects.all())
    _sectors(activity, projects)
    for partnership in agreement.partnerships.all():
        _transaction(
            activity,
            INCOMING_COMMITMENT,
            agreement.signed_on or agreement.start_on,
            partnership.committed,
            provider=partnership.organisation,
        )
        for transfer in partnership.transfers.all():
            _transaction(
                activity,
                INCOMING_FUNDS,
                transfer.transferred_on,
                transfer.amount,
                provider=partnership.organisation,
            )
    for project in projects:
        _sub(activity, "related-activity", ref=f"{REPORTING_ORG_REF}-{project.reference}", type=CHILD)


def _project_activity(root, agreement: Agreement, project: Project, updated: str) -> None:
    activity = _activity(root, f"{REPORTING_ORG_REF}-{project.reference}", "2", updated)
    _narratives(activity, "title", project.title_ar, project.title_fr)
    description = _sub(activity, "description", type="1")
    if project.description:
        _sub(description, "narrative", project.description)
    else:
        _narratives_into(description, project.title_ar, project.title_fr)
    funders = [f.organisation for f in project.fundings.all()]
    for organisation in funders:
        _org(activity, "participating-org", organisation, role=ROLE_FUNDING)
    if project.owner is not None:
        _org(activity, "participating-org", project.owner, role=ROLE_IMPLEMENTING)
    if project.delegated_owner is not None:
        _org(activity, "participating-org", project.delegated_owner, role=ROLE_EXTENDING)
    if not funders and project.owner is None and project.delegated_owner is None:
        _sub(_sub(activity, "participating-org", role=ROLE_IMPLEMENTING), "narrative", "—")
    _sub(activity, "activity-status", code=PROJECT_STATUSES.get(project.status, "1"))
    _date(activity, PLANNED_START, project.planned_start)
    _date(activity, ACTUAL_START, project.actual_start)
    _date(activity, PLANNED_END, project.planned_end)
    _date(activity, ACTUAL_END, project.actual_end)
    if not (project.planned_start or project.actual_start):
        _date(activity, PLANNED_START, agreement.start_on or agreement.signed_on)
    _sub(activity, "recipient-country", code=COUNTRY, percentage="100")
    _location(
        activity,
        project.province or project.region or agreement.province or agreement.region,
        latitude=project.latitude,
        longitude=project.longitude,
        structure=True,
    )
    _sub(
        activity,
        "sector",
        vocabulary=SECTOR_VOCABULARY,
        code=DAC_SECTORS.get(project.category, "12230"),
        percentage="100",
    )
    for contract in project.contracts.all():
        name = contract.contractor_name if contract.contractor is None else ""
        _transaction(
            activity,
            OUTGOING_COMMITMENT,
            contract.signed_on,
            contract.amount,
            receiver=contract.contractor,
            receiver_name=name,
        )
        for payment in contract.payments.all():
            _transaction(
                activity,
                DISBURSEMENT,
                payment.paid_on,
                payment.amount,
                receiver=contract.contractor,
                receiver_name=name,
            )
    _sub(activity, "related-activity", ref=f"{REPORTING_ORG_REF}-{agreement.reference}", type=PARENT)


def exported_agreements(agreements: QuerySet) -> QuerySet:
    """The agreements an export carries, with what it reads prefetched (a fixed number of queries)."""
    partnerships = partnerships_with_kept_figures(
        Partnership.objects.select_related("organisation")
    ).order_by("pk")
    contracts = Contract.objects.select_related("contractor").prefetch_related(
        Prefetch("payments", queryset=Payment.objects.standing().order_by("paid_on", "pk"))
    )
    projects = (
        Project.objects.select_related("province", "region", "owner", "delegated_owner")
        .prefetch_related(
            Prefetch(
                "fundings", queryset=ProjectFunding.objects.select_related("organisation").order_by("pk")
            ),
            Prefetch("contracts", queryset=contracts.order_by("signed_on", "pk")),
        )
        .order_by("reference")
    )
    return (
        agreements.exclude(status=Agreement.Status.DRAFT)
        .exclude(kind=Agreement.Kind.AMENDMENT)
        .select_related("province", "region")
        .prefetch_related(
            Prefetch(
                "partnerships",
                queryset=partnerships.prefetch_related(
                    Prefetch(
                        "transfers", queryset=Transfer.objects.standing().order_by("transferred_on", "pk")
                    )
                ),
            ),
            Prefetch("projects", queryset=projects),
        )
        .order_by("reference")
    )


def activities_tree(agreements: QuerySet) -> ET.ElementTree:
    updated = datetime.now(UTC).replace(microsecond=0).isoformat()
    root = ET.Element("iati-activities", {"version": "2.03", "generated-datetime": updated})
    for agreement in exported_agreements(agreements).iterator(chunk_size=200):
        _agreement_activity(root, agreement, updated)
        for project in agreement.projects.all():
            _project_activity(root, agreement, project, updated)
    return ET.ElementTree(root)


def activities_xml(agreements: QuerySet) -> bytes:
    tree = activities_tree(agreements)
    ET.indent(tree, space=" ")
    return ET.tostring(tree.getroot(), encoding="utf-8", xml_declaration=True)
