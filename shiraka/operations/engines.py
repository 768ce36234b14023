"""What differs between the two engines: a consistent snapshot of the live database (SQLite's online
backup API, PostgreSQL's pg_dump on an exported snapshot), loading it where it can be checked, and
putting it back. A checked copy is reached through a temporary connection alias."""

import os
import sqlite3
import subprocess
from contextlib import contextmanager
from pathlib import Path

from django.db import connections, transaction

from .hashes import row_hashes

CHECK_ALIAS = "backup_check"


def engine(alias: str = "default") -> str:
    return "postgresql" if connections[alias].vendor == "postgresql" else "sqlite"


@contextmanager
def attached(name, kind: str, alias: str = CHECK_ALIAS):
    """A connection alias to database `name`: a SQLite file, or a database of the live PostgreSQL
    server."""
    settings = {**connections.settings["default"], "NAME": str(name), "CONN_MAX_AGE": 0, "OPTIONS": {}}
    if kind == "sqlite":
        settings.update(ENGINE="django.db.backends.sqlite3", USER="", PASSWORD="", HOST="", PORT="")
    else:
        settings["OPTIONS"] = connections.settings["default"]["OPTIONS"]
    connections.settings[alias] = settings
    try:
        yield alias
    finally:
        connections[alias].close()
        del connections[alias]
        del connections.settings[alias]


# --- SQLite ----------------------------------------------------------------------------------------


def sqlite_copy(source: str, target: str) -> None:
    """Page by page copy under one read transaction: in WAL mode the writers go on meanwhile and the
    copy is the database as it was when the copy began."""
    with sqlite3.connect(source, timeout=30) as reader, sqlite3.connect(target, timeout=30) as writer:
        reader.backup(writer)
    reader.close()
    writer.close()


def sqlite_snapshot(target: Path) -> dict:
    sqlite_copy(connections["default"].settings_dict["NAME"], str(target))
    with attached(target, "sqlite") as alias:
        return row_hashes(alias)


# --- PostgreSQL ------------------------------------------------------------------------------------


def pg_command(program: str, settings: dict, *args: str) -> None:
    env = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or ""}
    command = [program, "--no-password"]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings.get(key):
            command += [flag, str(settings[key])]
    result = subprocess.run([*command, *args], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{program} failed: {result.stderr.strip()}")


def postgres_snapshot(target: Path) -> dict:
    """pg_dump and the row hashes read the same exported snapshot, while the writers go on."""
    connection = connections["default"]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        settings = connection.settings_dict
        dump = ["--format=custom", f"--snapshot={snapshot}", "--no-owner", f"--file={target}"]
        pg_command("pg_dump", settings, *dump, settings["NAME"])
        return row_hashes("default")


def postgres_scratch(name: str, *, drop_only: bool = False) -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if not drop_only:
            cursor.execute(f'CREATE DATABASE "{name}"')


def postgres_load(dump: Path, database: str, *, replace: bool) -> None:
    settings = connections["default"].settings_dict
    options = ["--clean", "--if-exists"] if replace else []
    load = ["--no-owner", "--single-transaction", *options, f"--dbname={database}", str(dump)]
    pg_command("pg_restore", settings, *load)
