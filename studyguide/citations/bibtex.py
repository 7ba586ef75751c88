"""BibTeX files, read by citeproc-py's parser and turned into CSL-JSON.

A module of its own so that only a build with a .bib file imports citeproc-py
for it.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any, ClassVar

from citeproc.source import Date, DateRange, Name
from citeproc.source import Reference as CiteprocReference
from citeproc.source.bibtex import BibTeX
from citeproc.source.bibtex.bibparse import BibTeXEntry
from citeproc.string import NoCase
from citeproc.types import CHAPTER, WEBPAGE

from ..model.diagnostics import Diagnostic, GuideError, error
from ..model.document import Pos, Reference
from .works import FileLines, Normalise, Works, csl_date, read_bibliography


def read_bibtex(path: Path, shown: str, normalise: Normalise) -> Works:
    """The works of a BibTeX file, each as `normalise` makes it."""
    text = read_bibliography(path, shown)
    stream = _GuardedText(text)
    lines = FileLines(text, shown)
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
        works.append(Reference(key, normalise({**_from_citeproc(ref), "id": key}), pos))
    return works, problems


_ENTRY = re.compile(r"@[ \t]*(\w+)[ \t\n\r]*[{(][ \t\n\r]*([^,\s{}()]+)[ \t\n\r]*,")


def _entries(text: str, lines: FileLines) -> tuple[dict[str, tuple[str, Pos]], list[Diagnostic]]:
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


def _bibtex_problem(exc: Exception, text: str, offset: int, lines: FileLines) -> Diagnostic:
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
            issued = self._bibtex_to_csl_date(entry) or csl_date(entry.get("date"))
        except Exception:
            written = ", ".join(f"{k} = {{{entry[k]}}}" for k in ("year", "month") if k in entry)
            raise _EntryError(key, f"{written} is not a date") from None
        url = entry.get("url") or "".join(_BIBTEX_URL.findall(entry.get("howpublished", "")))
        extra = {"URL": url.strip()} if url.strip() else {}
        accessed = csl_date(entry.get("urldate"))
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
