"""Stage "validate": every problem, at its place, in plain words, with a breadcrumb."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from studyguide.load.loader import load_document
from studyguide.load.project import load_project
from studyguide.validate.schema import (
    SCHEMA,
    SCHEMA_PATH,
    breadcrumb,
    validate_document,
    validate_project,
)

DEFAULT_STYLE = Path(__file__).parent.parent / "studyguide" / "style" / "sheets" / "default.yaml"


@pytest.fixture(autouse=True)
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(name: str, text: str) -> Path:
    path = Path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def check(text: str, kind: str = "section", name: str = "s.yaml") -> list[str]:
    doc = load_document(write(name, text))
    return [line for d in validate_document(doc, kind) for line in d.format().splitlines()]


def section(blocks: str) -> str:
    """A section file 'x' whose blocks are `blocks` (indented YAML list items)."""
    return "id: x\ntitle: X\nblocks:\n" + textwrap.indent(textwrap.dedent(blocks).strip(), "  ")


# --------------------------------------------------------------------- good


def test_a_full_outline_and_section_are_valid() -> None:
    assert check("""
        title: Norepinephrine
        subtitle: A study guide
        author: [A. Writer, B. Writer]
        date: 2026-11-23
        version: "0.1"
        lang: en-GB
        subject: Pharmacology
        keywords: [norepinephrine]
        style: default
        toc: false
        sections:
          - include: ../sections/a.yaml
          - id: intro
            title: Introduction
            blocks:
              - paragraph: Text with **bold**.
              - bullets:
                  - First
                  - text: Second
                    numbered: [a, b]
                  - 12
              - numbered: [One, Two]
              - callout: {kind: key-point, title: T, text: t, blocks: [paragraph: p]}
              - table:
                  id: t1
                  caption: C
                  header: ["", A, B]
                  rows:
                    - [Dose, 12, 3.5]
                  source: S
                  widths: [1, 2, 2]
              - figure: {image: a.png, caption: C, source: S, width: 0.5}
              - page-break: true
            sections:
              - {id: sub, title: Sub}
    """, kind="outline") == []


def test_the_default_style_is_valid() -> None:
    assert validate_document(load_document(DEFAULT_STYLE), "style") == []


def test_the_schema_is_valid_and_its_top_level_takes_every_kind_of_file() -> None:
    assert json.loads(SCHEMA_PATH.read_text()) == SCHEMA
    Draft202012Validator.check_schema(SCHEMA)
    top = Draft202012Validator(SCHEMA)
    assert top.is_valid({"title": "T", "sections": [{"include": "a.yaml"}]})
    assert top.is_valid({"id": "a", "title": "A"})
    assert top.is_valid(load_document(DEFAULT_STYLE).data)
    assert not top.is_valid({"titel": "T"})


def test_unknown_kind_of_file() -> None:
    with pytest.raises(ValueError, match="unknown kind of file"):
        validate_document(load_document(write("a.yaml", "a: 1\n")), "glossary")


# ------------------------------------------------------------- keys, types


def test_unknown_key_with_did_you_mean_at_the_key() -> None:
    # The misspelt key is not reported a second time as a missing 'title'.
    assert check("id: what-is-ne\ntitel: What\n") == [
        "s.yaml:2:1: error: section 'what-is-ne': unknown key 'titel'",
        "  hint: did you mean 'title'?",
    ]


def test_unknown_key_lists_the_allowed_keys_when_nothing_is_close() -> None:
    assert check("id: a\ntitle: A\ncolour: blue\n") == [
        "s.yaml:3:1: error: section 'a': unknown key 'colour'",
        "  hint: allowed keys: id, title, blocks, sections, audiences, exclude-audiences, tags",
    ]


def test_missing_required_keys_at_the_mapping() -> None:
    assert check("title: T\nsections:\n  - id: x\n    blocks: []\n", kind="outline") == [
        "s.yaml:3:5: error: section 'x': missing required key 'title'",
    ]
    assert check("blocks: []\n") == [
        "s.yaml:1:1: error: section: missing required keys 'id' and 'title'",
    ]


def test_wrong_type() -> None:
    assert check("title: T\nsections: intro\ntoc: yes please\n", kind="outline") == [
        "s.yaml:2:11: error: sections: must be a list, not the text 'intro'",
        "s.yaml:3:6: error: toc: must be true or false, not the text 'yes please'",
    ]


def test_retyped_plain_scalars_get_a_quote_hint() -> None:
    assert check("""
        title: no
        version: 1.10
        date: 2024-05-01
        subject: ~
        sections: [{id: a, title: 1984}]
    """, kind="outline") == [
        "s.yaml:1:8: error: title: YAML reads no as the boolean false",
        '  hint: quote it: title: "no"',
        "s.yaml:2:10: error: version: YAML reads 1.10 as the number 1.1",
        '  hint: quote it: version: "1.10"',
        "s.yaml:4:10: error: subject: YAML reads ~ as null (no value)",
        '  hint: quote it: subject: "~"',
        "s.yaml:5:27: error: section 'a' > title: YAML reads 1984 as the number 1984",
        '  hint: quote it: title: "1984"',
    ]


def test_an_empty_value() -> None:
    assert check("id: a\ntitle:\n") == ["s.yaml:2:7: error: section 'a' > title: has no value"]


def test_invalid_id() -> None:
    assert check("id: What is NE?\ntitle: T\n") == [
        "s.yaml:1:5: error: section 'What is NE?' > id: 'What is NE?' is not a valid id",
        "  hint: use only letters, digits, '-' and '_', e.g. 'what-is-ne'",
    ]


def test_at_least_one_section() -> None:
    assert check("title: T\nsections: []\n", kind="outline") == [
        "s.yaml:2:11: error: sections: needs at least one section",
    ]


# ------------------------------------------------------------------ blocks


def test_unknown_block_type_with_did_you_mean() -> None:
    assert check(section("""
        - paragraph: fine
        - paragaph: Text
    """)) == [
        "s.yaml:5:5: error: section 'x' > block 2: unknown block type 'paragaph'",
        "  hint: did you mean 'paragraph'?",
    ]


def test_other_block_mistakes() -> None:
    assert check(section("""
        - Just some text
        - page-break
        - {paragraph: a, bullets: [b]}
        - caption: Forgot the table key
          header: [a]
          rows: [[b]]
        - {}
    """)) == [
        "s.yaml:4:5: error: section 'x' > block 1: must be a block (paragraph, bullets, "
        "numbered, callout, table, figure, page-break, steps, objectives, takeaways, questions), "
        "not the text 'Just some text'",
        "  hint: write text as: - paragraph: Your text",
        "s.yaml:5:5: error: section 'x' > block 2: must be a block (paragraph, bullets, "
        "numbered, callout, table, figure, page-break, steps, objectives, takeaways, questions), "
        "not the text 'page-break'",
        "  hint: write a page break as: - page-break: true",
        "s.yaml:6:20: error: section 'x' > block 3: has more than one block type: paragraph, "
        "bullets",
        "  hint: give each block its own '- ' item",
        "s.yaml:7:5: error: section 'x' > block 4: unknown block type 'caption'",
        "  hint: these keys belong under 'table:'",
        "s.yaml:10:5: error: section 'x' > block 5: must be a block (paragraph, bullets, "
        "numbered, callout, table, figure, page-break, steps, objectives, takeaways, questions), "
        "not empty",
    ]


def test_callouts() -> None:
    assert check(section("""
        - callout: {kind: keypoint, text: t}
        - callout:
            kind: warning
            blocks:
              - paragraph: fine
              - callout: {kind: warning, text: nested}
        - callout: {kind: remember}
        - page-break: false
    """)) == [
        "s.yaml:4:21: error: section 'x' > block 1 (callout) > kind: unknown callout kind "
        "'keypoint'",
        "  hint: did you mean 'key-point'?",
        "s.yaml:9:11: error: section 'x' > block 2 (callout) > block 2 (callout): a callout "
        "cannot hold another callout",
        "s.yaml:10:14: error: section 'x' > block 3 (callout): needs 'text' or 'blocks' (or both)",
        "s.yaml:11:17: error: section 'x' > block 4 (page-break): must be true, not the "
        "boolean false",
    ]


def test_lists() -> None:
    assert check(section("""
        - bullets:
            - Yes
            - 12
            - 1.10
            - [nested, wrongly]
            - {text: t, bulets: [a]}
            - You perceive danger: your brain reacts
        - numbered: []
    """)) == [
        "s.yaml:5:9: error: section 'x' > block 1 (bullets) > item 1: YAML reads Yes as the "
        "boolean true",
        '  hint: quote it: "Yes"',
        "s.yaml:8:9: error: section 'x' > block 1 (bullets) > item 4: must be text or a "
        "mapping, not a list",
        "s.yaml:9:19: error: section 'x' > block 1 (bullets) > item 5: unknown key 'bulets'",
        "  hint: did you mean 'bullets'?",
        "s.yaml:10:9: error: section 'x' > block 1 (bullets) > item 6: is read as a mapping, "
        "because of the ': ' in it",
        '  hint: put the whole text in quotes: "You perceive danger: your brain reacts"',
        "s.yaml:11:15: error: section 'x' > block 2 (numbered): must not be empty",
    ]


def test_figure_limits() -> None:
    assert check(section("- figure: {image: a.png, caption: Heart, width: 1.5}")) == [
        "s.yaml:4:51: error: section 'x' > figure 'Heart' > width: must be at most 1, not 1.5",
    ]


# ------------------------------------------------------------------ tables


def test_table_rows_cells_and_widths() -> None:
    text = """
        id: what-is-ne
        title: What is norepinephrine?
        blocks:
          - paragraph: Intro.
          - table:
              caption: Epinephrine vs norepinephrine
              header: ["", Epinephrine, Norepinephrine]
              rows:
                - [Hormone, "Yes", "Yes"]
                - [Neurotransmitter, Yes]
                - [Dose, 12, 3.5]
                - [Onset, 0.50, Fast]
              widths: [1, 2]
          - table: {caption: Empty, header: [], rows: []}
    """
    assert check(text, name="sections/ne.yaml") == [
        "sections/ne.yaml:10:11: error: section 'what-is-ne' > table 'Epinephrine vs "
        "norepinephrine' > row 2: has 2 cells, expected 3",
        "sections/ne.yaml:10:30: error: section 'what-is-ne' > table 'Epinephrine vs "
        "norepinephrine' > row 2 > cell 2: YAML reads Yes as the boolean true",
        '  hint: quote it: "Yes"',
        "sections/ne.yaml:13:15: error: section 'what-is-ne' > table 'Epinephrine vs "
        "norepinephrine' > widths: has 2 widths, expected 3 (one a column)",
        "sections/ne.yaml:14:37: error: section 'what-is-ne' > table 'Empty' > header: needs "
        "at least one column",
    ]


def test_table_without_a_caption_is_named_by_its_place() -> None:
    assert check(section("- table: {header: [a], rows: [[b, c]]}")) == [
        "s.yaml:4:12: error: section 'x' > block 1 (table): missing required key 'caption'",
        "s.yaml:4:33: error: section 'x' > block 1 (table) > row 1: has 2 cells, expected 1",
    ]


def test_breadcrumbs_stay_short() -> None:
    item: object = "leaf"
    for _ in range(5):
        item = {"text": "t", "bullets": [item]}
    data = {"id": "a", "blocks": [{"bullets": [item]}]}
    path = ("blocks", 0, "bullets", *(0, "bullets") * 4, 0)
    assert breadcrumb(data, "section", path) == (
        "section 'a' > block 1 (bullets) > ... > item 1 > item 1 > item 1")
    assert breadcrumb(data, "style", ("callouts", "warning", "accent")) == (
        "callouts > warning > accent")


# ------------------------------------------------------------------ styles


def test_bad_style_values() -> None:
    assert check("""
        page:
          size: A4
          margin-top: 12px
        text:
          size: 12
          color: #1a1a1a
          colr: "#fff"
        fonts:
          body: {regular: a.ttf}
        table: {zebra: none, rule-color: red}
    """, kind="style") == [
        "s.yaml:2:9: error: page > size: unknown value 'A4'",
        "  hint: did you mean 'a4'?",
        "s.yaml:3:15: error: page > margin-top: '12px' is not a length",
        "  hint: write a number and a unit: pt, mm, cm or in (e.g. 12pt)",
        "s.yaml:5:9: error: text > size: 12 has no unit",
        "  hint: write a number and a unit: pt, mm, cm or in (e.g. 12pt)",
        "s.yaml:6:9: error: text > color: has no value",
        '  hint: a "#" starts a comment in YAML, so put colours in quotes: "#1d4f91"',
        "s.yaml:7:3: error: text: unknown key 'colr'",
        "  hint: did you mean 'color'?",
        "s.yaml:9:9: error: fonts > body: missing required keys 'bold', 'italic' and "
        "'bold-italic'",
        "s.yaml:10:34: error: table > rule-color: 'red' is not a colour",
        '  hint: write #rrggbb or #rgb, in quotes: "#1d4f91"',
    ]


# ----------------------------------------------------------------- projects


def test_project_problems_across_files_sorted_by_file_then_line() -> None:
    write("outline/guide.yaml", """
        title: T
        sections:
          - include: ../sections/a.yaml
          - include: ../sections/b.yaml
          - {id: intro, title: Again}
          - include: ../sections/a.yaml
          - include: 3
    """)
    write("sections/a.yaml", "id: intro\ntitle: A\nsections:\n  - {id: deep, titel: D}\n")
    write("sections/b.yaml", "id: b\ntitle: B\nsections:\n  - {id: deep, title: D}\n")
    problems = validate_project(load_project(Path("outline/guide.yaml")))
    assert [line for d in problems for line in d.format().splitlines()] == [
        "outline/guide.yaml:5:10: error: duplicate section id 'intro' (first defined at "
        "sections/a.yaml:1:5)",
        "  hint: section ids must be unique",
        "outline/guide.yaml:6:14: error: '../sections/a.yaml' is included twice (first at "
        "outline/guide.yaml:3:14)",
        "  hint: a section file can appear once in a guide",
        "outline/guide.yaml:7:14: error: section 5 > include: YAML reads 3 as the number 3",
        '  hint: quote it: include: "3"',
        "sections/a.yaml:4:16: error: section 'intro' > section 'deep': unknown key 'titel'",
        "  hint: did you mean 'title'?",
        "sections/b.yaml:4:10: error: duplicate section id 'deep' (first defined at "
        "sections/a.yaml:4:10)",
        "  hint: section ids must be unique",
    ]


def test_include_mapping_with_section_keys() -> None:
    assert check("title: T\nsections:\n  - {include: a.yaml, id: x}\n", kind="outline") == [
        "s.yaml:3:23: error: section 'x': unknown key 'id'",
        "  hint: an item of 'sections' either includes a file or is a section, not both",
    ]


def test_the_shipped_guide_loads() -> None:
    outline = Path(__file__).parent.parent / "outline" / "norepinephrine.yaml"
    if not outline.exists():
        pytest.skip("no shipped guide yet")
    project = load_project(outline)
    for problem in validate_project(project):
        assert problem.pos is not None
        assert problem.pos.file.endswith(".yaml")


def test_a_list_item_can_be_text_variants() -> None:
    assert check(section("""
        - bullets:
            - {default: Full text, patient: Plain text}
            - {patient: A, nursing: B}
            - {default: Full text, bullets: [a]}
            - text: {default: Full text, patient: Plain text}
              bullets: [a]
    """)) == [
        "s.yaml:6:9: error: section 'x' > block 1 (bullets) > item 2: text variants need a "
        "'default'",
        "  hint: add the text for every other audience: default: ...",
        "s.yaml:7:9: error: section 'x' > block 1 (bullets) > item 3: missing required key "
        "'text'",
        "s.yaml:7:10: error: section 'x' > block 1 (bullets) > item 3: unknown key 'default'",
        "  hint: per-audience text beside a nested list goes under 'text': text: {default: "
        "..., patient: ...}",
    ]
