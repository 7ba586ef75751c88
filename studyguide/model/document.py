"""The document model: plain frozen data classes shared by every stage.

Nothing here knows about YAML or ReportLab. Every node carries the position
of the YAML node it came from, so any later stage can point into the user's
file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Pos:
    """A place in a user's file; line and column count from 1."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


# ---------------------------------------------------------------- inline text


@dataclass(frozen=True, slots=True)
class Text:
    text: str


@dataclass(frozen=True, slots=True)
class Code:
    text: str


@dataclass(frozen=True, slots=True)
class Strong:
    children: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Emph:
    children: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Link:
    url: str
    children: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Shaped:
    """Text set apart by its shape: `superscript`, `subscript` or `smallcaps` (as a
    citation style asks for them)."""

    shape: str  # one of SHAPES
    children: tuple[Span, ...]


SHAPES = ("superscript", "subscript", "smallcaps")


@dataclass(frozen=True, slots=True)
class LineBreak:
    pass


@dataclass(frozen=True, slots=True)
class CiteItem:
    """One work in a citation: `[see @key, p. 3]` has prefix "see", suffix "p. 3"."""

    key: str
    prefix: str = ""
    suffix: str = ""  # the locator and whatever follows the key, without the leading comma
    suppress_author: bool = False  # `[-@key]`


@dataclass(frozen=True, slots=True)
class Cite:
    """A Pandoc citation: `[@a; @b, p. 3]`, or narrative `@key`.

    `rendered` is None until the citations pass has formatted it in the
    guide's citation style; until then it prints as `source`.
    """

    items: tuple[CiteItem, ...]
    narrative: bool
    source: str  # as written, e.g. "[@cleveland2022]"
    offset: int = 0  # where it starts in its Inline's source
    rendered: tuple[Span, ...] | None = None  # None: not formatted; () a style prints nothing


@dataclass(frozen=True, slots=True)
class GlossRef:
    """A glossary mention, `[[term]]` or `[[term|shown text]]`.

    `entry` is the id of the glossary entry, set by the glossary pass.
    """

    term: str
    children: tuple[Span, ...]  # what the reader sees
    offset: int = 0
    entry: str = ""


@dataclass(frozen=True, slots=True)
class Blank:
    """A worksheet's blank where a glossary term was; `answer` is the term as shown."""

    answer: str


Span = Text | Code | Strong | Emph | Link | Shaped | LineBreak | Cite | GlossRef | Blank
# The spans that hold other spans, as `children`.
CONTAINERS = (Strong, Emph, Link, Shaped, GlossRef)


@dataclass(frozen=True, slots=True)
class Inline:
    """A run of inline text: its markdown source, where it is, and its parse.

    `spans` is empty until the resolve stage's inline pass has parsed `source`.
    """

    source: str
    pos: Pos
    spans: tuple[Span, ...] = ()
    verbatim: bool = False  # the source stands in the file as it is, on one line
    # per-audience texts (`{default: ..., patient: ...}`); `source` is the default.
    # The audiences pass picks one and empties this, so later passes see plain text.
    variants: tuple[tuple[str, Inline], ...] = ()
    # in a `worksheet: true` block: the worksheet edition prints its glossary marks as blanks
    worksheet: bool = False

    def at(self, offset: int) -> Pos:
        """Where the character at `offset` of the source is, as exactly as is known."""
        if self.verbatim and 0 <= offset <= len(self.source):
            return Pos(self.pos.file, self.pos.line, self.pos.column + offset)
        return self.pos


def walk_spans(spans: tuple[Span, ...]) -> Iterator[Span]:
    """Every span, depth first in reading order: a container before its children,
    a Cite before its rendered spans."""
    for span in spans:
        yield span
        if isinstance(span, CONTAINERS):
            yield from walk_spans(span.children)
        elif isinstance(span, Cite):
            yield from walk_spans(span.rendered or ())


def map_spans(spans: tuple[Span, ...], fn: Callable[[Span], Span]) -> tuple[Span, ...]:
    """`spans` with `fn` applied bottom-up to every span: children (and a Cite's
    rendered spans) first, then the span holding them."""

    def one(span: Span) -> Span:
        if isinstance(span, CONTAINERS):
            span = replace(span, children=map_spans(span.children, fn))
        elif isinstance(span, Cite) and span.rendered:
            span = replace(span, rendered=map_spans(span.rendered, fn))
        return fn(span)

    return tuple(one(span) for span in spans)


