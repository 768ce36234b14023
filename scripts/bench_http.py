"""The HTTP part of `make bench`: gunicorn in production mode (debug off, static files collected into
the data set's own folder, 2 workers) on a free loopback port, then wrk: first the sign-in page (the
floor of the same server), then a mix of reads and writes (scripts/bench/mix.lua), with the workers'
memory before and after. It serves a copy of the data set, dropped after the run: the mix records
transfers, and the data set stays as built for the next run and the pages.

`--prepare OUT.json` is the inner step, run in the data set's environment: it starts the day as the
deployment guide's cron does (`shiraka figures --today`: the day's first reader would otherwise compute
the day's alerts, 6 s with both workers waiting on PostgreSQL at 5k), creates an API token for the
administrator and picks the pages and partnerships the mix uses."""

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent
sys.path.insert(0, str(SCRIPTS))

from bench_data import BENCH_DIR, PYTHON, REPO  # noqa: E402

WRK = os.environ.get("SHIRAKA_BENCH_WRK", "wrk")
GUNICORN = REPO / ".venv" / "bin" / "gunicorn"
LOGIN = "/fr/login/"
USERNAME, PASSWORD = "demo", "demo"  # load_demo's administrator (the data sets are built in debug)
WORKERS = 2
P95_LIMIT_MS, FLOOR_SHARE, RSS_GROWTH_LIMIT_MIB = 1000, 0.10, 50


# --- inner step ------------------------------------------------------------------------------------


def prepare(out: Path) -> int:
    """The day started as cron starts it on a deployed server (`shiraka figures --today`), a token for
    the administrator, and what the mix reads and writes, as JSON."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("figures", "--today")
    from django.contrib.auth import get_user_model
    from django.db.models import F

    from shiraka.accounts.models import ApiToken
    from shiraka.accounts.services import api_token_create
    from shiraka.agreements.models import Agreement, Partnership
    from shiraka.agreements.selectors import money_agreements, partnerships_with_figures
    from shiraka.projects.models import Project
    from shiraka.territory.models import Region

    user = get_user_model().objects.get(username=USERNAME)
    ApiToken.objects.filter(user=user, name__startswith="bench").delete()
    _token, clear = api_token_create(user=user, name="bench")
    agreements = list(Agreement.objects.order_by("pk").values_list("reference", flat=True)[::97][:60])
    projects = list(Project.objects.order_by("pk").values_list("reference", flat=True)[::211][:60])
    owing = (
        partnerships_with_figures(
            Partnership.objects.filter(agreement__in=money_agreements(Agreement.objects.all()))
        )
        .filter(committed__gt=F("transferred") + 100_000)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    data = {
        "token": clear,
        "agreements": agreements,
        "projects": projects,
        "regions": list(Region.objects.order_by("code").values_list("code", flat=True)),
        "partnerships": list(owing[:60]),
    }
    out.write_text(json.dumps(data))
    return 0


def requests_file(data: dict, path: Path) -> None:
    """The mix, as weights by repetition: lists 20 %, details 30 %, dashboards 15 %, alerts 10 %,
    region pages 15 %, writes 10 %."""
    lines = []

    def add(weight: int, paths: list[str]) -> None:
        paths = paths or ["/fr/"]
        lines.extend(f"GET {paths[i % len(paths)]}" for i in range(weight * 6))

    add(20, ["/fr/agreements/", "/ar/agreements/?page=2", "/fr/projects/", "/ar/projects/?sort=-budget"])
    details = [f"/fr/agreements/{r}/" for r in data["agreements"]] + [
        f"/ar/projects/{r}/" for r in data["projects"]
    ]
    add(30, details)
    add(15, ["/ar/", "/fr/"])
    add(10, ["/fr/alerts/", "/ar/alerts/"])
    add(15, [f"/fr/regions/{code}/" for code in data["regions"]])
    partnerships = data["partnerships"]
    lines.extend(
        f"POST /api/v1/partnerships/{partnerships[i % len(partnerships)]}/transfers" for i in range(10 * 6)
    )
    path.write_text("\n".join(lines) + "\n")


# --- outer step ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn stopped (exit {process.returncode}): see its log")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", LOGIN)
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("gunicorn did not answer in time")


def sign_in(port: int) -> str:
    """Sign in through the real form (CSRF cookie and token); the session cookie header for wrk."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", LOGIN)
    response = connection.getresponse()
    page = response.read().decode()
    csrf = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie", "")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = f"csrfmiddlewaretoken={token}&username={USERNAME}&password={PASSWORD}"
    headers = {"Cookie": f"csrftoken={csrf}", "Content-Type": "application/x-www-form-urlencoded"}
    connection.request("POST", LOGIN, body=body, headers=headers)
    response = connection.getresponse()
    response.read()
    cookies = " ".join(response.headers.get_all("Set-Cookie") or [])
    session = re.search(r"sessionid=([^;]+)", cookies)
    if response.status != 302 or not session:
        raise SystemExit(f"sign-in as {USERNAME} failed (HTTP {response.status})")
    return f"sessionid={session.group(1)}; csrftoken={csrf}"


