"""The resolve stage: includes spliced in, inline parsed, images checked, numbering."""

from pathlib import Path

import pytest
from PIL import Image

from studyguide.api import load_guide
from studyguide.model.diagnostics import GuideError
from studyguide.model.document import Callout, Figure, ListBlock, Paragraph, Strong, Table, Text
from studyguide.model.traverse import walk_sections


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "outline" / "guide.yaml"


OUTLINE = """\
title: Guide
sections:
  - include: ../sections/one.yaml
  - id: two
    title: Two
    blocks:
      - table:
          caption: Second table
          header: [a, b]
          rows: [[1, 2.50]]
      - figure:
          image: ../sections/pic.png
          caption: A picture
"""

ONE = """\
id: one
title: One **bold**
blocks:
  - paragraph: x<y & z
  - table:
      caption: First table
      header: ["", A]
      rows: [[Row, "Yes"]]
  - callout:
      kind: key-point
      text: Inside
      blocks:
        - numbered: [a, {text: b, bullets: [c]}]
sections:
  - id: one-a
    title: Sub
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    outline = write(tmp_path, {"outline/guide.yaml": OUTLINE, "sections/one.yaml": ONE})
    Image.new("RGB", (20, 10), "white").save(tmp_path / "sections" / "pic.png")
    return outline


def test_includes_are_spliced_in_reading_order(project: Path) -> None:
    guide = load_guide(project).guide
    assert [(s.id, s.number, s.level) for s in walk_sections(guide.sections)] == [
        ("one", "1", 1),
        ("one-a", "1.1", 2),
        ("two", "2", 1),
    ]
    assert guide.root == project.parent.parent.resolve()


def test_inline_text_is_parsed_and_positioned(project: Path) -> None:
    one = load_guide(project).guide.sections[0]
    assert one.title.spans == (Text("One "), Strong((Text("bold"),)))
    paragraph = one.blocks[0]
    assert isinstance(paragraph, Paragraph)
    assert paragraph.text.spans == (Text("x<y & z"),)
    assert (paragraph.pos.line, paragraph.pos.column) == (4, 16)
    assert paragraph.pos.file.endswith("one.yaml")


def test_tables_and_figures_are_numbered_across_files(project: Path) -> None:
    guide = load_guide(project).guide
    first = guide.sections[0].blocks[1]
    second, figure = guide.sections[1].blocks
    assert isinstance(first, Table) and isinstance(second, Table)
    assert (first.number, second.number) == (1, 2)
    assert isinstance(figure, Figure) and figure.number == 1
    # numbers in cells keep the text the author wrote
    assert [c.source for c in second.rows[0]] == ["1", "2.50"]


def test_callout_text_comes_before_its_blocks(project: Path) -> None:
    callout = load_guide(project).guide.sections[0].blocks[2]
    assert isinstance(callout, Callout)
    assert isinstance(callout.blocks[0], Paragraph)
    nested = callout.blocks[1]
    assert isinstance(nested, ListBlock) and nested.ordered
    assert nested.items[1].children[0].items[0].text.source == "c"


def test_missing_image_is_an_error_at_the_figure(project: Path) -> None:
    (project.parent.parent / "sections" / "pic.png").unlink()
    with pytest.raises(GuideError) as caught:
        load_guide(project)
    (problem,) = caught.value.diagnostics
    assert problem.message.startswith("image 'pic.png' not found")
    assert (problem.pos.line, problem.pos.column) == (12, 18)


def test_broken_image_is_an_error(project: Path) -> None:
    (project.parent.parent / "sections" / "pic.png").write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    with pytest.raises(GuideError) as caught:
        load_guide(project)
    assert "image 'pic.png' cannot be read" in caught.value.diagnostics[0].message


def test_image_outside_the_project_is_refused(tmp_path: Path) -> None:
    outline = write(tmp_path / "proj", {"outline/guide.yaml": OUTLINE.replace(
        "../sections/pic.png", "../../pic.png"), "sections/one.yaml": ONE})
    Image.new("RGB", (4, 4)).save(tmp_path / "pic.png")
    with pytest.raises(GuideError) as caught:
        load_guide(outline)
    assert "outside the project folder" in caught.value.diagnostics[0].message


def test_gif_is_refused(project: Path) -> None:
    Image.new("P", (4, 4)).save(project.parent.parent / "sections" / "pic.png", format="GIF")
    with pytest.raises(GuideError) as caught:
        load_guide(project)
    assert caught.value.diagnostics[0].message == (
        "image 'pic.png' is a GIF file; figures take PNG or JPEG"
    )


def test_back_matter_ids_never_collide_with_the_authors(tmp_path: Path) -> None:
    sections = "".join(f"  - id: {i}\n    title: {i}\n" for i in
                       ("references", "references-2", "glossary"))
    outline = write(tmp_path, {"outline/guide.yaml": (
        "title: T\nreferences:\n  - id: smith\n    title: A\n    issued: {date-parts: [[2020]]}\n"
        "glossary:\n  - term: alpha\n    definition: A letter.\n"
        "sections:\n" + sections + "  - id: x\n    title: X\n    blocks:\n"
        "      - paragraph: See [[alpha]] [@smith].\n")})
    guide = load_guide(outline).guide
    assert [s.id for s in guide.sections][-2:] == ["glossary-2", "references-3"]
