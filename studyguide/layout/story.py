"""Layout: the document model turned into a ReportLab story (title page, contents, body)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    ActionFlowable,
    Flowable,
    HRFlowable,
    Image,
    ListFlowable,
    ListItem,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
)

from ..model import document as m
from ..model import traverse
from ..model.diagnostics import GuideError, error
from .flowables import (
    CalloutBox,
    Counter,
    Deferred,
    Heading,
    KeepWithNext,
    NewPage,
    Para,
    RightHandPage,
    Stack,
    TocLine,
)
from .images import figure_image
from .markup import escape_text, inline_markup, plain
from .pages import PageState, roman
from .tables import CaptionedTable, table_flowable
from .typeset import Sheet, mix, rl_color

TOC_DEPTH = 2  # deeper headings are in the bookmarks but would clutter the contents page
CALLOUT_KEEP_TOGETHER = 0.25  # of the frame: shorter callouts never split
FIGURE_MAX_HEIGHT = 0.6  # of the frame, so a figure and its caption fit with a heading
BULLETS = ("•", "–", "•")  # the fonts have no white bullet or small square
NUMBERING = ("1", "a", "i")


@dataclass
class Ctx:
    """What every block function needs: the styles, the build's state, the width it has."""

    sheet: Sheet
    state: PageState
    width: float
    keys: dict[str, str] = field(default_factory=dict)  # section id -> heading key
    edition: str = "student"

    def para(self, markup: str, style: ParagraphStyle, pos: m.Pos, **kw: Any) -> Paragraph:
        try:
            return Para(markup, style, **kw)
        except ValueError as exc:  # ReportLab's markup parser; escaping should prevent it
            raise GuideError([error(f"cannot typeset this text: {exc}", pos)]) from exc

    def text(self, value: m.Inline, style: ParagraphStyle, **kw: Any) -> Paragraph:
        return self.para(inline_markup(value, self.sheet.markup), style, value.pos, **kw)


def _short(value: m.Inline, limit: int = 40) -> str:
    """An Inline's text, cut short enough to name it in a message."""
    text = plain(m.plain_text(value))
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _tag(flowable: Flowable, pos: m.Pos, what: str) -> Flowable:
    """Remember where a flowable came from, for the error if it cannot be placed."""
    flowable.pos = pos
    flowable.what = what
    return flowable


# --------------------------------------------------------------------- blocks


def _paragraph(block: m.Paragraph, ctx: Ctx) -> list[Flowable]:
    return [_tag(ctx.text(block.text, ctx.sheet.para["body"]), block.pos, "a paragraph")]


def _list(block: m.ListBlock, ctx: Ctx, depth: int = 0) -> list[Flowable]:
    sheet, s = ctx.sheet, ctx.sheet.style
    size = s.body_size
    items = []
    for number, item in enumerate(block.items, start=1):
        lead = ctx.text(item.text, sheet.para["item"])
        # A lead-in item never ends a page without its nested list: when a list is
        # split, its flowables go back into the story, where keepWithNext holds.
        lead.keepWithNext = bool(item.children)
        content: list[Flowable] = [lead]
        for child in item.children:
            content.extend(_list(child, ctx, depth + 1))
        # The space after a list rides on its last item: when ReportLab splits
        # a list across pages it keeps the items' spacing, not the list's.
        after = s.paragraph_spacing if depth == 0 and number == len(block.items) else 0
        items.append(ListItem(content, spaceAfter=after))
    if block.ordered:
        kind_char = NUMBERING[depth % 3]
        last = block.start + len(block.items) - 1
        widest = max(
            stringWidth(label_of(v, kind_char) + ".", sheet.faces.body, size)
            for v in range(block.start, last + 1)
        )
        gap = size * 0.5
        indent = widest + gap
        kind: dict[str, Any] = {
            "bulletType": kind_char, "start": block.start, "bulletFormat": "%s.",
            "bulletAlign": "right", "bulletDedent": gap,
        }
    else:
        indent = size * 1.25
        kind = {"bulletType": "bullet", "start": BULLETS[depth % 3], "bulletDedent": indent - 1}
    flow = ListFlowable(
        items,
        leftIndent=indent,
        bulletFontName=sheet.faces.body,
        bulletFontSize=size,
        bulletColor=rl_color(s.heading_color if depth == 0 else s.text_color),
        spaceBefore=sheet.unit * 0.2 if depth else 0,
        **kind,
    )
    return [_tag(flow, block.pos, "a list")]


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


def _callout(block: m.Callout, ctx: Ctx) -> list[Flowable]:
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

    content = [f for b in block.blocks for f in render_block(b, inner)]
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
    return [_tag(box, block.pos, f"the {look.label.lower()} box")]