def workers_rss_mib(master: int) -> list[float]:
    """Resident memory of each gunicorn worker (children of the master), in MiB."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024)
    return sizes


def wrk(url: str, script: str, duration: int, clients: int, *extra: str) -> dict:
    command = [WRK, "-t2", f"-c{clients}", f"-d{duration}s", "--timeout", "30s", "-s", script, url]
    if extra:
        command += ["--", *extra]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    result = json.loads(re.search(r"^BENCH (.*)$", output, re.M).group(1))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    result["errors"] = result["status_errors"] + result["socket_errors"]
    return result


def describe(name: str, r: dict) -> str:
    return (
        f"  {name:<12} {r['rps']:>8.1f} req/s  p50 {r['p50_us'] / 1000:>7.0f} ms  p95 {r['p95_us'] / 1000:>7.0f} ms"
        f"  p99 {r['p99_us'] / 1000:>7.0f} ms  errors {r['errors']} ({r['status_errors']} non-2xx/3xx)"
    )


def run_http(data_set, *, duration: int, clients: int) -> tuple[list[bool], dict]:
    """Serve a copy of the data set (the mix writes) with gunicorn, load it, print the figures and the
    targets; their verdicts, and the mix's figures (`wrk`)."""
    print(
        f"\n== HTTP on {data_set.name}: gunicorn {WORKERS} workers, wrk {clients} clients, {duration} s"
        f" (load average before {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )
    data_set.collectstatic()
    with data_set.scratch() as copy:
        return _served(copy, duration=duration, clients=clients)


def _served(data_set, *, duration: int, clients: int) -> tuple[list[bool], dict]:
    env = data_set.environment(debug=False)
    with tempfile.TemporaryDirectory() as scratch:
        prepared = Path(scratch) / "prepared.json"
        subprocess.run(
            [str(PYTHON), __file__, "--prepare", str(prepared)],
            env={**env, "DJANGO_SETTINGS_MODULE": "shiraka.settings"},
            cwd=REPO,
            check=True,
        )
        data = json.loads(prepared.read_text())
        mix = Path(scratch) / "requests.txt"
        requests_file(data, mix)
        port = free_port()
        log = (BENCH_DIR / f"gunicorn-{data_set.name}.log").open("w")
        access = BENCH_DIR / f"gunicorn-{data_set.name}.access.log"
        access.unlink(missing_ok=True)
        server = subprocess.Popen(
            [str(GUNICORN), "shiraka.wsgi", "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}",
             "--timeout", "60", "--access-logfile", str(access), "--access-logformat", ACCESS_FORMAT],
            env=env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        try:
            wait_for(port, server)
            url = f"http://127.0.0.1:{port}"
            floor = wrk(url + LOGIN, str(SCRIPTS / "bench" / "login.lua"), max(duration // 3, 5), clients)
            cookie = sign_in(port)
            before = workers_rss_mib(server.pid)
            result = wrk(
                url, str(SCRIPTS / "bench" / "mix.lua"), duration, clients, str(mix), cookie, data["token"]
            )
            after = workers_rss_mib(server.pid)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
            log.close()
    verdicts = report(floor, result, before, after)
    print_server_time(access)
    return verdicts, result


def print_http_engines(served: dict[str, dict]) -> None:
    """For reading, when both databases served the mix: PostgreSQL's rate and p95 against SQLite's."""
    if not {"postgres", "sqlite"} <= set(served):
        return
    postgres, sqlite = served["postgres"], served["sqlite"]
    print(
        f"\n== PostgreSQL against SQLite through HTTP: {postgres['rps']:.1f} against {sqlite['rps']:.1f} req/s"
        f" ({postgres['rps'] / sqlite['rps']:.0%} of SQLite's rate), p95 {postgres['p95_us'] / 1000:.0f}"
        f" against {sqlite['p95_us'] / 1000:.0f} ms; not a target"
    )


# Method, path (without the query string), status and the server's time in microseconds.
ACCESS_FORMAT = "%(m)s %(U)s %(s)s %(D)s"
GROUPS = (
    ("writes", re.compile(r"^/api/")),
    ("dashboards", re.compile(r"^/(ar|fr|en)/$")),
    ("alerts", re.compile(r"/alerts/$")),
    ("regions", re.compile(r"/regions/")),
    ("details", re.compile(r"/(agreements|projects)/[^/]+/$")),
    ("lists", re.compile(r"/(agreements|projects)/$")),
)


def print_server_time(access: Path) -> None:
    """Where the workers spent their time during the mix: each kind of request's count, mean server
    time and share of the total (from gunicorn's access log; the login floor's requests left out)."""
    spent: dict[str, list[int]] = {}
    for line in access.read_text().splitlines():
        _method, path, _status, micros = line.split(" ")
        if path == LOGIN:
            continue
        group = next((name for name, pattern in GROUPS if pattern.search(path)), "other")
        spent.setdefault(group, []).append(int(micros))
    total = sum(sum(times) for times in spent.values()) or 1
    print("  server time by kind of request (mean ms, share of the workers' time):")
    for group, times in sorted(spent.items(), key=lambda item: -sum(item[1])):
        print(
            f"    {group:<11} {len(times):>6} requests  {sum(times) / len(times) / 1000:>7.1f} ms"
            f"  {sum(times) / total:>6.1%}"
        )


def report(floor: dict, result: dict, before: list[float], after: list[float]) -> list[bool]:
    print(describe("login floor", floor))
    print(describe("mix", result))
    growth = max((a - b for a, b in zip(after, before, strict=False)), default=0.0)
    rss = " ".join(f"{b:.0f}→{a:.0f}" for b, a in zip(before, after, strict=False))
    share = result["rps"] / floor["rps"] if floor["rps"] else 0.0
    checks = [
        (
            f"p95 {result['p95_us'] / 1000:.0f} ms ≤ {P95_LIMIT_MS} ms",
            result["p95_us"] / 1000 <= P95_LIMIT_MS,
        ),
        (f"errors {result['errors']} = 0", result["errors"] == 0),
        (f"req/s {share:.1%} of the login floor ≥ {FLOOR_SHARE:.0%}", share >= FLOOR_SHARE),
        (
            f"worker RSS MiB {rss}: growth {growth:.0f} ≤ {RSS_GROWTH_LIMIT_MIB}",
            growth <= RSS_GROWTH_LIMIT_MIB,
        ),
    ]
    for text, ok in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {text}")
    return [ok for _text, ok in checks]


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--prepare":
        sys.exit(prepare(Path(sys.argv[2])))
    sys.exit("usage: run through scripts/bench_pages.py (or --prepare OUT.json in a data set's environment)")
