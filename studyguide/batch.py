"""Build every audience × edition of an outline, each on its own, in parallel processes."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed, wait
from dataclasses import dataclass, replace
from pathlib import Path
from types import FrameType

from .model.diagnostics import GuideError
from .model.document import DEFAULT_EDITIONS, Guide, audience_file_stem
from .pipeline import DEFAULT_OPTIONS, BuildOptions, run_build


@dataclass(frozen=True)
class Variant:
    """One build of the batch: an audience (None for the whole guide) and an edition."""

    audience: str | None
    edition: str
    only_edition: bool = False  # the audience is built in this edition alone

    @property
    def name(self) -> str:
        """How messages name the variant: `patient/student`, or `student` without audiences."""
        return self.edition if self.audience is None else f"{self.audience}/{self.edition}"

    def file_name(self, outline: Path) -> str:
        if self.audience is None:
            return f"{outline.stem}-{self.edition}.pdf"
        return audience_file_stem(outline.stem, self.audience, self.edition,
                                  self.only_edition) + ".pdf"


@dataclass(frozen=True)
class Outcome:
    """What one variant's build gives back across the process boundary: plain data only.

    `path` is the written file, or None if the build failed; `messages` are the
    formatted diagnostics (warnings on success, the errors on failure).
    """

    variant: Variant
    path: Path | None
    pages: int
    messages: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.path is not None


def variants(guide: Guide) -> list[Variant]:
    """Every audience × edition in outline order; the two editions alone without audiences."""
    if not guide.audiences:
        return [Variant(None, edition) for edition in DEFAULT_EDITIONS]
    return [Variant(a.name, edition, len(a.editions) == 1)
            for a in guide.audiences for edition in a.editions]


def build_variant(outline: Path, variant: Variant, folder: Path,
                  options: BuildOptions) -> Outcome:
    """Build and atomically write one variant; never raises, so it is safe in a worker."""
    target = folder / variant.file_name(outline)
    chosen = replace(options, audience=variant.audience, edition=variant.edition, output=target)
    try:
        built = run_build(outline, chosen)
    except GuideError as exc:
        return Outcome(variant, None, 0, tuple(d.format() for d in exc.diagnostics))
    except Exception as exc:  # a bug of ours fails this variant only, as data
        return Outcome(variant, None, 0, (f"internal error: {type(exc).__name__}: {exc}",))
    return Outcome(variant, target, built.pages, tuple(d.format() for d in built.warnings))


def build_all(outline: Path, folder: Path, todo: list[Variant], *, jobs: int | None = None,
              options: BuildOptions = DEFAULT_OPTIONS,
              on_done: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """Build each variant in `todo` into `folder`; outcomes come back in `todo`'s order.

    `jobs` is the number of worker processes (default: every core); with 1 the
    variants are built here, one after another. `on_done` is called as each finishes.
    Ctrl-C or SIGTERM stops the batch: the variants written so far stay, and each
    of the others comes back failed, as interrupted.
    """
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(todo) or 1))
    outcomes: dict[Variant, Outcome] = {}
    started: dict[Future[Outcome], Variant] = {}  # the workers' variants, as _run starts them

    def done(outcome: Outcome) -> None:
        outcomes[outcome.variant] = outcome
        if on_done is not None:
            on_done(outcome)

    with _terminate_as_interrupt():
        try:
            for outcome in _run(outline, folder, todo, jobs, options, started):
                done(outcome)
        except KeyboardInterrupt:
            # A worker may have written its variant while its outcome was still on
            # the way here; _run waited a moment for such outcomes before stopping.
            for future, variant in started.items():
                if variant not in outcomes and future.done() and not future.cancelled() \
                        and future.exception() is None:
                    done(future.result())
    return [outcomes.get(v) or Outcome(v, None, 0, (INTERRUPTED,)) for v in todo]


INTERRUPTED = "interrupted before this variant was written"
_IN_FLIGHT = 0.3  # seconds an interrupted batch waits for outcomes already on their way


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM (a service manager, `kill`) stops the batch as Ctrl-C does, instead of
    ending the process before it can say which variants were written."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers; a library caller keeps its own
        return
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def _children_ignore_ctrl_c() -> Iterator[None]:
    """Ignore SIGINT while the workers start: they inherit it, so Ctrl-C (which the
    terminal sends to every process of the group) reaches only this process, which
    stops them; a worker that got it would print a traceback of its own."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Drop the variants not started and end the running ones now: each writes its
    file atomically, so a worker ended half-way leaves no half-written PDF."""
    terminate = getattr(pool, "terminate_workers", None)  # Python 3.14+
    if terminate is not None:
        terminate()
        return
    # Before shutdown(), which forgets them; a private attribute until Python 3.14.
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(OSError, ValueError):
            process.terminate()


def _run(outline: Path, folder: Path, todo: list[Variant], jobs: int,
         options: BuildOptions, futures: dict[Future[Outcome], Variant]) -> Iterator[Outcome]:
    if jobs == 1:
        for variant in todo:  # one variant at a time
            yield build_variant(outline, variant, folder, options)
        return
    # spawn: a fresh interpreter per worker, free of the parent's threads and state.
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context)
    try:
        with _children_ignore_ctrl_c():  # submit() starts the workers
            futures.update(
                (pool.submit(build_variant, outline, v, folder, options), v) for v in todo)
        for future in as_completed(futures):
            try:
                outcome = future.result()
            except Exception as exc:  # the worker itself died (e.g. killed, out of memory)
                message = f"internal error: worker failed: {type(exc).__name__}: {exc}"
                outcome = Outcome(futures[future], None, 0, (message,))
            yield outcome
    except BaseException:  # Ctrl-C, SIGTERM, or the caller stopped listening
        wait(futures, timeout=_IN_FLIGHT)
        _stop_workers(pool)
        raise
    pool.shutdown()
