"""Layout stage: inline markup, table widths, splitting flowables, the glyph check."""

from __future__ import annotations

import pytest
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph
from sample_guide import LOREM, guide, para, pos, section, t

from studyguide.layout.flowables import CalloutBox, Heading, KeepWithNext, Stack
from studyguide.layout.markup import (
    MarkupOptions,
    clean_text,
    inline_markup,
    is_link_url,
    spans_to_markup,
)
from studyguide.layout.pages import PageState
from studyguide.layout.story import BLOCKS, build_story, render_block
from studyguide.layout.tables import MIN_COLUMN, check_fits, column_widths
from studyguide.layout.typeset import Faces, Sheet
from studyguide.model import document as m
from studyguide.model.diagnostics import GuideError
from studyguide.render.fonts import register_family
from studyguide.render.glyphs import check_glyphs

OPTS = MarkupOptions(code_font="Mono", link_color="#1d4f91")


def markup(*spans: m.Span, options: MarkupOptions = OPTS) -> str:
    return spans_to_markup(spans, options)


@pytest.fixture
def sheet(style):
    faces = Faces(*(register_family(f) for f in (style.body_font, style.heading_font,
                                                   style.code_font)))
    options = MarkupOptions(code_font=faces.code, link_color=style.link_color.hex)
    return Sheet(style, faces, options, lang="en")


# ------------------------------------------------------------ inline markup


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x<y", "x&lt;y"),
        ("R&D", "R&amp;D"),
        ("<img src=x>", "&lt;img src=x&gt;"),
        ("&amp;", "&amp;amp;"),
        ('say "hi"', 'say "hi"'),
        ("α → β", "α → β"),
    ],
)
def test_text_is_escaped(text, expected):
    assert markup(m.Text(text)) == expected


def test_strong_emph_code_and_breaks():
    out = markup(m.Strong((m.Emph((m.Text("a"),)),)), m.Code("f<x>"), m.LineBreak())
    assert out == '<b><i>a</i></b><font face="Mono">f&lt;x&gt;</font><br/>'


def test_emphasis_bold_style_prints_emph_in_bold():
    bold = MarkupOptions(code_font="Mono", link_color="#000000", emphasis="bold")
    assert markup(m.Emph((m.Text("e"),)), options=bold) == "<b>e</b>"


@pytest.mark.parametrize("url", ["http://a.org", "https://a.org/x?y=1", "mailto:a@b.org"])
def test_web_and_mail_links_become_links(url):
    out = markup(m.Link(url, (m.Text("here"),)))
    assert out.startswith("<a href=") and 'color="#1d4f91"' in out and out.endswith("here</a>")


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd", "ftp://x", "a.html"])
def test_other_urls_print_as_text(url):
    assert markup(m.Link(url, (m.Text("here"),))) == "here"
    assert not is_link_url(url)


def test_quotes_in_link_addresses_cannot_break_the_attribute():
    out = markup(m.Link('https://a.org/?q="x"&r=<y>', (m.Text("q"),)))
    assert out == "<a href='https://a.org/?q=\"x\"&amp;r=&lt;y&gt;' color=\"#1d4f91\">q</a>"


def test_control_characters_are_stripped_and_newlines_become_spaces():
    assert clean_text("a\x00b\x07c\x1bd\x85e\x9ff\ng\th\u200bi\ufe0f\u00ad") == "abcd ef g hi\u00ad"


def test_unparsed_inline_prints_its_source_as_text():
    assert inline_markup(m.Inline("**x** <b>", pos(1)), OPTS) == "**x** &lt;b&gt;"


def test_substitutes_replace_missing_characters():
    options = MarkupOptions("Mono", "#000000", substitutes={"😀": "[U+1F600]"})
    assert markup(m.Text("a😀<"), options=options) == "a[U+1F600]&lt;"


def test_markup_survives_reportlab(sheet):
    text = markup(m.Text("x<y & <img src=x> &amp; \"q\" 'a' \x00"), m.Code("<b>"),
                  options=sheet.markup)
    assert Paragraph(text, sheet.para["body"]).wrap(300, 100)[1] > 0


# ------------------------------------------------------------------ tables


def _cells(sheet, rows):
    return [[Paragraph(c, sheet.para["cell"]) for c in row] for row in rows]


def test_short_columns_are_widened_to_fill_the_width(sheet):
    widths = column_widths(_cells(sheet, [["Drug", "Dose"], ["NE", "0.1"]]), 400, None)
    assert sum(widths) == pytest.approx(400)
    assert all(w >= MIN_COLUMN for w in widths)


