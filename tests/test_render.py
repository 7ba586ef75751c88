"""Render stage end to end: read the produced PDF back with pypdf."""

from __future__ import annotations

import re

import pdfutil as u
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sample_guide import LOREM, guide, long_table, para, png, pos, sample, section, t

from studyguide.model import document as m
from studyguide.model.diagnostics import GuideError
from studyguide.render.guide import render_guide


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory):
    from conftest import default_style

    image = png(tmp_path_factory.mktemp("img") / "figure.png")
    return render_guide(sample(image), default_style())


def _toc_entries(pdf: bytes) -> list[tuple[str, str]]:
    """(title, printed page number) of every contents line, read from the contents pages."""
    labels = u.page_labels(pdf)
    entries = []
    for label, lines in zip(labels, u.page_lines(pdf), strict=True):
        if label == "i" or not label.isalpha():
            continue  # the title page, or a body page
        for before, dots, number in zip(lines, lines[1:], lines[2:], strict=False):
            if set(dots) == {"."} and number.isdigit():
                entries.append((before, number))
    return entries


def _heading_page(pdf: bytes, title: str) -> int:
    """Index of the first body page with a line reading `title`."""
    labels = u.page_labels(pdf)
    for index, lines in enumerate(u.page_lines(pdf)):
        if labels[index].isdigit() and title in lines:
            return index
    raise AssertionError(f"no page has the heading {title!r}")


def test_the_body_is_laid_out_once_and_nothing_is_warned(sample_pdf):
    assert sample_pdf.layout_passes == 1
    assert sample_pdf.warnings == ()
    assert sample_pdf.pages == len(u.reader(sample_pdf.pdf).pages)


def test_contents_page_numbers_are_the_pages_of_the_headings(sample_pdf):
    pdf = sample_pdf.pdf
    entries = _toc_entries(pdf)
    assert [title for title, _ in entries] == [
        "1 Overview", "1.1 Mechanism", "1.2 Receptors", "2 Dosing", "2.1 Long note",
        "3 Memory aids",
    ]
    labels = u.page_labels(pdf)
    for title, number in entries:
        assert labels[_heading_page(pdf, title)] == number, title


def test_bookmarks_mirror_the_heading_tree_and_point_at_the_headings(sample_pdf):
    pdf = sample_pdf.pdf
    marks = u.bookmarks(pdf)
    assert [(b.level, b.title) for b in marks] == [
        (0, "Contents"), (0, "1  Overview"), (1, "1.1  Mechanism"), (1, "1.2  Receptors"),
        (0, "2  Dosing"), (1, "2.1  Long note"), (0, "3  Memory aids"),
    ]
    for mark in marks[1:]:
        assert mark.page == _heading_page(pdf, " ".join(mark.title.split())), mark.title


def test_contents_lines_link_to_the_heading_pages(sample_pdf):
    pdf = sample_pdf.pdf
    contents = u.page_labels(pdf).index("ii")
    targets = [link.page for link in u.links(pdf)[contents]]
    expected = [_heading_page(pdf, title) for title, _ in _toc_entries(pdf)]
    assert targets == expected


def test_web_links_are_link_annotations(sample_pdf):
    uris = [link.uri for page in u.links(sample_pdf.pdf) for link in page if link.uri]
    assert uris == ["https://example.org"]


def test_pages_are_labelled_roman_then_arabic_with_page_x_of_y(sample_pdf):
    pdf = sample_pdf.pdf
    labels = u.page_labels(pdf)
    assert labels[:3] == ["i", "ii", "1"]
    body = len(labels) - 2
    lines = u.page_lines(pdf)
    assert lines[2][-1] == f"Page 1 of {body}"
    assert lines[-1][-1] == f"Page {body} of {body}"
    assert lines[2][-3:-1] == ["Norepinephrine", "1 Overview"]  # the running head
    assert not any("Page" in line for line in lines[0])  # no folio on the title page


def test_only_embedded_truetype_subsets(sample_pdf):
    fonts = u.fonts(sample_pdf.pdf)
    assert fonts and all(fonts.values())
    assert all(re.fullmatch(r"/[A-Z]{6}\+(SourceSerifPro|SourceSansPro|IBMPlexMono)-\w+", f)
               for f in fonts), fonts


