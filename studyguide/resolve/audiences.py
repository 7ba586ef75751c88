"""The audiences pass: fit a guide to one of its audiences."""

from __future__ import annotations

from dataclasses import replace

from ..model.diagnostics import Diagnostic, error
from ..model.document import Audience, Block, Callout, Guide, Inline, Scoped, Section
from ..model.traverse import map_inlines
from ..validate.audiences import audience_hint


def audiences_pass(guide: Guide) -> tuple[Guide, list[Diagnostic]]:
    """Fit the guide to its audience: drop what is not for it, apply its title,
    subtitle and disclaimer, and pick each text's variant (its style and citation
    style are chosen with the build's overrides, before the passes)."""
    if guide.audience is None:  # the whole guide, every text as its default
        sections = _unscoped(guide.sections)
        return map_inlines(replace(guide, sections=sections), lambda text: _pick(text, None)), []
    chosen = next((a for a in guide.audiences if a.name == guide.audience), None)
    if chosen is None:
        names = [a.name for a in guide.audiences]
        # On the command line, say every valid name, not only the closest one.
        listed = "audiences: " + ", ".join(names) if names else ""
        hint = audience_hint(guide.audience, names)
        return guide, [error(f"unknown audience '{guide.audience}'", None, hint,
                             listed if listed != hint else "")]
    if guide.edition not in chosen.editions:
        return guide, [error(f"audience '{chosen.name}' has no {guide.edition} edition", None,
                             f"its editions: {', '.join(chosen.editions)}")]
    sections = tuple(s for s in (_fit_section(s, chosen, top=True) for s in guide.sections)
                     if s is not None)
    meta = replace(guide.meta, title=chosen.title or guide.meta.title,
                   subtitle=chosen.subtitle or guide.meta.subtitle)
    fitted = replace(
        guide, meta=meta, sections=sections, disclaimer=chosen.disclaimer or guide.disclaimer,
        toc=guide.toc if chosen.toc is None else chosen.toc,
        title_page=guide.title_page if chosen.title_page is None else chosen.title_page,
        # an audience's glossary holds only the terms its own text uses
        glossary=replace(guide.glossary, only_used=True),
    )
    return map_inlines(fitted, lambda text: _pick(text, chosen.name)), []


def _pick(text: Inline, audience: str | None) -> Inline:
    if not text.variants:
        return text
    chosen = dict(text.variants).get(audience or "")
    return chosen if chosen is not None else replace(text, variants=())


def _unscoped(sections: tuple[Section, ...]) -> tuple[Section, ...]:
    return tuple(replace(s, blocks=_fit_blocks(s.blocks, None), sections=_unscoped(s.sections))
                 for s in sections)


def _for(audience: str | None, only: tuple[str, ...], exclude: tuple[str, ...]) -> bool:
    if audience is None:
        return True
    return (not only or audience in only) and audience not in exclude


def _fit_section(section: Section, audience: Audience, top: bool) -> Section | None:
    if not _for(audience.name, section.audiences, section.exclude_audiences):
        return None
    # Tags select top-level sections; an untagged subsection goes with its parent.
    if audience.tags and (top or section.tags) and not set(section.tags) & set(audience.tags):
        return None
    blocks = _fit_blocks(section.blocks, audience.name)
    children = tuple(c for c in (_fit_section(c, audience, top=False) for c in section.sections)
                     if c is not None)
    had_content = bool(section.blocks or section.sections)
    if had_content and not (blocks or children):
        return None  # everything in it was for other audiences
    return replace(section, blocks=blocks, sections=children)


def _fit_blocks(blocks: tuple[Block, ...], audience: str | None) -> tuple[Block, ...]:
    kept: list[Block] = []
    for block in blocks:
        if isinstance(block, Scoped):
            if not _for(audience, block.audiences, block.exclude):
                continue
            block = block.block
        if isinstance(block, Callout) and block.blocks:
            inner = _fit_blocks(block.blocks, audience)
            if not inner:
                continue
            block = replace(block, blocks=inner)
        kept.append(block)
    return tuple(kept)
