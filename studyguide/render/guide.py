"""Render: a resolved Guide and a Style to PDF bytes in memory, laying the body out once."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.platypus.doctemplate import LayoutError

from ..layout.markup import MarkupOptions, plain
from ..layout.pages import PageState
from ..layout.story import build_story
from ..layout.typeset import Faces, Sheet
from ..model import document as m
from ..model.diagnostics import Diagnostic, GuideError, error
from ..style.types import Style
from .document import GuideDoc
from .fonts import register_family
from .glyphs import check_glyphs
from .streams import PdfSink


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int  # total pages in the PDF
    warnings: tuple[Diagnostic, ...]
    layout_passes: int  # how many times the body was laid out (always 1)


def render_guide(guide: m.Guide, style: Style, *, strict_glyphs: bool = False) -> Rendered:
    """The guide as PDF bytes; raises GuideError for what cannot be laid out."""
    faces = Faces(
        register_family(style.body_font),
        register_family(style.heading_font),
        register_family(style.code_font),
    )
    diagnostics, substitutes = check_glyphs(guide, style, faces, strict=strict_glyphs)
    if strict_glyphs and diagnostics:
        raise GuideError(list(diagnostics))
    markup = MarkupOptions(
        code_font=faces.code,
        link_color=style.link_color.rgb,
        emphasis=style.emphasis,
        gloss_color=style.glossary_color.rgb,
        substitutes=substitutes,
    )
    sheet = Sheet(style, faces, markup, lang=guide.meta.lang)
    meta = guide.meta
    state = PageState(sheet, guide_title=plain(m.plain_text(meta.title)),
                      edition=guide.edition_label,
                      disclaimer=plain(m.plain_text(guide.disclaimer)),
                      title_page=guide.title_page)
    story = build_story(guide, sheet, state)
    buffer = PdfSink()
    doc = GuideDoc(
        buffer,
        state,
        title=plain(m.plain_text(meta.title)),
        author=plain(", ".join(meta.authors)),
        subject=plain(meta.subject or m.plain_text(meta.subtitle)),
        keywords=[plain(k) for k in meta.keywords],
        lang=meta.lang,
    )
    try:
        doc.build_once(story)
    except LayoutError as exc:
        raise GuideError([_unplaceable(state, exc)]) from None
    return Rendered(buffer.getvalue(), state.pages, tuple(diagnostics), state.passes)


def _unplaceable(state: PageState, exc: LayoutError) -> Diagnostic:
    """ReportLab's LayoutError, said in the user's terms and at the user's position."""
    placing = state.placing
    what = getattr(placing, "what", "some content")
    return error(
        f"{what} does not fit on a page, even on a page of its own",
        getattr(placing, "pos", None),
        "make it shorter or split it in two (a very long table cell, a tall image, "
        "or a box holding something that cannot break across pages)",
    )