def test_metadata(sample_pdf):
    info = u.metadata(sample_pdf.pdf)
    assert info["/Title"] == "Norepinephrine"
    assert info["/Author"] == "A. Author, B. Writer"
    assert info["/Subject"] == "Pharmacology"
    assert info["/Keywords"] == "norepinephrine, vasopressor"
    assert info["/Lang"] == "en"


def test_identical_input_gives_identical_bytes(sample_pdf, tmp_path, style):
    again = render_guide(sample(png(tmp_path / "figure.png")), style)
    assert again.pdf == sample_pdf.pdf


def test_source_date_epoch_sets_the_dates(monkeypatch, style):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    out = render_guide(guide(section("1", "A", para("x"))), style)
    assert u.metadata(out.pdf)["/CreationDate"].startswith("D:20231114")


def test_user_text_prints_literally(style):
    text = 'x<y R&D <img src=x> &amp; "quoted" \'single\' αβγ → µ ≥ 5'
    out = render_guide(guide(section("1", "Escaping", para(text))), style)
    assert text in u.page_lines(out.pdf)[2]


def test_control_characters_do_not_break_the_build(style):
    out = render_guide(guide(section("1", "C\x07", para("a\x00b\x1b[0m\x85c\u200bd"))), style)
    assert "ab[0m cd" in u.page_lines(out.pdf)[2]


def test_emoji_is_a_warning_and_strict_makes_it_an_error(style):
    g = guide(section("1", "Faces", para("happy 😀", at=pos(3, 5))))
    out = render_guide(g, style)
    assert [w.format().splitlines()[0] for w in out.warnings] == [
        "sections/s.yaml:3:5: warning: the font 'SourceSerifPro' has no glyph for '😀' "
        "(U+1F600); it would print as an empty box"
    ]
    assert "happy [U+1F600]" in u.page_texts(out.pdf)[2]
    with pytest.raises(GuideError, match=r"U\+1F600"):
        render_guide(g, style, strict_glyphs=True)


def test_a_table_longer_than_a_page_repeats_header_and_caption(style):
    out = render_guide(guide(section("1", "T", long_table(80)), toc=False), style)
    pages = [p for p in u.page_lines(out.pdf) if any(line.startswith("Table 1.") for line in p)]
    assert len(pages) >= 3
    assert "Table 1. Vasopressors compared" in pages[0]
    for page in pages[1:]:
        assert "Table 1. Vasopressors compared (continued)" in page
        caption = page.index("Table 1. Vasopressors compared (continued)")
        assert page[caption + 1 : caption + 5] == ["Drug", "Receptors", "Typical dose", "Notes"]
    assert "Source: Product labelling, 2024" in pages[-1]
    assert all("Source: Product labelling, 2024" not in p for p in pages[:-1])


def test_a_cell_taller_than_a_page_splits(style):
    words = " ".join(f"w{i}" for i in range(2500))
    table = m.Table(t("Huge"), (t("Name"), t("Text")), ((t("Row"), t(words)),), pos(1), number=1)
    out = render_guide(guide(section("1", "T", table), toc=False), style)
    text = " ".join(u.page_texts(out.pdf))
    assert out.pages >= 4
    assert "w0 " in text and "w2499" in text


def test_a_table_too_wide_for_the_page_is_an_error(style):
    header = tuple(t(f"C{i}") for i in range(14))
    table = m.Table(t("Everything"), header, (header,), pos(12, 5), number=2)
    with pytest.raises(GuideError) as caught:
        render_guide(guide(section("1", "T", table)), style)
    assert str(caught.value).splitlines()[0] == (
        "sections/s.yaml:12:5: error: table 'Everything' (Table 2) has 14 columns; "
        "at most 12 fit in the 6.6in text width"
    )


def test_a_callout_longer_than_a_page_splits(style):
    long = m.Callout("warning", None, tuple(para(f"{i} {LOREM}") for i in range(20)), pos(1))
    out = render_guide(guide(section("1", "Box", long), toc=False), style)
    pages = u.page_lines(out.pdf)
    assert pages[1][1] == "Warning"
    continued = [i for i, p in enumerate(pages) if "Warning (continued)" in p]
    assert continued and continued[0] > 1
    assert "19 Norepinephrine" in " ".join(pages[-1])


