"""The benchmark's data sets: one database per (engine, size), built once with the app's own commands
(migrate, load_reference, load_demo, synth) and reused while the migrations stay the same.

The commands run from a snapshot of the last commit (`git archive HEAD` under `.bench/src/`), not from the
working tree, so that a data set never depends on someone's half-made change; the pages are then
measured with the working tree's code.

SQLite files live under `.bench/` (git-ignored); PostgreSQL databases are named `shiraka_bench_<size>`
(`shiraka_bench_5k`, `shiraka_bench_20k`). Neither is the app's own data nor a test database.

    .venv/bin/python scripts/bench_data.py --sizes 5000 --databases sqlite,postgres [--rebuild]"""

import argparse
import copy
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
BENCH_DIR = REPO / ".bench"
PYTHON = REPO / ".venv" / "bin" / "python"
SHIRAKA = REPO / ".venv" / "bin" / "shiraka"
POSTGRES_SERVER = os.environ.get("SHIRAKA_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres")
SYNTH_SEED = 1
BENCH_KEY = "bench-only-key-not-a-secret-" + "x" * 40


def size_label(size: int) -> str:
    return f"{size // 1000}k" if size % 1000 == 0 else str(size)


def snapshot() -> Path:
    """The last commit's `shiraka` package, extracted once per commit."""
    commit = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.strip()
    target = BENCH_DIR / "src" / commit[:12]
    if not (target / ".complete").exists():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(
            ["git", "archive", commit, "shiraka"], cwd=REPO, capture_output=True, check=True
        )
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
        (target / ".complete").touch()
    return target


