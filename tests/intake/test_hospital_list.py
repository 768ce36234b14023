"""The review of a text that lists hospitals with their budgets and the partners' shares (texts
written for these tests)."""

from decimal import Decimal

import pytest

from shiraka.intake.proposal import DraftReading, proposals
from shiraka.organisations.models import Organisation

pytestmark = pytest.mark.django_db

HOSPITALS = (
    "وقعت وزارة الصحة ومجلس جهة الشرق، يوم الاثنين بوجدة، اتفاقية شراكة لتعزيز العرض الصحي بالجهة بغلاف مالي "
    "إجمالي قدره 900 مليون درهم، تساهم فيه وزارة الصحة ب 600 مليون درهم ومجلس الجهة ب 300 مليون درهم، "
    "بحضور عامل إقليم جرادة والمدير الجهوي للصحة ومنتخبين وفعاليات المجتمع المدني.\n"
    "وتهم الاتفاقية بناء المستشفى الإقليمي بجرادة بطاقة 250 سرير بكلفة 500 مليون درهم، "
    "وبناء مستشفى القرب بتاوريرت بطاقة 45 سريرا بكلفة 150 مليون درهم، "
    "واقتناء تجهيزات طبية للمستشفى الجهوي بوجدة بكلفة 250 مليون درهم."
)


def codes(rows) -> list:
    by_pk = dict(Organisation.objects.values_list("pk", "reference_code"))
    return [by_pk.get(row.initial["organisation"]) for row in rows]


def test_ministry_by_its_usual_short_form_with_each_partners_share(reference):
    [proposal] = proposals(DraftReading(HOSPITALS))
    assert codes(proposal.partners) == ["MSPS", "CR-02"]
    shares = [row.initial.get("committed_amount") for row in proposal.partners]
    assert shares == [Decimal("600000000"), Decimal("300000000")]
    assert all(row.initial.get("is_funder") for row in proposal.partners)


def test_listed_hospitals_are_ticked_whole_with_budget_and_category(reference):
    [proposal] = proposals(DraftReading(HOSPITALS))
    rows = [row.initial for row in proposal.projects]
    assert [row["budget"] for row in rows] == [
        Decimal("500000000"),
        Decimal("150000000"),
        Decimal("250000000"),
    ]
    assert all(row["include"] and row["category"] for row in rows)
    assert rows[0]["title"].endswith("250 سرير")
    assert rows[1]["category"] == "proximity_hospital"
    assert rows[2]["category"] == "imaging_equipment"


def test_only_named_attendees_are_ticked(reference):
    [proposal] = proposals(DraftReading(HOSPITALS))
    ticked = {row.read: row.initial["include"] for row in proposal.attendees}
    assert ticked["عامل إقليم جرادة"] and ticked["المدير الجهوي للصحة"]
    assert ticked["منتخبين"] is False
    assert ticked["فعاليات المجتمع المدني"] is False


def test_french_ministry_short_form_is_matched(reference):
    text = (
        "Une convention de partenariat a été signée à Oujda entre le ministère de la Santé et le Conseil "
        "de la région de l'Oriental pour la construction d'un hôpital provincial à Jerada."
    )
    [proposal] = proposals(DraftReading(text))
    assert "MSPS" in codes(proposal.partners)


def test_a_text_far_longer_than_an_article_offers_a_bounded_number_of_rows(reference):
    from shiraka.intake.proposal import MAX_ROWS

    sentence = (
        "وقعت وزارة الصحة اتفاقية شراكة بحضور السيد محمد العلوي عامل إقليم جرادة لبناء مستشفى القرب بجرادة.\n"
    )
    text = "".join(sentence.replace("محمد العلوي", f"محمد العلوي {n}") for n in range(60))
    [proposal, *_] = proposals(DraftReading(text))
    assert len(proposal.attendees) <= MAX_ROWS
    assert proposal.left_out > 0
