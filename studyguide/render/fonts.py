"""Font files: find the packaged families, check TrueType files, register them with ReportLab."""

from __future__ import annotations

import importlib.util
import re
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model.diagnostics import GuideError, error

if TYPE_CHECKING:
    from ..style.load import FontFamily

# ReportLab is imported inside the functions that need it, so that the style
# stage can find and check font files without loading ReportLab at all.

# A built-in family: the name it is registered under, its Python package, its
# PyPI name, and the file names of its regular, bold, italic and bold italic faces.
PACKAGE_FONTS: dict[str, tuple[str, str, str, tuple[str, str, str, str]]] = {
    "serif": ("SourceSerifPro", "font_source_serif_pro", "font-source-serif-pro",
              ("SourceSerifPro-Regular", "SourceSerifPro-Bold", "SourceSerifPro-It",
               "SourceSerifPro-BoldIt")),
    "sans": ("SourceSansPro", "font_source_sans_pro", "font-source-sans-pro",
             ("SourceSansPro-Regular", "SourceSansPro-Bold", "SourceSansPro-It",
              "SourceSansPro-BoldIt")),
    "mono": ("IBMPlexMono", "fontpkg_ibm_plex_mono", "fontpkg-ibm-plex-mono",
             ("IBMPlexMono-Regular", "IBMPlexMono-Bold", "IBMPlexMono-Italic",
              "IBMPlexMono-BoldItalic")),
}

_registered: dict[str, Path] = {}  # ReportLab font name -> its file
_cmaps: dict[Path, frozenset[int]] = {}
_lock = threading.Lock()  # registration mutates ReportLab's global font registry


def package_font_files(family: str) -> tuple[str, tuple[Path, Path, Path, Path]]:
    """A built-in family's name and four files, found without importing its package."""
    name, package, dist, stems = PACKAGE_FONTS[family]
    spec = importlib.util.find_spec(package)
    folders = list(spec.submodule_search_locations or []) if spec else []
    if not folders:
        raise GuideError([error(f"the font package {dist} is not installed", None,
                                f"install it: python -m pip install {dist}")])
    regular, bold, italic, bold_italic = (Path(folders[0]) / "files" / f"{s}.ttf" for s in stems)
    for file in (regular, bold, italic, bold_italic):
        if not file.is_file():
            raise GuideError([error(f"the font package {dist} has no {file.name}", None,
                                    f"reinstall it: python -m pip install --force {dist}")])
    return name, (regular, bold, italic, bold_italic)


def truetype_problem(file: Path) -> tuple[str, str] | None:
    """Why ReportLab could not embed `file` (what is wrong, and a hint), from its first bytes."""
    try:
        with file.open("rb") as handle:
            magic = handle.read(4)
    except OSError as exc:
        return f"cannot be read ({exc.strerror})", "check the file's permissions"
    if magic in (b"\x00\x01\x00\x00", b"true"):
        return None
    if magic == b"OTTO":
        return ("is an OpenType font with CFF outlines, which ReportLab cannot embed",
                "use the TrueType (.ttf) version of the font")
    if magic == b"ttcf":
        return "is a font collection (.ttc)", "use a single TrueType (.ttf) font file"
    if magic in (b"wOFF", b"wOF2"):
        return "is a web font (WOFF)", "use the TrueType (.ttf) version of the font"
    return "is not a TrueType font", "use a TrueType (.ttf) font file"


def family_name(regular: Path) -> str:
    """A stable font name from a regular face's file name: `Lato-Regular.ttf` -> `Lato`."""
    stem = re.sub(r"[-_ ]?(Regular|Roman|Book)$", "", regular.stem, flags=re.IGNORECASE)
    return re.sub(r"[^A-Za-z0-9-]", "", stem) or "CustomFont"


def face_names(name: str) -> tuple[str, str, str, str]:
    """The ReportLab names of a family's regular, bold, italic and bold italic faces."""
    return name, f"{name}-Bold", f"{name}-Italic", f"{name}-BoldItalic"


def register_family(family: FontFamily) -> str:
    """Register the family's four faces with ReportLab once per process; the regular name.

    The name is `family.name`, unless other files already took it in this
    process (two custom families whose files are named alike): then the first
    free `name-2`, `name-3`, ... so that neither family is printed in the other.
    """
    from reportlab.pdfbase import pdfmetrics

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


@lru_cache(maxsize=1)
def _measured_font() -> type:
    """ReportLab's TrueType font, remembering the width of each string it measures.

    Line breaking measures every word of a paragraph at each wrap, and the same
    words recur through a guide; summing glyph widths in Python was a fifth of
    the time of laying a guide out. The width of a string never changes.
    """
    from reportlab.pdfbase.ttfonts import TTFont

    class MeasuredFont(TTFont):
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

    return MeasuredFont


def _load(name: str, file: Path) -> Any:
    from reportlab.pdfbase.ttfonts import TTFError

    try:
        return _measured_font()(name, str(file))
    except (TTFError, OSError, ValueError, KeyError, IndexError) as exc:
        raise GuideError([error(f"cannot read the font file {file}: {exc}", None,
                                "use a TrueType (.ttf) font file that other programs can open")
                          ]) from None
