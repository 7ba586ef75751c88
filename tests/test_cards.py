"""Flashcards: cards from glossary and questions, duplex backs, cut marks, fitting, calibration."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pdfutil
import pytest
from pypdf.generic import ContentStream
from reportlab.pdfbase import pdfmetrics
from test_resolve import write  # files into a project folder, returning its outline

from studyguide.api import load_guide, load_sheet
from studyguide.handouts.cards import build_cards, calibration_pdf
from studyguide.model.diagnostics import GuideError
from studyguide.render.cards import MARGIN, MM, calibration_points, card_grid, cut_marks
from studyguide.style.types import Style

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "outline" / "norepinephrine.yaml"
A4 = {"paper": "a4", "page_width": 595.28, "page_height": 841.89}

QUESTIONS = """\
      - questions:
          - multiple-choice: Which gland releases it as a hormone?
            choices: [The thyroid, The adrenal glands, The pancreas]
            answer: The adrenal glands
            explanation: Quokka explains it.
          - fill-in: It is made from ___.
            answer: dopamine
          - matching: Match each organ to its reaction.
            pairs:
              - [Eyes, Pupils widen]
              - [Heart, Beats harder]
          - true-false: "It is made from *tyrosine* & <b>tags</b>."
            answer: true
"""


def outline(blocks: str = "      - paragraph: Text.\n", options: str = "") -> str:
    return ("title: Cards\nglossary: ../sections/glossary.yaml\n" + options
            + "sections:\n  - id: one\n    title: One\n    blocks:\n" + blocks)


def terms(*entries: tuple[str, str]) -> str:
    """A glossary file; JSON is YAML, and quotes every odd character safely."""
    return json.dumps({"terms": [{"term": t, "definition": d} for t, d in entries]}, indent=1,
                      ensure_ascii=False)


def project(tmp_path: Path, entries: list[tuple[str, str]], blocks: str | None = None,
            **files: str) -> Path:
    return write(tmp_path, {"outline/guide.yaml": outline(blocks or "      - paragraph: Text.\n"),
                            "sections/glossary.yaml": terms(*entries), **files})


def cards_of(path: Path, style: Style | None = None, **kw: Any) -> tuple[Any, Style]:
    loaded = load_guide(path)
    sheet = style or load_sheet(loaded)
    return build_cards(loaded.guide, sheet, **kw), sheet


# --------------------------------------------------------- reading the PDF


@dataclass(frozen=True)
class Run:
    """One piece of text as drawn: where its baseline starts, its font and size."""

    text: str
    x: float
    y: float
    font: str
    size: float

    @property
    def centre(self) -> tuple[float, float]:
        return self.x + width(self) / 2, self.y + self.size * 0.3


def runs(pdf: bytes) -> list[list[Run]]:
    """Every page's text runs, in page coordinates."""
    pages: list[list[Run]] = []
    for page in pdfutil.reader(pdf).pages:
        found: list[Run] = []

        def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float,
                  found: list[Run] = found) -> None:
            if not text.strip():
                return
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            name = str(font["/BaseFont"]).split("+")[-1] if font else ""
            found.append(Run(text.strip(), x, y, name, size * math.hypot(tm[0], tm[1])))

        page.extract_text(visitor_text=visit)
        pages.append(found)
    return pages


def width(run: Run) -> float:
    """The run's width, measured with the registered font whose PostScript name it has."""
    (name,) = [n for n in pdfmetrics.getRegisteredFontNames()
               if getattr(pdfmetrics.getFont(n).face, "name", b"") == run.font.encode()]
    return pdfmetrics.stringWidth(run.text, name, run.size)


def find(page: list[Run], text: str) -> Run:
    (run,) = [r for r in page if r.text == text]
    return run


