"""Every block type has all its parts, and no walk skips one.

A block a file can hold needs: its model class (a member of the Block union),
its schema def (listed among the blocks), a builder (assemble's BLOCK_BUILDERS),
a layout function (story.BLOCKS) and a line in docs/format.md. The walks that
visit a block's text (citations, glossary marks, the worksheet's blanks, the
glyph check, the readability report) read its data-class fields, so a sample of
each block type with a marked text in every text field shows that none of them
misses any text.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from pathlib import Path
from typing import Any

import pytest

from studyguide.layout.story import BLOCKS
from studyguide.model import document as m
from studyguide.model.traverse import block_inlines, block_texts, walk_blocks
from studyguide.render.glyphs import user_text
from studyguide.resolve.assemble import BLOCK_BUILDERS
from studyguide.validate.readability import _section_inlines
from studyguide.validate.schema import BLOCK_TYPES, SCHEMA

ROOT = Path(__file__).resolve().parent.parent
POS = m.Pos("s.yaml", 1, 1)
BLOCK_CLASSES: tuple[type, ...] = typing.get_args(m.Block)
WRITTEN = [cls for cls in BLOCK_CLASSES if cls not in m.GENERATED_BLOCKS]


@dataclasses.dataclass
class Sample:
    """Marked texts made for a sample block, by what the model says of their field."""

    shown: list[str] = dataclasses.field(default_factory=list)  # visited by the walks
    copies: list[str] = dataclasses.field(default_factory=list)  # held elsewhere too
    prose: list[str] = dataclasses.field(default_factory=list)  # read by `check`
    heading: list[str] = dataclasses.field(default_factory=list)  # in the heading face


def make(hint: Any, sample: Sample, *, copy: bool = False, prose: bool = True,
         heading: bool = False, depth: int = 0) -> Any:
    """A value of type `hint` with a marked text in every Inline it can hold."""
    if hint is m.Inline:
        text = f"mark{len(sample.shown) + len(sample.copies)}x"
        if copy:
            sample.copies.append(text)
        else:
            sample.shown.append(text)
            if prose:
                sample.prose.append(text)
            if heading:
                sample.heading.append(text)
        return m.Inline(text, POS, spans=(m.Text(text),))
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        # A field that holds any block gets a paragraph.
        return make(m.Paragraph if m.Paragraph in options else options[0], sample, copy=copy,
                    prose=prose, heading=heading, depth=depth)
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return () if depth > 3 else (make(args[0], sample, copy=copy, prose=prose,
                                              heading=heading, depth=depth + 1),)
        return tuple(make(arg, sample, copy=copy, prose=prose, heading=heading,
                          depth=depth + 1) for arg in args)
    if dataclasses.is_dataclass(hint):
        assert isinstance(hint, type)
        hints = typing.get_type_hints(hint)
        values = {}
        for f in dataclasses.fields(hint):
            values[f.name] = make(
                hints[f.name], sample, copy=copy or bool(f.metadata.get("copy")),
                prose=prose and f.metadata.get("prose", True) is not False,
                heading=f.metadata.get("face", "heading" if heading else "body") == "heading",
                depth=depth + 1)
        return hint(**values)
    return {str: "x", int: 1, float: 0.5, bool: False, Path: Path("x.png")}[hint]


def sample_of(cls: type) -> tuple[Any, Sample]:
    sample = Sample()
    return make(cls, sample), sample


def _guide(block: Any) -> m.Guide:
    section = m.Section("s", m.Inline("Title", POS, spans=(m.Text("Title"),)), (block,), POS)
    meta = m.Meta(m.Inline("Guide", POS, spans=(m.Text("Guide"),)), POS)
    return m.Guide(meta, (section,), Path("g.yaml"), Path("."))


@pytest.mark.parametrize("cls", BLOCK_CLASSES, ids=lambda cls: cls.__name__)
def test_every_block_type_is_laid_out(cls: type) -> None:
    assert cls in BLOCKS


@pytest.mark.parametrize("cls", WRITTEN, ids=lambda cls: cls.__name__)
def test_every_written_block_type_is_built_described_and_documented(cls: type) -> None:
    keys = [key for key, (built, _build) in BLOCK_BUILDERS.items() if built is cls]
    assert keys, f"no builder makes {cls.__name__}"
    defs = SCHEMA["$defs"]
    docs = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    for key in keys:
        assert key in BLOCK_TYPES, f"the schema lists no block '{key}'"
        assert defs[BLOCK_TYPES[key]]["required"][0] == key
        in_callouts = {ref["$ref"].rpartition("/")[2] for ref in defs["calloutBlock"]["anyOf"]}
        assert key == "callout" or BLOCK_TYPES[key] in in_callouts, key
        assert re.search(rf"^\s*- {key}:", docs, re.M), f"docs/format.md never shows '- {key}:'"


def test_every_block_the_schema_lists_has_a_builder() -> None:
    assert set(BLOCK_TYPES) == set(BLOCK_BUILDERS)


def test_the_architecture_guide_says_where_every_block_type_is() -> None:
    guide = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for key, (cls, build) in BLOCK_BUILDERS.items():
        row = next((line for line in guide.splitlines() if f"`{key}:`" in line), "")
        maker = build.__qualname__.split(".<locals>")[0]  # _list(ordered) makes `build`
        assert f"`{cls.__name__}`" in row and f"`{maker}`" in row, key
        assert any(f"`{fn.__module__.rpartition('.')[2]}.{fn.__name__}`" in row
                   for held, fn in BLOCKS.items() if held is cls), key
    for cls in m.GENERATED_BLOCKS:
        assert f"`{cls.__name__}`" in guide, cls.__name__


@pytest.mark.parametrize("cls", BLOCK_CLASSES, ids=lambda cls: cls.__name__)
def test_the_walks_visit_every_text_of_every_block(cls: type) -> None:
    block, sample = sample_of(cls)
    visited = [i.source for b in walk_blocks((block,)) for i in block_inlines(b)]
    assert sorted(visited) == sorted(sample.shown)
    assert not set(visited) & set(sample.copies)


@pytest.mark.parametrize("cls", WRITTEN, ids=lambda cls: cls.__name__)
def test_the_glyph_check_reads_every_text_in_its_face(cls: type) -> None:
    block, sample = sample_of(cls)
    checked = {(text, face) for face, text, _pos in user_text(_guide(block))}
    for text in sample.shown:
        face = "heading" if text in sample.heading else "body"
        assert (text, face) in checked, (text, face)


@pytest.mark.parametrize("cls", WRITTEN, ids=lambda cls: cls.__name__)
def test_the_readability_report_reads_the_prose_of_every_block(cls: type) -> None:
    block, sample = sample_of(cls)
    read = [i.source for i in _section_inlines(_guide(block).sections[0])]
    assert sorted(read) == sorted(sample.prose)


def test_a_new_text_field_needs_nothing_in_the_walks() -> None:
    """A block class the walks have never seen: its texts are found, mapped, checked."""

    @dataclasses.dataclass(frozen=True)
    class Novel:
        title: m.Inline = dataclasses.field(metadata=m.HEADING)
        lines: tuple[m.Inline, ...] = ()
        pos: m.Pos = POS

    novel = Novel(m.Inline("a", POS), (m.Inline("b", POS), m.Inline("c", POS)))
    assert [(t.inline.source, t.face, t.prose) for t in block_texts(novel)] == [
        ("a", "heading", True), ("b", "body", True), ("c", "body", True)]
