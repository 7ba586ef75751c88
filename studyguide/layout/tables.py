"""Comparison tables: column widths, cell styling, and a caption that repeats on every page."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reportlab.platypus import Flowable, Paragraph
from reportlab.platypus import Table as RLTable

from ..model.diagnostics import GuideError, error
from ..model.document import Inline, Table, plain_text
from .fit import MIN_COLUMN, table_fit_problem
from .typeset import Sheet, rl_color

CELL_PAD_X = 6.0
CELL_PAD_TOP = 4.0
CELL_PAD_BOTTOM = 5.0


def check_fits(table: Table, avail: float) -> None:
    """Raise GuideError when the table's columns cannot share `avail` points (say, in a
    callout, narrower than the page checked by fit.fit_problems)."""
    problem = table_fit_problem(table, avail)
    if problem is not None:
        raise GuideError([problem])


def _natural(para: Paragraph) -> tuple[float, float]:
    """(longest word, whole text on one line) widths of a cell's paragraph."""
    para.wrap(1e6, 1e6)
    widths = para.getActualLineWidths0()
    longest = max(widths) if widths else 0.0
    return float(para.minWidth()), float(longest)


def _share(mins: list[float], maxs: list[float], avail: float) -> list[float]:
    """Widths between `mins` and `maxs` that fill `avail`.

    Columns whose whole text fits in a fair share of the width get it all
    (a label column like "Drug 10" should not wrap); the others share what
    is left in proportion to how much wrapping they would otherwise need.
    """
    widths = list(mins)
    open_ = set(range(len(mins)))
    while open_:
        fair = (avail - sum(widths[i] for i in range(len(mins)) if i not in open_)) / len(open_)
        done = {i for i in open_ if maxs[i] <= fair}
        if not done:
            break
        for i in done:
            widths[i] = maxs[i]
        open_ -= done
    room = avail - sum(widths[i] for i in range(len(mins)) if i not in open_)
    need = sum(mins[i] for i in open_)
    if open_ and room < need:  # fixing the short columns starved the long ones
        open_, room, need = set(range(len(mins))), avail, sum(mins)
    slack = sum(maxs[i] - mins[i] for i in open_)
    for i in open_:
        widths[i] = mins[i] + (room - need) * ((maxs[i] - mins[i]) / slack if slack else 0)
    return widths


def column_widths(
    rows: Sequence[Sequence[Paragraph]], avail: float, weights: Sequence[float] | None
) -> list[float]:
    """Column widths summing to `avail`, chosen like an HTML table's auto layout.

    Given weights win. Otherwise every column gets at least its longest word
    (if that fits at all) and the rest of the width goes where the text is
    longest, so short columns are not wrapped and long ones share the slack.
    """
    columns = len(rows[0])
    if weights:
        total = sum(weights)
        return [avail * w / total for w in weights]
    pad = 2 * CELL_PAD_X
    mins = [MIN_COLUMN] * columns
    maxs = [MIN_COLUMN] * columns
    for row in rows:
        for i, para in enumerate(row):
            low, high = _natural(para)
            mins[i] = max(mins[i], low + pad)
            maxs[i] = max(maxs[i], high + pad, mins[i])
    if sum(maxs) <= avail:
        # Everything fits on one line: widen each column in proportion to its text.
        return [m + (avail - sum(maxs)) * m / sum(maxs) for m in maxs]
    if sum(mins) <= avail:
        return _share(mins, maxs, avail)
    # Even the longest words do not fit: shrink the wide columns and let
    # ReportLab break those words (splitLongWords) rather than overflow.
    floor = [MIN_COLUMN] * columns
    excess = [mn - MIN_COLUMN for mn in mins]
    spare, total = avail - sum(floor), sum(excess)
    return [f + spare * e / total if total else f for f, e in zip(floor, excess, strict=True)]


