"""The body's blocks on the page: paragraphs, lists, callouts, tables, figures, page breaks."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Image, ListFlowable, ListItem, PageBreak, Paragraph, Spacer

from ..model import document as m
from ..model.diagnostics import GuideError, error
from .context import Ctx, label_of, short, tag
from .flowables import CalloutBox, Stack
from .images import figure_image
from .markup import escape_text, inline_markup
from .tables import CaptionedTable, table_flowable
from .typeset import mix, rl_color

CALLOUT_KEEP_TOGETHER = 0.25  # of the frame: shorter callouts never split
FIGURE_MAX_HEIGHT = 0.6  # of the frame, so a figure and its caption fit with a heading
BULLETS = ("•", "–", "•")  # the fonts have no white bullet or small square
NUMBERING = ("1", "a", "i")


def paragraph(block: m.Paragraph, ctx: Ctx) -> list[Flowable]:
    return [tag(ctx.text(block.text, ctx.sheet.para["body"]), block.pos, "a paragraph")]


def bullet_list(block: m.ListBlock, ctx: Ctx, depth: int = 0) -> list[Flowable]:
    sheet, s = ctx.sheet, ctx.sheet.style
    items = []
    for number, item in enumerate(block.items, start=1):
        lead = ctx.text(item.text, sheet.para["item"])
        # A lead-in item never ends a page without its nested list: when a list is
        # split, its flowables go back into the story, where keepWithNext holds.
        lead.keepWithNext = bool(item.children)
        content: list[Flowable] = [lead]
        for child in item.children:
            content.extend(bullet_list(child, ctx, depth + 1))
        # The space after a list rides on its last item: when ReportLab splits
        # a list across pages it keeps the items' spacing, not the list's.
        after = s.paragraph_spacing if depth == 0 and number == len(block.items) else 0
        items.append(ListItem(content, spaceAfter=after))
    flow = _list_flowable(items, ctx, depth, block.start if block.ordered else None)
    return [tag(flow, block.pos, "a list")]


def steps(block: m.Steps, ctx: Ctx) -> list[Flowable]:
    """A procedure: numbered steps, each with its rationale beneath it in the step's
    indent, labelled, and never parted from it at a page break."""
    sheet = ctx.sheet
    reason = ParagraphStyle("rationale", parent=sheet.para["item"],
                            spaceBefore=sheet.unit * 0.1, spaceAfter=sheet.unit * 0.35)
    items = []
    for number, step in enumerate(block.items, start=1):
        text = ctx.text(step.text, sheet.para["item"])
        content: list[Flowable] = [text]
        if step.rationale is not None:
            text.keepWithNext = True
            content.append(ctx.para("<b>Rationale:</b> " + inline_markup(step.rationale,
                                                                         sheet.markup),
                                    reason, step.rationale.pos))
        last = number == len(block.items)
        items.append(ListItem(content, spaceAfter=sheet.style.paragraph_spacing if last else 0))
    return [tag(_list_flowable(items, ctx, 0, 1), block.pos, "a procedure")]


def _list_flowable(items: list[ListItem], ctx: Ctx, depth: int, start: int | None
                   ) -> ListFlowable:
    """Items under bullets, or numbered from `start` (in the style of their depth:
    1., a., i.) with the numbers aligned on their right edge."""
    sheet, s = ctx.sheet, ctx.sheet.style
    size = s.body_size
    if start is not None:
        kind_char = NUMBERING[depth % 3]
        widest = max(
            stringWidth(label_of(v, kind_char) + ".", sheet.faces.body, size)
            for v in range(start, start + len(items))
        )
        gap = size * 0.5
        indent = widest + gap
        kind: dict[str, Any] = {
            "bulletType": kind_char, "start": start, "bulletFormat": "%s.",
            "bulletAlign": "right", "bulletDedent": gap,
        }
    else:
        indent = size * 1.25
        kind = {"bulletType": "bullet", "start": BULLETS[depth % 3], "bulletDedent": indent - 1}
    return ListFlowable(
        items,
        leftIndent=indent,
        bulletFontName=sheet.faces.body,
        bulletFontSize=size,
        bulletColor=rl_color(s.heading_color if depth == 0 else s.text_color),
        spaceBefore=sheet.unit * 0.2 if depth else 0,
        **kind,
    )


def callout(block: m.Callout, ctx: Ctx) -> list[Flowable]:
    sheet = ctx.sheet
    look = sheet.style.callouts[block.kind]
    pad = sheet.unit * 0.6
    rule = 3.0
    inner = replace(ctx, width=ctx.width - rule - 2 * pad)
    label_style = ParagraphStyle("callout", parent=sheet.para["callout-label"],
                                 textColor=rl_color(look.accent))
    if block.title is not None:
        label_markup = inline_markup(block.title, sheet.markup)
    else:
        label_markup = escape_text(look.label, sheet.markup.substitutes)

    def continued() -> Flowable:
        muted = ParagraphStyle("callout-cont", parent=label_style,
                               fontName=sheet.faces.heading, textColor=mix(look.accent, 0.25))
        return ctx.para(f"{label_markup} <i>(continued)</i>", muted, block.pos)

    content = [f for b in block.blocks for f in inner.render(b)]
    box = CalloutBox(
        content or [Spacer(1, 0)],
        label=ctx.para(label_markup, label_style, block.pos),
        cont_label=continued,
        accent=rl_color(look.accent),
        background=rl_color(look.background),
        padding=pad,
        rule_width=rule,
        space=sheet.unit * 0.7,
        keep_together=sheet.frame_height * CALLOUT_KEEP_TOGETHER,
        pos=block.pos,
    )
    return [tag(box, block.pos, f"the {look.label.lower()} box")]


def table(block: m.Table, ctx: Ctx) -> list[Flowable]:
    sheet = ctx.sheet
    number = f"<b>Table {block.number}.</b> " if block.number else ""
    caption = inline_markup(block.caption, sheet.markup)
    cap_style = sheet.para["caption"]

    def continued() -> Paragraph:
        return ctx.para(f"{number}{caption} <i>(continued)</i>", cap_style, block.pos)

    source = None
    if block.source is not None:
        source = ctx.para("Source: " + inline_markup(block.source, sheet.markup),
                          sheet.para["source"], block.source.pos)
    table = table_flowable(block, ctx.width, sheet, ctx.text)
    flow = CaptionedTable(
        ctx.para(number + caption, cap_style, block.pos), table, source,
        continued=continued, space=sheet.unit * 0.7, pos=block.pos,
        page_height=sheet.frame_height,
    )
    label = f"Table {block.number}" if block.number else "table"
    return [tag(flow, block.pos, f"{label} ('{short(block.caption)}')")]


def figure(block: m.Figure, ctx: Ctx) -> list[Flowable]:
    sheet = ctx.sheet
    label = f"Figure {block.number}" if block.number else "figure"
    try:
        picture = figure_image(block.image, room=ctx.width,
                               wanted=None if block.width is None else ctx.width * block.width,
                               max_height=sheet.frame_height * FIGURE_MAX_HEIGHT)
    except Exception as exc:  # Pillow raises many kinds for a broken file
        raise GuideError([error(
            f"cannot read the image '{block.image.name}' of {label}: {exc}", block.pos,
            "check that the file is a PNG or JPEG image and opens in an image viewer",
        )]) from exc
    image = Image(picture.source, width=picture.width, height=picture.height)
    image.hAlign = "CENTER"
    number = f"<b>{label}.</b> " if block.number else ""
    parts: list[Flowable] = [image, ctx.para(
        number + inline_markup(block.caption, sheet.markup), sheet.para["figcaption"], block.pos)]
    if block.source is not None:
        parts.append(ctx.para("Source: " + inline_markup(block.source, sheet.markup),
                              sheet.para["figsource"], block.source.pos))
    stack = Stack(parts, pos=block.pos, space=sheet.unit * 0.8)
    return [tag(stack, block.pos, label)]


def page_break(block: m.PageBreak, ctx: Ctx) -> list[Flowable]:
    return [PageBreak()]