def _table(block: m.Table, ctx: Ctx) -> list[Flowable]:
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
    return [_tag(flow, block.pos, f"{label} ('{_short(block.caption)}')")]


def _figure(block: m.Figure, ctx: Ctx) -> list[Flowable]:
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
    return [_tag(stack, block.pos, label)]


def _page_break(block: m.PageBreak, ctx: Ctx) -> list[Flowable]:
    return [PageBreak()]


def _reference_list(block: m.ReferenceList, ctx: Ctx) -> list[Flowable]:
    from .references import reference_list  # it builds on Ctx, defined here

    return reference_list(block, ctx)


def _glossary_list(block: m.GlossaryList, ctx: Ctx) -> list[Flowable]:
    from .glossary import glossary_list  # it builds on Ctx, defined here

    return glossary_list(block, ctx)


def _study_aid(name: str, module: str = "questions") -> Callable[[Any, Ctx], list[Flowable]]:
    def render(block: Any, ctx: Ctx) -> list[Flowable]:
        # Imported when used: the study-aid modules build on Ctx, defined here.
        layout = importlib.import_module(f"{__package__}.{module}")
        result: list[Flowable] = getattr(layout, name)(block, ctx)
        return result

    return render


BLOCKS: dict[type, Callable[[Any, Ctx], list[Flowable]]] = {
    m.Paragraph: _paragraph,
    m.ListBlock: _list,
    m.Callout: _callout,
    m.Table: _table,
    m.Figure: _figure,
    m.PageBreak: _page_break,
    m.ReferenceList: _reference_list,
    m.GlossaryList: _glossary_list,
    m.Objectives: _study_aid("objectives"),
    m.Takeaways: _study_aid("takeaways"),
    m.Questions: _study_aid("questions"),
    m.AnswerKey: _study_aid("answer_key"),
    m.ObjectiveMap: _study_aid("objective_map"),
    m.WordBank: _study_aid("word_bank"),
    m.CornellPage: _study_aid("cornell_page", "cornell"),
    # The audiences pass unwraps every Scoped block; a guide resolved without it
    # (a custom pass list) prints the block for everyone.
    m.Scoped: lambda block, ctx: render_block(block.block, ctx),
}


def render_block(block: m.Block, ctx: Ctx) -> list[Flowable]:
    return BLOCKS[type(block)](block, ctx)


# ------------------------------------------------------------------- sections


def heading_label(section: m.Section, numbered: bool) -> str:
    """The heading as plain text, "2.1  Title" when numbered (bookmarks, running heads)."""
    title = plain(m.plain_text(section.title))
    return f"{section.number}  {title}" if numbered and section.number else title


def heading_keys(guide: m.Guide) -> dict[str, str]:
    """Each section's heading key ("s1", "s2"... in reading order), shared by the
    contents and the body; section ids are unique."""
    return {s.id: f"s{n}" for n, s in enumerate(traverse.walk_sections(guide.sections), start=1)}


def _section(section: m.Section, ctx: Ctx) -> list[Flowable]:
    sheet, depth = ctx.sheet, section.level
    numbered = sheet.style.heading_numbers and bool(section.number)
    markup = inline_markup(section.title, sheet.markup)
    if numbered:
        # No-break spaces: ReportLab collapses ordinary (and en) spaces into one.
        markup = f"{escape_text(section.number)}\u00a0\u00a0\u00a0{markup}"
    rule = (rl_color(sheet.style.heading_color), 0.8) if depth == 1 else None
    heading = Heading(
        ctx.para(markup, sheet.heading(depth), section.title.pos),
        key=ctx.keys[section.id],
        level=depth,
        outline_title=heading_label(section, sheet.style.heading_numbers),
        on_draw=ctx.state.heading_drawn,
        rule=rule,
    )
    _tag(heading, section.pos, f"the heading of section '{_short(section.title)}'")
    body = [f for b in section.blocks for f in render_block(b, ctx)]
    for sub in section.sections:
        body.extend(_section(sub, ctx))
    if body and not isinstance(body[0], ActionFlowable):
        kept = KeepWithNext(heading, body[0], min_keep=sheet.unit * 3)
        flowables = [_tag(kept, section.pos, heading.what), *body[1:]]
    else:
        flowables = [heading, *body]
    return [PageBreak(), *flowables] if section.new_page else flowables


# ---------------------------------------------------------------- front matter


