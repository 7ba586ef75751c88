"""Walks over the model: sections, blocks and inline texts, read-only or mapping.

Every stage that visits "all the text" or "all the blocks" of a guide goes
through these, so that a new block type is taught to one place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from operator import is_
from typing import TYPE_CHECKING, Any, TypeVar

from .document import (
    Block,
    Callout,
    Figure,
    GlossaryList,
    Guide,
    Inline,
    ListBlock,
    ListItem,
    Objectives,
    Paragraph,
    Question,
    Questions,
    Scoped,
    Section,
    Table,
    Takeaways,
)

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T")
D = TypeVar("D", bound="DataclassInstance")


def walk_sections(sections: tuple[Section, ...]) -> Iterator[Section]:
    """Every section, depth first, in reading order."""
    for section in sections:
        yield section
        yield from walk_sections(section.sections)


def walk_blocks(blocks: tuple[Block, ...]) -> Iterator[Block]:
    """Every block, in reading order: a callout (or Scoped), then the blocks inside it."""
    for block in blocks:
        yield block
        if isinstance(block, Callout):
            yield from walk_blocks(block.blocks)
        elif isinstance(block, Scoped):
            yield from walk_blocks((block.block,))


def iter_blocks(sections: tuple[Section, ...]) -> Iterator[Block]:
    """Every block of the sections, in reading order, with the blocks inside callouts."""
    for section in walk_sections(sections):
        yield from walk_blocks(section.blocks)


# The mapping walks below give back the very object they were given wherever
# `fn` changed nothing inside it: most passes touch few texts, and copying the
# whole guide for each of them cost time and memory for nothing.


def _kept(old: tuple[T, ...], new: Iterable[T]) -> tuple[T, ...]:
    """`new` as a tuple, or `old` itself if `new` holds the same objects."""
    items = tuple(new)
    return old if len(items) == len(old) and all(map(is_, items, old)) else items


def _replaced(obj: D, **changes: Any) -> D:
    """`replace(obj, **changes)`, or `obj` itself if every new value is the one it has."""
    for name, value in changes.items():
        if getattr(obj, name) is not value:
            return replace(obj, **changes)
    return obj


def map_blocks(blocks: tuple[Block, ...], fn: Callable[[Block], Block]) -> tuple[Block, ...]:
    """`blocks` with `fn` applied to every block in reading order: to a callout,
    then to the blocks inside what `fn` returned."""

    def one(block: Block) -> Block:
        block = fn(block)
        if isinstance(block, Callout):
            block = _replaced(block, blocks=map_blocks(block.blocks, fn))
        elif isinstance(block, Scoped):
            block = _replaced(block, block=one(block.block))
        return block

    return _kept(blocks, (one(block) for block in blocks))


def append_to_end(section: Section, block: Block) -> Section:
    """The section with `block` at its very end: after its last subsection's blocks."""
    if section.sections:
        *rest, last = section.sections
        return replace(section, sections=(*rest, append_to_end(last, block)))
    return replace(section, blocks=(*section.blocks, block))


def unique_section_id(guide: Guide, base: str) -> str:
    """`base`, or `base-2`, `base-3`... whichever no section of the guide has yet."""
    taken = {s.id for s in walk_sections(guide.sections)}
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


# The glossary's entries belong to `guide.glossary`; a GlossaryList block shows
# them. iter_inlines and map_inlines visit each definition once, in the glossary,
# after the sections (where the glossary section prints), and map_inlines gives
# the GlossaryList the mapped entries.


def list_inlines(block: ListBlock) -> Iterator[Inline]:
    for item in block.items:
        yield item.text
        for child in item.children:
            yield from list_inlines(child)


def _question_inlines(question: Question) -> Iterator[Inline]:
    yield question.prompt
    yield from question.choices
    for pair in question.pairs:
        yield from pair
    yield from question.answers
    if question.explanation is not None:
        yield question.explanation


# AnswerKey and ObjectiveMap blocks show copies of questions and objectives made
# after every pass has run, so they are not visited again.
def block_inlines(block: Block) -> Iterator[Inline]:
    """The Inlines of one block itself, in reading order (not those of a callout's blocks)."""
    if isinstance(block, Paragraph):
        yield block.text
    elif isinstance(block, ListBlock):
        yield from list_inlines(block)
    elif isinstance(block, Callout):
        if block.title is not None:
            yield block.title
    elif isinstance(block, Table):
        yield block.caption
        yield from block.header
        for row in block.rows:
            yield from row
        if block.source is not None:
            yield block.source
    elif isinstance(block, Figure):
        yield block.caption
        if block.source is not None:
            yield block.source
    elif isinstance(block, Objectives):
        yield from (o.text for o in block.items)
    elif isinstance(block, Takeaways):
        yield from block.items
    elif isinstance(block, Questions):
        for question in block.items:
            yield from _question_inlines(question)


