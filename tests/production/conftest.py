"""What an operator does, done by the tests: production settings in a fresh data folder (SQLite, or a
fresh PostgreSQL database when the run is on PostgreSQL), the `shiraka` commands in subprocesses, and
gunicorn on a free port, spoken to over real HTTP (cookies, CSRF and the proxy's headers by hand)."""

import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
ADMIN_PASSWORD = "prod-test-" + secrets.token_urlsafe(12)
STARTUP_SECONDS = 60


def postgres_url() -> str:
    """The PostgreSQL server of this run, or "" on a SQLite run."""
    return os.environ.get("SHIRAKA_TEST_ON_DATABASE_URL", "")


def server_url(database: str = "postgres") -> str:
    """This run's PostgreSQL server, on `database` (the run's own may not exist yet)."""
    return urlunsplit(urlsplit(postgres_url())._replace(path=f"/{database}"))


def fresh_postgres(name: str) -> str:
    """An empty database `name` on this run's PostgreSQL server; its URL."""
    import psycopg

    with psycopg.connect(server_url(), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return server_url(name)


def drop_postgres(name: str) -> None:
    import psycopg

    with psycopg.connect(server_url(), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def database_url_for(data_dir: Path, name: str) -> str:
    """SQLite in the data folder, or a fresh PostgreSQL database named after the test module."""
    if postgres_url():
        return fresh_postgres(f"{urlsplit(postgres_url()).path.strip('/') or 'postgres'}_{name}")
    return "sqlite:///shiraka.sqlite3"


def production_env(data_dir: Path, database_url: str, **extra: str) -> dict:
    """The environment of a production process: nothing inherited from the test run's own settings."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SHIRAKA_", "DJANGO_")) and key != "PYTHONPATH"
    }
    env.update(
        SHIRAKA_SECRET_KEY=secrets.token_urlsafe(50),
        SHIRAKA_DEBUG="0",
        SHIRAKA_DATA_DIR=str(data_dir),
        SHIRAKA_DATABASE_URL=database_url,
        SHIRAKA_ALLOWED_HOSTS="127.0.0.1",
        SHIRAKA_BEHIND_PROXY="1",
        SHIRAKA_SSL_REDIRECT="0",
        SHIRAKA_LOCAL_SETTINGS="",
        PYTHONPATH=str(REPO),
    )
    env.update(extra)
    return env


def shiraka(env: dict, *args: str, check: bool = True, timeout: int = 300) -> subprocess.CompletedProcess:
    """`shiraka ARGS` as an operator types it, in its own process."""
    result = subprocess.run(
        [sys.executable, "-m", "shiraka.cli", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"shiraka {' '.join(args)} exited {result.returncode}:\n{result.stderr}")
    return result


def prepare_site(env: dict) -> None:
    shiraka(env, "migrate", "--no-input", "-v", "0")
    shiraka(env, "load_reference")
    shiraka({**env, "SHIRAKA_DEMO_PASSWORD": ADMIN_PASSWORD}, "load_demo", "--superuser")
    shiraka(env, "collectstatic", "--no-input", "-v", "0")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def header(self, name: str) -> str:
        return self.headers.get(name, "")


@dataclass
class Client:
    """One visitor: its cookies, and whether the proxy in front says the request came over HTTPS."""

    port: int
    https: bool = True
    cookies: dict = field(default_factory=dict)

    def request(self, method: str, path: str, body: bytes = b"", headers: dict | None = None) -> Response:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        sent = {"Host": f"127.0.0.1:{self.port}", "X-Forwarded-For": "127.0.0.1", **(headers or {})}
        if self.https:
            sent["X-Forwarded-Proto"] = "https"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            connection.request(method, path, body=body or None, headers=sent)
            raw = connection.getresponse()
            response = Response(raw.status, raw.headers, raw.read())
        finally:
            connection.close()
        for line in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(line).items():
                self.cookies[name] = morsel.value
        return response

    def get(self, path: str, **headers) -> Response:
        return self.request("GET", path, headers=headers)

    def origin(self) -> str:
        return f"{'https' if self.https else 'http'}://127.0.0.1:{self.port}"

    def post(self, path: str, data: dict | list) -> Response:
        """A form posted as a browser posts it: the CSRF token of the page, Origin and Referer."""
        page = self.get(path)
        assert page.status == 200, (path, page.status)
        token = csrf_token(page.text)
        fields = list(data.items()) if isinstance(data, dict) else list(data)
        body = urlencode([("csrfmiddlewaretoken", token), *fields]).encode()
        return self.request(
            "POST",
            path,
            body,
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": self.origin(),
                "Referer": self.origin() + path,
            },
        )

    def login(self, username: str, password: str, language: str = "fr") -> Response:
        response = self.post(f"/{language}/login/", {"username": username, "password": password})
        assert response.status == 302, f"login refused: {response.status}\n{response.text[:2000]}"
        return response


def csrf_token(page: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert match, "no CSRF token in the form"
    return match.group(1)


class Gunicorn:
    """gunicorn serving `shiraka.wsgi` on a free port with the given environment; its log kept."""

    def __init__(self, env: dict, log_path: Path, workers: int = 2):
        self.port = free_port()
        self.log_path = log_path
        self._log = open(log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "shiraka.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--timeout",
                "60",
                "--access-logfile",
                "-",
            ],
            env=env,
            cwd=REPO,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._wait_until_ready()

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn stopped at start:\n{self.log()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise AssertionError(f"gunicorn did not answer within {STARTUP_SECONDS} s:\n{self.log()}")

    def client(self, https: bool = True) -> Client:
        return Client(self.port, https=https)

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._log.close()


@pytest.fixture(scope="module")
def production_site(tmp_path_factory, request):
    """A production deployment of this module's own: data folder, database, static files, gunicorn."""
    data_dir = tmp_path_factory.mktemp("site")
    name = request.module.__name__.rsplit(".", 1)[-1]
    database_url = database_url_for(data_dir, name)
    env = production_env(data_dir, database_url)
    prepare_site(env)
    server = Gunicorn(env, data_dir / "gunicorn.log")
    server.env = env
    yield server
    server.stop()
    if postgres_url():
        drop_postgres(urlsplit(database_url).path.strip("/"))
