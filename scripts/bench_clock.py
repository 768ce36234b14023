"""Wall clock and CPU time for the bulk benchmarks: this process's CPU plus, on a local PostgreSQL,
the CPU of its server process (read from /proc), so that work done by the database counts too."""

import os
import time
from pathlib import Path

from django.db import connection


def server_cpu() -> float:
    """CPU seconds of this connection's PostgreSQL server process (0 elsewhere, or when unreadable)."""
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Clock:
    """`with Clock() as c:` … then `c.wall` and `c.cpu` in seconds."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time() + server_cpu()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() + server_cpu() - self.cpu
