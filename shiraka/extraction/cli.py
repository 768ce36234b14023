"""Command line: `python -m shiraka.extraction.cli FILE` (or `-` for standard input).

Prints the JSON of the draft; `--spans` adds committee, programme and source spans.
Refusals are one line on standard error with exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import BinaryIO, TextIO

from .documents import MAX_BYTES, REFUSALS, Refusal, checked, decoded
from .extractor import extract

EXIT_REFUSED = 2
USAGE = "usage: shiraka extract [--spans] FILE|-"

# The lines printed on standard error, one per refusal (the reasons are in documents.REFUSALS).
MESSAGES = {key: f"error: {reason}" for key, reason in REFUSALS.items()} | {"usage": USAGE}


class _UsageError(Exception):
    """Bad arguments: answered with the usage line, not argparse's own text and exit code."""


def _read_bytes(source: str, stdin: BinaryIO | TextIO | None) -> bytes:
    if source == "-":
        stream = stdin if stdin is not None else sys.stdin
        buffer = getattr(stream, "buffer", stream)
        data = buffer.read(MAX_BYTES + 1)
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogatepass")
    else:
        path = Path(source)
        if not path.is_file():
            raise Refusal("missing", path=source)
        try:
            if path.stat().st_size > MAX_BYTES:
                raise Refusal("too_large")
            with path.open("rb") as handle:
                data = handle.read(MAX_BYTES + 1)
        except OSError as error:
            raise Refusal("unreadable", path=source, reason=error.strerror or error) from error
    if len(data) > MAX_BYTES:
        raise Refusal("too_large")
    return data


def read_text(source: str, stdin: BinaryIO | TextIO | None = None) -> str:
    """The text to extract from, or a Refusal explaining why not."""
    return checked(decoded(_read_bytes(source, stdin)))


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse would exit with its own text
        raise _UsageError(message)


def main(
    argv: list[str] | None = None,
    stdin: BinaryIO | TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    stdout = stdout if stdout is not None else sys.stdout
    stderr = stderr if stderr is not None else sys.stderr
    parser = _Parser(prog="shiraka extract", add_help=True, description=__doc__)
    parser.add_argument("file", help="text file, or - for standard input")
    parser.add_argument("--spans", action="store_true", help="add committee, programme and source spans")
    try:
        args = parser.parse_args(sys.argv[1:] if argv is None else argv)
        text = read_text(args.file, stdin)
        result = extract(text)
    except _UsageError:
        print(MESSAGES["usage"], file=stderr)
        return EXIT_REFUSED
    except Refusal as refusal:
        print(MESSAGES[refusal.key].format(**refusal.values), file=stderr)
        return EXIT_REFUSED
    json.dump(result.to_dict(spans=args.spans), stdout, ensure_ascii=False, indent=2)
    stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
