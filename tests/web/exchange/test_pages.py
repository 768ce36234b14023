"""The import and export pages (issue 11): templates, upload → check → preview → confirm, the refusals
on the page, the background job with its progress, and the export links of the list pages."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from openpyxl import load_workbook

from shiraka.accounts.models import Membership
from shiraka.agreements.models import Agreement
from shiraka.exchange.models import ImportJob
from shiraka.projects.models import Project
from tests import factories
from tests.factories import page_text, sheet_headers, url, workbook_bytes

pytestmark = pytest.mark.django_db
Role = Membership.Role
KEYS = ["reference", "kind", "title_fr", "signed_on", "total_amount", "status", "province"]
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def secretariat(client, reference):
    user = factories.member(Role.SECRETARIAT, province=factories.province("09.273"), username="sec-web")
    client.force_login(user)
    return user


def upload(client, rows, language="fr"):
    content = workbook_bytes({"Conventions": [sheet_headers("agreements", KEYS, language), *rows]})
    file = SimpleUploadedFile("conventions.xlsx", content)
    return client.post(url("import", language=language), {"file": file})


GOOD = [
    ["WEB-1", "partnership", "Un", "15/01/2024", "1 000 000", "signed", "Inezgane-Aït Melloul"],
    ["WEB-2", "partnership", "Deux", "16/01/2024", "2 000 000", "signed", "إنزكان-آيت ملول"],
]


def test_the_import_page_is_for_those_who_may_write(client, reference):
    assert client.get(url("import")).status_code == 302  # to the login page
    client.force_login(factories.member(Role.VIEWER, username="viewer-web"))
    assert client.get(url("import")).status_code == 403
    client.force_login(
        factories.member(Role.FOCAL_POINT, organisation=factories.organisation(), username="fp-web")
    )
    assert client.get(url("import")).status_code == 200


def test_each_template_has_headers_in_the_readers_language_and_instructions(client, secretariat):
    response = client.get(url("import_template", "projects", language="fr"))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["Projets", "Financements", "Jalons", "Instructions"]
    assert workbook["Projets"]["A1"].value == "Référence"
    arabic = load_workbook(
        io.BytesIO(b"".join(client.get(url("import_template", "transfers", language="ar")).streaming_content))
    )
    assert arabic.sheetnames[0] == "التحويلات" and arabic.worksheets[0].sheet_view.rightToLeft


def test_upload_shows_what_will_be_written_then_confirm_writes_it(client, secretariat):
    response = upload(client, GOOD)
    assert response.status_code == 302
    job_page = client.get(response["Location"])
    text = page_text(job_page)
    assert "WEB-1" in text and "WEB-2" in text and "Confirmer et enregistrer toutes les lignes" in text
    assert not Agreement.objects.filter(reference__startswith="WEB-").exists()
    job = ImportJob.objects.get()
    confirmed = client.post(url("import_confirm", job.pk))
    assert confirmed.status_code == 302
    assert Agreement.objects.filter(reference__startswith="WEB-").count() == 2
    assert "data-import-done" in page_text(client.get(confirmed["Location"]))
    # Confirmed once: a second confirmation writes nothing more.
    client.post(url("import_confirm", job.pk))
    assert Agreement.objects.filter(reference__startswith="WEB-").count() == 2


def test_a_bad_row_is_shown_with_its_line_and_column_and_nothing_can_be_confirmed(client, secretariat):
    response = upload(
        client, [*GOOD, ["WEB-3", "partnership", "Trois", "32/01/2024", "1 000", "signed", "Inezgane"]]
    )
    text = page_text(client.get(response["Location"]))
    assert (
        "data-import-errors" in text
        and "Date de signature" in text
        and "Cette date n&#x27;existe pas" not in text
    )
    assert "Cette date n'existe pas" in text and "<td>4</td>" in text.replace(" ", "")
    assert "Confirmer et enregistrer" not in text
    job = ImportJob.objects.get()
    client.post(url("import_confirm", job.pk))
    assert not Agreement.objects.filter(reference__startswith="WEB-").exists()


def test_someone_elses_job_is_missing(client, secretariat, reference):
    response = upload(client, GOOD)
    client.force_login(factories.member(Role.ADMINISTRATOR, username="admin-web"))
    assert client.get(response["Location"]).status_code == 404


@override_settings(SHIRAKA_IMPORT_BACKGROUND_BYTES=0)
def test_a_large_file_is_checked_and_written_by_the_worker(client, secretariat, monkeypatch):
    # The worker closes its connections between tasks; the test's transaction must survive it.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    response = upload(client, GOOD)
    job = ImportJob.objects.get()
    assert job.background and job.state == ImportJob.State.QUEUED
    progress = client.get(url("import_progress", job.pk), HTTP_HX_REQUEST="true")
    assert 'data-hx-trigger="every 1s"' in page_text(progress)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    job.refresh_from_db()
    assert job.state == ImportJob.State.CHECKED
    finished = client.get(url("import_progress", job.pk), HTTP_HX_REQUEST="true")
    assert finished["HX-Refresh"] == "true"
    assert "WEB-2" in page_text(client.get(response["Location"]))
    with override_settings(TASKS=IMMEDIATE):
        client.post(url("import_confirm", job.pk))
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE
    assert Agreement.objects.filter(reference__startswith="WEB-").count() == 2


def test_list_pages_export_with_their_filters(client, seeds):
    page = page_text(client.get(url("agreements") + "?q=كلميم"))
    assert "format=csv" in page and "q=%D9%83" in page
    csv_text = b"".join(
        client.get(url("export", "agreements") + "?q=كلميم&format=csv").streaming_content
    ).decode()
    assert (
        csv_text.startswith("\ufeff")
        and "GON-2023-SANTE-443" in csv_text
        and "IAM" not in csv_text.split("\n", 1)[1][:3]
    )
    rows = json.loads(b"".join(client.get(url("export", "projects") + "?format=json").streaming_content))
    assert len(rows) == Project.objects.filter(agreement__is_published=True).count() >= 14
    response = client.get(url("export_transfers", "GON-2023-SANTE-443") + "?format=xlsx")
    assert response.status_code == 200


def test_anonymous_visitors_export_published_records_only(client, seeds):
    Agreement.objects.filter(reference="GON-2023-SANTE-443").update(is_published=False)
    csv_text = b"".join(client.get(url("export", "agreements") + "?format=csv").streaming_content).decode()
    assert "GON-2023-SANTE-443" not in csv_text
    assert client.get(url("export_transfers", "GON-2023-SANTE-443") + "?format=csv").status_code == 404
    assert client.get(url("export", "alerts") + "?format=csv").status_code == 302  # login first


HOSTILE = ["9" * 25, "%00", "%ED%A0%80", "x" * 5000, "-" + "9" * 20, "abc"]


def test_hostile_query_strings_never_break_an_export(client, seeds):
    client.raise_request_exception = False
    client.force_login(seeds)
    paths = [url("export", "agreements"), url("export", "projects"), url("export", "alerts")]
    paths += [url("export_transfers", "GON-2023-SANTE-443"), url("export_commitments", 1)]
    names = [
        "q",
        "region",
        "province",
        "programme",
        "kind",
        "status",
        "partner",
        "year",
        "sort",
        "owner",
        "format",
    ]
    broken = []
    for path in paths:
        for name in names:
            for raw in HOSTILE:
                response = client.get(
                    path, QUERY_STRING=f"{name}={raw}&format=csv" if name != "format" else f"format={raw}"
                )
                if response.status_code >= 500:
                    broken.append((path, name, raw[:10], response.status_code))
                elif hasattr(response, "streaming_content"):
                    b"".join(response.streaming_content)
    assert broken == []
