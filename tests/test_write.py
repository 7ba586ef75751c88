"""The write stage: atomic replacement, kept permissions, and messages for people."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from studyguide.model.diagnostics import GuideError
from studyguide.output import write
from studyguide.output.write import write_atomic


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def message(exc: pytest.ExceptionInfo[GuideError]) -> str:
    return exc.value.format()


def test_writes_new_file_with_default_mode(tmp_path: Path) -> None:
    target = tmp_path / "guide.pdf"
    old = os.umask(0o022)
    try:
        write_atomic(target, b"%PDF-1.4 new")
    finally:
        os.umask(old)
    assert target.read_bytes() == b"%PDF-1.4 new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert leftovers(tmp_path) == []


def test_new_file_honours_umask(tmp_path: Path) -> None:
    target = tmp_path / "guide.pdf"
    old = os.umask(0o077)
    try:
        write_atomic(target, b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_replaces_existing_file_and_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "guide.pdf"
    target.write_bytes(b"old")
    target.chmod(0o640)
    write_atomic(target, b"new" * 100_000)
    assert target.read_bytes() == b"new" * 100_000
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert leftovers(tmp_path) == []


def test_accepts_a_relative_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_atomic(Path("guide.pdf"), b"abc")
    assert (tmp_path / "guide.pdf").read_bytes() == b"abc"


def test_missing_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(GuideError) as exc:
        write_atomic(Path("build/x.pdf"), b"abc")
    assert message(exc).splitlines()[0] == (
        "error: cannot write build/x.pdf: the folder build does not exist"
    )
    assert not (tmp_path / "build").exists()


def test_target_is_a_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "build").mkdir()
    with pytest.raises(GuideError) as exc:
        write_atomic(Path("build"), b"abc")
    assert message(exc).splitlines()[0] == "error: cannot write build: it is a folder"
    assert leftovers(tmp_path) == []


def test_permission_denied_simulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(write.tempfile, "mkstemp", refuse)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "out").mkdir()
    with pytest.raises(GuideError) as exc:
        write_atomic(Path("out/x.pdf"), b"abc")
    assert message(exc) == (
        "error: cannot write out/x.pdf: permission denied in the folder out\n"
        "  hint: choose another output path, or make the folder writable"
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "x.pdf").write_bytes(b"old")
    folder.chmod(0o555)
    try:
        with pytest.raises(GuideError) as exc:
            write_atomic(Path("out/x.pdf"), b"abc")
    finally:
        folder.chmod(0o755)
    assert "cannot write out/x.pdf: permission denied in the folder out" in message(exc)
    assert (folder / "x.pdf").read_bytes() == b"old"


def test_read_only_file_system(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(write.tempfile, "mkstemp", refuse)
    with pytest.raises(GuideError) as exc:
        write_atomic(tmp_path / "x.pdf", b"abc")
    assert f"the folder {tmp_path} is on a read-only file system" in message(exc)


def test_disk_full_keeps_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    target = Path("x.pdf")
    target.write_bytes(b"old guide")
    calls = []
    real_write = os.write

    def fill_up(fd: int, data: bytes) -> int:
        # The first chunk goes to disk; then the disk is full, half-way through.
        calls.append(len(data))
        if len(calls) == 1:
            return real_write(fd, bytes(data[:10]))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(write.os, "write", fill_up)
    with pytest.raises(GuideError) as exc:
        write_atomic(target, b"new guide " * 1000)
    assert message(exc) == (
        "error: cannot write x.pdf: the disk is full\n"
        "  hint: free some space and build again"
    )
    assert len(calls) == 2
    assert target.read_bytes() == b"old guide"
    assert leftovers(tmp_path) == []


def test_interrupt_midway_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "x.pdf"
    target.write_bytes(b"old guide")

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(write.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"new guide")
    assert target.read_bytes() == b"old guide"
    assert leftovers(tmp_path) == []


def test_failed_rename_leaves_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "x.pdf"

    def broken(src: str, dst: object) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(write.os, "replace", broken)
    with pytest.raises(GuideError) as exc:
        write_atomic(target, b"new guide")
    assert message(exc) == f"error: cannot write {target}: Input/output error"
    assert not target.exists()
    assert leftovers(tmp_path) == []


def test_temporary_sits_beside_target(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    real_replace = os.replace

    def spy(src: str, dst: object) -> None:
        seen.append(src)
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(write.os, "replace", spy)
    write_atomic(tmp_path / "guide.pdf", b"abc")
    (temporary,) = seen
    assert Path(temporary).parent == tmp_path
    assert Path(temporary).name.startswith(".guide.pdf.")
    assert temporary.endswith(".tmp")