def migrations_fingerprint(root: Path | None = None) -> str:
    """What the data sets were built for: every migration file's name and content (of the snapshot)."""
    root = root or snapshot()
    digest = hashlib.sha256()
    for path in sorted((root / "shiraka").glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def postgres_reachable(server_url: str = POSTGRES_SERVER) -> bool:
    try:
        import psycopg

        with psycopg.connect(server_url, connect_timeout=3):
            return True
    except Exception:
        return False


class DataSet:
    """One benchmark database: its URL, its data folder and the environment its commands run in."""

    def __init__(self, engine: str, size: int):
        self.engine, self.size = engine, size
        self.name = f"{engine}-{size_label(size)}"
        self.data_dir = BENCH_DIR / self.name
        self.marker = BENCH_DIR / f"{self.name}.built.json"
        if engine == "sqlite":
            self.url = f"sqlite:///{self.data_dir / 'shiraka.sqlite3'}"
            self.database = None
        else:
            self.database = f"shiraka_bench_{size_label(size)}"
            self.url = urlunsplit(urlsplit(POSTGRES_SERVER)._replace(path="/" + self.database))

    def environment(self, *, debug: bool = True) -> dict:
        """The process environment for this data set: nothing of the developer's own settings."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SHIRAKA_", "DJANGO_"))}
        env.update(
            SHIRAKA_DATABASE_URL=self.url,
            SHIRAKA_DATA_DIR=str(self.data_dir),
            SHIRAKA_LOCAL_SETTINGS="",
            SHIRAKA_SECRET_KEY=BENCH_KEY,
            SHIRAKA_DEBUG="1" if debug else "0",
        )
        if not debug:  # production settings, served over plain HTTP on the loopback
            env.update(
                SHIRAKA_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
                SHIRAKA_SSL_REDIRECT="0",
                SHIRAKA_HSTS_SECONDS="0",
            )
        return env

    def collectstatic(self) -> None:
        """Static files into this data set's own folder (production storage: hashed, compressed),
        again only when a static source changed since."""
        manifest = self.data_dir / "static" / "staticfiles.json"
        sources = (p for d in (REPO / "shiraka").glob("**/static") for p in d.rglob("*") if p.is_file())
        if manifest.exists() and max(p.stat().st_mtime for p in sources) < manifest.stat().st_mtime:
            return
        subprocess.run(
            [str(SHIRAKA), "collectstatic", "--no-input", "-v", "0"],
            env=self.environment(debug=False),
            cwd=REPO,
            check=True,
        )

    @contextmanager
    def scratch(self):
        """A copy of this data set for a run that writes (the HTTP mix records transfers), dropped after
        it: the data set stays as built, and the next run opens the same pages (an agreement of the
        mix had gained 59 transfers over the day's runs, its page as many rows)."""
        scratch = copy.copy(self)
        if self.engine == "sqlite":
            source = self.data_dir / "shiraka.sqlite3"
            target = self.data_dir / "scratch.sqlite3"
            for suffix in ("", "-wal", "-shm"):
                (self.data_dir / f"scratch.sqlite3{suffix}").unlink(missing_ok=True)
                if Path(f"{source}{suffix}").exists():
                    shutil.copyfile(f"{source}{suffix}", f"{target}{suffix}")
            scratch.url = f"sqlite:///{target}"
            try:
                yield scratch
            finally:
                for suffix in ("", "-wal", "-shm"):
                    (self.data_dir / f"scratch.sqlite3{suffix}").unlink(missing_ok=True)
            return
        import psycopg
        from psycopg import sql

        scratch.database = f"{self.database}_scratch"
        scratch.url = urlunsplit(urlsplit(POSTGRES_SERVER)._replace(path="/" + scratch.database))
        name, template = sql.Identifier(scratch.database), sql.Identifier(self.database)
        with psycopg.connect(POSTGRES_SERVER, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
            conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(name, template))
        try:
            yield scratch
        finally:
            with psycopg.connect(POSTGRES_SERVER, autocommit=True) as conn:
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))

    def is_built(self) -> bool:
        if not self.marker.exists():
            return False
        recorded = json.loads(self.marker.read_text())
        if recorded.get("migrations") != migrations_fingerprint() or recorded.get("size") != self.size:
            return False
        if self.engine == "sqlite":
            return (self.data_dir / "shiraka.sqlite3").exists()
        return self._postgres_database_exists()

    def _postgres_database_exists(self) -> bool:
        import psycopg

        with psycopg.connect(POSTGRES_SERVER, autocommit=True) as conn:
            row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.database]).fetchone()
        return row is not None

    def _reset(self) -> None:
        self.marker.unlink(missing_ok=True)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if self.engine == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                (self.data_dir / f"shiraka.sqlite3{suffix}").unlink(missing_ok=True)
            return
        import psycopg
        from psycopg import sql

        with psycopg.connect(POSTGRES_SERVER, autocommit=True) as conn:
            name = sql.Identifier(self.database)
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(name))

    def command(self, *args: str, source: Path, **run) -> subprocess.CompletedProcess:
        """A `shiraka` command run from `source` (the snapshot: its package comes first on sys.path)."""
        env = {**self.environment(), "PYTHONPATH": str(source)}
        run.setdefault("check", True)
        return subprocess.run([str(PYTHON), "-m", "shiraka.cli", *args], env=env, cwd=source, **run)

    def upgrade(self, log=print) -> bool:
        """A data set built for older migrations, migrated forward by the last commit and its kept
        figures computed again (`figures --refresh`), instead of a rebuild of most of an hour."""
        if not self.marker.exists() or self.is_built():
            return False
        source = snapshot()
        recorded = json.loads(self.marker.read_text())
        log(f"  {self.name}: migrating forward from {recorded.get('source', '?')} to {source.name}…")
        self.command("migrate", "--no-input", "-v", "0", source=source)
        figures = self.command("help", "figures", source=source, check=False, capture_output=True)
        if figures.returncode == 0:
            self.command("figures", "--refresh", source=source, stdout=subprocess.DEVNULL)
        recorded.update(migrations=migrations_fingerprint(source), upgraded_to=source.name, analyzed=False)
        self.marker.write_text(json.dumps(recorded))
        return True

    def build(self, *, rebuild: bool = False, upgrade: bool = False, log=print) -> float:
        """Build the data set unless it is already there for the current migrations (or, with
        `upgrade`, can be migrated forward to them); the build time in s."""
        if not rebuild and (self.is_built() or (upgrade and self.upgrade(log))):
            log(f"  {self.name}: reused ({self._describe()})")
            self.analyze()
            return 0.0
        log(f"  {self.name}: building ({self.size} agreements; several minutes per 5,000)…")
        started = time.perf_counter()
        source = snapshot()
        self._reset()
        self.command("migrate", "--no-input", "-v", "0", source=source)
        self.command("load_reference", source=source, stdout=subprocess.DEVNULL)
        self.command("load_demo", source=source, stdout=subprocess.DEVNULL)
        self.command(
            "synth", "--agreements", str(self.size), "--seed", str(SYNTH_SEED), "--quiet", source=source
        )
        elapsed = time.perf_counter() - started
        self.marker.write_text(
            json.dumps(
                {
                    "size": self.size,
                    "migrations": migrations_fingerprint(source),
                    "source": source.name,
                    "built_in_s": round(elapsed, 1),
                }
            )
        )
        log(f"  {self.name}: built in {elapsed:.0f} s")
        self.analyze()
        return elapsed

    def analyze(self) -> None:
        """PostgreSQL: the planner statistics autovacuum would gather soon after a bulk load (without
        them a fresh database plans nested loops over thousands of rows). Once per data set."""
        recorded = json.loads(self.marker.read_text())
        if self.engine != "postgres" or recorded.get("analyzed"):
            return
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
        self.marker.write_text(json.dumps({**recorded, "analyzed": True}))

    def _describe(self) -> str:
        recorded = json.loads(self.marker.read_text())
        return (
            f"built from {recorded.get('source', '?')} in {recorded.get('built_in_s', '?')} s"
            f" for migrations {recorded['migrations']}"
        )


def data_sets(sizes: list[int], engines: list[str], log=print) -> list[DataSet]:
    """The data sets asked for; PostgreSQL ones only when the server answers."""
    chosen = []
    for engine in engines:
        if engine == "postgres" and not postgres_reachable():
            log(f"  PostgreSQL not reachable at {POSTGRES_SERVER}: skipped")
            continue
        chosen.extend(DataSet(engine, size) for size in sizes)
    return chosen


def parse_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="5000,20000")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--rebuild", action="store_true", help="build again even when already built")
    parser.add_argument("--upgrade", action="store_true", help="migrate older data sets forward instead")
    args = parser.parse_args()
    sizes = [int(s) for s in parse_list(args.sizes)]
    for data_set in data_sets(sizes, parse_list(args.databases)):
        data_set.build(rebuild=args.rebuild, upgrade=args.upgrade)
    return 0


if __name__ == "__main__":
    sys.exit(main())
