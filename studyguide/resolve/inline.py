"""Inline text: a CommonMark subset, Pandoc citations and glossary marks, into spans.

Citations are Pandoc's: `[@key]`, `[see @key, p. 3]`, `[@a; @b]`,
`[-@key]` (year only), narrative `@key` and `@key [p. 80]`, and `@{key}` for a
key with any characters. An `@` inside a word, as in an
e-mail address, is text. Glossary mentions are `[[term]]`, or
`[[term|shown text]]` when the text differs from the entry's term.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from ..model.document import (
    Cite,
    CiteItem,
    Code,
    Emph,
    GlossRef,
    Inline,
    LineBreak,
    Link,
    Span,
    Strong,
    Text,
)

# Only these rules: raw HTML and entities stay off, so `<b>` and `&amp;`
# written by an author print as themselves.
_RULES = ["emphasis", "backticks", "link", "autolink", "escape", "newline"]


# Pandoc's citation keys: a letter, digit or _, then word characters and
# internal punctuation; punctuation at the end belongs to the sentence.
_KEY = r"[\w][\w:.#$%&\-+?<>~/]*(?<=[\w])"
# `@key` or `@{key}`, and after it, Pandoc's locator in brackets: `@key [p. 80]`
_NARRATIVE = re.compile(r"@(?:\{(?P<braced>[^{}]+)\}|(?P<key>" + _KEY + r"))"
                        r"(?: ?\[(?P<suffix>[^\[\]@]*)\](?![(\[]))?")
_BRACKET = re.compile(r"\[([^\[\]]*@[^\[\]]*)\](?!\()")
_ITEM = re.compile(r"^(?P<prefix>(?:.*\s)?)(?P<minus>-?)@(?:\{(?P<braced>[^{}]+)\}|(?P<key>"
                   + _KEY + r"))(?P<suffix>.*)$", re.DOTALL)
_GLOSS = re.compile(r"\[\[([^\[\]|]+)(?:\|([^\[\]]+))?\]\]")


def _cite_items(body: str) -> tuple[CiteItem, ...] | None:
    items: list[CiteItem] = []
    for part in body.split(";"):
        match = _ITEM.match(part.strip())
        if match is None:
            return None
        suffix = match["suffix"].strip()
        items.append(CiteItem(
            key=match["braced"] or match["key"],
            prefix=match["prefix"].strip(),
            suffix=suffix[1:].strip() if suffix.startswith(",") else suffix,
            suppress_author=bool(match["minus"]),
        ))
    return tuple(items)


def _bracket_rule(state: StateInline, silent: bool) -> bool:
    """`[[term]]` glossary marks and `[@key, p. 3; @other]` citations."""
    # markdown-it skips over a link's label in silent mode; claiming a `[`
    # there makes it see a nested link and drop the outer one.
    if silent or state.src[state.pos] != "[":
        return False
    gloss = _GLOSS.match(state.src, state.pos)
    if gloss:
        token = state.push("gloss", "", 0)
        token.meta = {"term": gloss[1].strip(), "shown": (gloss[2] or gloss[1]).strip(),
                      "offset": state.pos}
        state.pos = gloss.end()
        return True
    cite = _BRACKET.match(state.src, state.pos)
    items = _cite_items(cite[1]) if cite else None
    if cite is None or items is None:
        return False
    token = state.push("cite", "", 0)
    token.meta = {"items": items, "narrative": False, "offset": state.pos}
    token.content = cite[0]
    state.pos = cite.end()
    return True


def _narrative_rule(state: StateInline, silent: bool) -> bool:
    """`@key` in running text, unless the `@` is inside a word (an e-mail address)."""
    pos = state.pos
    if state.src[pos] != "@" or (pos > 0 and (state.src[pos - 1].isalnum()
                                             or state.src[pos - 1] in "_@.")):
        return False
    match = _NARRATIVE.match(state.src, pos)
    if match is None:
        return False
    if not silent:
        token = state.push("cite", "", 0)
        suffix = (match["suffix"] or "").strip()
        item = CiteItem(match["braced"] or match["key"],
                        suffix=suffix[1:].strip() if suffix.startswith(",") else suffix)
        token.meta = {"items": (item,), "narrative": True, "offset": pos}
        token.content = match[0]
    state.pos = match.end()
    return True


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("zero").enable(_RULES)
    md.inline.ruler.before("link", "citation_or_gloss", _bracket_rule)
    md.inline.ruler.before("link", "narrative_citation", _narrative_rule)
    return md


# Where markdown-it can make of a text anything but the text itself: the first
# character each enabled rule looks for (newline, escape, backticks, emphasis,
# our two, link, autolink), and the `\r` and NUL that its normalize step
# rewrites. Other punctuation such as `]`, `!` or `&` only ever prints as
# itself with these rules. A text without any of them, as most table cells and
# list items are, is one Text span; tests/test_inline.py checks that against
# markdown-it and the enabled rules against this list.
_MARKUP_START = re.compile(r"[\n\\`*_\[@<\r\0]")


def parse_spans(source: str) -> tuple[Span, ...]:
    """The spans of one inline text; any character that is not markup is text."""
    if not source:
        return ()
    if _MARKUP_START.search(source) is None:
        return (Text(source),)
    return _markdown_spans(source)


def _markdown_spans(source: str) -> tuple[Span, ...]:
    tokens = _parser().parseInline(source)
    children = (tokens[0].children or []) if tokens else []
    return _merge_text(_build(children))


def parse_inline(value: Inline) -> Inline:
    return replace(value, spans=parse_spans(value.source))


_CONTAINERS: dict[str, type[Strong] | type[Emph]] = {"strong_open": Strong, "em_open": Emph}


def _build(tokens: list[Token]) -> list[Span]:
    """Turn markdown-it's flat open/close token list into nested spans."""
    stack: list[tuple[Token | None, list[Span]]] = [(None, [])]
    for token in tokens:
        kind = token.type
        if kind in ("text", "text_special"):
            if token.content:
                stack[-1][1].append(Text(token.content))
        elif kind == "code_inline":
            stack[-1][1].append(Code(token.content))
        elif kind == "cite":
            meta = token.meta
            stack[-1][1].append(Cite(meta["items"], meta["narrative"], token.content,
                                     meta["offset"]))
        elif kind == "gloss":
            meta = token.meta
            stack[-1][1].append(GlossRef(meta["term"], (Text(meta["shown"]),),
                                         meta["offset"]))
        elif kind == "softbreak":
            stack[-1][1].append(Text(" "))
        elif kind == "hardbreak":
            stack[-1][1].append(LineBreak())
        elif kind.endswith("_open"):
            stack.append((token, []))
        elif kind.endswith("_close") and len(stack) > 1:
            opener, children = stack.pop()
            stack[-1][1].append(_close(opener, _merge_text(children)))
        elif token.content:
            stack[-1][1].append(Text(token.content))
    # markdown-it balances its pairs, but never lose text if it did not.
    while len(stack) > 1:
        opener, children = stack.pop()
        stack[-1][1].extend(children)
    return stack[0][1]


def _close(opener: Token | None, children: tuple[Span, ...]) -> Span:
    assert opener is not None
    if opener.type == "link_open":
        return Link(str(opener.attrs.get("href", "")), children)
    return _CONTAINERS.get(opener.type, Strong)(children)


def _merge_text(spans: list[Span] | tuple[Span, ...]) -> tuple[Span, ...]:
    merged: list[Span] = []
    for span in spans:
        if isinstance(span, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].text + span.text)
        else:
            merged.append(span)
    return tuple(merged)