def lines(pdf: bytes, page: int) -> list[tuple[float, float, float, float]]:
    """The straight lines a page strokes: `x y m x y l` pairs of its content stream."""
    r = pdfutil.reader(pdf)
    ops = ContentStream(r.pages[page].get_contents(), r).operations
    found, start = [], None
    for operands, op in ops:
        if op == b"m":
            start = tuple(float(v) for v in operands)
        elif op == b"l" and start is not None:
            end = tuple(float(v) for v in operands)
            found.append((*start, *end))
            start = end
    return found


def page_size(pdf: bytes, page: int = 0) -> tuple[float, float]:
    box = pdfutil.reader(pdf).pages[page].mediabox
    return float(box.width), float(box.height)


# ------------------------------------------------------------------- tests


ENTRIES = [(f"Term{n}", f"Def{n} here") for n in range(1, 6)]


@pytest.mark.parametrize("flip", ["long", "short"])
def test_each_back_lies_behind_its_front(tmp_path: Path, flip: str) -> None:
    style_sheet = ("extends: default\ncards:\n  flip: " + flip
                   + "\n  duplex-offset: {x: 4mm, y: -6mm}\n")
    path = write(tmp_path, {
        "outline/guide.yaml": outline(options="style: cards\n"),
        "sections/glossary.yaml": terms(*ENTRIES),
        "styles/cards.yaml": style_sheet,
    })
    result, style = cards_of(path)
    assert (style.card_flip, round(style.duplex_offset_x / MM, 6)) == (flip, 4)
    assert result.warnings == ()
    front, back = runs(result.pdf)
    w, h = style.page_width, style.page_height
    dx, dy = 4 * MM, -6 * MM
    for n in range(1, 6):
        fx, fy = find(front, f"Term{n}").centre
        bx, by = find(back, f"Def{n} here").centre
        ex, ey = (w - fx, fy) if flip == "long" else (fx, h - fy)
        # Vertically the two texts' line boxes are centred on the card; their
        # glyphs' centres differ by up to ~3pt (another face, size and ascent).
        assert abs(bx - (ex + dx)) < 1 and abs(by - (ey + dy)) < 3.5, (n, bx, by, ex, ey)


@pytest.mark.parametrize("paper", [{}, A4])
def test_eight_cards_a_sheet_by_default(tmp_path: Path, paper: dict[str, Any],
                                        make_style: Callable[..., Style]) -> None:
    style = make_style(**paper)
    grid = card_grid(style)
    assert (grid.columns, grid.rows, grid.per_sheet) == (2, 4, 8)
    result, _ = cards_of(project(tmp_path, [(f"T{n}", "D") for n in range(9)]), style)
    assert (result.cards, result.sheets) == (9, 2)
    assert len(pdfutil.reader(result.pdf).pages) == 4
    assert page_size(result.pdf) == pytest.approx((style.page_width, style.page_height), abs=0.01)
    # the cards fill the page inside the margin, edge to edge
    cells = [grid.front(slot) for slot in range(8)]
    assert cells[0].x == MARGIN and cells[1].right == pytest.approx(style.page_width - MARGIN)
    assert cells[7].y == pytest.approx(MARGIN) and cells[0].top == pytest.approx(
        style.page_height - MARGIN)
    assert cells[2].top == pytest.approx(cells[0].y)  # no gutter between rows


def test_per_sheet_and_columns_and_page_order(tmp_path: Path,
                                             make_style: Callable[..., Style]) -> None:
    style = make_style(cards_per_sheet=6, card_columns=3)
    result, _ = cards_of(project(tmp_path, [(f"T{n:02d}", f"D{n:02d}") for n in range(1, 14)]),
                         style)
    assert (result.cards, result.sheets) == (13, 3)
    pages = pdfutil.page_lines(result.pdf)
    assert len(pages) == 6
    for sheet in range(3):
        numbers = range(sheet * 6 + 1, min(13, sheet * 6 + 6) + 1)
        front, back = " ".join(pages[2 * sheet]), " ".join(pages[2 * sheet + 1])
        assert all(f"T{n:02d}" in front and f"D{n:02d}" not in front for n in numbers)
        assert all(f"D{n:02d}" in back and f"T{n:02d}" not in back for n in numbers)
        assert "Glossary" in front and "Definition" in back
    grid = card_grid(style)
    assert (grid.columns, grid.rows) == (3, 2)
    assert grid.back(0, "long") == grid.front(2) and grid.back(0, "short") == grid.front(3)


