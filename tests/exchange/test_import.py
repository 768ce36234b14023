"""The import (issue 11): all rows or none, every bad row named by sheet, line and column in the
reader's language; files refused as a whole with a clear message; permissions as in the forms."""

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from shiraka.accounts.models import Membership
from shiraka.agreements.models import Agreement, Partnership, Transfer
from shiraka.exchange.imports import import_workbook
from shiraka.projects.models import Project
from tests import factories
from tests.factories import sheet_headers, workbook_bytes

pytestmark = pytest.mark.django_db
Role = Membership.Role

AGREEMENT_KEYS = ["reference", "kind", "title_fr", "signed_on", "total_amount", "status", "province"]
PARTNER_KEYS = ["agreement", "organisation", "committed_amount"]


@pytest.fixture
def place(reference):
    return factories.province("09.273")


@pytest.fixture
def secretariat(place):
    return factories.member(Role.SECRETARIAT, province=place, username="sec-inezgane")


@pytest.fixture
def partners(reference):
    return factories.organisation("Ministère test"), factories.organisation("Conseil test")


def run(content: bytes, user, *, dry_run=False, language="fr", name="file.xlsx"):
    file = io.BytesIO(content)
    file.name = name
    with translation.override(language):
        return import_workbook(file, user, dry_run=dry_run)


def agreements_workbook(partners, last_commitment: str) -> bytes:
    ministry, council = partners
    return workbook_bytes(
        {
            "Conventions": [
                sheet_headers("agreements", AGREEMENT_KEYS),
                # Kinds and statuses as labels or keys, the province in Arabic or in French.
                [
                    "IMP-1",
                    "Convention de partenariat",
                    "Santé 1",
                    "15/01/2024",
                    "1 000 000,00",
                    "signed",
                    "إنزكان-آيت ملول",
                ],
                [
                    "IMP-2",
                    "partnership",
                    "Santé 2",
                    date(2024, 2, 1),
                    500000,
                    "Signée",
                    "Inezgane-Aït Melloul",
                ],
            ],
            "Partenaires": [
                sheet_headers("partners", PARTNER_KEYS),
                ["IMP-1", ministry.name_fr, "400 000"],
                ["IMP-1", council.name_ar, "600.000,00"],
                ["IMP-2", ministry.name_ar, last_commitment],
            ],
        }
    )


def test_a_bad_last_row_writes_nothing_and_names_its_line(secretariat, partners):
    before = (Agreement.objects.count(), Partnership.objects.count())
    report = run(agreements_workbook(partners, "2 000 000"), secretariat)
    assert not report.written
    assert [(e.sheet, e.line, e.column) for e in report.errors] == [("Partenaires", 4, "Engagement (DH)")]
    assert "dépasseraient le montant total" in report.errors[0].message  # the service's rule, in French
    assert (Agreement.objects.count(), Partnership.objects.count()) == before


def test_the_same_workbook_fixed_writes_every_row_with_its_author(secretariat, partners):
    report = run(agreements_workbook(partners, "500 000"), secretariat)
    assert report.errors == []
    assert report.written
    assert report.counts()["create"] == 5
    first = Agreement.objects.get(reference="IMP-1")
    assert first.total_amount == Decimal("1000000.00")
    assert first.signed_on == date(2024, 1, 15)
    assert first.province.code == "09.273" and first.status == "signed"
    assert Agreement.objects.get(reference="IMP-2").province.code == "09.273"
    assert sorted(p.committed_amount for p in first.partnerships.all()) == [
        Decimal("400000"),
        Decimal("600000"),
    ]
    assert first.history.earliest().history_user == secretariat


def test_a_dry_run_reports_what_it_would_write_and_writes_nothing(secretariat, partners):
    report = run(agreements_workbook(partners, "500 000"), secretariat, dry_run=True)
    assert report.errors == [] and not report.written
    assert [(o.sheet, o.line, o.action, o.label) for o in report.outcomes][:2] == [
        ("Conventions", 2, "create", "IMP-1"),
        ("Conventions", 3, "create", "IMP-2"),
    ]
    assert not Agreement.objects.filter(reference__startswith="IMP-").exists()


