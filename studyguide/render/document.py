"""The document template: title page, front matter numbered apart, then the body with
running heads; the canvas that defines the late forms just before it saves."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from ..layout.flowables import expand_deferred
from ..layout.markup import GLOSS_MENTION_CB, QUESTION_CB
from ..layout.pages import PageState
from .streams import BinaryCanvas


class FinishingCanvas(BinaryCanvas):
    """A canvas that lets the build define late forms just before the real save."""

    def __init__(self, *args: Any, finish: Callable[[Canvas], None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._finish = finish

    def save(self) -> None:
        self._finish(self)
        super().save()


class GuideDoc(BaseDocTemplate):
    """Title page, front matter numbered apart, then the body with running heads."""

    def __init__(self, buffer: Any, state: PageState, **meta: Any) -> None:
        s = state.sheet.style
        super().__init__(
            buffer,
            pagesize=(s.page_width, s.page_height),
            leftMargin=s.margin_inner,
            rightMargin=s.margin_outer,
            topMargin=s.margin_top,
            bottomMargin=s.margin_bottom,
            invariant=1,
            creator="studyguide",
            # The canvas sets an initial font on every page; without this it is
            # Helvetica, one of the 14 standard fonts, referenced but never embedded.
            initialFontName=state.sheet.faces.body,
            initialFontSize=s.body_size,
            **meta,
        )
        self.state = state
        frame = partial(
            Frame, s.margin_inner, s.margin_bottom, state.sheet.frame_width,
            state.sheet.frame_height, leftPadding=0, rightPadding=0, topPadding=0,
            bottomPadding=0,
        )
        templates = [
            PageTemplate("title", [frame(id="title")], onPage=state.on_front_page,
                         onPageEnd=state.end_front_page),
            PageTemplate("front", [frame(id="front")], onPage=state.on_front_page,
                         onPageEnd=state.end_front_page),
            PageTemplate(
                "body", [frame(id="body")], onPage=state.on_body_page,
                onPageEnd=state.end_body_page,
            ),
        ]
        # The first template is the first page's; without a title page that is the body's.
        self.addPageTemplates(templates if state.title_page else templates[::-1])

    def handle_flowable(self, flowables: list[Flowable]) -> None:
        expand_deferred(flowables)
        if not flowables:
            return  # the last sections made nothing
        if flowables and getattr(flowables[0], "pos", None) is not None:
            self.state.placing = flowables[0]
        super().handle_flowable(flowables)

    def build_once(self, story: list[Flowable]) -> None:
        """Lay the story out once and save, defining the late forms at save time."""
        self.build(story, canvasmaker=partial(FinishingCanvas, finish=self.state.finish))

    def beforeDocument(self) -> None:
        self.canv.setNamedCB("sgTocEnd", self.state.toc_line_end)
        self.canv.setNamedCB(GLOSS_MENTION_CB, self.state.gloss_mention)
        self.canv.setNamedCB(QUESTION_CB, self.state.question_drawn)
