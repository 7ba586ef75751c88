"""Case folders run end to end through the CLI: a project with one mistake each.

Each folder under tests/cases/ is a small guide project; `expected.txt` is the
exact stderr of `make_guide.py build` run inside it, and `validate` must say
the same ({root} stands for the
project's absolute path). Every case must exit 1 and write no PDF.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from studyguide.commands.cli import main

CASES = Path(__file__).parent / "cases"


@pytest.mark.parametrize("command", ["build", "validate"])
@pytest.mark.parametrize("name", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_case(name: str, command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / name
    shutil.copytree(CASES / name, project, ignore=shutil.ignore_patterns("expected.txt"))
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, [command], catch_exceptions=False)
    expected = (CASES / name / "expected.txt").read_text().replace("{root}", str(project))
    assert (result.exit_code, result.stderr) == (1, expected)
    assert result.stdout == ""
    assert not (project / "build").exists()
