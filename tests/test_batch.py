"""build --all: every audience × edition in worker processes, each written or failed on its own."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pdfutil
import pytest
from click.testing import CliRunner, Result

from studyguide.commands.cli import main

OUTLINE = """\
title: Tiny
audiences:
  - name: patient
  - name: nursing
sections:
  - id: basics
    title: Basics
    blocks:
      - paragraph: {default: "Cardiac output falls.", patient: "Your heart pumps less well."}
"""

ROOT = Path(__file__).resolve().parent.parent
VARIANTS = ("patient-student", "patient-instructor", "nursing-student", "nursing-instructor")


def write(folder: Path, text: str = OUTLINE) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "tiny.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["build", *args], catch_exceptions=False)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Result, Path]]:
    """The same outline built with --jobs 1 and --jobs 2, each into its own folder."""
    outline = write(tmp_path_factory.mktemp("batch"))
    runs = {}
    for jobs in ("1", "2"):
        folder = outline.parent / f"out{jobs}"
        runs[jobs] = (run(str(outline), "--all", "--jobs", jobs, "-o", str(folder)), folder)
    return runs


def test_all_writes_every_variant_in_a_stable_order(built: dict[str, tuple[Result, Path]]) -> None:
    result, folder = built["2"]
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(f"tiny-{v}.pdf" for v in VARIANTS)
    lines = [line for line in result.stdout.splitlines() if line.startswith("wrote ")]
    assert [line.split()[1] for line in lines] == [str(folder / f"tiny-{v}.pdf") for v in VARIANTS]
    for line, variant in zip(lines, VARIANTS, strict=True):
        pages = len(pdfutil.page_texts((folder / f"tiny-{variant}.pdf").read_bytes()))
        assert line.endswith(f"({pages} page{'' if pages == 1 else 's'})")


def test_one_job_and_two_jobs_give_identical_files(built: dict[str, tuple[Result, Path]]) -> None:
    (_, one), (_, two) = built["1"], built["2"]
    for variant in VARIANTS:
        name = f"tiny-{variant}.pdf"
        assert (one / name).read_bytes() == (two / name).read_bytes(), name


def test_without_audiences_the_two_editions_go_to_the_projects_build_folder(
        tmp_path: Path) -> None:
    outline = write(tmp_path, OUTLINE.replace("audiences:\n  - name: patient\n"
                                              "  - name: nursing\n", "").replace(
        '{default: "Cardiac output falls.", patient: "Your heart pumps less well."}', "Hi."))
    result = run(str(outline), "--all", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "build").iterdir()) == [
        "tiny-instructor.pdf", "tiny-student.pdf"]


def test_an_audience_with_one_edition_is_built_once(tmp_path: Path) -> None:
    outline = write(tmp_path, OUTLINE.replace("  - name: patient\n",
                                              "  - name: patient\n    editions: [student]\n"))
    result = run(str(outline), "--all", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "build").iterdir()) == [
        "tiny-nursing-instructor.pdf", "tiny-nursing-student.pdf", "tiny-patient.pdf"]


def test_a_failing_variant_does_not_stop_the_others(tmp_path: Path) -> None:
    outline = write(tmp_path, OUTLINE.replace("  - name: nursing\n",
                                              "  - name: nursing\n    style: no-such-sheet\n"))
    result = run(str(outline), "--all", "--jobs", "2", "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == ["tiny-patient-instructor.pdf", "tiny-patient-student.pdf"]
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert [line.split(": ")[0] for line in errors] == ["nursing/student", "nursing/instructor"]
    assert all("no-such-sheet" in line for line in errors)


@pytest.mark.parametrize("extra", [["--audience", "patient"], ["--edition", "student"]])
def test_all_with_audience_or_edition_is_a_usage_error(tmp_path: Path, extra: list[str]) -> None:
    result = run(str(write(tmp_path)), "--all", *extra)
    assert result.exit_code == 2
    assert "--all" in result.stderr


def test_all_needs_a_folder_for_output(tmp_path: Path) -> None:
    outline = write(tmp_path)
    (tmp_path / "x.pdf").write_bytes(b"%PDF-")
    result = run(str(outline), "--all", "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 2
    assert "not a folder" in result.stderr


def test_all_takes_a_new_folder_written_with_a_slash(tmp_path: Path) -> None:
    result = run(str(write(tmp_path)), "--all", "--jobs", "1", "-o", f"{tmp_path}/out/")
    assert (result.exit_code, result.stderr) == (0, "")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        f"tiny-{v}.pdf" for v in VARIANTS)


def test_errors_in_the_guide_are_reported_once_and_nothing_is_built(tmp_path: Path) -> None:
    # Only nursing reads the default text, yet its errors stop the whole batch, as `build`
    # would; the workers, already starting, build nothing.
    outline = write(tmp_path, OUTLINE.replace('"Cardiac output falls."',
                                              '"Cardiac [[output]] falls [@nobody]."'))
    result = run(str(outline), "--all", "--jobs", "2", "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"{outline}:9:30: error: unknown glossary term 'output'\n"
        "  hint: add an entry for it to the glossary, or write it without [[ ]]\n"
        f"{outline}:9:30: error: unknown citation key 'nobody'\n"
        "  hint: the outline names no references: add 'bibliography:' or 'references:'\n")
    assert not (tmp_path / "out").exists()


def test_workers_build_with_this_package_from_any_folder(tmp_path: Path) -> None:
    # Another copy of the package in the current folder (an older checkout, say) must not
    # be what the workers import in place of the one make_guide.py runs.
    decoy = tmp_path / "studyguide"
    decoy.mkdir()
    (decoy / "__init__.py").write_text("", encoding="utf-8")
    outline = write(tmp_path / "guide")
    result = subprocess.run([sys.executable, str(ROOT / "make_guide.py"), "build", str(outline),
                             "--all", "--jobs", "2"], cwd=tmp_path, capture_output=True,
                            text=True, timeout=120)
    assert (result.returncode, result.stderr) == (0, "")
    assert sorted(p.name for p in (tmp_path / "guide" / "build").iterdir()) == sorted(
        f"tiny-{v}.pdf" for v in VARIANTS)
