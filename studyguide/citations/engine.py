"""citeproc-py driven for one build: citations and entries in a CSL style, as spans.

citeproc-py builds strings. Private-use characters mark italics, bold and each
cited work in them, so that its output becomes spans (never markup), each work
a link to its entry. The data given to it is cleared of those characters.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator
from types import SimpleNamespace
from typing import Any

from citeproc import Citation, CitationItem, CitationStylesBibliography, Locator
from citeproc.source.json import CiteProcJSON

from ..model.document import (
    Cite,
    CiteItem,
    Emph,
    Link,
    Reference,
    ReferenceEntry,
    Span,
    Strong,
    Text,
    walk_spans,
)
from . import forked
from .csl import (
    MARKERS,
    NS,
    author_only,
    citeproc_style,
    fix_text,
    reads_citation_history,
    single_work,
    suppress_author,
)

# ---------------------------------------------------------------- formatter

ITALIC, END_ITALIC, BOLD, END_BOLD = "\ue000", "\ue001", "\ue002", "\ue003"
WORK, END_WORK, WORK_INDEX = "\ue010", "\ue011", 0xE100  # WORK + chr(WORK_INDEX + n) ...
AS_WRITTEN, END_AS_WRITTEN = "\ue020", "\ue021"  # an author's prefix or suffix ("see")
MARKER = re.compile(f"[{MARKERS}]")
_AS_WRITTEN = re.compile(f"{AS_WRITTEN}.*?{END_AS_WRITTEN}", re.DOTALL)
# The fonts have superscript digits and parentheses; AMA's "2(p3)" prints as "²⁽ᵖ³⁾".
_SUPERSCRIPT = str.maketrans("0123456789()p", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾ᵖ")
SUPERSCRIPTS = frozenset("⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾ᵖ")


def _wrap(start: str, end: str) -> Callable[[Any], str]:
    return lambda text: f"{start}{text}{end}"


def _superscript(text: Any) -> str:
    """Superscript text as Unicode superscripts, but for what an author wrote ("see");
    as it is when some character has no superscript form."""
    text = str(text)
    parts = _AS_WRITTEN.split(text)
    if all(ch in "0123456789()p, " for ch in MARKER.sub("", "".join(parts))):
        written = iter(_AS_WRITTEN.findall(text))
        return "".join(part.translate(_SUPERSCRIPT) + next(written, "") for part in parts)
    return text


FORMATTER = SimpleNamespace(
    preformat=str,
    Italic=_wrap(ITALIC, END_ITALIC), Oblique=_wrap(ITALIC, END_ITALIC),
    Bold=_wrap(BOLD, END_BOLD), Light=str, Underline=str, SmallCaps=str,
    Superscript=_superscript, Subscript=str,
)

# ------------------------------------------------------------------- spans

_CONTAINERS = {ITALIC: END_ITALIC, BOLD: END_BOLD, WORK: END_WORK}


def to_spans(text: str, links: list[str]) -> tuple[Span, ...]:
    """citeproc-py output with markers as spans; the n-th work marked links to links[n]."""
    stack: list[tuple[str, str, list[Span]]] = [("", "", [])]
    index = 0
    while index < len(text):
        ch = text[index]
        end = index + 1
        if ch in _CONTAINERS:
            target = ""
            if ch == WORK and end < len(text):
                n, end = ord(text[end]) - WORK_INDEX, end + 1
                target = links[n] if 0 <= n < len(links) else ""
            stack.append((ch, target, []))
        elif ch in _CONTAINERS.values():
            while len(stack) > 1:  # closes what citeproc-py left open inside, too
                opener = stack[-1][0]
                _close(stack)
                if _CONTAINERS[opener] == ch:
                    break
        elif not MARKER.match(ch):
            while end < len(text) and not MARKER.match(text[end]):
                end += 1
            _add(stack[-1][2], Text(text[index:end]))
        index = end
    while len(stack) > 1:
        _close(stack)
    spans = tuple(stack[0][2])
    if links and not any(isinstance(s, Link) for s in walk_spans(spans)):
        # citeproc-py printed the citation as one string, without the markers
        # around each work: link the whole of it to the first work.
        return (Link(links[0], spans),)
    return spans


def _close(stack: list[tuple[str, str, list[Span]]]) -> None:
    opener, target, children = stack.pop()
    parent = stack[-1][2]
    if opener == ITALIC:
        parent.append(Emph(tuple(children)))
    elif opener == BOLD:
        parent.append(Strong(tuple(children)))
    elif target:
        parent.append(Link(target, tuple(children)))
    else:
        for child in children:
            _add(parent, child)


def _add(spans: list[Span], span: Span) -> None:
    """Append `span`, joined to the text before it if both are text."""
    if isinstance(span, Text) and spans and isinstance(spans[-1], Text):
        spans[-1] = Text(spans[-1].text + span.text)
    else:
        spans.append(span)


_URL = re.compile(r"https?://[^\s<>\"]+|\bdoi:\s*10\.\d{4,9}/[^\s<>\"]+", re.IGNORECASE)


def linked(spans: tuple[Span, ...]) -> tuple[Span, ...]:
    """Entry spans with every URL and DOI in their text as a link."""
    out: list[Span] = []
    for span in spans:
        if isinstance(span, Text):
            out.extend(_link_text(span.text))
        elif isinstance(span, (Emph, Strong)):
            out.append(type(span)(linked(span.children)))
        else:
            out.append(span)
    return tuple(out)


def _link_text(text: str) -> Iterator[Span]:
    last = 0
    for match in _URL.finditer(text):
        shown = _trimmed(match[0])
        if match.start() > last:
            yield Text(text[last:match.start()])
        url = shown
        if shown.lower().startswith("doi:"):
            url = "https://doi.org/" + shown[4:].strip()
        yield Link(url, (Text(shown),))
        last = match.start() + len(shown)
    if last < len(text):
        yield Text(text[last:])


def _trimmed(url: str) -> str:
    """A URL without the sentence's punctuation after it; a ")" it opened stays."""
    while url and (url[-1] in ".,;:" or (url[-1] in ")]" and url.count(
            "(" if url[-1] == ")" else "[") < url.count(url[-1]))):
        url = url[:-1]
    return url