def iter_inlines(guide: Guide) -> Iterator[Inline]:
    """Every Inline of the guide in reading order, each glossary definition once."""
    yield guide.meta.title
    if guide.meta.subtitle is not None:
        yield guide.meta.subtitle
    if guide.disclaimer is not None:
        yield guide.disclaimer
    for section in walk_sections(guide.sections):
        yield section.title
        for block in walk_blocks(section.blocks):
            yield from block_inlines(block)
    for entry in guide.glossary.entries:
        yield entry.definition


def map_block_inlines(block: Block, fn: Callable[[Inline], Inline]) -> Block:
    """One block with `fn` applied to each of its own Inlines (not a callout's blocks');
    the block itself if `fn` changed none of them."""

    def opt(value: Inline | None) -> Inline | None:
        return None if value is None else fn(value)

    def each(values: tuple[Inline, ...]) -> tuple[Inline, ...]:
        return _kept(values, (fn(v) for v in values))

    def items(values: tuple[ListItem, ...]) -> tuple[ListItem, ...]:
        return _kept(values, (
            _replaced(i, text=fn(i.text),
                      children=_kept(i.children, (_replaced(c, items=items(c.items))
                                                  for c in i.children)))
            for i in values
        ))

    def question(q: Question) -> Question:
        prompt, choices = fn(q.prompt), each(q.choices)
        pairs = _kept(q.pairs, (_kept(pair, (fn(pair[0]), fn(pair[1]))) for pair in q.pairs))
        answers = each(q.answers)
        return _replaced(q, prompt=prompt, choices=choices, pairs=pairs, answers=answers,
                         explanation=opt(q.explanation))

    b = block
    if isinstance(b, Objectives):
        return _replaced(b, items=_kept(b.items, (_replaced(o, text=fn(o.text))
                                                  for o in b.items)))
    if isinstance(b, Takeaways):
        return _replaced(b, items=each(b.items))
    if isinstance(b, Questions):
        return _replaced(b, items=_kept(b.items, (question(q) for q in b.items)))
    if isinstance(b, Paragraph):
        return _replaced(b, text=fn(b.text))
    if isinstance(b, ListBlock):
        return _replaced(b, items=items(b.items))
    if isinstance(b, Callout):  # map_blocks goes on into its blocks
        return _replaced(b, title=opt(b.title))
    if isinstance(b, Table):
        return _replaced(
            b,
            caption=fn(b.caption),
            header=each(b.header),
            rows=_kept(b.rows, (each(row) for row in b.rows)),
            source=opt(b.source),
        )
    if isinstance(b, Figure):
        return _replaced(b, caption=fn(b.caption), source=opt(b.source))
    return b


def map_section_inlines(section: Section, fn: Callable[[Inline], Inline]) -> Section:
    """The section, its blocks and its subsections with `fn` applied to every Inline,
    in reading order; the section itself if `fn` changed none of them."""
    title = fn(section.title)
    blocks = map_blocks(section.blocks, lambda b: map_block_inlines(b, fn))
    return _replaced(section, title=title, blocks=blocks,
                     sections=_kept(section.sections,
                                    (map_section_inlines(c, fn) for c in section.sections)))


def map_inlines(guide: Guide, fn: Callable[[Inline], Inline]) -> Guide:
    """The guide with `fn` applied to every Inline, in iter_inlines' order: a copy,
    sharing every part in which `fn` changed nothing (the guide itself, if nowhere)."""

    def opt(value: Inline | None) -> Inline | None:
        return None if value is None else fn(value)

    meta = _replaced(guide.meta, title=fn(guide.meta.title), subtitle=opt(guide.meta.subtitle))
    disclaimer = opt(guide.disclaimer)
    sections = _kept(guide.sections, (map_section_inlines(s, fn) for s in guide.sections))
    entries = _kept(guide.glossary.entries, (_replaced(e, definition=fn(e.definition))
                                             for e in guide.glossary.entries))
    by_id = {e.id: e for e in entries}

    def shown(b: Block) -> Block:
        if isinstance(b, GlossaryList):
            return _replaced(b, entries=_kept(b.entries, (by_id.get(e.id, e) for e in b.entries)))
        return b

    def show(s: Section) -> Section:
        return _replaced(s, blocks=map_blocks(s.blocks, shown),
                         sections=_kept(s.sections, (show(c) for c in s.sections)))

    if by_id:
        sections = _kept(sections, (show(s) for s in sections))
    return _replaced(guide, meta=meta, disclaimer=disclaimer, sections=sections,
                     glossary=_replaced(guide.glossary, entries=entries))
