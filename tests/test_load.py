"""Stage "load": YAML files become data with positions, or clear positioned errors."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from studyguide.load import loader
from studyguide.load.loader import load_document
from studyguide.load.project import load_project
from studyguide.load.yaml_errors import BREAKS, syntax_error
from studyguide.model.diagnostics import GuideError, line_col
from studyguide.model.document import Pos


@pytest.fixture(autouse=True)
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in tmp_path, so diagnostics name files relative to it, as a user would see them."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(params=["C", "Python"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both the libyaml parser and the pure-Python fallback."""
    if request.param == "Python":
        monkeypatch.setattr(loader, "_PARSER", yaml.SafeLoader)
    elif not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML without libyaml")
    return str(request.param)


def write(name: str, text: str) -> Path:
    path = Path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def problems(name: str, text: str | None = None, **kwargs: str) -> list[str]:
    path = write(name, text) if text is not None else Path(name)
    with pytest.raises(GuideError) as exc:
        load_document(path, **kwargs)
    return exc.value.format().splitlines()


# ----------------------------------------------------------------- good files


def test_data_positions_and_retyped_scalars(parser: str) -> None:
    doc = load_document(write("outline.yaml", """
        title: no
        version: 1.10
        date: 2024-05-01
        author: [A. Writer, "B. Writer"]
        sections:
          - id: intro
            title: "Yes"
            count: 12
            blank:
    """))
    assert doc.data == {
        "title": False, "version": 1.1, "date": "2024-05-01",
        "author": ["A. Writer", "B. Writer"],
        "sections": [{"id": "intro", "title": "Yes", "count": 12, "blank": None}],
    }
    assert doc.path == Path("outline.yaml").resolve()
    assert doc.display == "outline.yaml"
    assert doc.pos(("title",)) == Pos("outline.yaml", 1, 8)
    assert doc.pos(("author", 1)) == Pos("outline.yaml", 4, 21)
    assert doc.pos(("sections", 0)) == Pos("outline.yaml", 6, 5)
    assert doc.key_pos(("sections", 0, "title")) == Pos("outline.yaml", 7, 5)
    assert doc.pos(("sections", 0, "title")) == Pos("outline.yaml", 7, 12)
    # A path that does not exist is placed at its nearest ancestor.
    assert doc.pos(("sections", 0, "blocks", 3)) == Pos("outline.yaml", 6, 5)
    assert doc.key_pos(("nowhere",)) == Pos("outline.yaml", 1, 1)
    # Dates stay as written and are not "implicit"; quoted scalars never are.
    assert doc.implicit == {
        ("title",): "no", ("version",): "1.10",
        ("sections", 0, "count"): "12", ("sections", 0, "blank"): "",
    }


def test_keys_stay_text(parser: str) -> None:
    doc = load_document(write("a.yaml", "no: 1\n2: b\n"))
    assert doc.data == {"no": 1, "2": "b"}


def test_anchors_aliases_and_merge_keys(parser: str) -> None:
    doc = load_document(write("a.yaml", """
        base: &base {kind: warning, text: t}
        copy: *base
        merged:
          <<: *base
          text: own
    """))
    assert doc.data["copy"] == {"kind": "warning", "text": "t"}
    assert doc.data["merged"] == {"text": "own", "kind": "warning"}
    assert doc.pos(("merged", "kind")) == Pos("a.yaml", 4, 7)
    assert doc.pos(("copy", "kind")) == Pos("a.yaml", 2, 7)


def test_bom_and_crlf_are_fine(parser: str) -> None:
    Path("a.yaml").write_bytes(b"\xef\xbb\xbftitle: T\r\nsub: S\r\n")
    doc = load_document(Path("a.yaml"))
    assert doc.data == {"title": "T", "sub": "S"}
    assert doc.pos(("sub",)) == Pos("a.yaml", 2, 6)


def test_display_is_absolute_outside_the_current_folder(tmp_path: Path) -> None:
    write("sub/a.yaml", "a: 1\n")
    os.chdir("sub")
    doc = load_document(Path("../sub/a.yaml"))
    assert doc.display == "a.yaml"
    os.chdir(tmp_path / "sub" / "..")
    (tmp_path / "elsewhere").mkdir()
    os.chdir(tmp_path / "elsewhere")
    outside = load_document(Path("../sub/a.yaml"))
    assert outside.display == str(tmp_path / "sub" / "a.yaml")
    assert load_document(tmp_path / "sub" / "a.yaml", display="x").display == "x"


