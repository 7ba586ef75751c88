"""Readability per section: words, reading grade, pages, glossary terms, uncited paragraphs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from ..model.diagnostics import Diagnostic, error, warning
from ..model.document import (
    CONTAINERS,
    Cite,
    Code,
    GlossRef,
    Guide,
    Inline,
    LineBreak,
    Paragraph,
    Pos,
    Section,
    Span,
    Text,
    walk_spans,
)
from ..model.traverse import block_texts, walk_blocks, walk_sections

if TYPE_CHECKING:
    import pyphen

# Words a printed page holds, by style sheet: 450 for the default 10.5pt body
# on letter paper (a typical textbook page), 250 for large-print's 16pt body.
# A style sheet of the user's own is counted as the default.
WORDS_PER_PAGE = {"default": 450, "grayscale": 450, "large-print": 250}
DEFAULT_WORDS_PER_PAGE = 450

# A word is letters or digits, with inner apostrophes ("don't"); a hyphen splits
# words, as Flesch-Kincaid counts "fight-or-flight" as three.
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")


@dataclass(frozen=True)
class Counts:
    """What the Flesch-Kincaid formula needs of a text."""

    words: int
    sentences: int
    syllables: int

    @property
    def grade(self) -> float:
        """Flesch-Kincaid grade level; 0.0 for a text without words."""
        if not self.words:
            return 0.0
        return (0.39 * (self.words / self.sentences)
                + 11.8 * (self.syllables / self.words) - 15.59)


@dataclass(frozen=True)
class SectionReport:
    """The readability of one top-level section (with its subsections)."""

    section: Section
    counts: Counts
    pages: float
    glossary_terms: int
    uncited: tuple[Pos, ...]  # paragraphs without a citation


@lru_cache(maxsize=1)
def _hyphenator() -> pyphen.Pyphen:
    import pyphen  # here: only `check` counts syllables

    return pyphen.Pyphen(lang="en_US")


def syllables(word: str) -> int:
    """Syllables of one word, as pyphen's en_US hyphenation points count them."""
    return _hyphenator().inserted(word).count("-") + 1


def count_text(texts: list[str]) -> Counts:
    """Words, sentences and syllables of some texts, each at least one sentence if it has words."""
    words = sentences = sylls = 0
    for text in texts:
        found = _WORD.findall(text)
        if not found:
            continue
        words += len(found)
        sylls += sum(syllables(w) for w in found)
        sentences += max(1, len(_SENTENCE_END.findall(text.strip())))
    return Counts(words, max(1, sentences), sylls)


def prose(value: Inline | None) -> str:
    """The text a reader sees, without citations (their rendered text is not prose)."""
    if value is None:
        return ""
    if not value.spans:
        return value.source
    return "".join(_span_text(value.spans))


def _span_text(spans: tuple[Span, ...]) -> Iterator[str]:
    for span in spans:
        if isinstance(span, (Text, Code)):
            yield span.text
        elif isinstance(span, LineBreak):
            yield " "
        elif isinstance(span, CONTAINERS):
            yield from _span_text(span.children)
        # a Cite is skipped, rendered text and all


def _section_inlines(section: Section) -> Iterator[Inline]:
    """The prose of a section and its subsections: every text a block holds but what the
    model marks as not prose (captions, sources, objectives, takeaways, a question's
    choices and answers)."""
    for sub in walk_sections((section,)):
        for block in walk_blocks(sub.blocks):
            yield from (text.inline for text in block_texts(block) if text.prose)


def _has_cite(value: Inline) -> bool:
    return any(isinstance(span, Cite) for span in walk_spans(value.spans))


def words_per_page(style: str) -> int:
    """The words-per-page figure for a style sheet name (see WORDS_PER_PAGE)."""
    return WORDS_PER_PAGE.get(style, DEFAULT_WORDS_PER_PAGE)


def section_report(section: Section, style: str) -> SectionReport:
    """The readability of one top-level section as printed in `style`."""
    inlines = list(_section_inlines(section))
    counts = count_text([prose(i) for i in inlines])
    terms = {span.entry or span.term for i in inlines for span in walk_spans(i.spans)
             if isinstance(span, GlossRef)}
    uncited = tuple(
        block.pos
        for sub in walk_sections((section,))
        for block in walk_blocks(sub.blocks)
        if isinstance(block, Paragraph) and not _has_cite(block.text)
    )
    return SectionReport(section, counts, counts.words / words_per_page(style),
                         len(terms), uncited)


def guide_report(guide: Guide) -> list[SectionReport]:
    """A report for each top-level section of the body (back matter left out)."""
    return [section_report(s, guide.style) for s in guide.sections if not s.unnumbered]


def grade_diagnostics(guide: Guide, reports: list[SectionReport],
                      strict: bool = False) -> list[Diagnostic]:
    """A warning (an error if `strict`) for each section that reads above its
    audience's `reading-grade`."""
    audience = next((a for a in guide.audiences if a.name == guide.audience), None)
    if audience is None or audience.reading_grade is None:
        return []
    target = audience.reading_grade
    report = error if strict else warning
    return [
        report(f"section '{r.section.id}' reads at grade {r.counts.grade:.1f}; "
                f"the {audience.name} audience aims at {target:g} or lower", r.section.pos)
        for r in reports
        if r.counts.grade > target
    ]


def format_table(reports: list[SectionReport]) -> str:
    """The reports as an aligned plain-text table, a row a section."""
    header = ("section", "words", "grade", "pages", "glossary", "uncited")
    rows = [header] + [
        (r.section.id, str(r.counts.words), f"{r.counts.grade:.1f}", f"{r.pages:.1f}",
         str(r.glossary_terms), str(len(r.uncited)))
        for r in reports
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = []
    for row in rows:
        numbers = zip(row[1:], widths[1:], strict=True)
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in numbers]
        lines.append("  ".join(cells).rstrip())
    for r in reports:
        if r.uncited:
            where = ", ".join(f"{p.file}:{p.line}" for p in r.uncited)
            lines.append(f"  {r.section.id}: uncited paragraphs at {where}")
    return "\n".join(lines)
