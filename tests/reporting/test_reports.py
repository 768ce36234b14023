"""Status reports: the figures of the pages, in the reader's language, as a PDF whose Arabic words
come out in reading order (checked through poppler's text extraction, which undoes the layout)."""

import html
import re
import shutil
import subprocess
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from shiraka.reporting.reports import ReportSubjectMissing, report_html, report_pdf
from tests import factories

pytestmark = pytest.mark.django_db
BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def a_case():
    agreement = factories.agreement_in_province(
        title_ar="اتفاقية شراكة لتأهيل المستشفى الإقليمي",
        title_fr="Convention de mise à niveau de l'hôpital",
        object_ar="تأهيل المستشفى وتجهيزه",
        object_fr="Mettre à niveau et équiper l'hôpital",
    )
    factories.partner_with_schedule(
        agreement,
        committed="400000.00",
        due=[(date(2024, 6, 30), "300000.00")],
        transfers=[(date(2024, 7, 1), "100000.00")],
        name="Conseil régional",
    )
    factories.project(agreement)
    return agreement


def pdf_text(content: bytes, tmp_path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils is not installed")
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout
    return BIDI_MARKS.sub("", text)


def test_french_report_is_in_french_with_the_figures(seeds):
    agreement = a_case()
    page = html.unescape(report_html("agreement", agreement.reference, language="fr"))
    assert "Rapport d'étape" in page and "Convention de mise à niveau de l'hôpital" in page
    assert "Conseil régional" in page and "Arriérés" in page
    assert "200\u00a0000,00\u00a0DH" in page  # arrears: 300,000 due − 100,000 transferred
    assert "Mettre à niveau et équiper l'hôpital" in page and "تأهيل المستشفى وتجهيزه" not in page
    assert "Status report" not in page


def test_arabic_pdf_reads_in_order_with_page_numbers(seeds, tmp_path):
    agreement = a_case()
    content = report_pdf("agreement", agreement.reference, language="ar")
    assert content.startswith(b"%PDF")
    text = pdf_text(content, tmp_path)
    assert "اتفاقية شراكة لتأهيل المستشفى الإقليمي" in text
    assert "تقرير حول وضعية التنفيذ" in text
    assert re.search(r"الصفحة\s*1\s*من\s*\d", text)


def test_region_province_and_partner_reports(seeds, tmp_path):
    agreement = a_case()
    partner = agreement.partnerships.get().organisation
    for kind, key in (
        ("province", agreement.province.code),
        ("region", agreement.region.code),
        ("partner", str(partner.pk)),
    ):
        text = pdf_text(report_pdf(kind, key, language="fr"), tmp_path)
        assert "Rapport d'étape" in text and "Page 1 sur" in text, kind


def test_unknown_subject_is_refused(seeds, tmp_path):
    with pytest.raises(ReportSubjectMissing):
        report_html("region", "99", language="fr")
    with pytest.raises(CommandError) as refused:
        call_command("report", "partner", "not-a-number", "--output", str(tmp_path / "x.pdf"))
    assert refused.value.returncode == 2 and not (tmp_path / "x.pdf").exists()


def test_command_writes_the_pdf(seeds, tmp_path):
    agreement = a_case()
    target = tmp_path / "report.pdf"
    call_command("report", "agreement", agreement.reference, "--language", "fr", "--output", str(target))
    assert target.read_bytes().startswith(b"%PDF")


def test_the_report_lists_the_alerts_of_its_agreements(seeds):
    agreement = a_case()
    page = html.unescape(report_html("agreement", agreement.reference, language="fr"))
    alerts = page.split("<h2>Alertes")[1]
    # 300,000 were due by 2024-06-30 and 100,000 transferred: the partner is in arrears.
    assert "Conseil régional" in alerts and "Aucune alerte." not in alerts