@pytest.mark.parametrize("shape", [(8, 2), (6, 3), (5, 2), (1, 1), (12, 4)])
def test_cut_marks_lie_outside_the_cards(shape: tuple[int, int],
                                         make_style: Callable[..., Style]) -> None:
    style = make_style(cards_per_sheet=shape[0], card_columns=shape[1])
    grid = card_grid(style)
    area = grid.area
    marks = cut_marks(grid)
    for x1, y1, x2, y2 in marks:
        assert min(x1, x2) >= 0 and max(x1, x2) <= style.page_width
        assert min(y1, y2) >= 0 and max(y1, y2) <= style.page_height
        # wholly left, right, above or below the card area: never over a card
        assert (max(x1, x2) < area.x or min(x1, x2) > area.right
                or max(y1, y2) < area.y or min(y1, y2) > area.top)
    # every card edge is marked at both ends
    edges_x = {round(grid.front(s).x, 3) for s in range(grid.per_sheet)} | {
        round(grid.front(s).right, 3) for s in range(grid.per_sheet)}
    assert edges_x <= {round(x1, 3) for x1, _, x2, _ in marks if x1 == x2}
    assert len(marks) == 2 * (grid.columns + 1) + 2 * (grid.rows + 1)


def test_cut_marks_in_the_pdf(tmp_path: Path) -> None:
    result, style = cards_of(project(tmp_path, ENTRIES))
    drawn = lines(result.pdf, 0)
    expected = cut_marks(card_grid(style))
    assert sorted(tuple(round(v, 2) for v in s) for s in drawn) == sorted(
        tuple(round(v, 2) for v in s) for s in expected)
    assert lines(result.pdf, 1) == []  # backs carry no cut marks


LONG = ("Norepinephrine is a chemical messenger that works both as a neurotransmitter "
        "and as a hormone; it takes part in the fight-or-flight response, raises blood "
        "pressure, sharpens attention and is given as a medicine in shock. ") * 3
OVERLONG = "Word " * 600 + "Lastword."


def test_a_long_definition_shrinks_but_fits(tmp_path: Path) -> None:
    result, style = cards_of(project(tmp_path, [("Short", "Brief."), ("Longterm", LONG)]))
    assert result.warnings == ()
    back = runs(result.pdf)[1]
    short = [r.size for r in back if r.text.startswith("Brief")]
    long = {r.size for r in back if r.font.endswith("SourceSerifPro-Regular")
            and r.size != short[0]}
    assert short == [style.card_font_size]
    (size,) = long
    assert style.card_min_font_size <= size < style.card_font_size
    text = " ".join(" ".join(pdfutil.page_lines(result.pdf)[1]).split())
    assert " ".join(LONG.split()) in text.replace("- ", "-")  # every word is there


