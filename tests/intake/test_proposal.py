"""What the review of a press text is pre-filled with (the Guelmim and Inezgane seeds)."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

import shiraka.demo
from shiraka.intake.proposal import DraftReading, proposals
from shiraka.organisations.models import Organisation
from shiraka.territory.models import Commune, Province

pytestmark = pytest.mark.django_db

DATA = Path(shiraka.demo.__file__).resolve().parent / "data"
GUELMIM = (DATA / "guelmim-oued-noun-2023-11-06.txt").read_text(encoding="utf-8")
INEZGANE = (DATA / "inezgane-ait-melloul-2022-02-12.txt").read_text(encoding="utf-8")


def codes(pks):
    by_pk = dict(Organisation.objects.values_list("pk", "reference_code"))
    return [by_pk.get(pk) for pk in pks]


def test_guelmim_is_pre_filled_from_what_is_recorded(reference):
    [proposal] = proposals(DraftReading(GUELMIM))
    values = proposal.agreement
    assert values["kind"] == "partnership" and values["title"].startswith("اتفاقية شراكة")
    assert values["total_amount"] == Decimal("443000000")
    assert str(values["signed_on"]) == "2023-11-06"
    assert values["region"] is not None and values["programme"] is None  # no programme recorded
    assert set(codes(row.initial["organisation"] for row in proposal.partners)) == {
        "MSPS",
        "CR-10",
        "WILAYA-10",
    }
    assert all(row.note == "" for row in proposal.partners)
    signatories = proposal.signatories
    assert [row.read for row in signatories] == ["مباركة بوعيدة", "خالد أيت الطالب", "محمد الناجم ابهي"]
    partner_codes = codes(row.initial["organisation"] for row in proposal.partners)
    assert [partner_codes[row.initial["partner"]] for row in signatories] == ["CR-10", "MSPS", "WILAYA-10"]
    assert [row.initial["description"] for row in proposal.attendees] == [
        "المدير الجهوي للصحة",
        "ممثل الوكالة الوطنية للتجهيزات العامة",
        "ممثل الهيئة الوطنية للأطباء",
    ]
    budgets = {row.initial["category"]: row.initial["budget"] for row in proposal.projects}
    assert budgets["staff_contracting"] == Decimal("50000000")
    assert budgets["staff_housing"] == Decimal("20000000")
    emergency = next(
        row
        for row in proposal.projects
        if row.initial["category"] == "emergency_unit" and row.initial["communes"]
    )
    names = dict(Commune.objects.filter(pk__in=emergency.initial["communes"]).values_list("pk", "name_ar"))
    assert set(names.values()) == {"تغجيجت", "تيوغزة"}
    assert {pk for pk, _label in proposal.communes} >= set(names)


def test_an_unrecorded_partner_gets_a_guessed_kind_and_the_places_are_matched(reference):
    with translation.override("en"):
        first, second = proposals(DraftReading(INEZGANE))
        row = second.partners[1]
        assert (
            row.initial["organisation"] is None and str(row.note) == "No recorded organisation has this name."
        )
    assert row.initial["new_kind"] == "deconcentrated_service"
    assert second.agreement["total_amount"] == Decimal("26343000")
    assert second.agreement["province"] == Province.objects.get(code="09.273").pk
    assert second.locations == [("عمالة إنزكان آيت ملول", "province or prefecture: Inezgane-Aït Melloul")]
    assert ("إنزكان", "commune: Inezgane") in first.locations
    assert first.amounts[0][2] == "total amount"
