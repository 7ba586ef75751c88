"""Study aids on the page: objectives, takeaways, review questions, answer key, objectives map."""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, HRFlowable, Paragraph, Spacer, Table, TableStyle

from ..model import document as m
from ..validate.questions import BLANK
from .context import Ctx, label_of
from .glossary import LazyParagraph
from .markup import QUESTION_CB, MarkupOptions, inline_markup
from .typeset import rl_color

ANSWER_LINES = 3  # ruled lines under a short-answer question in the student edition


def _boxed(kind: str, title: str, items: tuple[m.Inline, ...], pos: m.Pos,
           ctx: Ctx) -> list[Flowable]:
    """A callout box of the style's `kind` holding a bullet list of `items`."""
    heading = m.Inline(title, pos, spans=(m.Text(title),))
    listed = m.ListBlock(False, tuple(m.ListItem(i) for i in items), pos)
    return ctx.render(m.Callout(kind, heading, (listed,), pos))


def objectives(block: m.Objectives, ctx: Ctx) -> list[Flowable]:
    return _boxed("remember", "Learning objectives", tuple(o.text for o in block.items),
                  block.pos, ctx)


def takeaways(block: m.Takeaways, ctx: Ctx) -> list[Flowable]:
    return _boxed("key-point", "Key takeaways", block.items, block.pos, ctx)


def word_bank(block: m.WordBank, ctx: Ctx) -> list[Flowable]:
    """The words a section's blanks stand for, in one paragraph inside a box."""
    pos = block.pos or m.Pos("worksheet", 1, 1)
    words = "\u2003·\u2003".join(block.words)  # em spaces keep the words apart
    text = m.Inline(words, pos, spans=(m.Text(words),))
    heading = m.Inline("Word bank", pos, spans=(m.Text("Word bank"),))
    return ctx.render(m.Callout("remember", heading, (m.Paragraph(text, pos),), pos))


def questions(block: m.Questions, ctx: Ctx) -> list[Flowable]:
    return [f for q in block.items for f in _question(q, ctx)]


def _style(ctx: Ctx, name: str, indent: float) -> ParagraphStyle:
    return ParagraphStyle(name, parent=ctx.sheet.para["item"], leftIndent=indent,
                          bulletIndent=indent - ctx.sheet.style.body_size * 1.6,
                          bulletFontName=ctx.sheet.faces.body,
                          bulletFontSize=ctx.sheet.style.body_size)  # else ReportLab's 10pt


def _question(q: m.Question, ctx: Ctx) -> list[Flowable]:
    sheet, size = ctx.sheet, ctx.sheet.style.body_size
    indent = size * 2
    markup = inline_markup(q.prompt, sheet.markup)
    if q.kind == "fill-in":
        markup = BLANK.sub("_" * 14, markup)  # room to write the answer in
    record = f"<onDraw name={quoteattr(QUESTION_CB)} label={quoteattr(str(q.number))}/>"
    out: list[Flowable] = [ctx.para(record + markup, _style(ctx, "question", indent), q.pos,
                                    bulletText=f"{q.number}.")]
    option = _style(ctx, "option", indent + size * 1.6)
    if q.kind == "multiple-choice":
        out += [ctx.para(inline_markup(c, sheet.markup), option, c.pos,
                         bulletText=f"{label_of(i + 1, 'a')}.") for i, c in enumerate(q.choices)]
    elif q.kind == "true-false":
        out.append(ctx.para("True / False", option, q.pos))
    elif q.kind == "matching":
        out.append(_matching(q, ctx, indent))
    elif q.kind == "short-answer" and ctx.edition != "instructor":
        rule = rl_color(sheet.style.table_rule_color)
        out += [HRFlowable(width=ctx.width - indent, thickness=0.5, color=rule, hAlign="RIGHT",
                           spaceBefore=size * 1.6, spaceAfter=0) for _ in range(ANSWER_LINES)]
    if ctx.edition == "instructor":
        out.append(_answer_box(q, ctx, indent))
    out.append(Spacer(1, sheet.unit * 0.6))
    for flowable in out:
        flowable.pos, flowable.what = q.pos, f"question {q.number}"
    # A question moves to the next page whole rather than leave a choice behind.
    for flowable in out[:-2]:
        flowable.keepWithNext = True
    return out


