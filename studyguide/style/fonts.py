"""Font files: the packaged families, and whether a TrueType file can be embedded.

Nothing here loads ReportLab: the style stage checks the files a sheet names,
and render registers them.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from ..model.diagnostics import GuideError, error

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