def test_long_text_goes_to_the_column_that_needs_it(sheet):
    long = " ".join(["word"] * 80)
    widths = column_widths(_cells(sheet, [["A", long], ["B", "x"]]), 400, None)
    assert sum(widths) == pytest.approx(400)
    assert widths[1] > 3 * widths[0]


def test_a_short_label_column_is_not_wrapped_to_make_room(sheet):
    long = " ".join(["word"] * 80)
    rows = _cells(sheet, [["Drug 10", long], ["Drug 11", long]])
    widths = column_widths(rows, 300, None)
    assert sum(widths) == pytest.approx(300)
    assert widths[0] >= rows[0][0].minWidth() * 1.5  # both words on one line


def test_given_weights_win(sheet):
    widths = column_widths(_cells(sheet, [["A", "B"]]), 300, (1, 2))
    assert widths == pytest.approx([100, 200])


def test_too_many_columns_is_an_error():
    table = m.Table(t("Wide"), tuple(t("h") for _ in range(14)), (), pos(9, 3), number=2)
    with pytest.raises(GuideError) as caught:
        check_fits(table, 468)
    assert str(caught.value).startswith(
        "sections/s.yaml:9:3: error: table 'Wide' (Table 2) has 14 columns; "
        "at most 11 fit in the 6.5in text width\n  hint: "
    )


# --------------------------------------------------------------- flowables


def _canvas():
    return Canvas("unused.pdf")


def _paras(sheet, n):
    return [Paragraph(LOREM, sheet.para["body"]) for _ in range(n)]


def _box(sheet, n):
    label = Paragraph("Key point", sheet.para["callout-label"])
    return CalloutBox(
        _paras(sheet, n), label=label,
        cont_label=lambda: Paragraph("Key point (continued)", sheet.para["callout-label"]),
        accent=sheet.para["h1"].textColor, background=sheet.para["h1"].textColor, padding=8,
    )


def test_callout_splits_into_two_boxes_each_fitting(sheet):
    canv = _canvas()
    box = _box(sheet, 20)
    _, height = box.wrapOn(canv, 400, 600)
    assert height > 600
    first, second = box.splitOn(canv, 400, 600)
    assert first.wrapOn(canv, 400, 600)[1] <= 600
    assert first.label is box.label
    assert "continued" in second.label.text
    assert len(first.content) + len(second.content) >= 20


def test_callout_that_cannot_place_its_first_line_moves_whole(sheet):
    assert _box(sheet, 3).splitOn(_canvas(), 400, 30) == []


def _heading(sheet):
    return Heading(Paragraph("Title", sheet.para["h2"]), key="k", level=2, outline_title="T",
                   on_draw=lambda h, p: None)


def test_heading_does_not_stay_behind_with_under_three_lines(sheet):
    canv = _canvas()
    kept = KeepWithNext(_heading(sheet), Paragraph(LOREM * 3, sheet.para["body"]),
                        min_keep=sheet.unit * 3)
    hh = _heading(sheet).wrapOn(canv, 400, 800)[1]
    assert kept.splitOn(canv, 400, hh + sheet.unit * 2) == []


def test_heading_goes_with_the_start_of_a_long_paragraph(sheet):
    canv = _canvas()
    kept = KeepWithNext(_heading(sheet), Paragraph(LOREM * 6, sheet.para["body"]),
                        min_keep=sheet.unit * 3)
    parts = kept.splitOn(canv, 400, 150)
    assert isinstance(parts[0], Stack) and isinstance(parts[0].flowables[0], Heading)
    assert parts[0].wrapOn(canv, 400, 150)[1] <= 150
    assert len(parts) == 2


# ------------------------------------------------------------- the story


def test_every_block_type_has_a_layout_function():
    assert set(BLOCKS) == set(m.Block.__args__)  # type: ignore[attr-defined]


def test_story_has_one_heading_per_section_in_order(sheet):
    g = guide(section("1", "A", para("x"), subs=(section("1.1", "B", para("y")),)),
              section("2", "C"))
    state = PageState(sheet, "T")
    story = build_story(g, sheet, state)
    assert list(state.toc_lines) == ["s1", "s2", "s3"]
    assert len(story) > 5


# ------------------------------------------------------------ glyph check


def test_missing_glyph_is_one_warning_per_character_and_font(style, sheet):
    g = guide(section("1", "Emoji", para("smile 😀 twice 😀", at=pos(4, 7)),
                      para("again 😀", at=pos(9, 7))))
    found, substitutes = check_glyphs(g, style, sheet.faces)
    assert [d.format() for d in found] == [
        "sections/s.yaml:4:7: warning: the font 'SourceSerifPro' has no glyph for '😀' "
        "(U+1F600); it would print as an empty box\n"
        "  hint: it prints as [U+1F600]; remove it or choose a font that has it"
    ]
    assert "[U+1F600]" in substitutes["😀"]


