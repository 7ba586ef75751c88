"""Flashcard sheets on the page: the card grid, duplex backs, cut marks, text fitted to a card."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from ..layout.typeset import Faces, rl_color
from ..style.types import Style
from .streams import BinaryCanvas, PdfSink

INCH = 72.0
MM = INCH / 25.4
MARGIN = 0.4 * INCH  # around the card area; cut marks live here, and printers need it
MARK_GAP = 4.0  # between the card area and a cut mark, so no mark touches a card
MARK_LENGTH = 16.0
MARK_WIDTH = 0.25
STEP = 0.5  # the font shrinks in steps of this many points


@dataclass(frozen=True)
class Rect:
    x: float  # bottom left, in points from the page's bottom left
    y: float
    width: float
    height: float

    @property
    def top(self) -> float:
        return self.y + self.height

    @property
    def right(self) -> float:
        return self.x + self.width

    def moved(self, dx: float, dy: float) -> Rect:
        return Rect(self.x + dx, self.y + dy, self.width, self.height)


Segment = tuple[float, float, float, float]  # x1, y1, x2, y2


@dataclass(frozen=True)
class Grid:
    """Where the cards of one sheet go: `columns` x `rows` cells, no gutters between them."""

    page_width: float
    page_height: float
    columns: int
    rows: int
    per_sheet: int

    @property
    def area(self) -> Rect:
        """The cards' area: the page inside MARGIN."""
        return Rect(MARGIN, MARGIN, self.page_width - 2 * MARGIN, self.page_height - 2 * MARGIN)

    def cell(self, row: int, column: int) -> Rect:
        """Row 0 is the top row, column 0 the left column."""
        area = self.area
        width, height = area.width / self.columns, area.height / self.rows
        return Rect(area.x + column * width, area.top - (row + 1) * height, width, height)

    def front(self, slot: int) -> Rect:
        """Where the front of the sheet's `slot`th card (from 0, row by row) goes."""
        row, column = divmod(slot, self.columns)
        return self.cell(row, column)

    def back(self, slot: int, flip: str, dx: float = 0.0, dy: float = 0.0) -> Rect:
        """Where its back goes on the back page, drawn upright, so that a duplex printer
        turning the sheet over its `flip` edge ("long" or "short") puts it behind the front.

        On a portrait page the long edge is the left or right one: turning over it
        mirrors left and right, so the column mirrors; turning over the short (top)
        edge mirrors top and bottom, so the row does. The printer's own shift is
        undone by adding the duplex offset (`dx`, `dy`) to every position.
        """
        row, column = divmod(slot, self.columns)
        if flip == "short":
            row = self.rows - 1 - row
        else:
            column = self.columns - 1 - column
        return self.cell(row, column).moved(dx, dy)


def card_grid(style: Style) -> Grid:
    per_sheet = style.cards_per_sheet
    columns = max(1, min(style.card_columns, per_sheet))
    return Grid(style.page_width, style.page_height, columns, math.ceil(per_sheet / columns),
                per_sheet)


def cut_marks(grid: Grid) -> tuple[Segment, ...]:
    """Short lines in the margin continuing every card edge; none reaches the card area."""
    area = grid.area
    xs = [area.x + area.width * i / grid.columns for i in range(grid.columns + 1)]
    ys = [area.y + area.height * j / grid.rows for j in range(grid.rows + 1)]
    near, far = MARK_GAP, MARK_GAP + MARK_LENGTH
    marks: list[Segment] = []
    for x in xs:
        marks.append((x, area.top + near, x, area.top + far))
        marks.append((x, area.y - near, x, area.y - far))
    for y in ys:
        marks.append((area.x - near, y, area.x - far, y))
        marks.append((area.right + near, y, area.right + far, y))
    return tuple(marks)


# ------------------------------------------------------------- card contents


@dataclass(frozen=True)
class Para:
    """One paragraph of a card side, as escaped ReportLab markup."""

    markup: str
    look: str = "text"  # "term", "text", "centred", "choice", "pair" or "note"
    bullet: str = ""  # a hanging label: "a." before a choice


@dataclass(frozen=True)
class Columns:
    """Two columns side by side (a matching question's items), as markup."""

    rows: tuple[tuple[str, str], ...]


Piece = Para | Columns


@dataclass(frozen=True)
class Looks:
    """What a card is set in: faces, colours, and the sizes to fit between."""

    faces: Faces
    text: Any  # ReportLab colours
    heading: Any
    muted: Any
    start: float
    minimum: float


def looks(style: Style, faces: Faces) -> Looks:
    return Looks(faces, rl_color(style.text_color), rl_color(style.heading_color),
                 rl_color(style.muted_color), style.card_font_size,
                 min(style.card_min_font_size, style.card_font_size))


