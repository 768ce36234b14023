"""The extractor over the shared corpus (skipped when ../shared is not beside the repo)."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from shiraka.extraction import extract

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
CORPUS = SHARED / "corpus"


def _files(folder: str) -> list[Path]:
    if not (CORPUS / folder).is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    return sorted((CORPUS / folder).glob("*.json"))


def test_seeds_totals_and_dates_are_exact() -> None:
    for path in _files("seeds"):
        article = json.loads(path.read_text(encoding="utf-8"))
        result = extract(article["text"])
        gold = article["gold"]["agreements"]
        assert sorted(a.total_amount for a in result.agreements if a.total_amount is not None) == sorted(
            Decimal(a["total_amount"]) for a in gold if a["total_amount"] is not None
        ), path.name
        assert {a.signed_on for a in result.agreements} == {date.fromisoformat(a["signed_on"]) for a in gold}
        assert {a.kind for a in result.agreements} == {a["kind"] for a in gold}


def test_seed_text_files_match() -> None:
    seeds = sorted((SHARED / "seeds").glob("*.txt")) if (SHARED / "seeds").is_dir() else []
    if not seeds:
        pytest.skip("seed texts not found")
    totals = []
    for path in seeds:
        result = extract(path.read_text(encoding="utf-8"))
        totals.extend(a.total_amount for a in result.agreements if a.total_amount is not None)
    assert sorted(totals) == [Decimal(26_343_000), Decimal(158_160_000), Decimal(443_000_000)]


def test_dev_corpus_runs_and_keeps_schema_and_spans() -> None:
    keys = {
        "kind",
        "title",
        "signed_on",
        "place",
        "total_amount",
        "currency",
        "project_count",
        "partners",
        "signatories",
        "amounts",
        "locations",
        "projects",
    }
    for path in _files("dev"):
        text = json.loads(path.read_text(encoding="utf-8"))["text"]
        result = extract(text)
        assert result.agreements, path.name
        for agreement in result.to_dict()["agreements"]:
            assert set(agreement) == keys
        for draft in result.agreements:
            for item in draft.amounts:
                assert 0 <= item.span[0] < item.span[1] <= len(text)
            for mention in draft.locations + draft.projects:
                assert mention.span and text[mention.span[0] : mention.span[1]] == mention.text


def test_dev_totals_are_mostly_right() -> None:
    hits = total = 0
    for path in _files("dev"):
        article = json.loads(path.read_text(encoding="utf-8"))
        gold = {
            Decimal(a["total_amount"]) for a in article["gold"]["agreements"] if a["total_amount"] is not None
        }
        pred = {a.total_amount for a in extract(article["text"]).agreements if a.total_amount is not None}
        hits += len(gold & pred)
        total += len(gold)
    assert hits / total >= 0.65


def test_deterministic() -> None:
    for path in _files("dev")[:5]:
        text = json.loads(path.read_text(encoding="utf-8"))["text"]
        assert extract(text).to_dict(spans=True) == extract(text).to_dict(spans=True)