class _Keys(list[str]):
    """citeproc-py's list of the cited works, in order, answering `in` and `index` from
    a dict: it asks both for every citation, and a scan of the list made a long
    guide's citations grow with the square of its length."""

    def __init__(self, keys: Iterable[str] = ()) -> None:
        super().__init__()
        self.at: dict[str, int] = {}
        for key in keys:
            self.append(key)

    def append(self, key: str) -> None:
        self.at.setdefault(key, len(self))
        super().append(key)

    def __contains__(self, key: object) -> bool:
        return key in self.at

    def index(self, key: str, *bounds: Any) -> int:
        if bounds or key not in self.at:
            return super().index(key, *bounds)
        return self.at[key]


# The distinct citations worth sharing among processes. A share costs 3-8 ms
# (forking a guide's process, sending the spans back) and each process finds
# the style's macros and terms again; 200 citations take 0.15-0.3 s here. The
# shipped guide has 13, a 300-section guide 1,700.
MIN_SHARED = 200

# ---------------------------------------------------------------- locators


class _Item(CitationItem):
    """citeproc-py's citation item, finding its work once.

    citeproc-py looks the work up through the citation, its bibliography and
    the source each time a style reads a variable, a quarter of a million
    times in a long guide. Every bibliography of an Engine shares one source,
    so the work an item found stays its work.
    """

    @property
    def reference(self) -> Any:
        found = self.__dict__.get("_work")  # the instance's own, not the mapping's items
        if found is None:
            found = self.__dict__["_work"] = self.bibliography.source[self.key]
        return found


_LABELS = {abbreviation: label for label, abbreviations in {
    "page": "p pp page pages", "chapter": "ch chap chaps chapter chapters",
    "section": "§ §§ sec secs section sections", "figure": "fig figs figure figures",
    "volume": "vol vols volume volumes", "paragraph": "¶ para paras paragraph paragraphs",
    "line": "l ll line lines", "note": "n nn note notes", "column": "col cols column columns",
    "book": "bk book books", "part": "pt part parts", "verse": "v vv verse verses",
    "issue": "no", "opus": "op",
}.items() for abbreviation in abbreviations.split()}
_VALUE = r"(?:\{[^{}]*\}|[\divxlcdmIVXLCDM]+[a-z]?\b(?:\s*[-–]\s*[\divxlcdmIVXLCDM]+[a-z]?\b)?)"
_LABELLED = re.compile(rf"(?P<label>[^\W\d_]+|§§?|¶)\.?\s*(?P<value>{_VALUE}(?:\s*,\s*{_VALUE})*)")
_PAGES = re.compile(rf"(?P<value>\d[\d\-–]*\b(?:\s*,\s*{_VALUE})*)")