def _paragraph_style(look: str, size: float, lk: Looks) -> ParagraphStyle:
    f = lk.faces
    if look == "term":
        big = size * 1.3
        return ParagraphStyle("card-term", fontName=f.heading, fontSize=big, leading=big * 1.2,
                              textColor=lk.heading, alignment=TA_CENTER, splitLongWords=1)
    scale = 0.88 if look == "note" else 1.0
    base = ParagraphStyle(
        f"card-{look}", fontName=f.body, fontSize=size * scale, leading=size * scale * 1.22,
        textColor=lk.text, alignment=TA_LEFT, splitLongWords=1, spaceAfter=size * 0.3,
        bulletFontName=f.body, bulletFontSize=size,  # else ReportLab's Helvetica
    )
    if look == "centred":
        base.alignment = TA_CENTER
    elif look == "choice":
        base.leftIndent = size * 1.5
        base.spaceAfter = size * 0.15
    elif look == "pair":  # a matching answer: wrapped lines hang under the first
        base.leftIndent = size * 1.2
        base.firstLineIndent = -size * 1.2
        base.spaceAfter = size * 0.15
    elif look == "note":
        base.spaceBefore = size * 0.35
    return base


def flowables(pieces: tuple[Piece, ...], size: float, width: float, lk: Looks) -> list[Flowable]:
    """The pieces set at `size` points, for a text box `width` wide."""
    out: list[Flowable] = []
    for piece in pieces:
        if isinstance(piece, Para):
            style = _paragraph_style(piece.look, size, lk)
            out.append(Paragraph(piece.markup, style, bulletText=piece.bullet or None))
            continue
        cell = _paragraph_style("text", size * 0.92, lk)
        cell.spaceAfter = 0
        rows = [[Paragraph(left, cell), Paragraph(right, cell)] for left, right in piece.rows]
        table = Table(rows, colWidths=[width * 0.42, width * 0.58])
        pad = size * 0.15
        table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("FONTNAME", (0, 0), (-1, -1), lk.faces.body),  # a Table's own font is Helvetica
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), size * 0.4),
            ("TOPPADDING", (0, 0), (-1, -1), pad), ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
        ]))
        out.append(table)
    return out


@dataclass(frozen=True)
class Fitted:
    """One card side set at the largest size that fits (or at the smallest, clipped)."""

    size: float
    fits: bool
    items: tuple[tuple[Flowable, float, float], ...]  # flowable, its height, space above it
    height: float


def _measure(items: list[Flowable], box: Rect) -> Fitted:
    """The items wrapped to the box's width, stacked; `size` is left for the caller."""
    placed = []
    total = 0.0
    for index, item in enumerate(items):
        _, height = item.wrap(box.width, box.height)
        above = 0.0 if index == 0 else max(float(items[index - 1].getSpaceAfter()),
                                           float(item.getSpaceBefore()))
        placed.append((item, float(height), above))
        total += above + height
    return Fitted(0.0, total <= box.height + 0.01, tuple(placed), total)


def fit(pieces: tuple[Piece, ...], box: Rect, lk: Looks) -> Fitted:
    """The side at the largest size from lk.start down to lk.minimum, in steps of STEP,
    that fits in `box`; else at lk.minimum, with `fits` false."""
    sizes = [lk.start - STEP * i for i in range(int((lk.start - lk.minimum) / STEP + 1e-9) + 1)]
    if sizes[-1] > lk.minimum + 1e-9:
        sizes.append(lk.minimum)
    for size in sizes:
        fitted = replace(_measure(flowables(pieces, size, box.width, lk), box), size=size)
        if fitted.fits:
            break
    return fitted


def padding(card: Rect) -> float:
    return min(14.0, 0.075 * min(card.width, card.height))


def label_size(card: Rect) -> float:
    return max(5.0, min(7.5, card.height * 0.045))


def text_box(card: Rect) -> Rect:
    """The part of a card its text may fill: inside the padding, below the label line.

    As much is kept free at the bottom, so that the text's centre is the card's: a
    back's text then lies behind its front's under either flip.
    """
    pad, band = padding(card), label_size(card) * 1.6
    return Rect(card.x + pad, card.y + pad + band, card.width - 2 * pad,
                card.height - 2 * (pad + band))


