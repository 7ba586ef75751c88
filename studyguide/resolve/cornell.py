"""Cornell review pages: after each top-level section, a page whose cue column holds
the section's glossary terms and review questions."""

from __future__ import annotations

from dataclasses import replace

from ..model.diagnostics import Diagnostic
from ..model.document import CornellPage, GlossRef, Guide, Questions, Section, walk_spans
from ..model.traverse import append_to_end, block_inlines, walk_blocks, walk_sections


def cornell_pass(guide: Guide) -> tuple[Guide, list[Diagnostic]]:
    """Add a CornellPage at the end of each numbered top-level section, if asked for."""
    if not guide.cornell:
        return guide, []
    terms = {e.id: e.term for e in guide.glossary.entries}
    sections = tuple(_with_page(s, terms) if not s.unnumbered else s for s in guide.sections)
    return replace(guide, sections=sections), []


def _with_page(section: Section, terms: dict[str, str]) -> Section:
    blocks = [b for s in walk_sections((section,)) for b in walk_blocks(s.blocks)]
    used = [span.entry for b in blocks for text in block_inlines(b)
            for span in walk_spans(text.spans) if isinstance(span, GlossRef) and span.entry]
    cues = tuple(dict.fromkeys(terms[e] for e in used if e in terms))
    questions = tuple(q for b in blocks if isinstance(b, Questions) for q in b.items)
    page = CornellPage(section.title, section.number, cues, questions, section.pos)
    return append_to_end(section, page)
