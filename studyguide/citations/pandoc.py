"""Pandoc, run for its citeproc and its bibliography readers, with an on-disk cache.

The pandoc binary is $STUDYGUIDE_PANDOC if set, else the one the pypandoc-binary
wheel ships (pandoc 3.x), else a `pandoc` on the PATH. Each run's output is kept
in a cache folder under a key made of everything the run reads: the binary, its
arguments, its input and the bytes of every file it is given. An unchanged build
(`watch`, a second `build`, the editions of `build --all` in one citation style)
does not start pandoc again, and parallel workers asking for the same run wait
for the one that makes it.

The cache is $STUDYGUIDE_CACHE if set, else studyguide/citations/ in
$XDG_CACHE_HOME or ~/.cache. A cache that cannot be written is no error: pandoc
runs every time.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..model.diagnostics import Diagnostic, GuideError, error, shown_path
from ..model.document import Pos

INSTALL = "pip install pypandoc-binary"
_KEPT = 400  # cached runs; the oldest go beyond this
_VERSION = "1"  # of what the cache holds: another layout of it needs new keys


@dataclass(frozen=True)
class Run:
    """What pandoc printed for one run that succeeded."""

    output: str
    warnings: tuple[str, ...]


def pandoc_binary() -> Path:
    """The pandoc to run: $STUDYGUIDE_PANDOC if set, else the one pypandoc-binary ships,
    else one on the PATH; GuideError (one line, what to install) if there is none, or
    if the one chosen is older than MINIMUM."""
    chosen = os.environ.get("STUDYGUIDE_PANDOC")
    return _checked(Path(chosen)) if chosen else _found()


MINIMUM = (3, 8, 2)  # what pypandoc-binary 1.16.2 ships; pyproject.toml asks for no less


@lru_cache(maxsize=1)
def _found() -> Path:
    spec = importlib.util.find_spec("pypandoc")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        for name in ("pandoc", "pandoc.exe"):
            found = Path(folder) / "files" / name
            if found.is_file() and os.access(found, os.X_OK):
                return found  # the wheel's: its version is the one pip installed
    on_path = shutil.which("pandoc")
    if on_path:
        return _checked(Path(on_path))
    raise GuideError([error(f"cannot format citations: pandoc is not installed (install it "
                            f"with '{INSTALL}')", None)])


@lru_cache(maxsize=4)
def _checked(binary: Path) -> Path:
    """`binary`, if it runs and is MINIMUM or newer."""
    try:
        said = subprocess.run([str(binary), "--version"], capture_output=True, text=True,
                              check=False).stdout
    except OSError as exc:
        raise GuideError([_cannot_run(exc)]) from None
    found = re.match(r"pandoc(?:\.exe)? (\d+(?:\.\d+)*)", said)
    version = tuple(int(n) for n in found[1].split(".")) if found else ()
    if version < MINIMUM:
        shown = found[1] if found else "of an unknown version"
        raise GuideError([error(
            f"cannot format citations: pandoc {shown} at {binary} is older than "
            f"{'.'.join(map(str, MINIMUM))} (install a newer one with '{INSTALL}')", None)])
    return binary


def _cannot_run(exc: OSError) -> Diagnostic:
    return error(f"cannot format citations: pandoc cannot run here ({exc.strerror}) "
                 f"(install it again with '{INSTALL}')", None)


def run_pandoc(args: Sequence[str], stdin: str, files: Sequence[Path]) -> Run:
    """pandoc's output for `args` and `stdin`, from the cache when the same run (and the
    same `files`, which it reads) was done before. GuideError if it fails."""
    binary = pandoc_binary()
    key = _key(binary, args, stdin, files)
    kept = _read_cache(key)
    if kept is not None:
        return kept
    with _only_one(key):  # `build --all` workers asking alike: one runs pandoc
        kept = _read_cache(key)
        return kept if kept is not None else _run(binary, args, stdin, files, key)


def _run(binary: Path, args: Sequence[str], stdin: str, files: Sequence[Path], key: str
         ) -> Run:
    try:
        done = subprocess.run([str(binary), *args], input=stdin.encode("utf-8"),
                              capture_output=True, check=False)
    except OSError as exc:  # a binary for another platform, or not executable
        raise GuideError([_cannot_run(exc)]) from None
    stderr = done.stderr.decode("utf-8", "replace")
    if done.returncode != 0:
        raise GuideError([pandoc_error(stderr, files)])
    run = Run(done.stdout.decode("utf-8"), tuple(
        line.removeprefix("[WARNING]").strip() for line in stderr.splitlines()
        if line.startswith("[WARNING]")))
    _write_cache(key, run)
    return run


_AT = re.compile(r"\(line (\d+), column (\d+)\)")
_FILE = re.compile(r'(?:Error at "|Error reading bibliography file )([^"\n]+?)"?[ :]')


def pandoc_error(stderr: str, files: Sequence[Path]) -> Diagnostic:
    """pandoc's error as ours: at the line and column of the file it names, when it
    names one of `files`."""
    named = _FILE.search(stderr)
    file = next((f for f in files if named and (str(f) == named[1] or f.name == Path(
        named[1]).name)), None)
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    if file is None:
        return error(f"pandoc could not format the citations: {' '.join(lines)}", None)
    # After "Error at FILE (line, column):" pandoc says what it expected, then shows
    # the line with a caret, as our own message will.
    said = [line for line in lines if line.startswith(("unexpected", "expecting"))]
    message = "; ".join(said) or " ".join(lines)
    at = _AT.search(stderr)
    pos = _within(file, int(at[1]), int(at[2])) if at else Pos(shown_path(file), 1, 1)
    hints = ("an entry or a value is not closed: a '}' or '\"' is missing",) \
        if "end of input" in message else ()
    return error(f"cannot read the bibliography: {message}", pos, *hints)


def _within(file: Path, line: int, column: int) -> Pos:
    """The position, moved back to the file's last character if pandoc counted beyond it."""
    try:
        text = file.read_text("utf-8").rstrip()
    except (OSError, UnicodeError):
        return Pos(shown_path(file), line, column)
    lines = text.splitlines() or [""]
    if line > len(lines):
        line, column = len(lines), len(lines[-1]) + 1
    return Pos(shown_path(file), line, column)


