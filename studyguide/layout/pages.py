"""The page state of one build: running heads, page numbers and what is learnt where.

The body is laid out exactly once. Anything that depends on where later
content lands (TOC page numbers, "page X of Y") is drawn as a reference to a
Form XObject, and the forms are defined in `PageState.finish`, which the
render stage's canvas calls after the last page, when every heading's page
and the page total are known.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable

from .flowables import Heading, TocLine
from .typeset import Sheet, rl_color

_FORM_BOX = (-400.0, -10.0, 400.0, 40.0)  # room for a folio aligned right or left of 0


def roman(n: int) -> str:
    out = []
    for value, digits in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"),
                          (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"),
                          (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out.append(digits)
            n -= value
    return "".join(out)


@dataclass
class PageState:
    """What one build learns while it lays pages out, shared by flowables and templates."""

    sheet: Sheet
    guide_title: str
    toc_lines: dict[str, TocLine] = field(default_factory=dict)
    heading_pages: dict[str, int] = field(default_factory=dict)  # key -> physical page
    first_section_on: dict[int, str] = field(default_factory=dict)
    running: str = ""  # the top-level section in force at the top of the next page
    latest: str = ""  # the last top-level section begun so far
    body_first: int | None = None
    pages: int = 0
    passes: int = 0
    placing: Flowable | None = None  # the flowable being placed, for error messages
    # glossary entry id -> physical pages where the term is used, in order
    mentions: dict[str, list[int]] = field(default_factory=dict)
    question_pages: dict[str, int] = field(default_factory=dict)  # number -> physical page
    edition: str = ""  # "Student edition", printed on the title page and in the footer
    disclaimer: str = ""  # the audience's, printed in the footer beside the edition
    title_page: bool = True  # False: the body starts on page 1, under the title
    blank_pages: set[int] = field(default_factory=set)  # left blank before a right-hand start

    def heading_drawn(self, heading: Heading, page: int) -> None:
        self.heading_pages[heading.key] = page
        if heading.level == 1 and heading.key != "contents":
            self.first_section_on.setdefault(page, heading.outline_title)
            self.latest = heading.outline_title

    def count_pass(self) -> None:
        self.passes += 1

    def body_number(self, physical: int) -> int:
        return physical - (self.body_first or 1) + 1

    @property
    def body_pages(self) -> int:
        return 0 if self.body_first is None else self.pages - self.body_first + 1

    # --------------------------------------------------------- page decoration

    def edges(self, page: int) -> tuple[float, float]:
        """The left and right edges of the text on a physical page. Printed duplex, an
        even (left-hand) page has its inner margin, the binding side, on the right."""
        s = self.sheet.style
        if s.duplex and page % 2 == 0:
            return s.margin_outer, s.page_width - s.margin_inner
        return s.margin_inner, s.page_width - s.margin_outer

    def place_frame(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        """At the start of a page, before its frame is reset: move the frame between the
        page's own margins."""
        left, _ = self.edges(canv.getPageNumber())
        for frame in doc.pageTemplate.frames:
            frame._x2 += left - frame._x1
            frame._x1 = left

    def on_front_page(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        self.place_frame(canv, doc)

    def on_body_page(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        self.place_frame(canv, doc)
        if self.body_first is None:
            self.body_first = canv.getPageNumber()
        # A destination per printed page number, so the glossary's page references link.
        canv.bookmarkPage(f"page-{self.body_number(canv.getPageNumber())}")

    def leave_blank(self, doc: BaseDocTemplate) -> None:
        """End the current, empty, left-hand page as an intentionally blank one."""
        page = doc.page
        self.blank_pages.add(page)
        if self.body_first == page:
            self.body_first = None  # a blank before the first section is front matter
        doc.handle_pageBreak()

    def end_body_page(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        page = canv.getPageNumber()
        self.pages = page
        s, sheet = self.sheet.style, self.sheet
        left, right = self.edges(page)
        canv.saveState()
        canv.setFillColor(rl_color(s.muted_color))
        canv.setFont(sheet.faces.heading, s.small_size)
        if page in self.blank_pages:
            canv.drawCentredString((left + right) / 2, s.page_height / 2,
                                   "This page is intentionally blank.")
            canv.restoreState()
            return
        section = self.first_section_on.get(page, self.running)
        self.running = self.latest
        top = s.page_height - s.margin_top + s.small_size * 2.2
        bottom = s.margin_bottom - s.small_size * 3.2
        canv.setStrokeColor(rl_color(s.muted_color))
        canv.setLineWidth(0.4)
        half = (right - left) * 0.48
        title = _fit(canv, self.guide_title, sheet.faces.heading, s.small_size, half)
        section = _fit(canv, section, sheet.faces.heading, s.small_size, half)
        footer = "  ·  ".join(x for x in (self.edition, self.disclaimer) if x)
        footer = _fit(canv, footer, sheet.faces.heading, s.small_size, (right - left) * 0.8)
        # The section and the page number go to the outer edge, where a reader
        # leafing through a duplex print looks: the left edge of a left-hand page.
        if s.duplex and page % 2 == 0:
            canv.drawRightString(right, top, title)
            canv.drawString(left, top, section)
            canv.drawRightString(right, bottom, footer)
            folio_x, form = left, f"folio-left{page}"
        else:
            canv.drawString(left, top, title)
            canv.drawRightString(right, top, section)
            canv.drawString(left, bottom, footer)
            folio_x, form = right, f"folio{page}"
        canv.line(left, top - s.small_size * 0.6, right, top - s.small_size * 0.6)
        canv.line(left, bottom + s.small_size * 1.4, right, bottom + s.small_size * 1.4)
        canv.translate(folio_x, bottom)
        canv.doForm(form)
        canv.restoreState()

    def end_front_page(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        page = canv.getPageNumber()
        self.pages = page
        if page == 1:
            return  # the title page carries no folio
        s = self.sheet.style
        left, right = self.edges(page)
        canv.saveState()
        canv.setFillColor(rl_color(s.muted_color))
        canv.setFont(self.sheet.faces.heading, s.small_size)
        canv.drawCentredString((left + right) / 2, s.margin_bottom - s.small_size * 3.2,
                               roman(page))
        canv.restoreState()

    def toc_line_end(self, canv: Canvas, kind: str, label: str) -> None:
        """`<onDraw>` callback at the end of a TOC line's text: remember where it stopped."""
        info = canv._curr_tx_info  # the text position, as ReportLab's own TOC reads it
        self.toc_lines[label].text_end = (float(info["cur_x"]), float(info["cur_y"]))

    def gloss_mention(self, canv: Canvas, kind: str, label: str) -> None:
        """`<onDraw>` callback at a glossary mention: remember the page it is on."""
        pages = self.mentions.setdefault(label, [])
        page = canv.getPageNumber()
        if not pages or pages[-1] != page:
            pages.append(page)

    def question_drawn(self, canv: Canvas, kind: str, label: str) -> None:
        """`<onDraw>` callback at a review question: remember its page, for the answer key."""
        self.question_pages.setdefault(label, canv.getPageNumber())

    # --------------------------------------------------------------- at save

    def finish(self, canv: Canvas) -> None:
        """Define every form that pages refer to, now that all pages are known."""
        sheet, s = self.sheet, self.sheet.style
        total = self.body_pages
        for page in range(self.body_first or self.pages + 1, self.pages + 1):
            folio = f"Page {self.body_number(page)} of {total}"
            for name, draw in ((f"folio{page}", canv.drawRightString),
                               (f"folio-left{page}", canv.drawString)):
                canv.beginForm(name, *_FORM_BOX)
                canv.setFillColor(rl_color(s.muted_color))
                canv.setFont(sheet.faces.heading, s.small_size)
                draw(0, 0, folio)
                canv.endForm()
        for key, line in self.toc_lines.items():
            target = self.heading_pages.get(key)
            canv.beginForm(f"toc-{key}", *_FORM_BOX)
            canv.setFillColor(line.para.style.textColor)
            canv.setFont(line.para.style.fontName, line.para.style.fontSize)
            canv.drawRightString(0, 0, str(self.body_number(target)) if target else "")
            canv.endForm()
        canv.addPageLabel(0, "ROMAN_LOWER", 1)
        if self.body_first is not None:
            canv.addPageLabel(self.body_first - 1, "ARABIC", 1)
        canv.showOutline()


def _fit(canv: Canvas, text: str, font: str, size: float, width: float) -> str:
    """`text` shortened with an ellipsis to fit `width` (running heads stay on one line)."""
    if canv.stringWidth(text, font, size) <= width:
        return text
    while text and canv.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"
