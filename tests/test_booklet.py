"""Booklet imposition: sheet order, placement and size, metadata, determinism, bad input."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.pdfgen.canvas import Canvas

from studyguide.handouts.booklet import booklet_order, impose_booklet
from studyguide.model.diagnostics import GuideError

# Every source page draws its number with its baseline start at the page centre,
# and a "+" mark one inch in from its bottom-left corner.
MARK_INSET = 72.0


def source_pdf(page_count: int, size: tuple[float, float] = LETTER) -> bytes:
    """A guide-like PDF of `page_count` portrait pages of one size, each showing its number."""
    return sized_pdf([size] * page_count)


def sized_pdf(sizes: list[tuple[float, float]]) -> bytes:
    """A guide-like PDF with a page of each size, each showing its number."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=sizes[0], invariant=1, lang="en-GB")
    canvas.setTitle("Ecology Study Guide")
    canvas.setAuthor("A. Teacher")
    canvas.setSubject("Year 10 biology")
    canvas.setKeywords("ecology, revision")
    for number, (width, height) in enumerate(sizes, start=1):
        canvas.setPageSize((width, height))
        canvas.setFont("Helvetica", 96)
        canvas.drawString(width / 2, height / 2, str(number))
        canvas.setFont("Helvetica", 10)
        canvas.drawString(MARK_INSET, MARK_INSET, "+")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


@dataclass(frozen=True)
class Placed:
    text: str
    x: float  # where the text starts, in points on the output page
    y: float


def placed_text(page: object) -> list[Placed]:
    """Every non-blank text run on a page with its start point in page space."""
    found: list[Placed] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append(Placed(text.strip(), x, y))

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    return found


def sides(booklet: bytes) -> list[list[str]]:
    """Each output page's page numbers, left to right."""
    out: list[list[str]] = []
    for page in PdfReader(io.BytesIO(booklet)).pages:
        numbers = [p for p in placed_text(page) if p.text != "+"]
        out.append([p.text for p in sorted(numbers, key=lambda p: p.x)])
    return out


def test_eight_pages_fold_into_two_sheets() -> None:
    assert sides(impose_booklet(source_pdf(8))) == [
        ["8", "1"], ["2", "7"], ["6", "3"], ["4", "5"],
    ]


def test_thirteen_pages_are_padded_to_sixteen_with_blank_halves() -> None:
    booklet = impose_booklet(source_pdf(13))
    width = float(PdfReader(io.BytesIO(booklet)).pages[0].mediabox.width)
    expected = [
        (16, 1), (2, 15), (14, 3), (4, 13), (12, 5), (6, 11), (10, 7), (8, 9),
    ]
    pages = PdfReader(io.BytesIO(booklet)).pages
    assert len(pages) == len(expected)
    for page, (left, right) in zip(pages, expected, strict=True):
        texts = placed_text(page)
        on_left = [p.text for p in texts if p.x < width / 2]
        on_right = [p.text for p in texts if p.x >= width / 2]
        assert on_left == ([str(left), "+"] if left <= 13 else [])
        assert on_right == ([str(right), "+"] if right <= 13 else [])


@pytest.mark.parametrize(
    ("page_count", "first_sides"),
    [(1, [(4, 1), (2, 3)]), (4, [(4, 1), (2, 3)]), (5, [(8, 1), (2, 7), (6, 3), (4, 5)])],
)
def test_order_pads_to_a_multiple_of_four(
    page_count: int, first_sides: list[tuple[int, int]]
) -> None:
    assert booklet_order(page_count) == first_sides


@pytest.mark.parametrize(("size", "name"), [(LETTER, "letter"), (A4, "a4")])
def test_pages_are_scaled_and_centred_in_their_halves(
    size: tuple[float, float], name: str
) -> None:
    page_width, page_height = size
    reader = PdfReader(io.BytesIO(impose_booklet(source_pdf(4, size))))
    sheet_width, sheet_height = page_height, page_width
    scale = min((sheet_width / 2) / page_width, sheet_height / page_height)
    left_over = (sheet_width / 2 - page_width * scale) / 2
    bottom = (sheet_height - page_height * scale) / 2
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(sheet_width), name
        assert float(page.mediabox.height) == pytest.approx(sheet_height), name
        texts = placed_text(page)
        numbers = sorted((p for p in texts if p.text != "+"), key=lambda p: p.x)
        marks = sorted((p for p in texts if p.text == "+"), key=lambda p: p.x)
        assert len(numbers) == len(marks) == 2
        for half, (number, mark) in enumerate(zip(numbers, marks, strict=True)):
            # The source page's centre lands on the centre of its half ...
            assert number.x == pytest.approx((half + 0.5) * sheet_width / 2, abs=0.01)
            assert number.y == pytest.approx(sheet_height / 2, abs=0.01)
            # ... and its corner mark shows the scale and the margins around it.
            origin_x = half * sheet_width / 2 + left_over
            assert mark.x == pytest.approx(origin_x + MARK_INSET * scale, abs=0.01)
            assert mark.y == pytest.approx(bottom + MARK_INSET * scale, abs=0.01)
            assert half * sheet_width / 2 <= mark.x < number.x < (half + 1) * sheet_width / 2


def test_a_page_of_another_size_is_scaled_into_the_first_pages_sheet() -> None:
    booklet = impose_booklet(sized_pdf([LETTER, A4]))
    page = PdfReader(io.BytesIO(booklet)).pages[0]  # [4, 1]: page 1 on the right
    assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
        (LETTER[1], LETTER[0])
    )
    back = PdfReader(io.BytesIO(booklet)).pages[1]  # [2, 3]: the A4 page on the left
    a4_scale = min((LETTER[1] / 2) / A4[0], LETTER[0] / A4[1])
    number = next(p for p in placed_text(back) if p.text == "2")
    assert number.x == pytest.approx(LETTER[1] / 4, abs=0.01)
    mark = next(p for p in placed_text(back) if p.text == "+")
    assert mark.y == pytest.approx((LETTER[0] - A4[1] * a4_scale) / 2 + MARK_INSET * a4_scale)


def test_metadata_and_language_are_kept() -> None:
    reader = PdfReader(io.BytesIO(impose_booklet(source_pdf(3))))
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "Ecology Study Guide"
    assert meta.author == "A. Teacher"
    assert meta.subject == "Year 10 biology"
    assert meta.get("/Keywords") == "ecology, revision"
    assert reader.root_object["/Lang"] == "en-GB"


def test_same_input_gives_identical_bytes() -> None:
    source = source_pdf(6, A4)
    first = impose_booklet(source)
    assert impose_booklet(source) == first
    assert impose_booklet(bytes(source)) == first
    assert "/ID" not in PdfReader(io.BytesIO(first)).trailer


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"", "the input is not a PDF (it has no %PDF- header)"),
        (b"hello, world", "the input is not a PDF (it has no %PDF- header)"),
        (b"%PDF-1.4\n", "the PDF cannot be read"),
    ],
)
def test_bad_input_raises_a_readable_guide_error(data: bytes, why: str) -> None:
    with pytest.raises(GuideError) as caught:
        impose_booklet(data)
    message = str(caught.value)
    assert message.startswith(f"error: cannot make a booklet: {why}")
    assert "hint: give the bytes of a built guide PDF" in message


def test_a_pdf_without_pages_is_refused() -> None:
    from pypdf import PdfWriter

    buffer = io.BytesIO()
    PdfWriter().write(buffer)
    with pytest.raises(GuideError, match="cannot make a booklet: the PDF has no pages"):
        impose_booklet(buffer.getvalue())
