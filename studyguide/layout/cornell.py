"""A Cornell review page: cue column, ruled notes area and summary box on one page."""

from __future__ import annotations

from collections.abc import Callable

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, PageBreak, Paragraph

from ..model import document as m
from .context import Ctx
from .markup import escape_text, plain
from .typeset import bold, rl_color

CUE_SHARE = 0.3  # of the width: the cue column
SUMMARY_SHARE = 0.2  # of the height: the summary box
MIN_CUE_SIZE = 7.0  # points: cues shrink to fit down to this, then the rest is counted


def cornell_page(block: m.CornellPage, ctx: Ctx) -> list[Flowable]:
    sheet, s = ctx.sheet, ctx.sheet.style
    number = f"{block.number}\u00a0\u00a0" if block.number and s.heading_numbers else ""
    title = ctx.para(f"Review: {escape_text(number + plain(m.plain_text(block.title)))}",
                     sheet.heading(2), block.pos)
    cues = [plain(t) for t in block.terms]
    questions = [f"{q.number}. {plain(m.plain_text(q.prompt))}" for q in block.questions]

    def cue_paragraphs(size: float) -> list[Paragraph]:
        item = ParagraphStyle("cue", parent=sheet.para["item"], fontSize=size,
                              leading=size * 1.25, alignment=0, spaceAfter=size * 0.3)
        head = ParagraphStyle("cue-head", parent=item, fontName=bold(sheet.faces.heading),
                              textColor=rl_color(s.heading_color), spaceBefore=size * 0.4)
        out = []
        for label, entries in (("Terms", cues), ("Questions", questions)):
            if entries:
                out.append(Paragraph(label, head))
                out += [Paragraph(escape_text(e, sheet.markup.substitutes), item)
                        for e in entries]
        return out

    page = CornellSheet(title, cue_paragraphs, s.body_size, rl_color(s.table_rule_color),
                        rl_color(s.muted_color), sheet.faces.heading, s.small_size)
    page.pos, page.what = block.pos, f"the review page of '{plain(m.plain_text(block.title))}'"
    return [PageBreak(), page]


class CornellSheet(Flowable):
    """Fills what is left of the frame (a fresh page): the title, the cue column on
    the left, ruled notes on the right, a summary box at the bottom."""

    def __init__(self, title: Paragraph, cues: Callable[[float], list[Paragraph]],
                 size: float, rule: object, muted: object, label_font: str,
                 label_size: float) -> None:
        super().__init__()
        self.title, self.cues, self.size = title, cues, size
        self.rule, self.muted = rule, muted
        self.label_font, self.label_size = label_font, label_size

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width, self.height = aw, ah
        return aw, ah

    def draw(self) -> None:
        canv, w, h = self.canv, self.width, self.height
        _, th = self.title.wrapOn(canv, w, h)
        self.title.drawOn(canv, 0, h - th)
        top = h - th - self.size * 0.8
        summary = h * SUMMARY_SHARE
        cue_w = w * CUE_SHARE
        canv.saveState()
        canv.setStrokeColor(self.rule)
        canv.setLineWidth(0.6)
        canv.line(cue_w, summary + self.size, cue_w, top)  # cue | notes
        canv.rect(0, 0, w, summary, stroke=1, fill=0)
        step = self.size * 2.0  # room to write in
        y = top - step
        while y > summary + self.size:
            canv.line(cue_w + self.size * 0.6, y, w, y)
            y -= step
        y = summary - step
        while y > self.size * 0.6:
            canv.line(self.size * 0.6, y, w - self.size * 0.6, y)
            y -= step
        canv.setFillColor(self.muted)
        canv.setFont(self.label_font, self.label_size)
        canv.drawString(self.size * 0.4, summary - self.label_size * 1.4, "Summary")
        canv.drawString(cue_w + self.size * 0.6, top + self.label_size * 0.2, "Notes")
        canv.restoreState()
        self._draw_cues(cue_w - self.size * 0.8, top - (summary + self.size * 1.5), top)

    def _draw_cues(self, width: float, height: float, top: float) -> None:
        size = self.size
        while True:
            cues = self.cues(size)
            heights = [p.wrapOn(self.canv, width, height)[1] + p.style.spaceAfter for p in cues]
            if sum(heights) <= height or size <= MIN_CUE_SIZE:
                break
            size = max(MIN_CUE_SIZE, size - 0.5)
        y = top - size * 0.3
        for index, (para, used) in enumerate(zip(cues, heights, strict=True)):
            if y - used < top - height:  # the rest is counted, not cut off mid-line
                rest = len(cues) - index
                more = Paragraph(f"… and {rest} more", cues[-1].style)
                more.wrapOn(self.canv, width, height)
                more.drawOn(self.canv, 0, y - more.height)
                break
            para.drawOn(self.canv, 0, y - used + para.style.spaceAfter)
            y -= used
