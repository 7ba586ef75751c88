"""One build's citations and reference list, formatted by Pandoc's citeproc in one run.

The citations go to pandoc as Pandoc markdown, one paragraph each, in reading
order and as the author wrote them, so that pandoc reads every form itself
(`[see @a, p. 3; @b]`, `@a [p. 80]`, `[-@a]`). The bibliography files go as
files, read by pandoc's readers; the outline's `references:` and `nocite:` go
in the input's metadata. After the citations come probes: each cited work cited
alone, to find works that the style prints alike. pandoc answers in its JSON
AST, which becomes spans (pandoc_ast).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..model.document import Reference, ReferenceEntry, Span
from .pandoc import run_pandoc
from .pandoc_ast import entries, to_spans
from .styles import reads_position

NO_DATE = "n.d."


@dataclass(frozen=True)
class Request:
    """Everything that decides how the citations print."""

    citations: tuple[str, ...]  # each citation's source, in reading order
    nocite: tuple[str, ...]  # keys listed though never cited
    probes: tuple[str, ...]  # keys of the cited works, each to be cited alone
    files: tuple[Path, ...]  # bibliography files, read by pandoc
    # the outline's `references:` and the works of its CSL-YAML files: pandoc reads
    # both as the `references` of a document's metadata
    inline: tuple[Reference, ...]
    style: Path  # an independent CSL style
    lang: str


@dataclass(frozen=True)
class Formatted:
    citations: tuple[tuple[Span, ...], ...]  # as Request.citations
    probes: tuple[tuple[Span, ...], ...]  # as Request.probes
    entries: tuple[ReferenceEntry, ...]  # in the style's order
    warnings: tuple[str, ...]  # what pandoc warned of


def format_citations(request: Request) -> Formatted:
    """Run pandoc (or find its run in the cache); GuideError if it cannot run or fails.

    A style without position tests prints a citation alike wherever it comes: then
    each distinct citation goes to pandoc once, in the order they first come (which
    keeps the numbering by first citation, and the same works to tell apart). citeproc
    takes milliseconds a citation, and a long guide repeats most of its citations.
    """
    if reads_position(request.style):
        return _format(request)
    distinct = list(dict.fromkeys(request.citations))
    if len(distinct) == len(request.citations):
        return _format(request)
    done = _format(replace(request, citations=tuple(distinct)))
    formatted = dict(zip(distinct, done.citations, strict=True))
    return replace(done, citations=tuple(formatted[c] for c in request.citations))


def _format(request: Request) -> Formatted:
    args = ["--from", "markdown", "--to", "json", "--citeproc", "--csl", str(request.style),
            "--metadata", f"lang={request.lang}", "--metadata", "link-citations=true",
            *(f"--bibliography={path}" for path in request.files)]
    run = run_pandoc(args, _markdown(request), [request.style, *request.files])
    blocks = json.loads(run.output)["blocks"]
    paragraphs = [to_spans(_unmarked(b["c"])) for b in blocks if b.get("t") in ("Para", "Plain")]
    wanted = len(request.citations) + len(request.probes)
    if len(paragraphs) != wanted:
        raise RuntimeError(f"pandoc gave {len(paragraphs)} citations for {wanted}")
    count = len(request.citations)
    return Formatted(tuple(paragraphs[:count]), tuple(paragraphs[count:]),
                     tuple(entries(blocks)), run.warnings)


def _markdown(request: Request) -> str:
    """pandoc's input: metadata, then a paragraph a citation, then the probes."""
    meta: dict[str, object] = {}
    if request.nocite:
        meta["nocite"] = ", ".join(_cited(key) for key in request.nocite)
    if request.inline:
        meta["references"] = [_for_pandoc(ref) for ref in request.inline]
    # JSON is YAML; pandoc reads the strings of the metadata as markdown, as it would
    # read them in a document's front matter.
    head = f"---\n{json.dumps(meta, ensure_ascii=False, default=str)}\n---\n\n" if meta else ""
    paragraphs = [" ".join(source.split()) for source in request.citations]
    paragraphs.extend(f"[{_cited(key)}]" for key in request.probes)
    return head + "\n\n".join(f"{MARK} {text}" for text in paragraphs) + "\n"


# A word before each citation, as in running text: pandoc 3.5 and 3.6 misread a
# paragraph that starts with a citation after one that starts with `[-@key, p. 1]`.
MARK = "X"


def _unmarked(inlines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A paragraph's inlines without the word MARK and the space after it."""
    if not inlines or inlines[0] != {"t": "Str", "c": MARK}:
        raise RuntimeError(f"pandoc's paragraph does not start with {MARK!r}: {inlines[:2]}")
    rest = inlines[1:]
    return rest[1:] if rest and rest[0].get("t") in ("Space", "SoftBreak") else rest


def _for_pandoc(work: Reference) -> dict[str, object]:
    """A CSL-YAML work as pandoc reads it; `issued: {literal: n.d.}` (the author's word
    that it has no date) left out, for the style prints its own "n.d."."""
    data = {**work.data, "id": work.id}
    issued = data.get("issued")
    literal = issued.get("literal") if isinstance(issued, dict) else issued
    if isinstance(literal, str) and literal.strip().lower() == NO_DATE:
        del data["issued"]
    return data


def _cited(key: str) -> str:
    """The key as Pandoc markdown cites it, whatever characters it holds."""
    return f"@{{{key}}}" if "}" not in key else f"@{key}"

