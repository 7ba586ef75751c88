"""The citations pass: Pandoc citations formatted by Pandoc's citeproc, and the
reference list.

Every check runs first, on the works as written (bibliography.py): unknown keys,
duplicate ids, works never cited or without a title or date, the style. Only then
does pandoc run, once for the build (engine.py), and its citations replace the
Cites in reading order. The forms are Pandoc's, and print as Pandoc prints them:
`[@a; @b, p. 3]`, `[-@key]`, narrative `@key` and `@key [p. 80]`.

Each cited work is a link to its entry (`#ref-` + key). The reference list
holds the works cited in this build and those `nocite:` names (`*`: all). Two
works that the style prints alike (it cannot add "2020a" or an initial) are a
warning that names both.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from ..model.diagnostics import (
    Diagnostic,
    GuideError,
    did_you_mean,
    error,
    shown_path,
    warning,
)
from ..model.document import (
    CONTAINERS,
    Cite,
    Guide,
    Inline,
    Pos,
    Reference,
    ReferenceEntry,
    ReferenceList,
    Section,
    Span,
    Text,
    map_spans,
    plain_text,
    walk_spans,
)
from ..model.traverse import iter_inlines, map_inlines, unique_section_id
from .bibliography import CSL_YAML, load_works
from .engine import NO_DATE, Request, format_citations
from .pandoc_ast import starts_raised
from .styles import style_path

# -------------------------------------------------------------------- pass


def citations_pass(guide: Guide) -> tuple[Guide, list[Diagnostic]]:
    """Format every Cite in the guide's citation style and add the reference list."""
    return _citations(guide, formatted=True)


def citations_check_pass(guide: Guide) -> tuple[Guide, list[Diagnostic]]:
    """The same checks, without formatting anything: unknown keys, nocite, the style,
    works never cited or without a title or date. pandoc formats nothing (it reads a
    BibTeX or RIS file), so `validate` and `check` are quick."""
    return _citations(guide, formatted=False)


def _citations(guide: Guide, formatted: bool) -> tuple[Guide, list[Diagnostic]]:
    bib = guide.bibliography
    found = [(value, cite) for value in iter_inlines(guide) for cite in _cites(value)]
    if not found and not bib.files and not bib.inline and not bib.nocite:
        return guide, []
    works, problems = load_works(bib)
    undated = _acknowledged_undated(works)
    if any(p.severity == "error" for p in problems):
        return guide, problems  # without all the works, every key could look unknown
    by_id = {w.id: w for w in works}
    problems.extend(_unknown_keys(found, by_id))
    nocite, nocite_problems = _nocite(bib.nocite, works, guide.meta.pos)
    problems.extend(nocite_problems)
    folders = (guide.outline.parent, guide.root, Path.cwd())
    style = Path()
    try:
        style = style_path(bib.style, folders, bib.style_pos)
    except GuideError as exc:
        problems.extend(exc.diagnostics)
    if any(p.severity == "error" for p in problems):
        return guide, problems
    cited = dict.fromkeys(item.key for _, cite in found for item in cite.items)
    listed = [*cited, *(key for key in dict.fromkeys(nocite) if key not in cited)]
    shown = set(listed)
    problems.extend(warning(f"reference '{w.id}' is never cited", w.pos,
                            f"cite it as [@{w.id}], or list it under nocite: to keep it")
                    for w in works if w.id not in shown)
    if not listed:
        return guide, problems
    problems.extend(_incomplete((by_id[key] for key in listed), undated))
    if not formatted:
        return guide, problems
    in_yaml = {shown_path(path) for path, _ in bib.files if path.suffix.lower() in CSL_YAML}
    request = Request(
        citations=tuple(cite.source for _, cite in found), nocite=tuple(listed[len(cited):]),
        probes=tuple(cited),
        files=tuple(path for path, _ in bib.files if path.suffix.lower() not in CSL_YAML),
        inline=(*(w for w in works if w.pos and w.pos.file in in_yaml), *bib.inline),
        style=style, lang=guide.meta.lang)
    try:
        done = format_citations(request)
    except GuideError as exc:
        return guide, [*problems, *exc.diagnostics]
    problems.extend(warning(f"pandoc: {text}", bib.style_pos) for text in done.warnings)
    problems.extend(_alike(request.probes, done.probes, by_id))
    guide = map_inlines(guide, _replacer(iter(done.citations)))
    section = _references_section(guide, done.entries)
    return replace(guide, sections=(*guide.sections, section),
                   bibliography=replace(bib, entries=done.entries)), problems