printable = st.characters(blacklist_categories=("Cs",))


@settings(max_examples=200, deadline=None)
@given(values=st.lists(st.text(printable), min_size=1, max_size=5), unicode=st.booleans())
def test_text_values_round_trip(values: list[str], unicode: bool) -> None:
    # PyYAML's emitter writes NEL (U+0085) unescaped with allow_unicode, and then
    # reads it back as a line break: yaml.safe_load does not round-trip it either.
    assume(not unicode or not any("\x85" in value for value in values))
    data = {"title": values[0], "items": values, "nested": {"text": values[-1]}}
    Path("rt.yaml").write_text(yaml.safe_dump(data, allow_unicode=unicode), encoding="utf-8")
    assert load_document(Path("rt.yaml")).data == data


# ------------------------------------------------------------- syntax errors


def test_value_with_colon(parser: str) -> None:
    assert problems("a.yaml", "title: Stress: the basics\n") == [
        "a.yaml:1:14: error: a value that contains ': ' must be in quotes",
        '  hint: write it as: title: "Stress: the basics"',
    ]


def test_tab_indentation(parser: str) -> None:
    assert problems("a.yaml", "title: T\nsections:\n\t- id: a\n") == [
        "a.yaml:3:1: error: tabs are not allowed for indentation in YAML; use spaces",
        "  hint: set your editor to insert spaces when you press Tab",
    ]
    assert problems("b.yaml", "a:\n  b: 1\n  \tc: 2\n")[0] == (
        "b.yaml:3:3: error: tabs are not allowed for indentation in YAML; use spaces")


def test_other_syntax_errors_in_plain_words(parser: str) -> None:
    assert problems("a.yaml", "title: x\nsections\n  - a\n")[0] == (
        "a.yaml:2:1: error: this line is not 'key: value'; the ':' is missing")
    assert problems("b.yaml", 'title: "abc\n')[0] == (
        "b.yaml:1:8: error: this quoted text is never closed")
    assert problems("c.yaml", "p: [a link](https://x) more\n") == [
        "c.yaml:1:12: error: a value that starts with '[' is read as a list; text that starts "
        "with it must be in quotes",
        '  hint: write it as: p: "[a link](https://x) more"',
    ]
    assert problems("d.yaml", "p: **bold** text\n")[0] == (
        "d.yaml:1:5: error: a value that starts with '*' must be in quotes")
    assert problems("e.yaml", "p: *italic\n")[0] == (
        "e.yaml:1:4: error: '*italic' is read as a YAML alias, but there is no anchor "
        "'&italic' above it")
    assert problems("f.yaml", "p: 'it's'\n")[0] == (
        "f.yaml:1:8: error: text goes on after the closing quote")
    assert problems("g.yaml", "a: [1, 2\nb: 3\n")[0].startswith(
        "g.yaml:2:2: error: expected ',' or ']' in the list that starts at line 1")
    assert problems("h.yaml", "a:\n  - x\n - y\n")[0] == (
        "h.yaml:3:2: error: this line does not line up with the keys of the mapping that "
        "starts at line 1")
    assert "error: a backslash in double-quoted text starts an escape such as \\n; this one is " \
        "unknown" in problems("i.yaml", 'p: "C:\\path"\n')[0]


def test_a_hint_shows_an_excerpt_of_a_long_line_not_the_line(parser: str) -> None:
    found = problems("a.yaml", "p: [a link](https://x) " + "more " * 20_000 + "\n")
    assert found[0].startswith("a.yaml:1:12: error: a value that starts with '[' is read as")
    assert found[1] == '  hint: write it as: p: "[a link](https://x) more more more more more ' \
        'more more more…"'


def test_a_problem_the_advice_does_not_know_is_shown_as_it_is() -> None:
    class Mark:
        line, column = 0, 1006

    line = "title: " + "[" * 50_000
    said = syntax_error("exceeded some new limit of libyaml", "while doing something",
                        Mark(), Mark(), line, "g.yaml")
    assert said.format() == ("g.yaml:1:1007: error: YAML cannot read this: exceeded some new "
                             "limit of libyaml (while doing something at line 1)")


