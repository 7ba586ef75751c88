"""Bad input, YAML: files that are hostile, huge, not text, or not what YAML reads them as."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_bad_input import (
    MAKE_GUIDE,
    SECTION_HEAD,
    TIME_LIMIT,
    body_text,
    cli,
    fails,
    measured,
    project,
    renders,
)

from studyguide.load import loader

TOO_LARGE_HINT = ("  hint: check that this is the file you meant; a long guide is split into "
                  "section files, each named under 'include:'\n")

# ------------------------------------------------------------- hostile files


def test_alias_bomb_is_refused_in_bounded_time_and_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "Billion laughs": nine levels of nine aliases stand for 9**9 (387 million) strings.
    levels = "abcdefghi"
    bomb = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"{name}: &{name} [{', '.join([f'*{below}'] * 9)}]\n"
        for below, name in itertools.pairwise(levels))
    root = project(tmp_path, monkeypatch, bomb)
    run = measured(root, "build")
    assert (run.code, run.stderr) == (1, (
        "outline/g.yaml:7:8: error: the file holds more than 1,000,000 values\n"
        "  hint: aliases (*name) repeat everything their anchor holds; use fewer\n"))
    run.within_bounds()


def test_flow_nesting_fifty_thousand_deep_is_refused_in_bounded_time_and_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, monkeypatch, "title: " + "[" * 50_000 + "]" * 50_000 + "\n")
    run = measured(root, "validate")
    assert (run.code, run.stderr) == (1, (
        "outline/g.yaml:1:207: error: nesting is too deep (more than 200 levels)\n"
        "  hint: lists and mappings this deep are a mistake\n"))
    run.within_bounds()


def test_block_nesting_twenty_thousand_deep_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path, monkeypatch, "title: T\nx:\n  " + "- " * 20_000 + "x\n")
    fails("outline/g.yaml:3:401: error: nesting is too deep (more than 200 levels)\n"
          "  hint: lists and mappings this deep are a mistake\n")


def test_hundred_megabyte_file_is_refused_by_its_size_in_bounded_time_and_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, monkeypatch, "title: T\n")
    with open(root / "outline" / "g.yaml", "r+b") as stream:
        stream.truncate(100 * 2**20)  # sparse: takes no disk space and no time
    run = measured(root, "build")
    assert (run.code, run.stderr) == (
        1, "outline/g.yaml:1:1: error: the file is too large (100.0 MB; the limit is 20 MB)\n"
        + TOO_LARGE_HINT)
    run.within_bounds()


def test_hundred_megabyte_file_is_never_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, monkeypatch, "title: T\n")
    with open(root / "outline" / "g.yaml", "r+b") as stream:
        stream.truncate(100 * 2**20)

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("the loader opened a file it should refuse by its size")

    monkeypatch.setattr(loader, "open", no_reading, raising=False)
    fails("outline/g.yaml:1:1: error: the file is too large (100.0 MB; the limit is 20 MB)\n"
          + TOO_LARGE_HINT, commands=("build",))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_fifo_as_outline_is_refused_without_blocking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, monkeypatch, "title: T\n")
    os.mkfifo(root / "outline" / "pipe.yaml")
    # A child process with a timeout: opening a FIFO for reading would wait forever.
    done = subprocess.run([sys.executable, str(MAKE_GUIDE), "build", "outline/pipe.yaml"],
                          cwd=root, capture_output=True, text=True, timeout=TIME_LIMIT)
    assert (done.returncode, done.stderr) == (1, (
        "error: cannot read 'outline/pipe.yaml': it is not a regular file (a pipe or a "
        "device)\n  hint: give the path of a file saved on disk\n"))


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_device_as_outline_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, monkeypatch, "title: T\n")
    fails("error: cannot read '/dev/zero': it is not a regular file (a pipe or a device)\n"
          "  hint: give the path of a file saved on disk\n",
          "/dev/zero")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_fifo_as_include_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project(tmp_path, monkeypatch, "title: T\nsections:\n  - include: ../sections/s.yaml\n")
    os.mkfifo(root / "sections" / "s.yaml")
    fails("outline/g.yaml:3:14: error: cannot include '../sections/s.yaml': it is not a "
          "regular file\n")


# ------------------------------------------------------------ not UTF-8 text


def test_non_utf8_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, monkeypatch, "title: Café\nsections: []\n".encode("latin-1"))
    fails("outline/g.yaml:1:11: error: the file is not UTF-8: byte 0xe9 cannot be read\n"
          "  hint: save it with the encoding UTF-8 (most editors offer it under 'Save as')\n")


def test_utf16_with_byte_order_mark(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, monkeypatch, "title: T\nsections: []\n".encode("utf-16"))
    fails("outline/g.yaml:1:1: error: the file is UTF-16, not UTF-8\n"
          "  hint: save it with the encoding UTF-8 (most editors offer it under 'Save as')\n")


def test_nul_byte(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, monkeypatch, b"title: T\nsubtitle: a\x00b\nsections: []\n")
    fails("outline/g.yaml:2:12: error: the file contains the control character U+0000, "
          "which YAML does not allow\n"
          "  hint: delete it; it often comes with text copied from a PDF or word processor\n")


def test_utf8_byte_order_mark_is_fine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, monkeypatch, ("\ufeff" + SECTION_HEAD + "      - paragraph: Fine.\n")
            .encode("utf-8"))
    assert body_text(renders()).startswith("1 A Fine.")


# ------------------------------------------------------------ what YAML reads


def test_several_documents_in_one_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, monkeypatch, "title: T\nsections:\n  - id: a\n    title: A\n---\n"
            "title: U\n")
    fails("outline/g.yaml:5:1: error: a file holds one YAML document, but a second one starts "
          "here\n"
          "  hint: remove this '---' line, or move what follows into a file of its own\n")


def test_python_object_tag_runs_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project(tmp_path, monkeypatch,
                   "title: !!python/object/apply:os.system [touch pwned]\nsections: []\n")
    fails("outline/g.yaml:1:8: error: the tag '!!python/object/apply:os.system' is not "
          "allowed: files are loaded safely, so they cannot create Python objects\n"
          "  hint: remove the tag; text that starts with '!' must be in quotes\n")
    assert not (root / "pwned").exists()


def test_implicit_retyping_of_no_decimals_and_times(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # YAML 1.1 reads `no` as false, 1.10 as 1.1 and 12:30 as 750 (base 60).
    project(tmp_path, monkeypatch,
            "title: 12:30\nversion: 1.10\nsubtitle: no\nsections:\n  - id: a\n    title: A\n")
    fails("outline/g.yaml:1:8: error: title: YAML reads 12:30 as the number 750\n"
          "  hint: quote it: title: \"12:30\"\n"
          "outline/g.yaml:2:10: error: version: YAML reads 1.10 as the number 1.1\n"
          "  hint: quote it: version: \"1.10\"\n"
          "outline/g.yaml:3:11: error: subtitle: YAML reads no as the boolean false\n"
          "  hint: quote it: subtitle: \"no\"\n")


def test_retyped_table_cells_print_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A cell holds text or a number; a number prints as it is written.
    project(tmp_path, monkeypatch, SECTION_HEAD + (
        "      - table:\n          caption: Times\n          header: [When, Dose]\n"
        "          rows:\n            - [12:30, 1.10]\n"))
    assert "12:30 1.10" in body_text(renders())


def test_cli_never_shows_a_traceback_for_an_unreadable_outline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, monkeypatch, "title: T\n")
    (root / "outline" / "g.yaml").chmod(0)
    result = cli("validate")
    assert result.exit_code == 1
    if os.geteuid() != 0:  # root reads it anyway, and finds 'sections' missing
        assert result.stderr == "error: cannot read 'outline/g.yaml': Permission denied\n"