def test_a_broken_image_names_the_file_and_the_figure(style, tmp_path):
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"not an image at all")
    fig = m.Figure(bad, t("Broken"), pos(7, 9), number=3)
    with pytest.raises(GuideError) as caught:
        render_guide(guide(section("1", "F", fig)), style)
    assert str(caught.value).startswith(
        "sections/s.yaml:7:9: error: cannot read the image 'bad.png' of Figure 3:")


def test_content_that_can_never_fit_is_a_guide_error_not_a_layout_error(style):
    title = " ".join(["enormous"] * 2500)
    g = guide(m.Section("big", t(title), (para("x"),), pos(5, 3), (), "1", 1), toc=False)
    with pytest.raises(GuideError) as caught:
        render_guide(g, style)
    assert str(caught.value).startswith(
        "sections/s.yaml:5:3: error: the heading of section 'enormous enormous")
    assert "does not fit on a page" in str(caught.value)


@pytest.mark.parametrize("filler", range(30, 52))
def test_a_heading_never_ends_a_page(style, filler):
    lines = tuple(x for i in range(filler) for x in (m.Text(f"line {i}"), m.LineBreak()))
    g = guide(section("1", "Filler", m.Paragraph(m.Inline("", pos(1), lines), pos(1))),
              section("2", "Next", para(LOREM * 3)), toc=False)
    out = render_guide(g, style)
    mark = u.bookmarks(out.pdf)[-1]
    room = mark.top - style.margin_bottom  # from the heading's top down to the frame's foot
    assert room >= style.heading_sizes[0] * 1.2 + 3 * style.body_leading


def test_figure_keeps_its_caption(style, tmp_path):
    fig = m.Figure(png(tmp_path / "f.png", (400, 1200)), t("Tall"), pos(1), number=1,
                   source=t("Me"))
    out = render_guide(guide(section("1", "F", para(LOREM), fig), toc=False), style)
    page = next(p for p in u.page_lines(out.pdf) if "Figure 1. Tall" in p)
    assert "Source: Me" in page


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(min_size=1, max_size=200))
def test_any_text_renders(style, text):
    g = guide(section("1", text, para(text), long_table(2)), title=t(text))
    out = render_guide(g, style)
    assert out.pages >= 3



def test_a_short_callout_moves_whole_to_the_next_page(style):
    lines = (para("first line"), para("second line"), para("third line"))
    box = m.Callout("key-point", t("Short box"), lines, pos(2))
    for filler in range(24, 32):
        body = tuple(para(f"Filler paragraph {i}.") for i in range(filler))
        out = render_guide(guide(section("1", "T", *body, box), toc=False), style)
        pages = [" ".join(p) for p in u.page_lines(out.pdf)]
        holding = [i for i, p in enumerate(pages) if "first line" in p or "third line" in p]
        assert len(set(holding)) == 1, filler
        assert "(continued)" not in " ".join(pages)


def test_a_callout_label_from_the_style_is_checked_too(style):
    from dataclasses import replace

    looks = dict(style.callouts)
    looks["key-point"] = replace(looks["key-point"], label="Key point 😀")
    box = m.Callout("key-point", None, (para("inside"),), pos(2))
    out = render_guide(guide(section("1", "T", box)), replace(style, callouts=looks))
    assert [w.format() for w in out.warnings] == [
        "warning: the font 'SourceSansPro' has no glyph for '😀' (U+1F600); it would print "
        "as an empty box\n  hint: it prints as [U+1F600]; remove it or choose a font that has it"
    ]


def test_streams_are_compressed_bytes_not_ascii85(sample_pdf):
    # ReportLab's object dictionaries are plain text in the file (no object streams)
    filters = re.findall(rb"/Filter\s*(\[[^\]]*\]|/\w+)", sample_pdf.pdf)
    assert filters and all(b"ASCII85" not in f and b"FlateDecode" in f for f in filters), filters
    assert "Contents" in "".join(u.page_texts(sample_pdf.pdf))  # still read as text