def _cites(value: Inline) -> Iterator[Cite]:
    """The Cites in an Inline's spans, in reading order."""
    return (span for span in walk_spans(value.spans) if isinstance(span, Cite))


def _replacer(rendered: Iterator[tuple[Span, ...]]) -> Callable[[Inline], Inline]:
    """Give each Cite, in the order they were collected, its formatted spans."""

    def tight(spans: tuple[Span, ...]) -> tuple[Span, ...]:
        """"shown¹", not "shown ¹": as in pandoc, no space before a superscript citation."""
        out: list[Span] = []
        for span in spans:
            if isinstance(span, Cite) and out and isinstance(out[-1], Text) and \
                    starts_raised(span.rendered or ()):
                out[-1] = Text(out[-1].text.rstrip())
            out.append(span)
        return tuple(out)

    def render(span: Span) -> Span:
        if isinstance(span, Cite):
            return replace(span, rendered=next(rendered))
        if isinstance(span, CONTAINERS):
            return replace(span, children=tight(span.children))
        return span

    def apply(value: Inline) -> Inline:
        if not any(_cites(value)):
            return value
        return replace(value, spans=tight(map_spans(value.spans, render)))

    return apply


def _alike(keys: tuple[str, ...], probes: tuple[tuple[Span, ...], ...],
           works: dict[str, Reference]) -> Iterator[Diagnostic]:
    """A warning for each work that the style cites as it cites an earlier one."""
    first: dict[str, str] = {}
    for key, spans in zip(keys, probes, strict=True):
        text = " ".join(plain_text(spans).split())
        if not text:
            continue
        if text in first:
            yield warning(f"references '{first[text]}' and '{key}' are cited alike: {text}",
                          works[key].pos, "the style cannot tell them apart; readers cannot "
                          "tell which of the two a citation means")
        else:
            first[text] = key


def _unknown_keys(found: list[tuple[Inline, Cite]], works: dict[str, Reference]
                  ) -> list[Diagnostic]:
    problems: dict[tuple[Pos, str], Diagnostic] = {}
    for value, cite in found:
        for item in cite.items:
            if item.key in works:
                continue
            pos = value.at(cite.offset)
            hint = did_you_mean(item.key, list(works)) or ("" if works else
                                                           "the outline names no references: "
                                                           "add 'bibliography:' or 'references:'")
            problems.setdefault((pos, item.key), error(
                f"unknown citation key '{item.key}'", pos, hint))
    return list(problems.values())


def _nocite(entries: tuple[str, ...], works: list[Reference], pos: Pos
            ) -> tuple[list[str], list[Diagnostic]]:
    keys = [k.lstrip("@") for entry in entries for k in re.split(r"[\s,;]+", entry) if k]
    if "*" in keys:
        return [w.id for w in works], []
    ids = [w.id for w in works]
    known = set(ids)
    return [k for k in keys if k in known], [
        error(f"unknown citation key '{k}' in nocite", pos, did_you_mean(k, ids))
        for k in keys if k not in known]




def _acknowledged_undated(works: list[Reference]) -> set[str]:
    """Works whose author wrote `issued: {literal: n.d.}`: known to have no date, and
    spared the missing-date warning."""
    undated: set[str] = set()
    for work in works:
        issued = work.data.get("issued")
        literal = issued.get("literal") if isinstance(issued, dict) else issued
        if isinstance(literal, str) and literal.strip().lower() == NO_DATE:
            undated.add(work.id)
    return undated


def _incomplete(works: Iterator[Reference], undated: set[str]) -> Iterator[Diagnostic]:
    for work in works:
        if not work.data.get("title"):
            yield warning(f"reference '{work.id}' has no title", work.pos)
        if not work.data.get("issued") and work.id not in undated:
            yield warning(f"reference '{work.id}' has no date", work.pos,
                          'add its year ("issued" in CSL, "year" in BibTeX), or, if the work '
                          'has none, say so with issued: {literal: n.d.}')


def _references_section(guide: Guide, entries: tuple[ReferenceEntry, ...]) -> Section:
    bib, pos = guide.bibliography, guide.meta.pos
    section_id = unique_section_id(guide, "references")
    return Section(id=section_id, title=Inline(bib.title, pos, (Text(bib.title),)),
                   blocks=(ReferenceList(entries, pos),), pos=pos, unnumbered=True)
