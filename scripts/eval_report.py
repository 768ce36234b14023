#!/usr/bin/env python3
"""Per-article error report of the extraction against an annotated corpus folder.

    python scripts/eval_report.py ../shared/corpus/dev [--half even|odd] [--summary] [--field partners]

For every article and field it prints what the gold has and the extraction missed (-) and what the
extraction found that the gold does not have (+). The matching is the scorer's own
(../shared/corpus/score.py, loaded from the corpus folder): the scorer stays the judge, this script
only says where the points were lost.

`--half even|odd` keeps the articles of even or odd rank in the sorted list of ids, so that a rule can
be written while looking at one half and checked on the other. `--summary` prints only the per-field
scores and the macro-F1 of the chosen articles, for both halves side by side.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from shiraka.extraction import extract  # noqa: E402

FIELDS = (
    "kind",
    "signed_on",
    "total",
    "amounts",
    "project_count",
    "partners",
    "signatories",
    "locations",
    "projects",
)


def load_scorer(corpus_folder: Path):
    """score.py sits beside the article folders (corpus/dev -> corpus/score.py)."""
    for candidate in (corpus_folder / "score.py", corpus_folder.parent / "score.py"):
        if candidate.is_file():
            spec = importlib.util.spec_from_file_location("corpus_score", candidate)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            return module
    raise SystemExit(f"no score.py beside {corpus_folder}")


def unmatched_fuzzy(score, gold: list[str], pred: list[str], threshold: float) -> tuple[list, list]:
    """The scorer's greedy one-to-one matching, returning what was left on each side."""
    pairs = sorted(
        ((score.similarity(g, p), i, j) for i, g in enumerate(gold) for j, p in enumerate(pred)), reverse=True
    )
    used_g: set[int] = set()
    used_p: set[int] = set()
    for value, i, j in pairs:
        if value < threshold:
            break
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
    return [g for i, g in enumerate(gold) if i not in used_g], [
        p for j, p in enumerate(pred) if j not in used_p
    ]


def unmatched_amounts(score, gold: list, pred: list) -> tuple[list, list]:
    left = list(pred)
    missed = []
    for amount, currency in gold:
        for k, (p_amount, p_currency) in enumerate(left):
            if score.close(p_amount, amount) and (currency or "MAD") == (p_currency or "MAD"):
                del left[k]
                break
        else:
            missed.append(amount)
    return missed, [a for a, _ in left]


def errors(score, gold_doc: dict, pred_doc: dict) -> dict[str, tuple[list, list]]:
    g, p = score.fields(gold_doc), score.fields(pred_doc)
    out = {}
    for key in g:
        if key in score.FUZZY_FIELDS:
            out[key] = unmatched_fuzzy(score, g[key], p[key], score.THRESHOLD[key])
        elif key in ("total", "amounts"):
            out[key] = unmatched_amounts(score, g[key], p[key])
        else:
            out[key] = ([x for x in g[key] if x not in p[key]], [x for x in p[key] if x not in g[key]])
    return out


def f1_table(totals: dict[str, list[int]]) -> dict[str, float]:
    out = {}
    for key, (hits, n_gold, n_pred) in totals.items():
        precision = hits / n_pred if n_pred else (1.0 if not n_gold else 0.0)
        recall = hits / n_gold if n_gold else (1.0 if not n_pred else 0.0)
        out[key] = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--half", choices=("even", "odd", "all"), default="all")
    parser.add_argument("--field", choices=FIELDS, action="append", help="report only these fields")
    parser.add_argument("--summary", action="store_true", help="only the scores of both halves")
    args = parser.parse_args(argv)
    score = load_scorer(args.corpus)
    files = sorted(args.corpus.glob("*.json"))
    if not files:
        print(f"no annotated articles in {args.corpus}", file=sys.stderr)
        return 2
    halves = {"even": {}, "odd": {}}
    shown = set(args.field or FIELDS)
    for rank, path in enumerate(files):
        half = "even" if rank % 2 == 0 else "odd"
        article = json.loads(path.read_text(encoding="utf-8"))
        pred = extract(article["text"]).to_dict()
        for key, counts in score.count(article["gold"], pred).items():
            bucket = halves[half].setdefault(key, [0, 0, 0])
            for n in range(3):
                bucket[n] += counts[n]
        if args.summary or args.half not in ("all", half):
            continue
        lines = []
        for key, (missed, extra) in errors(score, article["gold"], pred).items():
            if key not in shown or not (missed or extra):
                continue
            lines += [f"   {key:<13} - {item}" for item in missed]
            lines += [f"   {key:<13} + {item}" for item in extra]
        if lines:
            print(f"{path.stem} ({article.get('language')}, {half})")
            print("\n".join(lines))
    scores = {half: f1_table(totals) for half, totals in halves.items()}
    print(f"{'field':<14}{'even':>7}{'odd':>7}")
    for key in FIELDS:
        print(f"{key:<14}{scores['even'].get(key, 0):>7.3f}{scores['odd'].get(key, 0):>7.3f}")
    macro = {half: sum(s.values()) / len(s) if s else 0.0 for half, s in scores.items()}
    print(f"{'macro-F1':<14}{macro['even']:>7.3f}{macro['odd']:>7.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
