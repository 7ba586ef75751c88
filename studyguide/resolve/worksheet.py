"""The worksheet edition: glossary terms in marked blocks become blanks, and each
top-level section ends with a word bank of the terms its blanks stand for."""

from __future__ import annotations

from dataclasses import replace

from ..model.diagnostics import Diagnostic
from ..model.document import (
    Blank,
    GlossRef,
    Guide,
    Inline,
    Section,
    Span,
    WordBank,
    map_spans,
    plain_text,
)
from ..model.names import name_key
from ..model.traverse import append_to_end, map_section_inlines


def worksheet_pass(guide: Guide) -> tuple[Guide, list[Diagnostic]]:
    """In the worksheet edition, blank out the marked terms and add the word banks."""
    if guide.edition != "worksheet":
        return guide, []
    return replace(guide, sections=tuple(_section(s) for s in guide.sections)), []


def _section(section: Section) -> Section:
    words: list[str] = []

    def blank(span: Span) -> Span:
        if isinstance(span, GlossRef):
            words.append(plain_text(span.children))
            return Blank(words[-1])
        return span

    def blanked(text: Inline) -> Inline:
        return replace(text, spans=map_spans(text.spans, blank)) if text.worksheet else text

    section = map_section_inlines(section, blanked)
    if not words:
        return section
    # One entry a word, whatever its case or spacing or how its accents were
    # typed, in alphabetical order: the order of the blanks would give the answers away.
    unique = {name_key(w): w for w in reversed(words)}
    bank = WordBank(tuple(sorted(unique.values(), key=str.casefold)), section.pos)
    return append_to_end(section, bank)
