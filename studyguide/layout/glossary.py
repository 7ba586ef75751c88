"""The glossary: entries in alphabetical order, with letter dividers and page references.

The body is laid out once, and the glossary comes after it in the same pass,
so by the time ReportLab first wraps a glossary entry every mention in the
body has been drawn and recorded in `PageState.mentions`. Each entry
therefore builds its paragraph lazily, on first wrap, from that record.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby
from xml.sax.saxutils import quoteattr

from reportlab.platypus import Flowable, HRFlowable, Paragraph

from ..model import document as m
from ..model.names import initial
from .context import Ctx
from .flowables import KeepWithNext, Stack
from .markup import escape_text, inline_markup
from .pages import PageState
from .typeset import rl_color

RANGE_FROM = 3  # this many consecutive pages or more print as a range, "4–7"
_SENTENCE_ENDS = (".", "!", "?", ":", "…")


def glossary_list(block: m.GlossaryList, ctx: Ctx) -> list[Flowable]:
    """A letter divider before each initial's entries; the divider keeps with its first entry."""
    pages = UsePages(ctx.state)
    terms = {e.id: e.term for e in block.entries}
    story: list[Flowable] = []
    for letter, group in groupby(block.entries, key=lambda e: initial(e.term)):
        entries = [_entry(e, ctx, terms, pages) for e in group]
        kept = KeepWithNext(_divider(letter, ctx), entries[0], min_keep=ctx.sheet.unit * 2)
        kept.what = f"the glossary's letter '{letter}'"
        story += [kept, *entries[1:]]
    return story


class UsePages:
    """The printed body pages where each entry is used, read once from the page state.

    Read on first use, which comes after the last body page and before any
    glossary definition is drawn, so mentions inside the glossary never count.
    """

    def __init__(self, state: PageState) -> None:
        self.state = state
        self._pages: dict[str, list[int]] | None = None

    def of(self, entry_id: str) -> list[int]:
        if self._pages is None:
            state = self.state
            first = state.body_first or 1
            # Mentions on the title or contents page are not uses in the text.
            self._pages = {
                key: sorted({state.body_number(p) for p in physical if p >= first})
                for key, physical in state.mentions.items()
            }
        return self._pages.get(entry_id, [])


def page_refs(numbers: list[int], link: Callable[[int], str]) -> list[str]:
    """Page numbers as markup, runs of RANGE_FROM or more as "first–last"."""
    out: list[str] = []
    start = 0
    while start < len(numbers):
        end = start
        while end + 1 < len(numbers) and numbers[end + 1] == numbers[end] + 1:
            end += 1
        if end - start + 1 >= RANGE_FROM:
            out.append(f"{link(numbers[start])}\u2013{link(numbers[end])}")
        else:
            out.extend(link(n) for n in numbers[start:end + 1])
        start = end + 1
    return out


class LazyParagraph(Flowable):
    """A paragraph whose markup is made on first wrap, when the pages it lists are known."""

    def __init__(self, make: Callable[[], Paragraph], space: tuple[float, float],
                 pos: m.Pos, what: str) -> None:
        super().__init__()
        self.make = make
        self.space = space  # before, after: known from the style without building
        self.pos = pos
        self.what = what
        self._para: Paragraph | None = None

    def para(self) -> Paragraph:
        if self._para is None:
            self._para = self.make()
        return self._para

    def getSpaceBefore(self) -> float:
        return self.space[0]

    def getSpaceAfter(self) -> float:
        return self.space[1]

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width, self.height = self.para().wrapOn(self.canv, aw, ah)
        return self.width, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        return list(self.para().splitOn(self.canv, aw, ah))

    def draw(self) -> None:
        self.para().drawOn(self.canv, 0, 0)


def _divider(letter: str, ctx: Ctx) -> Flowable:
    """The initial in the heading face over a hairline rule across the column."""
    sheet = ctx.sheet
    para = Paragraph(escape_text(letter), sheet.para["gloss-letter"])
    rule = HRFlowable(width="100%", thickness=0.5, color=rl_color(sheet.style.table_rule_color),
                      spaceBefore=1, spaceAfter=sheet.unit * 0.4)
    return Stack([para, rule])


def _entry(entry: m.GlossaryEntry, ctx: Ctx, terms: dict[str, str],
           pages: UsePages) -> LazyParagraph:
    style = ctx.sheet.para["gloss-entry"]

    def make() -> Paragraph:
        return ctx.para(_entry_markup(entry, ctx, terms, pages.of(entry.id)), style,
                        entry.definition.pos)

    space = (float(style.spaceBefore), float(style.spaceAfter))
    return LazyParagraph(make, space, entry.pos, f"the glossary entry '{entry.term}'")


def _entry_markup(entry: m.GlossaryEntry, ctx: Ctx, terms: dict[str, str],
                  pages: list[int]) -> str:
    """**term** (ABBR) definition. *Also called* x. *See also:* y, z. *Pages* 2, 5."""
    markup = ctx.sheet.markup
    subs = markup.substitutes
    link = quoteattr(markup.link_color)
    em = "b" if markup.emphasis == "bold" else "i"  # large print sets no italics
    head = f"<a name={quoteattr('gloss-' + entry.id)}/><b>{escape_text(entry.term, subs)}</b>"
    if entry.abbreviation:
        head += f" ({escape_text(entry.abbreviation, subs)})"
    parts = [head + "\u2002" + inline_markup(entry.definition, markup)]
    if entry.aliases:
        names = ", ".join(escape_text(a, subs) for a in entry.aliases)
        parts.append(f"<{em}>Also called</{em}> {names}")
    targets = [
        f"<a href={quoteattr('#gloss-' + t)} color={link}>{escape_text(terms[t], subs)}</a>"
        for t in entry.see_also if t in terms
    ]
    if targets:
        parts.append(f"<{em}>See also:</{em}> " + ", ".join(targets))
    sentences = [_sentence(p) for p in parts]
    if pages:
        refs = page_refs(pages, lambda n: f'<a href="#page-{n}" color={link}>{n}</a>')
        label = "Pages" if len(pages) > 1 else "Page"
        # a no-break space: "Page" never ends a line without its number
        sentences.append(f"<{em}>{label}</{em}>\u00a0" + ", ".join(refs))
    return " ".join(sentences)


def _sentence(markup: str) -> str:
    """`markup` ending in a full stop unless it already ends a sentence."""
    text = markup.rstrip()
    bare = text
    while bare.endswith(">") and "<" in bare:  # look past closing tags: "<i>x.</i>"
        bare = bare[: bare.rindex("<")].rstrip()
    return text if bare.endswith(_SENTENCE_ENDS) else text + "."
