"""The writes of the intake: a reviewed draft becomes an agreement, all or nothing, and a refusal
says which row and which value it concerns."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from shiraka.accounts.models import Membership
from shiraka.agreements.models import Agreement
from shiraka.core.rules import today
from shiraka.intake.proposal import DraftReading
from shiraka.intake.services import (
    ReviewedDraft,
    agreement_create_from_draft,
    next_draft_reference,
    reviewed_draft_create,
)
from shiraka.organisations.models import Organisation, Person
from shiraka.territory.models import Commune, Province, Region
from tests.factories import agreement as agreement_factory
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

ARTICLE = "تم توقيع اتفاقية شراكة بين مجلس جهة الشرق ووزارة الصحة بغلاف مالي قدره 20 مليون درهم."


def counts():
    return {model.__name__: model.objects.count() for model in (Agreement, Organisation, Person)}


def msps():
    return Organisation.objects.get(reference_code="MSPS")


def agreement_values(**changes):
    values = {
        "kind": "partnership",
        "title": " اتفاقية شراكة ",
        "signed_on": None,
        "signed_place": "",
        "total_amount": Decimal("20000000"),
        "programme": None,
        "region": Region.objects.get(code="02"),
        "province": None,
        "parent": None,
    }
    return {**values, **changes}


def partner_row(organisation=None, **changes):
    row = {
        "organisation": organisation.pk if organisation else None,
        "create": False,
        "new_name": "",
        "new_kind": "",
        "committed_amount": None,
        "is_funder": False,
        "is_project_owner": False,
        "is_delegated_owner": False,
        "is_technical_partner": False,
    }
    return {**row, **changes}


def reviewed(partners=(), signatories=(), **agreement_changes):
    return ReviewedDraft(
        agreement=agreement_values(**agreement_changes),
        partners=list(partners),
        signatories=list(signatories),
        attendees=[],
        projects=[],
    )


def test_draft_references_are_numbered_by_day(reference):
    prefix = f"DRAFT-{today():%Y%m%d}-"
    assert next_draft_reference() == f"{prefix}001"
    assert next_draft_reference(skip=2) == f"{prefix}003"
    agreement_factory(reference=f"{prefix}007")
    assert next_draft_reference() == f"{prefix}008"


def test_a_draft_is_created_with_its_partners_signatories_attendees_and_projects(reference):
    commune = Commune.objects.get(name_fr="Inezgane")
    agreement = agreement_create_from_draft(
        text=ARTICLE,
        agreement_data=agreement_values(),
        partners=[
            {"organisation": msps(), "committed_amount": Decimal("5000000"), "is_funder": True},
            {"new_organisation": {"name": "جمعية الاختبار", "kind": "association"}},
        ],
        signatories=[{"name": "أحمد الاختبار", "role": "رئيس الجمعية", "partner": 1}],
        attendees=[{"description": " ممثل السلطة المحلية "}],
        projects=[
            {
                "title": "بناء مركز صحي",
                "category": "health_centre",
                "budget": Decimal("1000000"),
                "communes": [commune],
            }
        ],
    )
    assert agreement.reference.startswith("DRAFT-") and agreement.status == Agreement.Status.DRAFT
    assert agreement.title_ar == "اتفاقية شراكة" and agreement.source_text == ARTICLE
    partnerships = {p.organisation.name_ar: p for p in agreement.partnerships.select_related("organisation")}
    assert partnerships["وزارة الصحة والحماية الاجتماعية"].is_funder
    created = partnerships["جمعية الاختبار"].organisation
    assert created.kind == "association" and partnerships["جمعية الاختبار"].committed_amount is None
    signatory = agreement.signatories.select_related("person").get()
    assert signatory.organisation == created and signatory.person.title_ar == "رئيس الجمعية"
    assert [a.description for a in agreement.attendees.all()] == ["ممثل السلطة المحلية"]
    project = agreement.projects.get()
    assert project.reference == f"{agreement.reference}-P01" and list(project.communes.all()) == [commune]


def test_a_refused_row_is_named_and_nothing_is_written(reference):
    before = counts()
    with pytest.raises(ValidationError) as refused:
        agreement_create_from_draft(
            text=ARTICLE,
            agreement_data=agreement_values(),
            signatories=[],
            projects=[],
            partners=[
                {"new_organisation": {"name": "جمعية الاختبار", "kind": "association"}},
                {"organisation": msps(), "committed_amount": Decimal("30000000")},
            ],
        )
    assert list(refused.value.error_dict) == ["partners.1.committed_amount"]
    assert counts() == before


def test_refusals_of_a_review_name_its_rows(reference):
    user = user_with_role("secretariat-national", Membership.Role.SECRETARIAT)
    reading = DraftReading(ARTICLE)
    skipped, over = partner_row(), partner_row(msps(), committed_amount=Decimal("30000000"))
    with pytest.raises(ValidationError) as refused:
        reviewed_draft_create(reading, reviewed([skipped, over]), by=user)
    assert set(refused.value.error_dict) == {"partners.1.committed_amount"}
    signatory = {"include": True, "name": "أحمد الاختبار", "role": "", "partner": 0, "presided": False}
    with pytest.raises(ValidationError) as refused:
        reviewed_draft_create(reading, reviewed([skipped], [signatory]), by=user)
    assert set(refused.value.error_dict) == {"signatories.0.partner"}
    province = Province.objects.get(code="09.273")
    local = user_with_role(
        "secretariat-inezgane", Membership.Role.SECRETARIAT, province=province, region=province.region
    )
    with pytest.raises(ValidationError) as refused:
        reviewed_draft_create(reading, reviewed([over]), by=local)
    assert set(refused.value.error_dict) == {"agreement.region"}
    assert not Agreement.objects.exists()


def test_a_commune_created_as_a_partner_is_the_communes_own_organisation(reference):
    user = user_with_role("secretariat-national", Membership.Role.SECRETARIAT)
    row = partner_row(create=True, new_name="جماعة إنزكان", new_kind="commune")
    agreement = reviewed_draft_create(DraftReading(ARTICLE), reviewed([partner_row(), row]), by=user)
    organisation = agreement.partnerships.get().organisation
    commune = Commune.objects.get(name_fr="Inezgane")
    assert organisation.reference_code == f"COMMUNE-{commune.code}"
    assert organisation.commune == commune and organisation.province.code == "09.273"
