"""`shiraka backup` and `shiraka restore` as an operator runs them, in their own processes, on the
run's database (SQLite, or PostgreSQL on a PostgreSQL run): a backup taken while another process keeps
writing is one consistent snapshot that restores with identical row hashes; a damaged or altered backup
is refused and changes nothing; a SQLite database moves to PostgreSQL with identical row hashes."""

import io
import json
import subprocess
import sys
import tarfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .conftest import REPO, database_url_for, drop_postgres, postgres_url, production_env, shiraka

WRITER = """
import sys, time
from pathlib import Path
from shiraka.organisations.services import organisation_create
stop = Path(sys.argv[1])
number = 0
while not stop.exists():
    number += 1
    organisation_create(name_fr=f"Écrivain {number}", name_ar=f"كاتب {number}", kind="ministry")
    print(number, flush=True)
    time.sleep(0.01)
"""
HASHES = "import json; from shiraka.operations.hashes import row_hashes; print(json.dumps(row_hashes()))"
COUNT = "from shiraka.organisations.models import Organisation; print(Organisation.objects.count())"


@pytest.fixture
def site(tmp_path, request):
    name = f"backup_{request.node.name[-20:].lower().replace('[', '_').replace(']', '')}"
    database_url = database_url_for(tmp_path, name)
    env = production_env(tmp_path / "data", database_url)
    shiraka(env, "migrate", "--no-input", "-v", "0")
    shiraka(env, "load_reference")
    shiraka(env, "load_demo", "--no-user")
    photo = tmp_path / "data" / "uploads" / "photos" / "2025" / "chantier.png"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(b"\x89PNG\r\n\x1a\n not really a picture, only bytes to keep")
    yield env
    if postgres_url():
        drop_postgres(urlsplit(database_url).path.strip("/"))


def python(env, code: str) -> str:
    return shiraka(env, "shell", "-v", "0", "-c", code).stdout.strip()


def manifest_of(backup: Path) -> dict:
    with tarfile.open(backup) as archive:
        return json.load(archive.extractfile("manifest.json"))


def backup_while_writing(env, backup: Path, tmp_path: Path) -> tuple[int, int]:
    """The backup taken while a writer process adds organisations; (written before, written in all)."""
    stop = tmp_path / "stop-writing"
    writer = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "shiraka.cli",
            "shell",
            "-v",
            "0",
            "-c",
            f"import sys; sys.argv[1:] = [{str(stop)!r}]\n{WRITER}",
        ],
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = writer.stdout.readline()
        assert first, writer.stderr.read()
        shiraka(env, "backup", str(backup))
        time.sleep(0.5)  # the writer goes on after the snapshot
    finally:
        stop.touch()
        out, err = writer.communicate(timeout=60)
    assert writer.returncode == 0, err
    return int(first), int(out.split()[-1])


def test_backup_while_writing_restores_identical(site, tmp_path):
    backup = tmp_path / "shiraka.tar"
    before = int(python(site, COUNT))
    written_before, written = backup_while_writing(site, backup, tmp_path)
    manifest = manifest_of(backup)
    in_backup = manifest["tables"]["organisations_organisation"]["rows"] - before
    assert written_before <= in_backup < written, "the snapshot is taken while the writer runs"
    assert "uploads/photos/2025/chantier.png" in manifest["files"]
    assert int(python(site, COUNT)) == before + written

    (Path(site["SHIRAKA_DATA_DIR"]) / "uploads" / "photos" / "2025" / "chantier.png").unlink()
    restored = shiraka(site, "restore", str(backup))
    assert "identical row hashes" in restored.stdout
    assert json.loads(python(site, HASHES)) == manifest["tables"]
    assert int(python(site, COUNT)) == before + in_backup
    photo = Path(site["SHIRAKA_DATA_DIR"]) / "uploads" / "photos" / "2025" / "chantier.png"
    assert photo.read_bytes().startswith(b"\x89PNG")


def rewritten(backup: Path, target: Path, change) -> Path:
    """A copy of `backup` whose members went through `change(name, bytes) -> bytes`."""
    with tarfile.open(backup) as source, tarfile.open(target, "w") as copy:
        for member in source.getmembers():
            data = change(member.name, source.extractfile(member).read())
            member.size = len(data)
            copy.addfile(member, io.BytesIO(data))
    return target


def test_a_backup_that_does_not_match_is_refused(site, tmp_path):
    backup = tmp_path / "shiraka.tar"
    shiraka(site, "backup", str(backup))
    python(
        site,
        "from shiraka.organisations.services import organisation_create as c; c(name_fr='Après', kind='ministry')",
    )
    after = json.loads(python(site, HASHES))

    def altered_hash(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["tables"]["agreements_agreement"]["sha256"] = "0" * 64
        return json.dumps(manifest).encode()

    def damaged_database(name, data):
        return data[:-100] + bytes(100) if name.startswith("database.") else data

    for change, reason in ((altered_hash, "rows differ"), (damaged_database, "damaged")):
        refused = shiraka(
            site, "restore", str(rewritten(backup, tmp_path / f"{reason}.tar", change)), check=False
        )
        assert refused.returncode == 1 and reason in refused.stderr, refused.stderr
        assert json.loads(python(site, HASHES)) == after, "a refused restore changes nothing"

    missing = shiraka(site, "restore", str(tmp_path / "none.tar"), check=False)
    assert missing.returncode == 2 and "no such file" in missing.stderr
    assert shiraka(site, "backup", str(backup), check=False).returncode == 2  # never overwritten


def test_sqlite_moves_to_postgresql_with_identical_rows(tmp_path):
    if not postgres_url():
        pytest.skip("PostgreSQL runs only (SHIRAKA_TEST_ON_DATABASE_URL)")
    sqlite = production_env(tmp_path / "old", "sqlite:///shiraka.sqlite3")
    for command in (("migrate", "--no-input", "-v", "0"), ("load_reference",), ("load_demo", "--no-user")):
        shiraka(sqlite, *command)
    backup = tmp_path / "move.tar"
    shiraka(sqlite, "backup", str(backup))
    name = f"{urlsplit(postgres_url()).path.strip('/') or 'postgres'}_move"
    postgres = production_env(tmp_path / "new", database_url_for(tmp_path, "move"))
    try:
        shiraka(postgres, "migrate", "--no-input", "-v", "0")
        shiraka(postgres, "restore", str(backup))
        assert json.loads(python(postgres, HASHES)) == manifest_of(backup)["tables"]
        # Sequences moved past the copied keys: the next row gets a new key.
        python(
            postgres,
            "from shiraka.organisations.services import organisation_create as c; c(name_fr='Nouvelle', kind='ministry')",
        )
    finally:
        drop_postgres(name)
