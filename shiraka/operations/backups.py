"""`shiraka backup` and `shiraka restore`. A backup is one tar file: the database as one consistent
snapshot (SQLite online backup, or pg_dump -Fc), the uploaded files, and manifest.json with each
file's SHA-256 and each table's row count and row hash. A restore checks the files, loads the
database where it can be read without touching the live one, compares every table's hash, and only
then replaces the live database and the uploads; a backup that does not match is refused."""

import hashlib
import json
import shutil
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

from . import engines
from .hashes import differences, row_hashes
from .moving import copy_rows

FORMAT = 1
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}


class BackupRefused(Exception):
    """The backup does not match its manifest (or this installation): nothing was changed."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def applied_migrations(alias: str = "default") -> list[list[str]]:
    return sorted([list(key) for key in MigrationRecorder(connections[alias]).applied_migrations()])


def backup_create(target: Path) -> dict:
    """Write the backup to `target` (through a temporary file: a half-written backup never has the
    final name); the manifest is returned."""
    kind = engines.engine()
    with tempfile.TemporaryDirectory(dir=target.parent) as work:
        folder = Path(work)
        database = folder / DATABASE_FILES[kind]
        snapshot = engines.sqlite_snapshot if kind == "sqlite" else engines.postgres_snapshot
        tables = snapshot(database)
        # Files after the snapshot: every row of the snapshot finds its file (it was written first).
        files = {database.name: sha256_of(database)}
        uploads = Path(settings.MEDIA_ROOT)
        stored = sorted(p for p in uploads.rglob("*") if p.is_file()) if uploads.exists() else []
        manifest = {
            "format": FORMAT,
            "created_at": datetime.now(UTC).isoformat(),
            "engine": kind,
            "database": database.name,
            "migrations": applied_migrations(),
            "tables": tables,
        }
        partial = folder / "backup.tar"
        with tarfile.open(partial, "w") as archive:
            archive.add(database, arcname=database.name)
            for path in stored:
                name = "uploads/" + path.relative_to(uploads).as_posix()
                files[name] = sha256_of(path)
                archive.add(path, arcname=name)
            manifest["files"] = files
            body = folder / "manifest.json"
            body.write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
            archive.add(body, arcname="manifest.json")
        partial.replace(target)
    return manifest


def unpacked(source: Path, folder: Path) -> dict:
    """The archive's files in `folder`, each checked against the manifest; the manifest."""
    try:
        with tarfile.open(source) as archive:
            archive.extractall(folder, filter="data")
        manifest = json.loads((folder / "manifest.json").read_text())
    except (OSError, tarfile.TarError, ValueError, KeyError) as error:
        raise BackupRefused(f"not a readable Shiraka backup: {error}") from error
    if manifest.get("format") != FORMAT:
        raise BackupRefused(f"unknown backup format {manifest.get('format')!r}")
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} - {"manifest.json"}
    if present != set(manifest["files"]):
        raise BackupRefused(f"files differ from the manifest: {sorted(present ^ set(manifest['files']))}")
    for name, expected in manifest["files"].items():
        if sha256_of(folder / name) != expected:
            raise BackupRefused(f"{name} is damaged (its SHA-256 differs from the manifest)")
    return manifest


def check_tables(manifest: dict, alias: str) -> None:
    if applied_migrations(alias) != manifest["migrations"]:
        raise BackupRefused("the backup's migrations differ from its manifest")
    wrong = differences(manifest["tables"], row_hashes(alias))
    if wrong:
        raise BackupRefused("rows differ from the manifest:\n" + "\n".join(wrong))


def backup_restore(source: Path) -> dict:
    """Check `source` entirely, then replace the live database and uploads with it."""
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        manifest = unpacked(source, folder)
        database = folder / manifest["database"]
        if manifest["engine"] == "sqlite":
            restore_sqlite_file(manifest, database)
        else:
            restore_postgres_dump(manifest, database)
        uploads_replace(folder / "uploads")
    wrong = differences(manifest["tables"], row_hashes("default"))
    if wrong:
        raise RuntimeError("the restored database differs from the backup:\n" + "\n".join(wrong))
    return manifest


def restore_sqlite_file(manifest: dict, database: Path) -> None:
    with engines.attached(database, "sqlite") as alias:
        check_tables(manifest, alias)
        if engines.engine() == "sqlite":
            connections[alias].close()
            connections["default"].close()
            engines.sqlite_copy(str(database), connections["default"].settings_dict["NAME"])
            return
        # A move to PostgreSQL: the live database, migrated by this version, takes the rows.
        if applied_migrations() != manifest["migrations"]:
            raise BackupRefused(
                "this database's migrations differ from the backup's: run `shiraka migrate` "
                "with the version that made the backup"
            )
        copy_rows(alias, "default")


def restore_postgres_dump(manifest: dict, dump: Path) -> None:
    if engines.engine() != "postgresql":
        raise BackupRefused("a PostgreSQL backup is restored into PostgreSQL")
    live = connections["default"].settings_dict["NAME"]
    scratch = f"{live}_restore_check"
    engines.postgres_scratch(scratch)
    try:
        engines.postgres_load(dump, scratch, replace=False)
        with engines.attached(scratch, "postgresql") as alias:
            check_tables(manifest, alias)
    finally:
        engines.postgres_scratch(scratch, drop_only=True)
    engines.postgres_load(dump, live, replace=True)


def uploads_replace(restored: Path) -> None:
    """The uploads folder becomes the backup's, swapped in by renames."""
    live = Path(settings.MEDIA_ROOT)
    incoming, previous = live.with_name(".uploads-restoring"), live.with_name(".uploads-previous")
    for leftover in (incoming, previous):
        shutil.rmtree(leftover, ignore_errors=True)
    if restored.exists():
        shutil.copytree(restored, incoming)
    else:
        incoming.mkdir(parents=True)
    if live.exists():
        live.rename(previous)
    incoming.rename(live)
    shutil.rmtree(previous, ignore_errors=True)
