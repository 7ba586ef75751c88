"""What the speed fixes do, as behaviour: work done once and reused, never redone per use.

No timings here: benchmarks/bench.py measures time and memory (see its RESULTS.md).
"""

from __future__ import annotations

import copy
from dataclasses import replace
from functools import cache
from pathlib import Path

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Spacer

from studyguide.api import load_guide
from studyguide.layout.flowables import Deferred, Para, expand_deferred
from studyguide.layout.typeset import _hyphenation
from studyguide.model.document import (
    Glossary,
    GlossaryEntry,
    GlossaryList,
    GlossRef,
    Guide,
    Inline,
    Meta,
    Paragraph,
    Pos,
    Section,
    Span,
    Table,
    Text,
    plain_text,
)
from studyguide.model.traverse import (
    iter_blocks,
    iter_inlines,
    map_block_inlines,
    map_inlines,
    map_section_inlines,
    walk_sections,
)
from studyguide.resolve.glossary import glossary_pass

TEXT = "Norepinephrine raises <b>blood pressure</b> and heart rate in a stress response. " * 12


def _counting(para: Para) -> list[object]:
    calls: list[object] = []
    original = para.breakLines
    para.breakLines = lambda widths: calls.append(widths) or original(widths)  # type: ignore[method-assign]
    return calls


def test_a_paragraph_breaks_its_lines_again_only_when_something_changed() -> None:
    para = Para(TEXT, ParagraphStyle("body", fontSize=10, leading=12))
    calls = _counting(para)
    first = para.wrap(200, 1000)
    # The first wrap turns fragments into words; from words, the lines are final.
    assert para.wrap(200, 1000) == first
    assert para.wrap(200, 800) == first  # the height does not move a line break
    assert len(calls) == 2
    narrower = para.wrap(150, 1000)
    assert narrower[1] > first[1] and len(calls) == 3
    para.split(150, 30)  # splitting may change the words in place
    assert para.wrap(150, 1000) == narrower
    assert len(calls) == 4


def test_sections_are_made_when_the_page_machinery_reaches_them() -> None:
    made: list[str] = []

    def section(name: str, *flowables: object) -> Deferred:
        return Deferred(lambda: made.append(name) or list(flowables))

    lead = Spacer(1, 1)
    story = [section("a", lead), section("b"), section("c", Spacer(1, 2)), section("d")]
    expand_deferred(story)
    assert made == ["a"] and story[0] is lead and len(story) == 4
    lead.keepWithNext = True  # what keeps with the next flowable makes the next section too
    expand_deferred(story)
    # "b" made nothing, so "c" was made for the lead to keep with; "d" waits.
    assert made == ["a", "b", "c"] and isinstance(story[2], Deferred)


def test_the_hyphenator_is_shared_by_copies_of_a_style() -> None:
    hyphenator = _hyphenation("en")
    assert callable(hyphenator)
    assert copy.deepcopy(hyphenator) is hyphenator
    assert copy.deepcopy(ParagraphStyle("p", hyphenationLang=hyphenator)).hyphenationLang \
        is hyphenator


def test_a_face_measures_a_string_as_reportlab_does() -> None:
    from reportlab.pdfbase.ttfonts import TTFont

    from studyguide.render.fonts import register_family
    from studyguide.style.fonts import package_font_files
    from studyguide.style.types import FontFamily

    name, files = package_font_files("serif")
    face = register_family(FontFamily(name, *files))
    from reportlab.pdfbase.pdfmetrics import getFont

    font = getFont(face)
    plain = TTFont("plain-serif", str(files[0]))
    for text in ("α-receptor", "blood", TEXT):
        for _ in range(2):  # measured, then remembered
            assert font.stringWidth(text, 10.5) == plain.stringWidth(text, 10.5)


@cache
def _shipped() -> Guide:
    """The shipped guide, resolved: every kind of block, a glossary and citations."""
    outline = Path(__file__).resolve().parent.parent / "outline" / "norepinephrine.yaml"
    return load_guide(outline, audience="pharmacology", edition="instructor").guide


def test_mapping_texts_to_themselves_gives_back_the_same_guide() -> None:
    guide = _shipped()
    visited: list[Inline] = []
    assert map_inlines(guide, lambda value: visited.append(value) or value) is guide
    assert visited == list(iter_inlines(guide))  # every text is still visited, in order
    for section in guide.sections:
        assert map_section_inlines(section, lambda value: value) is section
    for block in iter_blocks(guide.sections):
        assert map_block_inlines(block, lambda value: value) is block


def test_mapping_one_text_copies_only_what_holds_it() -> None:
    guide = _shipped()
    table = next(b for b in iter_blocks(guide.sections) if isinstance(b, Table))
    cell = table.rows[-1][-1]
    changed = replace(cell, spans=(Text("changed"),))
    mapped = map_inlines(guide, lambda value: changed if value is cell else value)
    assert mapped is not guide
    assert [new for old, new in zip(iter_inlines(guide), iter_inlines(mapped), strict=True)
            if new is not old] == [changed]
    holding = [any(b is table for b in iter_blocks((s,))) for s in guide.sections]
    assert [new is not old for old, new in zip(guide.sections, mapped.sections, strict=True)] \
        == holding
    assert mapped.meta is guide.meta and mapped.glossary is guide.glossary


def test_a_text_equal_but_new_makes_a_new_guide_equal_to_the_old() -> None:
    guide = _shipped()
    mapped = map_inlines(guide, lambda value: replace(value))
    assert mapped is not guide and mapped == guide
    assert all(new is not old for old, new in zip(guide.sections, mapped.sections, strict=True))


def test_a_changed_definition_reaches_the_glossary_section_alone() -> None:
    guide = _shipped()
    entry = guide.glossary.entries[0]
    changed = replace(entry.definition, spans=(Text("changed"),))
    mapped = map_inlines(guide, lambda value: changed if value is entry.definition else value)
    assert mapped.glossary.entries[0].definition is changed
    assert mapped.glossary.entries[1:] == guide.glossary.entries[1:]
    shown = [b for s in walk_sections(mapped.sections) for b in s.blocks
             if isinstance(b, GlossaryList)]
    assert shown and all(b.entries[0].definition is changed for b in shown)
    glossary_sections = [any(isinstance(b, GlossaryList) for b in iter_blocks((s,)))
                         for s in guide.sections]
    assert [new is not old for old, new in zip(guide.sections, mapped.sections, strict=True)] \
        == glossary_sections


def test_the_glossary_pass_keeps_a_section_without_mentions_as_it_is() -> None:
    at = Pos("guide.yaml", 1, 1)

    def text(*spans: Span) -> Inline:
        return Inline(plain_text(spans), at, spans)

    entry = GlossaryEntry("ne", "NE", text(Text("norepinephrine")), at)
    plain = Section("plain", text(Text("Plain")), (Paragraph(text(Text("no marks")), at),), at)
    marked = Section("marked", text(Text("Marked")),
                     (Paragraph(text(GlossRef("NE", (Text("NE"),), 0)), at),), at)
    guide = Guide(Meta(text(Text("Guide")), at), (plain, marked), Path("/x/guide.yaml"),
                  Path("/x"), glossary=Glossary((entry,)))
    resolved, problems = glossary_pass(guide)
    assert problems == []
    assert resolved.sections[0] is plain
    (paragraph,) = resolved.sections[1].blocks
    assert isinstance(paragraph, Paragraph) and paragraph.text.spans[0] == GlossRef(
        "NE", (Text("NE"),), 0, entry="ne")
