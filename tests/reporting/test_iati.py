"""The IATI export validates against the official 2.03 schema, uses only codes of the IATI code lists
(which the schema does not check), links parents and children both ways and carries no draft."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from lxml import etree

from shiraka.agreements.models import Agreement
from shiraka.demo.synth import synth_generate
from shiraka.projects import services as projects
from shiraka.reporting import iati
from tests import factories

pytestmark = pytest.mark.django_db

SCHEMA_DIR = Path(__file__).resolve().parents[3] / "shared" / "iati-2.03"

# The code values of the IATI code lists (version 2.03) that the export may use.
CODE_LISTS = {
    "OrganisationRole": {"1", "2", "3", "4"},
    "OrganisationType": {
        "10",
        "11",
        "15",
        "21",
        "22",
        "23",
        "24",
        "30",
        "40",
        "60",
        "70",
        "71",
        "72",
        "73",
        "80",
        "90",
    },
    "ActivityStatus": {"1", "2", "3", "4", "5", "6"},
    "ActivityDateType": {"1", "2", "3", "4"},
    "TransactionType": {str(n) for n in range(1, 14)},
    "RelatedActivityType": {"1", "2", "3", "4", "5"},
    "SectorVocabulary": {"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "98", "99"},
    # DAC 5-digit purpose codes of the health, population and basic-health groups (122xx, 123xx, 130xx).
    "Sector": {
        "12110",
        "12181",
        "12182",
        "12191",
        "12196",
        "12220",
        "12230",
        "12240",
        "12250",
        "12261",
        "12262",
        "12263",
        "12264",
        "12281",
        "12310",
        "12320",
        "12330",
        "12340",
        "12350",
        "12382",
        "13010",
        "13020",
        "13030",
        "13040",
        "13081",
        "13096",
    },
    "GeographicVocabulary": {"A1", "A2", "A3", "A4", "A5", "A6", "A7", "A9", "G1", "G2"},
    "GeographicLocationClass": {"1", "2", "3", "4"},
    "GeographicExactness": {"1", "2"},
    "GeographicLocationReach": {"1", "2"},
    "Currency": {"MAD"},
    "Country": {"MA"},
    "Language": {"ar", "fr", "en"},
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def schema():
    path = SCHEMA_DIR / "iati-activities-schema.xsd"
    if not path.exists():  # as the corpus tests: the official schema sits in ../shared beside the repo
        pytest.skip(f"IATI 2.03 schema not found at {SCHEMA_DIR}")
    return etree.XMLSchema(etree.parse(str(path)))


def export(agreements=None) -> etree._Element:
    content = iati.activities_xml(agreements if agreements is not None else Agreement.objects.all())
    document = etree.fromstring(content)
    validator = schema()
    assert validator.validate(document), [str(e) for e in validator.error_log][:5]
    return document


def codes(document, xpath: str) -> set[str]:
    return set(document.xpath(xpath))


def test_the_constants_come_from_the_code_lists():
    assert set(iati.ORGANISATION_TYPES.values()) <= CODE_LISTS["OrganisationType"]
    assert (
        set(iati.AGREEMENT_STATUSES.values()) | set(iati.PROJECT_STATUSES.values())
        <= CODE_LISTS["ActivityStatus"]
    )
    assert {str(code) for code in iati.DAC_SECTORS.values()} <= CODE_LISTS["Sector"]
    assert {iati.ROLE_FUNDING, iati.ROLE_EXTENDING, iati.ROLE_IMPLEMENTING} <= CODE_LISTS["OrganisationRole"]


def test_demo_and_synthetic_portfolio_validate_with_listed_codes(seeds):
    synth_generate(agreements=12, seed=61, show_progress=False)
    document = export()
    assert codes(document, "//participating-org/@role") <= CODE_LISTS["OrganisationRole"]
    assert (
        codes(document, "//participating-org/@type | //provider-org/@type | //receiver-org/@type")
        <= CODE_LISTS["OrganisationType"]
    )
    assert codes(document, "//activity-status/@code") <= CODE_LISTS["ActivityStatus"]
    assert codes(document, "//activity-date/@type") <= CODE_LISTS["ActivityDateType"]
    assert codes(document, "//transaction-type/@code") <= {"1", "2", "3", "11"}
    assert codes(document, "//related-activity/@type") <= {"1", "2"}
    assert codes(document, "//sector/@code") <= CODE_LISTS["Sector"]
    assert codes(document, "//sector/@vocabulary") <= CODE_LISTS["SectorVocabulary"]
    assert codes(document, "//administrative/@vocabulary") <= CODE_LISTS["GeographicVocabulary"]
    assert codes(document, "//location-class/@code") <= CODE_LISTS["GeographicLocationClass"]
    assert codes(document, "//exactness/@code") <= CODE_LISTS["GeographicExactness"]
    assert codes(document, "//@currency | //@default-currency") <= CODE_LISTS["Currency"]
    assert codes(document, "//recipient-country/@code") <= CODE_LISTS["Country"]
    assert {node.get(XML_LANG) for node in document.iter("narrative") if node.get(XML_LANG)} <= CODE_LISTS[
        "Language"
    ]
    # Each activity's sectors add up to 100 %.
    for activity in document.iter("iati-activity"):
        assert sum(int(s.get("percentage")) for s in activity.iter("sector")) == 100


def test_parents_and_children_point_at_each_other_and_money_is_exported(seeds):
    agreement = factories.agreement_in_province(title_ar="اتفاقية", title_fr="Convention", is_published=True)
    partner = factories.partner_with_schedule(
        agreement, committed="300000.00", transfers=[(date(2024, 3, 1), "120000.00")]
    )
    project = factories.project(agreement)
    contract = projects.contract_sign(
        project=project,
        kind="works",
        amount=Decimal("80000.00"),
        contractor_name="BTP",
        signed_on=date(2024, 4, 1),
    )
    projects.payment_record(contract=contract, paid_on=date(2024, 5, 1), amount=Decimal("20000.00"))
    document = export(Agreement.objects.filter(pk=agreement.pk))
    parent_id = f"{iati.REPORTING_ORG_REF}-{agreement.reference}"
    child_id = f"{iati.REPORTING_ORG_REF}-{project.reference}"
    parent = document.xpath(f"//iati-activity[iati-identifier='{parent_id}']")[0]
    child = document.xpath(f"//iati-activity[iati-identifier='{child_id}']")[0]
    assert parent.get("hierarchy") == "1" and child.get("hierarchy") == "2"
    assert parent.xpath("related-activity[@type='2']/@ref") == [child_id]
    assert child.xpath("related-activity[@type='1']/@ref") == [parent_id]
    money = {
        (t.find("transaction-type").get("code"), t.find("value").text)
        for activity in (parent, child)
        for t in activity.iter("transaction")
    }
    assert money == {("11", "300000.00"), ("1", "120000.00"), ("2", "80000.00"), ("3", "20000.00")}
    assert parent.xpath("title/narrative[@xml:lang='fr']/text()") == ["Convention"]
    assert partner.organisation.name_fr in parent.xpath("participating-org/narrative/text()")


def test_drafts_and_amendments_are_not_activities(seeds):
    draft = factories.agreement_in_province(title_fr="Brouillon")
    Agreement.objects.filter(pk=draft.pk).update(status="draft")
    # (An export of nothing is not a valid IATI file: the schema wants one activity at least.)
    document = etree.fromstring(iati.activities_xml(Agreement.objects.filter(pk=draft.pk)))
    assert document.findall("iati-activity") == []


def test_command_writes_the_file_and_refuses_unknown_references(seeds, tmp_path):
    target = tmp_path / "iati.xml"
    call_command("export_iati", "--output", str(target))
    assert schema().validate(etree.parse(str(target)))
    with pytest.raises(CommandError) as refused:
        call_command("export_iati", "--output", str(target), "--agreement", "NOPE-1")
    assert "NOPE-1" in str(refused.value) and refused.value.returncode == 2


def test_open_data_file_carries_published_agreements_only(client, seeds):
    hidden = factories.agreement_in_province(title_fr="Interne", is_published=False)
    response = client.get("/fr/open-data/iati.xml")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    document = etree.fromstring(response.content)
    assert schema().validate(document)
    identifiers = document.xpath("//iati-identifier/text()")
    assert identifiers and f"{iati.REPORTING_ORG_REF}-{hidden.reference}" not in identifiers