def test_libyamls_own_nesting_limit_is_reported_where_ours_is_passed() -> None:
    # libyaml stops at 1,000 levels; the loader reads the text again up to there.
    class Mark:
        line, column, index = 0, 1006, 1006

    text = "title: " + "[" * 50_000
    builder = loader._Builder("g.yaml")
    assert str(builder.too_deep(text, Mark()).pos) == "g.yaml:1:207"

    class Early:
        line, column, index = 0, 150, 150

    said = builder.too_deep(text, Early())  # no deeper than 200 before it: said where it stopped
    assert said.format() == ("g.yaml:1:151: error: nesting is too deep (more than 200 levels)\n"
                             "  hint: lists and mappings this deep are a mistake")


def test_duplicate_keys_are_all_reported(parser: str) -> None:
    assert problems("a.yaml", "title: A\nb: 1\ntitle: B\nc: {x: 1, x: 2}\n") == [
        "a.yaml:3:1: error: duplicate key 'title' (first at line 1)",
        "  hint: each key may appear once in a mapping; remove or rename one of them",
        "a.yaml:4:11: error: duplicate key 'x' (first at line 4)",
        "  hint: each key may appear once in a mapping; remove or rename one of them",
    ]


def test_several_documents(parser: str) -> None:
    assert problems("a.yaml", "title: A\n---\ntitle: B\n") == [
        "a.yaml:2:1: error: a file holds one YAML document, but a second one starts here",
        "  hint: remove this '---' line, or move what follows into a file of its own",
    ]


def test_python_and_unknown_tags(parser: str) -> None:
    assert problems("a.yaml", "a: !!python/object/apply:os.system [ls]\nb: !note x\n") == [
        "a.yaml:1:4: error: the tag '!!python/object/apply:os.system' is not allowed: files are "
        "loaded safely, so they cannot create Python objects",
        "  hint: remove the tag; text that starts with '!' must be in quotes",
        "a.yaml:2:4: error: the tag '!note' is not supported; files hold only text, numbers, "
        "true/false, lists and mappings",
        "  hint: remove the tag; text that starts with '!' must be in quotes",
    ]


def test_complex_key(parser: str) -> None:
    assert problems("a.yaml", "? [a, b]\n: c\n")[0] == (
        "a.yaml:1:3: error: a key must be text, not a list or mapping")


# ------------------------------------------------------------ file problems


def test_empty_files_say_what_they_should_hold() -> None:
    assert problems("outline.yaml", "", kind="outline") == [
        "outline.yaml:1:1: error: the file is empty; an outline needs at least 'title' and "
        "'sections'",
    ]
    assert problems("s.yaml", "# only a comment\n---\n", kind="section") == [
        "s.yaml:1:1: error: the file is empty; a section file needs at least 'id' and 'title'",
    ]


def test_top_level_must_be_a_mapping(parser: str) -> None:
    assert problems("a.yaml", "# intro\n- id: a\n- id: b\n") == [
        "a.yaml:2:1: error: the top level must be a mapping (key: value lines), not a list",
    ]
    assert problems("b.yaml", "just text\n") == [
        "b.yaml:1:1: error: the top level must be a mapping (key: value lines), not text",
    ]


def test_not_utf8() -> None:
    Path("a.yaml").write_bytes(b"title: T\nauthor: Ren\xe9e\n")
    assert problems("a.yaml") == [
        "a.yaml:2:12: error: the file is not UTF-8: byte 0xe9 cannot be read",
        "  hint: save it with the encoding UTF-8 (most editors offer it under 'Save as')",
    ]


def test_control_character() -> None:
    assert problems("a.yaml", "title: A\x0cB\n") == [
        "a.yaml:1:9: error: the file contains the control character U+000C, which YAML does "
        "not allow",
        "  hint: delete it; it often comes with text copied from a PDF or word processor",
    ]


def test_missing_file_with_suggestion() -> None:
    write("outline/guide.yaml", "title: T\n")
    assert problems("outline/giude.yaml") == [
        "error: cannot read 'outline/giude.yaml': no such file",
        "  hint: did you mean 'guide.yaml'?",
    ]


def test_folder_and_fifo_are_refused_without_blocking() -> None:
    write("outline/guide.yaml", "title: T\n")
    assert problems("outline") == [
        "error: cannot read 'outline': it is a folder, not a file",
        "  hint: give a file in it, such as guide.yaml",
    ]
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this system")
    os.mkfifo("pipe.yaml")
    assert problems("pipe.yaml") == [
        "error: cannot read 'pipe.yaml': it is not a regular file (a pipe or a device)",
        "  hint: give the path of a file saved on disk",
    ]
    with pytest.raises(GuideError, match="not a regular file"):
        load_project(Path("pipe.yaml"))


