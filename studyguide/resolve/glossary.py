"""The glossary pass: link every `[[term]]` mention to its entry, and place the glossary.

A mention matches an entry's term, one of its aliases or its abbreviation,
ignoring case. Only mentions outside the glossary ("in the text": headings,
paragraphs, lists, tables, callouts, captions, the title) make an entry
used; a `[[term]]` inside another entry's definition links to it but does
not count, so a term that only the glossary itself mentions is still
reported as never used. After this pass an entry's `see_also` holds the ids
of the entries it points to, no longer the names as written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from ..model.diagnostics import Diagnostic, did_you_mean, error, warning
from ..model.document import (
    GlossaryEntry,
    GlossaryList,
    GlossRef,
    Guide,
    Inline,
    Pos,
    Section,
    Span,
    Text,
    map_spans,
    plain_text,
    walk_spans,
)
from ..model.names import SYMBOLS, folded, initial, name_key
from ..model.traverse import map_inlines, unique_section_id

SECTION_ID = "glossary"


def sort_key(entry: GlossaryEntry) -> tuple[bool, str, str, str]:
    """Alphabetical order ignoring case and accents; digits and symbols ("#") come first."""
    return (initial(entry.term) != SYMBOLS, folded(entry.term), entry.term, entry.id)


def map_refs(spans: tuple[Span, ...], fn: Callable[[GlossRef], Span]) -> tuple[Span, ...]:
    """`spans` with `fn` applied to every glossary mention, however deeply nested."""
    return map_spans(spans, lambda span: fn(span) if isinstance(span, GlossRef) else span)


# ---------------------------------------------------------------- the entries


_KINDS = {"term": "the term", "alias": "an alias", "abbreviation": "the abbreviation"}


class _Index:
    """Every name that marks an entry (term, aliases, abbreviation), folded, to its entry."""

    def __init__(self, entries: tuple[GlossaryEntry, ...]) -> None:
        self.entries = _unique_ids(entries)
        self.by_name: dict[str, tuple[GlossaryEntry, str]] = {}
        self.names: list[str] = []  # as written, for "did you mean"
        self.problems: list[Diagnostic] = []
        self.clashing: set[str] = set()  # ids of entries with a duplicate name
        for entry in self.entries:
            named = [("term", entry.term), *(("alias", a) for a in entry.aliases)]
            if entry.abbreviation:
                named.append(("abbreviation", entry.abbreviation))
            for kind, name in named:
                self._add(entry, kind, name)

    def _add(self, entry: GlossaryEntry, kind: str, name: str) -> None:
        key = name_key(name)
        owner = self.by_name.get(key)
        if owner is None:
            self.by_name[key] = (entry, kind)
            self.names.append(name)
        elif owner[0].id != entry.id:  # an entry may repeat its own term as an alias
            first, first_kind = owner
            self.clashing.add(entry.id)
            self.problems.append(error(
                f"duplicate glossary term '{name}' (already {_KINDS[first_kind]} of "
                f"'{first.term}' at {_where(first.pos, entry.pos)})",
                entry.pos,
                "a term, alias or abbreviation can mark only one entry; "
                "rename it, or merge the two entries",
            ))

    def find(self, name: str) -> GlossaryEntry | None:
        found = self.by_name.get(name_key(name))
        return None if found is None else found[0]

    def unknown(self, name: str, where: str, pos: Pos) -> Diagnostic:
        hint = did_you_mean(name, self.names) or (
            "add an entry for it to the glossary, or write it without [[ ]]")
        return error(f"unknown glossary term '{name}'{where}", pos, hint)


def _unique_ids(entries: tuple[GlossaryEntry, ...]) -> tuple[GlossaryEntry, ...]:
    """Entries whose ids differ: "alpha receptor" and "Alpha-receptor" both derive
    "alpha-receptor", and two link targets with one name would both jump to the first."""
    taken: set[str] = set()
    out: list[GlossaryEntry] = []
    for entry in entries:
        new, n = entry.id, 1
        while new in taken:
            n += 1
            new = f"{entry.id}-{n}"
        taken.add(new)
        out.append(entry if new == entry.id else replace(entry, id=new))
    return tuple(out)


def _where(pos: Pos, seen_from: Pos) -> str:
    return f"line {pos.line}" if pos.file == seen_from.file else str(pos)


# --------------------------------------------------------------- the mentions


class _Mentions:
    """Resolves mentions in reading order, noting which entries the text uses."""

    def __init__(self, index: _Index, expand: bool) -> None:
        self.index = index
        self.expand = expand
        self.used: set[str] = set()
        self.expanded: set[str] = set()
        self.problems: list[Diagnostic] = []

    def inline(self, value: Inline, *, in_text: bool, expand: bool = False) -> Inline:
        def resolve(ref: GlossRef) -> Span:
            entry = self.index.find(ref.term)
            if entry is None:
                self.problems.append(self.index.unknown(ref.term, "", value.at(ref.offset)))
                return ref
            if in_text:
                self.used.add(entry.id)
            children = self._expanded(entry, ref) if expand and self.expand else ref.children
            return replace(ref, entry=entry.id, children=children)

        if not any(isinstance(span, GlossRef) for span in walk_spans(value.spans)):
            return value  # itself, so that map_inlines need not copy what holds it
        return replace(value, spans=map_refs(value.spans, resolve))

    def _expanded(self, entry: GlossaryEntry, ref: GlossRef) -> tuple[Span, ...]:
        """"norepinephrine (NE)" at the first mention written as the term or abbreviation."""
        abbreviation = entry.abbreviation
        if not abbreviation or entry.id in self.expanded:
            return ref.children
        shown = name_key(plain_text(ref.children))
        if shown == name_key(abbreviation):
            self.expanded.add(entry.id)
            return (Text(f"{entry.term} ({abbreviation})"),)
        if shown == name_key(entry.term):
            self.expanded.add(entry.id)
            return (*ref.children, Text(f" ({abbreviation})"))
        return ref.children  # an alias or other wording: a later mention may expand


# ------------------------------------------------------------------- the pass


def glossary_pass(guide: Guide) -> tuple[Guide, list[Diagnostic]]:
    """Resolve glossary mentions to entries and append the glossary section."""
    glossary = guide.glossary
    index = _Index(glossary.entries)
    mentions = _Mentions(index, glossary.expand_abbreviations)
    # The title page is not "the text": an abbreviation there stays as written.
    titles = {id(guide.meta.title), id(guide.meta.subtitle)}
    definitions = {id(e.definition) for e in index.entries}

    def resolve(value: Inline) -> Inline:
        if id(value) in definitions:  # a mention in the glossary itself is no use
            return mentions.inline(value, in_text=False)
        return mentions.inline(value, in_text=True, expand=id(value) not in titles)

    text = map_inlines(replace(guide, glossary=replace(glossary, entries=index.entries)), resolve)
    entries = list(text.glossary.entries)
    problems = [*index.problems, *mentions.problems]
    entries = [_check_see_also(e, index, problems) for e in entries]
    if glossary.only_used:
        entries = [e for e in entries if e.id in mentions.used]
        entries = _without_links_to_dropped(entries)
    else:
        # A clashing entry's mentions went to the first one: its error says enough.
        problems.extend(_unused(e) for e in entries
                        if e.id not in mentions.used and e.id not in index.clashing)
    entries.sort(key=sort_key)
    guide = replace(text, glossary=replace(glossary, entries=tuple(entries)))
    if entries:
        where = index.entries[0].pos  # the glossary's first entry as written
        guide = replace(guide, sections=(*guide.sections, _section(guide, tuple(entries), where)))
    return guide, problems


def _check_see_also(
    entry: GlossaryEntry, index: _Index, problems: list[Diagnostic]
) -> GlossaryEntry:
    targets: list[str] = []
    for name in entry.see_also:
        target = index.find(name)
        if target is None:
            problems.append(index.unknown(name, f" in the see-also of '{entry.term}'", entry.pos))
        elif target.id != entry.id and target.id not in targets:
            targets.append(target.id)
    return replace(entry, see_also=tuple(targets))


def _unused(entry: GlossaryEntry) -> Diagnostic:
    return warning(
        f"glossary entry '{entry.term}' is never used in the text",
        entry.pos,
        f"mark where it is used as [[{entry.term}]], or remove the entry "
        "(glossary-only-used: true prints only the terms a guide uses)",
    )


def _without_links_to_dropped(entries: list[GlossaryEntry]) -> list[GlossaryEntry]:
    """Kept entries whose definitions and see-also no longer point at dropped ones."""
    kept = {e.id for e in entries}

    def unlink(ref: GlossRef) -> Span:
        return ref if ref.entry in kept else replace(ref, entry="")

    return [
        replace(e, definition=replace(e.definition, spans=map_refs(e.definition.spans, unlink)),
                see_also=tuple(t for t in e.see_also if t in kept))
        for e in entries
    ]


def _section(guide: Guide, entries: tuple[GlossaryEntry, ...], pos: Pos) -> Section:
    """The back-matter section holding the glossary: unnumbered, after the body."""
    title = guide.glossary.title
    section_id = unique_section_id(guide, SECTION_ID)  # a user's section may be "glossary"
    return Section(
        id=section_id,
        title=Inline(title, pos, spans=(Text(title),)),
        blocks=(GlossaryList(entries, pos),),
        pos=pos,
        unnumbered=True,
    )
