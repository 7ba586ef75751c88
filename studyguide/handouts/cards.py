"""Flashcards: glossary entries and review questions as cut-out cards, fronts and backs duplex.

Cards come from a resolved Guide: one per glossary entry that the guide's
glossary prints (an audience's build keeps only the terms its text uses),
then one per review question in reading order. Fronts and backs are on
alternating pages, the backs placed so that each lands behind its front when
the sheets are printed on both sides; `calibration_pdf` measures how far a
printer shifts the back side, for the style's `cards: duplex-offset`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from xml.sax.saxutils import escape, quoteattr

from ..layout.context import label_of
from ..layout.markup import MarkupOptions, clean_text, escape_text, inline_markup, plain
from ..layout.questions import answer_markup
from ..layout.typeset import Faces
from ..model import document as m
from ..model import traverse
from ..model.diagnostics import Diagnostic, GuideError, error, warning
from ..render.cards import (
    INCH,
    MM,
    Columns,
    Para,
    Piece,
    Rect,
    calibration_points,
    card_grid,
    draw_crosshair,
    draw_cut_marks,
    draw_note,
    draw_scales,
    draw_side,
    fit,
    looks,
    mirrored,
    new_canvas,
    text_box,
)
from ..render.fonts import missing_glyphs, register_family
from ..render.glyphs import glyph_substitute
from ..render.streams import PdfSink
from ..style.types import Style
from ..validate.questions import BLANK

SOURCES = ("glossary", "questions")
FILL_IN = "_" * 10  # the blank of a fill-in question, as on the page


@dataclass(frozen=True)
class Card:
    """One card's two sides, as markup, and what to call it in a warning."""

    number: int  # from 1, in the order the cards print
    label: str  # the front's small label: "Glossary", "Question 3"
    back_label: str  # the back's: "Definition", "Answer 3"
    front: tuple[Piece, ...]
    back: tuple[Piece, ...]
    pos: m.Pos
    front_what: str  # "the term 'x'", "question 3"
    back_what: str  # "the definition of 'x'", "the answer to question 3"


@dataclass(frozen=True)
class CardsResult:
    pdf: bytes
    cards: int
    sheets: int  # each sheet is two pages: fronts, then backs
    warnings: tuple[Diagnostic, ...]


def build_cards(guide: m.Guide, style: Style,
                sources: Iterable[str] = SOURCES) -> CardsResult:
    """The guide's flashcards as PDF bytes: `style.cards_per_sheet` cards a sheet,
    fronts on odd pages, backs on even pages placed for the style's duplex flip."""
    chosen = tuple(dict.fromkeys(sources))
    unknown = [s for s in chosen if s not in SOURCES]
    if unknown or not chosen:
        raise ValueError(f"unknown card sources {unknown or chosen!r}; use {SOURCES}")
    guide = traverse.map_inlines(guide, _unlinked)
    entries = _glossary_entries(guide) if "glossary" in chosen else []
    questions = _questions(guide) if "questions" in chosen else []
    if not entries and not questions:
        what = " or ".join(("glossary entries", "review questions")[SOURCES.index(s)]
                           for s in chosen)
        raise GuideError([error(f"no cards to make: the guide has no {what}", None,
                                "add a glossary or questions: blocks to the outline")])
    faces = _faces(style)
    warnings, substitutes = _glyphs(entries, questions, style)
    markup = MarkupOptions(code_font=faces.code, link_color=style.link_color.rgb,
                           emphasis=style.emphasis, gloss_color=style.text_color.rgb,
                           substitutes=substitutes)
    made = [*(_entry_card(e, markup) for e in entries),
            *(_question_card(q, markup) for q in questions)]
    cards = [replace(card, number=n) for n, card in enumerate(made, start=1)]
    pdf, sheets, overflows = _draw(cards, style, faces, guide.meta)
    return CardsResult(pdf, len(cards), sheets, (*warnings, *overflows))


