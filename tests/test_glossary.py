"""The glossary: mentions resolved and checked, entries sorted, page references in the PDF."""

from __future__ import annotations

import re
from pathlib import Path

import pdfutil
import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from test_resolve import write  # files into a project folder, returning its outline

from studyguide.api import build_pdf, load_guide
from studyguide.layout.glossary import page_refs
from studyguide.model.diagnostics import GuideError
from studyguide.model.document import (
    GlossaryEntry,
    GlossaryList,
    GlossRef,
    Inline,
    Pos,
    Span,
    Strong,
    Text,
)
from studyguide.model.names import initial, name_key
from studyguide.model.traverse import walk_sections
from studyguide.resolve.glossary import sort_key


def outline(blocks: str, *, options: str = "", glossary: str = "../sections/glossary.yaml") -> str:
    return (f"title: Glossary test\nglossary: {glossary}\n{options}sections:\n"
            "  - id: one\n    title: One\n    blocks:\n" + blocks)


TERMS = """\
terms:
  - term: delta
    definition: "The fourth letter; not to be confused with [[alpha]]."
    see-also: [alpha, Beta]
  - term: alpha
    definition: The first letter.
  - term: gamma
    definition: The third letter.
  - term: beta
    definition: The second letter.
"""

# Every mention sits on a known page: page breaks between the markers P1, P2, P3.
PAGES = """\
      - paragraph: "Marker P1: the [[alpha]] word and [[delta]]."
      - page-break: true
      - paragraph: "Marker P2: [[delta]] again."
      - table:
          caption: Cells
          header: [Name, Note]
          rows:
            - ["[[beta]]", plain]
      - page-break: true
      - paragraph: "Marker P3: once more [[Alpha]] and [[DELTA|the fourth]]."
      - callout:
          kind: warning
          text: "Careful with [[gamma|the third one]]."
      - page-break: true
"""


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    root = tmp_path_factory.mktemp("glossary")
    result = build_pdf(write(root, {"outline/guide.yaml": outline(PAGES),
                                    "sections/glossary.yaml": TERMS}))
    assert result.warnings == ()  # a term in a table cell and in a callout counts as used
    return result.pdf


def _page_of(pdf: bytes, marker: str) -> int:
    (index,) = [i for i, text in enumerate(pdfutil.page_texts(pdf)) if marker in flat(text)]
    return index


def _glossary_page(pdf: bytes) -> int:
    """The glossary's page (these glossaries fit on one), from its bookmark."""
    (mark,) = [b for b in pdfutil.bookmarks(pdf) if b.title == "Glossary"]
    return mark.page


# ------------------------------------------------------------------ the PDF


def test_page_references_are_the_pages_where_the_terms_appear(built: bytes) -> None:
    labels = pdfutil.page_labels(built)
    p1, p2, p3 = (labels[_page_of(built, f"Marker P{n}")] for n in (1, 2, 3))
    assert (p1, p2, p3) == ("1", "2", "3")
    text = flat(pdfutil.page_texts(built)[_glossary_page(built)])
    assert f"alpha The first letter. Pages {p1}, {p3}" in text
    assert f"beta The second letter. Page {p2}" in text  # from a table cell
    assert f"gamma The third letter. Page {p3}" in text  # from a callout
    # three pages in a row print as a range; the mention of alpha in delta's
    # definition (on the glossary page) is not a use
    assert f"See also: alpha, beta. Pages {p1}\u2013{p3}" in text


def test_entries_are_alphabetical_under_letter_dividers(built: bytes) -> None:
    lines = pdfutil.page_lines(built)[_glossary_page(built)]
    start, end = lines.index("Glossary"), lines.index("Glossary test")  # the running head
    shown = [line.split()[0] for line in lines[start + 1:end]]
    assert shown == ["A", "alpha", "B", "beta", "D", "delta", "G", "gamma"]


def test_mentions_link_to_their_entry(built: bytes) -> None:
    glossary = _glossary_page(built)
    links = pdfutil.links(built)
    for marker, count in (("Marker P1", 2), ("Marker P2", 2), ("Marker P3", 3)):
        targets = [link.page for link in links[_page_of(built, marker)]]
        assert targets == [glossary] * count


