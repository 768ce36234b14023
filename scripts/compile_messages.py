"""Compile shiraka/locale/*/LC_MESSAGES/django.po into .mo files without GNU gettext, so a fresh
machine needs nothing beyond Python. Handles msgctxt, plurals and multi-line strings."""

import ast
import struct
import sys
from pathlib import Path

LOCALE = Path(__file__).resolve().parent.parent / "shiraka" / "locale"


def parse_po(path: Path) -> dict[bytes, bytes]:
    messages: dict[bytes, bytes] = {}
    entry: dict[str, list[str]] = {}
    key = None
    fuzzy = False

    def flush():
        nonlocal entry, fuzzy
        if "msgid" in entry and not fuzzy:
            msgid = "".join(entry["msgid"])
            context = "".join(entry.get("msgctxt", [])) if "msgctxt" in entry else None
            if "msgid_plural" in entry:
                forms = [("".join(entry[k])) for k in sorted(k for k in entry if k.startswith("msgstr["))]
                source = msgid + "\x00" + "".join(entry["msgid_plural"])
                target = "\x00".join(forms)
            else:
                source, target = msgid, "".join(entry.get("msgstr", []))
            if context is not None:
                source = context + "\x04" + source
            if target.replace("\x00", "") or source == "":
                messages[source.encode()] = target.encode()
        entry, fuzzy = {}, False

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#,") and "fuzzy" in line:
            flush()
            fuzzy = True
            continue
        if not line or line.startswith("#"):
            if not line and entry:
                flush()
            continue
        if line.startswith('"'):
            entry[key].append(ast.literal_eval(line))
            continue
        keyword, _, rest = line.partition(" ")
        if (
            keyword in {"msgid", "msgctxt"}
            and "msgid" in entry
            and ("msgstr" in entry or "msgstr[0]" in entry)
        ):
            flush()
        key = keyword
        entry[key] = [ast.literal_eval(rest)]
    flush()
    return messages


def write_mo(messages: dict[bytes, bytes], path: Path) -> None:
    keys = sorted(messages)
    ids = b"".join(k + b"\x00" for k in keys)
    strs = b"".join(messages[k] + b"\x00" for k in keys)
    count = len(keys)
    header = 7 * 4
    table = count * 8
    ids_start = header + 2 * table
    offsets_ids, offsets_strs = [], []
    position = 0
    for k in keys:
        offsets_ids += [len(k), ids_start + position]
        position += len(k) + 1
    strs_start = ids_start + len(ids)
    position = 0
    for k in keys:
        value = messages[k]
        offsets_strs += [len(value), strs_start + position]
        position += len(value) + 1
    output = struct.pack("Iiiiiii", 0x950412DE, 0, count, header, header + table, 0, 0)
    output += struct.pack(f"{2 * count}i", *offsets_ids) + struct.pack(f"{2 * count}i", *offsets_strs)
    path.write_bytes(output + ids + strs)


def main() -> int:
    compiled = 0
    for po in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        write_mo(parse_po(po), po.with_suffix(".mo"))
        compiled += 1
    print(f"translations: {compiled} catalogue(s) compiled")
    return 0


if __name__ == "__main__":
    sys.exit(main())