def _commands(sheet: Sheet, rows: int) -> list[tuple]:
    """Header band, zebra rows, thin horizontal rules only (no vertical lines)."""
    s = sheet.style
    rule = rl_color(s.table_rule_color)
    commands: list[tuple] = [
        ("BACKGROUND", (0, 0), (-1, 0), rl_color(s.table_header_background)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        # Cells hold Paragraphs, but the table still sets its own default font
        # (Helvetica, never embedded) unless told otherwise.
        ("FONTNAME", (0, 0), (-1, -1), sheet.faces.body),
        ("FONTSIZE", (0, 0), (-1, -1), s.table_font_size),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD_X),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD_X),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_PAD_TOP),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PAD_BOTTOM),
        ("LINEBELOW", (0, 1), (-1, -2), 0.5, rule),
        ("LINEBELOW", (0, -1), (-1, -1), 0.9, rl_color(s.table_header_background)),
    ]
    if s.table_zebra is not None and rows > 2:
        commands.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), [None, rl_color(s.table_zebra)]))
    return commands


def table_flowable(
    table: Table, avail: float, sheet: Sheet, text: Callable[..., Paragraph]
) -> RLTable:
    """The ReportLab table for `table`, fitted to `avail` points; its header repeats and
    rows taller than a page split inside."""
    columns = len(table.header)
    check_fits(table, avail)
    p = sheet.para
    header = [text(c, p["header"]) for c in table.header]
    body: list[list[Paragraph]] = []
    for number, row in enumerate(table.rows, start=1):
        if len(row) > columns:
            raise GuideError([error(
                f"row {number} of table '{plain_text(table.caption)}' has {len(row)} cells, "
                f"expected {columns}", row[columns].pos)])
        cells = list(row) + [Inline("", table.pos)] * (columns - len(row))
        body.append([text(c, p["label"] if i == 0 else p["cell"]) for i, c in enumerate(cells)])
    weights = table.widths
    if weights is not None and (len(weights) != columns or min(weights) <= 0):
        raise GuideError([error(
            f"table '{plain_text(table.caption)}' gives {len(weights)} column widths for "
            f"{columns} columns", table.pos, "give one positive width a column, or none")])
    widths = column_widths([header, *body], avail, weights)
    return RLTable(
        [header, *body],
        colWidths=widths,
        repeatRows=1,
        splitByRow=1,
        splitInRow=1,
        style=_commands(sheet, len(body) + 1),
        hAlign="LEFT",
    )


MIN_ROWS_BEFORE_BREAK = 3  # a table that fits a page splits only after this many rows


class CaptionedTable(Flowable):
    """Caption above, table, source line below; on a new page the caption says "(continued)"."""

    def __init__(
        self,
        caption: Paragraph,
        table: RLTable,
        source: Paragraph | None,
        *,
        continued: Callable[[], Paragraph],
        space: float,
        pos: object = None,
        page_height: float | None = None,
    ) -> None:
        super().__init__()
        self.page_height = page_height  # a table this short moves whole rather than split thin
        self.caption = caption
        self.table = table
        self.source = source
        self.continued = continued
        self.space = space
        self.pos = pos
        self._parts: list[tuple[Flowable, float]] = []

    def getSpaceBefore(self) -> float:
        return self.space

    def getSpaceAfter(self) -> float:
        return self.space

    def _pieces(self) -> list[Flowable]:
        return [p for p in (self.caption, self.table, self.source) if p is not None]

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self._parts = []
        total = 0.0
        for piece in self._pieces():
            _, h = piece.wrapOn(self.canv, aw, ah)
            gap = 0.0 if piece is self.caption else 4.0
            self._parts.append((piece, total + gap + h))
            total += gap + h
        self.width, self.height = aw, total
        return aw, total

    def split(self, aw: float, ah: float) -> list[Flowable]:
        _, ch = self.caption.wrapOn(self.canv, aw, ah)
        room = ah - ch - 4.0
        if room <= 0:
            return []
        parts = self.table.splitOn(self.canv, aw, room)
        if len(parts) < 2:
            return []
        rows_here = len(parts[0]._cellvalues) - 1  # below the header row
        _, height = self.wrap(aw, ah)
        fits_a_page = self.page_height is not None and height <= self.page_height
        if fits_a_page and rows_here < MIN_ROWS_BEFORE_BREAK:
            return []  # the header and a row or two would be stranded; start on the next page
        first = CaptionedTable(
            self.caption, parts[0], None, continued=self.continued, space=self.space, pos=self.pos
        )
        rest = CaptionedTable(
            self.continued(), parts[1], self.source,
            continued=self.continued, space=self.space, pos=self.pos,
        )
        return [first, rest]

    def draw(self) -> None:
        for piece, bottom in self._parts:
            piece.drawOn(self.canv, 0, self.height - bottom)