def _citation_item(item: CiteItem, key: str, index: int | None) -> CitationItem:
    """citeproc-py's item for `item`: Pandoc's locator ("p. 3") parsed, the rest as suffix.

    With an `index`, markers around the work's own text let it become a link.
    """
    prefix, suffix = (" ".join(MARKER.sub("", text).split()) for text in (item.prefix,
                                                                           item.suffix))
    labelled = _LABELLED.match(suffix)
    pages = _PAGES.match(suffix)
    extra: dict[str, Any] = {}
    if labelled and labelled["label"].lower() in _LABELS:
        extra["locator"] = Locator(_LABELS[labelled["label"].lower()], _bare(labelled["value"]))
        suffix = suffix[labelled.end():].strip()
    elif pages:
        extra["locator"] = Locator("page", _bare(pages["value"]))
        suffix = suffix[pages.end():].strip()
    elif suffix:
        suffix = ", " + suffix
    if suffix[:1].isalnum():
        suffix = " " + suffix
    start, end = (WORK + chr(WORK_INDEX + index), END_WORK) if index is not None else ("", "")
    return _Item(key, prefix=_as_written(prefix + " " if prefix else "") + start,
                        suffix=end + _as_written(suffix), **extra)


def _as_written(text: str) -> str:
    return AS_WRITTEN + text + END_AS_WRITTEN if text else ""


def _bare(value: str) -> str:
    return value[1:-1] if value.startswith("{") else value


# ------------------------------------------------------------------ engine


class Engine:
    """One build's citeproc-py state: the listed works, the style and its variants."""

    def __init__(self, root: Any, works: list[Reference], lang: str) -> None:
        # citeproc-py lower-cases keys; our own keep "Smith" and "smith" apart.
        self.inner = {w.id: f"w{i}" for i, w in enumerate(works)}
        self.outer = {inner: key for key, inner in self.inner.items()}
        source = CiteProcJSON([{**_unmarked(w.data), "id": self.inner[w.id]} for w in works])
        style = _style(root, lang)
        self.main = CitationStylesBibliography(style, source, FORMATTER)
        # Variants print one work at a time: `[-@key]`, the author of `@key`, and
        # `[@key]` without sorting the works of the citation, which costs
        # citeproc-py more than the rest.
        self.without_author, self.author, self.alone = (
            CitationStylesBibliography(_style(tree, lang), source, FORMATTER)
            for tree in (suppress_author(root), author_only(root), single_work(root)))
        self.done: dict[tuple[Any, ...], tuple[Span, ...]] = {}
        self.seen: set[str] = set()
        self.previous: tuple[str, ...] = ()
        category = root.find("cs:info/cs:category[@citation-format]", NS)
        # Whether a citation's output depends on those before it (position tests).
        self.order_free = not reads_citation_history(root)
        self.numeric = category is not None and category.get("citation-format") == "numeric"
        try:
            self.quote_punctuation = style.root.citation.get_locale_option(
                "punctuation-in-quote").lower() == "true"
        except (AttributeError, IndexError):
            self.quote_punctuation = False

    def register(self, cites: list[Cite], nocite: list[str]) -> list[Any]:
        """Tell citeproc-py every citation in reading order, then every nocite work."""
        citations = []
        self.main.keys = _Keys()
        for cite in cites:
            citation = Citation([_citation_item(item, self.inner[item.key], n)
                                 for n, item in enumerate(cite.items)])
            self.main.register(citation)
            citations.append(citation)
        if nocite:
            self.main.register(Citation([_Item(self.inner[k]) for k in nocite]))
        self.main.sort()
        self.main.keys = _Keys(self.main.keys)
        for variant in (self.without_author, self.author, self.alone):
            # They number works as the main style does, and share its history
            # of what was cited (for styles' first/subsequent/ibid tests).
            variant.keys, variant.items = self.main.keys, self.main.items
            variant._cites = self.main._cites
        return citations

    def render_all(self, cites: list[Cite], citations: list[Any]) -> list[tuple[Span, ...]]:
        """Every citation as spans, in reading order; each distinct one formatted once."""
        # citeproc-py takes milliseconds a citation. The key holds what a
        # style's position tests (first, subsequent, ibid) could look at.
        known = [self._known(cite) for cite in cites]
        if self.order_free:
            self._render_shared(known, cites, citations)
        found = []
        for key, cite, citation in zip(known, cites, citations, strict=True):
            if key not in self.done:
                self.done[key] = self._render(cite, citation)
            elif not cite.narrative:
                self.main._cites.extend(citation.cites)  # the history, as if it was formatted
            found.append(self.done[key])
        return found

    def _known(self, cite: Cite) -> tuple[Any, ...]:
        keys = tuple(item.key for item in cite.items)
        known = (cite.narrative, cite.items, tuple(k in self.seen for k in keys),
                 keys == self.previous)
        self.seen.update(keys)
        self.previous = keys
        return known

    def _render_shared(self, known: list[tuple[Any, ...]], cites: list[Cite],
                       citations: list[Any]) -> None:
        """Format the distinct citations on every core, when there are enough to gain.

        Only for a style whose output for a citation is the same wherever it
        comes: then each is formatted alike in any process, and it does not
        matter which one did it. Those a process failed to do are left to
        `render_all`, which formats them here, in order.
        """
        firsts: dict[tuple[Any, ...], int] = {}
        for n, key in enumerate(known):
            firsts.setdefault(key, n)
        first = list(firsts.values())
        if len(first) < MIN_SHARED:
            return
        processes = forked.workers()
        if processes < 2:
            return
        done = forked.share(lambda n: self._render(cites[n], citations[n]), first, processes)
        self.done.update((known[first[i]], spans) for i, spans in done.items())

    def _render(self, cite: Cite, citation: Any) -> tuple[Span, ...]:
        links = ["#ref-" + item.key for item in cite.items]
        if cite.narrative:
            return self._narrative(cite.items[0], links[0])
        if len(cite.items) == 1:
            bib = self.without_author if cite.items[0].suppress_author else self.alone
            return to_spans(self._text(bib, self._single(cite.items[0], 0, bib)), links)
        text = self._text(self.main, citation)
        for n, item in enumerate(cite.items):
            if item.suppress_author:
                alone = self._single(item, n, self.without_author)
                text = _replace_work(text, n, self._text(self.without_author, alone))
        return to_spans(text, links)

    def _narrative(self, item: CiteItem, link: str) -> tuple[Span, ...]:
        author = self._text(self.author, self._single(item, None, self.author, True))
        rest = self._text(self.without_author, self._single(item, None, self.without_author))
        visible = MARKER.sub("", rest)
        if not any(ch.isalnum() for ch in visible):
            rest = ""  # MLA's citation without its author is "()"
        gap = "" if not rest or visible[:1] in SUPERSCRIPTS else " "
        return (Link(link, to_spans(author + gap + rest, [])),)

    def _single(self, item: CiteItem, n: int | None, bib: Any, bare: bool = False) -> Any:
        citeproc_item = _Item(self.inner[item.key]) if bare else \
            _citation_item(item, self.inner[item.key], n)
        citation = Citation([citeproc_item])
        citation.bibliography = bib
        return citation

    def _text(self, bib: Any, citation: Any) -> str:
        return fix_text(str(bib.cite(citation, lambda item: None)), self.quote_punctuation)

    def entries(self) -> list[ReferenceEntry]:
        """The reference list in the style's order, each entry linked where it has URLs."""
        # Entries from fresh items: citeproc-py would print the locator of a
        # work's first citation in its entry (Chicago: "12 (3): 3").
        items = [_Item(key) for key in self.main.keys]
        Citation(items).bibliography = self.main
        self.main.items = items
        found = []
        for number, (key, text) in enumerate(zip(self.main.keys, self.main.bibliography(),
                                                 strict=True), start=1):
            text = fix_text(str(text), self.quote_punctuation)
            label = ""
            if self.numeric:
                match = re.match(rf"\s*([(\[]?{number}[)\]]?\.?)\s*", MARKER.sub("", text))
                if match and text.startswith(match[0]):
                    label, text = match[1], text[match.end():]
            found.append(ReferenceEntry(self.outer[key], linked(to_spans(text, [])), label))
        return found