def draw_side(canv: Canvas, card: Rect, fitted: Fitted, label: str, number: str,
              lk: Looks) -> None:
    """The labels at the card's top, then the text centred in the text box (clipped if
    it did not fit)."""
    pad, small = padding(card), label_size(card)
    canv.saveState()
    canv.setFillColor(lk.muted)
    canv.setFont(lk.faces.heading, small)
    baseline = card.top - pad - small * 0.8
    canv.drawString(card.x + pad, baseline, label)
    canv.drawRightString(card.right - pad, baseline, number)
    box = text_box(card)
    if not fitted.fits:
        path = canv.beginPath()
        path.rect(card.x, card.y, card.width, card.height)
        canv.clipPath(path, stroke=0, fill=0)
    y = box.top - max(0.0, (box.height - fitted.height) / 2)
    for item, height, above in fitted.items:
        y -= above + height
        item.drawOn(canv, box.x, y)
    canv.restoreState()


def draw_cut_marks(canv: Canvas, grid: Grid, color: Any) -> None:
    canv.saveState()
    canv.setStrokeColor(color)
    canv.setLineWidth(MARK_WIDTH)
    canv.lines(list(cut_marks(grid)))
    canv.restoreState()


def new_canvas(buffer: PdfSink, style: Style, faces: Faces, **meta: str) -> Canvas:
    """A deterministic canvas (invariant; dates from SOURCE_DATE_EPOCH) whose initial
    font is an embedded one: ReportLab's default, Helvetica, would not be embedded."""
    canv = BinaryCanvas(buffer, pagesize=(style.page_width, style.page_height), invariant=1,
                  initialFontName=faces.body, initialFontSize=style.body_size,
                  lang=meta.get("lang") or None)
    canv.setCreator("studyguide")
    canv.setTitle(meta.get("title", ""))
    canv.setAuthor(meta.get("author", ""))
    canv.setSubject(meta.get("subject", ""))
    return canv


# ---------------------------------------------------------------- calibration


def calibration_points(style: Style) -> tuple[tuple[str, float, float], ...]:
    """The crosshairs of the calibration front: the centre and one near each corner."""
    w, h, m = style.page_width, style.page_height, 1.1 * INCH
    return (("A", m, h - m), ("B", w - m, h - m), ("C", w / 2, h / 2), ("D", m, m),
            ("E", w - m, m))


def mirrored(style: Style, x: float, y: float) -> tuple[float, float]:
    """Where a point of the front lies on the back page (drawn upright), for the flip."""
    if style.card_flip == "short":
        return x, style.page_height - y
    return style.page_width - x, y


ARM = 18 * MM  # a crosshair's arm
SCALE_AT = 9 * MM  # how far from the point each scale runs


def draw_crosshair(canv: Canvas, name: str, x: float, y: float) -> None:
    canv.line(x - ARM, y, x + ARM, y)
    canv.line(x, y - ARM, x, y + ARM)
    canv.drawString(x + 1.5 * MM, y + 1.5 * MM, name)


def draw_scales(canv: Canvas, name: str, x: float, y: float, small: float) -> None:
    """An x scale above the point and a y scale to its right, -5 to +5 mm, 0 at the point.

    Labels alternate sides, so that neighbours one millimetre apart never touch.
    """
    top, side = y + SCALE_AT, x + SCALE_AT
    canv.line(x - 5 * MM, top, x + 5 * MM, top)
    canv.line(side, y - 5 * MM, side, y + 5 * MM)
    for value in range(-5, 6):
        tick = (2.6 if value % 5 == 0 else 1.5) * MM
        text = f"{value:+d}" if value else "0"
        at_x, at_y = x + value * MM, y + value * MM
        canv.line(at_x, top, at_x, top + tick)
        canv.line(side, at_y, side + tick, at_y)
        if value % 2 == 0:
            canv.drawCentredString(at_x, top + 2.6 * MM + 1.0, text)
            canv.drawString(side + 2.6 * MM + 1.0, at_y - small * 0.35, text)
        else:
            canv.drawCentredString(at_x, top - small - 0.8, text)
            canv.drawRightString(side - 1.0, at_y - small * 0.35, text)
    canv.drawString(x + 5 * MM + 2.0, top - small * 0.35, "x")
    canv.drawCentredString(side, y + 5 * MM + small * 0.6, "y")
    canv.drawString(x - 2 * MM, y - 2.5 * MM - small, name)


def draw_note(canv: Canvas, texts: list[str], box: Rect, lk: Looks, size: float) -> None:
    """Paragraphs of instructions from the top of `box` down."""
    style = ParagraphStyle("calibration", fontName=lk.faces.body, fontSize=size,
                           leading=size * 1.3, textColor=lk.text, spaceAfter=size * 0.5)
    top = box.top
    for markup in texts:
        para = Paragraph(markup, style)
        _, height = para.wrap(box.width, box.height)
        top -= height
        para.drawOn(canv, box.x, top)
        top -= style.spaceAfter