# ------------------------------------------------------------------- guards


def test_deep_flow_nesting_is_refused_without_crashing(parser: str) -> None:
    Path("a.yaml").write_text("a: " + "[" * 50_000 + "]" * 50_000 + "\n")
    assert problems("a.yaml") == [
        "a.yaml:1:203: error: nesting is too deep (more than 200 levels)",
        "  hint: lists and mappings this deep are a mistake",
    ]


def test_brackets_in_quotes_do_not_fool_the_depth_guard() -> None:
    Path("a.yaml").write_text("a: " + '["]", ' * 30_000 + "]" * 30_000 + "\n")
    assert problems("a.yaml")[0] == (
        "a.yaml:1:1198: error: nesting is too deep (more than 200 levels)")


def test_deep_block_nesting_is_refused(parser: str) -> None:
    Path("a.yaml").write_text("a:\n" + "- " * 50_000 + "x\n")
    assert problems("a.yaml")[0] == (
        "a.yaml:2:399: error: nesting is too deep (more than 200 levels)")
    indented = "".join(" " * level + "k:\n" for level in range(300))
    Path("b.yaml").write_text(indented + " " * 300 + "leaf\n")
    assert problems("b.yaml")[0] == (
        "b.yaml:201:201: error: nesting is too deep (more than 200 levels)")


def test_nesting_up_to_the_limit_loads(parser: str) -> None:
    Path("a.yaml").write_text("a: " + "[" * 199 + "]" * 199 + "\n")
    node, depth = load_document(Path("a.yaml")).data["a"], 1
    while node:
        node, depth = node[0], depth + 1
    assert depth == 199