# CSL-JSON's rich text (Zotero writes "<i>E. coli</i>" in titles), as our marks.
_RICH = {"<i>": ITALIC, "</i>": END_ITALIC, "<b>": BOLD, "</b>": END_BOLD,
         "<sup>": "", "</sup>": "", "<sub>": "", "</sub>": ""}
_RICH_TAG = re.compile("|".join(map(re.escape, _RICH)))


def _unmarked(value: Any) -> Any:
    """CSL data for citeproc-py: rich text as marks, and no other marks."""
    if isinstance(value, str):
        text = _RICH_TAG.sub(lambda tag: _RICH[tag[0]], MARKER.sub("", value))
        return html.unescape(text) if "&" in text else text
    if isinstance(value, dict):
        return {k: _unmarked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unmarked(v) for v in value]
    return value


def _style(root: Any, lang: str) -> Any:
    try:
        return citeproc_style(root, None if root.get("default-locale") else lang)
    except ValueError:  # a language citeproc-py has no locale for
        return citeproc_style(root, None)


def _replace_work(text: str, n: int, alone: str) -> str:
    """`text` with the n-th work's part replaced by the same part of `alone`."""
    start = WORK + chr(WORK_INDEX + n)
    pattern = re.escape(start) + ".*?" + re.escape(END_WORK)
    found = re.search(pattern, alone, re.DOTALL)
    if found is None:
        return text
    return re.sub(pattern, lambda _: found[0], text, count=1, flags=re.DOTALL)
