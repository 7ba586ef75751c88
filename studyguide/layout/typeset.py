"""Paragraph styles and measurements derived once from a Style, for layout to use."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.colors import Color as RLColor
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle

from ..style.types import Color, Style
from .markup import MarkupOptions


def rl_color(color: Color) -> RLColor:
    return RLColor(color.red, color.green, color.blue)


def mix(color: Color, amount: float) -> RLColor:
    """`color` faded towards white by `amount` (0 = as is, 1 = white)."""
    return RLColor(*(c + (1 - c) * amount for c in (color.red, color.green, color.blue)))


@dataclass(frozen=True)
class Faces:
    """Registered ReportLab font names of the three families (regular faces)."""

    body: str
    heading: str
    code: str


def bold(face: str) -> str:
    return f"{face}-Bold"


def _hyphenation(lang: str) -> Callable[[str], list[tuple[str, str]]] | str:
    """A hyphenator for `lang`, or "" when pyphen lacks the language (no hyphenation)."""
    try:
        import pyphen  # here: only a build that lays out paragraphs loads the patterns
    except ImportError:  # pragma: no cover - pyphen is a dependency
        return ""
    code = lang.replace("-", "_")
    for candidate in (code, code.split("_")[0], {"en": "en_US"}.get(code.split("_")[0], "")):
        if candidate and candidate in pyphen.LANGUAGES:
            return _Hyphenator(pyphen.Pyphen(lang=candidate))
    return ""


class _Hyphenator:
    """pyphen's break points, minus those at a hyphen already in the word.

    ReportLab adds its own hyphen to every pyphen break, so a break at an
    existing hyphen printed "fight-" / "-or-flight"; embeddedHyphenation
    already breaks such words after their own hyphens.
    """

    def __init__(self, dictionary: Any) -> None:
        self.dictionary = dictionary

    def __call__(self, word: str) -> list[tuple[str, str]]:
        if "-" in word:
            return []
        return list(self.dictionary.iterate(word))

    def __deepcopy__(self, memo: dict[int, Any]) -> _Hyphenator:
        # ReportLab deep-copies a paragraph's style to split a hanging paragraph
        # (glossary and reference entries); copying the whole pattern dictionary
        # took a fifth of a second each time. The hyphenator never changes.
        return self


@dataclass
class Sheet:
    """Every paragraph style of a guide, plus the sizes that tie them into one rhythm."""

    style: Style
    faces: Faces
    markup: MarkupOptions
    lang: str = "en"
    para: dict[str, ParagraphStyle] = field(default_factory=dict)

    @property
    def unit(self) -> float:
        """One line of body text: every vertical space is a multiple of it."""
        return self.style.body_leading

    @property
    def frame_width(self) -> float:
        s = self.style
        return s.page_width - s.margin_inner - s.margin_outer

    @property
    def frame_height(self) -> float:
        s = self.style
        return s.page_height - s.margin_top - s.margin_bottom

    def heading(self, level: int) -> ParagraphStyle:
        return self.para[f"h{min(level, 4)}"]

    def __post_init__(self) -> None:
        s, f, u = self.style, self.faces, self.unit
        text, muted = rl_color(s.text_color), rl_color(s.muted_color)
        head = rl_color(s.heading_color)
        hy = _hyphenation(self.lang) if s.align == "justify" else ""
        body = ParagraphStyle(
            "body",
            fontName=f.body,
            fontSize=s.body_size,
            leading=s.body_leading,
            textColor=text,
            alignment=TA_JUSTIFY if s.align == "justify" else TA_LEFT,
            spaceAfter=s.paragraph_spacing,
            hyphenationLang=hy,
            embeddedHyphenation=1,
            uriWasteReduce=0.3,
            splitLongWords=1,
            allowWidows=0,
        )
        p = self.para
        p["body"] = body
        p["item"] = ParagraphStyle("item", parent=body, spaceAfter=u * 0.2)
        sizes = s.heading_sizes
        before = (1.6, 1.2, 1.0, 0.8)
        for level in range(1, 5):
            size = sizes[min(level, len(sizes)) - 1]
            p[f"h{level}"] = ParagraphStyle(
                f"h{level}",
                fontName=bold(f.heading),
                fontSize=size,
                leading=round(size * 1.22, 2),
                textColor=head,
                spaceBefore=u * before[level - 1],
                spaceAfter=u * (0.55 if level == 1 else 0.35),
                alignment=TA_LEFT,
                splitLongWords=1,
            )
        small = s.caption_size
        p["caption"] = ParagraphStyle(
            "caption", fontName=f.heading, fontSize=small, leading=small * 1.3,
            textColor=text, alignment=TA_LEFT, spaceAfter=3,
        )
        p["figcaption"] = ParagraphStyle(
            "figcaption", parent=p["caption"], alignment=TA_CENTER, spaceBefore=u * 0.5
        )
        p["source"] = ParagraphStyle(
            "source", parent=p["caption"], textColor=muted, fontSize=small * 0.92,
            leading=small * 1.25,
        )
        p["figsource"] = ParagraphStyle("figsource", parent=p["source"], alignment=TA_CENTER)
        ts = s.table_font_size
        p["cell"] = ParagraphStyle(
            "cell", fontName=f.body, fontSize=ts, leading=round(ts * 1.3, 2),
            textColor=text, alignment=TA_LEFT, splitLongWords=1,
            # Narrow columns break long words; with a hyphen when the language allows.
            hyphenationLang=_hyphenation(self.lang), embeddedHyphenation=1,
        )
        p["label"] = ParagraphStyle(
            "label", parent=p["cell"], fontName=bold(f.body) if s.table_label_bold else f.body
        )
        p["header"] = ParagraphStyle(
            "header", parent=p["cell"], fontName=bold(f.heading),
            textColor=rl_color(s.table_header_color),
        )
        p["callout-label"] = ParagraphStyle(
            "callout-label", fontName=bold(f.heading), fontSize=s.body_size,
            leading=s.body_leading, spaceAfter=u * 0.25,
        )
        # Glossary: entries hang by one em so the bold terms form a column to scan.
        hang = s.body_size
        p["gloss-entry"] = ParagraphStyle(
            "gloss-entry", parent=body, leftIndent=hang, firstLineIndent=-hang,
            spaceAfter=u * 0.4, allowOrphans=0, allowWidows=0,
        )
        p["gloss-letter"] = ParagraphStyle(
            "gloss-letter", fontName=bold(f.heading), fontSize=sizes[min(3, len(sizes)) - 1],
            leading=sizes[min(3, len(sizes)) - 1] * 1.2, textColor=head,
            spaceBefore=u * 0.75, spaceAfter=2,
        )
        p["toc-title"] = ParagraphStyle("toc-title", parent=p["h1"], spaceBefore=0)
        p["toc1"] = ParagraphStyle(
            "toc1", fontName=bold(f.heading), fontSize=s.body_size, leading=s.body_leading,
            textColor=text, spaceBefore=u * 0.5, spaceAfter=u * 0.1,
        )
        p["toc2"] = ParagraphStyle(
            "toc2", fontName=f.body, fontSize=s.body_size, leading=s.body_leading,
            textColor=text, spaceAfter=u * 0.1,
        )
        title = s.title_size
        p["title"] = ParagraphStyle(
            "title", fontName=bold(f.heading), fontSize=title, leading=title * 1.12,
            textColor=head, spaceAfter=u * 0.6,
        )
        p["subtitle"] = ParagraphStyle(
            "subtitle", fontName=f.heading, fontSize=title * 0.55, leading=title * 0.72,
            textColor=muted, spaceAfter=u,
        )
        p["byline"] = ParagraphStyle(
            "byline", fontName=f.body, fontSize=s.body_size * 1.2, leading=s.body_leading * 1.25,
            textColor=text,
        )
        p["dateline"] = ParagraphStyle(
            "dateline", fontName=f.heading, fontSize=s.body_size, leading=s.body_leading,
            textColor=muted,
        )
