"""Configuration from the environment, production refusals and the `shiraka` command."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from shiraka.settings import database_from_url

ROOT = Path(__file__).resolve().parents[2]
SHIRAKA = str(Path(sys.executable).with_name("shiraka"))


def run(args, **env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SHIRAKA_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    environment.update(env)
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [SHIRAKA, *args], capture_output=True, text=True, env=environment, cwd=ROOT, timeout=120
    )


def test_production_mode_refuses_to_start_without_a_secret_key(tmp_path):
    # A server has no development local.env (the checkout running the tests may: make install writes it).
    result = run(["check"], SHIRAKA_DATA_DIR=str(tmp_path), SHIRAKA_LOCAL_SETTINGS="")
    assert result.returncode == 2
    assert "SHIRAKA_SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_mode_starts_with_a_secret_key(tmp_path):
    result = run(
        ["check"],
        SHIRAKA_DATA_DIR=str(tmp_path),
        SHIRAKA_SECRET_KEY="x" * 60,
        SHIRAKA_ALLOWED_HOSTS="shiraka.example.ma",
    )
    assert result.returncode == 0, result.stderr


def test_sqlite_is_the_default_in_the_data_folder_with_wal(tmp_path):
    config = database_from_url("sqlite:///shiraka.sqlite3", tmp_path)
    assert config["NAME"] == str(tmp_path / "shiraka.sqlite3")
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]
    assert (
        database_from_url("sqlite:////var/lib/shiraka/db.sqlite3", tmp_path)["NAME"]
        == "/var/lib/shiraka/db.sqlite3"
    )


def test_postgres_url_is_parsed_for_psycopg(tmp_path):
    config = database_from_url("postgres://shiraka:s%40cret@db.local:5433/shiraka?sslmode=require", tmp_path)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["USER"], config["PASSWORD"], config["HOST"], config["PORT"], config["NAME"]) == (
        "shiraka",
        "s@cret",
        "db.local",
        "5433",
        "shiraka",
    )
    assert config["OPTIONS"] == {"sslmode": "require", "options": "-c jit=off -c random_page_cost=1.1"}
    own = database_from_url("postgres://db.local/shiraka?options=-c%20work_mem%3D64MB", tmp_path)
    assert own["OPTIONS"] == {"options": "-c work_mem=64MB"}


def test_unknown_database_scheme_is_refused(tmp_path):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        database_from_url("mysql://root@localhost/shiraka", tmp_path)


def test_wal_is_active_on_the_sqlite_connection(db):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0].lower() == "wal"


def test_shiraka_command_gives_every_management_command(tmp_path):
    result = run(["help"], SHIRAKA_DEBUG="1", SHIRAKA_DATA_DIR=str(tmp_path))
    assert result.returncode == 0
    for command in ("migrate", "shell", "load_reference", "load_demo", "synth", "extract"):
        assert command in result.stdout


def test_synth_refuses_bad_arguments_with_exit_code_2(tmp_path):
    result = run(["synth", "--agreements", "0"], SHIRAKA_DEBUG="1", SHIRAKA_DATA_DIR=str(tmp_path))
    assert result.returncode == 2
    assert "--agreements" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("env", "seconds"),
    [
        ({}, "60"),  # each process's own cache: another process's write shows within a minute
        ({"SHIRAKA_REDIS_URL": "redis://127.0.0.1:6379/1"}, "3600"),
        ({"SHIRAKA_REDIS_URL": "redis://127.0.0.1:6379/1", "SHIRAKA_FIGURES_SECONDS": "900"}, "900"),
    ],
)
def test_figures_last_longer_when_every_process_shares_the_cache(tmp_path, env, seconds):
    show = "from django.conf import settings; print(settings.SHIRAKA_FIGURES_SECONDS)"
    result = run(
        ["shell", "--no-imports", "-c", show], SHIRAKA_DATA_DIR=str(tmp_path), SHIRAKA_DEBUG="1", **env
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == seconds