# ------------------------------------------------------------------ the cache


@contextlib.contextmanager
def _only_one(key: str) -> Iterator[None]:
    """Hold the cache's lock for `key`: another process that wants the same run waits,
    then finds it in the cache. Without a cache folder (or fcntl), no lock."""
    try:
        import fcntl  # here: POSIX only; elsewhere two workers may both run pandoc
    except ImportError:
        yield
        return
    try:
        folder = cache_folder()
        folder.mkdir(parents=True, exist_ok=True)
        handle = open(folder / f"{key}.lock", "w")  # noqa: SIM115 -- closed below
    except OSError:
        yield
        return
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        handle.close()  # which releases the lock
        with contextlib.suppress(OSError):
            (folder / f"{key}.lock").unlink()


def cache_folder() -> Path:
    chosen = os.environ.get("STUDYGUIDE_CACHE")
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "studyguide" / "citations"


def _key(binary: Path, args: Sequence[str], stdin: str, files: Sequence[Path]) -> str:
    digest = hashlib.sha256()
    stat = binary.stat()
    for part in (_VERSION, str(binary), str(stat.st_size), str(stat.st_mtime_ns), *args,
                 stdin):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    for path in files:
        digest.update(str(path).encode("utf-8", "surrogatepass") + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"\1unreadable")  # pandoc will say why
        digest.update(b"\0")
    return digest.hexdigest()


def _read_cache(key: str) -> Run | None:
    path = cache_folder() / f"{key}.json"
    try:
        kept = json.loads(path.read_text("utf-8"))
        os.utime(path)  # recently used: kept when older runs are pruned
        return Run(str(kept["output"]), tuple(str(w) for w in kept["warnings"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_cache(key: str, run: Run) -> None:
    folder = cache_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".run-", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump({"output": run.output, "warnings": list(run.warnings)}, out)
        os.replace(temporary, folder / f"{key}.json")
        _prune(folder)
    except OSError:
        pass  # no cache: the next build runs pandoc again


def _prune(folder: Path) -> None:
    kept = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime_ns)
    for old in kept[:-_KEPT]:
        old.unlink(missing_ok=True)
