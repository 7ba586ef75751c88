"""pypdf helpers for tests: text per page, bookmarks, links, fonts and metadata of a PDF."""

from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def page_texts(pdf: bytes) -> list[str]:
    """The extracted text of every page, in order, with no-break spaces made plain."""
    return [(p.extract_text() or "").replace("\xa0", " ") for p in reader(pdf).pages]


def page_lines(pdf: bytes) -> list[list[str]]:
    """Each page's text lines, whitespace collapsed, empty lines dropped."""
    return [
        [" ".join(line.split()) for line in text.splitlines() if line.strip()]
        for text in page_texts(pdf)
    ]


def page_labels(pdf: bytes) -> list[str]:
    return list(reader(pdf).page_labels)


@dataclass(frozen=True)
class Bookmark:
    level: int  # 0 for a top-level entry
    title: str
    page: int  # 0-based page index
    top: float | None  # the y its destination scrolls to, in points from the page bottom


def bookmarks(pdf: bytes) -> list[Bookmark]:
    """The outline as a flat list in reading order."""
    r = reader(pdf)
    out: list[Bookmark] = []

    def walk(items: list, level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                top = item.get("/Top")
                out.append(Bookmark(level, str(item.title), r.get_destination_page_number(item),
                                    None if top is None else float(top)))

    walk(r.outline, 0)
    return out


@dataclass(frozen=True)
class LinkAnnot:
    rect: tuple[float, float, float, float]
    page: int | None  # destination page index for an internal link
    uri: str | None  # target of a web link


def links(pdf: bytes) -> list[list[LinkAnnot]]:
    """The link annotations of each page."""
    r = reader(pdf)
    pages = {p.indirect_reference.idnum: i for i, p in enumerate(r.pages)}
    named = r.named_destinations
    result: list[list[LinkAnnot]] = []
    for page in r.pages:
        found: list[LinkAnnot] = []
        for ref in page.get("/Annots", []) or []:
            annot = ref.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            rect = tuple(float(v) for v in annot["/Rect"])
            dest = annot.get("/Dest")
            action = annot.get("/A")
            uri = None
            if isinstance(action, (DictionaryObject, IndirectObject)):
                action = action.get_object()
                uri = action.get("/URI")
                dest = action.get("/D", dest)
            target = None
            if isinstance(dest, str) and dest in named:
                target = r.get_destination_page_number(named[dest])
            elif isinstance(dest, ArrayObject) and isinstance(dest[0], IndirectObject):
                target = pages.get(dest[0].idnum)
            found.append(LinkAnnot(rect, target, None if uri is None else str(uri)))  # type: ignore[arg-type]
        result.append(found)
    return result


def fonts(pdf: bytes) -> dict[str, bool]:
    """Every font the pages (and their forms) use: base name -> whether its file is embedded."""
    r = reader(pdf)
    found: dict[str, bool] = {}

    def visit(resources: DictionaryObject | None) -> None:
        if not resources:
            return
        for ref in (resources.get("/Font") or {}).values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target.get("/FontDescriptor")
            embedded = bool(descriptor) and any(
                k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            found[str(font["/BaseFont"])] = embedded
        for ref in (resources.get("/XObject") or {}).values():
            xobject = ref.get_object()
            visit(xobject.get("/Resources"))

    for page in r.pages:
        resources = page.get("/Resources")
        visit(resources.get_object() if resources is not None else None)
    return found


def metadata(pdf: bytes) -> dict[str, str]:
    r = reader(pdf)
    info = {k: str(v) for k, v in (r.metadata or {}).items()}
    lang = r.trailer["/Root"].get("/Lang")
    if lang is not None:
        info["/Lang"] = str(lang)
    return info