def test_alias_bomb_is_refused() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for prev, name in zip("abcdefg", "bcdefgh", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    assert problems("a.yaml", "\n".join(lines) + "\n") == [
        "a.yaml:6:36: error: the file holds more than 1,000,000 values",
        "  hint: aliases (*name) repeat everything their anchor holds; use fewer",
    ]


def test_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    with open("big.yaml", "wb") as stream:
        stream.truncate(21 * 2**20)  # sparse: nothing is written
    assert problems("big.yaml") == [
        "big.yaml:1:1: error: the file is too large (21.0 MB; the limit is 20 MB)",
        "  hint: check that this is the file you meant; a long guide is split into section "
        "files, each named under 'include:'",
    ]


# ----------------------------------------------------------------- projects


def project(files: dict[str, str]) -> Path:
    for name, text in files.items():
        write(name, text)
    return Path("outline/guide.yaml")


def project_problems(files: dict[str, str]) -> list[str]:
    with pytest.raises(GuideError) as exc:
        load_project(project(files))
    return exc.value.format().splitlines()


def test_project_loads_includes_once(here: Path) -> None:
    outline = project({
        "outline/guide.yaml": """
            title: T
            sections:
              - include: ../sections/a.yaml
              - id: inline
                title: I
                sections:
                  - include: ../sections/b.yaml
              - include: ../sections/a.yaml
        """,
        "sections/a.yaml": "id: a\ntitle: A\nsections:\n  - include: sub/c.yaml\n",
        "sections/b.yaml": "id: b\ntitle: B\n",
        "sections/sub/c.yaml": "id: c\ntitle: C\n",
    })
    loaded = load_project(outline)
    assert loaded.root == here.resolve()
    sections = here.resolve() / "sections"
    assert list(loaded.documents) == [
        here.resolve() / "outline/guide.yaml", sections / "a.yaml", sections / "sub/c.yaml",
        sections / "b.yaml",
    ]
    guide = loaded.outline.path
    assert loaded.includes == {
        (guide, ("sections", 0)): sections / "a.yaml",
        (sections / "a.yaml", ("sections", 0)): sections / "sub/c.yaml",
        (guide, ("sections", 1, "sections", 0)): sections / "b.yaml",
        (guide, ("sections", 2)): sections / "a.yaml",
    }
    assert loaded.documents[sections / "b.yaml"].display == "sections/b.yaml"


def test_root_is_the_outline_folder_unless_it_is_called_outline(here: Path) -> None:
    write("guide.yaml", "title: T\nsections: [{include: s.yaml}]\n")
    write("s.yaml", "id: s\ntitle: S\n")
    assert load_project(Path("guide.yaml")).root == here.resolve()


def test_include_problems_are_all_reported_at_once(here: Path) -> None:
    (here.parent / "secret.yaml").write_text("id: x\ntitle: X\n")
    lines = project_problems({
        "outline/guide.yaml": """
            title: T
            sections:
              - include: ../sections/what-is-ne.yml
              - include: ../../secret.yaml
              - include: ../sections/bad.yaml
              - include: ../sections
        """,
        "sections/what-is-ne.yaml": "id: a\ntitle: A\n",
        "sections/bad.yaml": "id: b\ntitle: [\n",
    })
    assert lines == [
        "outline/guide.yaml:3:14: error: cannot include '../sections/what-is-ne.yml': no such file",
        "  hint: did you mean '../sections/what-is-ne.yaml'?",
        f"outline/guide.yaml:4:14: error: include '../../secret.yaml' is outside the project "
        f"folder {here.resolve()}",
        "  hint: section files must be inside the project folder, also after following "
        "symbolic links; move or copy the file into its sections/ folder",
        "sections/bad.yaml:3:1: error: a value is missing here, or a list or mapping is not "
        "closed",
        "  hint: close each '[' with ']' and each '{' with '}'",
        "outline/guide.yaml:6:14: error: cannot include '../sections': it is a folder",
    ]


def test_include_outside_through_a_symlink(here: Path) -> None:
    (here.parent / "elsewhere.yaml").write_text("id: x\ntitle: X\n")
    (here / "sections").mkdir()
    (here / "sections" / "link.yaml").symlink_to(here.parent / "elsewhere.yaml")
    lines = project_problems({
        "outline/guide.yaml": "title: T\nsections:\n  - include: ../sections/link.yaml\n",
    })
    assert lines[0] == (
        "outline/guide.yaml:3:14: error: include '../sections/link.yaml' is outside the "
        f"project folder {here.resolve()}")


def test_missing_include_without_a_close_name() -> None:
    assert project_problems({
        "outline/guide.yaml": "title: T\nsections:\n  - include: nope.yaml\n",
    }) == [
        "outline/guide.yaml:3:14: error: cannot include 'nope.yaml': no such file",
        "  hint: the path is relative to the folder of outline/guide.yaml",
    ]


def test_include_cycle() -> None:
    assert project_problems({
        "outline/guide.yaml": "title: T\nsections:\n  - include: ../sections/a.yaml\n",
        "sections/a.yaml": "id: a\ntitle: A\nsections:\n  - include: b.yaml\n",
        "sections/b.yaml": "id: b\ntitle: B\nsections:\n  - {id: c, title: C, sections: "
                           "[include: a.yaml]}\n",
    }) == [
        "sections/b.yaml:4:43: error: include cycle: sections/a.yaml -> sections/b.yaml -> "
        "sections/a.yaml",
        "  hint: a section file cannot include itself, directly or not",
    ]


def test_a_broken_include_is_reported_once() -> None:
    lines = project_problems({
        "outline/guide.yaml": "title: T\nsections:\n  - include: ../sections/a.yaml\n"
                              "  - include: ../sections/a.yaml\n",
        "sections/a.yaml": "",
    })
    assert lines == [
        "sections/a.yaml:1:1: error: the file is empty; a section file needs at least 'id' "
        "and 'title'",
    ]


def test_non_text_include_is_left_to_the_validator() -> None:
    loaded = load_project(project({"outline/guide.yaml": "title: T\nsections:\n  - include: 3\n"}))
    assert loaded.includes == {}


def test_line_col_counts_characters_and_the_breaks_it_is_given() -> None:
    text = "ab\ncé\r\nx\ry"
    assert line_col(text, 0) == (1, 1)
    assert line_col(text, 5) == (2, 3)
    assert line_col(text, 9) == (3, 3)
    assert line_col(text, 9, BREAKS) == (4, 1)


def test_each_load_gives_a_document_of_its_own() -> None:
    # A cache once handed two builds the same mutable data; one build's change was
    # the other's input.
    path = write("a.yaml", "title: T\nsections: [{id: a, title: A}]\n")
    first, second = load_document(path), load_document(path)
    assert first.data == second.data
    assert first.data is not second.data
    assert first.data["sections"][0] is not second.data["sections"][0]
