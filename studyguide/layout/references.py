"""The reference list: one entry a work, each a link target for its citations.

Author-date styles hang each entry's later lines; numeric styles put the
entry's number, right-aligned, in a column of its own. Every entry starts
with the named destination `ref-KEY` that its citations link to.
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether

from ..model import document as m
from .context import Ctx
from .markup import escape_text, spans_to_markup

SIZE = 0.94  # of the body size: a list of references reads as back matter
SHORT_LIST = 6  # entries; a list this short is not split across pages


def reference_list(block: m.ReferenceList, ctx: Ctx) -> list[Flowable]:
    sheet = ctx.sheet
    body = sheet.para["body"]
    size = sheet.style.body_size * SIZE
    gap = size * 0.6
    column = max((stringWidth(e.label, body.fontName, size) for e in block.entries), default=0)
    indent = column + gap if column else size * 2
    base = ParagraphStyle("reference", parent=body, fontSize=size,
                          leading=body.leading * SIZE, alignment=TA_LEFT,
                          leftIndent=indent, firstLineIndent=0 if column else -indent,
                          spaceAfter=sheet.unit * 0.35)
    pos = block.pos or m.Pos("references", 1, 1)
    subs = sheet.markup.substitutes
    flowables: list[Flowable] = []
    paras: list[Flowable] = []
    for entry in block.entries:
        anchor = f"<a name={quoteattr('ref-' + entry.id)}/>"
        markup = anchor + spans_to_markup(entry.spans, sheet.markup)
        if entry.label:
            # Right-aligned in the number column: the bullet starts where the
            # label's own width ends at the column's edge.
            label_width = stringWidth(entry.label, body.fontName, size)
            style = ParagraphStyle("reference-numbered", parent=base,
                                   bulletIndent=column - label_width, bulletFontSize=size,
                                   bulletFontName=body.fontName)
            para = ctx.para(markup, style, pos,
                            bulletText=escape_text(entry.label, subs))
        else:
            para = ctx.para(markup, base, pos)
        para.what = f"the reference '{entry.id}'"
        paras.append(para)
    # Each entry is kept together (one taller than the frame still splits), and
    # a short list as a whole: it moves to the next page rather than split.
    groups = [paras] if len(paras) <= SHORT_LIST else [[para] for para in paras]
    for group in groups:
        kept = KeepTogether(group)
        kept.pos, kept.what = pos, group[0].what if len(group) == 1 else "the list of references"
        flowables.append(kept)
    return flowables
