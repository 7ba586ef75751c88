"""CPU-bound work shared with forked copies of this process, where that is safe (Linux).

A forked child starts with everything the parent has built (a citation style,
its registered citations), so nothing needs to be sent to it but the answers
back. It is used only for pure work: whichever process does an item, the
answer is the same, so the output never depends on the number of cores. A
child that fails in any way gives nothing back; the caller does that work
itself, so a failure costs time, never an answer.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import signal
import warnings
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


# A child holds a copy of what it changes (15 MB at 300 sections, 40 MB at 1,000):
# on a machine of many cores, at most this many processes.
MAX_PROCESSES = 8
_limit: int | None = None  # set by at_most(): the processes the user allows


@contextlib.contextmanager
def at_most(processes: int) -> Iterator[None]:
    """Share work among no more than `processes` processes meanwhile (`build --all
    --jobs 1` means one core: a shared machine, a CI runner's quota)."""
    global _limit
    previous, _limit = _limit, processes
    try:
        yield
    finally:
        _limit = previous


def workers() -> int:
    """How many processes may share work here: the cores this process may run on, or
    1 where forking is unsafe or would only compete for the cores."""
    if not hasattr(os, "fork") or not hasattr(os, "sched_getaffinity"):
        return 1  # Windows has no fork; macOS forks unsafely (and has no affinity call)
    if multiprocessing.parent_process() is not None:
        return 1  # a worker of `build --all`: the other workers have the other cores
    if _threads() != 1:
        # A child gets only the thread that forked; a lock another thread held
        # (a watcher's, the allocator's) would stay locked in it forever.
        return 1
    return max(1, min(len(os.sched_getaffinity(0)), MAX_PROCESSES, _limit or MAX_PROCESSES))


def _threads() -> int:
    """This process's threads, native ones too (watchfiles' watcher); 0 if unknown."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return 0


def share(work: Callable[[T], R], items: Sequence[T], processes: int) -> dict[int, R]:
    """`work(item)` for the items, by index, shared among `processes` processes.

    Item n goes to process n % processes; this process does share 0 while the
    forked children do theirs. The answers of a child that failed, and those
    after an exception in this process's own share, are missing: the caller
    does those items itself, in its own order, so an error is raised as if
    nothing had been shared.
    """
    children: dict[int, int] = {}  # pid: the read end of its pipe
    done: dict[int, R] = {}
    try:
        for share_number in range(1, processes):
            try:
                read, write = os.pipe()
            except OSError:
                break  # no more files: the shares not given out are missing
            try:
                pid = os.fork()
            except OSError:
                os.close(read)
                os.close(write)
                break
            if pid == 0:  # pragma: no cover (the child; it never returns)
                os.close(read)
                _child(work, items, share_number, processes, write)
            os.close(write)
            children[pid] = read
        with contextlib.suppress(Exception):  # the caller redoes the item, and raises
            for n in range(0, len(items), processes):
                done[n] = work(items[n])
        while children:
            pid, read = children.popitem()
            done.update(_answers(pid, read))
        return done
    finally:
        for pid, read in children.items():  # after Ctrl-C in this process's share
            _end(pid, read)


def _child(work: Callable[[Any], Any], items: Sequence[Any], share_number: int,
           processes: int, write: int) -> None:  # pragma: no cover (runs in the child)
    status = 1
    try:
        with warnings.catch_warnings(record=True) as caught:
            answers = {n: work(items[n]) for n in range(share_number, len(items), processes)}
        if not caught:  # else the parent redoes these, so that the warning is its own
            with os.fdopen(write, "wb") as out:
                out.write(pickle.dumps(answers, pickle.HIGHEST_PROTOCOL))
            status = 0
    finally:
        os._exit(status)  # no atexit handlers or buffered output of the parent's


def _answers(pid: int, read: int) -> dict[int, Any]:
    """What the child sent, once it has exited well; nothing otherwise."""
    try:
        with os.fdopen(read, "rb") as pipe:
            data = pipe.read()
    except BaseException:
        _end(pid, None)
        raise
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:  # SIGCHLD ignored: whether it exited well is unknown
        return {}
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
        return {}
    try:
        answers = pickle.loads(data)
    except Exception:
        return {}
    return answers if isinstance(answers, dict) else {}


def _end(pid: int, read: int | None) -> None:
    """End a child whose answers are no longer wanted, and reap it."""
    if read is not None:
        os.close(read)
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
