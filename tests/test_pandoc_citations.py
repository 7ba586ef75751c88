"""Pandoc's citeproc as the citation engine: the forms it reads, the locale, works
cited alike, RIS files, the on-disk cache of its runs, and a pandoc that is missing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_citations import cited, listed, outline, paragraph, problems

from studyguide.api import load_guide
from studyguide.citations import pandoc
from studyguide.citations.pandoc_ast import entries, to_spans
from studyguide.model.document import Emph, Link, ReferenceEntry, Shaped, Text, walk_spans

WORKS = [
    {"id": "lee-a", "type": "article-journal", "author": [{"family": "Lee", "given": "Ann"}],
     "title": "First findings", "issued": {"date-parts": [[2020]]}},
    {"id": "lee-b", "type": "article-journal", "author": [{"family": "Lee", "given": "Ann"}],
     "title": "Second findings", "issued": {"date-parts": [[2020]]}},
    {"id": "lee-c", "type": "article-journal", "author": [{"family": "Lee", "given": "Bo"}],
     "title": "Other findings", "issued": {"date-parts": [[2021]]}},
    {"id": "kim", "type": "book", "author": [{"family": "Kim", "given": "Jae"}],
     "title": "A book", "issued": {"date-parts": [[2019]]}},
]
SAME = {"outline/same.json": json.dumps(WORKS)}

# A CSL style that prints the author and year and cannot tell two works apart.
PLAIN_STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>Plain</title><id>plain</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout prefix="(" suffix=")" delimiter="; ">
    <names variable="author"><name form="short"/></names>
    <date variable="issued" prefix=" "><date-part name="year"/></date>
  </layout></citation>
  <bibliography><layout><text variable="title"/></layout></bibliography>
</style>
"""


def test_a_narrative_citation_takes_a_locator_in_brackets(tmp_path):
    text = "As @kim [p. 80] says, and @{lee-a} [chap. 2] too."
    guide = load_guide(outline(tmp_path, paragraph(text + " [@lee-b; @lee-c]"),
                               bibliography="same.json", files=SAME)).guide
    assert cited(guide) == ["Kim (2019, p. 80)", "A. Lee (2020a, Chapter 2)",
                            "(A. Lee, 2020b; B. Lee, 2021)"]


def test_works_the_style_tells_apart_by_letter_or_initial_are_no_warning(tmp_path):
    loaded = load_guide(outline(tmp_path, paragraph("[@lee-a; @lee-b; @lee-c; @kim]"),
                                bibliography="same.json", files=SAME))
    assert cited(loaded.guide) == ["(Kim, 2019; A. Lee, 2020a, 2020b; B. Lee, 2021)"]
    assert not [w for w in loaded.warnings if "alike" in w.message]


