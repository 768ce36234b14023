"""The commands a newcomer and an operator type: the CLI works in a development checkout without
exporting anything (local.env), production refuses to start without a real key, and `load_demo`
creates no superuser with a known password when debug is off."""

import json
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from shiraka.agreements.models import Agreement

from .conftest import REPO, production_env

PRESS_TEXT = (
    "وقعت وزارة الصحة والحماية الاجتماعية وجهة سوس ماسة اتفاقية شراكة بقيمة 120 مليون درهم "
    "لبناء مستشفى إقليمي بتارودانت.\n"
)


@pytest.fixture
def newcomer(tmp_path):
    """A shell with no SHIRAKA_ variable, in a checkout whose local.env is `tmp_path/local.env`."""
    env = production_env(tmp_path / "data", "sqlite:///shiraka.sqlite3")
    for name in ("SHIRAKA_SECRET_KEY", "SHIRAKA_DEBUG", "SHIRAKA_DATABASE_URL", "SHIRAKA_BEHIND_PROXY"):
        env.pop(name)
    env["SHIRAKA_LOCAL_SETTINGS"] = str(tmp_path / "local.env")
    (tmp_path / "article.txt").write_text(PRESS_TEXT, encoding="utf-8")
    return env


def run(env, *args, cwd=REPO):
    return subprocess.run(
        [sys.executable, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_cli_refuses_without_key_then_works_after_make_install(newcomer, tmp_path):
    article = str(tmp_path / "article.txt")
    refused = run(newcomer, "-m", "shiraka.cli", "extract", article)
    assert refused.returncode == 2
    assert "SHIRAKA_SECRET_KEY is not set" in refused.stderr and "make install" in refused.stderr

    written = run(newcomer, "scripts/local_settings.py", str(tmp_path / "local.env"))
    assert written.returncode == 0, written.stderr
    local = (tmp_path / "local.env").read_text()
    assert "SHIRAKA_DEBUG=1" in local and len(local.split("SHIRAKA_SECRET_KEY=")[1].strip()) >= 50
    assert (tmp_path / "local.env").stat().st_mode & 0o077 == 0  # the key is readable by its owner only

    extracted = run(newcomer, "-m", "shiraka.cli", "extract", article)
    assert extracted.returncode == 0, extracted.stderr
    assert json.loads(extracted.stdout)["agreements"][0]["total_amount"] == 120_000_000

    # Running it again keeps the key (sessions signed with it stay valid).
    assert run(newcomer, "scripts/local_settings.py", str(tmp_path / "local.env")).returncode == 0
    assert (tmp_path / "local.env").read_text() == local


def test_production_refuses_to_start_without_a_real_key(newcomer, tmp_path):
    assert run(newcomer, "scripts/local_settings.py", str(tmp_path / "local.env")).returncode == 0
    # gunicorn's entry point reads its environment alone, local.env or not.
    served = run(newcomer, "-c", "import shiraka.wsgi")
    assert served.returncode != 0 and "SHIRAKA_SECRET_KEY is not set" in served.stderr
    # Debug switched off by the operator: the development key does not count either.
    cli = run({**newcomer, "SHIRAKA_DEBUG": "0"}, "-m", "shiraka.cli", "check")
    assert cli.returncode == 2 and "SHIRAKA_SECRET_KEY is not set" in cli.stderr
    # An operator's environment (a key) on a checkout that has a local.env: debug stays off.
    operator = {**newcomer, "SHIRAKA_SECRET_KEY": "x" * 50}
    debug = run(
        operator,
        "-m",
        "shiraka.cli",
        "shell",
        "-v",
        "0",
        "-c",
        "from django.conf import settings; print(settings.DEBUG)",
    )
    assert debug.stdout.strip() == "False", debug.stderr
    started = run(
        {**newcomer, "SHIRAKA_SECRET_KEY": "x" * 50, "SHIRAKA_DEBUG": "0"}, "-c", "import shiraka.wsgi"
    )
    assert started.returncode == 0, started.stderr


@pytest.mark.django_db
def test_load_demo_creates_no_known_superuser_when_debug_is_off(reference, settings, monkeypatch):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="Debug is off") as refusal:
        call_command("load_demo")
    assert refusal.value.returncode == 2
    assert not get_user_model().objects.exists() and not Agreement.objects.exists()

    monkeypatch.setenv("SHIRAKA_DEMO_PASSWORD", "demo")
    with pytest.raises(CommandError, match="SHIRAKA_DEMO_PASSWORD"):
        call_command("load_demo", "--superuser")
    assert not get_user_model().objects.exists()

    call_command("load_demo", "--no-user")
    assert Agreement.objects.count() == 3 and not get_user_model().objects.exists()

    monkeypatch.setenv("SHIRAKA_DEMO_PASSWORD", "a-strong-operator-passphrase")
    call_command("load_demo", "--superuser")
    admin = get_user_model().objects.get(username="demo")
    assert admin.is_superuser and admin.check_password("a-strong-operator-passphrase")
    assert not admin.check_password("demo")


@pytest.mark.django_db
def test_load_demo_stays_one_command_in_debug(reference, settings):
    settings.DEBUG = True
    call_command("load_demo")
    assert get_user_model().objects.get(username="demo").check_password("demo")
