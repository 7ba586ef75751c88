"""Walks over the model: sections, blocks and inline texts, read-only or mapping.

Every stage that visits "all the text" or "all the blocks" of a guide goes
through these. They read a block's data-class fields (and the metadata in
document.py that marks child blocks, copies, faces and prose), so a new block
type needs nothing here.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, fields, is_dataclass, replace
from operator import is_
from typing import TYPE_CHECKING, Any, TypeVar

from .document import Block, GlossaryList, Guide, Inline, Section

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
    """Every block, in reading order: a block, then the blocks inside it (a callout's,
    a Scoped block's: fields marked CHILD_BLOCKS)."""
    for block in blocks:
        yield block
        for name in _plan(type(block)).children:
            inner = getattr(block, name)
            yield from walk_blocks(inner if isinstance(inner, tuple) else (inner,))


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
        children = _plan(type(block)).children
        if not children:
            return block
        changes: dict[str, Any] = {}
        for name in children:
            inner = getattr(block, name)
            changes[name] = (map_blocks(inner, fn) if isinstance(inner, tuple)
                             else one(inner))
        return _replaced(block, **changes)

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


@dataclass(frozen=True)
class Plan:
    """How the walks read one data class: its fields that may hold text, each with the
    face it prints in and whether `check` counts it as prose; its child-block fields."""

    texts: tuple[tuple[str, str | None, bool], ...]  # (name, face or None: as outside, prose)
    children: tuple[str, ...]


_PLANS: dict[type, Plan] = {}


def _plan(cls: type) -> Plan:
    """The walk plan of a model class, made once from its fields' types and metadata."""
    plan = _PLANS.get(cls)
    if plan is None:
        hints = typing.get_type_hints(cls)
        texts, children = [], []
        for f in fields(cls):
            if f.metadata.get("blocks"):
                children.append(f.name)
            elif not f.metadata.get("copy") and _holds_text(hints[f.name]):
                face = f.metadata.get("face")
                texts.append((f.name, str(face) if face else None,
                              bool(f.metadata.get("prose", True))))
        plan = _PLANS[cls] = Plan(tuple(texts), tuple(children))
    return plan


def _holds_text(hint: Any, seen: frozenset[type] = frozenset()) -> bool:
    """Whether a value of the type `hint` can hold an Inline: through tuples, unions and
    other model classes (a list item's nested lists, a question's choices)."""
    if hint is Inline:
        return True
    if isinstance(hint, type) and is_dataclass(hint):
        if hint in seen:
            return False  # a class inside itself: its text is found at the outer level
        inner = typing.get_type_hints(hint)
        return any(_holds_text(inner[f.name], seen | {hint}) for f in fields(hint)
                   if not f.metadata.get("blocks") and not f.metadata.get("copy"))
    return any(_holds_text(arg, seen) for arg in typing.get_args(hint))


@dataclass(frozen=True, slots=True)
class Text:
    """One Inline of a block, with the face it prints in and whether it is prose."""

    inline: Inline
    face: str
    prose: bool


def _texts(value: Any, face: str, prose: bool) -> Iterator[Text]:
    if isinstance(value, Inline):
        yield Text(value, face, prose)
    elif isinstance(value, tuple):
        for item in value:
            yield from _texts(item, face, prose)
    elif value is not None and not isinstance(value, (str, int, float)):
        for name, own_face, own_prose in _plan(type(value)).texts:
            yield from _texts(getattr(value, name), own_face or face, prose and own_prose)


def block_texts(block: Block) -> Iterator[Text]:
    """The Inlines of one block itself, in reading order, with the face each prints in
    and whether `check` reads it as prose; not those of the blocks inside it (walk_blocks
    gives those), nor copies of text held elsewhere (an answer key's questions)."""
    return _texts(block, "body", True)


def block_inlines(block: Block) -> Iterator[Inline]:
    """The Inlines of one block itself, in reading order (not those of a callout's blocks)."""
    return (text.inline for text in _texts(block, "body", True))


# The glossary's entries belong to `guide.glossary`; a GlossaryList block shows
# them. iter_inlines and map_inlines visit each definition once, in the glossary,
# after the sections (where the glossary section prints), and map_inlines gives
# the GlossaryList the mapped entries.


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
    return _map_texts(block, fn)


def _map_texts(value: Any, fn: Callable[[Inline], Inline]) -> Any:
    if isinstance(value, Inline):
        return fn(value)
    if isinstance(value, tuple):
        return _kept(value, (_map_texts(item, fn) for item in value))
    if value is None or isinstance(value, (str, int, float)):
        return value
    names = [name for name, _face, _prose in _plan(type(value)).texts]
    if not names:
        return value
    return _replaced(value, **{name: _map_texts(getattr(value, name), fn) for name in names})


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
