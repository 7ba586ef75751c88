"""What every bibliography reader shares: the works it gives back, file positions, dates."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..load.loader import read_text
from ..model.diagnostics import Diagnostic, LineIndex
from ..model.document import Pos, Reference

Works = tuple[list[Reference], list[Diagnostic]]
Normalise = Callable[[dict[str, Any]], dict[str, Any]]  # one work's fields, as read
_ISO_DATE = re.compile(r"(-?\d{1,4})(?:-(0?[1-9]|1[0-2]))?(?:-(0?[1-9]|[12]\d|3[01]))?(?:$|[T ])")


def csl_date(value: Any) -> dict[str, Any] | None:
    """A CSL date from CSL-JSON's {"date-parts": ...}, "2024-03-01", 2024 or {"raw": ...}."""
    if value is None or value == "":
        return None
    if isinstance(value, dict):
        if value.get("date-parts"):
            parts = [[int(p) for p in date if str(p).lstrip("-").isdigit()]
                     for date in value["date-parts"] if isinstance(date, list)]
            return {"date-parts": [p for p in parts if p]} if any(parts) else None
        value = value.get("raw") or value.get("literal")
        if value is None:
            return None
    text = str(value).strip()
    dates = [_ISO_DATE.match(part.strip()) for part in text.split("/")]
    if all(dates):
        return {"date-parts": [[int(p) for p in d.groups() if p] for d in dates if d]}
    return {"literal": text}


def read_bibliography(path: Path, shown: str) -> str:
    return read_text(path, shown, encoding_hint="export it again with the encoding UTF-8")


class FileLines(LineIndex):
    """Offsets in a text to positions in the file `shown`."""

    def __init__(self, text: str, shown: str) -> None:
        super().__init__(text)
        self.shown = shown

    def pos(self, offset: int) -> Pos:
        return Pos(self.shown, *self.line_col(offset))