def test_page_numbers_and_see_also_are_links(built: bytes) -> None:
    glossary = _glossary_page(built)
    body = [_page_of(built, f"Marker P{n}") for n in (1, 2, 3)]
    targets = [link.page for link in pdfutil.links(built)[glossary]]
    # alpha: 1, 3; beta: 2; delta: the mention of alpha in its definition and
    # see also alpha, beta (the glossary page), then 1 and 3 of the range; gamma: 3
    assert targets == [body[0], body[2], body[1], glossary, glossary, glossary, body[0], body[2],
                       body[2]]


def test_glossary_is_in_contents_and_bookmarks_unnumbered_after_the_body(built: bytes) -> None:
    glossary = _glossary_page(built)
    marks = pdfutil.bookmarks(built)
    assert [(b.level, b.title) for b in marks] == [(0, "Contents"), (0, "1  One"), (0, "Glossary")]
    assert marks[-1].page == glossary
    contents = pdfutil.page_lines(built)[1]
    label = pdfutil.page_labels(built)[glossary]
    after = contents[contents.index("Glossary") + 1:]
    assert next(x for x in after if not x.startswith(".")) == label
    assert not any(re.match(r"\d+ Glossary", line) for line in contents)


def test_a_use_on_the_glossary_page_counts_and_one_inside_the_glossary_does_not(
    tmp_path: Path,
) -> None:
    terms = ('terms:\n  - term: omega\n    definition: "Last; compare [[zeta]]."\n'
             "  - {term: zeta, definition: Sixth.}\n")
    path = write(tmp_path, {"outline/guide.yaml": outline('      - paragraph: "[[omega]]"\n'),
                            "sections/glossary.yaml": terms})
    result = build_pdf(path)
    assert [w.message for w in result.warnings] == [
        "glossary entry 'zeta' is never used in the text"]
    glossary = _glossary_page(result.pdf)
    assert pdfutil.page_labels(result.pdf)[glossary] == "1"  # the body's only page
    text = flat(pdfutil.page_texts(result.pdf)[glossary])
    assert "omega Last; compare zeta. Page 1" in text
    assert "zeta Sixth." in text and "Sixth. Page" not in text


# ------------------------------------------------------------- the resolve pass


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # messages name files relative to here
    return tmp_path


def _problems(root: Path, blocks: str, terms: str, options: str = "") -> list[str]:
    path = write(root, {"outline/guide.yaml": outline(blocks, options=options),
                        "sections/glossary.yaml": terms})
    with pytest.raises(GuideError) as caught:
        load_guide(path)
    return [d.format() for d in caught.value.diagnostics]


NE = """\
terms:
  - term: norepinephrine
    abbreviation: NE
    aliases: [noradrenaline]
    definition: A neurotransmitter.
"""


def test_unknown_term_is_an_error_at_the_mention_with_did_you_mean(project: Path) -> None:
    blocks = '      - paragraph: "[[NE]] and [[norepinephrin]] rise."\n'
    assert _problems(project, blocks, NE) == [
        "outline/guide.yaml:7:20: error: unknown glossary term 'norepinephrin'\n"
        "  hint: did you mean 'norepinephrine'?",
    ]


def test_unknown_term_without_a_close_match_says_how_to_fix_it(project: Path) -> None:
    blocks = '      - bullets: ["[[NE]]", "**[[zzz]]**"]\n'
    assert _problems(project, blocks, NE) == [
        "outline/guide.yaml:7:29: error: unknown glossary term 'zzz'\n"
        "  hint: add an entry for it to the glossary, or write it without [[ ]]",
    ]


def test_unused_entry_is_a_warning_at_the_entry(project: Path) -> None:
    terms = NE + "  - term: dopamine\n    definition: A [[noradrenaline]] precursor.\n"
    path = write(project, {"outline/guide.yaml": outline('      - paragraph: "[[NE]]"\n'),
                           "sections/glossary.yaml": terms})
    # a mention in another entry's definition is not a use in the text
    assert [w.format() for w in load_guide(path).warnings] == [
        "sections/glossary.yaml:6:5: warning: glossary entry 'dopamine' is never used in the "
        "text\n  hint: mark where it is used as [[dopamine]], or remove the entry "
        "(glossary-only-used: true prints only the terms a guide uses)",
    ]


