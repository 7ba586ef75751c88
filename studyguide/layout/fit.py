"""Checks that need the style sheet but not ReportLab: tables too wide for the page.

`validate` runs them as well as `build`, so that every table that cannot fit
is reported at once, before any layout.
"""

from __future__ import annotations

from ..model.diagnostics import Diagnostic, error
from ..model.document import Guide, Table, plain_text
from ..model.traverse import iter_blocks
from ..style.types import Style

INCH = 72.0
MIN_COLUMN = 0.55 * INCH  # narrower than this, a column holds about one short word a line


def fmt_inches(points: float) -> str:
    return f"{points / INCH:.2f}".rstrip("0").rstrip(".") + "in"


def table_fit_problem(table: Table, avail: float) -> Diagnostic | None:
    """The error for a table whose columns cannot share `avail` points, or None."""
    columns = len(table.header)
    fit = max(1, int(avail / MIN_COLUMN + 1e-6))  # 6.6in holds exactly 12, not 11.99
    if columns <= fit:
        return None
    number = f" (Table {table.number})" if table.number else ""
    return error(
        f"table '{plain_text(table.caption)}'{number} has {columns} columns; "
        f"at most {fit} fit in the {fmt_inches(avail)} text width",
        table.pos,
        "split it into two tables, move some columns into rows (transpose it), "
        "or use a wider paper size or narrower margins in the style",
    )


def fit_problems(guide: Guide, style: Style) -> list[Diagnostic]:
    """Every table of the guide that cannot fit the text width of `style`'s page."""
    avail = style.page_width - style.margin_inner - style.margin_outer
    found = (table_fit_problem(b, avail) for b in iter_blocks(guide.sections)
             if isinstance(b, Table))
    return [problem for problem in found if problem is not None]
