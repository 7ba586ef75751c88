"""Same input, same bytes: across runs and processes, hash seeds, working folders,
locales, and with or without SOURCE_DATE_EPOCH."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OUTLINE = ROOT / "outline" / "norepinephrine.yaml"


def build(target: Path, cwd: Path, **env: str) -> bytes:
    """The shipped guide (pharmacology: every feature) built in a fresh process."""
    environment = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    environment.update(env)
    subprocess.run([sys.executable, str(ROOT / "make_guide.py"), "build", str(OUTLINE),
                    "--audience", "pharmacology", "-o", str(target)],
                   cwd=cwd, env=environment, check=True, capture_output=True)
    return target.read_bytes()


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return build(tmp_path_factory.mktemp("ref") / "guide.pdf", ROOT, PYTHONHASHSEED="1")


@pytest.mark.parametrize("setting", ["another hash seed", "another folder", "LANG=C"])
def test_the_same_bytes_whatever_the_process(reference: bytes, tmp_path: Path,
                                             setting: str) -> None:
    env = {"another hash seed": {"PYTHONHASHSEED": "2"},
           "another folder": {"PYTHONHASHSEED": "3"},
           "LANG=C": {"LANG": "C", "LC_ALL": "C", "PYTHONHASHSEED": "4"}}[setting]
    cwd = tmp_path if setting == "another folder" else ROOT
    assert build(tmp_path / "guide.pdf", cwd, **env) == reference


def test_source_date_epoch_gives_its_own_reproducible_bytes(reference: bytes,
                                                            tmp_path: Path) -> None:
    first = build(tmp_path / "a.pdf", ROOT, SOURCE_DATE_EPOCH="1700000000", PYTHONHASHSEED="5")
    second = build(tmp_path / "b.pdf", tmp_path, SOURCE_DATE_EPOCH="1700000000",
                   PYTHONHASHSEED="6")
    assert first == second != reference
    assert b"D:20231114" in first  # 1700000000 is 2023-11-14 UTC


def test_four_threads_and_two_processes_build_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Builds in one process share nothing that changes: no process-wide setting is
    flipped during a build (ReportLab's ASCII85 flag was), and no cached document
    is handed to two builds."""
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from reportlab import rl_config

    from studyguide.api import build_pdf

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setenv("PYTHONHASHSEED", "7")
    processes = [build(tmp_path / f"p{n}.pdf", ROOT, SOURCE_DATE_EPOCH="1700000000")
                 for n in range(2)]
    start = Barrier(4)

    def in_thread(_: int) -> bytes:
        start.wait()  # all four at once, so that their builds interleave
        return build_pdf(OUTLINE, audience="pharmacology").pdf

    useA85 = rl_config.useA85
    with ThreadPoolExecutor(4) as pool:
        threads = [pdf for _round in range(2) for pdf in pool.map(in_thread, range(4))]
    assert rl_config.useA85 == useA85  # ReportLab's own default, left as it was
    assert len(set(processes)) == 1
    assert all(pdf == processes[0] for pdf in threads)
    assert b"/ASCII85Decode" not in processes[0]
