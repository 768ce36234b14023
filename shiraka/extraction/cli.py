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

from .extractor import extract
from .lang import detect_language

# 1 MiB: the archive stores excerpts of about 2 kB, so anything this big is not an article.
MAX_BYTES = 1_048_576
EXIT_REFUSED = 2

# Kept together so they can be translated later.
MESSAGES = {
    "missing": "error: file not found: {path}",
    "unreadable": "error: cannot read {path}: {reason}",
    "too_large": "error: input is larger than 1 MiB (1,048,576 bytes); refusing to read it",
    "binary": "error: input looks binary (NUL bytes), not text",
    "encoding": "error: input is not valid UTF-8 text",
    "empty": "error: input is empty",
    "language": "error: text is neither Arabic nor French; nothing extracted",
    "usage": "usage: shiraka extract [--spans] FILE|-",
}


class Refusal(Exception):
    def __init__(self, key: str, **values: object) -> None:
        super().__init__(MESSAGES[key].format(**values))


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
    data = _read_bytes(source, stdin)
    if b"\x00" in data:
        raise Refusal("binary")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Refusal("encoding") from error
    if not text.strip():
        raise Refusal("empty")
    if detect_language(text) is None:
        raise Refusal("language")
    return text


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse would exit with its own text
        raise Refusal("usage")


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
    except Refusal as refusal:
        print(str(refusal), file=stderr)
        return EXIT_REFUSED
    json.dump(result.to_dict(spans=args.spans), stdout, ensure_ascii=False, indent=2)
    stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
