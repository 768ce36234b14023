"""CLI refusals and output (no Django needed)."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from shiraka.extraction.cli import MAX_BYTES, MESSAGES, main
from shiraka.extraction.documents import REFUSALS

REPO = Path(__file__).resolve().parents[2]
ARTICLE = "تم توقيع اتفاقية شراكة بين مجلس جهة الشرق ووزارة الصحة بغلاف مالي قدره 20 مليون درهم."


def run(argv: list[str], stdin: bytes | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, stdin=io.BytesIO(stdin) if stdin is not None else None, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def assert_refused(code: int, out: str, err: str, key: str) -> None:
    assert code == 2
    assert out == ""
    assert err.strip() == MESSAGES[key] or err.startswith(MESSAGES[key].split("{")[0])
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_file_prints_gold_schema(tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    code, out, err = run([str(path)])
    assert code == 0, err
    data = json.loads(out)
    agreement = data["agreements"][0]
    assert set(agreement) == {
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
    assert agreement["total_amount"] == 20_000_000
    assert "ensure_ascii" not in out and "مجلس" in out


def test_stdin_and_spans() -> None:
    code, out, _ = run(["--spans", "-"], stdin=ARTICLE.encode())
    assert code == 0
    agreement = json.loads(out)["agreements"][0]
    start, end = agreement["spans"]["total_amount"]
    assert ARTICLE[start:end] == "20 مليون درهم"
    assert "committee" in agreement and "programme" in agreement


def test_refuses_empty(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("  \n\t ", encoding="utf-8")
    assert_refused(*run([str(path)]), "empty")
    assert_refused(*run(["-"], stdin=b""), "empty")


def test_refuses_binary(tmp_path: Path) -> None:
    path = tmp_path / "nul.bin"
    path.write_bytes(b"abc\x00def")
    assert_refused(*run([str(path)]), "binary")


def test_refuses_invalid_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("convention signée à Fès".encode("latin-1"))
    assert_refused(*run([str(path)]), "encoding")


def test_refuses_large_file(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(("ا" * 100 + "\n").encode() * (MAX_BYTES // 200 + 10))
    assert path.stat().st_size > MAX_BYTES
    assert_refused(*run([str(path)]), "too_large")
    assert_refused(*run(["-"], stdin=b"a" * (MAX_BYTES + 1)), "too_large")


def test_limit_is_one_mebibyte() -> None:
    assert MAX_BYTES == 1_048_576
    assert "1 MiB" in MESSAGES["too_large"]


def test_refusals_are_those_of_the_documents_module() -> None:
    assert set(MESSAGES) == set(REFUSALS) | {"usage"}
    assert MESSAGES["encoding"] == f"error: {REFUSALS['encoding']}"


def test_refuses_missing_file(tmp_path: Path) -> None:
    code, out, err = run([str(tmp_path / "nope.txt")])
    assert code == 2 and out == "" and "not found" in err and err.count("\n") == 1


@pytest.mark.parametrize(
    "text",
    [
        "The Ministry of Health signed a partnership agreement with the regional council of the Oriental "
        "for the construction of a hospital in the city of Oujda.",
        "卫生部与东部大区理事会签署了一项关于在乌季达市建设医院的合作协议。",
        "وزارت بهداشت یک قرارداد همکاری برای ساخت بیمارستان در این شهر امضا کرد که برای مردم است.",
    ],
)
def test_refuses_other_languages(text: str) -> None:
    assert_refused(*run(["-"], stdin=text.encode()), "language")


def test_accepts_french() -> None:
    text = (
        "Une convention de partenariat a été signée entre le ministère de la Santé et la Région pour 75 MDH."
    )
    code, out, _ = run(["-"], stdin=text.encode())
    assert code == 0
    assert json.loads(out)["agreements"][0]["total_amount"] == 75_000_000


def test_bad_usage_is_a_refusal() -> None:
    code, out, err = run([])
    assert code == 2 and out == "" and err.count("\n") == 1


def test_module_runs_without_django(tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    code = (
        "import sys, runpy; sys.modules['django'] = None; sys.argv = ['cli', sys.argv[1]];"
        "runpy.run_module('shiraka.extraction.cli', run_name='__main__')"
    )
    run_ok = subprocess.run(
        [sys.executable, "-m", "shiraka.extraction.cli", str(path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run_ok.returncode == 0, run_ok.stderr
    assert json.loads(run_ok.stdout)["agreements"][0]["currency"] == "MAD"
    no_django = subprocess.run(
        [sys.executable, "-c", code, str(path)], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert no_django.returncode == 0, no_django.stderr
    refused = subprocess.run(
        [sys.executable, "-m", "shiraka.extraction.cli", str(tmp_path / "missing.txt")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
