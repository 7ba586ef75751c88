"""Stage "write": put bytes at a path atomically, so a failed build never leaves half a file."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import socket
import tempfile
from pathlib import Path

from ..model.diagnostics import GuideError, error, shown_path

_NEW_FILE_MODE = 0o644


def write_atomic(target: Path, data: bytes) -> None:
    """Write `data` to `target` whole or not at all; an existing target survives a failure.

    The bytes go to a temporary file beside the target, are flushed to disk,
    and then replace the target in one rename. Raises GuideError with a
    message for people when the folder is missing or not writable, the target
    is a folder, or the disk is full. A temporary that a killed build left
    behind (nothing can clean up after SIGKILL) is removed by the next write.
    """
    target = Path(target)
    folder = target.parent
    if not folder.is_dir():
        raise _missing_folder(target)
    if target.is_dir():
        raise _cannot(target, "it is a folder", "give the path of a file, e.g. build/guide.pdf")
    mode = _mode_for(target)
    _remove_stale_temporaries(target)
    try:
        # The process id and host in the name tell a live build's temporary from a
        # dead one's; only this host can ask whether that process still runs.
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=_temporary_prefix(target) +
                                         f"{os.getpid()}@{_host()}.", suffix=_TEMPORARY_SUFFIX)
    except OSError as exc:
        raise _explain(target, exc) from None
    try:
        try:
            _write_all(fd, data)
            os.fchmod(fd, mode)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, target)
    except BaseException as exc:
        # Any failure, Ctrl-C included, leaves the old target as it was and no temporary.
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, OSError):
            raise _explain(target, exc) from None
        raise
    _sync_folder(folder)


_TEMPORARY_SUFFIX = ".tmp"


def _temporary_prefix(target: Path) -> str:
    return f".{target.name}."


def _host() -> str:
    """This machine's name as it goes into a file name: letters, digits and dashes."""
    return re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname()) or "host"


def _remove_stale_temporaries(target: Path) -> None:
    """Remove the temporaries of `target` whose build process, on this host, is gone
    (killed). A shared folder can hold another machine's build in progress: its
    temporaries are left alone."""
    if os.name != "posix":  # os.kill(pid, 0) only asks on POSIX; elsewhere it kills
        return
    prefix = _temporary_prefix(target)
    with contextlib.suppress(OSError):
        for name in os.listdir(target.parent):
            if not (name.startswith(prefix) and name.endswith(_TEMPORARY_SUFFIX)):
                continue
            # PID@HOST.RANDOM exactly: ".a.pdf.1@h.x.tmp" may be a temporary of "a.pdf.1"
            parts = name[len(prefix):-len(_TEMPORARY_SUFFIX)].split(".")
            pid, _, host = parts[0].partition("@")
            if len(parts) == 2 and pid.isdigit() and host == _host() and not _alive(int(pid)):
                with contextlib.suppress(OSError):
                    os.unlink(target.parent / name)


def _alive(pid: int) -> bool:
    """Whether process `pid` runs (POSIX: signal 0 checks without sending anything)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: alive, but another user's
        return True
    return True


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _mode_for(target: Path) -> int:
    """The target's own permissions if it exists, else 0o644 less the umask."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        return _NEW_FILE_MODE & ~_umask()


def _umask() -> int:
    # Reading the umask means setting it; /proc avoids that race where it can.
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _sync_folder(folder: Path) -> None:
    # Make the rename itself durable; some file systems cannot fsync a folder.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _explain(target: Path, exc: OSError) -> GuideError:
    folder = shown_path(target.parent)
    code = exc.errno
    if code in (errno.EACCES, errno.EPERM):
        return _cannot(target, f"permission denied in the folder {folder}",
                       "choose another output path, or make the folder writable")
    if code == errno.EROFS:
        return _cannot(target, f"the folder {folder} is on a read-only file system",
                       "choose another output path")
    if code in (errno.ENOSPC, errno.EDQUOT):
        return _cannot(target, "the disk is full", "free some space and build again")
    if code == errno.EISDIR:
        return _cannot(target, "it is a folder", "give the path of a file, e.g. build/guide.pdf")
    if code == errno.ENOENT:
        return _missing_folder(target)
    return _cannot(target, exc.strerror or str(exc), "")


def _missing_folder(target: Path) -> GuideError:
    # Not created here: a folder that is not there is more often a typo in the path.
    folder = shown_path(target.parent)
    return _cannot(target, f"the folder {folder} does not exist",
                   f"create it first (mkdir -p {folder}), or choose another output path")


def _cannot(target: Path, why: str, hint: str) -> GuideError:
    return GuideError([error(f"cannot write {shown_path(target)}: {why}", None, hint)])


def make_folder(folder: Path, target: Path) -> None:
    """The default output folder (build/), made if missing, with a message if it cannot be."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise GuideError([error(f"cannot write {shown_path(target)}: {shown_path(folder)} is a "
                                "file, not a folder", None,
                                "move or rename the file, or choose another path with -o")]
                         ) from None
    except OSError as exc:
        raise GuideError([error(f"cannot write {shown_path(target)}: cannot make the folder "
                                f"{shown_path(folder)} ({exc.strerror or exc})")]) from None
