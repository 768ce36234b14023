"""Exports (issue 11): typed XLSX cells, a right-to-left sheet in Arabic, headers in the reader's
language, a frozen header row, CSV with a BOM, JSON; no formula ever written; published records only
for anonymous visitors; memory flat over many rows; and the round trip of the seeds through the import."""

import csv
import gc
import io
import json
import tracemalloc
from datetime import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from openpyxl import load_workbook

from shiraka.agreements.models import Agreement, Partnership, ScheduledContribution, Transfer
from shiraka.core.bulk import insert_rows
from shiraka.exchange.exports import export_sheets
from shiraka.exchange.imports import import_workbook
from shiraka.exchange.selection import export_source
from shiraka.exchange.writers import csv_chunks, json_chunks, write_xlsx
from shiraka.followup.models import Committee, Decision
from shiraka.projects.models import Contract, Milestone, Payment, ProgressUpdate, Project, ProjectFunding
from tests import factories

pytestmark = pytest.mark.django_db


def xlsx(kind, source, language="ar") -> bytes:
    buffer = io.BytesIO()
    write_xlsx(export_sheets(kind, source, language=language, members=True), buffer, language=language)
    return buffer.getvalue()


def csv_text(kind, source, language="fr") -> str:
    return "".join(
        csv_chunks(*export_sheets(kind, source, language=language, members=True)[0], language=language)
    )


def test_xlsx_cells_are_typed_right_to_left_in_arabic_with_a_frozen_header(seeds):
    workbook = load_workbook(io.BytesIO(xlsx("agreements", Agreement.objects.all())))
    sheet = workbook["الاتفاقيات"]
    assert sheet.sheet_view.rightToLeft is True
    assert sheet.freeze_panes == "A2"
    headers = [cell.value for cell in sheet[1]]
    assert headers[:2] == ["المرجع", "النوع"]
    row = {headers[i]: cell for i, cell in enumerate(sheet[2])}
    total = row["المبلغ الإجمالي (بالدرهم)"]
    assert total.data_type == "n" and Decimal(repr(total.value)) in {
        Decimal("443000000"),
        Decimal("290000000"),
    }
    assert isinstance(row["تاريخ التوقيع"].value, datetime)
    assert workbook.sheetnames == ["الاتفاقيات", "الشركاء", "الجدولة"]
    french = load_workbook(io.BytesIO(xlsx("agreements", Agreement.objects.all(), "fr")))
    assert french["Conventions"].sheet_view.rightToLeft is not True
    assert french["Conventions"]["A1"].value == "Référence"


