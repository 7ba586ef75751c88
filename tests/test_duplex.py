"""Duplex printing: mirrored margins and running heads, right-hand section starts."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pdfutil
import pytest

from studyguide.api import build_pdf

PAGE_WIDTH, INNER, OUTER = 612.0, 1.25 * 72, 0.5 * 72
BLANK = "This page is intentionally blank."


def project(tmp_path: Path, page: str, sections: list[int]) -> Path:
    """A guide whose sections have the given numbers of filler paragraphs."""
    (tmp_path / "styles").mkdir(parents=True, exist_ok=True)
    (tmp_path / "styles" / "print.yaml").write_text(
        f"page: {{margin-inner: 1.25in, margin-outer: 0.5in, {page}}}\n", encoding="utf-8")
    lines = ["title: Duplex", "style: print", "sections:"]
    for number, paragraphs in enumerate(sections, start=1):
        lines += [f"  - id: s{number}", f"    title: Section {number}", "    blocks:"]
        lines += [f"      - paragraph: Body text line {number}.{n} of the section."
                  for n in range(paragraphs)]
    (tmp_path / "outline").mkdir(exist_ok=True)
    outline = tmp_path / "outline" / "guide.yaml"
    outline.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return outline


Placed = tuple[str, float, float]  # text, x, y


def placed_text(pdf: bytes) -> list[list[Placed]]:
    """Per page, each piece of text with the x and y where it starts."""
    pages = []
    for page in pdfutil.reader(pdf).pages:
        found: list[tuple[str, float, float]] = []

        def visit(text: str, cm: list[float], tm: list[float], *_: object,
                  found: list[tuple[str, float, float]] = found) -> None:
            if text.strip():
                found.append((text.strip(), cm[4] + tm[4] * cm[0], cm[5] + tm[5] * cm[3]))
        page.extract_text(visitor_text=visit)
        pages.append(found)
    return pages


def body_left(page: list[Placed]) -> float:
    return min(x for text, x, _ in page if text.startswith("Body text line"))


@pytest.fixture(scope="module")
def duplex(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, list[list[Placed]]]:
    outline = project(tmp_path_factory.mktemp("duplex"), "duplex: true, section-start: right",
                      [70, 20, 110, 5])
    pdf = build_pdf(outline, strict=True).pdf
    return pdf, placed_text(pdf)


def test_margins_mirror_on_even_and_odd_pages(duplex) -> None:
    _, pages = duplex
    body = [(number, page) for number, page in enumerate(pages, start=1)
            if any(t.startswith("Body text line") for t, _, _ in page)]
    assert {number % 2 for number, _ in body} == {0, 1}
    for number, page in body:
        expected = INNER if number % 2 else OUTER  # the binding side is inside
        assert body_left(page) == pytest.approx(expected, abs=0.5), number


def test_running_heads_sit_at_the_outer_edge(duplex) -> None:
    _, pages = duplex
    checked = 0
    for number, page in enumerate(pages, start=1):
        # the running head names the section: "1  Section 1", at the top of the page
        head = [x for text, x, y in page if y > 740 and text.endswith(("Section 1", "Section 3"))]
        if not head:
            continue
        checked += 1
        if number % 2:  # right-hand page: right-aligned at the outer (right) edge
            assert head[0] > PAGE_WIDTH / 2, number
        else:
            assert head[0] == pytest.approx(OUTER, abs=0.5), number
    assert checked >= 4


def test_each_section_starts_on_a_right_hand_page_with_blanks_only_where_needed(duplex) -> None:
    pdf, pages = duplex
    starts = [mark.page + 1 for mark in pdfutil.bookmarks(pdf) if mark.title != "Contents"]
    blanks = [number for number, page in enumerate(pages, start=1)
              if any(t == BLANK for t, _, _ in page)]
    assert len(starts) == 4 and all(s % 2 for s in starts), starts
    assert blanks, "the section lengths were chosen so that some section needs a blank page"
    for blank in blanks:
        assert [t for t, _, _ in pages[blank - 1]] == [BLANK]  # no header, footer or text
    # A blank page stands exactly where a section ended on a right-hand (odd) page.
    for before, start in pairwise(starts):
        last = max(n for n in range(before, start) if n not in blanks)
        assert (last % 2 == 1) == (start - 1 in blanks), (before, start)
        assert [n for n in blanks if before < n < start] in ([], [start - 1])


def test_without_duplex_nothing_moves(tmp_path: Path) -> None:
    pages = placed_text(build_pdf(project(tmp_path, "duplex: false", [70, 20])).pdf)
    lefts = {round(body_left(page)) for page in pages
             if any(t.startswith("Body text line") for t, _, _ in page)}
    assert lefts == {round(INNER)}
    assert not any(t == BLANK for page in pages for t, _, _ in page)
