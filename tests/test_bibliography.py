"""Where works come from: CSL-JSON, BibTeX and CSL-YAML files, their positions and mistakes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_resolve import write  # files into a project folder, returning its outline

from studyguide.api import load_guide
from studyguide.load import loader
from studyguide.model.diagnostics import GuideError
from studyguide.model.document import plain_text

FIXTURES = Path(__file__).parent / "citations"


def project(tmp_path: Path, bibliography: str, *, style: str = "apa", text: str = "X [@a].",
            files: dict[str, str] | None = None) -> Path:
    """An outline naming `bibliography` (files in tests/citations/ are copied beside it)."""
    (tmp_path / "outline").mkdir(parents=True, exist_ok=True)
    for name in bibliography.strip("[]").split(", "):
        if (FIXTURES / name).exists():
            shutil.copy(FIXTURES / name, tmp_path / "outline" / name)
    return write(tmp_path, {**(files or {}), "outline/guide.yaml": (
        f"title: T\ncsl: {style}\nbibliography: {bibliography}\nsections:\n"
        f"  - id: a\n    title: A\n    blocks:\n      - paragraph: '{text}'\n")})


def problems(outline: Path) -> str:
    with pytest.raises(GuideError) as caught:
        load_guide(outline)
    return str(caught.value)


def entries(outline: Path) -> list[str]:
    guide = load_guide(outline).guide
    return [f"{e.id}|{e.label}|{plain_text(e.spans)}" for e in guide.bibliography.entries]


CITED = "[@pollock; @cleveland2022] and [@adams2019]"


@pytest.mark.parametrize("style", ["apa", "vancouver", "mla"])
def test_bibtex_csl_json_and_csl_yaml_give_the_same_reference_list(tmp_path, style):
    lists = [entries(project(tmp_path / name, name, style=style, text=CITED))
             for name in ("works.json", "works.bib", "works.yaml")]
    assert len(lists[0]) == 3
    assert lists[0] == lists[1] == lists[2]


def test_a_csl_yaml_file_is_parsed_once(tmp_path, monkeypatch):
    parsed: list[str] = []
    build = loader._Builder.build

    def counting(self: loader._Builder, text: str) -> object:
        parsed.append(self.display)
        return build(self, text)

    monkeypatch.setattr(loader._Builder, "build", counting)
    assert len(entries(project(tmp_path, "works.yaml", text=CITED))) == 3
    assert [shown for shown in parsed if shown.endswith("works.yaml")] == [
        str(tmp_path / "outline" / "works.yaml")]


def test_a_bibtex_file_keeps_urls_access_dates_and_case_of_keys(tmp_path):
    listed = entries(project(tmp_path, "works.bib", text=CITED))
    assert listed[2] == ("pollock||Pollock, S. (n.d.). Noradrenaline explained. "
                         "Retrieved March 1, 2024, from https://example.org/ne")
    bib = "@Article{Smith2020,\n  title = {Upper {DNA} case},\n  year = {2020},\n}\n"
    outline = project(tmp_path / "case", "mine.bib", text="[@Smith2020]",
                      files={"outline/mine.bib": bib})
    assert entries(outline) == ["Smith2020||Upper DNA case. (2020)."]


def test_several_files_and_inline_references_together(tmp_path):
    outline = project(tmp_path, "[works.json, more.yaml]", text="[@extra; @adams2019]",
                      files={"outline/more.yaml": "references:\n  - id: extra\n    type: book\n"
                             "    title: Extra\n    issued: 2001\n"})
    assert [e.split("|")[0] for e in entries(outline)] == ["adams2019", "extra"]


def test_duplicate_ids_across_files_are_an_error_at_the_second(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    outline = project(tmp_path, "[works.json, works.yaml]")
    assert problems(outline) == (
        "outline/works.yaml:3:5: error: duplicate reference id 'cleveland2022'\n"
        "  hint: it is also defined at outline/works.json:2:3\n"
        "outline/works.yaml:17:5: error: duplicate reference id 'pollock'\n"
        "  hint: it is also defined at outline/works.json:17:3\n"
        "outline/works.yaml:25:5: error: duplicate reference id 'adams2019'\n"
        "  hint: it is also defined at outline/works.json:25:3")


@pytest.mark.parametrize(("text", "message"), [
    ("@article{a,\n  title = {T}\n  year = {2020}\n}\n",
     "outline/bad.bib:3:3: error: cannot read the bibliography: unexpected 'y'"),
    ("@book{ok, title = {Fine}, year = {2001}}\n\n@book{b,\n  title = {T\n",
     "outline/bad.bib:4:13: error: cannot read the bibliography: unexpected end of input\n"
     "  hint: an entry or a value is not closed: a '}' or '\"' is missing"),
    ("@book{a, title = {A}, year = {2000}}\n@book{a, title = {B}, year = {2001}}\n",
     "outline/bad.bib:2:1: error: duplicate reference id 'a'\n"
     "  hint: it is also defined at outline/bad.bib:1:1"),
    ("TY  - JOUR\nTI  - x\n",
     "outline/bad.ris:2:8: error: cannot read the bibliography: unexpected '\\n'"),
])
def test_malformed_bibtex_or_ris_is_an_error_where_the_problem_is(tmp_path, monkeypatch, text,
                                                                  message):
    monkeypatch.chdir(tmp_path)
    name = "bad.ris" if text.startswith("TY") else "bad.bib"
    assert problems(project(tmp_path, name, files={f"outline/{name}": text})) == message


@pytest.mark.parametrize(("text", "message"), [
    ('[\n  {"id": "a", "title": "T"},\n]\n',
     "outline/bad.json:3:1: error: invalid JSON: Expecting value\n"
     "  hint: JSON allows no comma after the last item"),
    ('[\n  {"id": "a" "title": "T"}\n]\n',
     "outline/bad.json:2:14: error: invalid JSON: Expecting ',' delimiter"),
    ('{"id": "a"}',
     "outline/bad.json:1:1: error: a CSL-JSON file holds a list of works\n"
     '  hint: write it as [{"id": "key", "type": ..., "title": ...}, ...]'),
    ('[{"id": "a"},\n {"title": "x"}]',
     "outline/bad.json:2:2: error: a work without an 'id'\n"
     '  hint: each work is an object with "id": "key"'),
])
def test_a_csl_json_file_that_is_not_valid_is_an_error_at_its_line(tmp_path, monkeypatch, text,
                                                                      message):
    monkeypatch.chdir(tmp_path)
    assert problems(project(tmp_path, "bad.json", files={"outline/bad.json": text})) == message


def test_a_file_of_another_kind_or_encoding_is_an_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    outline = project(tmp_path, "refs.txt", files={"outline/refs.txt": "x"})
    assert problems(outline) == (
        "outline/guide.yaml:3:15: error: cannot read 'refs.txt' as a bibliography\n"
        "  hint: give a CSL-YAML (.yaml), CSL-JSON (.json), BibTeX or BibLaTeX (.bib) or RIS "
        "(.ris) file")
    (tmp_path / "outline" / "latin.bib").write_bytes(b"@book{a,\n title = {Caf\xe9}}\n")
    outline = project(tmp_path, "latin.bib")
    assert problems(outline) == (
        "outline/latin.bib:2:14: error: the file is not UTF-8: byte 0xe9 cannot be read\n"
        "  hint: export it again with the encoding UTF-8")

