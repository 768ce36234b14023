"""Sizes a reader can hold: no function of the project (its package and its scripts) is longer than 60
lines, and no module of the web layer longer than 400. The data tables of the extraction are module
constants, not functions, so they are not counted; migrations are generated and not read."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LONGEST_FUNCTION = 60
LONGEST_WEB_MODULE = 400


def project_files(root: Path) -> list[Path]:
    found = [*(root / "shiraka").rglob("*.py"), *(root / "scripts").rglob("*.py")]
    return sorted(
        path for path in found if "migrations" not in path.parts and "node_modules" not in path.parts
    )


def long_functions(root: Path) -> list[str]:
    problems = []
    for path in project_files(root):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > LONGEST_FUNCTION:
                    problems.append(f"{path.relative_to(root)}:{node.lineno} {node.name} is {length} lines")
    return problems


def long_web_modules(root: Path) -> list[str]:
    problems = []
    for path in sorted((root / "shiraka" / "web").rglob("*.py")):
        length = len(path.read_text(encoding="utf-8").splitlines())
        if length > LONGEST_WEB_MODULE:
            problems.append(f"{path.relative_to(root)} is {length} lines")
    return problems


def test_no_function_is_longer_than_sixty_lines():
    assert long_functions(ROOT) == []


def test_no_web_module_is_longer_than_four_hundred_lines():
    assert long_web_modules(ROOT) == []


def test_the_size_checks_catch_a_long_function_and_a_long_web_module(tmp_path):
    (tmp_path / "shiraka" / "web").mkdir(parents=True)
    (tmp_path / "scripts").mkdir()
    body = "".join(f"    x{n} = {n}\n" for n in range(LONGEST_FUNCTION))
    (tmp_path / "scripts" / "long.py").write_text(f"def long():\n{body}", encoding="utf-8")
    (tmp_path / "shiraka" / "web" / "short.py").write_text(f"def short():\n{body[:-11]}", encoding="utf-8")
    (tmp_path / "shiraka" / "web" / "big.py").write_text(
        "x = 1\n" * (LONGEST_WEB_MODULE + 1), encoding="utf-8"
    )
    assert long_functions(tmp_path) == [f"scripts/long.py:1 long is {LONGEST_FUNCTION + 1} lines"]
    assert long_web_modules(tmp_path) == [f"shiraka/web/big.py is {LONGEST_WEB_MODULE + 1} lines"]
