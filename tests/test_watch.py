"""make_guide.py watch: rebuilds on every change, shows errors and goes on watching."""

from __future__ import annotations

import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pdfutil

from studyguide.commands.watcher import project_filter

ROOT = Path(__file__).resolve().parent.parent
OUTLINE = "title: Watched\nsections:\n  - include: ../sections/one.yaml\n"
SECTION = "id: one\ntitle: One\nblocks:\n  - paragraph: The first {word}.\n"


def lines_of(stream: object) -> queue.Queue[str]:
    found: queue.Queue[str] = queue.Queue()

    def read() -> None:
        for line in stream:  # type: ignore[attr-defined]
            found.put(line)
    threading.Thread(target=read, daemon=True).start()
    return found


def wait_for(lines: queue.Queue[str], text: str, seconds: float = 20) -> str:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            line = lines.get(timeout=0.2)
        except queue.Empty:
            continue
        if text in line:
            return line
    raise AssertionError(f"no line with {text!r} within {seconds} s")


def test_watch_rebuilds_on_a_change_and_survives_a_mistake(tmp_path: Path) -> None:
    (tmp_path / "outline").mkdir()
    (tmp_path / "sections").mkdir()
    outline = tmp_path / "outline" / "watched.yaml"
    outline.write_text(OUTLINE, encoding="utf-8")
    section = tmp_path / "sections" / "one.yaml"
    section.write_text(SECTION.format(word="aardvark"), encoding="utf-8")
    target = tmp_path / "build" / "watched.pdf"
    command = [sys.executable, str(ROOT / "make_guide.py"), "watch", str(outline)]
    with subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True) as process:
        out, err = lines_of(process.stdout), lines_of(process.stderr)
        try:
            wait_for(out, "wrote build/watched.pdf")
            assert "The first aardvark." in text_of(target)
            time.sleep(0.3)  # the watcher is running once the first build is out
            section.write_text(SECTION.format(word="badger"), encoding="utf-8")
            wait_for(out, "wrote build/watched.pdf")
            assert "The first badger." in text_of(target)
            section.write_text("id: one\ntitle: One\nblocks:\n  - paragrap: Typo.\n",
                               encoding="utf-8")
            assert "sections/one.yaml:4:5: error" in wait_for(err, "error")
            wait_for(err, "not rebuilt; watching for changes")
            assert process.poll() is None  # still watching
            section.write_text(SECTION.format(word="capybara"), encoding="utf-8")
            wait_for(out, "wrote build/watched.pdf")
            assert "The first capybara." in text_of(target)
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=10)
    assert process.returncode == 0
    rest = []
    while not err.empty():
        rest.append(err.get())
    assert "Traceback" not in "".join(rest)


def text_of(pdf: Path) -> str:
    return " ".join(pdfutil.page_texts(pdf.read_bytes()))


def test_the_output_hidden_folders_and_other_files_are_not_watched(tmp_path: Path) -> None:
    output = tmp_path / "build" / "guide.pdf"
    matters = project_filter(tmp_path, lambda: output)
    added = 1  # watchfiles.Change.added
    assert matters(added, str(tmp_path / "sections" / "one.yaml"))  # type: ignore[arg-type]
    assert matters(added, str(tmp_path / "sections" / "images" / "x.png"))  # type: ignore[arg-type]
    assert matters(added, str(tmp_path / "styles" / "print.yaml"))  # type: ignore[arg-type]
    assert not matters(added, str(output))  # type: ignore[arg-type]
    assert not matters(added, str(tmp_path / "build" / "notes.txt"))  # type: ignore[arg-type]
    assert not matters(added, str(tmp_path / ".git" / "x.yaml"))  # type: ignore[arg-type]