def calibration_pdf(style: Style) -> bytes:
    """Two pages, printed duplex with the style's flip, that show how far the printer
    shifts the back: crosshairs on the front, millimetre scales behind them on the back.

    The back does not apply the style's current duplex offset, so what is read
    off its scales is the whole offset to set (it replaces the current one).
    """
    faces = _faces(style)
    lk = looks(style, faces)
    buffer = PdfSink()
    canv = new_canvas(buffer, style, faces, title="Duplex calibration sheet")
    small = 5.0
    flip = "long (left or right)" if style.card_flip == "long" else "short (top)"
    note = Rect(1.9 * INCH, style.page_height / 2 + 30 * MM, style.page_width - 3.8 * INCH,
                style.page_height / 2 - 30 * MM - 1.8 * INCH)
    now = f"x: {style.duplex_offset_x / MM:.1f}mm, y: {style.duplex_offset_y / MM:.1f}mm"
    for side in ("front", "back"):
        canv.setFont(faces.heading, small * 1.6)
        canv.setFillColor(lk.text)
        canv.setStrokeColor(lk.text)
        canv.setLineWidth(0.25)
        for name, x, y in calibration_points(style):
            if side == "front":
                draw_crosshair(canv, name, x, y)
            else:
                canv.setFont(faces.heading, small)
                draw_scales(canv, name, *mirrored(style, x, y), small)
        if side == "front":
            texts = [
                "<b>Duplex calibration: front</b>",
                f"Print this sheet on both sides of one page, turning it over the {flip} "
                "edge, as the cards will be printed (the style's <i>cards: flip</i>).",
                "Then turn to the back: it has a millimetre scale behind each crosshair.",
            ]
        else:
            texts = [
                "<b>Duplex calibration: back</b>",
                "Hold the sheet up to the light with this side towards you. Behind each "
                "scale is a line of a crosshair on the front: read the number where the "
                "front's upright line crosses the <b>x</b> scale, and where its level line "
                "crosses the <b>y</b> scale (in mm; use the centre point C if they differ).",
                "The numbers read are the offset to set, signs included; for readings of "
                "x +1.5 and y -0.5, write in a style sheet:",
                f"<font face={quoteattr(faces.code)}>cards: {{duplex-offset: "
                "{x: 1.5mm, y: -0.5mm}}</font>",
                "The offset is added to the positions of the backs, which moves them onto "
                "their fronts. This sheet does not apply the current offset "
                f"({escape(now)}): the value read replaces it. Readings of 0 and 0: no "
                "offset is needed.",
            ]
        draw_note(canv, texts, note, lk, 9.0)
        canv.showPage()
    canv.save()
    return buffer.getvalue()


# ------------------------------------------------------------------- the cards


def _faces(style: Style) -> Faces:
    return Faces(register_family(style.body_font), register_family(style.heading_font),
                 register_family(style.code_font))


def _unlinked(value: m.Inline) -> m.Inline:
    """`value` without links into the guide (glossary entries, references): the cards'
    PDF has no such destinations. Glossary marks print as their text, citations as
    their formatted text; web links stay."""

    def one(span: m.Span) -> m.Span:
        if isinstance(span, m.GlossRef):
            return replace(span, entry="")
        if isinstance(span, m.Link) and span.url.strip().startswith("#"):
            return replace(span, url="")
        return span

    return replace(value, spans=m.map_spans(value.spans, one)) if value.spans else value


def _glossary_entries(guide: m.Guide) -> list[m.GlossaryEntry]:
    """The entries the guide's glossary prints: those of its GlossaryList, which the
    glossary pass fills (only the used ones for an audience) and sorts."""
    return [entry for block in traverse.iter_blocks(guide.sections)
            if isinstance(block, m.GlossaryList) for entry in block.entries]


def _questions(guide: m.Guide) -> list[m.Question]:
    return [q for block in traverse.iter_blocks(guide.sections)
            if isinstance(block, m.Questions) for q in block.items]


def _entry_card(entry: m.GlossaryEntry, markup: MarkupOptions) -> Card:
    subs = markup.substitutes
    term = f"<b>{escape_text(entry.term, subs)}</b>"
    if entry.abbreviation:
        term += f" ({escape_text(entry.abbreviation, subs)})"
    name = plain(entry.term)
    return Card(0, "Glossary", "Definition", (Para(term, "term"),),
                (Para(inline_markup(entry.definition, markup), "centred"),), entry.pos,
                f"the term '{name}'", f"the definition of '{name}'")


