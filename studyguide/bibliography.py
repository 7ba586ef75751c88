"""Where the works come from: CSL-YAML, CSL-JSON and BibTeX files and inline references.

Every source is normalised into the same CSL-JSON dictionaries, so that a
BibTeX file and a CSL-JSON file holding the same works print the same list.
Each work keeps the position of its entry, for the messages about it.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from citeproc import DATES, NAMES, VARIABLES
from citeproc.source import Date, DateRange, Name
from citeproc.source import Reference as CiteprocReference
from citeproc.source.bibtex import BibTeX
from citeproc.source.bibtex.bibparse import BibTeXEntry
from citeproc.string import NoCase
from citeproc.types import CHAPTER, WEBPAGE

from .diagnostics import Diagnostic, GuideError, LineIndex, error, shown_path
from .loader import load_document, read_text
from .model import Bibliography, Pos, Reference

Works = tuple[list[Reference], list[Diagnostic]]


def load_works(bibliography: Bibliography) -> Works:
    """Every work of the outline's files and `references:`; problems as diagnostics."""
    found: list[Reference] = []
    problems: list[Diagnostic] = []
    for path, named_at in bibliography.files:
        reader = _READERS.get(path.suffix.lower())
        if reader is None:
            problems.append(error(
                f"cannot read '{path.name}' as a bibliography", named_at,
                "give a CSL-YAML (.yaml), CSL-JSON (.json) or BibTeX (.bib) file"))
            continue
        try:
            works, file_problems = reader(path, shown_path(path))
        except GuideError as exc:
            problems.extend(exc.diagnostics)
            continue
        found.extend(works)
        problems.extend(file_problems)
    found.extend(Reference(r.id, csl_json(r.data), r.pos) for r in bibliography.inline)
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


def _read_yaml(path: Path, shown: str) -> Works:
    doc = load_document(path, kind="bibliographyFile")
    items = doc.data.get("references") or []
    return [Reference(str(item["id"]), csl_json(item), doc.pos(("references", index)))
            for index, item in enumerate(items) if isinstance(item, dict)], []


# ---------------------------------------------------------------- CSL-JSON


def _read_json(path: Path, shown: str) -> Works:
    text = _read_text(path, shown)
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
            works.append(Reference(str(item["id"]), csl_json(item), pos))
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


def _read_bibtex(path: Path, shown: str) -> Works:
    text = _read_text(path, shown)
    stream = _GuardedText(text)
    lines = _Lines(text, shown)
    entries, problems = _entries(text, lines)
    try:
        source = _BibTeX(stream)
    except _EntryError as exc:
        key, where = entries.get(exc.key, (exc.key, lines.pos(0)))
        raise GuideError([error(f"cannot read BibTeX entry '{key}': {exc.reason}", where)]
                         ) from None
    except Exception as exc:  # citeproc-py's parser fails with asserts and bare errors
        raise GuideError([_bibtex_problem(exc, text, stream.tell(), lines)]) from None
    works = []
    for lower, ref in source.items():
        key, pos = entries.get(lower, (lower, lines.pos(0)))
        works.append(Reference(key, csl_json({**_from_citeproc(ref), "id": key}), pos))
    return works, problems


_ENTRY = re.compile(r"@[ \t]*(\w+)[ \t\n\r]*[{(][ \t\n\r]*([^,\s{}()]+)[ \t\n\r]*,")


def _entries(text: str, lines: _Lines) -> tuple[dict[str, tuple[str, Pos]], list[Diagnostic]]:
    """Each `@type{key,`: its key as written and where it is, by lower-case key
    (citeproc-py lower-cases keys, and keeps only the last of two alike)."""
    found: dict[str, tuple[str, Pos]] = {}
    problems: list[Diagnostic] = []
    for match in _ENTRY.finditer(text):
        if match[1].lower() in ("string", "preamble", "comment"):
            continue
        key, pos = match[2], lines.pos(match.start())
        if key.lower() in found:
            problems.append(error(f"duplicate reference id '{key}'", pos,
                                  f"it is also defined at {found[key.lower()][1]}"))
        else:
            found[key.lower()] = (key, pos)
    return found, problems


class _Truncated(Exception):
    pass


class _EntryError(Exception):
    def __init__(self, key: str, reason: str) -> None:
        super().__init__(key, reason)
        self.key, self.reason = key, reason


class _GuardedText(io.StringIO):
    # citeproc-py's BibTeX parser reads on at the end of the file forever when
    # an entry is not closed (citeproc-py issue #53); a second read past the
    # end stops it.
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.ends = 0

    def read(self, size: int | None = -1) -> str:
        chunk = super().read(size)
        if not chunk:
            self.ends += 1
            if self.ends > 1:
                raise _Truncated
        return chunk


def _bibtex_problem(exc: Exception, text: str, offset: int, lines: _Lines) -> Diagnostic:
    entry_start = text.rfind("@", 0, max(offset - 1, 0))
    unclosed = isinstance(exc, _Truncated) or "End of file" in str(exc)
    if unclosed:
        return error("this BibTeX entry is not closed: a '}' or '\"' is missing",
                     lines.pos(max(entry_start, 0)))
    where = lines.pos(max(offset - 1, 0))
    if isinstance(exc, AssertionError):
        return error("malformed BibTeX: expected ',' between fields or '}' after the last",
                     where, "write each field as name = {value}, with a comma after each")
    if isinstance(exc, KeyError):  # a bare word that is no @string abbreviation
        word = re.search(r"[\w-]*$", text[:offset])
        start = word.start() if word else offset - 1
        return error(f"malformed BibTeX: '{text[start:offset]}' is not a value",
                     lines.pos(start), "put the value in braces: name = {value}")
    return error(f"malformed BibTeX: {exc or type(exc).__name__}", where,
                 "write each entry as @type{key, name = {value}, ...}")