def test_a_second_import_changes_only_what_differs(secretariat, partners):
    run(agreements_workbook(partners, "500 000"), secretariat)
    again = run(agreements_workbook(partners, "450 000"), secretariat, dry_run=True)
    assert again.counts() == {"create": 0, "change": 1, "unchanged": 4, "skip": 0}
    changed = next(o for o in again.outcomes if o.action == "change")
    assert changed.line == 4 and changed.changes == ["Engagement (DH)"]


def test_an_empty_file_and_a_file_without_rows_are_refused(secretariat):
    assert [e.message for e in run(b"", secretariat).errors] == ["Ce fichier est vide."]
    headers_only = workbook_bytes({"Conventions": [sheet_headers("agreements", AGREEMENT_KEYS)]})
    assert [e.message for e in run(headers_only, secretariat).errors] == [
        "Ce fichier ne contient aucune ligne à importer."
    ]


def test_a_zip_bomb_is_refused_before_any_reader_opens_it(secretariat):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            zeros = b"\0" * (1024 * 1024)
            for _ in range(210):
                member.write(zeros)
    assert len(buffer.getvalue()) < 1024 * 1024
    report = run(buffer.getvalue(), secretariat)
    assert [e.message for e in report.errors] == ["Ce document est trop volumineux une fois décompressé."]


def test_formulas_are_named_cell_by_cell_and_nothing_is_written(secretariat, partners):
    content = workbook_bytes(
        {
            "Conventions": [
                sheet_headers("agreements", AGREEMENT_KEYS),
                [
                    "IMP-9",
                    "partnership",
                    "Santé",
                    "15/01/2024",
                    "=1000*1000",
                    "signed",
                    "Inezgane-Aït Melloul",
                ],
            ]
        }
    )
    report = run(content, secretariat)
    assert [(e.line, e.column) for e in report.errors] == [(2, "Montant total (DH)")]
    assert "formule" in report.errors[0].message
    assert not Agreement.objects.filter(reference="IMP-9").exists()


def test_a_windows_1256_csv_is_refused_with_how_to_save_it(secretariat):
    text = (
        ",".join(sheet_headers("projects", ["reference", "agreement", "category"], "ar"))
        + "\nP-1,A-1,مركز صحي\n"
    )
    report = run(text.encode("cp1256"), secretariat, language="ar", name="projets.csv")
    assert len(report.errors) == 1
    assert "Windows-1256" in report.errors[0].message and "UTF-8" in report.errors[0].message


def test_a_utf8_csv_with_arabic_headers_and_semicolons_imports(secretariat, place):
    agreement = factories.agreement_in_province(reference="CSV-A")
    headers = sheet_headers(
        "projects", ["reference", "agreement", "category", "province", "communes", "budget"], "ar"
    )
    rows = [
        ";".join(headers),
        "CSV-P1;CSV-A;مركز صحي;Inezgane-Aït Melloul;إنزكان؛ Ait Melloul;1 200 000,50",
    ]
    report = run(
        ("\ufeff" + "\n".join(rows) + "\n").encode("utf-8"), secretariat, language="ar", name="p.csv"
    )
    assert report.errors == [] and report.written
    project = Project.objects.get(reference="CSV-P1")
    assert project.agreement == agreement and project.budget == Decimal("1200000.50")
    assert sorted(c.name_fr for c in project.communes.all()) == ["Ait Melloul", "Inezgane"]


def test_unknown_names_and_bad_cells_are_each_named(secretariat, partners):
    content = workbook_bytes(
        {
            "Conventions": [
                sheet_headers("agreements", AGREEMENT_KEYS),
                ["IMP-5", "bilatérale", "X", "31/02/2024", "abc", "signed", "Atlantis"],
            ]
        }
    )
    report = run(content, secretariat)
    columns = {e.column for e in report.errors}
    assert columns == {"Type", "Date de signature", "Montant total (DH)", "Préfecture ou province"}
    assert all(e.line == 2 and e.sheet == "Conventions" for e in report.errors)


