"""Loads the seed texts' three agreements through the same services a secretariat uses."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from shiraka.agreements import services as agreements
from shiraka.agreements.models import Agreement, Programme
from shiraka.followup.services import committee_create
from shiraka.organisations.models import Organisation, Person
from shiraka.organisations.services import commune_organisation_ensure, organisation_create, person_create
from shiraka.projects.services import project_create
from shiraka.territory.models import Commune, HealthFacilityType, Province, Region

from .seeds import SEEDS

DATA_DIR = Path(__file__).resolve().parent / "data"
DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo"


def demo_user_ensure():
    """The demo administrator. Created only here, never by migrations or settings."""
    from shiraka.accounts.models import Membership

    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=DEMO_USERNAME, defaults={"is_staff": True, "is_superuser": True, "first_name": "Demo"}
    )
    if created:
        # The demo password is deliberately weak; it bypasses the validators on purpose.
        user.set_password(DEMO_PASSWORD)
        user.save()
    Membership.objects.get_or_create(user=user, defaults={"role": Membership.Role.ADMINISTRATOR})
    return user, created


def _programme(spec: dict, by) -> Programme:
    programme = Programme.objects.filter(code=spec["code"]).first()
    if programme:
        return programme
    values = dict(spec)
    if "region" in values:
        values["region"] = Region.objects.get(code=values["region"])
    if "province" in values:
        values["province"] = Province.objects.get(code=values["province"])
    programme = Programme(**values)
    programme.full_clean()
    programme._history_user = by
    programme.save()
    return programme


def _organisation(spec: dict, by) -> Organisation:
    if "organisation" in spec:
        return Organisation.objects.get(reference_code=spec["organisation"])
    if "commune" in spec:
        return commune_organisation_ensure(
            Commune.objects.select_related("province").get(code=spec["commune"]), by=by
        )
    values = dict(spec["new_organisation"])
    existing = Organisation.objects.filter(reference_code=values["reference_code"]).first()
    if existing:
        return existing
    values["region"] = Region.objects.get(code=values["region"])
    values["province"] = Province.objects.get(code=values["province"])
    values["parent"] = Organisation.objects.get(reference_code=values["parent"])
    return organisation_create(by=by, **values)


def _person(spec: dict, by) -> Person:
    person = Person.objects.filter(full_name_ar=spec["name_ar"]).first()
    if person:
        return person
    return person_create(
        full_name_ar=spec["name_ar"],
        full_name_fr=spec.get("name_fr", ""),
        title_ar=spec["role"],
        organisation=Organisation.objects.get(reference_code=spec["organisation"]),
        by=by,
    )


@transaction.atomic
def seed_load(seed: dict, *, by=None) -> tuple[Agreement, bool]:
    existing = Agreement.objects.filter(reference=seed["reference"]).first()
    if existing:
        return existing, False
    fields = dict(seed["agreement"])
    fields["region"] = Region.objects.get(code=fields["region"])
    if "province" in fields:
        fields["province"] = Province.objects.get(code=fields["province"])
    fields["programme"] = _programme(seed["programme"], by)
    fields["source_text"] = (DATA_DIR / seed["source_file"]).read_text(encoding="utf-8")
    agreement = agreements.agreement_create(
        reference=seed["reference"], status=seed["status"], by=by, **fields
    )
    partners = []
    for spec in seed["partners"]:
        organisation = _organisation(spec, by)
        partners.append(organisation)
        agreements.partnership_commit(
            agreement=agreement,
            organisation=organisation,
            committed_amount=spec.get("committed_amount"),
            is_funder=spec.get("is_funder", False),
            commitment_source=spec.get("commitment_source", ""),
            by=by,
        )
    for spec in seed["signatories"]:
        agreements.signatory_add(
            agreement=agreement,
            person=_person(spec, by),
            organisation=Organisation.objects.get(reference_code=spec["organisation"]),
            role=spec["role"],
            presided=spec.get("presided", False),
            by=by,
        )
    for spec in seed["attendees"]:
        agreements.attendee_add(
            agreement=agreement,
            description=spec["description"],
            organisation=Organisation.objects.get(reference_code=spec["organisation"]),
            by=by,
        )
    _seed_projects(agreement, seed, by)
    if seed.get("committee"):
        _seed_committee(agreement, seed["committee"], partners, by)
    return agreement, True


def _seed_projects(agreement: Agreement, seed: dict, by) -> None:
    for number, spec in enumerate(seed["projects"], start=1):
        values = dict(spec)
        communes = list(
            Commune.objects.select_related("province").filter(code__in=values.pop("communes", []))
        )
        if "facility_type" in values:
            values["facility_type"] = HealthFacilityType.objects.get(code=values["facility_type"])
        project_create(
            agreement=agreement,
            reference=f"{seed['reference']}-P{number:02d}",
            communes=communes,
            by=by,
            **values,
        )


def _seed_committee(agreement: Agreement, committee_spec: dict, partners: list, by) -> None:
    spec = dict(committee_spec)
    chair = Person.objects.filter(full_name_ar="إسماعيل أبو الحقوق").first()
    members = [(organisation, None, "") for organisation in partners] if spec.pop("members") else []
    province = Province.objects.get(code=spec.pop("province"))
    committee_create(province=province, chair=chair, agreements=[agreement], members=members, by=by, **spec)


def demo_load(*, by=None) -> list[tuple[Agreement, bool]]:
    return [seed_load(seed, by=by) for seed in SEEDS]