def test_duplicate_term_is_an_error_at_the_second_entry(project: Path) -> None:
    terms = NE + "  - term: Noradrenaline\n    definition: Again.\n"
    blocks = '      - paragraph: "[[NE]]"\n'
    assert _problems(project, blocks, terms) == [
        "sections/glossary.yaml:6:5: error: duplicate glossary term 'Noradrenaline' (already "
        "an alias of 'norepinephrine' at line 2)\n"
        "  hint: a term, alias or abbreviation can mark only one entry; rename it, or merge "
        "the two entries",
    ]


def test_unknown_see_also_is_an_error_at_the_entry(project: Path) -> None:
    terms = NE + "    see-also: [noradrenaline, epinephrine]\n"
    assert _problems(project, '      - paragraph: "[[NE]]"\n', terms) == [
        "sections/glossary.yaml:2:5: error: unknown glossary term 'epinephrine' in the see-also "
        "of 'norepinephrine'\n  hint: did you mean 'norepinephrine'?",
    ]


def _entries(guide_path: Path) -> tuple[GlossaryEntry, ...]:
    guide = load_guide(guide_path).guide
    (block,) = guide.sections[-1].blocks
    assert isinstance(block, GlossaryList)
    return block.entries


def test_only_used_drops_unused_entries_and_links_to_them(project: Path) -> None:
    terms = (NE + "    see-also: [dopamine]\n"
             "  - term: dopamine\n    definition: See [[catecholamine]].\n"
             "  - term: catecholamine\n    definition: A kind of [[NE]].\n")
    path = write(project, {
        "outline/guide.yaml": outline('      - paragraph: "[[catecholamine]] [[NE]]"\n',
                                      options="glossary-only-used: true\n"),
        "sections/glossary.yaml": terms.replace("A neurotransmitter.",
                                                '"A [[dopamine]] product."'),
    })
    assert load_guide(path).warnings == ()
    entries = _entries(path)
    assert [e.term for e in entries] == ["catecholamine", "norepinephrine"]
    ne = entries[1]
    assert ne.see_also == ()
    # the mention of the dropped entry prints as plain text, the other still links
    refs = [s for s in ne.definition.spans if isinstance(s, GlossRef)]
    assert [(r.term, r.entry) for r in refs] == [("dopamine", "")]
    (kept,) = [s for s in entries[0].definition.spans if isinstance(s, GlossRef)]
    assert kept.entry == "norepinephrine"


def _mentions(spans: tuple[Span, ...]) -> list[GlossRef]:
    found: list[GlossRef] = []
    for span in spans:
        if isinstance(span, GlossRef):
            found.append(span)
        elif isinstance(span, Strong):
            found.extend(_mentions(span.children))
    return found


def test_expand_abbreviations_at_the_first_mention_only(project: Path) -> None:
    blocks = ('      - paragraph: "[[noradrenaline]] then **[[NE]]** then [[NE]]."\n'
              '      - paragraph: "[[Norepinephrine|norepinephrine]] and [[MAO]]"\n')
    terms = NE + ("  - term: monoamine oxidase\n    abbreviation: MAO\n"
                  "    definition: An enzyme.\n")
    path = write(project, {"outline/guide.yaml": outline(blocks,
                                                         options="expand-abbreviations: true\n"),
                           "sections/glossary.yaml": terms})
    sections = load_guide(path).guide.sections
    shown = [
        [r.children for r in _mentions(b.text.spans)]  # type: ignore[union-attr]
        for b in sections[0].blocks
    ]
    assert shown == [
        [(Text("noradrenaline"),), (Text("norepinephrine (NE)"),), (Text("NE"),)],
        [(Text("norepinephrine"),), (Text("monoamine oxidase (MAO)"),)],
    ]
    pdf = build_pdf(path).pdf
    body = flat(" ".join(pdfutil.page_texts(pdf)[2:]))
    assert "noradrenaline then norepinephrine (NE) then NE." in body
    assert "norepinephrine and monoamine oxidase (MAO)" in body


def test_a_term_marked_as_the_term_expands_with_its_abbreviation(project: Path) -> None:
    path = write(project, {
        "outline/guide.yaml": outline('      - paragraph: "[[Norepinephrine]] and [[NE]]"\n',
                                      options="expand-abbreviations: true\n"),
        "sections/glossary.yaml": NE})
    (paragraph,) = load_guide(path).guide.sections[0].blocks
    assert [r.children for r in _mentions(paragraph.text.spans)] == [  # type: ignore[union-attr]
        (Text("Norepinephrine"), Text(" (NE)")), (Text("NE"),)]