def test_a_focal_point_cannot_import_another_organisations_transfer(place):
    agreement = factories.agreement_in_province(reference="TR-1")
    own = factories.partner_with_schedule(agreement, committed="500000.00", name="Partenaire A")
    other = factories.partner_with_schedule(agreement, committed="500000.00", name="Partenaire B")
    focal = factories.member(Role.FOCAL_POINT, organisation=own.organisation, username="focal-a")
    headers = sheet_headers(
        "transfers", ["agreement", "organisation", "transferred_on", "amount", "reference"]
    )

    def transfers(partner):
        return workbook_bytes(
            {"Virements": [headers, ["TR-1", partner.organisation.name_fr, "10/03/2024", "100 000", "OV-1"]]}
        )

    refused = run(transfers(other), focal)
    assert [(e.line, e.message) for e in refused.errors] == [
        (2, "Vous ne pouvez pas enregistrer les virements de ce partenaire.")
    ]
    assert not Transfer.objects.exists()
    accepted = run(transfers(own), focal)
    assert accepted.written and Transfer.objects.get().partnership == own
    assert run(transfers(own), focal, dry_run=True).counts()["unchanged"] == 1


def test_a_viewer_changes_nothing(place, partners):
    viewer = factories.member(Role.VIEWER, organisation=partners[0], username="viewer-x")
    report = run(agreements_workbook(partners, "500 000"), viewer)
    assert report.errors and not report.written
    assert not Agreement.objects.filter(reference__startswith="IMP-").exists()


def test_a_filled_projects_template_writes_projects_funding_milestones_and_progress(place):
    from openpyxl import load_workbook

    from shiraka.exchange.templates import write_template

    agreement = factories.agreement_in_province(reference="TPL-A")
    owner = factories.partner_with_schedule(
        agreement, committed="500000.00", name="Maître d'ouvrage"
    ).organisation
    editor = factories.member(Role.PROJECT_EDITOR, organisation=owner, username="editor-tpl")
    secretariat = factories.member(Role.SECRETARIAT, province=place, username="sec-tpl")
    buffer = io.BytesIO()
    write_template("projects", buffer, language="ar")
    workbook = load_workbook(buffer)
    assert workbook.sheetnames[-1] == "تعليمات"
    headers = {sheet.title: [c.value for c in sheet[1]] for sheet in workbook.worksheets[:3]}

    def put(title, values: dict):
        workbook[title].append([values.get(h) for h in headers[title]])

    projects, funding, milestones = workbook.sheetnames[:3]
    put(
        projects,
        {
            "المرجع": "TPL-P1",
            "الاتفاقية": "TPL-A",
            "الفئة": "مركز صحي",
            "صاحب المشروع": owner.name_ar,
            "الميزانية (بالدرهم)": 300000,
            "عمالة أو إقليم": "إنزكان-آيت ملول",
        },
    )
    put(
        funding,
        {headers[funding][0]: "TPL-P1", headers[funding][1]: owner.name_fr, headers[funding][2]: "300 000"},
    )
    put(
        milestones,
        {
            headers[milestones][0]: "TPL-P1",
            headers[milestones][1]: "studies",
            headers[milestones][2]: "01/09/2024",
        },
    )
    filled = io.BytesIO()
    workbook.save(filled)
    report = run(filled.getvalue(), secretariat, language="ar")
    assert report.errors == [] and report.counts()["create"] == 3
    project = Project.objects.get(reference="TPL-P1")
    assert project.owner == owner and project.fundings.get().amount == Decimal("300000")
    assert project.milestones.get().planned_on == date(2024, 9, 1)

    progress = workbook_bytes(
        {
            "Avancement": [
                sheet_headers("progress", ["project", "reported_on", "physical_progress", "note"]),
                ["TPL-P1", "15/10/2024", "35", "Gros œuvre"],
            ]
        }
    )
    outsider = factories.member(
        Role.PROJECT_EDITOR, organisation=factories.organisation(), username="editor-out"
    )
    assert [e.message for e in run(progress, outsider).errors] == [
        "Vous ne pouvez pas modifier le projet TPL-P1."
    ]
    assert run(progress, editor).written
    project.refresh_from_db()
    assert project.physical_progress == 35
