"""`init`: write a small starter project that builds as it is."""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from ..model.diagnostics import GuideError, error


def write_starter(directory: Path) -> list[Path]:
    """Copy the starter project into `directory`, which must be new or empty."""
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise GuideError([error(f"cannot create a project in {directory}: it is not empty",
                                None, "choose a new folder name")])
    written: list[Path] = []
    _copy(resources.files("studyguide.commands") / "starter_project", directory, written)
    return written


def _copy(source: Traversable, target: Path, written: list[Path]) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for entry in sorted(source.iterdir(), key=lambda e: e.name):
        if entry.name.startswith(("_", ".")):
            continue
        if entry.is_dir():
            _copy(entry, target / entry.name, written)
        else:
            (target / entry.name).write_bytes(entry.read_bytes())
            written.append(target / entry.name)