def test_an_overlong_definition_is_a_warning_naming_the_term(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    glossary = ("terms:\n  - term: Short\n    definition: Brief.\n"
                f"  - term: Longterm\n    definition: {OVERLONG}\n")
    path = write(tmp_path, {"outline/guide.yaml": outline(),
                            "sections/glossary.yaml": glossary})
    result, _ = cards_of(path)
    [problem] = result.warnings
    assert problem.format() == (
        "sections/glossary.yaml:4:5: warning: the definition of 'Longterm' does not fit on "
        "a card at 7pt; shorten it or use fewer cards per sheet")
    assert result.cards == 2


def test_text_is_text(tmp_path: Path) -> None:
    term = 'A<b> & "q" \'s\' > α β 😀'
    definition = "x < y & z > w; <i>not markup</i> &amp; αβ"
    result, _ = cards_of(project(tmp_path, [(term, definition)]))
    front, back = (" ".join(page) for page in pdfutil.page_lines(result.pdf))
    shown = term.replace("😀", "[U+1F600]")  # no font has it: printed as its code point
    assert shown in front or term in front
    assert definition in back
    for leak in ("<font", "&amp;amp;", "&lt;", "<b>A"):
        assert leak not in front + back
    assert [w.message for w in result.warnings] == [
        "the font 'SourceSerifPro' has no glyph for '😀' (U+1F600); it would print as an "
        "empty box"]


def test_questions_make_cards_with_answers_behind(tmp_path: Path) -> None:
    path = project(tmp_path, ENTRIES, QUESTIONS)
    result, _ = cards_of(path, sources=("questions",))
    assert (result.cards, result.sheets, result.warnings) == (4, 1, ())
    front, back = (" ".join(" ".join(page).split()) for page in pdfutil.page_lines(result.pdf))
    assert "Term1" not in front and "Def1" not in back
    assert "Question 1" in front and "Question 4" in front
    assert "a. The thyroid b. The adrenal glands c. The pancreas" in front
    assert "It is made from __________." in front
    assert "It is made from tyrosine & <b>tags</b>. True / False" in front
    assert "Answer 1" in back and "b. The adrenal glands Quokka explains it." in back
    assert "dopamine" in back and "True" in back
    for left, right in (("Eyes", "Pupils widen"), ("Heart", "Beats harder")):
        assert left in front and right in front
        assert any(f"{left} – {letter}. {right}" in back for letter in "ab")
    italic = [r for r in runs(result.pdf)[0] if r.text.startswith("tyrosine")]
    assert italic and italic[0].font.endswith("-It")  # *tyrosine* keeps its emphasis


def test_glossary_only_and_both_in_order(tmp_path: Path) -> None:
    path = project(tmp_path, ENTRIES, QUESTIONS)
    only, _ = cards_of(path, sources=("glossary",))
    assert only.cards == 5 and "Question" not in " ".join(pdfutil.page_texts(only.pdf))
    both, _ = cards_of(path)
    assert both.cards == 9
    labels = [r.text for r in runs(both.pdf)[0] if r.text in ("Glossary", "Question 1",
                                                              "Question 2", "Question 3")]
    assert labels == ["Glossary"] * 5 + ["Question 1", "Question 2", "Question 3"]
    assert "Question 4" in pdfutil.page_texts(both.pdf)[2]
    with pytest.raises(ValueError):
        cards_of(path, sources=("pictures",))


def test_an_audience_gets_only_the_terms_its_text_uses(tmp_path: Path) -> None:
    options = "audiences:\n  - name: short\n"
    blocks = "      - paragraph: Uses [[Term2]] and [[term4]].\n"
    path = write(tmp_path, {"outline/guide.yaml": outline(blocks, options),
                            "sections/glossary.yaml": terms(*ENTRIES)})
    loaded = load_guide(path, audience="short")
    result = build_cards(loaded.guide, load_sheet(loaded))
    text = " ".join(pdfutil.page_texts(result.pdf))
    assert result.cards == 2 and "Term2" in text and "Term4" in text and "Term1" not in text


def test_citations_and_glossary_marks_print_as_text_without_links(tmp_path: Path) -> None:
    refs = "references:\n  - id: smith\n    type: book\n    title: Book\n" \
           "    author: [{family: Smith, given: A}]\n    issued: {date-parts: [[2020]]}\n"
    entries = [("Alpha", "First [[Beta]], see [@smith]."), ("Beta", "Second.")]
    path = write(tmp_path, {
        "outline/guide.yaml": outline("      - paragraph: '[[Alpha]] [[Beta]] [@smith]'\n",
                                      "bibliography: ../sections/refs.yaml\n"),
        "sections/glossary.yaml": terms(*entries), "sections/refs.yaml": refs})
    result, _ = cards_of(path)
    back = " ".join(" ".join(pdfutil.page_lines(result.pdf)[1]).split())
    assert "First Beta, see (Smith, 2020)." in back
    assert pdfutil.links(result.pdf) == [[], []]


def test_nothing_to_make_cards_from(tmp_path: Path) -> None:
    with pytest.raises(GuideError, match="no cards to make: the guide has no review questions"):
        cards_of(project(tmp_path, ENTRIES), sources=("questions",))


@pytest.fixture(scope="module")
def shipped() -> tuple[Any, Any]:
    loaded = load_guide(SHIPPED, audience="pharmacology")
    return loaded, build_cards(loaded.guide, load_sheet(loaded))


def test_shipped_guide_makes_cards_without_warnings(shipped: tuple[Any, Any]) -> None:
    loaded, result = shipped
    assert result.warnings == ()
    fonts = pdfutil.fonts(result.pdf)
    assert fonts and all(fonts.values()), fonts
    assert not any("Helvetica" in name or "Times" in name for name in fonts)
    questions = sum(len(b.items) for b in _blocks(loaded.guide) if type(b).__name__ == "Questions")
    assert result.cards == len(loaded.guide.glossary.entries) + questions
    assert len(pdfutil.reader(result.pdf).pages) == 2 * math.ceil(result.cards / 8)
    again = build_cards(loaded.guide, load_sheet(loaded))
    assert again.pdf == result.pdf


def _blocks(guide: Any) -> list[Any]:
    from studyguide.model.traverse import iter_blocks

    return list(iter_blocks(guide.sections))


def test_source_date_epoch_dates_the_cards(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    result, _ = cards_of(project(tmp_path, ENTRIES))
    assert pdfutil.metadata(result.pdf)["/CreationDate"].startswith("D:20231114")


@pytest.mark.parametrize("flip", ["long", "short"])
@pytest.mark.parametrize("paper", [{}, A4])
def test_calibration_sheet(flip: str, paper: dict[str, Any],
                           make_style: Callable[..., Style]) -> None:
    style = make_style(card_flip=flip, duplex_offset_x=5.0, duplex_offset_y=-3.0, **paper)
    pdf = calibration_pdf(style)
    assert len(pdfutil.reader(pdf).pages) == 2
    assert page_size(pdf, 0) == pytest.approx((style.page_width, style.page_height), abs=0.01)
    fonts = pdfutil.fonts(pdf)
    assert fonts and all(fonts.values()), fonts
    front, back = runs(pdf)
    text = " ".join(r.text for r in back)
    assert "duplex-offset" in text and "does not apply the current offset" in text
    w, h = style.page_width, style.page_height
    zeros = [r.centre for r in back if r.text == "0"]
    for name, x, y in calibration_points(style):
        assert find(front, name).x == pytest.approx(x + 1.5 * MM)
        mx, my = (w - x, y) if flip == "long" else (x, h - y)
        # the x scale's 0, centred on the point's mirror, unshifted by the current offset
        assert any(abs(zx - mx) < 0.5 and 0 < zy - my < 15 * MM for zx, zy in zeros), name
        # Scales count up to the right and upwards, the directions the offset moves the
        # backs in: a back printed 2mm to the left puts the front's line at +2 = the offset.
        near = [r for r in back if abs(r.x - mx) < 15 * MM and abs(r.y - my) < 15 * MM]
        x_scale = {r.text: r.centre[0] - mx for r in near if r.y > my + 5 * MM}
        y_scale = {r.text: r.centre[1] - my for r in near if r.x > mx + 5 * MM}
        for value in ("-4", "+4", "-2", "+2"):
            assert x_scale[value] == pytest.approx(int(value) * MM, abs=0.3)
            assert y_scale[value] == pytest.approx(int(value) * MM, abs=0.8)


def test_calibration_and_cards_are_deterministic(tmp_path: Path, style: Style) -> None:
    assert calibration_pdf(style) == calibration_pdf(style)
    path = project(tmp_path, ENTRIES, QUESTIONS)
    assert cards_of(path, style)[0].pdf == cards_of(path, style)[0].pdf