_BIBTEX_URL = re.compile(r"\\url\{([^}]*)\}")


class _BibTeX(BibTeX):
    """citeproc-py's BibTeX source, keeping URLs and access dates, and quiet."""

    types: ClassVar[dict[str, str]] = {
        **BibTeX.types, "incollection": CHAPTER, "online": WEBPAGE, "electronic": WEBPAGE,
        "www": WEBPAGE, "webpage": WEBPAGE}

    def _bibtex_to_csl(self, entry: BibTeXEntry) -> dict[str, Any]:
        # Fields citeproc-py does not know are dropped here rather than warned about.
        known = {k: v for k, v in entry.items() if k in self.fields or k in ("year", "month")}
        if "journal" not in known and "journaltitle" in entry:  # BibLaTeX
            known["journal"] = entry["journaltitle"]
        return dict(super()._bibtex_to_csl(BibTeXEntry(entry.document_type, known)))

    def create_reference(self, key: str, entry: BibTeXEntry) -> CiteprocReference:
        try:
            fields = self._bibtex_to_csl(entry)
        except Exception as exc:  # unbalanced braces, LaTeX it cannot read
            raise _EntryError(key, str(exc) or type(exc).__name__) from None
        try:
            issued = self._bibtex_to_csl_date(entry) or _csl_date(entry.get("date"))
        except Exception:
            written = ", ".join(f"{k} = {{{entry[k]}}}" for k in ("year", "month") if k in entry)
            raise _EntryError(key, f"{written} is not a date") from None
        url = entry.get("url") or "".join(_BIBTEX_URL.findall(entry.get("howpublished", "")))
        extra = {"URL": url.strip()} if url.strip() else {}
        accessed = _csl_date(entry.get("urldate"))
        if accessed:
            extra["accessed"] = accessed
        if issued:
            extra["issued"] = issued
        # Zotero exports a web page as @misc with a url.
        kind = WEBPAGE if url and entry.document_type == "misc" else \
            self.types.get(entry.document_type, "article")
        return CiteprocReference(key, kind, **fields, **extra)


def _from_citeproc(ref: CiteprocReference) -> dict[str, Any]:
    """citeproc-py's reference back as CSL-JSON (BibTeX goes through here)."""
    data: dict[str, Any] = {"type": ref.type}
    for key, value in ref.items():
        if key in ("key", "type"):
            continue
        if isinstance(value, list) and all(isinstance(n, Name) for n in value):
            value = [{k: str(v) for k, v in n.items() if v is not None} for n in value]
        elif isinstance(value, (Date, DateRange)):
            value = _date_parts(value)
        elif not isinstance(value, (int, str, dict)):  # dicts: our dates, CSL-JSON already
            value = "".join(f'<span class="nocase">{p}</span>' if isinstance(p, NoCase)
                            else str(p) for p in value)
        data[key if key.isupper() else key.replace("_", "-")] = value
    return data


def _date_parts(value: Any) -> dict[str, Any]:
    dates = [value.begin, value.end] if isinstance(value, DateRange) else [value]
    return {"date-parts": [[d[p] for p in ("year", "month", "day") if p in d] for d in dates]}


# -------------------------------------------------------------- normalising

_KNOWN = {v.replace("_", "-") for v in VARIABLES} | {v for v in VARIABLES if v.isupper()}
_ALIASES = {"shortTitle": "title-short", "journalAbbreviation": "container-title-short"}
_NAME_PARTS = ("family", "given", "dropping-particle", "non-dropping-particle", "suffix",
               "literal")
_ISO_DATE = re.compile(r"(-?\d{1,4})(?:-(0?[1-9]|1[0-2]))?(?:-(0?[1-9]|[12]\d|3[01]))?(?:$|[T ])")


def csl_json(item: dict[str, Any]) -> dict[str, Any]:
    """One work as CSL-JSON that citeproc-py reads without complaint."""
    data: dict[str, Any] = {"id": str(item.get("id", "")), "type": str(item.get("type") or
                                                                       "article")}
    for key, value in item.items():
        key = _ALIASES.get(key, key)
        if key not in _KNOWN or value is None or key in data:
            continue
        plain = key.replace("-", "_")
        if plain in NAMES:
            names = [_name(n) for n in (value if isinstance(value, list) else [value])]
            data[key] = [n for n in names if n]
        elif plain in DATES:
            date = _csl_date(value)
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


def _csl_date(value: Any) -> dict[str, Any] | None:
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


# ------------------------------------------------------------------ helpers


def _read_text(path: Path, shown: str) -> str:
    return read_text(path, shown, encoding_hint="export it again with the encoding UTF-8")


class _Lines(LineIndex):
    """Offsets in a text to positions in the file `shown`."""

    def __init__(self, text: str, shown: str) -> None:
        super().__init__(text)
        self.shown = shown

    def pos(self, offset: int) -> Pos:
        return Pos(self.shown, *self.line_col(offset))


_READERS: dict[str, Callable[[Path, str], Works]] = {
    ".yaml": _read_yaml,
    ".yml": _read_yaml,
    ".json": _read_json,
    ".bib": _read_bibtex,
}
