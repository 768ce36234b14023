from decimal import Decimal

import pytest

from shiraka.agreements.models import Agreement, Partnership
from shiraka.demo.services import demo_load
from shiraka.followup.models import Committee
from shiraka.portfolio.selectors import agreement_summary
from shiraka.projects.models import Project
from shiraka.territory.models import Commune, Province, Region

pytestmark = pytest.mark.django_db


def test_reference_data_is_complete(reference):
    assert Region.objects.count() == 12
    assert Province.objects.count() == 75
    assert Commune.objects.count() == 1503
    assert Province.objects.get(code="09.273").name_fr == "Inezgane-Aït Melloul"


def test_guelmim_oued_noun_agreement_as_the_text_states_it(seeds):
    agreement = Agreement.objects.get(reference="GON-2023-SANTE-443")
    assert agreement.total_amount == Decimal("443000000.00")
    assert str(agreement.signed_on) == "2023-11-06"
    assert agreement.region.code == "10"
    assert agreement.programme.name_ar == "برنامج التنمية الجهوية 2022-2027 لجهة كلميم واد نون"
    assert agreement.projects.count() == 14
    assert [s.person.full_name_ar for s in agreement.signatories.all()] == [
        "مباركة بوعيدة",
        "خالد أيت الطالب",
        "محمد الناجم ابهي",
    ]
    assert agreement.signatories.get(person__full_name_ar="محمد الناجم ابهي").role == "والي جهة كلميم واد نون"
    assert agreement.attendees.count() == 3
    budgets = sorted(p.budget for p in agreement.projects.exclude(budget=None))
    assert budgets == [Decimal("20000000.00"), Decimal("20000000.00"), Decimal("50000000.00")]
    emergency = agreement.projects.get(title_ar__startswith="إنشاء وحدتين للطوارئ")
    assert sorted(emergency.communes.values_list("name_fr", flat=True)) == ["Taghjijt", "Tioughza"]
    assert emergency.units == 2


def test_guelmim_split_carries_its_source_and_the_wilaya_share_is_not_specified(seeds):
    partnerships = Partnership.objects.filter(agreement__reference="GON-2023-SANTE-443")
    amounts = {p.organisation.reference_code: p.committed_amount for p in partnerships}
    assert amounts == {"MSPS": Decimal("222000000.00"), "CR-10": Decimal("221000000.00"), "WILAYA-10": None}
    assert all("S-C3" in p.commitment_source for p in partnerships if p.committed_amount is not None)
    summary = agreement_summary(Agreement.objects.get(reference="GON-2023-SANTE-443"))
    assert summary.committed == Decimal("443000000.00")
    assert summary.unallocated == Decimal("0.00")
    assert summary.unspecified_partners == 1


def test_inezgane_framework_agreement_has_its_seven_partners_and_committee(seeds):
    agreement = Agreement.objects.get(reference="IAM-2022-SANTE-CADRE")
    assert agreement.total_amount == Decimal("158160000.00")
    assert agreement.kind == "framework"
    partners = set(agreement.partnerships.values_list("organisation__name_ar", flat=True))
    assert partners == {
        "وزارة الصحة والحماية الاجتماعية",
        "مجلس جهة سوس-ماسة",
        "مجلس عمالة إنزكان-آيت ملول",
        "جماعة إنزكان",
        "جماعة الدشيرة الجهادية",
        "جماعة آيت ملول",
        "جماعة لقليعة",
    }
    assert (
        agreement.partnerships.filter(committed_amount__isnull=False).count() == 0
    )  # the text gives no split
    committee = Committee.objects.get(agreements=agreement)
    assert committee.kind == "supervision"
    assert committee.chair.full_name_ar == "إسماعيل أبو الحقوق"
    assert committee.members.count() == 7
    assert agreement.projects.count() == 0  # the text names objectives, not projects


def test_indh_agreement_of_the_same_day(seeds):
    agreement = Agreement.objects.get(reference="IAM-2022-INDH-SANTE")
    assert agreement.total_amount == Decimal("26343000.00")
    assert agreement.signed_on == Agreement.objects.get(reference="IAM-2022-SANTE-CADRE").signed_on
    assert agreement.partnerships.count() == 3
    assert Committee.objects.get(agreements=agreement).name_ar.startswith("اللجنة الإقليمية للتنمية البشرية")


def test_loading_the_demo_twice_duplicates_nothing(seeds):
    counts = (
        Agreement.objects.count(),
        Project.objects.count(),
        Partnership.objects.count(),
        Committee.objects.count(),
    )
    results = demo_load()
    assert [created for _, created in results] == [False, False, False]
    assert (
        Agreement.objects.count(),
        Project.objects.count(),
        Partnership.objects.count(),
        Committee.objects.count(),
    ) == counts