def _matching(q: m.Question, ctx: Ctx, indent: float) -> Flowable:
    """Left items numbered in order, right items lettered in the shuffled order."""
    cell = ctx.sheet.para["cell"]
    rows = [
        [ctx.para(f"{n}. " + inline_markup(left, ctx.sheet.markup), cell, left.pos),
         ctx.para(f"{label_of(k + 1, 'a')}. " + inline_markup(q.pairs[q.shuffled[k]][1],
                                                              ctx.sheet.markup), cell, left.pos)]
        for k, (n, (left, _)) in enumerate(enumerate(q.pairs, start=1))
    ]
    half = (ctx.width - indent) / 2
    table = Table(rows, colWidths=[half, half], hAlign="RIGHT")
    # The cells are Paragraphs, but a Table still sets its own font (Helvetica
    # by default), which would be a reference to a font the PDF never embeds.
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("FONTNAME", (0, 0), (-1, -1), ctx.sheet.faces.body)]))
    return table


def answer_markup(q: m.Question, mk: MarkupOptions) -> str:
    """The right answer as markup: "b. The adrenal glands", "Eyes – c. Pupils widen"."""
    if q.kind == "multiple-choice":
        return "; ".join(f"{label_of(i + 1, 'a')}. {inline_markup(q.choices[i], mk)}"
                         for i in q.correct)
    if q.kind == "matching":
        return "; ".join(
            f"{inline_markup(left, mk)} \u2013 {label_of(q.shuffled.index(i) + 1, 'a')}. "
            f"{inline_markup(right, mk)}" for i, (left, right) in enumerate(q.pairs))
    return "; ".join(inline_markup(a, mk) for a in q.answers)


def _explained(q: m.Question, ctx: Ctx) -> str:
    answer = answer_markup(q, ctx.sheet.markup)
    if q.explanation is None:
        return answer
    return f"{answer}<br/>{inline_markup(q.explanation, ctx.sheet.markup)}"


def _answer_box(q: m.Question, ctx: Ctx, indent: float) -> Paragraph:
    look = ctx.sheet.style.callouts["clinical-note"]
    pad = ctx.sheet.unit * 0.4
    style = ParagraphStyle("answer", parent=ctx.sheet.para["item"], leftIndent=indent + pad,
                           rightIndent=pad, backColor=rl_color(look.background),
                           borderPadding=pad, spaceBefore=pad * 2, spaceAfter=pad)
    label = f"<font color={quoteattr(look.accent.rgb)}><b>Answer:</b></font> "
    return ctx.para(label + _explained(q, ctx), style, q.pos)


def answer_key(block: m.AnswerKey, ctx: Ctx) -> list[Flowable]:
    """Each question's number, page, answer and explanation; pages are known by the time
    the key is wrapped, because it comes after the body."""
    style = ctx.sheet.para["gloss-entry"]
    link = quoteattr(ctx.sheet.markup.link_color)

    def entry(q: m.Question) -> LazyParagraph:
        def make() -> Paragraph:
            physical = ctx.state.question_pages.get(str(q.number))
            page = "" if physical is None else (
                f' (page <a href="#page-{ctx.state.body_number(physical)}" color={link}>'
                f"{ctx.state.body_number(physical)}</a>)")
            return ctx.para(f"<b>{q.number}.</b>{page} {_explained(q, ctx)}", style, q.pos)

        space = (float(style.spaceBefore), float(style.spaceAfter))
        return LazyParagraph(make, space, q.pos, f"the answer to question {q.number}")

    return [entry(q) for q in block.questions]


def objective_map(block: m.ObjectiveMap, ctx: Ctx) -> list[Flowable]:
    style = ctx.sheet.para["gloss-entry"]
    out: list[Flowable] = []
    for objective, numbers in block.objectives:
        tested = ("Questions " if len(numbers) > 1 else "Question ") + ", ".join(
            map(str, numbers)) if numbers else "<i>Not tested by any question</i>"
        text = inline_markup(objective.text, ctx.sheet.markup)
        out.append(ctx.para(f"<b>{objective.id}</b>\u2002{text} \u2014 {tested}", style,
                            objective.pos))
    return out
