"""What `check --deploy` does not check (DESIGN.md §7): CSP, cookies, lockout, password hashing."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import identify_hasher
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]
SHIRAKA = str(Path(sys.executable).with_name("shiraka"))


def production_env(tmp_path) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SHIRAKA_") and k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        SHIRAKA_SECRET_KEY=secrets.token_urlsafe(60),
        SHIRAKA_ALLOWED_HOSTS="shiraka.example.ma",
        SHIRAKA_DATA_DIR=str(tmp_path),
    )
    return env


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = subprocess.run(
        [SHIRAKA, "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=production_env(tmp_path),
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_secure_cookies_hsts_and_no_debug(tmp_path):
    code = (
        "from django.conf import settings as s; print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_SSL_REDIRECT, s.PASSWORD_HASHERS[0].endswith('Argon2PasswordHasher'))"
    )
    result = subprocess.run(
        [SHIRAKA, "shell", "-c", code],
        capture_output=True,
        text=True,
        env=production_env(tmp_path),
        cwd=ROOT,
        timeout=120,
    )
    assert result.stdout.strip().splitlines()[-1] == "False True True True True True", result.stderr


@pytest.mark.django_db
def test_every_page_carries_a_content_security_policy_without_inline_scripts(client):
    response = client.get("/ar/login/")
    policy = response["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    )
    assert "frame-ancestors 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    html = response.content.decode()
    assert " onchange=" not in html and " onclick=" not in html


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2():
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"]):
        user = get_user_model().objects.create_user("salma", password="a-long-pass-phrase")
        assert identify_hasher(user.password).algorithm == "argon2"


@pytest.mark.django_db
def test_login_locks_out_after_repeated_failures_and_not_other_users(client):
    User = get_user_model()
    User.objects.create_user("focal", password="the-right-pass-phrase")
    User.objects.create_user("other", password="another-pass-phrase")
    for _ in range(5):
        response = client.post("/fr/login/", {"username": "focal", "password": "wrong"})
        assert response.status_code in {200, 429}
    locked = client.post("/fr/login/", {"username": "focal", "password": "the-right-pass-phrase"})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    # Lockout is per username and address: another person behind the same address can still log in.
    other = client.post("/fr/login/", {"username": "other", "password": "another-pass-phrase"})
    assert other.status_code == 302


@pytest.mark.django_db
def test_forms_refuse_posts_without_a_csrf_token(seeds):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(seeds)
    response = strict.post("/fr/new/agreement/", {"reference": "X-1"})
    assert response.status_code == 403