def blank_line(answer: str) -> str:
    """The blank that stands for `answer`: a little longer than the word, to write in."""
    return "_" * (len(answer) + 4)


def plain_text(value: Inline | tuple[Span, ...] | None) -> str:
    """The text a reader sees, without markup (for bookmarks and metadata)."""
    if value is None:
        return ""
    if isinstance(value, Inline):
        return plain_text(value.spans) if value.spans else value.source
    parts: list[str] = []
    for span in walk_spans(value):
        if isinstance(span, (Text, Code)):
            parts.append(span.text)
        elif isinstance(span, LineBreak):
            parts.append(" ")
        elif isinstance(span, Blank):
            parts.append(blank_line(span.answer))
        elif isinstance(span, Cite) and span.rendered is None:
            parts.append(span.source)
    return "".join(parts)


# --------------------------------------------------------------------- blocks

# How the walks in traverse.py read a block's fields, given as a field's metadata.
# They visit every Inline a block holds, through tuples and nested data classes, in
# field order (reading order); these say what else a field is.
HEADING: dict[str, object] = {"face": "heading"}  # printed in the heading face
NOT_PROSE: dict[str, object] = {"prose": False}  # not counted as running text by `check`
CHILD_BLOCKS: dict[str, object] = {"blocks": True}  # blocks that walk_blocks visits itself
COPY: dict[str, object] = {"copy": True}  # a copy of text held elsewhere: not visited again


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: Inline
    pos: Pos


@dataclass(frozen=True, slots=True)
class ListItem:
    text: Inline
    children: tuple[ListBlock, ...] = ()


@dataclass(frozen=True, slots=True)
class ListBlock:
    ordered: bool
    items: tuple[ListItem, ...]
    pos: Pos
    start: int = 1


CALLOUT_KINDS = ("key-point", "warning", "clinical-note", "mnemonic", "remember")


@dataclass(frozen=True, slots=True)
class Callout:
    kind: str  # one of CALLOUT_KINDS
    title: Inline | None = field(metadata=HEADING)
    blocks: tuple[Block, ...] = field(metadata=CHILD_BLOCKS)
    pos: Pos


@dataclass(frozen=True, slots=True)
class Table:
    caption: Inline = field(metadata={**HEADING, **NOT_PROSE})
    header: tuple[Inline, ...] = field(metadata=HEADING)
    rows: tuple[tuple[Inline, ...], ...]
    pos: Pos
    id: str | None = None
    source: Inline | None = field(default=None, metadata={**HEADING, **NOT_PROSE})
    widths: tuple[float, ...] | None = None  # relative weights, one a column
    number: int = 0  # set by the numbering pass


@dataclass(frozen=True, slots=True)
class Figure:
    image: Path  # absolute, checked by the images pass
    caption: Inline = field(metadata={**HEADING, **NOT_PROSE})
    pos: Pos
    id: str | None = None
    source: Inline | None = field(default=None, metadata={**HEADING, **NOT_PROSE})
    width: float | None = None  # fraction of the text width, 0 < width <= 1
    number: int = 0  # set by the numbering pass


@dataclass(frozen=True, slots=True)
class PageBreak:
    pos: Pos


@dataclass(frozen=True, slots=True)
class ReferenceList:
    """The formatted reference list; the citations pass places it in a back-matter section."""

    entries: tuple[ReferenceEntry, ...] = field(metadata=COPY)
    pos: Pos | None = None


@dataclass(frozen=True, slots=True)
class GlossaryList:
    """The glossary's entries; the glossary pass places it in a back-matter section.
    The walks visit the definitions once, in the guide's glossary."""

    entries: tuple[GlossaryEntry, ...] = field(metadata=COPY)
    pos: Pos | None = None


@dataclass(frozen=True, slots=True)
class Objective:
    id: str
    text: Inline
    pos: Pos


@dataclass(frozen=True, slots=True)
class Objectives:
    items: tuple[Objective, ...] = field(metadata=NOT_PROSE)
    pos: Pos


@dataclass(frozen=True, slots=True)
class Takeaways:
    items: tuple[Inline, ...] = field(metadata=NOT_PROSE)
    pos: Pos


QUESTION_KINDS = ("multiple-choice", "true-false", "short-answer", "fill-in", "matching")


