"""The citations pass: Pandoc citations formatted by citeproc-py, and the reference list.

citeproc-py formats every citation and entry in the guide's CSL style (see
cite_engine); this pass finds the citations in reading order, checks their
keys, and places the results and the reference list. The in-text forms:

- `[@a; @b, p. 3]` is the style's citation: "(Adams, 2019; Brown, 2020, p. 3)"
  in APA, "(1,2)" in Vancouver, "¹,²" in AMA (Unicode superscripts; a space
  before them goes).
- `[-@key]` is the style's citation without its author: "(2020)" in APA;
  numeric styles name no one, so it is their usual number.
- Narrative `@key` reads as text: the author, then the citation without the
  author: "Smith (2020)" in author-date styles, "Smith" in MLA. Numeric
  styles' citations name no one, so a reader would not know who "(1)" is:
  there the author comes from a short-name layout, "Smith and Lee (1)",
  "Smith [1]" (IEEE), "Smith¹" (AMA).

Each cited work is a link to its entry (`#ref-` + key). The reference list
holds the works cited in this build and those `nocite:` names (`*`: all).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from ..model.diagnostics import Diagnostic, GuideError, did_you_mean, error, warning
from ..model.document import (
    Cite,
    Emph,
    GlossRef,
    Guide,
    Inline,
    Link,
    Pos,
    Reference,
    ReferenceEntry,
    ReferenceList,
    Section,
    Span,
    Strong,
    Text,
    map_spans,
    plain_text,
    walk_spans,
)
from ..model.traverse import iter_inlines, map_inlines, unique_section_id
from .bibliography import as_read, load_works
from .csl import load_style

# -------------------------------------------------------------------- pass


def citations_pass(guide: Guide) -> tuple[Guide, list[Diagnostic]]:
    """Format every Cite in the guide's citation style and add the reference list."""
    return _citations(guide, formatted=True)


def citations_check_pass(guide: Guide) -> tuple[Guide, list[Diagnostic]]:
    """The same checks, without formatting anything: unknown keys, nocite, the style,
    works never cited or without a title or date. citeproc-py is not imported, so
    `validate` and `check` start quickly."""
    return _citations(guide, formatted=False)


def _citations(guide: Guide, formatted: bool) -> tuple[Guide, list[Diagnostic]]:
    bib = guide.bibliography
    found = [(value, cite) for value in iter_inlines(guide) for cite in _cites(value)]
    if not found and not bib.files and not bib.inline and not bib.nocite:
        return guide, []
    works, problems = load_works(bib, None if formatted else as_read)
    works, undated = _acknowledged_undated(works)
    if any(p.severity == "error" for p in problems):
        return guide, problems  # without all the works, every key could look unknown
    by_id = {w.id: w for w in works}
    problems.extend(_unknown_keys(found, by_id))
    nocite, nocite_problems = _nocite(bib.nocite, works, guide.meta.pos)
    problems.extend(nocite_problems)
    folders = (guide.outline.parent, guide.root, Path.cwd())
    try:
        root = load_style(bib.style, folders, bib.style_pos)
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
    if not formatted:
        problems.extend(_incomplete((by_id[key] for key in listed), undated))
        return guide, problems
    from .engine import Engine  # citeproc-py: only for a build that prints citations

    try:
        engine = Engine(root, [by_id[key] for key in listed], guide.meta.lang)
        citations = engine.register([cite for _, cite in found], listed[len(cited):])
        rendered = iter(engine.render_all([cite for _, cite in found], citations))
        entries = tuple(engine.entries())
    except Exception as exc:  # a style citeproc-py cannot follow
        problems.append(error(f"citation style '{bib.style}' cannot be used: {exc}",
                              bib.style_pos))
        return guide, problems
    problems.extend(_incomplete((by_id[key] for key in listed), undated))
    guide = map_inlines(guide, _replacer(rendered))
    section = _references_section(guide, entries)
    return replace(guide, sections=(*guide.sections, section),
                   bibliography=replace(bib, entries=entries)), problems


def _cites(value: Inline) -> Iterator[Cite]:
    """The Cites in an Inline's spans, in reading order."""
    return (span for span in walk_spans(value.spans) if isinstance(span, Cite))


def _replacer(rendered: Iterator[tuple[Span, ...]]) -> Callable[[Inline], Inline]:
    """Give each Cite, in the order they were collected, its formatted spans."""
    from .engine import SUPERSCRIPTS  # here: the engine loads citeproc-py

    def tight(spans: tuple[Span, ...]) -> tuple[Span, ...]:
        """"shown¹", not "shown ¹": no space before a superscript citation."""
        out: list[Span] = []
        for span in spans:
            if isinstance(span, Cite) and out and isinstance(out[-1], Text) and \
                    plain_text(span.rendered)[:1] in SUPERSCRIPTS:
                out[-1] = Text(out[-1].text.rstrip())
            out.append(span)
        return tuple(out)

    def render(span: Span) -> Span:
        if isinstance(span, Cite):
            return replace(span, rendered=next(rendered))
        if isinstance(span, (Strong, Emph, Link, GlossRef)):
            return replace(span, children=tight(span.children))
        return span

    def apply(value: Inline) -> Inline:
        if not any(_cites(value)):
            return value
        return replace(value, spans=tight(map_spans(value.spans, render)))

    return apply


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


_NO_DATE = "n.d."


def _acknowledged_undated(works: list[Reference]) -> tuple[list[Reference], set[str]]:
    """Works whose author wrote `issued: {literal: n.d.}`: known to have no date.

    They lose the literal (citeproc-py would print "n.d., n.d.") and are
    spared the missing-date warning; the style prints its own "n.d.".
    """
    kept: list[Reference] = []
    undated: set[str] = set()
    for work in works:
        issued = work.data.get("issued")
        literal = issued.get("literal") if isinstance(issued, dict) else issued
        if isinstance(literal, str) and literal.strip().lower() == _NO_DATE:
            data = {k: v for k, v in work.data.items() if k != "issued"}
            work = replace(work, data=data)
            undated.add(work.id)
        kept.append(work)
    return kept, undated


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
