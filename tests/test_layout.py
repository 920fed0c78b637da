"""The tree shows the tool: a thin root, the notes format apart, no giant pieces, no upward import.

What docs/architecture.md draws, checked on the source: a newcomer who opens studykit/ finds the
notes format in notes/, each capability in a package of its own, the command line in cli/.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "studykit"
CAPABILITIES = {"anki", "review", "handouts", "ingest", "quality", "citing"}
# Who may import whom: a package's name, then the packages of studykit it may import from
# (the root's modules, `errors`, `files`, ... are everyone's). Nothing imports the command line.
MAY_IMPORT = {
    "processes": set(),
    "notes": {"processes"},
    "identity": {"notes", "processes"},
    "citing": {"notes", "processes"},
    "quality": {"notes", "identity", "processes"},
    "anki": {"notes", "identity", "citing", "quality", "review", "processes"},
    "review": {"notes", "identity", "citing", "quality", "terminal", "processes"},
    "handouts": {"notes", "citing", "processes"},
    "ingest": {"notes", "identity", "quality", "processes"},
    "terminal": {"notes", "identity", "citing", "quality", "processes"},
    "cli": {*CAPABILITIES, "notes", "identity", "terminal", "processes"},
}
ROOT_MODULES = 8
MODULE_LINES, FUNCTION_LINES, CLASS_LINES = 450, 80, 250


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _package(path: Path) -> str | None:
    """The subpackage a module is in, None for the root's modules."""
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else None


def _imported(path: Path) -> set[str]:
    """The subpackages of studykit a module imports, wherever in it the import stands."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "studykit" and len(parts) > 1 and (PACKAGE / parts[1]).is_dir():
                found.add(parts[1])
    return found


def test_the_root_holds_a_handful_of_modules() -> None:
    root = sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem not in ("__init__", "__main__"))
    assert len(root) <= ROOT_MODULES, root


def test_no_import_runs_against_the_layers() -> None:
    wrong = []
    for path in _modules():
        package = _package(path)
        if package is None:  # the root's modules serve everyone; __main__ starts the command line
            allowed = set(MAY_IMPORT) - ({"cli"} if path.name != "__main__.py" else set())
        else:
            allowed = MAY_IMPORT[package]
        for imported in _imported(path) - {package} - allowed:
            wrong.append(f"{path.relative_to(PACKAGE)} imports studykit.{imported}")
    assert not wrong, "\n".join(wrong)


def test_typer_stays_in_the_command_line() -> None:
    users = [
        str(path.relative_to(PACKAGE))
        for path in _modules()
        if _package(path) != "cli" and "typer" in path.read_text(encoding="utf-8").split()
    ]
    assert not users, users


def test_no_giant_pieces() -> None:
    too_big = []
    for path in _modules():
        source = path.read_text(encoding="utf-8")
        name = path.relative_to(PACKAGE)
        if (lines := source.count("\n")) > MODULE_LINES:
            too_big.append(f"{name}: {lines} lines")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                assert node.end_lineno is not None
                length = node.end_lineno - node.lineno + 1
                limit = CLASS_LINES if isinstance(node, ast.ClassDef) else FUNCTION_LINES
                if length > limit:
                    too_big.append(f"{name}: {node.name} {length} lines")
    assert not too_big, "\n".join(too_big)
