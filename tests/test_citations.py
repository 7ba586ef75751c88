"""Citations: formatted by Pandoc's citeproc in the guide's style, linked to the reference list.

The shipped short-name styles were compared with the published examples that
`test_each_style_prints_its_published_examples` rebuilds from their data:
- APA 7 (Publication Manual, 7th ed.): journal article, Grady et al. (2019),
  "Emotions in storybooks", section 10.1 example 1; web page without a date,
  U.S. Census Bureau, "U.S. and world population clock", section 10.16. Same text.
- AMA (AMA Manual of Style, 11th ed.): journal article, Tokarz et al. (2018),
  mSphere, 3.11; web page, CDC, "Mumps cases and outbreaks", 3.15.1. Same text,
  but for the "Updated" date the data has no field for.
- Vancouver (NLM, Citing Medicine, 2nd ed.): journal article, Petitti et al.,
  "Blood pressure levels before dementia", chapter 1 example 1; homepage,
  "AMA: helping doctors help patients [Internet]", chapter 25. Same text but for
  the page range's en dash (CSL's default; NLM prints "112-6"), the copyright
  range "c1995-2007" and the period after the address.
- Chicago author-date (Chicago Manual of Style, 17th ed., quick guide): journal
  article, Keng, Lin and Orazem (2017); web page, Google, "Privacy Policy". The
  CSL style prints "11 (1): 1–34" for the guide's "11, no. 1 (Spring): 1–34",
  and the date of a page without "Last modified".
- MLA 9 (MLA Handbook, 9th ed.): journal article, Goldman, "Questions of
  Transport"; web page, Bae, "Death on the Job". Same text, with "https://".
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pdfutil
import pytest
from test_resolve import write  # files into a project folder, returning its outline

from studyguide.api import build_pdf, load_guide
from studyguide.citations.styles import style_path
from studyguide.model.diagnostics import GuideError
from studyguide.model.document import (
    Cite,
    Emph,
    Glossary,
    GlossaryList,
    Guide,
    Inline,
    Text,
    plain_text,
)
from studyguide.model.traverse import map_inlines

FIXTURES = Path(__file__).parent / "citations"


def outline(tmp_path: Path, blocks: str, *, options: str = "csl: apa\n",
            bibliography: str = "works.json", files: dict[str, str] | None = None) -> Path:
    """A project whose one section holds `blocks` (YAML lines indented six spaces)."""
    (tmp_path / "outline").mkdir(parents=True, exist_ok=True)
    if (FIXTURES / bibliography).exists():
        shutil.copy(FIXTURES / bibliography, tmp_path / "outline" / bibliography)
    text = (f"title: Citations\nbibliography: {bibliography}\n{options}sections:\n"
            f"  - id: one\n    title: One\n    blocks:\n{blocks}")
    return write(tmp_path, {**(files or {}), "outline/guide.yaml": text})


def paragraph(text: str) -> str:
    return f"      - paragraph: {json.dumps(text)}\n"


def cited(guide: Guide) -> list[str]:
    """Every citation as printed in the sections, in reading order."""
    found: list[str] = []

    def visit(value: Inline) -> Inline:
        found.extend(plain_text(s.rendered) for s in value.spans if isinstance(s, Cite))
        return value

    map_inlines(replace(guide, glossary=Glossary()), visit)
    return found


def listed(guide: Guide) -> list[str]:
    return [(e.label + " " if e.label else "") + plain_text(e.spans)
            for e in guide.bibliography.entries]


def problems(path: Path) -> str:
    with pytest.raises(GuideError) as caught:
        load_guide(path)
    return str(caught.value)


TEXT = "First [@pollock]. Then [@cleveland2022; @adams2019]. Again [@cleveland2022]."


def test_apa_cites_author_and_year_and_lists_works_alphabetically(tmp_path):
    guide = load_guide(outline(tmp_path, paragraph(TEXT))).guide
    assert cited(guide) == ["(Pollock, n.d.)", "(Adams et al., 2019; Cleveland & Smith, 2022)",
                            "(Cleveland & Smith, 2022)"]
    assert listed(guide) == [
        "Adams, B., Brown, C., & Clark, D. (2019). Pharmacology. Elsevier.",
        "Cleveland, J. M., & Smith, A. (2022). Norepinephrine and the stress response. Journal "
        "of Physiology, 12(3), 100–110. https://doi.org/10.1000/xyz123",
        "Pollock, S. (n.d.). Noradrenaline explained. Retrieved March 1, 2024, from "
        "https://example.org/ne",
    ]
    references = guide.sections[-1]
    assert (references.id, plain_text(references.title), references.unnumbered) == \
        ("references", "References", True)


def test_vancouver_numbers_works_in_the_order_they_are_first_cited(tmp_path):
    guide = load_guide(outline(tmp_path, paragraph(TEXT), options="csl: vancouver\n")).guide
    assert cited(guide) == ["(1)", "(2,3)", "(2)"]
    assert listed(guide) == [
        "1. Pollock S. Noradrenaline explained [Internet]. [cited 2024 Mar 1]. Available from: "
        "https://example.org/ne",
        "2. Cleveland JM, Smith A. Norepinephrine and the stress response. Journal of "
        "Physiology. 2022 Mar;12(3):100–10. doi:10.1000/xyz123",
        "3. Adams B, Brown C, Clark D. Pharmacology. London: Elsevier; 2019.",
    ]


def test_the_pdf_shows_citations_and_a_reference_list_with_web_links(tmp_path):
    pdf = build_pdf(outline(tmp_path, paragraph(TEXT), options="csl: vancouver\n")).pdf
    text = " ".join(" ".join(lines) for lines in pdfutil.page_lines(pdf))
    assert "First (1). Then (2,3). Again (2)." in text
    assert "References 1. Pollock S. Noradrenaline explained [Internet]." in text
    uris = {link.uri for page in pdfutil.links(pdf) for link in page if link.uri}
    assert uris == {"https://example.org/ne", "https://doi.org/10.1000/xyz123"}


def test_every_citation_links_to_the_page_of_its_entry(tmp_path):
    count = 60  # enough entries to fill more than one page
    works = "".join(
        f"  - id: w{n:02d}\n    type: book\n    title: Work number {n:02d} on a long subject "
        f"that takes most of a line\n    author: [{{family: Author{n:02d}, given: A}}]\n"
        f"    issued: {1950 + n}\n" for n in range(count))
    cites = " ".join(f"[@w{n:02d}]" for n in range(count))
    path = outline(tmp_path, paragraph(cites), bibliography="[]",
                   options=f"csl: vancouver\nreferences:\n{works}")
    pdf = build_pdf(path).pdf
    pages = pdfutil.page_lines(pdf)
    entry_page = {n: next(i for i, lines in enumerate(pages)
                          if any(f"Work number {n:02d}" in line for line in lines))
                  for n in range(count)}
    assert len(set(entry_page.values())) > 1
    body = next(i for i, lines in enumerate(pages) if "(1) (2) (3)" in " ".join(lines))
    targets = [link.page for link in pdfutil.links(pdf)[body]]
    assert targets == [entry_page[n] for n in range(count)]


def test_narrative_suppressed_author_and_locators(tmp_path):
    text = ("@cleveland2022 found it [-@cleveland2022, p. 3]; see also [see @adams2019, "
            "pp. 10-12, for doses] and [@pollock, 7]. Mail a@b.org or @.")
    guide = load_guide(outline(tmp_path, paragraph(text))).guide
    assert cited(guide) == ["Cleveland & Smith (2022)", "(2022, p. 3)",
                            "(see Adams et al., 2019, pp. 10–12, for doses)",
                            "(Pollock, n.d., p. 7)"]
    assert plain_text(guide.sections[0].blocks[0].text).endswith("Mail a@b.org or @.")
    for style, expected in [
        # as pandoc prints them: a numeric style's narrative citation is its number
        ("vancouver", ["(1)", "(1)", "(see 2, for doses)", "(3)"]),
        # superscripts: in Unicode's forms where pandoc's plain text has them, raised
        # text otherwise ("p" has no form there)
        ("ama", ["¹", "1(p3)", "see 2(pp10-12), for doses", "3(p7)"]),
        ("mla", ["Cleveland and Smith", "(3)", "(see Adams et al. 10–12, for doses)",
                 "(Pollock 7)"]),
        ("chicago", ["Cleveland and Smith (2022)", "(2022, 3)",
                     "(see Adams et al. 2019, 10–12, for doses)",
                     "(Pollock, n.d., 7)"]),
    ]:
        path = outline(tmp_path / style, paragraph(text), options=f"csl: {style}\n")
        assert cited(load_guide(path).guide) == expected, style


def test_a_superscript_citation_takes_the_space_before_it(tmp_path):
    guide = load_guide(outline(tmp_path, paragraph("It works [@pollock]."),
                               options="csl: ama\n")).guide
    assert plain_text(guide.sections[0].blocks[0].text) == "It works¹."


def test_citations_in_every_text_field(tmp_path):
    blocks = (
        "      - bullets: ['Item [@pollock]']\n"
        "      - table:\n          caption: 'Doses [@adams2019]'\n"
        "          header: [Drug, Source]\n          rows: [[NE, '[@cleveland2022]']]\n"
        "          source: '@adams2019'\n"
        "      - callout:\n          kind: key-point\n          text: 'Boxed [@pollock]'\n")
    glossary = ("glossary:\n  - term: alpha\n    definition: 'Defined in [@cleveland2022].'\n")
    guide = load_guide(outline(tmp_path, blocks + paragraph("The [[alpha]] term."),
                               options="csl: vancouver\n" + glossary)).guide
    assert cited(guide) == ["(1)", "(2)", "(3)", "(2)", "(1)"]
    printed = guide.sections[1].blocks[0]
    assert isinstance(printed, GlossaryList)
    assert [plain_text(e.definition) for e in printed.entries] == ["Defined in (3)."]
    assert [plain_text(e.definition) for e in guide.glossary.entries] == ["Defined in (3)."]


def test_nocite_lists_works_that_are_not_cited(tmp_path):
    path = outline(tmp_path, paragraph("Only [@pollock]."),
                   options="csl: apa\nnocite: ['@adams2019']\n")
    loaded = load_guide(path)
    assert [e.id for e in loaded.guide.bibliography.entries] == ["adams2019", "pollock"]
    assert [w.message for w in loaded.warnings] == ["reference 'cleveland2022' is never cited",
                                                    "reference 'pollock' has no date"]
    path = outline(tmp_path / "all", paragraph("No citation."), options="nocite: '@*'\n")
    loaded = load_guide(path)
    assert [e.id for e in loaded.guide.bibliography.entries] == \
        ["adams2019", "cleveland2022", "pollock"]
    assert [w.message for w in loaded.warnings] == ["reference 'pollock' has no date"]


def test_a_guide_without_references_or_citations_has_no_list(tmp_path):
    path = write(tmp_path, {"outline/guide.yaml": "title: T\nsections:\n  - id: a\n"
                            "    title: A\n    blocks:\n      - paragraph: Mail a@b.org.\n"})
    guide = load_guide(path).guide
    assert [s.id for s in guide.sections] == ["a"] and guide.bibliography.entries == ()


# ---------------------------------------------------------------- messages


def test_an_unknown_key_is_an_error_at_the_citation(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = outline(tmp_path, "      - paragraph: See [@clevland2022] and [@zzz].\n"
                   '      - paragraph: "Quoted [@clevland2022]"\n')
    assert problems(path) == (
        "outline/guide.yaml:8:24: error: unknown citation key 'clevland2022'\n"
        "  hint: did you mean 'cleveland2022'?\n"
        "outline/guide.yaml:8:44: error: unknown citation key 'zzz'\n"
        "outline/guide.yaml:9:20: error: unknown citation key 'clevland2022'\n"
        "  hint: did you mean 'cleveland2022'?")


def test_an_unknown_style_is_an_error_with_close_names(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = outline(tmp_path, paragraph("[@pollock]"), options="csl: vancover\n")
    assert problems(path) == ("outline/guide.yaml:3:6: error: unknown citation style "
                              "'vancover'\n  hint: did you mean 'vancouver'?")
    path = outline(tmp_path, paragraph("[@pollock]"), options="citation-style: ieeee\n")
    assert problems(path) == (
        "outline/guide.yaml:3:17: error: unknown citation style 'ieeee'\n"
        "  hint: did you mean 'ieee' or 'ieee-pulse' or 'ieee-access'?")
    path = outline(tmp_path, paragraph("[@pollock]"), options="csl: styles/mine.csl\n")
    assert problems(path) == (
        "outline/guide.yaml:3:6: error: cannot find the citation style file 'styles/mine.csl'\n"
        "  hint: the path is relative to the outline's folder")
    with pytest.raises(GuideError, match=r"^error: unknown citation style 'nope'"):
        load_guide(path, citation_style="nope")


def test_a_csl_file_can_be_the_style(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "outline").mkdir()
    shutil.copy(style_path("ieee"), tmp_path / "outline" / "my-style.csl")
    path = outline(tmp_path, paragraph(TEXT), options="csl: my-style.csl\n")
    assert cited(load_guide(path).guide) == ["[1]", "[2], [3]", "[2]"]
    (tmp_path / "outline" / "broken.csl").write_text("<style>\n  <citation>\n</style>\n")
    path = outline(tmp_path, paragraph(TEXT), options="csl: broken.csl\n")
    assert problems(path) == ("outline/broken.csl:3:3: error: the citation style is not valid "
                              "XML: mismatched tag")


def test_unused_and_incomplete_references_are_warnings(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    refs = ("references:\n  - id: untitled\n    type: book\n    author: [{family: Doe}]\n"
            "  - id: spare\n    type: book\n    title: Spare\n    issued: 2000\n")
    path = outline(tmp_path, paragraph("See [@untitled]."), bibliography="[]",
                   options="csl: apa\n" + refs)
    loaded = load_guide(path)
    assert "\n".join(str(w) for w in loaded.warnings) == (
        "outline/guide.yaml:5:5: warning: reference 'untitled' has no title\n"
        "outline/guide.yaml:5:5: warning: reference 'untitled' has no date\n"
        '  hint: add its year ("issued" in CSL, "year" in BibTeX), or, if the work has none, '
        "say so with issued: {literal: n.d.}\n"
        "outline/guide.yaml:8:5: warning: reference 'spare' is never cited\n"
        "  hint: cite it as [@spare], or list it under nocite: to keep it")
    assert cited(loaded.guide) == ["(Doe, n.d.)"]
    result = build_pdf(loaded)
    assert "Doe. (n.d.)." in " ".join(pdfutil.page_texts(result.pdf))
    with pytest.raises(GuideError, match="error: reference 'spare' is never cited"):
        build_pdf(loaded, strict=True)


@pytest.mark.parametrize("style", ["apa", "vancouver", "chicago", "mla"])
def test_a_work_known_to_have_no_date(tmp_path, monkeypatch, style):
    # A web page without a date still warns; `issued: {literal: n.d.}` says the
    # author knows, and the style prints its own "n.d." (once).
    monkeypatch.chdir(tmp_path)
    page = ("references:\n  - id: page\n    type: webpage\n    title: A page\n"
            "    author: [{family: Doe}]\n    URL: https://example.org/a\n")
    path = outline(tmp_path, paragraph("See [@page]."), bibliography="[]",
                   options=f"csl: {style}\n" + page)
    assert [w.message for w in load_guide(path).warnings] == ["reference 'page' has no date"]
    path.write_text(path.read_text().replace("    URL:", "    issued: {literal: n.d.}\n    URL:"))
    loaded = load_guide(path)
    assert loaded.warnings == ()
    text = " ".join(pdfutil.page_texts(build_pdf(loaded).pdf))
    assert "n.d., n.d." not in text and "n.d. n.d." not in text


def test_a_title_in_the_author_place_is_not_repeated(tmp_path):
    refs = ("references:\n  - id: anon\n    type: post-weblog\n    title: Is There a Link?\n"
            "    container-title: Mental Health Daily\n    issued: 2014-05-08\n")
    path = outline(tmp_path, paragraph("[@anon]"), bibliography="[]", options="csl: apa\n" + refs)
    guide = load_guide(path).guide
    assert cited(guide) == ["(“Is There a Link?” 2014)"]  # APA: no comma after "?"
    assert listed(guide) == ["Is There a Link? (2014, May 8). Mental Health Daily."]


# ------------------------------------------------------- published examples

EXAMPLES = json.loads((FIXTURES / "published-examples.json").read_text())


@pytest.mark.parametrize("style", sorted(EXAMPLES))
def test_each_style_prints_its_published_examples(tmp_path, style):
    works, expected = EXAMPLES[style]["works"], EXAMPLES[style]["expected"]
    keys = "; ".join("@" + w["id"] for w in works)
    path = outline(tmp_path, paragraph(f"[{keys}]"), bibliography="examples.json",
                   options=f"csl: {style}\n", files={"outline/examples.json": json.dumps(works)})
    assert listed(load_guide(path).guide) == expected


def test_the_entries_keep_italics_as_spans(tmp_path):
    guide = load_guide(outline(tmp_path, paragraph("[@adams2019]"))).guide
    spans = guide.bibliography.entries[0].spans
    assert re.sub(r"\s+", " ", repr(spans)) == (
        "(Text(text='Adams, B., Brown, C., & Clark, D. (2019). '), "
        "Emph(children=(Text(text='Pharmacology'),)), Text(text='. Elsevier.'))")


def test_rich_text_of_csl_json_prints_as_italics(tmp_path):
    works = [{"id": "coli", "type": "book", "title": "<i>E. coli</i> & stress",
              "author": [{"family": "Li", "given": "X"}], "issued": {"date-parts": [[2001]]}}]
    path = outline(tmp_path, paragraph("[see @coli, p. 2 here] and @coli."),
                   bibliography="rich.json", files={"outline/rich.json": json.dumps(works)})
    guide = load_guide(path).guide
    assert cited(guide) == ["(see Li, 2001, p. 2 here)", "Li (2001)"]
    assert guide.bibliography.entries[0].spans == (
        Text("Li, X. (2001). "),
        Emph((Emph((Text("E. coli"),)), Text(" & stress"))),
        Text("."),
    )