def test_a_character_another_family_has_prints_in_that_family(style, sheet):
    g = guide(section("1", "Code", para(m.Code("α"), at=pos(2))))
    found, substitutes = check_glyphs(g, style, sheet.faces)
    assert [d.message for d in found] == [
        "the font 'IBMPlexMono' has no glyph for 'α' (U+03B1); it would print as an empty box"
    ]
    assert substitutes["α"] == f'<font face="{sheet.faces.body}">α</font>'


def test_strict_glyph_check_gives_errors(style, sheet):
    g = guide(section("1", "x", para("😀")))
    found, _ = check_glyphs(g, style, sheet.faces, strict=True)
    assert [d.severity for d in found] == ["error"]


def test_greek_arrows_and_micro_are_in_every_text_font(style, sheet):
    g = guide(section("1", "αβ → µ ≥", para("α β → µ ≥ é ñ ü")))
    assert check_glyphs(g, style, sheet.faces)[0] == ()


def test_hyphenation_is_on_for_justified_text_and_does_not_crash(sheet):
    assert sheet.para["body"].hyphenationLang
    p = Paragraph("norepinephrine " * 40, sheet.para["body"])
    assert p.wrap(120, 1000)[1] > 0


@pytest.mark.parametrize("name", ["body", "cell", "label"])
def test_words_with_hyphens_break_only_after_their_own_hyphens(sheet, name):
    # pyphen reports the hyphen in "fight-or-flight" as a break point, and
    # ReportLab then printed "fight-" / "-or-flight" or "fight-or-f-" / "light".
    for width in range(60, 200, 4):
        paragraph = Paragraph("Part of the fight-or-flight response", sheet.para[name])
        paragraph.wrap(width, 1000)
        lines = [" ".join(w.text if hasattr(w, "text") else str(w) for w in line[1])
                 for line in paragraph.blPara.lines]
        assert not any(line.startswith("-") or "f-" in line.split()[-1] for line in lines), (
            width, lines)


@pytest.mark.parametrize(
    ("pixels", "dpi", "width", "expected"),
    [
        ((150, 75), None, None, 72.0),  # no dpi recorded: 150 dpi, so one inch
        ((300, 100), (300, 300), None, 72.0),
        ((6000, 1000), None, None, "text width"),  # never wider than the text
        ((150, 75), None, 0.5, "half"),  # an explicit width wins
    ],
)
def test_figure_width(sheet, tmp_path, pixels, dpi, width, expected):
    from PIL import Image as PILImage

    from studyguide.layout.context import Ctx
    from studyguide.layout.pages import PageState

    path = tmp_path / "pic.png"
    PILImage.new("RGB", pixels, "gray").save(path, **({"dpi": dpi} if dpi else {}))
    ctx = Ctx(sheet, PageState(sheet, "T"), sheet.frame_width, render_block)
    figure = m.Figure(path, t("A picture"), pos(1), width=width, number=1)
    stack = BLOCKS[m.Figure](figure, ctx)[0]
    image = stack.flowables[0]
    want = {"text width": sheet.frame_width, "half": sheet.frame_width / 2}.get(expected, expected)
    assert image.drawWidth == pytest.approx(want, abs=0.5)


def test_links_never_nest_in_markup():
    cite = m.Cite((m.CiteItem("a"),), False, "[@a]",
                  rendered=(m.Link("#ref-a", (m.Text("(A, 2020)"),)),))
    gloss = m.GlossRef("ne", (m.Text("NE"),), entry="norepinephrine")
    out = markup(m.Link("https://x.org", (m.Text("see "), cite, m.Text(" "), gloss)))
    assert out.count("<a ") == 1 and out.count("</a>") == 1
    assert 'label="norepinephrine"' in out  # the mention still counts for its page
    alone = markup(gloss, cite)
    assert alone.count("<a ") == 2


def test_shaped_text_is_raised_lowered_or_small_capitals_and_escaped() -> None:
    assert markup(m.Shaped("superscript", (m.Text("1<2"),))) == "<super>1&lt;2</super>"
    assert markup(m.Shaped("subscript", (m.Text("2"),))) == "<sub>2</sub>"
    # small capitals: capitals a size smaller, so that a copy of the text reads as capitals
    assert markup(m.Text("In "), m.Shaped("smallcaps", (m.Text("Smith & co"),))) == (
        'In <font size="80%">SMITH &amp; CO</font>')
    para = Paragraph(markup(m.Text("x"), m.Shaped("superscript", (m.Link("#ref-a", (
        m.Text("1(p3)"),)),))))
    assert para.wrap(200, 100)[1] > 0  # ReportLab reads it
