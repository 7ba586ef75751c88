"""End to end through the command line, reading the produced PDF with pypdf."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pdfutil
import pytest
from click.testing import CliRunner, Result

from studyguide import __version__
from studyguide.commands.cli import main

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "outline" / "norepinephrine.yaml"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, bytes]:
    target = tmp_path_factory.mktemp("shipped") / "guide.pdf"
    result = run("build", str(SHIPPED), "-o", str(target))
    return result, target.read_bytes()


def test_build_reports_path_and_page_count(shipped: tuple[Result, bytes]) -> None:
    result, pdf = shipped
    assert result.exit_code == 0, result.stderr
    pages = len(pdfutil.reader(pdf).pages)
    assert re.fullmatch(rf"wrote .*guide\.pdf \({pages} pages\)\n", result.stdout)
    assert result.stderr == ""  # the shipped guide builds without a warning


def test_shipped_guide_reads_in_order(shipped: tuple[Result, bytes]) -> None:
    _, pdf = shipped
    pages = pdfutil.page_lines(pdf)
    # the outline's `audience: nursing` is what a build without --audience is for
    assert pages[0][:2] == ["Norepinephrine", "A study guide for nursing students"]
    assert pages[1][0] == "Contents"
    body = " ".join(" ".join(lines) for lines in pages[2:])
    order = [
        "1 What is norepinephrine?",
        "3 The fight-or-flight response",
        "Figure 1.",
        "4 Epinephrine and norepinephrine compared",
        "Table 1.",
        "5 When levels are too low or too high",
        "6 Supporting healthy levels",
        "Table 2.",
        "7 Norepinephrine as a medication",
        "8 Medicines that act on norepinephrine",
        "9 About the sources",
        "Answer key",
        "Glossary",
        "References",
    ]
    positions = [body.index(item) for item in order]
    assert positions == sorted(positions)


def test_comparison_table_has_every_row(shipped: tuple[Result, bytes]) -> None:
    _, pdf = shipped
    text = " ".join(" ".join(lines) for lines in pdfutil.page_lines(pdf))
    for label in ("Neurotransmitter", "Hormone", "Part of the fight-or-", "Made in and released",
                  "Made from", "Works on", "Released into the", "Common medical use"):
        assert label in text
    assert "Emergency conditions with low blood pressure" in text


def test_contents_page_numbers_match_heading_pages(shipped: tuple[Result, bytes]) -> None:
    _, pdf = shipped
    labels = pdfutil.page_labels(pdf)
    marks = {b.title.split(None, 1)[0]: labels[b.page] for b in pdfutil.bookmarks(pdf)
             if b.title != "Contents"}
    contents = pdfutil.page_lines(pdf)[1]
    listed: dict[str, str] = {}
    for index, line in enumerate(contents):
        number = re.match(r"(\d+(?:\.\d+)*) ", line)
        if number:
            listed[number.group(1)] = next(x for x in contents[index + 1:] if x.isdigit())
    assert listed and listed == {k: v for k, v in marks.items() if k in listed}
    # and the heading really is printed on the page its bookmark points to
    for mark in pdfutil.bookmarks(pdf)[1:]:
        words = " ".join(pdfutil.page_lines(pdf)[mark.page])
        assert mark.title.split(None, 1)[-1] in words


def test_contents_entries_are_links_to_their_pages(shipped: tuple[Result, bytes]) -> None:
    _, pdf = shipped
    targets = [link.page for link in pdfutil.links(pdf)[1]]
    # the contents lists two levels of headings; the bookmarks every level
    bookmarked = [b.page for b in pdfutil.bookmarks(pdf)
                  if b.title != "Contents" and b.title.split(None, 1)[0].count(".") < 2]
    assert targets == bookmarked


def test_fonts_are_embedded_and_metadata_set(shipped: tuple[Result, bytes]) -> None:
    _, pdf = shipped
    fonts = pdfutil.fonts(pdf)
    assert fonts and all(fonts.values())
    assert all("Source" in name or "Plex" in name for name in fonts)
    meta = pdfutil.metadata(pdf)
    assert meta["/Title"] == "Norepinephrine"
    assert meta["/Author"] == "Study Guide Builder contributors"
    assert "norepinephrine" in meta["/Keywords"]
    assert meta["/Subject"]
    assert meta["/Lang"] == "en"


def test_rebuild_gives_identical_bytes(shipped: tuple[Result, bytes], tmp_path: Path) -> None:
    _, pdf = shipped
    target = tmp_path / "again.pdf"
    assert run("build", str(SHIPPED), "-o", str(target)).exit_code == 0
    assert target.read_bytes() == pdf


def test_source_date_epoch_sets_the_dates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    target = tmp_path / "dated.pdf"
    assert run("build", str(SHIPPED), "-o", str(target)).exit_code == 0
    assert pdfutil.metadata(target.read_bytes())["/CreationDate"].startswith("D:20231114")


def test_init_then_build_with_no_arguments(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "my-guide"
    result = run("init", str(project))
    assert result.exit_code == 0
    assert "created" in result.stdout
    monkeypatch.chdir(project)
    built = run("build")
    assert built.exit_code == 0, built.stderr
    assert re.fullmatch(r"wrote build/guide\.pdf \(\d+ pages\)\n", built.stdout)
    assert (project / "build" / "guide.pdf").read_bytes().startswith(b"%PDF")
    assert run("validate").stdout == "outline/guide.yaml: ok (2 sections, 5 files)\n"


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "x").write_text("keep me")
    result = run("init", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"error: cannot create a project in {tmp_path}: it is not empty"
    )


def test_version_and_help() -> None:
    assert run("--version").stdout.strip().endswith(__version__)
    help_text = run("--help").stdout
    for word in ("build", "validate", "init", "Examples:"):
        assert word in help_text


def test_bad_usage_exits_2() -> None:
    assert CliRunner().invoke(main, ["build", "--paper", "a5"]).exit_code == 2
    assert CliRunner().invoke(main, ["frobnicate"]).exit_code == 2


# ------------------------------------------------------------ bad output paths


@pytest.fixture
def project(tmp_path: Path) -> Path:
    run("init", str(tmp_path / "p"))
    return tmp_path / "p"


def test_output_equal_to_an_input_is_refused(project: Path) -> None:
    outline = project / "outline" / "guide.yaml"
    before = outline.read_bytes()
    result = run("build", str(outline), "-o", str(outline))
    assert result.exit_code == 1
    assert "refusing to write the PDF over" in result.stderr
    assert "an input of this build" in result.stderr
    assert outline.read_bytes() == before


def test_output_in_a_missing_folder(project: Path) -> None:
    target = project / "nowhere" / "x.pdf"
    result = run("build", str(project / "outline" / "guide.yaml"), "-o", str(target))
    assert result.exit_code == 1
    assert "error: cannot write" in result.stderr and "does not exist" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_output_in_a_read_only_folder(project: Path) -> None:
    folder = project / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    result = run("build", str(project / "outline" / "guide.yaml"), "-o", str(folder / "x.pdf"))
    assert result.exit_code == 1
    assert "permission denied" in result.stderr


def test_output_that_is_a_folder(project: Path) -> None:
    result = run("build", str(project / "outline" / "guide.yaml"), "-o", str(project))
    assert result.exit_code == 1
    assert "it is a folder" in result.stderr


def test_failed_build_leaves_an_earlier_pdf_alone(project: Path) -> None:
    outline = project / "outline" / "guide.yaml"
    target = project / "out.pdf"
    assert run("build", str(outline), "-o", str(target)).exit_code == 0
    good = target.read_bytes()
    section = project / "sections" / "welcome.yaml"
    section.write_text(section.read_text() + "  - unknown-block: x\n")
    assert run("build", str(outline), "-o", str(target)).exit_code == 1
    assert target.read_bytes() == good
    assert sorted(p.name for p in project.iterdir() if p.name.endswith(".tmp")) == []


def test_strict_turns_warnings_into_errors(project: Path) -> None:
    section = project / "sections" / "welcome.yaml"
    section.write_text(section.read_text() + "  - paragraph: An emoji 😀 here.\n")
    outline = project / "outline" / "guide.yaml"
    target = project / "out.pdf"
    lenient = run("build", str(outline), "-o", str(target))
    assert lenient.exit_code == 0
    assert "warning: the font" in lenient.stderr and "U+1F600" in lenient.stderr
    target.unlink()
    strict = run("build", str(outline), "-o", str(target), "--strict")
    assert strict.exit_code == 1
    assert "error: the font" in strict.stderr
    assert not target.exists()


def test_no_outline_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("build")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: no outline given and none found in outline")


def test_style_and_paper_options(project: Path) -> None:
    outline = project / "outline" / "guide.yaml"
    target = project / "a4.pdf"
    result = run("build", str(outline), "-o", str(target), "--paper", "A4", "--style",
                 "large-print")
    assert result.exit_code == 0, result.stderr
    box = pdfutil.reader(target.read_bytes()).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    unknown = run("build", str(outline), "-o", str(target), "--style", "larg-print")
    assert unknown.exit_code == 1
    assert "unknown style 'larg-print'" in unknown.stderr
    assert "did you mean 'large-print'?" in unknown.stderr


def test_make_guide_shim_runs_from_any_folder(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "make_guide.py"), "--version"],
                          cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode == 0 and done.stdout.strip().endswith(__version__)


def test_output_over_a_bibliography_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "outline").mkdir()
    (tmp_path / "refs.bib").write_text("@misc{a, title={A}, year={2020}}\n")
    outline = tmp_path / "outline" / "g.yaml"
    outline.write_text("title: T\nbibliography: ../refs.bib\nnocite: '@*'\n"
                       "sections:\n  - id: a\n    title: A\n")
    result = run("build", str(outline), "-o", str(tmp_path / "refs.bib"))
    assert result.exit_code == 1
    assert "an input of this build" in result.stderr
    assert (tmp_path / "refs.bib").read_text().startswith("@misc")


def test_output_over_a_file_that_is_not_a_pdf_is_refused(project: Path) -> None:
    sheet = project / "styles" / "handout.yaml"
    before = sheet.read_bytes()
    result = run("build", str(project / "outline" / "guide.yaml"), "-o", str(sheet))
    assert result.exit_code == 1
    assert "which is not a PDF" in result.stderr
    assert sheet.read_bytes() == before


def test_output_over_an_image_inside_a_callout_is_refused(project: Path) -> None:
    from PIL import Image

    image = project / "sections" / "pic.png"
    Image.new("RGB", (8, 8)).save(image)
    section = project / "sections" / "welcome.yaml"
    section.write_text(section.read_text() + (
        "  - callout:\n      kind: remember\n      blocks:\n"
        "        - figure: {image: pic.png, caption: A picture}\n"))
    result = run("build", str(project / "outline" / "guide.yaml"), "-o", str(image))
    assert result.exit_code == 1
    assert "an input of this build" in result.stderr


def test_shipped_guide_cites_its_three_sources_and_has_a_glossary(
        shipped: tuple[Result, bytes]) -> None:
    _, pdf = shipped
    titles = [b.title for b in pdfutil.bookmarks(pdf)]
    assert titles[-2:] == ["Glossary", "References"]
    text = " ".join(" ".join(lines) for lines in pdfutil.page_lines(pdf))
    for source in ("Cleveland Clinic. (2022, March 27). Norepinephrine (Noradrenaline).",
                   "Low Norepinephrine and Depression: Is There A Link? (2014, May 8).",
                   "Pollock, D. M. (n.d.). What to know about norepinephrine."):
        assert source in text  # entries of the reference list
    assert "[@" not in text and "[[" not in text  # every citation and mark was resolved
    assert "See also:" in text and "Also called noradrenaline" in text  # the glossary


def test_build_booklet_writes_the_imposed_guide(tmp_path: Path) -> None:
    outline = tmp_path / "outline" / "tiny.yaml"
    outline.parent.mkdir()
    outline.write_text("title: Tiny\nsections:\n  - id: a\n    title: A\n    blocks:\n"
                       "      - paragraph: Aardvark.\n", encoding="utf-8")
    result = run("build", str(outline), "--booklet")
    assert result.exit_code == 0, result.stderr
    target = tmp_path / "build" / "tiny-booklet.pdf"
    assert result.stdout == f"wrote {target} (2 sheet sides for 3 pages)\n"
    pages = pdfutil.reader(target.read_bytes()).pages
    assert [(float(p.mediabox.width), float(p.mediabox.height)) for p in pages] == [(792, 612)] * 2
    assert "Aardvark." in pages[1].extract_text()  # page 3 is on the back of the sheet
    result = run("build", str(outline), "--booklet", "--all")
    assert result.exit_code == 2 and "--booklet builds one guide" in result.stderr


def test_cards_command_writes_cards_and_the_calibration_sheet(tmp_path: Path) -> None:
    outline = tmp_path / "outline" / "tiny.yaml"
    outline.parent.mkdir()
    outline.write_text("title: Tiny\nglossary:\n  - {term: aardvark, definition: An animal.}\n"
                       "sections:\n  - id: a\n    title: A\n    blocks:\n"
                       "      - paragraph: An [[aardvark]].\n", encoding="utf-8")
    result = run("cards", str(outline), "--from", "glossary")
    assert result.exit_code == 0, result.stderr
    target = tmp_path / "build" / "tiny-cards.pdf"
    assert result.stdout == (f"wrote {target} (1 card on 1 sheet, fronts and backs "
                             "alternating; print duplex, flip on the long edge)\n")
    pages = pdfutil.page_texts(target.read_bytes())
    assert "aardvark" in pages[0] and "An animal." in pages[1]
    result = run("cards", str(outline), "--calibrate", "-o", str(tmp_path / "cal.pdf"))
    assert result.exit_code == 0
    assert len(pdfutil.page_texts((tmp_path / "cal.pdf").read_bytes())) == 2
    result = run("cards", str(outline), "--per-sheet", "4", "--flip", "short", "-o",
                 str(tmp_path / "c4.pdf"))
    assert result.exit_code == 0 and "flip on the short edge" in result.stdout
    result = run("cards", str(outline), "--from", "glosary")
    assert result.exit_code == 2 and "unknown source glosary" in result.stderr
    result = run("cards", str(outline), "--from", "questions")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: no cards to make: the guide has no review questions")
