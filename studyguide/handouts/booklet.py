"""Booklet imposition: a built guide's pages two to a landscape sheet, in saddle-stitch order.

`impose_booklet` takes the bytes of a built guide and returns the bytes of a
new PDF to print duplex (flip on the short edge), fold in the middle and
staple. Each output page is a landscape sheet of the source paper size (its
width is the source page's height) holding two source pages side by side,
each scaled by the same factor to fit its half and centred in it. The page
count is padded with blank halves to a multiple of four.

Only the pages' drawing survives: links, bookmarks, page labels and other
annotations of the source are dropped, since they would point at pages that
no longer exist. The title, author, subject, keywords, creator and language
are kept. The output is deterministic: the same input gives the same bytes.
"""

from __future__ import annotations

import io

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.errors import PyPdfError
from pypdf.generic import NameObject, TextStringObject

from ..model.diagnostics import GuideError, error

# A PDF's header may follow up to 1 KiB of other bytes (ISO 32000-1, annex H.3).
_HEADER = b"%PDF-"
_HEADER_WINDOW = 1024

# Document information carried over; dates are left out so no stale or
# changing timestamp reaches the booklet, and the producer is now pypdf.
_KEPT_INFO = ("/Title", "/Author", "/Subject", "/Keywords", "/Creator")


def impose_booklet(pdf: bytes) -> bytes:
    """A saddle-stitch booklet of `pdf`: two pages to each side of a landscape sheet.

    The sheet size is the first page's with width and height swapped; a page of
    another size is scaled to fit its half like the rest. Output pages come in
    print order (sheet 1 front, sheet 1 back, sheet 2 front, ...), see
    `booklet_order`. Raises GuideError when `pdf` is not a readable PDF, is
    encrypted, or has no pages.
    """
    reader = _read(pdf)
    sources = list(reader.pages)
    for source in sources:
        _flatten(source)
    page_width, page_height = _size(sources[0])
    sheet_width, sheet_height = page_height, page_width

    writer = PdfWriter()
    for left, right in booklet_order(len(sources)):
        sheet = writer.add_blank_page(width=sheet_width, height=sheet_height)
        for half, number in enumerate((left, right)):
            if number <= len(sources):
                source = sources[number - 1]
                sheet.merge_transformed_page(
                    source, _placement(source, half, sheet_width, sheet_height)
                )
        sheet.compress_content_streams()
    _copy_metadata(reader, writer)

    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def booklet_order(page_count: int) -> list[tuple[int, int]]:
    """The (left, right) 1-based page numbers of each output side, in print order.

    The count is padded to a multiple of four, n; numbers above `page_count`
    are blank halves. Sheet s (from 0) has [n-2s, 1+2s] on its front and
    [2+2s, n-1-2s] on its back, so 8 pages give [8,1], [2,7], [6,3], [4,5].
    """
    n = -(-page_count // 4) * 4
    order: list[tuple[int, int]] = []
    for s in range(n // 4):
        order.append((n - 2 * s, 1 + 2 * s))
        order.append((2 + 2 * s, n - 1 - 2 * s))
    return order


def _read(pdf: bytes) -> PdfReader:
    """The source as a reader with at least one page, or GuideError saying what is wrong."""
    if _HEADER not in pdf[:_HEADER_WINDOW]:
        raise _bad_input("the input is not a PDF (it has no %PDF- header)")
    try:
        reader = PdfReader(io.BytesIO(pdf))
        if reader.is_encrypted:
            raise _bad_input("the PDF is encrypted", "impose the unencrypted guide")
        page_count = len(reader.pages)
    except PyPdfError as exc:
        raise _bad_input(f"the PDF cannot be read ({exc})") from None
    if page_count == 0:
        raise _bad_input("the PDF has no pages")
    return reader


def _bad_input(why: str, hint: str = "give the bytes of a built guide PDF") -> GuideError:
    return GuideError([error(f"cannot make a booklet: {why}", None, hint)])


def _flatten(source: PageObject) -> None:
    """Fold a page's /Rotate into its drawing and drop its annotations, before merging."""
    if source.rotation % 360:
        source.transfer_rotation_to_content()
    # Merging clones annotations, and a link's destination would drag in the
    # whole source page it points at; links are not kept, so none are merged.
    if "/Annots" in source:
        del source[NameObject("/Annots")]


def _size(page: PageObject) -> tuple[float, float]:
    box = page.mediabox
    return float(box.width), float(box.height)


def _placement(
    source: PageObject, half: int, sheet_width: float, sheet_height: float
) -> Transformation:
    """Scale `source` to fit half `half` (0 left, 1 right) of the sheet and centre it there."""
    width, height = _size(source)
    half_width = sheet_width / 2
    scale = min(half_width / width, sheet_height / height)
    x = half * half_width + (half_width - width * scale) / 2
    y = (sheet_height - height * scale) / 2
    box = source.mediabox
    return (
        Transformation()
        .translate(-float(box.left), -float(box.bottom))
        .scale(scale, scale)
        .translate(x, y)
    )


def _copy_metadata(reader: PdfReader, writer: PdfWriter) -> None:
    info = reader.metadata
    if info is not None:
        writer.add_metadata({key: info[key] for key in _KEPT_INFO if key in info})
    lang = reader.root_object.get("/Lang")
    if lang is not None:
        writer.root_object[NameObject("/Lang")] = TextStringObject(str(lang))
