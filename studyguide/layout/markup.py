"""Inline spans to ReportLab paragraph markup, with every user character escaped."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from ..model.document import (
    Blank,
    Cite,
    Code,
    Emph,
    GlossRef,
    Inline,
    LineBreak,
    Link,
    Shaped,
    Span,
    Strong,
    Text,
    blank_line,
    map_spans,
)

LINK_SCHEMES = ("http://", "https://", "mailto:")

_SPACES = frozenset("\n\r\t\v\f\x85\u2028\u2029")
_SOFT_HYPHEN = "\u00ad"  # kept: ReportLab breaks lines at it


def _dropped(ch: str) -> bool:
    """Controls, lone surrogates, invisible format characters and variation selectors:
    no font draws them, ReportLab would print boxes for some and choke on others."""
    if ch == _SOFT_HYPHEN:
        return False
    code = ord(ch)
    return (
        unicodedata.category(ch) in ("Cc", "Cs", "Cf")
        or 0xFE00 <= code <= 0xFE0F
        or 0xE0100 <= code <= 0xE01EF
    )


def clean_text(text: str) -> str:
    """`text` as it prints: without characters that would break ReportLab or print
    as nothing, and in Unicode NFC.

    Line breaks and tabs become spaces (the paragraph reflows anyway); C0 and
    C1 controls, lone surrogates and invisible format characters (bidi
    overrides among them; the loader warns about those) go. Every printed text
    passes here, so this is the one place that composes "e" + U+0301 into "é":
    fonts draw the composed letter well, a combining accent only by guesswork,
    and the glyph check, which also calls this, then asks for what prints.
    """
    if text.isascii() and text.isprintable():  # nearly all text, and far faster
        return text
    if not text.isprintable():
        text = "".join(" " if ch in _SPACES else ch for ch in text
                       if ch in _SPACES or not _dropped(ch))
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


@dataclass(frozen=True)
class MarkupOptions:
    """How spans print: the code face, link colour, emphasis, glyph substitutions."""

    code_font: str
    link_color: str  # as markup reads it: "rgb(29,79,145)" (or "#1d4f91")
    emphasis: str = "italic"  # or "bold"
    gloss_color: str = "#1a1a1a"  # glossary mentions: links in the text colour by default
    # A character some font lacks -> markup that prints it visibly (already escaped).
    substitutes: Mapping[str, str] = field(default_factory=dict)


def is_link_url(url: str) -> bool:
    """Whether `url` becomes a clickable link: web and mail addresses, and `#name`
    destinations inside the guide (reference entries, glossary entries)."""
    url = url.strip()
    return url.lower().startswith(LINK_SCHEMES) or (url.startswith("#") and len(url) > 1)


# The `<onDraw>` callback that records on which page a glossary term is used;
# the page machinery registers it on the canvas.
GLOSS_MENTION_CB = "sgGlossMention"
QUESTION_CB = "sgQuestion"  # the `<onDraw>` callback that records a review question's page


def escape_text(text: str, substitutes: Mapping[str, str] | None = None) -> str:
    """Cleaned, escaped text, with characters no font has replaced."""
    cleaned = clean_text(text)
    if not substitutes:
        return escape(cleaned)
    return "".join(substitutes.get(ch) or escape(ch) for ch in cleaned)


def spans_to_markup(spans: tuple[Span, ...], options: MarkupOptions) -> str:
    """ReportLab paragraph markup for `spans`; no user character is ever markup."""
    return _children(spans, options)


def inline_markup(value: Inline, options: MarkupOptions) -> str:
    """Markup for an Inline; an unparsed Inline prints its source as plain text."""
    if value.spans:
        return spans_to_markup(value.spans, options)
    return escape_text(value.source, options.substitutes)


def plain(text: str) -> str:
    """Text for places without markup (bookmarks, metadata, running heads)."""
    return " ".join(clean_text(text).split())


def _children(children: tuple[Span, ...], options: MarkupOptions, in_link: bool = False) -> str:
    return "".join(_span(c, options, in_link) for c in children)


def _span(span: Span, options: MarkupOptions, in_link: bool = False) -> str:
    """One span; inside a link (`in_link`) nothing opens another link, since PDF
    link areas cannot nest and ReportLab would draw overlapping ones."""
    if isinstance(span, Text):
        return escape_text(span.text, options.substitutes)
    if isinstance(span, Code):
        face = quoteattr(options.code_font)
        return f"<font face={face}>{escape_text(span.text, options.substitutes)}</font>"
    if isinstance(span, Strong):
        return f"<b>{_children(span.children, options, in_link)}</b>"
    if isinstance(span, Emph):
        tag = "b" if options.emphasis == "bold" else "i"
        return f"<{tag}>{_children(span.children, options, in_link)}</{tag}>"
    if isinstance(span, Link):
        inner = _children(span.children, options, in_link=True)
        if in_link or not is_link_url(span.url):
            return inner
        href = quoteattr(clean_text(span.url).strip())
        return f"<a href={href} color={quoteattr(options.link_color)}>{inner}</a>"
    if isinstance(span, Shaped):
        return _shaped(span, options, in_link)
    if isinstance(span, LineBreak):
        return "<br/>"
    if isinstance(span, Blank):
        return blank_line(span.answer)
    if isinstance(span, Cite):
        if span.rendered is not None:
            return _children(span.rendered, options, in_link)
        return escape_text(span.source, options.substitutes)
    if isinstance(span, GlossRef):
        inner = _children(span.children, options, in_link)
        if not span.entry:
            return inner
        record = f"<onDraw name={quoteattr(GLOSS_MENTION_CB)} label={quoteattr(span.entry)}/>"
        if in_link:  # still a use of the term, on this page
            return record + inner
        target = quoteattr("#gloss-" + span.entry)
        return f"{record}<a href={target} color={quoteattr(options.gloss_color)}>{inner}</a>"
    raise TypeError(f"unknown span {span!r}")


def _shaped(span: Shaped, options: MarkupOptions, in_link: bool) -> str:
    if span.shape == "smallcaps":
        # Capitals a size smaller: what a reader (and a copy of the text) sees as capitals.
        upper = map_spans(span.children, lambda s: Text(s.text.upper()) if isinstance(s, Text)
                          else s)
        return f'<font size="80%">{_children(upper, options, in_link)}</font>'
    tag = "super" if span.shape == "superscript" else "sub"
    return f"<{tag}>{_children(span.children, options, in_link)}</{tag}>"
