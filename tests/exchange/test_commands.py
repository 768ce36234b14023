"""`shiraka import` and `shiraka export` do what the pages do: a refused file exits with code 2,
every bad row on stderr and nothing written; an export writes the file its format names."""

import json

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from shiraka.agreements.models import Agreement
from shiraka.projects.models import Project
from tests import factories
from tests.factories import sheet_headers, workbook_bytes

pytestmark = pytest.mark.django_db
KEYS = ["reference", "kind", "title_fr", "signed_on", "total_amount", "status"]


def workbook(tmp_path, rows):
    path = tmp_path / "conventions.xlsx"
    path.write_bytes(workbook_bytes({"Conventions": [sheet_headers("agreements", KEYS), *rows]}))
    return path


def test_a_refused_file_exits_2_with_every_bad_row_on_stderr(tmp_path, seeds, capsys):
    path = workbook(
        tmp_path,
        [
            ["CLI-1", "partnership", "Une", "01/02/2024", "1000", "signed"],
            ["CLI-2", "partnership", "Deux", "99/99/2024", "1000", "signed"],
            ["CLI-3", "nonsense", "Trois", "01/02/2024", "-5", "signed"],
        ],
    )
    with pytest.raises(SystemExit) as exit_:
        call_command("import", str(path), "--user", "demo", "--language", "fr")
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "Conventions, line 3, Date de signature: Cette date n'existe pas" in err
    assert "Conventions, line 4, Type:" in err and "Conventions, line 4, Montant total (DH):" in err
    assert not Agreement.objects.filter(reference__startswith="CLI-").exists()


def test_a_dry_run_writes_nothing_and_a_run_writes(tmp_path, seeds, capsys):
    path = workbook(tmp_path, [["CLI-9", "partnership", "Neuf", "01/02/2024", "1 000", "signed"]])
    call_command("import", str(path), "--dry-run", "--user", "demo")
    assert "1 to create" in capsys.readouterr().out
    assert not Agreement.objects.filter(reference="CLI-9").exists()
    call_command("import", str(path))  # the only superuser acts when no --user is given
    assert Agreement.objects.get(reference="CLI-9").history.earliest().history_user == seeds


def test_export_writes_each_format_with_the_pages_filters(tmp_path, seeds):
    call_command(
        "export", "agreements", "--format", "json", "--output", str(tmp_path / "a.json"), "--q", "كلميم"
    )
    rows = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert [row["reference"] for row in rows] == ["GON-2023-SANTE-443"]
    call_command(
        "export", "projects", "--format", "xlsx", "--output", str(tmp_path / "p.xlsx"), "--language", "fr"
    )
    sheet = load_workbook(tmp_path / "p.xlsx")["Projets"]
    assert sheet.max_row == 1 + Project.objects.filter(agreement__is_published=True).count() > 1
    call_command(
        "export",
        "transfers",
        "--format",
        "csv",
        "--output",
        str(tmp_path / "t.csv"),
        "--agreement",
        "GON-2023-SANTE-443",
    )
    assert (tmp_path / "t.csv").read_text(encoding="utf-8").startswith("\ufeff")


def test_export_of_a_hidden_agreement_exits_2(tmp_path, reference):
    factories.agreement(reference="HIDDEN", is_published=False)
    with pytest.raises(Exception) as error:
        call_command(
            "export",
            "transfers",
            "--format",
            "csv",
            "--output",
            str(tmp_path / "t.csv"),
            "--agreement",
            "HIDDEN",
        )
    assert getattr(error.value, "returncode", None) == 2
    assert not (tmp_path / "t.csv").exists()
