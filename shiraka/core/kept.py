"""Versions of the figures kept by part, and the parts themselves, kept in the database.

A part (a region's money sums, its projects, its alert counts) is computed by a reader and kept under
a key naming the versions it was computed at. Writers move a part's version by inserting a mark in
their own transaction (`mark`): the version moves when, and only when, the write commits, whichever
process reads it, and the writer waits for no row. A version is read in one statement
(`versions`): the marks counted and their tokens added, on top of what `fold_marks` folded.

Keys holding a "@" (`slot@versions`) are also kept in the database (`KeptPart`, one row per slot):
a process whose cache does not hold a part (just started, its cache emptied, or each process with
its own) reads it there instead of summing every agreement of the region again.

The order matters for a reader: versions first, rows after. A part computed after a commit that its
versions did not see is kept under versions that are already past, never read again."""

import functools
import pickle
import random
import time
from collections import defaultdict

from django.db import connection, transaction

from shiraka.core.models import FiguresMark, FiguresVersion, KeptPart

EPOCH = "epoch"
GENERATION = "generation"
# Tokens are below this, and their sums kept modulo it: no sum overflows a 64-bit integer.
TOKENS = 2**31
# Every this many marks (by their keys), the writer folds the marks before its own once it commits.
FOLD_EVERY = 512


def mark(kind_parts: dict[str, list[str]]) -> None:
    """Move the version of each part of each kind, in the current transaction."""
    rows = [
        FiguresMark(kind=kind, part=part, token=random.randrange(1, TOKENS))
        for kind, parts in kind_parts.items()
        for part in sorted(parts)
    ]
    if not rows:
        return
    FiguresMark.objects.bulk_create(rows)
    due = [row.pk for row in rows if row.pk is not None and row.pk % FOLD_EVERY == 0]
    if due:
        transaction.on_commit(functools.partial(fold_marks, max(due)), robust=True)


def versions(kinds: list[str]) -> tuple[str, dict[str, dict[str, str]]]:
    """The epoch (with the generation) and the version of each part of `kinds` ("0" for a part never
    marked): one statement, so one snapshot, whether or not a fold commits meanwhile."""
    found = _counted([GENERATION, EPOCH, *kinds])
    if (GENERATION, "") not in found:
        _start_generation()
        found = _counted([GENERATION, EPOCH, *kinds])
    generation = found.pop((GENERATION, ""))[0]
    epoch = found.pop((EPOCH, ""), (0, 0))
    by_kind: dict[str, dict[str, str]] = {kind: Versions() for kind in kinds}
    for (kind, part), (marks, tokens) in found.items():
        by_kind[kind][part] = f"{marks}.{tokens % TOKENS}"
    return f"{generation}.{epoch[0]}.{epoch[1] % TOKENS}", by_kind


class Versions(dict):
    """Each part's version by its name; a part never marked is at "0"."""

    def __missing__(self, part: str) -> str:
        return "0"


def _counted(kinds: list[str]) -> dict[tuple[str, str], tuple[int, int]]:
    quote = connection.ops.quote_name
    marks, folded = quote(FiguresMark._meta.db_table), quote(FiguresVersion._meta.db_table)
    wanted = ", ".join(["%s"] * len(kinds))
    sql = (
        "SELECT kind, part, SUM(n), SUM(t) FROM ("
        f" SELECT kind, part, marks AS n, tokens AS t FROM {folded} WHERE kind IN ({wanted})"
        " UNION ALL"
        f" SELECT kind, part, COUNT(*) AS n, SUM(token) AS t FROM {marks} WHERE kind IN ({wanted})"
        " GROUP BY kind, part"
        ") counted GROUP BY kind, part"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*kinds, *kinds])
        return {(kind, part): (int(n), int(t)) for kind, part, n, t in cursor.fetchall()}


def _start_generation() -> None:
    """Versions start at a new generation in a database that has none (new, flushed, restored): a key
    naming versions of another database's figures is never read for this one's."""
    FiguresVersion.objects.bulk_create(
        [FiguresVersion(kind=GENERATION, part="", marks=time.time_ns())], ignore_conflicts=True
    )


def fold_marks(upto: int) -> None:
    """Move the committed marks up to `upto` into their parts' folded counts, in one transaction: a
    reader sees them as marks or as folded, never both nor neither. Marks not yet committed stay."""
    quote = connection.ops.quote_name
    marks, folded = quote(FiguresMark._meta.db_table), quote(FiguresVersion._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {marks} WHERE id <= %s RETURNING kind, part, token", [upto])
        sums: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
        for kind, part, token in cursor.fetchall():
            sums[(kind, part)][0] += 1
            sums[(kind, part)][1] = (sums[(kind, part)][1] + token) % TOKENS
        for (kind, part), (count, tokens) in sorted(sums.items()):
            cursor.execute(
                f"INSERT INTO {folded} (kind, part, marks, tokens) VALUES (%s, %s, %s, %s)"
                " ON CONFLICT (kind, part) DO UPDATE SET marks = "
                f"{folded}.marks + excluded.marks, tokens = ({folded}.tokens + excluded.tokens) %% %s",
                [kind, part, count, tokens, TOKENS],
            )


# --- parts kept in the database ------------------------------------------------------------------


def persisted(key: str) -> bool:
    return "@" in key


def slot_of(key: str) -> str:
    return key.partition("@")[0]


def read_parts(keys: list[str]) -> dict:
    """The values kept in the database under `keys` (those naming versions)."""
    wanted = [key for key in keys if persisted(key)]
    if not wanted:
        return {}
    rows = KeptPart.objects.filter(key__in=wanted).values_list("key", "value")
    return {key: pickle.loads(value) for key, value in rows}


def keep_parts(values: dict) -> None:
    """Keep the values under keys naming versions, one row per slot (in the slots' order: two readers
    keeping the same parts take their rows in the same order)."""
    rows = sorted(
        (
            KeptPart(slot=slot_of(key), key=key, value=pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
            for key, value in values.items()
            if persisted(key)
        ),
        key=lambda row: row.slot,
    )
    if rows:
        KeptPart.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["slot"], update_fields=["key", "value", "kept_at"]
        )


def held_and_summed(keys: dict, compute) -> list[tuple]:
    """For `--verify`: each part kept in the database under its key in `keys` ({part: key}), as kept
    and as `compute(parts)` ({part: value}) gives it now."""
    stored = read_parts(list(keys.values()))
    held = [part for part, key in keys.items() if key in stored]
    computed = compute(held) if held else {}
    return [(part, stored[keys[part]], computed[part]) for part in held]