@dataclass(frozen=True, slots=True)
class Question:
    """A review question; `answers` holds the answer text except for multiple choice,
    whose right choices are the indexes in `correct`."""

    kind: str  # one of QUESTION_KINDS
    prompt: Inline
    pos: Pos
    choices: tuple[Inline, ...] = field(default=(), metadata=NOT_PROSE)
    correct: tuple[int, ...] = ()
    # matching, in the right order
    pairs: tuple[tuple[Inline, Inline], ...] = field(default=(), metadata=NOT_PROSE)
    answers: tuple[Inline, ...] = field(default=(), metadata=NOT_PROSE)
    explanation: Inline | None = field(default=None, metadata=NOT_PROSE)
    objectives: tuple[str, ...] = ()
    number: int = 0  # set by the questions pass, across the guide
    shuffled: tuple[int, ...] = ()  # matching: the order students see the right column in


@dataclass(frozen=True, slots=True)
class Questions:
    items: tuple[Question, ...]
    pos: Pos


@dataclass(frozen=True, slots=True)
class AnswerKey:
    """Every question with its answer; the questions pass places it in the back matter."""

    questions: tuple[Question, ...] = field(metadata=COPY)
    pos: Pos | None = None


@dataclass(frozen=True, slots=True)
class ObjectiveMap:
    """Each objective with the numbers of the questions that test it (instructor edition)."""

    objectives: tuple[tuple[Objective, tuple[int, ...]], ...] = field(metadata=COPY)
    pos: Pos | None = None


@dataclass(frozen=True, slots=True)
class WordBank:
    """The terms a section's worksheet blanks stand for, at the end of the section."""

    words: tuple[str, ...]
    pos: Pos | None = None


@dataclass(frozen=True, slots=True)
class CornellPage:
    """A Cornell review page after a top-level section: cues (its glossary terms and
    questions) on the left, a ruled notes area, a summary box at the bottom."""

    title: Inline = field(metadata=COPY)  # the section's title
    number: str  # the section's number, "" when unnumbered
    terms: tuple[str, ...]  # glossary terms the section uses, in order of first use
    questions: tuple[Question, ...] = field(metadata=COPY)
    pos: Pos


