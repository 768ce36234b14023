"""Run every command of docs/deploy.md in a scratch folder standing for /srv/shiraka and /etc/shiraka.

    python scripts/deploy_check.py [--database-url postgres://…] [--keep]

In the order of the guide: each shell block marked `<!-- check: … -->` (lines ending in `# root`
are skipped and counted: they change the machine itself), each systemd unit's ExecStart (gunicorn
must answer over HTTP with the headers nginx sends, the worker must stay up), each cron line. The
guide's PostgreSQL URL becomes --database-url (SQLite without it, and the move to PostgreSQL is then
skipped); the SMTP backend becomes the console one. Exit 0 when every command succeeded."""

import argparse
import http.client
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GUIDE = REPO / "docs" / "deploy.md"
BLOCK = re.compile(r"<!-- (check|unit|cron)(?:: ([^>]+?))? -->\n```\w*\n(.*?)```", re.S)
GUIDE_DATABASE = "postgres://shiraka:CHANGE-ME@127.0.0.1:5432/shiraka"
SMTP = "django.core.mail.backends.smtp.EmailBackend"


class Check:
    def __init__(self, root: Path, database_url: str):
        self.root, self.database_url = root, database_url
        self.srv, self.etc = root / "srv", root / "etc"
        self.srv.mkdir()
        (self.srv / ".venv").symlink_to(REPO / ".venv")
        self.run_count = self.skipped = 0
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("SHIRAKA_", "DJANGO_"))}

    def local(self, text: str) -> str:
        """The guide's text on this scratch machine."""
        text = text.replace("/srv/shiraka", str(self.srv)).replace("/etc/shiraka", str(self.etc))
        return text.replace(GUIDE_DATABASE, self.database_url).replace(
            SMTP, "django.core.mail.backends.console.EmailBackend"
        )

    def shell(self, name: str, body: str) -> None:
        lines = []
        for line in body.splitlines():
            if line.rstrip().endswith("# root"):
                self.skipped += 1
            elif line.strip():
                lines.append(line)
                self.run_count += not line.startswith(("SHIRAKA_", "EOF")) and "=" not in line.split()[0]
        script = "set -euo pipefail\n" + self.local("\n".join(lines)) + "\n"
        result = subprocess.run(
            ["bash", "-c", script], cwd=self.root, env=self.env, capture_output=True, text=True
        )
        if result.returncode != 0:
            raise SystemExit(
                f"deploy check: block '{name}' failed ({result.returncode}):\n{script}\n{result.stderr}"
            )
        print(f"  ok  {name}")

    def environment(self) -> dict:
        values = {}
        for line in (self.etc / "shiraka.env").read_text().splitlines():
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
        return {**self.env, **values}

    def unit(self, name: str, body: str) -> None:
        command = self.local(re.search(r"^ExecStart=(.*)$", body, re.M).group(1))
        port = free_port()
        command = command.replace("127.0.0.1:8000", f"127.0.0.1:{port}")
        process = subprocess.Popen(
            shlex.split(command),
            cwd=self.srv,
            env=self.environment(),
            start_new_session=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            if "gunicorn" in command:
                try:
                    answer_over_https(port)
                except SystemExit as failure:
                    os.killpg(process.pid, signal.SIGTERM)
                    raise SystemExit(f"{failure}\n{process.communicate(timeout=30)[0][-6000:]}") from None
            else:
                time.sleep(5)
                if process.poll() is not None:
                    raise SystemExit(f"deploy check: {name} stopped: {process.stdout.read()}")
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
        self.run_count += 1
        print(f"  ok  {name} (ExecStart)")

    def cron(self, body: str) -> None:
        for line in body.splitlines():
            if line.strip() and not line.startswith("#"):
                self.shell("cron: " + line.split(None, 6)[6][:60], line.split(None, 6)[6])


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answer_over_https(port: int) -> None:
    """What nginx sends: the public host name, the client's address, and that it came over HTTPS."""
    headers = {"Host": "shiraka.example.ma", "X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
    deadline = time.monotonic() + 60
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", "/fr/agreements/", headers=headers)
            response = connection.getresponse()
            break
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit("deploy check: gunicorn did not answer") from None
            time.sleep(0.3)
    if response.status != 200 or not response.getheader("Strict-Transport-Security"):
        raise SystemExit(f"deploy check: /fr/agreements/ answered {response.status} {response.getheaders()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="", help="an empty PostgreSQL database (SQLite without it)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    options = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="shiraka-deploy-"))
    check = Check(root, options.database_url or "sqlite:///shiraka.sqlite3")
    for kind, name, body in BLOCK.findall(GUIDE.read_text(encoding="utf-8")):
        if kind == "unit":
            check.unit(name, body)
        elif kind == "cron":
            check.cron(body)
        elif name == "move" and not options.database_url:
            print("  --  move (needs --database-url: PostgreSQL)")
        else:
            if name == "move":
                # The installation that moves: one that started on SQLite.
                sqlite = {**check.environment(), "SHIRAKA_DATABASE_URL": "sqlite:///shiraka.sqlite3"}
                for command in (
                    ["migrate", "--no-input", "-v", "0"],
                    ["load_reference"],
                    ["load_demo", "--no-user"],
                ):
                    subprocess.run(
                        [str(check.srv / ".venv/bin/shiraka"), *command],
                        cwd=check.srv,
                        env=sqlite,
                        check=True,
                        capture_output=True,
                    )
            check.shell(name, body)
    print(f"deploy check: {check.run_count} commands run, {check.skipped} skipped (# root), in {root}")
    if not options.keep:
        subprocess.run(["rm", "-rf", str(root)], check=False)
    sys.exit(0)


if __name__ == "__main__":
    main()
