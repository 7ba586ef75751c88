"""The package shows its pipeline, and the picture cannot rot: stage order, who may
import ReportLab, PyYAML and click (import-linter's contracts in pyproject.toml), no
import cycles, no import by name, and a reason beside every import inside a function."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "studyguide"
STAGES = ("model", "load", "validate", "citations", "resolve", "style", "layout", "render",
          "handouts", "output", "commands")


def modules() -> Iterator[tuple[str, Path]]:
    """Every module of the package: its dotted name and its file."""
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        yield ".".join(parts), path


def _type_checking_lines(tree: ast.Module) -> set[int]:
    """Lines inside `if TYPE_CHECKING:` blocks: imports for annotations, never run."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def imports_of(name: str, path: Path) -> Iterator[tuple[str, ast.stmt, bool]]:
    """The package modules that `name` imports, with the statement and whether it is
    inside a function; imports for type checking only are left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    known = dict(modules())
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    skip = _type_checking_lines(tree)
    in_function = {id(node) for fn in ast.walk(tree)
                   if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef))
                   for node in ast.walk(fn)}
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Import, ast.ImportFrom)) or node.lineno in skip:
            continue
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            targets = [f"{origin}.{alias.name}" if f"{origin}.{alias.name}" in known else origin
                       for alias in node.names]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]  # `import a.b.c` names its module a.b.c
            if target.startswith("studyguide") and target != name:
                yield target, node, id(node) in in_function


def test_the_stage_contracts_hold() -> None:
    pytest.importorskip("importlinter")
    run = subprocess.run([sys.executable, "-c", "import sys; from importlinter.cli import "
                          "lint_imports; sys.exit(lint_imports(no_cache=True))"],
                         cwd=ROOT, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "4 kept, 0 broken" in run.stdout


def test_no_import_cycles_counting_imports_inside_functions() -> None:
    graph = {name: {target for target, _node, _inner in imports_of(name, path)}
             for name, path in modules()}
    # Tarjan's strongly connected components: any with two modules or more is a cycle.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    assert cycles == []


def test_no_module_is_imported_by_name() -> None:
    found = []
    for name, path in modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and ast.unparse(node.func) in (
                    "importlib.import_module", "import_module", "__import__"):
                found.append(f"{name}:{node.lineno}")
    assert found == []


def test_an_import_inside_a_function_says_why() -> None:
    """Only for a command's cold start: the comment above the imports (or on the line)
    says what loading them there saves."""
    unexplained = []
    for name, path in modules():
        lines = path.read_text(encoding="utf-8").splitlines()
        tree = ast.parse("\n".join(lines))
        for fn in ast.walk(tree):
            if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(fn):
                if not isinstance(node, (ast.Import, ast.ImportFrom)):
                    continue
                row = node.lineno - 1
                if "#" in lines[row]:
                    continue
                # Look up over the imports of the same group to the comment above them.
                above = row - 1
                while above >= 0 and (not lines[above].strip()
                                      or lines[above].strip().startswith(("import ", "from "))):
                    above -= 1
                if above < 0 or not lines[above].strip().startswith("#"):
                    unexplained.append(f"{name}:{node.lineno}: {lines[row].strip()}")
    assert unexplained == []


def test_each_stage_is_a_subpackage_that_says_its_job_and_its_imports() -> None:
    for stage in STAGES:
        init = PACKAGE / stage / "__init__.py"
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert doc.startswith(f"{stage}: "), stage
        assert "May import:" in doc, stage
    loose = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert loose == ["__init__.py", "__main__.py", "api.py", "batch.py", "pipeline.py"]


def test_every_module_says_what_it_is_for() -> None:
    missing = [name for name, path in modules()
               if not ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))]
    assert missing == []


def test_the_contract_lists_every_stage() -> None:
    contract = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    for stage in STAGES:
        assert f'"studyguide.{stage}",' in contract, stage
