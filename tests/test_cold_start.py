"""Commands import and run only what they need: `--help`, `validate`, `check` and
`audiences` start without ReportLab, and without running pandoc (the shipped guide's
bibliography is CSL-YAML, which is read without it)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROBE = """
import contextlib, io, runpy, sys
sys.argv = ["make_guide.py", *sys.argv[1:]]
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    try:
        runpy.run_path("make_guide.py", run_name="__main__")
    except SystemExit:
        pass
print(sorted({name.split(".")[0] for name in sys.modules} & {"reportlab"}))
"""


@pytest.mark.parametrize("command", [["--help"], ["validate"], ["check"], ["audiences"],
                                     ["build", "--help"]])
def test_a_command_that_lays_nothing_out_imports_no_layout_or_citations(command,
                                                                     tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-c", PROBE, *command], cwd=ROOT,
                            capture_output=True, text=True, check=True, env=_cache(tmp_path))
    assert result.stdout.strip() == "[]", result.stderr
    assert not (tmp_path / "cache").exists()  # pandoc did not run: its runs are kept there


def test_a_build_does_import_them(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-c", PROBE, "build", "-o", str(tmp_path / "g.pdf")],
                            cwd=ROOT, capture_output=True, text=True, check=True,
                            env=_cache(tmp_path))
    assert result.stdout.strip() == "['reportlab']"
    assert len(list((tmp_path / "cache").glob("*.json"))) == 1  # one pandoc run


def _cache(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "STUDYGUIDE_CACHE": str(tmp_path / "cache")}
