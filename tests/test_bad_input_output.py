"""Bad input, output: folders that are missing or read-only, a full disk, killed builds."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pdfutil
import pytest
from test_bad_input import (
    MAKE_GUIDE,
    SECTION_HEAD,
    TIME_LIMIT,
    cli,
    figure,
    png,
    project,
    temporaries,
)

from studyguide.output import write

GUIDE = SECTION_HEAD + "      - paragraph: Hello.\n"
PREVIOUS = b"%PDF-1.4\n% the previous build, which a failed build must leave alone\n"


def refused(expected: str, *args: str) -> None:
    result = cli("build", *args)
    assert (result.exit_code, result.stderr, result.stdout) == (1, expected, "")


# ------------------------------------------------------------- output folder


def test_output_into_a_missing_folder_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Not created: a folder that is not there is more often a typo than a wish.
    project(tmp_path, monkeypatch, GUIDE)
    refused("error: cannot write nowhere/guide.pdf: the folder nowhere does not exist\n"
            "  hint: create it first (mkdir -p nowhere), or choose another output path\n",
            "-o", "nowhere/guide.pdf")
    assert not Path("nowhere").exists()


def test_default_build_folder_is_created(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, monkeypatch, GUIDE)
    result = cli("build")
    assert (result.exit_code, result.stdout) == (0, "wrote build/g.pdf (3 pages)\n")
    assert pdfutil.page_lines(Path("build/g.pdf").read_bytes())[2][:2] == ["1 A", "Hello."]


def test_build_folder_that_is_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, monkeypatch, GUIDE, {"build": "notes\n"})
    result = cli("build")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: cannot write build/g.pdf: ")
    assert "internal error" not in result.stderr


def test_read_only_output_folder_simulated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Simulated: the tests may run as root, who writes into read-only folders.
    project(tmp_path, monkeypatch, GUIDE, {"out/guide.pdf": PREVIOUS})

    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(write.tempfile, "mkstemp", refuse)
    refused("error: cannot write out/guide.pdf: permission denied in the folder out\n"
            "  hint: choose another output path, or make the folder writable\n",
            "-o", "out/guide.pdf")
    assert Path("out/guide.pdf").read_bytes() == PREVIOUS


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root writes into read-only folders")
def test_read_only_output_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project(tmp_path, monkeypatch, GUIDE, {"out/guide.pdf": PREVIOUS})
    (root / "out").chmod(0o555)
    try:
        refused("error: cannot write out/guide.pdf: permission denied in the folder out\n"
                "  hint: choose another output path, or make the folder writable\n",
                "-o", "out/guide.pdf")
    finally:
        (root / "out").chmod(0o755)
    assert Path("out/guide.pdf").read_bytes() == PREVIOUS


def test_read_only_file_system_simulated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path, monkeypatch, GUIDE)

    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(write.tempfile, "mkstemp", refuse)
    refused("error: cannot write g.pdf: the folder . is on a read-only file system\n"
            "  hint: choose another output path\n", "-o", "g.pdf")


def test_full_disk_keeps_the_previous_pdf_and_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, monkeypatch, GUIDE, {"build/g.pdf": PREVIOUS})
    real_write = os.write
    written: list[int] = []

    def fill_up(fd: int, data: bytes) -> int:
        # 4 KB reach the disk; then it is full, half-way through the PDF.
        if written:
            raise OSError(errno.ENOSPC, "No space left on device")
        written.append(real_write(fd, bytes(data[:4096])))
        return written[-1]

    monkeypatch.setattr(write.os, "write", fill_up)
    refused("error: cannot write build/g.pdf: the disk is full\n"
            "  hint: free some space and build again\n")
    assert (root / "build" / "g.pdf").read_bytes() == PREVIOUS
    assert temporaries(root / "build") == []


# --------------------------------------------------- -o names something else


def test_output_that_is_a_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, monkeypatch, GUIDE)
    refused("error: cannot write sections: it is a folder\n"
            "  hint: give a file name, e.g. sections/guide.pdf\n", "-o", "sections")


@pytest.mark.parametrize("target", ["outline/g.yaml", "sections/s.yaml", "sections/pic.png"])
def test_output_that_is_an_input_file(
    target: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outline = figure("../sections/pic.png").replace(
        "sections:\n", "sections:\n  - include: ../sections/s.yaml\n")
    files: dict[str, str | bytes] = {"sections/s.yaml": "id: s\ntitle: S\n",
                                     "sections/pic.png": png(4, 4)}
    project(tmp_path, monkeypatch, outline, files)
    before = Path(target).read_bytes()
    refused(f"error: refusing to write the PDF over {target}, an input of this build\n"
            "  hint: choose another output path with -o\n", "-o", target)
    assert Path(target).read_bytes() == before


def test_output_over_a_file_that_is_not_a_pdf(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path, monkeypatch, GUIDE, {"notes.txt": "my notes\n"})
    refused("error: refusing to write the PDF over notes.txt, which is not a PDF\n"
            "  hint: choose another output path with -o\n", "-o", "notes.txt")
    assert Path("notes.txt").read_text() == "my notes\n"


def test_output_folder_with_a_trailing_slash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path, monkeypatch, GUIDE)
    result = cli("build", "-o", "out/")
    assert result.exit_code == 2  # bad usage, as click reports it
    assert "out/ ends with a slash: -o names the file to write" in result.stderr
    assert not Path("out").exists()


# ------------------------------------------------------------- killed builds


def slow_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, audiences: bool = False) -> Path:
    """A guide whose build takes seconds (a 3,000-row table): time to interrupt it. With
    `audiences`, 'quick' gets a one-paragraph section and 'slow' the table."""
    rows = "".join(f"            - [r{i}, b{i}, c{i}]\n" for i in range(3000))
    table = ("    blocks:\n      - table:\n          caption: Rows\n"
             "          header: [a, b, c]\n          rows:\n" + rows)
    if not audiences:
        return project(tmp_path, monkeypatch, SECTION_HEAD.removesuffix("    blocks:\n") + table)
    return project(tmp_path, monkeypatch, (
        "title: T\naudiences:\n  - name: quick\n    tags: [small]\n  - name: slow\n"
        "    tags: [big]\nsections:\n  - id: small\n    title: Small\n    tags: [small]\n"
        "    blocks:\n      - paragraph: Hello.\n  - id: big\n    title: Big\n    tags: [big]\n"
        + table))


def start(root: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, str(MAKE_GUIDE), "build", *args], cwd=root,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + TIME_LIMIT
    while not condition():
        assert time.monotonic() < deadline, f"waited too long for {what}"
        time.sleep(0.05)


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_killed_build_leaves_the_previous_pdf_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = slow_project(tmp_path, monkeypatch)
    (root / "build").mkdir()
    (root / "build" / "g.pdf").write_bytes(PREVIOUS)
    build = start(root)
    time.sleep(1.5)  # past loading, into the layout of a build that takes seconds
    assert build.poll() is None, "the build ended before it could be killed"
    build.kill()
    out, err = build.communicate(timeout=TIME_LIMIT)
    assert "Traceback" not in out + err
    assert (root / "build" / "g.pdf").read_bytes() == PREVIOUS
    assert temporaries(root / "build") == []


@pytest.mark.skipif(os.name != "posix", reason="SIGINT")
def test_interrupted_build_says_so_and_leaves_the_previous_pdf(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = slow_project(tmp_path, monkeypatch)
    (root / "build").mkdir()
    (root / "build" / "g.pdf").write_bytes(PREVIOUS)
    build = start(root)
    time.sleep(1.5)
    assert build.poll() is None, "the build ended before it could be interrupted"
    build.send_signal(signal.SIGINT)
    out, err = build.communicate(timeout=TIME_LIMIT)
    assert (build.returncode, out, err) == (130, "", "interrupted; nothing was written\n")
    assert (root / "build" / "g.pdf").read_bytes() == PREVIOUS
    assert temporaries(root / "build") == []


def ended_pid() -> int:
    """The id of a process that has ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.mark.skipif(os.name != "posix", reason="process ids in temporary names")
