"""Which works the bibliography holds, and where each is written: for the checks that
run before pandoc formats anything (unknown keys, duplicate ids, works never cited
or without a title or date).

CSL-YAML and CSL-JSON are read here, each work with the position of its entry.
BibTeX, BibLaTeX and RIS are read by pandoc's own readers (converted to
CSL-JSON, the run cached like every pandoc run), so that the checks see what the
formatting will: `crossref`, `@string`s, `date=` beside `year`. Their positions
come from the entry heads (`@article{key,`, `ID  - key`) in the file's text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from ..load.loader import load_document, read_text
from ..model.diagnostics import Diagnostic, GuideError, LineIndex, error, shown_path
from ..model.document import Bibliography, Pos, Reference
from .pandoc import run_pandoc

Works = tuple[list[Reference], list[Diagnostic]]
# pandoc's reader for each suffix, as `--bibliography` chooses it
PANDOC_FORMATS = {".bib": "biblatex", ".bibtex": "bibtex", ".biblatex": "biblatex",
                  ".ris": "ris"}
CSL_YAML = (".yaml", ".yml")  # read as a document's metadata by pandoc too
_ENCODING_HINT = "export it again with the encoding UTF-8"


def load_works(bibliography: Bibliography) -> Works:
    """Every work of the outline's files and `references:`, as written; problems as
    diagnostics (a file that cannot be read, duplicate ids)."""
    found: list[Reference] = []
    problems: list[Diagnostic] = []
    read = dict(bibliography.read)
    for path, named_at in bibliography.files:
        if path in read:  # a CSL-YAML file that the include walk has loaded
            found.extend(read[path])
            continue
        reader = _READERS.get(path.suffix.lower())
        if reader is None:
            problems.append(error(
                f"cannot read '{path.name}' as a bibliography", named_at,
                "give a CSL-YAML (.yaml), CSL-JSON (.json), BibTeX or BibLaTeX (.bib) "
                "or RIS (.ris) file"))
            continue
        try:
            works, file_problems = reader(path, shown_path(path))
        except GuideError as exc:
            problems.extend(exc.diagnostics)
            continue
        found.extend(works)
        problems.extend(file_problems)
    found.extend(bibliography.inline)
    return _without_duplicates(found, problems)


def _without_duplicates(works: list[Reference], problems: list[Diagnostic]) -> Works:
    first: dict[str, Reference] = {}
    for work in works:
        if work.id in first:
            problems.append(error(f"duplicate reference id '{work.id}'", work.pos,
                                  f"it is also defined at {first[work.id].pos}"))
        else:
            first[work.id] = work
    return list(first.values()), problems


class _Lines(LineIndex):
    """Offsets in a file's text as positions in it."""

    def __init__(self, text: str, shown: str) -> None:
        super().__init__(text)
        self.shown = shown

    def pos(self, offset: int) -> Pos:
        return Pos(self.shown, *self.line_col(offset))


# ---------------------------------------------------------------- CSL-YAML


def _read_yaml(path: Path, shown: str) -> Works:
    doc = load_document(path, kind="bibliographyFile")
    items = doc.data.get("references") or []
    return [Reference(str(item["id"]), dict(item), doc.pos(("references", index)))
            for index, item in enumerate(items) if isinstance(item, dict)], []


# ---------------------------------------------------------------- CSL-JSON


def _read_json(path: Path, shown: str) -> Works:
    text = read_text(path, shown, encoding_hint=_ENCODING_HINT)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        before = text[: exc.pos].rstrip()
        hint = "JSON allows no comma after the last item" if before.endswith(",") else ""
        raise GuideError([error(f"invalid JSON: {exc.msg}", Pos(shown, exc.lineno, exc.colno),
                                hint)]) from None
    if not isinstance(data, list):
        raise GuideError([error("a CSL-JSON file holds a list of works", Pos(shown, 1, 1),
                                'write it as [{"id": "key", "type": ..., "title": ...}, ...]')])
    works: list[Reference] = []
    problems: list[Diagnostic] = []
    lines = _Lines(text, shown)
    for item, offset in zip(data, _element_offsets(text), strict=True):
        pos = lines.pos(offset)
        if not isinstance(item, dict) or not isinstance(item.get("id"), (str, int)):
            problems.append(error("a work without an 'id'", pos,
                                  'each work is an object with "id": "key"'))
        else:
            works.append(Reference(str(item["id"]), item, pos))
    return works, problems


_JSON_SPACE = re.compile(r"[ \t\n\r]*")


def _skip_space(text: str, index: int) -> int:
    return _JSON_SPACE.match(text, index).end()  # type: ignore[union-attr]


def _element_offsets(text: str) -> list[int]:
    """Where each element of the (valid) top-level JSON array starts."""
    decoder = json.JSONDecoder()
    offsets: list[int] = []
    index = _skip_space(text, 0) + 1
    while True:
        index = _skip_space(text, index)
        if text[index] == "]":
            return offsets
        offsets.append(index)
        index = _skip_space(text, decoder.raw_decode(text, index)[1])
        if text[index] == ",":
            index += 1


# ------------------------------------------------------ BibTeX, BibLaTeX, RIS

_BIBTEX_HEAD = re.compile(r"@[ \t]*(\w+)[ \t\n\r]*[{(][ \t\n\r]*([^,\s{}()]+)[ \t\n\r]*,")
_RIS_ID = re.compile(r"^ID  - (.*?)\s*$", re.MULTILINE)
_RIS_START = re.compile(r"^TY  - ", re.MULTILINE)


def _read_by_pandoc(path: Path, shown: str) -> Works:
    """The works as pandoc's reader for the file's kind reads them."""
    text = read_text(path, shown, encoding_hint=_ENCODING_HINT)
    run = run_pandoc(["--from", PANDOC_FORMATS[path.suffix.lower()], "--to", "csljson",
                      str(path)], "", [path])
    items = [item for item in json.loads(run.output or "[]") if isinstance(item, dict)]
    lines = _Lines(text, shown)
    if path.suffix.lower() == ".ris":
        starts = [m.start() for m in _RIS_START.finditer(text)]
        named = {m[1]: m.start() for m in _RIS_ID.finditer(text)}
        at = [named.get(str(item.get("id")), starts[n] if n < len(starts) else 0)
              for n, item in enumerate(items)]
    else:
        heads: dict[str, list[int]] = {}  # a key twice: each work at its own entry
        for match in _BIBTEX_HEAD.finditer(text):
            if match[1].lower() not in ("string", "preamble", "comment"):
                heads.setdefault(match[2], []).append(match.start())
        at = [(heads.get(str(item.get("id"))) or [0]).pop(0) for item in items]
    return [Reference(str(item.get("id", "")), item, lines.pos(offset))
            for item, offset in zip(items, at, strict=True)], []


_READERS: dict[str, Callable[[Path, str], Works]] = {
    ".yaml": _read_yaml,
    ".yml": _read_yaml,
    ".json": _read_json,
    **{suffix: _read_by_pandoc for suffix in PANDOC_FORMATS},
}

