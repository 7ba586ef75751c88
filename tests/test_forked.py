"""Citations formatted in forked processes: the same as in one, and never missing.

No timings here: benchmarks/bench.py measures time (see its RESULTS.md).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from studyguide.api import load_guide
from studyguide.citations import engine as cite_engine
from studyguide.citations import forked
from studyguide.model.document import Guide

pytestmark = pytest.mark.skipif(forked._threads() == 0 or not hasattr(os, "fork"),
                                reason="forking is only used on Linux")

SHIPPED = Path(__file__).resolve().parent.parent / "outline" / "norepinephrine.yaml"
SHARE = forked.share


def _load(monkeypatch: pytest.MonkeyPatch, style: str, processes: int
          ) -> tuple[Guide, list[tuple[int, int]]]:
    """The shipped guide in `style`, with its citations shared among `processes`
    processes whatever their number; and, for each sharing, the number of items
    and of answers it gave back."""
    shared: list[tuple[int, int]] = []

    def counted(work: Callable[[Any], Any], items: list[Any], count: int) -> dict[int, Any]:
        answers = SHARE(work, items, count)
        shared.append((len(items), len(answers)))
        return answers

    monkeypatch.setattr(cite_engine, "MIN_SHARED", 1 if processes > 1 else 10**9)
    monkeypatch.setattr(forked, "workers", lambda: processes)
    monkeypatch.setattr(forked, "share", counted)
    return load_guide(SHIPPED, citation_style=style).guide, shared


@pytest.mark.parametrize("style", ["apa", "vancouver", "mla"])
def test_citations_shared_among_processes_come_out_as_formatted_in_one(
        monkeypatch: pytest.MonkeyPatch, style: str) -> None:
    alone, shared = _load(monkeypatch, style, 1)
    assert shared == []
    for processes in (2, 3):
        together, shared = _load(monkeypatch, style, processes)
        [(items, answers)] = shared
        assert items == answers > processes  # every process had some to do
        assert together == alone


def test_a_style_that_tests_positions_formats_its_citations_in_order_here(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Chicago prints a work's later citations differently: each depends on those before.
    _guide, shared = _load(monkeypatch, "chicago", 2)
    assert shared == []


def test_citations_a_failed_process_left_are_formatted_here(
        monkeypatch: pytest.MonkeyPatch) -> None:
    alone, _ = _load(monkeypatch, "apa", 1)
    here = os.getpid()
    render = cite_engine.Engine._render

    def failing_elsewhere(self: Any, *args: Any) -> Any:
        if os.getpid() != here:
            raise RuntimeError("a child failed")
        return render(self, *args)

    monkeypatch.setattr(cite_engine.Engine, "_render", failing_elsewhere)
    together, shared = _load(monkeypatch, "apa", 2)
    [(items, answers)] = shared
    assert answers == (items + 1) // 2  # this process's share only
    assert together == alone


def _parent_only(here: int) -> Callable[[int], int]:
    def work(n: int) -> int:
        if os.getpid() != here:
            os._exit(3)  # a child that dies without a word
        return n * n
    return work


def test_sharing_gives_every_answer_and_leaves_out_those_of_a_failed_process() -> None:
    assert forked.share(lambda n: n * n, list(range(10)), 3) == {n: n * n for n in range(10)}
    here = os.getpid()
    assert forked.share(_parent_only(here), list(range(10)), 3) == {
        n: n * n for n in (0, 3, 6, 9)}
    # what a child cannot send back (a lambda cannot be pickled) is left out too
    assert sorted(forked.share(lambda n: lambda: n, list(range(4)), 2)) == [0, 2]


def test_sharing_stops_this_process_share_at_an_error_and_leaves_the_rest_out() -> None:
    def work(n: int) -> int:
        if n == 4:
            raise ValueError(n)
        return n

    assert forked.share(work, list(range(8)), 2) == {0: 0, 2: 2, 1: 1, 3: 3, 5: 5, 7: 7}


def test_no_process_is_forked_while_another_thread_runs() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert forked.workers() == 1
    finally:
        stop.set()
        thread.join()


def test_at_most_caps_the_processes_and_jobs_1_means_one_core(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from studyguide import batch

    with forked.at_most(1):
        assert forked.workers() == 1
    seen: list[int] = []

    def fake_build(outline: Path, variant: Any, folder: Path, options: Any) -> Any:
        seen.append(forked.workers())
        return batch.Outcome(variant, None, 0, ())

    monkeypatch.setattr(batch, "build_variant", fake_build)
    todo = [batch.Variant(None, "student"), batch.Variant(None, "instructor")]
    batch.build_all(tmp_path / "g.yaml", tmp_path, todo, jobs=1)
    assert seen == [1, 1]
    assert forked._limit is None  # and no limit is left behind
