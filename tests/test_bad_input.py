"""The catalogue of bad input (issue 7): what each group's tests share.

The groups are test_bad_input_yaml.py, _text.py, _layout.py, _paths.py and
_output.py. Each test feeds one bad input to the real command line and asserts
the exact message (file:line:column and hint) or, for input that should print,
what a reader sees in the PDF; every one also asserts that no Python traceback
reaches the user. Big inputs are generated in tmp_path at test time. The tests
of bounded time and memory run the CLI in a child process (see `measured`).
"""

from __future__ import annotations

import io
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pdfutil
import pytest
from click.testing import CliRunner, Result
from PIL import Image

from studyguide.commands.cli import main

ROOT = Path(__file__).resolve().parent.parent
MAKE_GUIDE = ROOT / "make_guide.py"

# Generous bounds for the big inputs: they catch a hang or a blow-up, not a
# slow machine. The CI limit is ten minutes for the whole suite.
TIME_LIMIT = 30.0  # seconds
MEMORY_LIMIT = 600  # MB

SECTION_HEAD = "title: T\nsections:\n  - id: a\n    title: A\n    blocks:\n"


def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, outline: str | bytes,
            files: dict[str, str | bytes] | None = None) -> Path:
    """A guide project whose outline is outline/g.yaml; the current folder is its root,
    so messages name files as a user in it sees them."""
    root = tmp_path / "p"
    for name, content in {"outline/g.yaml": outline, **(files or {})}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    (root / "sections").mkdir(exist_ok=True)
    monkeypatch.chdir(root)
    return root


def cli(*args: str) -> Result:
    """The CLI in this process; an exception of ours propagates and fails the test, and
    so does the "internal error" line that the CLI prints for a bug instead of a traceback."""
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert "Traceback" not in result.output
    assert "internal error" not in result.output
    return result


def fails(expected: str, *args: str, commands: tuple[str, ...] = ("build", "validate")) -> None:
    """`build` and `validate` both exit 1 with exactly `expected` on stderr, no PDF."""
    for command in commands:
        result = cli(command, *args)
        assert (result.exit_code, result.stderr) == (1, expected), command
        assert result.stdout == ""
    assert not Path("build").exists()


def renders(*args: str, stderr: str = "") -> bytes:
    """`build -o out.pdf` succeeds with exactly `stderr`; the PDF's bytes."""
    result = cli("build", "-o", "out.pdf", *args)
    assert (result.exit_code, result.stderr) == (0, stderr)
    pdf = Path("out.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-")
    return pdf


def body_text(pdf: bytes) -> str:
    """The text of the pages after the title page and contents, lines joined by spaces."""
    return " ".join(" ".join(lines) for lines in pdfutil.page_lines(pdf)[2:])


def png(width: int, height: int, mode: str = "RGB", **save: object) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, (width, height), "white").save(buffer, "PNG", **save)
    return buffer.getvalue()


def figure(image: str) -> str:
    """An outline with one figure showing `image`."""
    return (SECTION_HEAD + "      - figure:\n"
            f"          image: {image}\n          caption: A picture\n")


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# A parent that runs the CLI and reports the child's peak memory: getrusage
# (RUSAGE_CHILDREN) in the test process would also count every other child
# the suite has run.
_MEASURE = """\
import resource, subprocess, sys
code = subprocess.run(sys.argv[2:]).returncode
with open(sys.argv[1], "w") as out:
    out.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(code)
"""


@dataclass(frozen=True)
class Measured:
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float

    def within_bounds(self) -> None:
        assert "Traceback" not in self.stdout + self.stderr
        assert "internal error" not in self.stderr
        assert self.seconds < TIME_LIMIT, f"took {self.seconds:.1f} s"
        assert self.peak_mb < MEMORY_LIMIT, f"used {self.peak_mb:.0f} MB"


def measured(cwd: Path, *args: str) -> Measured:
    """`make_guide.py ARGS` in a child process, with its wall-clock time and peak memory."""
    report = cwd.parent / "peak.txt"
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-c", _MEASURE, str(report), sys.executable,
                           str(MAKE_GUIDE), *args], cwd=cwd, capture_output=True, text=True,
                          timeout=2 * TIME_LIMIT)
    seconds = time.monotonic() - start
    peak = int(report.read_text())
    scale = 2**20 if sys.platform == "darwin" else 2**10  # ru_maxrss: bytes on macOS
    return Measured(done.returncode, done.stdout, done.stderr, seconds, peak / scale)

