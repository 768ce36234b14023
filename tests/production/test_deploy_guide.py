"""docs/deploy.md, run: every command of the deployment guide by scripts/deploy_check.py, on a fresh
PostgreSQL database (the move from SQLite included). Run once per `make test`: on the PostgreSQL run,
or on the SQLite run when no PostgreSQL answers."""

import os
import subprocess
import sys
from urllib.parse import urlsplit

import pytest

from .conftest import REPO, drop_postgres, fresh_postgres, postgres_url


def postgres_answers() -> bool:
    url = os.environ.get("SHIRAKA_TEST_DATABASE_URL", "")
    script = REPO / "scripts" / "database_reachable.py"
    return bool(url) and subprocess.run([sys.executable, str(script), url], timeout=10).returncode == 0


def test_every_command_of_the_deployment_guide_runs():
    if not postgres_url() and postgres_answers():
        pytest.skip("run on the PostgreSQL pass of `make test`")
    arguments = []
    if postgres_url():
        name = f"{urlsplit(postgres_url()).path.strip('/') or 'postgres'}_guide"
        arguments = ["--database-url", fresh_postgres(name)]
    try:
        result = subprocess.run(
            [sys.executable, str(REPO / "scripts" / "deploy_check.py"), *arguments],
            cwd=REPO,
            env={k: v for k, v in os.environ.items() if not k.startswith(("SHIRAKA_", "DJANGO_"))},
            capture_output=True,
            text=True,
            timeout=1200,
        )
    finally:
        if postgres_url():
            drop_postgres(name)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok  first install" in result.stdout and "ok  shiraka.service (ExecStart)" in result.stdout
    assert "ok  shiraka-worker.service (ExecStart)" in result.stdout and "ok  upgrade" in result.stdout
    if postgres_url():
        assert "ok  move" in result.stdout
