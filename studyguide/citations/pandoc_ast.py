"""Pandoc's JSON AST (what citeproc gives back) as our spans.

Every string pandoc returns becomes Text: nothing in a work's data ever becomes
markup. Shapes follow pandoc's plain-text writer, so that a reader sees what a
Pandoc user sees: a superscript or subscript all of whose characters have a
Unicode form is printed in those characters ("¹"), any other as raised or lowered
text; quotes are curly. Links to "#ref-KEY" are a citation's links to its entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from ..model.document import (
    Code,
    Emph,
    LineBreak,
    Link,
    ReferenceEntry,
    Shaped,
    Span,
    Strong,
    Text,
)

Node = dict[str, Any]  # {"t": kind, "c": content}

# pandoc's plain writer: the characters it writes as Unicode superscripts and subscripts.
SUPERSCRIPTS = dict(zip("0123456789+-=()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾", strict=True))
SUBSCRIPTS = dict(zip("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎", strict=True))
SUPERSCRIPT_FORMS = frozenset(SUPERSCRIPTS.values())
_QUOTES = {"DoubleQuote": ("\u201c", "\u201d"), "SingleQuote": ("\u2018", "\u2019")}


def to_spans(inlines: Iterable[Node]) -> tuple[Span, ...]:
    """Inlines as spans, adjacent texts joined."""
    out: list[Span] = []
    for span in _spans(inlines):
        if isinstance(span, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + span.text)
        elif not (isinstance(span, Text) and not span.text):
            out.append(span)
    return tuple(out)


def _spans(inlines: Iterable[Node]) -> Iterator[Span]:
    for node in inlines:
        kind, content = node.get("t"), node.get("c", [])
        if kind == "Str":
            yield Text(content)
        elif kind in ("Space", "SoftBreak"):
            yield Text(" ")
        elif kind == "LineBreak":
            yield LineBreak()
        elif kind == "Emph":
            yield Emph(to_spans(content))
        elif kind == "Strong":
            yield Strong(to_spans(content))
        elif kind in ("Superscript", "Subscript"):
            yield from _script(kind, to_spans(content))
        elif kind == "SmallCaps":
            yield Shaped("smallcaps", to_spans(content))
        elif kind == "Quoted":
            start, end = _QUOTES.get(content[0]["t"], _QUOTES["DoubleQuote"])
            yield Text(start)
            yield from to_spans(content[1])
            yield Text(end)
        elif kind == "Link":
            yield Link(content[2][0], to_spans(content[1]))
        elif kind == "Cite":
            yield from to_spans(content[1])
        elif kind == "Code":
            yield Code(content[1])
        elif kind == "Math":
            yield Text(content[1])
        elif kind in ("Span", "Underline", "Strikeout"):
            yield from to_spans(content[1] if kind == "Span" else content)
        # RawInline, Note and Image: nothing a reference list prints


def _script(kind: str, children: tuple[Span, ...]) -> Iterator[Span]:
    table = SUPERSCRIPTS if kind == "Superscript" else SUBSCRIPTS
    forms = _in_forms(children, table)
    if forms is not None:
        yield from forms
    else:
        yield Shaped(kind.lower(), children)


def _in_forms(spans: tuple[Span, ...], table: dict[str, str]) -> tuple[Span, ...] | None:
    """The spans with every character in its Unicode form, or None if one has none."""
    out: list[Span] = []
    for span in spans:
        if isinstance(span, Text):
            if not all(ch in table or ch.isspace() for ch in span.text):
                return None
            out.append(Text("".join(table.get(ch, ch) for ch in span.text)))
        elif isinstance(span, (Link, Emph, Strong)):
            inner = _in_forms(span.children, table)
            if inner is None:
                return None
            out.append(type(span)(span.url, inner) if isinstance(span, Link) else
                       type(span)(inner))
        else:
            return None
    return tuple(out)


def starts_raised(spans: tuple[Span, ...]) -> bool:
    """Whether the first thing the spans print is a superscript."""
    for span in spans:
        if isinstance(span, Shaped):
            return span.shape == "superscript"
        if isinstance(span, Text):
            return span.text[:1] in SUPERSCRIPT_FORMS
        if isinstance(span, (Link, Emph, Strong)):
            return starts_raised(span.children)
        return False
    return False


# ------------------------------------------------------------------- entries


def entries(blocks: Iterable[Node]) -> list[ReferenceEntry]:
    """The reference list's entries: each Div "ref-KEY" of the Div "refs"."""
    found: list[ReferenceEntry] = []
    for block in blocks:
        if block.get("t") != "Div":
            continue
        (ident, _classes, _attrs), children = block["c"]
        if ident == "refs":
            found.extend(entries(children))
        elif ident.startswith("ref-"):
            found.append(_entry(ident[4:], children))
    return found


def _entry(key: str, blocks: list[Node]) -> ReferenceEntry:
    inlines = list(_entry_inlines(blocks))
    label = ""
    first = inlines[0] if inlines else {}
    if first.get("t") == "Span" and "csl-left-margin" in first["c"][0][1]:
        label = "".join(_plain(to_spans(first["c"][1]))).strip()
        inlines = inlines[1:]
    return ReferenceEntry(key, _trimmed(to_spans(inlines)), label)


def _entry_inlines(blocks: list[Node]) -> Iterator[Node]:
    """The inlines of an entry's blocks; a line break between blocks (a style's
    display="block" parts)."""
    for n, block in enumerate(_leaf_blocks(blocks)):
        if n:
            yield {"t": "LineBreak"}
        yield from block


def _leaf_blocks(blocks: list[Node]) -> Iterator[list[Node]]:
    for block in blocks:
        if block.get("t") in ("Para", "Plain"):
            yield block["c"]
        elif block.get("t") == "Div":
            yield from _leaf_blocks(block["c"][1])


def _plain(spans: tuple[Span, ...]) -> Iterator[str]:
    for span in spans:
        if isinstance(span, (Text, Code)):
            yield span.text
        elif isinstance(span, (Emph, Strong, Link, Shaped)):
            yield from _plain(span.children)


def _trimmed(spans: tuple[Span, ...]) -> tuple[Span, ...]:
    """Without the spaces around an entry's text, or a line's."""
    out = list(spans)
    if out and isinstance(out[0], Text):
        out[0] = Text(out[0].text.lstrip())
    if out and isinstance(out[-1], Text):
        out[-1] = Text(out[-1].text.rstrip())
    return tuple(span for span in out if not (isinstance(span, Text) and not span.text))