def test_works_a_style_cannot_tell_apart_are_a_warning_naming_both(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    files = {**SAME, "outline/plain.csl": PLAIN_STYLE}
    loaded = load_guide(outline(tmp_path, paragraph("[@lee-a] and [@lee-b] and [@kim]"),
                                bibliography="same.json", options="csl: plain.csl\n",
                                files=files))
    assert cited(loaded.guide) == ["(Lee 2020)", "(Lee 2020)", "(Kim 2019)"]
    alike = [str(w) for w in loaded.warnings if "alike" in w.message]
    assert alike == ["outline/same.json:1:156: warning: references 'lee-a' and 'lee-b' are "
                     "cited alike: (Lee 2020)\n  hint: the style cannot tell them apart; "
                     "readers cannot tell which of the two a citation means"]


def test_the_locale_follows_the_guides_language(tmp_path):
    text = paragraph("[@pollock; @adams2019]")
    guide = load_guide(outline(tmp_path, text, options="csl: apa\nlang: de-DE\n")).guide
    assert cited(guide) == ["(Adams et al., 2019; Pollock, o.\xa0J.)"]  # German: "o. J."


def test_numeric_runs_collapse_and_ama_citations_are_superscripts(tmp_path):
    text = "Four [@lee-a; @lee-b; @lee-c; @kim] and one with a page [@kim, p. 3]."
    guide = load_guide(outline(tmp_path, paragraph(text), bibliography="same.json",
                               options="csl: ama\n", files=SAME)).guide
    assert cited(guide) == ["1–4", "4(p3)"]  # raised text: no Unicode form for all of them
    spans = guide.sections[0].blocks[0].text.spans
    assert [s.shape for s in walk_spans(spans) if isinstance(s, Shaped)] == [
        "superscript", "superscript"]
    vancouver = load_guide(outline(tmp_path / "v", paragraph(text), bibliography="same.json",
                                   options="csl: vancouver\n", files=SAME)).guide
    assert cited(vancouver) == ["(1–4)", "(4)"]  # the NLM style prints no locator


def test_an_ris_file_is_read_by_pandoc(tmp_path):
    ris = ("TY  - JOUR\nID  - ris1\nAU  - Moss, Ada\nTI  - Tides\nT2  - Sea Journal\n"
           "PY  - 2018\nER  - \n\nTY  - BOOK\nAU  - Reed, Ian\nTI  - Rivers\nPY  - 2011\n"
           "ER  - \n")
    guide = load_guide(outline(tmp_path, paragraph("[@ris1; @Reed_2011]"),
                               bibliography="refs.ris", files={"outline/refs.ris": ris})).guide
    assert cited(guide) == ["(Moss, 2018; Reed, 2011)"]
    assert listed(guide) == ["Moss, A. (2018). Tides. Sea Journal.", "Reed, I. (2011). Rivers."]


def test_an_unchanged_build_does_not_run_pandoc_again(tmp_path, monkeypatch):
    monkeypatch.setenv("STUDYGUIDE_CACHE", str(tmp_path / "cache"))
    path = outline(tmp_path, paragraph("[@kim]"), bibliography="same.json", files=SAME)
    first = cited(load_guide(path).guide)
    assert len(list((tmp_path / "cache").glob("*.json"))) == 1

    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("pandoc ran again")

    monkeypatch.setattr(subprocess, "run", refused)
    assert cited(load_guide(path).guide) == first == ["(Kim, 2019)"]
    # a changed bibliography file is a new run
    (tmp_path / "outline" / "same.json").write_text(json.dumps([{**WORKS[3], "title": "B"}]))
    with pytest.raises(AssertionError, match="pandoc ran again"):
        load_guide(path)


def test_a_cache_that_cannot_be_written_is_no_error(tmp_path, monkeypatch):
    (tmp_path / "file").write_text("")
    monkeypatch.setenv("STUDYGUIDE_CACHE", str(tmp_path / "file" / "cache"))
    path = outline(tmp_path, paragraph("[@kim]"), bibliography="same.json", files=SAME)
    assert cited(load_guide(path).guide) == ["(Kim, 2019)"]


def test_without_pandoc_the_error_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STUDYGUIDE_PANDOC", raising=False)
    monkeypatch.setattr(pandoc.importlib.util, "find_spec", lambda name: None)
    monkeypatch.setattr(pandoc.shutil, "which", lambda name: None)
    pandoc._found.cache_clear()
    try:
        path = outline(tmp_path, paragraph("[@kim]"), bibliography="same.json", files=SAME)
        assert problems(path).splitlines()[0] == (
            "error: cannot format citations: pandoc is not installed "
            "(install it with 'pip install pypandoc-binary')")
    finally:
        pandoc._found.cache_clear()


def test_a_pandoc_that_cannot_run_here_is_one_line_too(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    fake = tmp_path / "pandoc"
    fake.write_bytes(b"\x7fELF not really")
    fake.chmod(0o755)
    monkeypatch.setattr(pandoc, "pandoc_binary", lambda: fake)
    path = outline(tmp_path, paragraph("[@kim]"), bibliography="same.json", files=SAME)
    assert problems(path).splitlines()[0] == (
        "error: cannot format citations: pandoc cannot run here (Exec format error) "
        "(install it again with 'pip install pypandoc-binary')")


def test_harvard_is_a_short_name(tmp_path):
    guide = load_guide(outline(tmp_path, paragraph("[@kim, p. 3]"), bibliography="same.json",
                               options="csl: harvard\n", files=SAME)).guide
    assert cited(guide) == ["(Kim, 2019, p. 3)"]


def test_the_bundled_pandoc_is_found(tmp_path):
    assert Path(pandoc.pandoc_binary()).name.startswith("pandoc")


def test_a_chosen_pandoc_older_than_the_minimum_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    old = tmp_path / "old-pandoc"
    old.write_text("#!/bin/sh\necho 'pandoc 2.19.2'\n")
    old.chmod(0o755)
    monkeypatch.setenv("STUDYGUIDE_PANDOC", str(old))
    path = outline(tmp_path, paragraph("[@kim]"), bibliography="same.json", files=SAME)
    assert problems(path).splitlines()[0] == (
        f"error: cannot format citations: pandoc 2.19.2 at {old} is older than 3.8.2 "
        "(install a newer one with 'pip install pypandoc-binary')")


def test_build_all_runs_pandoc_once_a_citation_style_even_on_two_cores(tmp_path, monkeypatch):
    # The shipped guide's six variants cite in two styles: vancouver (patient) and apa.
    log = tmp_path / "runs.log"
    wrapper = tmp_path / "pandoc"
    wrapper.write_text(f'#!/bin/sh\n[ "$1" = --version ] || echo run >> "{log}"\n'
                       f'exec "{pandoc.pandoc_binary()}" "$@"\n')
    wrapper.chmod(0o755)
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "STUDYGUIDE_PANDOC": str(wrapper),
           "STUDYGUIDE_CACHE": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "make_guide.py", "build", "--all", "--jobs", "2",
                           "-o", str(tmp_path / "out")], cwd=root, env=env,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert len(list((tmp_path / "out").glob("*.pdf"))) == 6
    assert log.read_text().count("run") == 2


# ------------------------------------------------------- pandoc's AST as spans


def _str(text: str) -> dict[str, object]:
    return {"t": "Str", "c": text}


def test_pandoc_inlines_become_spans_as_pandocs_plain_text_prints_them():
    link = {"t": "Link", "c": [["", [], []], [_str("12")], ["#ref-a", ""]]}
    inlines = [
        _str("A"), {"t": "Space"}, {"t": "Emph", "c": [_str("b")]},
        {"t": "Quoted", "c": [{"t": "DoubleQuote"}, [_str("q")]]},
        {"t": "Superscript", "c": [link]},  # every character has a Unicode form
        {"t": "Superscript", "c": [_str("1(p3)")]},  # "p" has none: raised text
        {"t": "Subscript", "c": [_str("2")]},
        {"t": "SmallCaps", "c": [_str("Ab")]},
        {"t": "Span", "c": [["", ["nocase"], []], [_str("<i>")]]},
        {"t": "RawInline", "c": ["html", "<b>"]}, {"t": "SoftBreak"}, _str("z"),
    ]
    assert to_spans(inlines) == (
        Text("A "), Emph((Text("b"),)), Text("\u201cq\u201d"),
        Link("#ref-a", (Text("¹²"),)), Shaped("superscript", (Text("1(p3)"),)), Text("₂"),
        Shaped("smallcaps", (Text("Ab"),)), Text("<i> z"))


def test_numeric_entries_keep_their_label_apart():
    entry = {"t": "Div", "c": [["ref-a", ["csl-entry"], []], [{"t": "Para", "c": [
        {"t": "Span", "c": [["", ["csl-left-margin"], []], [_str("1."), {"t": "Space"}]]},
        {"t": "Span", "c": [["", ["csl-right-inline"], []], [_str("Smith"), {"t": "Space"}]]},
    ]}]]}
    refs = {"t": "Div", "c": [["refs", ["references"], []], [entry]]}
    assert entries([refs]) == [ReferenceEntry("a", (Text("Smith"),), "1.")]


IBID_STYLE = PLAIN_STYLE.replace(
    '<names variable="author"><name form="short"/></names>',
    '<choose><if position="subsequent"><text value="again"/></if><else>'
    '<names variable="author"><name form="short"/></names></else></choose>')


def test_a_style_that_tests_positions_sees_every_citation(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = "[@kim] and [@kim] and [@lee-c] and [@kim]"
    path = outline(tmp_path, paragraph(text), bibliography="same.json",
                   options="csl: ibid.csl\n", files={**SAME, "outline/ibid.csl": IBID_STYLE})
    assert cited(load_guide(path).guide) == ["(Kim 2019)", "(again 2019)", "(Lee 2021)",
                                             "(again 2019)"]
    plain = outline(tmp_path / "plain", paragraph(text), bibliography="same.json",
                    options="csl: plain.csl\n", files={**SAME, "outline/plain.csl": PLAIN_STYLE})
    assert cited(load_guide(plain).guide) == ["(Kim 2019)", "(Kim 2019)", "(Lee 2021)",
                                              "(Kim 2019)"]