def _title_page(guide: m.Guide, ctx: Ctx, drop: float = 0.2) -> list[Flowable]:
    """The title block, `drop` of the page height down (0 when it heads the first page)."""
    sheet, meta = ctx.sheet, guide.meta
    p, head = sheet.para, rl_color(sheet.style.heading_color)
    story: list[Flowable] = [
        Spacer(1, sheet.frame_height * drop),
        HRFlowable(width="100%", thickness=2.5, color=head, spaceBefore=0,
                   spaceAfter=sheet.unit * 1.1, hAlign="LEFT"),
        ctx.text(meta.title, p["title"]),
    ]
    if meta.subtitle is not None:
        story.append(ctx.text(meta.subtitle, p["subtitle"]))
    if ctx.state.edition:
        story.append(ctx.para(escape_text(ctx.state.edition), p["subtitle"], meta.pos))
    if guide.disclaimer is not None:
        story.append(ctx.text(guide.disclaimer, p["dateline"]))
    story.append(HRFlowable(width="35%", thickness=0.8, color=head, spaceBefore=sheet.unit * 0.4,
                            spaceAfter=sheet.unit * 1.6, hAlign="LEFT"))
    subs = sheet.markup.substitutes
    if meta.authors:
        authors = "<br/>".join(escape_text(a, subs) for a in meta.authors)
        story.append(ctx.para(authors, p["byline"], meta.pos))
    facts = [escape_text(x, subs) for x in (meta.date, meta.version and f"Version {meta.version}")
             if x]
    if facts:
        story.append(Spacer(1, sheet.unit * 0.6))
        story.append(ctx.para("\u2003·\u2003".join(facts), p["dateline"], meta.pos))
    return story


def _contents(guide: m.Guide, ctx: Ctx) -> list[Flowable]:
    sheet = ctx.sheet
    title = Heading(ctx.para("Contents", sheet.para["toc-title"], guide.meta.pos), key="contents",
                    level=1, outline_title="Contents", on_draw=ctx.state.heading_drawn,
                    rule=(rl_color(sheet.style.heading_color), 0.8))
    story: list[Flowable] = [title, Spacer(1, sheet.unit * 0.5)]
    number_width = sheet.style.body_size * 2.6
    leader = (sheet.faces.body, sheet.style.body_size, rl_color(sheet.style.muted_color))
    for section in traverse.walk_sections(guide.sections):
        key, depth = ctx.keys[section.id], section.level
        if depth > TOC_DEPTH:
            continue
        base = sheet.para["toc1" if depth == 1 else "toc2"]
        hang = sheet.style.body_size * (1.8 if depth == 1 else 2.4)
        style = ParagraphStyle(f"toc-{key}", parent=base, leftIndent=hang, bulletIndent=0,
                               bulletFontName=base.fontName, bulletFontSize=base.fontSize)
        number = section.number if sheet.style.heading_numbers else None
        markup = inline_markup(section.title, sheet.markup)
        para = ctx.para(f'{markup}<onDraw name="sgTocEnd" label="{key}"/>', style,
                        section.title.pos, bulletText=number)
        indent = 0.0 if depth == 1 else sheet.style.body_size * 1.8
        line = TocLine(para, key=key, indent=indent, number_width=number_width, leader=leader)
        ctx.state.toc_lines[key] = line
        story.append(_tag(line, section.pos, "a line of the contents"))
    return story


def build_story(guide: m.Guide, sheet: Sheet, state: PageState) -> list[Flowable]:
    """The whole document as one story: title page, contents, then the body."""
    ctx = Ctx(sheet, state, sheet.frame_width, heading_keys(guide), edition=guide.edition)
    contents = _contents(guide, ctx) if guide.toc and guide.sections else []
    if not guide.title_page:  # a handout: title, then contents if any, on the body's first page
        story: list[Flowable] = [Counter(state.count_pass), *_title_page(guide, ctx, drop=0),
                                 *contents]
    else:
        story = _title_page(guide, ctx)
        if contents:
            story += [NextPageTemplate("front"), PageBreak(), *contents]
        story += [NextPageTemplate("body"), PageBreak(), Counter(state.count_pass)]
    # Each top-level section's flowables are made when the page machinery
    # reaches it and dropped once placed, so a long guide never holds them all.
    story += [Deferred(partial(_top_section, section, ctx, first=not index))
              for index, section in enumerate(guide.sections)]
    return story


def _top_section(section: m.Section, ctx: Ctx, *, first: bool) -> list[Flowable]:
    flowables = _section(section, ctx)
    # A handout's first section stays under the title, on page 1.
    if ctx.sheet.style.section_start == "right" and (not first or ctx.state.title_page):
        if flowables and isinstance(flowables[0], PageBreak):
            flowables = flowables[1:]
        flowables = [NewPage(), RightHandPage(ctx.state.leave_blank), *flowables]
    return flowables

