"""Write a development checkout's local.env (debug on, a generated secret key) unless it exists, so
that `.venv/bin/shiraka …` works after `make install` without exporting anything. Git ignores it;
a served app (shiraka.wsgi) never reads it."""

import os
import secrets
import sys
from pathlib import Path


def main() -> None:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "local.env")
    if path.exists():
        return
    text = (
        "# Development settings of this checkout, written by `make install` (never used by gunicorn).\n"
        "SHIRAKA_DEBUG=1\n"
        f"SHIRAKA_SECRET_KEY={secrets.token_urlsafe(50)}\n"
    )
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(text)
    print(f"wrote {path} (development settings with a generated secret key)")


if __name__ == "__main__":
    main()
