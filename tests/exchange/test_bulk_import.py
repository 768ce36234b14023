"""The import's bulk path (issue 12): new projects checked by the same rules as the form, written all
at once with their history and author; one bad row among many refuses the whole file with its line."""

import gc
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from shiraka.accounts.models import Membership
from shiraka.core.history import page_history
from shiraka.exchange.imports import import_workbook
from shiraka.portfolio.figures import verify_figures
from shiraka.portfolio.models import AgreementFigures
from shiraka.projects.models import Project
from shiraka.projects.services import project_create
from tests import factories
from tests.factories import sheet_headers, workbook_bytes

pytestmark = pytest.mark.django_db
KEYS = [
    "reference",
    "agreement",
    "title_fr",
    "category",
    "province",
    "budget",
    "planned_start",
    "planned_end",
]


@pytest.fixture
def secretariat(reference):
    place = factories.province("09.273")
    user = factories.member(Membership.Role.SECRETARIAT, province=place, username="sec-bulk")
    user.first_name, user.last_name = "Salma", "Bennani"
    user.save()
    return user


@pytest.fixture
def agreement(secretariat):
    return factories.agreement_in_province(reference="BULK-A", total="900000000.00")


def project_row(number: int, **changes) -> list:
    row = {
        "reference": f"BULK-P{number:03d}",
        "agreement": "BULK-A",
        "title_fr": f"Centre de santé n° {number}",
        "category": "Centre de santé",
        "province": "إنزكان-آيت ملول" if number % 2 else "Inezgane-Aït Melloul",
        "budget": f"{100_000 + number:,}".replace(",", " ") + f",{number % 100:02d}",
        "planned_start": "01/03/2025",
        "planned_end": "30/06/2026",
    }
    row.update(changes)
    return [row[key] for key in KEYS]


def run(rows: list, user, *, dry_run=False, language="fr"):
    content = workbook_bytes({"Projets": [sheet_headers("projects", KEYS, language), *rows]})
    file = io.BytesIO(content)
    file.name = "projets.xlsx"
    with translation.override(language):
        return import_workbook(file, user, dry_run=dry_run)


def test_many_rows_are_written_with_exact_money_history_and_author(secretariat, agreement):
    rows = [project_row(n) for n in range(1, 121)]
    report = run(rows, secretariat)
    assert report.errors == [] and report.written
    assert report.counts()["create"] == 120
    assert [o.line for o in report.outcomes] == list(range(2, 122))
    projects = Project.objects.filter(agreement=agreement)
    assert projects.count() == 120
    first = projects.get(reference="BULK-P001")
    assert first.budget == Decimal("100001.01") and first.province.code == "09.273"
    assert first.region_id == first.province.region_id and first.status == "planned"
    assert first.search_text == first.build_search_text()  # found by the list's search
    expected = sum(Decimal(f"{100_000 + n}.{n % 100:02d}") for n in range(1, 121))
    assert sum(p.budget for p in projects) == expected
    # One "created" history row each, by the importer, read by the page as a single save's.
    assert all(p.history.count() == 1 for p in projects)
    created = first.history.get()
    assert created.history_type == "+" and created.history_user == secretariat
    assert created.budget == first.budget and created.created_at == first.created_at
    with translation.override("fr"):
        [entry] = page_history(first, shown=True)
    assert (entry.action, entry.who, entry.is_own) == ("created", "Salma Bennani", True)
    # The kept figures of the agreement count the new projects, exact to the centime.
    figures = AgreementFigures.objects.get(pk=agreement.pk)
    assert figures.projects == 120 and figures.budget == expected
    assert verify_figures() == []


def test_the_history_reads_like_that_of_a_project_made_by_the_form(secretariat, agreement):
    run([project_row(1)], secretariat)
    by_form = project_create(
        by=secretariat,
        agreement=agreement,
        reference="BULK-FORM",
        title_fr="Centre de santé n° 1",
        category="health_centre",
        province=factories.province("09.273"),
        budget="100001.01",
    )
    imported = Project.objects.get(reference="BULK-P001")
    with translation.override("ar"):
        entries = [page_history(p, shown=True) for p in (imported, by_form)]
    assert [(e.action, e.who, e.record, e.changes) for e in entries[0]] == [
        (e.action, e.who, e.record, e.changes) for e in entries[1]
    ]


def test_one_bad_row_among_many_refuses_the_file_with_its_line_and_the_forms_message(secretariat, agreement):
    rows = [project_row(n) for n in range(1, 81)]
    rows[56] = project_row(57, planned_start="01/07/2026", planned_end="01/01/2026")  # line 58
    report = run(rows, secretariat)
    assert not report.written
    assert [(e.sheet, e.line, e.column) for e in report.errors] == [("Projets", 58, "Fin prévue")]
    with translation.override("fr"):
        with pytest.raises(ValidationError) as refused:
            project_create(
                agreement=agreement,
                reference="X",
                category="health_centre",
                planned_start=date(2026, 7, 1),
                planned_end=date(2026, 1, 1),
            )
        assert report.errors[0].message == refused.value.message_dict["planned_end"][0]
    assert not Project.objects.filter(agreement=agreement).exists()


def test_the_models_own_checks_name_each_bad_row(secretariat, agreement):
    other = factories.agreement_in_province(reference="BULK-OTHER", code="01.151")
    factories.project(other)  # BULK-OTHER-P1
    rows = [project_row(n) for n in range(1, 41)]
    rows[9] = project_row(10, reference="R" * 61)  # line 11: longer than the field allows
    rows[19] = project_row(20, reference="BULK-OTHER-P1")  # line 21: another agreement's project
    rows[29] = project_row(30, budget="-5")  # line 31: a negative amount
    report = run(rows, secretariat)
    assert not report.written
    assert [(e.line, e.column) for e in report.errors] == [
        (11, "Référence"),
        (21, "Convention"),
        (31, "Budget (DH)"),
    ]
    assert "60 caractères" in report.errors[0].message
    assert "BULK-OTHER" in report.errors[1].message  # references stay unique: no second BULK-OTHER-P1
    assert not Project.objects.filter(agreement=agreement).exists()


def test_a_reference_repeated_in_the_file_changes_the_project_its_first_row_created(secretariat, agreement):
    rows = [project_row(1), project_row(2), project_row(1, title_fr="Centre renommé")]
    report = run(rows, secretariat)
    assert report.errors == [] and report.written
    assert [(o.line, o.action) for o in report.outcomes] == [(2, "create"), (3, "create"), (4, "change")]
    project = Project.objects.get(reference="BULK-P001")
    assert project.title_fr == "Centre renommé"
    assert list(project.history.order_by("history_id").values_list("history_type", flat=True)) == ["+", "~"]


def test_a_dry_run_of_many_rows_writes_nothing(secretariat, agreement):
    report = run([project_row(n) for n in range(1, 31)], secretariat, dry_run=True)
    assert report.errors == [] and not report.written and report.counts()["create"] == 30
    assert not Project.objects.filter(agreement=agreement).exists()
    assert not Project.history.filter(reference__startswith="BULK-P").exists()
    assert gc.isenabled()  # held off while the rows were read and checked, not after
