"""Diagnostics: errors and warnings that point into the user's files."""

from __future__ import annotations

import bisect
import difflib
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .document import Pos

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in the user's input, with where it is and how to fix it."""

    severity: Severity
    message: str
    pos: Pos | None = None
    hints: tuple[str, ...] = ()

    def format(self) -> str:
        where = f"{self.pos}: " if self.pos is not None else ""
        lines = [f"{where}{self.severity}: {self.message}"]
        lines.extend(f"  hint: {hint}" for hint in self.hints)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.format()


def error(message: str, pos: Pos | None = None, *hints: str) -> Diagnostic:
    return Diagnostic("error", message, pos, tuple(h for h in hints if h))


def warning(message: str, pos: Pos | None = None, *hints: str) -> Diagnostic:
    return Diagnostic("warning", message, pos, tuple(h for h in hints if h))


@dataclass
class GuideError(Exception):
    """Raised by a stage that cannot go on; carries every problem it found."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.format())

    def format(self) -> str:
        return "\n".join(d.format() for d in self.diagnostics)

    def __str__(self) -> str:
        return self.format()


def fail_if_errors(diagnostics: Iterable[Diagnostic]) -> None:
    """Raise GuideError carrying every diagnostic if any of them is an error."""
    collected = list(diagnostics)
    if any(d.severity == "error" for d in collected):
        raise GuideError(collected)


def in_file_order(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Diagnostics sorted by file, line and column; those without a place first."""

    def key(d: Diagnostic) -> tuple[str, int, int]:
        return (d.pos.file, d.pos.line, d.pos.column) if d.pos else ("", 0, 0)

    return sorted(diagnostics, key=key)


def did_you_mean(word: str, choices: Sequence[str]) -> str:
    """A "did you mean" hint for a misspelt name, or "" when nothing is close."""
    close = difflib.get_close_matches(word, list(choices), n=3, cutoff=0.6)
    if not close:
        return ""
    if len(close) == 1:
        return f"did you mean '{close[0]}'?"
    return "did you mean " + " or ".join(f"'{c}'" for c in close) + "?"


def shown_path(path: Path | str) -> str:
    """A path as messages show it: relative to the current folder when inside it."""
    normal = os.path.normpath(path)
    try:
        relative = os.path.relpath(normal)
    except ValueError:  # another drive, on Windows
        return normal
    return normal if relative.startswith("..") else relative


# Line breaks as JSON and BibTeX count them; the loader passes YAML's own set.
NEWLINE = re.compile("\n")


class LineIndex:
    """Offsets in a text to 1-based line and column, without rescanning the text each time."""

    def __init__(self, text: str, breaks: re.Pattern[str] = NEWLINE) -> None:
        self.starts = [0, *(m.end() for m in breaks.finditer(text))]

    def line_col(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


def line_col(text: str, offset: int, breaks: re.Pattern[str] = NEWLINE) -> tuple[int, int]:
    """The 1-based line and column (in characters) of `offset` in `text`."""
    return LineIndex(text[:offset], breaks).line_col(offset)