def _question_card(q: m.Question, mk: MarkupOptions) -> Card:
    prompt = inline_markup(q.prompt, mk)
    if q.kind == "fill-in":
        prompt = BLANK.sub(FILL_IN, prompt)
    front: list[Piece] = [Para(prompt)]
    if q.kind == "multiple-choice":
        front += [Para(inline_markup(c, mk), "choice", f"{label_of(i + 1, 'a')}.")
                  for i, c in enumerate(q.choices)]
    elif q.kind == "true-false":
        front.append(Para("True / False", "choice"))
    elif q.kind == "matching":
        front.append(Columns(tuple(
            (f"{n}. {inline_markup(left, mk)}",
             f"{label_of(k + 1, 'a')}. {inline_markup(q.pairs[q.shuffled[k]][1], mk)}")
            for k, (n, (left, _)) in enumerate(enumerate(q.pairs, start=1)))))
    if q.kind == "matching":  # one line a pair reads better on a card than the key's "; "
        back: list[Piece] = [
            Para(f"<b>{n}. {inline_markup(left, mk)} \u2013 "
                 f"{label_of(q.shuffled.index(i) + 1, 'a')}. {inline_markup(right, mk)}</b>",
                 "pair")
            for i, (n, (left, right)) in enumerate(enumerate(q.pairs, start=1))]
    elif q.kind == "multiple-choice":  # each right choice on its line, as on the front
        back = [Para(f"<b>{inline_markup(q.choices[i], mk)}</b>", "choice",
                     f"{label_of(i + 1, 'a')}.") for i in q.correct]
    else:
        back = [Para(f"<b>{answer_markup(q, mk)}</b>")]
    if q.explanation is not None:
        back.append(Para(inline_markup(q.explanation, mk), "note"))
    return Card(0, f"Question {q.number}", f"Answer {q.number}", tuple(front), tuple(back),
                q.pos, f"question {q.number}", f"the answer to question {q.number}")


def _glyphs(entries: list[m.GlossaryEntry], questions: list[m.Question],
            style: Style) -> tuple[list[Diagnostic], dict[str, str]]:
    """A warning for each character the cards' fonts lack, and what prints instead:
    the same character in another family that has it, else its code point (as the
    guide itself prints it)."""
    families = (style.body_font, style.heading_font, style.code_font)
    names = [register_family(f) for f in families]
    found: list[Diagnostic] = []
    substitutes: dict[str, str] = {}
    for text, pos in _texts(entries, questions):
        cleaned = clean_text(text)
        missing = missing_glyphs(style.body_font, cleaned) | missing_glyphs(
            style.heading_font, cleaned)
        for char in sorted(missing, key=cleaned.index):
            if char in substitutes:
                continue
            substitutes[char], hint = glyph_substitute(
                char, list(zip(families, names, strict=True)), names[2])
            lacking = style.body_font if missing_glyphs(style.body_font, char) \
                else style.heading_font
            found.append(warning(
                f"the font '{lacking.name}' has no glyph for '{char}' (U+{ord(char):04X}); "
                "it would print as an empty box", pos, hint))
    return found, substitutes


def _texts(entries: list[m.GlossaryEntry],
           questions: list[m.Question]) -> Iterator[tuple[str, m.Pos]]:
    for entry in entries:
        for name in (entry.term, entry.abbreviation or ""):
            yield name, entry.pos
        yield m.plain_text(entry.definition), entry.definition.pos
    for q in questions:
        for value in traverse.block_inlines(m.Questions((q,), q.pos)):
            yield m.plain_text(value), value.pos


# ------------------------------------------------------------------ the pages


def _draw(cards: list[Card], style: Style, faces: Faces,
          meta: m.Meta) -> tuple[bytes, int, list[Diagnostic]]:
    """Front page, back page, for each sheet; warnings for sides that did not fit."""
    grid, lk = card_grid(style), looks(style, faces)
    buffer = PdfSink()
    title = plain(m.plain_text(meta.title))
    canv = new_canvas(buffer, style, faces, title=f"{title}: flashcards" if title else "",
                      author=plain(", ".join(meta.authors)), subject="Flashcards",
                      lang=meta.lang)
    overflows: list[Diagnostic] = []
    per = grid.per_sheet
    sheets = [cards[i:i + per] for i in range(0, len(cards), per)]
    box = text_box(grid.front(0))  # every card is the same size
    for sheet in sheets:
        backs = []
        draw_cut_marks(canv, grid, lk.text)
        for slot, card in enumerate(sheet):
            front, back = fit(card.front, box, lk), fit(card.back, box, lk)
            for fitted, what in ((front, card.front_what), (back, card.back_what)):
                if not fitted.fits:
                    overflows.append(warning(
                        f"{what} does not fit on a card at {lk.minimum:g}pt; "
                        "shorten it or use fewer cards per sheet", card.pos))
            draw_side(canv, grid.front(slot), front, card.label, str(card.number), lk)
            backs.append((slot, card, back))
        canv.showPage()
        # Backs carry no cut marks: the sheet is cut from its front, and marks
        # shifted by a printer's misregistration would only mislead.
        for slot, card, back in backs:
            rect = grid.back(slot, style.card_flip, style.duplex_offset_x, style.duplex_offset_y)
            draw_side(canv, rect, back, card.back_label, str(card.number), lk)
        canv.showPage()
    canv.save()
    return buffer.getvalue(), len(sheets), overflows
