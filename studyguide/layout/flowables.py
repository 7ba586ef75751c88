"""Custom ReportLab flowables: headings, kept groups, callout boxes, TOC lines."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from reportlab.lib.colors import Color as RLColor
from reportlab.platypus import Flowable, Paragraph
from reportlab.platypus.doctemplate import ActionFlowable
from reportlab.platypus.paragraph import _processed_frags

_EPSILON = 1e-6
_MAX_SPLITS = 500  # a flowable that keeps splitting into itself must not hang the build


def _gap(before: Flowable | None, after: Flowable) -> float:
    """Space between two stacked flowables, collapsed the way frames collapse it."""
    if before is None:
        return 0.0
    return float(max(before.getSpaceAfter(), after.getSpaceBefore()))


def fill(
    canv: object, flowables: Sequence[Flowable], width: float, height: float
) -> tuple[list[Flowable], list[Flowable]]:
    """Split `flowables` into those that fit in `height` (splitting one if needed) and the rest.

    This is what a frame does, done inside a box so the box can split too.
    """
    placed: list[Flowable] = []
    queue = list(flowables)
    used = 0.0
    splits = 0
    last_split: Flowable | None = None
    while queue:
        head = queue[0]
        gap = _gap(placed[-1] if placed else None, head)
        room = height - used - gap
        if room <= 0:
            break
        _, h = head.wrapOn(canv, width, room)
        if h <= room + _EPSILON:
            placed.append(queue.pop(0))
            used += gap + h
            continue
        if head is last_split or splits >= _MAX_SPLITS:
            break
        parts = head.splitOn(canv, width, room)
        if not parts or (len(parts) == 1 and parts[0] is head):
            break
        if isinstance(parts[0], ActionFlowable):
            break  # a KeepTogether asks for the next frame: nothing more fits here
        splits += 1
        last_split = parts[0]
        queue[0:1] = parts
    return placed, queue


class Para(Paragraph):
    """A Paragraph that breaks its lines once per width.

    ReportLab wraps a paragraph again, at the width it has just wrapped it at,
    to draw it in a list or a table cell, and a kept group wraps its parts
    again to split; line breaking is most of the cost of laying out text.
    When nothing has touched the lines since the last wrap at this width,
    they are reused.
    """

    _last: tuple[float, Any, tuple[float, float]] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        last = self._last
        if last is not None and last[0] == availWidth and \
                getattr(self, "blPara", None) is last[1]:
            self.width, self.height = last[2]
            return last[2]
        frags = self.frags
        size = super().wrap(availWidth, availHeight)
        lines = getattr(self, "blPara", None)
        # The first wrap turns the parsed fragments into words, and breaking those
        # words again can round the spacing of a justified line differently: only
        # a wrap from words (or from fragments it left alone) is what the next gives.
        reusable = lines is not None and (self.frags is frags or _processed_frags(frags))
        self._last = (availWidth, lines, size) if reusable else None
        return size

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        # Splitting can change this paragraph's words in place (the hyphen at a
        # split line's end), so a paragraph that stays whole must break its lines anew.
        self._last = None
        return list(super().split(availWidth, availHeight))


class Stack(Flowable):
    """Flowables drawn one under another as one unbreakable unit (figure + caption)."""

    def __init__(
        self, flowables: Sequence[Flowable], *, pos: object = None, space: float | None = None
    ) -> None:
        super().__init__()
        self.flowables = list(flowables)
        self.pos = pos
        self.space = space  # around the whole stack; None: that of its first and last
        self._placed: list[tuple[Flowable, float, float]] = []

    def getSpaceBefore(self) -> float:
        if self.space is not None:
            return self.space
        return float(self.flowables[0].getSpaceBefore()) if self.flowables else 0.0

    def getSpaceAfter(self) -> float:
        if self.space is not None:
            return self.space
        return float(self.flowables[-1].getSpaceAfter()) if self.flowables else 0.0

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self._placed = []
        y = 0.0
        prev: Flowable | None = None
        for f in self.flowables:
            y += _gap(prev, f)
            w, h = f.wrapOn(self.canv, aw, max(ah - y, 0.0))
            self._placed.append((f, w, y + h))
            y += h
            prev = f
        self.width, self.height = aw, y
        return aw, y

    def split(self, aw: float, ah: float) -> list[Flowable]:
        return []

    def draw(self) -> None:
        for f, w, bottom in self._placed:
            align = getattr(f, "hAlign", "LEFT")
            x = (self.width - w) / 2 if align in ("CENTER", "CENTRE") else 0.0
            if align == "RIGHT":
                x = self.width - w
            f.drawOn(self.canv, x, self.height - bottom)


class Heading(Flowable):
    """A section heading: its PDF destination, its bookmark, and its page for the TOC."""

    def __init__(
        self,
        para: Paragraph,
        *,
        key: str,
        level: int,
        outline_title: str,
        on_draw: Callable[[Heading, int], None],
        rule: tuple[RLColor, float] | None = None,
    ) -> None:
        super().__init__()
        self.para = para
        self.key = key
        self.level = level
        self.outline_title = outline_title
        self.on_draw = on_draw
        self.rule = rule
        self._rule_gap = 4.0 if rule else 0.0

    def getSpaceBefore(self) -> float:
        return float(self.para.getSpaceBefore())

    def getSpaceAfter(self) -> float:
        return float(self.para.getSpaceAfter())

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        _, h = self.para.wrap(aw, ah)
        self.width, self.height = aw, h + self._rule_gap
        return aw, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        return []  # a heading moves whole to the next page

    def draw(self) -> None:
        canv = self.canv
        canv.bookmarkHorizontal(self.key, 0, self.height + 4)
        # ReportLab outline levels count from 0 and may not skip a level.
        canv.addOutlineEntry(self.outline_title, self.key, self.level - 1, closed=self.level >= 2)
        self.on_draw(self, canv.getPageNumber())
        self.para.drawOn(canv, 0, self._rule_gap)
        if self.rule:
            color, width = self.rule
            canv.saveState()
            canv.setStrokeColor(color)
            canv.setLineWidth(width)
            canv.line(0, width / 2, self.width, width / 2)
            canv.restoreState()


class KeepWithNext(Flowable):
    """A heading and what follows it: the heading never ends a page alone.

    When both do not fit, the heading goes with as much of the next flowable
    as fits, but with at least `min_keep` points of it (about three lines);
    otherwise the pair moves to the next page.
    """

    def __init__(self, heading: Flowable, following: Flowable, min_keep: float) -> None:
        super().__init__()
        self.heading = heading
        self.following = following
        self.min_keep = min_keep
        self.pos = getattr(following, "pos", None)
        self._stack = Stack([heading, following])

    def getSpaceBefore(self) -> float:
        return float(self.heading.getSpaceBefore())

    def getSpaceAfter(self) -> float:
        return float(self.following.getSpaceAfter())

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width, self.height = self._stack.wrapOn(self.canv, aw, ah)
        return self.width, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        _, hh = self.heading.wrapOn(self.canv, aw, ah)
        gap = _gap(self.heading, self.following)
        room = ah - hh - gap
        if room <= 0:
            return []
        _, full = self.following.wrapOn(self.canv, aw, room)
        placed, rest = fill(self.canv, [self.following], aw, room)
        if not placed:
            return []
        kept = Stack(placed).wrapOn(self.canv, aw, room)[1]
        if rest and kept < min(self.min_keep, full) - _EPSILON:
            return []
        return [Stack([self.heading, *placed], pos=self.pos), *rest]

    def draw(self) -> None:
        self._stack.drawOn(self.canv, 0, 0)


class CalloutBox(Flowable):
    """A tinted box with a coloured rule down its left side that splits across pages.

    The label prints on the first part only; a continuation gets `cont_label`.
    A box no taller than `keep_together` moves whole to the next page rather
    than leave a line or two stranded on either side of the break.
    """

    def __init__(
        self,
        content: Sequence[Flowable],
        *,
        label: Flowable | None,
        cont_label: Callable[[], Flowable] | None,
        accent: RLColor,
        background: RLColor,
        padding: float,
        rule_width: float = 3.0,
        space: float = 0.0,
        keep_together: float = 0.0,
        pos: object = None,
    ) -> None:
        super().__init__()
        self.content = list(content)
        self.keep_together = keep_together
        self.label = label
        self.cont_label = cont_label
        self.accent = accent
        self.background = background
        self.padding = padding
        self.rule_width = rule_width
        self.space = space
        self.pos = pos
        self._inner = Stack([label, *self.content] if label else self.content)

    def getSpaceBefore(self) -> float:
        return self.space

    def getSpaceAfter(self) -> float:
        return self.space

    def _inner_width(self, aw: float) -> float:
        return aw - self.rule_width - 2 * self.padding

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        _, h = self._inner.wrapOn(self.canv, self._inner_width(aw), ah)
        self.width, self.height = aw, h + 2 * self.padding
        return self.width, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        if self.wrap(aw, ah)[1] <= self.keep_together:
            return []
        iw = self._inner_width(aw)
        room = ah - 2 * self.padding
        head: list[Flowable] = [self.label] if self.label else []
        if head:
            room -= head[0].wrapOn(self.canv, iw, room)[1] + _gap(head[0], self.content[0])
        placed, rest = fill(self.canv, self.content, iw, room)
        if not placed or not rest:
            return []
        second_label = self.cont_label() if self.cont_label else None
        return [self._part(head[0] if head else None, placed), self._part(second_label, rest)]

    def _part(self, label: Flowable | None, content: list[Flowable]) -> CalloutBox:
        return CalloutBox(
            content,
            label=label,
            cont_label=self.cont_label,
            accent=self.accent,
            background=self.background,
            padding=self.padding,
            rule_width=self.rule_width,
            space=self.space,
            pos=self.pos,
        )

    def draw(self) -> None:
        canv = self.canv
        canv.saveState()
        canv.setFillColor(self.background)
        canv.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        canv.setFillColor(self.accent)
        canv.rect(0, 0, self.rule_width, self.height, stroke=0, fill=1)
        canv.restoreState()
        self._inner.drawOn(canv, self.rule_width + self.padding, self.padding)


class TocLine(Flowable):
    """One table-of-contents line: a link to a heading whose page is filled in at save.

    The paragraph ends in an `<onDraw>` callback that records where its text
    stopped; the dot leader starts there and the page number is a form drawn
    in a fixed right column, so the line's height never depends on the number.
    """

    def __init__(
        self,
        para: Paragraph,
        *,
        key: str,
        indent: float,
        number_width: float,
        leader: tuple[str, float, RLColor],  # font, size, colour of the dots
    ) -> None:
        super().__init__()
        self.para = para
        self.key = key
        self.indent = indent
        self.number_width = number_width
        self.leader = leader
        self.text_end: tuple[float, float] | None = None

    def getSpaceBefore(self) -> float:
        return float(self.para.getSpaceBefore())

    def getSpaceAfter(self) -> float:
        return float(self.para.getSpaceAfter())

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        _, h = self.para.wrap(aw - self.indent - self.number_width - 12, ah)
        self.width, self.height = aw, h
        return aw, h

    def split(self, aw: float, ah: float) -> list[Flowable]:
        return []

    def draw(self) -> None:
        canv = self.canv
        self.text_end = None
        self.para.drawOn(canv, self.indent, 0)
        if self.text_end is not None:
            x, y = self.text_end[0] + self.indent, self.text_end[1]
            font, size, color = self.leader
            step = size * 0.55
            # Dots sit on a grid shared by every line, so leaders line up in columns.
            first = (int((x + size * 0.6) / step) + 1) * step
            count = max(0, int((self.width - self.number_width - first) / step))
            canv.saveState()
            canv.setFillColor(color)
            canv.setFont(font, size)
            if count:
                dot = canv.stringWidth(".", font, size)
                canv.drawString(first, y, "." * count, charSpace=step - dot)
            canv.translate(self.width, y)
            canv.doForm(f"toc-{self.key}")
            canv.restoreState()
        canv.linkRect("", self.key, (0, 0, self.width, self.height), relative=1, thickness=0)


class Counter(Flowable):
    """Zero-size marker that counts how many times the story around it was laid out."""

    def __init__(self, on_draw: Callable[[], None]) -> None:
        super().__init__()
        self.on_draw = on_draw
        self.width = self.height = 0

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.on_draw()


class Deferred(Flowable):
    """A placeholder for flowables made only when the page machinery reaches it
    (GuideDoc expands it in place); never wrapped or drawn itself."""

    def __init__(self, make: Callable[[], list[Flowable]]) -> None:
        super().__init__()
        self.make = make


def expand_deferred(flowables: list[Flowable]) -> None:
    """Make the Deferred flowables at the front of `flowables`: the first one, and
    any that a run of keepWithNext flowables from the front reaches."""
    index = 0
    while index < len(flowables):
        head = flowables[index]
        if isinstance(head, Deferred):
            flowables[index:index + 1] = head.make()
            continue
        if head is None or not head.getKeepWithNext():
            return
        index += 1


class NewPage(ActionFlowable):
    """A page break, unless nothing has been placed on the page yet."""

    def __init__(self) -> None:
        super().__init__(("newPage",))

    def apply(self, doc: Any) -> None:
        if not doc.frame._atTop:
            doc.handle_pageBreak()


class RightHandPage(ActionFlowable):
    """At the top of a page: if it is a left-hand (even) page, leave it blank, so that
    what follows starts on the right-hand page after it."""

    def __init__(self, leave_blank: Callable[[Any], None]) -> None:
        super().__init__(("rightHandPage",))
        self.leave_blank = leave_blank

    def apply(self, doc: Any) -> None:
        if doc.page % 2 == 0:
            self.leave_blank(doc)
