"""Where the works come from: CSL-YAML, CSL-JSON and BibTeX files and inline references.

Every source is normalised into the same CSL-JSON dictionaries, so that a
BibTeX file and a CSL-JSON file holding the same works print the same list.
Each work keeps the position of its entry, for the messages about it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..load.loader import load_document
from ..model.diagnostics import Diagnostic, GuideError, error, shown_path
from ..model.document import Bibliography, Pos, Reference
from .works import FileLines, Normalise, Works, csl_date, read_bibliography


def as_read(item: dict[str, Any]) -> dict[str, Any]:
    """A work's fields as written: enough to check keys, titles and dates without
    citeproc-py (`validate`, `check`)."""
    return {str(k): v for k, v in item.items()}


def load_works(bibliography: Bibliography, normalise: Normalise | None = None) -> Works:
    """Every work of the outline's files and `references:`; problems as diagnostics.

    Each work's fields go through `normalise`: csl_json (the default) makes them
    what citeproc-py reads; `as_read` keeps them as written.
    """
    normalise = normalise or csl_json
    found: list[Reference] = []
    problems: list[Diagnostic] = []
    read = dict(bibliography.read)
    for path, named_at in bibliography.files:
        if path in read:  # a CSL-YAML file that the include walk has loaded
            found.extend(Reference(r.id, normalise(r.data), r.pos) for r in read[path])
            continue
        reader = _READERS.get(path.suffix.lower())
        if reader is None:
            problems.append(error(
                f"cannot read '{path.name}' as a bibliography", named_at,
                "give a CSL-YAML (.yaml), CSL-JSON (.json) or BibTeX (.bib) file"))
            continue
        try:
            works, file_problems = reader(path, shown_path(path), normalise)
        except GuideError as exc:
            problems.extend(exc.diagnostics)
            continue
        found.extend(works)
        problems.extend(file_problems)
    found.extend(Reference(r.id, normalise(r.data), r.pos) for r in bibliography.inline)
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


# ---------------------------------------------------------------- CSL-YAML


def _read_yaml(path: Path, shown: str, normalise: Normalise) -> Works:
    doc = load_document(path, kind="bibliographyFile")
    items = doc.data.get("references") or []
    return [Reference(str(item["id"]), normalise(item), doc.pos(("references", index)))
            for index, item in enumerate(items) if isinstance(item, dict)], []


# ---------------------------------------------------------------- CSL-JSON


def _read_json(path: Path, shown: str, normalise: Normalise) -> Works:
    text = read_bibliography(path, shown)
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
    lines = FileLines(text, shown)
    for item, offset in zip(data, _element_offsets(text), strict=True):
        pos = lines.pos(offset)
        if not isinstance(item, dict) or not isinstance(item.get("id"), (str, int)):
            problems.append(error("a work without an 'id'", pos,
                                  'each work is an object with "id": "key"'))
        else:
            works.append(Reference(str(item["id"]), normalise(item), pos))
    return works, problems


_JSON_SPACE = re.compile(r"[ \t\n\r]*")


def _element_offsets(text: str) -> list[int]:
    """Where each element of the (valid) top-level JSON array starts."""
    decoder = json.JSONDecoder()
    offsets: list[int] = []
    index = _JSON_SPACE.match(text, 0).end() + 1  # type: ignore[union-attr]
    while True:
        index = _JSON_SPACE.match(text, index).end()  # type: ignore[union-attr]
        if text[index] == "]":
            return offsets
        offsets.append(index)
        index = _JSON_SPACE.match(text, decoder.raw_decode(text, index)[1]).end()  # type: ignore[union-attr]
        if text[index] == ",":
            index += 1


# ------------------------------------------------------------------ BibTeX


def _read_bibtex(path: Path, shown: str, normalise: Normalise) -> Works:
    # Imported here: citeproc-py's BibTeX parser loads only when a .bib file is read.
    from .bibtex import read_bibtex

    return read_bibtex(path, shown, normalise)


# -------------------------------------------------------------- normalising

@lru_cache(maxsize=1)
def _csl_variables() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """CSL's variable names, and those that are names or dates, as citeproc-py knows them."""
    from citeproc import DATES, NAMES, VARIABLES  # here: `validate` never loads citeproc-py

    known = {v.replace("_", "-") for v in VARIABLES} | {v for v in VARIABLES if v.isupper()}
    return frozenset(known), frozenset(NAMES), frozenset(DATES)


_ALIASES = {"shortTitle": "title-short", "journalAbbreviation": "container-title-short"}
_NAME_PARTS = ("family", "given", "dropping-particle", "non-dropping-particle", "suffix",
               "literal")


def csl_json(item: dict[str, Any]) -> dict[str, Any]:
    """One work as CSL-JSON that citeproc-py reads without complaint."""
    data: dict[str, Any] = {"id": str(item.get("id", "")), "type": str(item.get("type") or
                                                                       "article")}
    known, name_variables, date_variables = _csl_variables()
    for key, value in item.items():
        key = _ALIASES.get(key, key)
        if key not in known or value is None or key in data:
            continue
        plain = key.replace("-", "_")
        if plain in name_variables:
            names = [_name(n) for n in (value if isinstance(value, list) else [value])]
            data[key] = [n for n in names if n]
        elif plain in date_variables:
            date = csl_date(value)
            if date:
                data[key] = date
        elif isinstance(value, list):
            data[key] = ", ".join(str(v) for v in value)
        else:
            data[key] = value if isinstance(value, int) and not isinstance(value, bool) \
                else str(value)
    return data


def _name(value: Any) -> dict[str, str]:
    if isinstance(value, dict):
        return {k: str(value[k]) for k in _NAME_PARTS if value.get(k) is not None}
    family, _, given = str(value).partition(",")
    return {"family": family.strip(), "given": given.strip()} if given else \
        {"literal": family.strip()}


# ------------------------------------------------------------------ helpers


_READERS: dict[str, Callable[[Path, str, Normalise], Works]] = {
    ".yaml": _read_yaml,
    ".yml": _read_yaml,
    ".json": _read_json,
    ".bib": _read_bibtex,
}
