"""Dependencies run one way: each package of `shiraka` imports only from the layers below it, and the
extraction imports nothing from the project or from Django. Every import is read, including those
inside functions, so a late import cannot hide an upward dependency."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "shiraka"

# Lowest first. A package may import from itself and from any package before it.
LAYERS = [
    "core",
    "territory",
    "organisations",
    "agreements",
    "projects",
    "portfolio",
    "followup",
    "accounts",
    "intake",
    "exchange",
    "reporting",
    "demo",
    "operations",
    "web",
    "api",
]
# The project's own modules at the top: settings, URLs, the `shiraka` command, WSGI.
TOP = {"__init__", "settings", "urls", "cli", "wsgi"}
# The extraction is a library under everything: anyone may import it, it imports nothing back.
LIBRARY = "extraction"


def rank(name: str) -> int:
    if name == LIBRARY:
        return -1
    if name in TOP:
        return len(LAYERS)
    return LAYERS.index(name)


def package_of(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def imported_packages(path: Path) -> list[tuple[int, str, str]]:
    """(line, imported shiraka package, module as written) for every import of `path`."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    depth = len(path.relative_to(PACKAGE).parts) - 1
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                # A relative import climbing out of its package names another package.
                if node.level <= depth:
                    continue
                modules = [f"shiraka.{node.module}" if node.module else "shiraka"]
            else:
                modules = [node.module or ""]
        else:
            continue
        for module in modules:
            parts = module.split(".")
            if parts[0] == "shiraka" and len(parts) > 1:
                found.append((node.lineno, parts[1], module))
            elif parts[0] in {"django", "simple_history", "axes"}:
                found.append((node.lineno, "django", module))
    return found


def python_files() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if "node_modules" not in path.parts)


def upward_imports() -> list[str]:
    problems = []
    for path in python_files():
        package = package_of(path)
        if package not in LAYERS and package not in TOP and package != LIBRARY:
            problems.append(f"{path.relative_to(PACKAGE)}: package {package!r} has no layer in {__name__}")
            continue
        for line, target, module in imported_packages(path):
            where = f"{path.relative_to(PACKAGE)}:{line}"
            if package == LIBRARY and target != LIBRARY:
                problems.append(f"{where}: the extraction imports {module}")
            elif target == "django" or target == package:
                continue
            elif target not in LAYERS and target not in TOP and target != LIBRARY:
                problems.append(f"{where}: {module} is in no layer")
            elif rank(target) > rank(package):
                problems.append(f"{where}: {package} imports {module}, a layer above it")
    return problems


def test_every_import_runs_downward():
    assert upward_imports() == []


@pytest.mark.parametrize(
    ("package", "source", "expected"),
    [
        ("agreements", "from shiraka.projects.models import Project\n", "a layer above it"),
        ("core", "def late():\n    from shiraka.web import views\n", "a layer above it"),
        ("extraction", "from shiraka.core.text import fold\n", "the extraction imports"),
        ("extraction", "import django.utils\n", "the extraction imports"),
        ("projects", "from ..agreements.models import Agreement\n", None),
        ("agreements", "from ..followup.models import Committee\n", "a layer above it"),
    ],
)
def test_the_layering_check_catches_upward_imports(tmp_path, monkeypatch, package, source, expected):
    """The check itself can fail: a module planted in a copy of the tree is reported."""
    fake = tmp_path / "shiraka"
    for name in [*LAYERS, LIBRARY]:
        (fake / name).mkdir(parents=True)
    (fake / package / "planted.py").write_text(source, encoding="utf-8")
    monkeypatch.setattr(__import__(__name__, fromlist=["PACKAGE"]), "PACKAGE", fake)
    problems = upward_imports()
    if expected is None:
        assert problems == []
    else:
        assert len(problems) == 1 and expected in problems[0]
