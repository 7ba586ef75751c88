"""The glyph check: every character of the user's text against the face it prints in;
a warning, and a substitute, for each one a font lacks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from xml.sax.saxutils import escape

from ..layout.markup import clean_text
from ..layout.story import TOC_DEPTH
from ..layout.typeset import Faces
from ..model import document as m
from ..model import traverse
from ..model.diagnostics import Diagnostic, error, warning
from ..style.types import FontFamily, Style
from .fonts import missing_glyphs


def _spans(spans: tuple[m.Span, ...], family: str) -> Iterator[tuple[str, str]]:
    for span in m.walk_spans(spans):
        if isinstance(span, m.Text):
            yield family, span.text
        elif isinstance(span, m.Code):
            yield "code", span.text
        elif isinstance(span, m.Cite) and span.rendered is None:
            yield family, span.source


def _inline(value: m.Inline | None, family: str) -> Iterator[tuple[str, str, m.Pos]]:
    if value is None:
        return
    pairs = _spans(value.spans, family) if value.spans else [(family, value.source)]
    for fam, text in pairs:
        yield fam, text, value.pos


def _glossary_list(block: m.GlossaryList) -> Iterator[tuple[str, str, m.Pos]]:
    for entry in block.entries:
        for name in (entry.term, entry.abbreviation, *entry.aliases):
            if name:
                yield "body", name, entry.pos
        yield from _inline(entry.definition, "body")


def _reference_list(block: m.ReferenceList) -> Iterator[tuple[str, str, m.Pos]]:
    if block.pos is not None:
        for ref in block.entries:
            for fam, text in _spans(ref.spans, "body"):
                yield fam, text, block.pos


# Back matter whose text is not the user's Inlines but entries the passes made.
_BACK_MATTER: dict[type, Callable[[Any], Iterator[tuple[str, str, m.Pos]]]] = {
    m.GlossaryList: _glossary_list,
    m.ReferenceList: _reference_list,
}


def _block(block: m.Block) -> Iterator[tuple[str, str, m.Pos]]:
    """The text of one block itself, each piece in the face it prints in; the blocks
    inside a callout come on their own."""
    special = _BACK_MATTER.get(type(block))
    if special is not None:
        yield from special(block)
        return
    for text in traverse.block_texts(block):
        yield from _inline(text.inline, text.face)


def _sections(sections: tuple[m.Section, ...], depth: int) -> Iterator[tuple[str, str, m.Pos]]:
    for section in sections:
        yield from _inline(section.title, "heading")
        if 1 < depth <= TOC_DEPTH:  # these contents lines are set in the body face
            yield from _inline(section.title, "body")
        for block in traverse.walk_blocks(section.blocks):
            yield from _block(block)
        yield from _sections(section.sections, depth + 1)


def user_text(guide: m.Guide) -> Iterator[tuple[str, str, m.Pos]]:
    """Every piece of the user's text with the family it prints in, in reading order."""
    meta = guide.meta
    yield from _inline(meta.title, "heading")
    yield from _inline(meta.subtitle, "heading")
    for author in meta.authors:
        yield "body", author, meta.pos
    for fact in (meta.date, meta.version):
        if fact:
            yield "heading", fact, meta.pos
    yield from _sections(guide.sections, 1)


def glyph_substitute(char: str, families: list[tuple[FontFamily, str]], code_face: str
                     ) -> tuple[str, str]:
    """Markup for a character a font lacks (another family's glyph, or its code point
    in the code face) and the hint that says so."""
    other = next((face for family, face in families if not missing_glyphs(family, char)), None)
    if other is None:
        return (f'<font face="{code_face}">[U+{ord(char):04X}]</font>',
                f"it prints as [U+{ord(char):04X}]; remove it or choose a font that has it")
    return (f'<font face="{other}">{escape(char)}</font>',
            f"it prints in the font '{other}' instead; choose a font that has it")


_PRINTABLE_ASCII = "".join(chr(code) for code in range(0x20, 0x7F))


def check_glyphs(
    guide: m.Guide, style: Style, faces: Faces, *, strict: bool = False
) -> tuple[tuple[Diagnostic, ...], dict[str, str]]:
    """Warnings (errors when strict) for characters a font lacks, and their substitutes.

    One diagnostic per character per font, at its first use. A missing
    character prints in another of the guide's families when one has it,
    else as its code point, so the reader sees that something is there.
    """
    families: dict[str, tuple[FontFamily, str]] = {
        "body": (style.body_font, faces.body),
        "heading": (style.heading_font, faces.heading),
        "code": (style.code_font, faces.code),
    }
    seen: set[tuple[str, str]] = set()
    found: list[Diagnostic] = []
    substitutes: dict[str, str] = {}
    make = error if strict else warning
    # Callout labels come from the style sheet, which keeps no positions.
    labels = [("heading", look.label, None) for look in style.callouts.values()]
    # Nearly all text is ASCII, and a family that prints all of ASCII needs no
    # closer look at it: that skips the per-character test for most of a guide.
    covers_ascii = {key: not missing_glyphs(family, _PRINTABLE_ASCII)
                    for key, (family, _face) in families.items()}
    for key, text, pos in [*user_text(guide), *labels]:
        if covers_ascii[key] and text.isascii():
            continue
        family = families[key][0]
        cleaned = clean_text(text)
        for char in sorted(missing_glyphs(family, cleaned), key=cleaned.index):
            if (family.name, char) in seen:
                continue
            seen.add((family.name, char))
            substitutes[char], hint = glyph_substitute(char, list(families.values()), faces.code)
            found.append(make(
                f"the font '{family.name}' has no glyph for '{char}' (U+{ord(char):04X}); "
                "it would print as an empty box",
                pos,
                hint,
            ))
    return tuple(found), substitutes
