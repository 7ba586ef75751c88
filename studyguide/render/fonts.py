"""Fonts in ReportLab: register a style's families once per process, and ask which
characters a face cannot print."""

from __future__ import annotations

import threading
import unicodedata
from pathlib import Path
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from ..model.diagnostics import GuideError, error
from ..style.types import FontFamily

_registered: dict[str, Path] = {}  # ReportLab font name -> its file
_cmaps: dict[Path, frozenset[int]] = {}
_lock = threading.Lock()  # registration mutates ReportLab's global font registry


def face_names(name: str) -> tuple[str, str, str, str]:
    """The ReportLab names of a family's regular, bold, italic and bold italic faces."""
    return name, f"{name}-Bold", f"{name}-Italic", f"{name}-BoldItalic"


def register_family(family: FontFamily) -> str:
    """Register the family's four faces with ReportLab once per process; the regular name.

    The name is `family.name`, unless other files already took it in this
    process (two custom families whose files are named alike): then the first
    free `name-2`, `name-3`, ... so that neither family is printed in the other.
    """
    files = (family.regular, family.bold, family.italic, family.bold_italic)
    with _lock:
        for number in range(1, 1000):
            name = family.name if number == 1 else f"{family.name}-{number}"
            names = face_names(name)
            taken = [_registered.get(face) for face in names]
            if taken == list(files):
                return name
            if taken == [None] * 4:
                break
        fonts = [_load(face, file) for face, file in zip(names, files, strict=True)]
        for font in fonts:
            pdfmetrics.registerFont(font)
        pdfmetrics.registerFontFamily(name, normal=names[0], bold=names[1],
                                      italic=names[2], boldItalic=names[3])
        _cmaps.setdefault(family.regular, frozenset(fonts[0].face.charToGlyph))
        _registered.update(zip(names, files, strict=True))
    return name


def missing_glyphs(family: FontFamily, text: str) -> set[str]:
    """The characters of `text` (not spaces or controls) the regular face cannot print."""
    cmap = _cmaps.get(family.regular)
    if cmap is None:
        register_family(family)
        cmap = _cmaps[family.regular]
    return {
        char for char in set(text)
        if ord(char) not in cmap and not char.isspace() and not _invisible(char)
    }


def _invisible(char: str) -> bool:
    # Controls, format characters (joiners, soft hyphen) and variation
    # selectors never need a glyph of their own.
    code = ord(char)
    return (unicodedata.category(char) in ("Cc", "Cf")
            or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF)


_WIDTHS_KEPT = 100_000  # strings whose width a face remembers; past that it starts afresh
_WORD = 32  # longer strings (whole lines, drawn once) are measured without being kept


class MeasuredFont(TTFont):
    """ReportLab's TrueType font, remembering the width of each string it measures.

    Line breaking measures every word of a paragraph at each wrap, and the same
    words recur through a guide; summing glyph widths in Python was a fifth of
    the time of laying a guide out. The width of a string never changes.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.widths: dict[tuple[Any, float, str], float] = {}

    def stringWidth(self, text: Any, size: float, encoding: str = "utf8") -> float:
        if len(text) > _WORD:
            return super().stringWidth(text, size, encoding)
        key = (text, size, encoding)
        width = self.widths.get(key)
        if width is None:
            if len(self.widths) >= _WIDTHS_KEPT:
                self.widths.clear()
            width = self.widths[key] = super().stringWidth(text, size, encoding)
        return width


def _load(name: str, file: Path) -> Any:
    try:
        return MeasuredFont(name, str(file))
    except (TTFError, OSError, ValueError, KeyError, IndexError) as exc:
        raise GuideError([error(f"cannot read the font file {file}: {exc}", None,
                                "use a TrueType (.ttf) font file that other programs can open")
                          ]) from None
