"""Inline text: a CommonMark subset parsed by markdown-it-py into model spans."""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .model import Code, Emph, Inline, LineBreak, Link, Span, Strong, Text

# Only these rules: raw HTML and entities stay off, so `<b>` and `&amp;`
# written by an author print as themselves.
_RULES = ["emphasis", "backticks", "link", "autolink", "escape", "newline"]


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("zero").enable(_RULES)


def parse_spans(source: str) -> tuple[Span, ...]:
    """The spans of one inline text; any character that is not markup is text."""
    if not source:
        return ()
    tokens = _parser().parseInline(source)
    children = (tokens[0].children or []) if tokens else []
    return _merge_text(_build(children))


def parse_inline(value: Inline) -> Inline:
    return Inline(value.source, value.pos, parse_spans(value.source))


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