def test_next_build_removes_the_temporary_a_killed_build_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # SIGKILL during the write itself leaves a temporary that no code can remove.
    root = project(tmp_path, monkeypatch, GUIDE, {"build/g.pdf": PREVIOUS})
    dead = ended_pid()
    stale = root / "build" / f".g.pdf.{dead}@{write._host()}.k1ll3d.tmp"
    stale.write_bytes(b"%PDF-1.4 half")
    someone_elses = root / "build" / f".other.pdf.{dead}@{write._host()}.x.tmp"
    someone_elses.write_bytes(b"not ours to judge")
    # a build on another machine writing to a shared folder: its process is not ours to ask
    elsewhere = root / "build" / f".g.pdf.{dead}@another-host.w0rk1n.tmp"
    elsewhere.write_bytes(b"being written elsewhere")
    assert cli("build").exit_code == 0
    assert not stale.exists()
    assert someone_elses.exists()  # a temporary of another output
    assert elsewhere.exists()
    assert pdfutil.page_lines((root / "build" / "g.pdf").read_bytes())[2][1] == "Hello."


@pytest.mark.skipif(os.name != "posix", reason="process ids in temporary names")
def test_a_running_builds_temporary_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, monkeypatch, GUIDE)
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        busy = root / "build" / f".g.pdf.{running.pid}@{write._host()}.b0sy.tmp"
        busy.parent.mkdir()
        busy.write_bytes(b"being written")
        assert cli("build").exit_code == 0
        assert busy.exists()
    finally:
        running.kill()
        running.wait()


# ---------------------------------------------------------- interrupted --all


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
@pytest.mark.parametrize(("signum", "jobs"), [(signal.SIGINT, "2"), (signal.SIGTERM, "1")],
                         ids=["SIGINT-in-workers", "SIGTERM-in-process"])
def test_interrupted_build_all_keeps_the_finished_variants(
    signum: int, jobs: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = slow_project(tmp_path, monkeypatch, audiences=True)
    build = start(root, "--all", "--jobs", jobs)
    finished = [root / "build" / f"g-quick-{edition}.pdf" for edition in ("student",
                                                                          "instructor")]
    wait_for(lambda: all(p.exists() for p in finished), "the quick variants")
    assert build.poll() is None, "the slow variants ended before the interruption"
    build.send_signal(signum)
    out, err = build.communicate(timeout=TIME_LIMIT)
    assert build.returncode == 130  # as a shell reports an interruption
    assert out == ("wrote build/g-quick-student.pdf (3 pages)\n"
                   "wrote build/g-quick-instructor.pdf (3 pages)\n")
    assert err == ("slow/student: interrupted before this variant was written\n"
                   "slow/instructor: interrupted before this variant was written\n")
    assert sorted(p.name for p in (root / "build").iterdir()) == [
        "g-quick-instructor.pdf", "g-quick-student.pdf"]
    for path in finished:
        assert pdfutil.page_lines(path.read_bytes())[2][:2] == ["1 Small", "Hello."]
