"""The whole story: each block type's layout function, sections, title page and contents."""

from __future__ import annotations

from functools import partial

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    ActionFlowable,
    Flowable,
    HRFlowable,
    NextPageTemplate,
    PageBreak,
    Spacer,
)

from ..model import document as m
from ..model import traverse
from . import blocks, cornell, glossary, questions, references
from .context import Ctx, LayOut, short, tag
from .flowables import Counter, Deferred, Heading, KeepWithNext, NewPage, RightHandPage, TocLine
from .markup import escape_text, inline_markup, plain
from .pages import PageState
from .typeset import Sheet, rl_color

TOC_DEPTH = 2  # deeper headings are in the bookmarks but would clutter the contents page


BLOCKS: dict[type, LayOut] = {
    m.Paragraph: blocks.paragraph,
    m.ListBlock: blocks.bullet_list,
    m.Callout: blocks.callout,
    m.Table: blocks.table,
    m.Figure: blocks.figure,
    m.PageBreak: blocks.page_break,
    m.Steps: blocks.steps,
    m.ReferenceList: references.reference_list,
    m.GlossaryList: glossary.glossary_list,
    m.Objectives: questions.objectives,
    m.Takeaways: questions.takeaways,
    m.Questions: questions.questions,
    m.AnswerKey: questions.answer_key,
    m.ObjectiveMap: questions.objective_map,
    m.WordBank: questions.word_bank,
    m.CornellPage: cornell.cornell_page,
    # The audiences pass unwraps every Scoped block; a guide resolved without it
    # (a custom pass list) prints the block for everyone.
    m.Scoped: lambda block, ctx: ctx.render(block.block),
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
    tag(heading, section.pos, f"the heading of section '{short(section.title)}'")
    body = [f for b in section.blocks for f in ctx.render(b)]
    for sub in section.sections:
        body.extend(_section(sub, ctx))
    if body and not isinstance(body[0], ActionFlowable):
        kept = KeepWithNext(heading, body[0], min_keep=sheet.unit * 3)
        flowables = [tag(kept, section.pos, heading.what), *body[1:]]
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
        story.append(tag(line, section.pos, "a line of the contents"))
    return story


def build_story(guide: m.Guide, sheet: Sheet, state: PageState) -> list[Flowable]:
    """The whole document as one story: title page, contents, then the body."""
    ctx = Ctx(sheet, state, sheet.frame_width, render_block, heading_keys(guide),
              edition=guide.edition)
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