@dataclass(frozen=True, slots=True)
class Scoped:
    """A block written with `audiences:` or `exclude-audiences:`; the audiences pass
    keeps its block or drops it, so no later stage sees one."""

    block: Block = field(metadata=CHILD_BLOCKS)
    audiences: tuple[str, ...]
    exclude: tuple[str, ...]
    pos: Pos


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a procedure: what to do, and (optionally) why."""

    text: Inline
    rationale: Inline | None = None


@dataclass(frozen=True, slots=True)
class Steps:
    """A numbered procedure, each step with an optional rationale under it, the way
    nursing procedures are taught (`steps:`)."""

    items: tuple[Step, ...]
    pos: Pos


Block = (Paragraph | ListBlock | Callout | Table | Figure | PageBreak | Steps | ReferenceList
         | GlossaryList | Objectives | Takeaways | Questions | AnswerKey | ObjectiveMap | WordBank
         | CornellPage | Scoped)
# The blocks the resolve passes make; no file writes one, so they have no schema entry
# and no builder, only a layout function. Every other Block is written in files.
GENERATED_BLOCKS: tuple[type, ...] = (ReferenceList, GlossaryList, AnswerKey, ObjectiveMap,
                                      WordBank, CornellPage, Scoped)


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: Inline
    blocks: tuple[Block, ...]
    pos: Pos
    sections: tuple[Section, ...] = ()  # subsections
    number: str = ""  # "2.1", set by the numbering pass
    level: int = 1  # 1 for a top-level section
    unnumbered: bool = False  # back matter (glossary, references) has no number
    new_page: bool = False  # starts on a page of its own (the answer key)
    audiences: tuple[str, ...] = ()  # kept only for these audiences, if any are named
    exclude_audiences: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


# ---------------------------------------------------------------------- guide


@dataclass(frozen=True, slots=True)
class Meta:
    title: Inline
    pos: Pos
    subtitle: Inline | None = None
    authors: tuple[str, ...] = ()
    date: str | None = None
    version: str | None = None
    lang: str = "en"
    subject: str | None = None
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Reference:
    """One work of the bibliography, as CSL-JSON data, and where it is written."""

    id: str
    data: dict[str, object] = field(hash=False, compare=False)
    pos: Pos | None = None


@dataclass(frozen=True, slots=True)
class ReferenceEntry:
    """A formatted entry of the reference list, set by the citations pass."""

    id: str
    spans: tuple[Span, ...]
    label: str = ""  # "1." or "[1]" for numeric styles, "" for author-date ones


@dataclass(frozen=True, slots=True)
class Bibliography:
    """Where the references come from, how they are cited, and (once resolved) the list."""

    files: tuple[tuple[Path, Pos], ...] = ()  # `bibliography:`, with where each is named
    # The works of the CSL-YAML files among `files`, as written: the include walk has
    # read them already, so the citations pass does not read them again.
    read: tuple[tuple[Path, tuple[Reference, ...]], ...] = ()
    inline: tuple[Reference, ...] = ()  # `references:` in the outline
    style: str = "apa"  # a short name (apa, ama, vancouver, chicago, mla) or a .csl path
    style_pos: Pos | None = None
    nocite: tuple[str, ...] = ()  # keys listed though never cited; "*" for all
    title: str = "References"
    entries: tuple[ReferenceEntry, ...] = ()  # set by the citations pass, in the style's order


@dataclass(frozen=True, slots=True)
class GlossaryEntry:
    id: str  # derived from the term: lower case, spaces as '-'
    term: str
    definition: Inline
    pos: Pos
    abbreviation: str | None = None
    aliases: tuple[str, ...] = ()  # other names that mark the same entry
    see_also: tuple[str, ...] = ()  # terms as written; the glossary pass checks them


@dataclass(frozen=True, slots=True)
class Glossary:
    entries: tuple[GlossaryEntry, ...] = ()
    title: str = "Glossary"
    only_used: bool = False  # print only the entries this build mentions
    expand_abbreviations: bool = False  # "norepinephrine (NE)" at the first mention


@dataclass(frozen=True, slots=True)
class Audience:
    """One readership of the guide (`audiences:` in the outline) and what its builds change."""

    name: str
    pos: Pos
    title: Inline | None = None
    subtitle: Inline | None = None
    style: str | None = None
    style_pos: Pos | None = None
    reading_grade: float | None = None  # kept for the reading-level check
    disclaimer: Inline | None = None
    tags: tuple[str, ...] = ()  # if any, only top-level sections with one of these
    editions: tuple[str, ...] = ("student", "instructor")  # the editions it is built in
    toc: bool | None = None  # None: as the outline says
    title_page: bool | None = None  # None: as the outline says
    csl: str | None = None  # None: as the outline (or --citation-style) says
    csl_pos: Pos | None = None

    def file_stem(self, outline_stem: str, edition: str) -> str:
        return audience_file_stem(outline_stem, self.name, edition, len(self.editions) == 1)


def audience_file_stem(outline_stem: str, audience: str, edition: str, only_edition: bool) -> str:
    """OUTLINE-AUDIENCE-EDITION, or OUTLINE-AUDIENCE for an audience built in one edition."""
    if only_edition:
        return f"{outline_stem}-{audience}"
    return f"{outline_stem}-{audience}-{edition}"


@dataclass(frozen=True, slots=True)
class Guide:
    """A whole study guide, as the resolve stage hands it to layout."""

    meta: Meta
    sections: tuple[Section, ...]
    outline: Path  # the outline file
    root: Path  # the project folder; includes and images stay inside it
    style: str = "default"  # a style name or a path to a style sheet
    toc: bool = True
    cornell: bool = False  # a Cornell review page after each top-level section
    title_page: bool = True  # False: the title heads the first page of the body
    bibliography: Bibliography = Bibliography()
    glossary: Glossary = Glossary()
    edition: str = "student"  # one of EDITIONS
    answer_key: bool = True  # the student edition's answer key at the end
    style_pos: Pos | None = None  # where `style` is named, if in a file
    paper: str | None = None  # letter or a4 if the build asks for it, else the style's
    audiences: tuple[Audience, ...] = ()
    audience: str | None = None  # the audience this build is for; None: everything
    disclaimer: Inline | None = None  # the audience's, set by the audiences pass
    # "Student edition", "Worksheet", or "" for a guide without questions; set by the
    # study back matter pass, printed on the title page and in the footers
    edition_label: str = ""


EDITIONS = ("student", "instructor", "worksheet")
DEFAULT_EDITIONS = ("student", "instructor")  # what --all builds unless an audience says