def test_an_inline_glossary_in_the_outline(project: Path) -> None:
    text = outline('      - paragraph: "[[Beta]] [[alpha]]"\n',
                   glossary="\n  - {term: beta, definition: Two.}\n"
                            "  - {term: alpha, definition: One.}",
                   options="glossary-title: Terms\n")
    path = write(project, {"outline/guide.yaml": text})
    guide = load_guide(path).guide
    last = guide.sections[-1]
    assert (last.id, last.title.source, last.unnumbered, last.number) == (
        "glossary", "Terms", True, "")
    assert [e.term for e in _entries(path)] == ["alpha", "beta"]
    assert [s.id for s in walk_sections(guide.sections)] == ["one", "glossary"]


def test_no_glossary_no_section(project: Path) -> None:
    text = "title: T\nsections:\n  - id: one\n    title: One\n    blocks: [paragraph: x]\n"
    guide = load_guide(write(project, {"outline/guide.yaml": text})).guide
    assert [s.id for s in guide.sections] == ["one"]


def test_terms_with_the_same_id_get_distinct_link_targets(project: Path) -> None:
    terms = ("terms:\n  - {term: alpha receptor, definition: One.}\n"
             "  - {term: Alpha-receptor, definition: Two.}\n")
    blocks = '      - paragraph: "[[alpha receptor]] [[alpha-receptor]]"\n'
    path = write(project, {"outline/guide.yaml": outline(blocks), "sections/glossary.yaml": terms})
    assert sorted(e.id for e in _entries(path)) == ["alpha-receptor", "alpha-receptor-2"]


# ------------------------------------------------------------------ ordering


def _entry(term: str) -> GlossaryEntry:
    pos = Pos("g.yaml", 1, 1)
    return GlossaryEntry(id=term, term=term, definition=Inline("", pos), pos=pos)


def test_sorting_ignores_case_and_accents_and_files_symbols_under_hash() -> None:
    terms = ["zeta", "Épinéphrine", "epsilon", "5-HT", "(S)-form", "Alpha", "beta", "éclair"]
    ordered = [e.term for e in sorted(map(_entry, terms), key=sort_key)]
    assert ordered == ["5-HT", "Alpha", "beta", "éclair", "Épinéphrine", "epsilon", "(S)-form",
                       "zeta"]
    assert [initial(t) for t in ordered] == ["#", "A", "B", "E", "E", "E", "S", "Z"]


def test_page_ranges() -> None:
    def link(n: int) -> str:
        return str(n)

    assert ", ".join(page_refs([1, 2, 3, 5, 7, 8, 10, 11, 12, 13], link)) == (
        "1\u20133, 5, 7, 8, 10\u201313")
    assert page_refs([], link) == []


# ------------------------------------------------------------ any text at all

# No controls: markdown-it reads NUL as U+FFFD, so a term holding one cannot be marked;
# no "@": that would be a citation of a key this outline lacks.
_MARKABLE = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="[]|@"),
                    min_size=1, max_size=20).filter(lambda s: s.strip() != "")


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(term=_MARKABLE, abbreviation=_MARKABLE, alias=_MARKABLE, definition=_MARKABLE)
def test_any_unicode_in_the_glossary_builds(tmp_path: Path, term: str, abbreviation: str,
                                            alias: str, definition: str) -> None:
    entry = {"term": term, "abbreviation": abbreviation, "aliases": [alias],
             "definition": definition}
    names = {name_key(n) for n in (term, abbreviation, alias)}
    assume(len(names) == 3)  # else a duplicate-name error, tested above
    text = {"title": "T", "glossary": [entry], "expand-abbreviations": True, "sections": [
        {"id": "s", "title": "S", "blocks": [{"paragraph": f"[[{abbreviation}]] [[{alias}]]"}]}]}
    path = write(tmp_path, {"outline/guide.yaml": yaml.safe_dump(text, allow_unicode=True)})
    result = build_pdf(path)
    assert all(w.severity == "warning" for w in result.warnings)
    assert _glossary_page(result.pdf) >= 2  # after the title and contents pages
    assert not [w for w in result.warnings if "never used" in w.message]


def test_a_name_matches_whether_its_accents_are_composed_or_not() -> None:
    composed, decomposed = "Caf\u00e9 au lait", "cafe\u0301  AU lait"
    assert name_key(composed) == name_key(decomposed) == "café au lait"