def test_no_text_is_ever_written_as_a_formula(reference):
    for number, text in enumerate(['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)"]):
        factories.agreement(reference=f"F-{number}", title_fr=text)
    workbook = load_workbook(io.BytesIO(xlsx("agreements", Agreement.objects.all(), "fr")))
    cells = [cell for row in workbook["Conventions"].iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert '=HYPERLINK("http://x")' in [cell.value for cell in cells]
    rows = list(csv.reader(io.StringIO(csv_text("agreements", Agreement.objects.all()).lstrip("\ufeff"))))
    titles = {row[4] for row in rows[1:]}
    assert titles == {'\'=HYPERLINK("http://x")', "'+1+1", "'-2+3", "'@SUM(A1)"}


def test_csv_has_a_bom_and_json_is_exact(seeds):
    text = csv_text("agreements", Agreement.objects.all())
    assert text.startswith("\ufeffRéférence,Type,")
    rows = json.loads(
        "".join(
            json_chunks(
                *export_sheets("agreements", Agreement.objects.all(), language="en", members=True)[0],
                language="en",
            )
        )
    )
    guelmim = next(r for r in rows if r["reference"] == "GON-2023-SANTE-443")
    assert guelmim["total_amount"] == 443000000 and guelmim["signed_on"] == "2023-11-06"
    assert guelmim["is_published"] is True and guelmim["project_count"] == 14


def test_anonymous_visitors_export_published_records_only(seeds):
    Agreement.objects.filter(reference="GON-2023-SANTE-443").update(is_published=False)
    public = export_source("agreements", AnonymousUser(), {})
    assert "GON-2023-SANTE-443" not in csv_text("agreements", public)
    projects = export_source("projects", AnonymousUser(), {})
    assert not projects.filter(agreement__reference="GON-2023-SANTE-443").exists()
    member = export_source("agreements", seeds, {"q": "كلميم"})
    assert "GON-2023-SANTE-443" in csv_text("agreements", member)


def _peak(rows: int) -> int:
    source = Project.objects.order_by("reference")[:rows]
    gc.collect()  # garbage of earlier tests is not this export's memory
    tracemalloc.start()
    for _chunk in csv_chunks(
        *export_sheets(
            "projects", Project.objects.filter(pk__in=source.values("pk")), language="fr", members=True
        )[0],
        language="fr",
    ):
        pass
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def test_memory_stays_flat_over_many_rows(reference):
    agreement = factories.agreement(reference="BIG")
    insert_rows(
        Project,
        [
            Project(
                agreement=agreement,
                reference=f"BIG-{n:05d}",
                title_fr=f"Projet {n}",
                category="health_centre",
                budget=Decimal("1000.50"),
            )
            for n in range(12000)
        ],
    )
    _peak(200)  # warm-up: lazy imports, translation catalogues and query compilation are not rows
    small, large = _peak(6000), _peak(12000)
    # Twice the rows, about the same memory: rows stream in chunks, they do not pile up.
    assert large < 1.3 * small, (small, large)


def _snapshot() -> dict:
    agreements = {
        a.reference: (
            a.kind,
            a.title_ar,
            a.title_fr,
            a.programme_id,
            a.signed_on,
            a.signed_place,
            a.start_on,
            a.end_on,
            a.total_amount,
            a.status,
            a.region_id,
            a.province_id,
            a.is_published,
            a.parent.reference if a.parent_id else None,
        )
        for a in Agreement.objects.select_related("parent")
    }
    partners = sorted(
        (
            p.agreement.reference,
            p.organisation_id,
            p.committed_amount,
            p.is_funder,
            p.is_project_owner,
            p.is_delegated_owner,
            p.is_technical_partner,
        )
        for p in Partnership.objects.select_related("agreement")
    )
    schedule = sorted(
        (s.partnership.agreement.reference, s.partnership.organisation_id, s.due_on, s.amount, s.note)
        for s in ScheduledContribution.objects.select_related("partnership__agreement")
    )
    projects = {
        p.reference: (
            p.agreement.reference,
            p.title_ar,
            p.title_fr,
            p.category,
            p.region_id,
            p.province_id,
            p.owner_id,
            p.delegated_owner_id,
            p.budget,
            p.status,
            p.planned_start,
            p.planned_end,
            p.beds,
            p.beneficiaries,
            sorted(c.pk for c in p.communes.all()),
        )
        for p in Project.objects.select_related("agreement").prefetch_related("communes")
    }
    funding = sorted(
        (f.project.reference, f.organisation_id, f.amount)
        for f in ProjectFunding.objects.select_related("project")
    )
    milestones = sorted(
        (m.project.reference, m.kind, m.planned_on, m.achieved_on, m.note)
        for m in Milestone.objects.select_related("project")
    )
    return {
        "agreements": agreements,
        "partners": partners,
        "schedule": schedule,
        "projects": projects,
        "funding": funding,
        "milestones": milestones,
    }


def _forget_everything() -> None:
    for model in (Payment, Contract, Transfer, Decision, ProgressUpdate, Project):
        model.objects.all().delete()
    Committee.agreements.through.objects.all().delete()
    Agreement.objects.exclude(parent=None).delete()
    Agreement.objects.all().delete()


def test_the_seeds_come_back_identical_through_export_and_import(seeds):
    before = _snapshot()
    assert before["agreements"] and before["projects"]
    files = [xlsx("agreements", Agreement.objects.all()), xlsx("projects", Project.objects.all(), "fr")]
    for content in files:  # on the same records: every row unchanged
        report = import_workbook(io.BytesIO(content), seeds, dry_run=True)
        assert (
            report.errors == []
            and set(report.counts())
            and report.counts()["create"] == report.counts()["change"] == 0
        )
    _forget_everything()
    for content in files:
        report = import_workbook(io.BytesIO(content), seeds, dry_run=False)
        assert report.errors == [] and report.written
    assert _snapshot() == before
