"""What every layout function is given: the styles, the build's page state, the width it
has, and the way to lay out a block inside it; and small helpers they share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph

from ..model import document as m
from ..model.diagnostics import GuideError, error
from .flowables import Para
from .markup import inline_markup, plain
from .pages import PageState, roman
from .typeset import Sheet

LayOut = Callable[[Any, "Ctx"], list[Flowable]]


@dataclass
class Ctx:
    """What every block function needs: the styles, the build's state, the width it has.

    `lay_out` lays out any block (story.py's table of block functions): a block
    that holds others (a callout) or makes others (a question's box) calls it
    through `render`, so no block module imports the table that imports it.
    """

    sheet: Sheet
    state: PageState
    width: float
    lay_out: LayOut
    keys: dict[str, str] = field(default_factory=dict)  # section id -> heading key
    edition: str = "student"

    def render(self, block: m.Block) -> list[Flowable]:
        return self.lay_out(block, self)

    def para(self, markup: str, style: ParagraphStyle, pos: m.Pos, **kw: Any) -> Paragraph:
        try:
            return Para(markup, style, **kw)
        except ValueError as exc:  # ReportLab's markup parser; escaping should prevent it
            raise GuideError([error(f"cannot typeset this text: {exc}", pos)]) from exc

    def text(self, value: m.Inline, style: ParagraphStyle, **kw: Any) -> Paragraph:
        return self.para(inline_markup(value, self.sheet.markup), style, value.pos, **kw)


def short(value: m.Inline, limit: int = 40) -> str:
    """An Inline's text, cut short enough to name it in a message."""
    text = plain(m.plain_text(value))
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def tag(flowable: Flowable, pos: m.Pos, what: str) -> Flowable:
    """Remember where a flowable came from, for the error if it cannot be placed."""
    flowable.pos = pos
    flowable.what = what
    return flowable


def label_of(value: int, kind: str) -> str:
    """A list number as ReportLab prints it for bullet type `kind` ("1", "a" or "i")."""
    if kind == "1":
        return str(value)
    if kind == "i":
        return roman(value)
    letters = ""
    while value > 0:
        value, rest = divmod(value - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters
