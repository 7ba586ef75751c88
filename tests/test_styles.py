"""Style sheets: lookup, `extends:` chains, typed values, checks, fonts."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from studyguide.load.loader import load_document
from studyguide.model.diagnostics import GuideError
from studyguide.model.document import Pos
from studyguide.render.fonts import missing_glyphs, register_family
from studyguide.style.fonts import package_font_files
from studyguide.style.load import load_style
from studyguide.style.types import BUILTIN_DIR, Color, FontFamily, Style
from studyguide.validate.schema import validate_document

LENGTH_HINT = "  hint: use a number with a unit: pt, mm, cm or in (e.g. 11pt)"


def sheet(root: Path, name: str, text: str) -> Path:
    path = root / "styles" / f"{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def problems(root: Path, name: str, **kwargs: object) -> list[str]:
    with pytest.raises(GuideError) as exc:
        load_style(name, root, **kwargs)  # type: ignore[arg-type]
    return exc.value.format().splitlines()


def colors(style: Style) -> list[Color]:
    found = [getattr(style, f) for f in Style.__dataclass_fields__]
    for callout in style.callouts.values():
        found += [callout.accent, callout.background]
    return [c for c in found if isinstance(c, Color)]


# ----------------------------------------------------------------- lookup


def test_default_style_values(tmp_path: Path) -> None:
    style = load_style("default", tmp_path)
    assert style.name == "default"
    assert (style.paper, style.page_width, style.page_height) == ("letter", 612.0, 792.0)
    assert style.margin_inner == pytest.approx(72.0)
    assert style.margin_top == pytest.approx(0.85 * 72)
    assert (style.body_size, style.body_leading) == (10.5, 14.5)
    assert style.heading_sizes == (18.0, 14.0, 12.0, 11.0)
    assert style.text_color.hex == "#1a1a1a"
    assert style.table_zebra is not None and style.table_zebra.hex == "#eef2f7"
    assert style.body_font.name == "SourceSerifPro"
    assert style.heading_font.name == "SourceSansPro"
    assert style.code_font.name == "IBMPlexMono"
    assert style.code_font.bold_italic.name == "IBMPlexMono-BoldItalic.ttf"
    assert set(style.callouts) == {"key-point", "warning", "clinical-note", "mnemonic", "remember"}
    assert style.callouts["clinical-note"].label == "Clinical note"
    assert (style.align, style.emphasis, style.heading_numbers) == ("justify", "italic", True)


def test_units_are_parsed_once_into_points(tmp_path: Path) -> None:
    sheet(tmp_path, "u", """
        page: {margin-top: 2cm, margin-bottom: 10mm, margin-inner: 0.5in, margin-outer: 0.75in}
        text: {paragraph-spacing: 0pt}
        table: {zebra: none, header-color: "#FfF"}
    """)
    style = load_style("u", tmp_path)
    assert style.margin_top == pytest.approx(56.6929, abs=1e-3)
    assert style.margin_bottom == pytest.approx(28.3465, abs=1e-3)
    assert (style.margin_inner, style.margin_outer) == (36.0, 54.0)
    assert style.paragraph_spacing == 0.0
    assert style.table_zebra is None
    assert style.table_header_color == Color(1.0, 1.0, 1.0)


def test_paper_override_and_a4(tmp_path: Path) -> None:
    sheet(tmp_path, "a", "page: {size: a4}\n")
    assert load_style("a", tmp_path).page_width == 595.28
    style = load_style("a", tmp_path, paper="letter")
    assert (style.paper, style.page_width, style.page_height) == ("letter", 612.0, 792.0)
    style = load_style("default", tmp_path, paper="a4")
    assert (style.paper, style.page_height) == ("a4", 841.89)
    assert problems(tmp_path, "default", paper="legal") == [
        "error: unknown paper size 'legal'",
        "  hint: use letter or a4",
    ]


def test_unknown_style_with_did_you_mean(tmp_path: Path) -> None:
    where = Pos("outline/guide.yaml", 7, 8)
    assert problems(tmp_path, "larg-print", pos=where) == [
        "outline/guide.yaml:7:8: error: unknown style 'larg-print'",
        "  hint: did you mean 'large-print'?",
    ]


def test_unknown_style_lists_project_and_builtin_names(tmp_path: Path) -> None:
    sheet(tmp_path, "house", "{}\n")
    assert problems(tmp_path, "zzz") == [
        "error: unknown style 'zzz'",
        "  hint: available styles: default, grayscale, house, large-print",
    ]


def test_style_by_path_relative_to_project(tmp_path: Path) -> None:
    (tmp_path / "looks").mkdir()
    (tmp_path / "looks" / "mine.yaml").write_text("text: {align: left}\n")
    assert load_style("looks/mine.yaml", tmp_path).align == "left"
    assert problems(tmp_path, "looks/none.yaml") == [
        "error: cannot find style sheet 'looks/none.yaml'",
        "  hint: looked for looks/none.yaml",
    ]


def test_project_sheet_wins_over_builtin(tmp_path: Path) -> None:
    sheet(tmp_path, "grayscale", "text: {size: 12pt, leading: 15pt}\n")
    style = load_style("grayscale", tmp_path)
    # The project's own grayscale extends the built-in default, not itself.
    assert style.body_size == 12.0
    assert style.text_color.hex == "#1a1a1a"


def test_builtin_sheets_resolve_from_any_project(tmp_path: Path) -> None:
    assert load_style("large-print", tmp_path).body_size >= 16
    assert load_style("grayscale", tmp_path).name == "grayscale"


# ---------------------------------------------------------------- extends


def test_extends_chain_and_deep_merge(tmp_path: Path) -> None:
    sheet(tmp_path, "base", """
        extends: default
        text: {size: 12pt, leading: 16pt}
        callouts:
          warning: {accent: "#ff0000"}
    """)
    sheet(tmp_path, "child", """
        extends: base
        text:
          size: 11pt
        callouts:
          warning: {label: Careful}
    """)
    style = load_style("child", tmp_path)
    assert (style.body_size, style.body_leading) == (11.0, 16.0)
    warning = style.callouts["warning"]
    assert (warning.label, warning.accent.hex, warning.background.hex) == (
        "Careful", "#ff0000", "#fbeced")
    assert style.callouts["key-point"].accent.hex == "#1d4f91"
    assert style.text_color.hex == "#1a1a1a"


def test_project_default_extends_builtin_default(tmp_path: Path) -> None:
    sheet(tmp_path, "default", "extends: default\nfonts: {body: sans}\n")
    assert load_style("default", tmp_path).body_font.name == "SourceSansPro"
    # Other project sheets build on the project's house default ...
    sheet(tmp_path, "mine", "page: {size: a4}\n")
    assert load_style("mine", tmp_path).body_font.name == "SourceSansPro"
    # ... but built-in sheets extend only built-in ones, the same in every project.
    assert load_style("grayscale", tmp_path).body_font.name == "SourceSerifPro"


def test_project_default_may_extend_a_builtin_sheet(tmp_path: Path) -> None:
    sheet(tmp_path, "default", "extends: grayscale\n")
    sheet(tmp_path, "mine", "page: {size: a4}\n")
    style = load_style("mine", tmp_path)
    assert (style.paper, style.heading_color.hex) == ("a4", "#000000")


def test_project_sheet_extends_builtin_large_print(tmp_path: Path) -> None:
    sheet(tmp_path, "patients", "extends: large-print\npage: {size: a4}\n")
    style = load_style("patients", tmp_path)
    assert (style.paper, style.body_size, style.emphasis) == ("a4", 16.0, "bold")


def test_extends_cycle(tmp_path: Path) -> None:
    sheet(tmp_path, "a", "extends: b\n")
    sheet(tmp_path, "b", "extends: a\n")
    assert problems(tmp_path, "a") == [
        "styles/b.yaml:1:10: error: style 'a' extends itself through 'b'",
        "  hint: remove one of the extends: lines",
    ]


def test_extends_longer_cycle(tmp_path: Path) -> None:
    sheet(tmp_path, "a", "extends: b\n")
    sheet(tmp_path, "b", "extends: c\n")
    sheet(tmp_path, "c", "extends: a\n")
    assert problems(tmp_path, "a")[0] == (
        "styles/c.yaml:1:10: error: style 'a' extends itself through 'b' and 'c'"
    )


def test_extends_itself_by_path(tmp_path: Path) -> None:
    sheet(tmp_path, "a", "extends: a.yaml\n")
    assert problems(tmp_path, "a")[0] == "styles/a.yaml:1:10: error: style 'a' extends itself"


def test_extends_its_own_name_without_a_builtin(tmp_path: Path) -> None:
    sheet(tmp_path, "house", "extends: house\n")
    assert problems(tmp_path, "house") == [
        "styles/house.yaml:1:10: error: style 'house' extends itself",
        "  hint: there is no built-in style 'house' to extend",
    ]


def test_extends_unknown_name(tmp_path: Path) -> None:
    sheet(tmp_path, "a", "# mine\nextends: defualt\n")
    assert problems(tmp_path, "a") == [
        "styles/a.yaml:2:10: error: unknown style 'defualt'",
        "  hint: did you mean 'default'?",
    ]


# ------------------------------------------------------------- bad values


def test_bad_unit(tmp_path: Path) -> None:
    sheet(tmp_path, "x", """
        # body text
        page: {size: letter}
        text:
          size: 12px
    """)
    assert problems(tmp_path, "x") == [
        "styles/x.yaml:4:9: error: bad length '12px' for text.size",
        LENGTH_HINT,
    ]


def test_number_without_unit_quotes_source(tmp_path: Path) -> None:
    sheet(tmp_path, "x", "text: {size: 12, leading: 1.5e1}\n")
    assert problems(tmp_path, "x") == [
        "styles/x.yaml:1:14: error: bad length '12' for text.size",
        LENGTH_HINT,
        "styles/x.yaml:1:27: error: bad length '1.5e1' for text.leading",
        LENGTH_HINT,
    ]


def test_print_settings_duplex_and_cards(tmp_path: Path) -> None:
    default = load_style("default", tmp_path)
    assert (default.duplex, default.section_start) == (False, "any")
    assert (default.cards_per_sheet, default.card_columns, default.card_flip) == (8, 2, "long")
    assert (default.duplex_offset_x, default.duplex_offset_y) == (0.0, 0.0)
    sheet(tmp_path, "p", """
        page: {duplex: true, section-start: right}
        cards: {per-sheet: 10, flip: short, duplex-offset: {x: 1.5mm, y: -0.5mm}}
    """)
    style = load_style("p", tmp_path)
    assert (style.duplex, style.section_start, style.cards_per_sheet) == (True, "right", 10)
    assert style.card_flip == "short" and style.card_columns == 2
    assert style.duplex_offset_x == pytest.approx(1.5 * 72 / 25.4)
    assert style.duplex_offset_y == pytest.approx(-0.5 * 72 / 25.4)


def test_bad_print_settings(tmp_path: Path) -> None:
    sheet(tmp_path, "x", "cards: {per-sheet: 0, flip: sideways}\npage: {section-start: left}\n")
    assert problems(tmp_path, "x") == [
        "styles/x.yaml:1:20: error: bad value '0' for cards.per-sheet",
        "  hint: use a whole number from 1 to 40",
        "styles/x.yaml:1:29: error: bad value 'sideways' for cards.flip",
        "  hint: use long or short",
        "styles/x.yaml:2:23: error: bad value 'left' for page.section-start",
        "  hint: use any or right",
    ]


def test_bad_colour(tmp_path: Path) -> None:
    sheet(tmp_path, "x", """
        text:
          color: "#12345"
        table:
          zebra: grey
    """)
    assert problems(tmp_path, "x") == [
        "styles/x.yaml:2:10: error: bad colour '#12345' for text.color",
        '  hint: use #rrggbb or #rgb in quotes, e.g. "#1d4f91"',
        "styles/x.yaml:4:10: error: bad colour 'grey' for table.zebra",
        '  hint: use #rrggbb or #rgb in quotes, e.g. "#1d4f91", or none',
    ]


def test_unquoted_colour_is_a_comment(tmp_path: Path) -> None:
    sheet(tmp_path, "x", "headings:\n  color: #16365c\n")
    assert problems(tmp_path, "x") == [
        "styles/x.yaml:2:9: error: missing colour for headings.color",
        '  hint: quote the colour: an unquoted # starts a YAML comment (write "#1d4f91")',
    ]


def test_bad_choice_and_flag(tmp_path: Path) -> None:
    sheet(tmp_path, "x", "text: {align: centre}\nheadings: {numbered: maybe}\n")
    assert problems(tmp_path, "x") == [
        "styles/x.yaml:1:15: error: bad value 'centre' for text.align",
        "  hint: use justify or left",
        "styles/x.yaml:2:22: error: bad value 'maybe' for headings.numbered",
        "  hint: use true or false",
    ]


def test_unknown_key_from_schema(tmp_path: Path) -> None:
    sheet(tmp_path, "x", "text:\n  colour: \"#000000\"\n")
    with pytest.raises(GuideError) as exc:
        load_style("x", tmp_path)
    (found,) = exc.value.diagnostics
    assert found.pos == Pos("styles/x.yaml", 2, 3)
    assert "colour" in found.message
    assert any(hint.startswith("did you mean 'color'") for hint in found.hints)


def test_leading_less_than_size(tmp_path: Path) -> None:
    sheet(tmp_path, "x", "text:\n  size: 20pt\n")
    assert problems(tmp_path, "x") == [
        "styles/x.yaml:2:9: error: text.leading 14.5pt is less than text.size 20pt",
        "  hint: make the leading at least the size; about 1.2 to 1.45 times it reads well"
        " (e.g. 26pt)",
    ]


def test_size_bounds_and_heading_sizes(tmp_path: Path) -> None:
    sheet(tmp_path, "x", """
        captions: {size: 3pt}
        headings: {sizes: [18pt, 2in]}
        table: {font-size: 80pt}
    """)
    assert problems(tmp_path, "x") == [
        "styles/x.yaml:1:18: error: captions.size 3pt is out of range",
        "  hint: use a size from 4pt to 72pt",
        "styles/x.yaml:2:26: error: headings.sizes[1] 2in is out of range",
        "  hint: use a size from 4pt to 72pt",
        "styles/x.yaml:3:20: error: table.font-size 80pt is out of range",
        "  hint: use a size from 4pt to 72pt",
    ]


def test_heading_sizes_must_not_be_empty(tmp_path: Path) -> None:
    sheet(tmp_path, "x", "headings:\n  sizes: []\n")
    messages = problems(tmp_path, "x")
    assert messages[0].startswith("styles/x.yaml:2:10: error: ")
    assert "hint: e.g. sizes: [18pt, 14pt, 12pt]" in "\n".join(messages)


def test_margins_too_wide(tmp_path: Path) -> None:
    sheet(tmp_path, "x", "page:\n  margin-outer: 3.5in\n  margin-inner: 3.5in\n")
    assert problems(tmp_path, "x") == [
        "styles/x.yaml:3:17: error: the margins leave a text area 1.5in wide on letter paper;"
        " it must be at least 2in",
        "  hint: page.margin-inner + page.margin-outer is 7in; make it at most 6.5in",
    ]


def test_margins_fit_letter_but_not_a4(tmp_path: Path) -> None:
    sheet(tmp_path, "x", "page:\n  margin-inner: 3.2in\n  margin-outer: 3.2in\n")
    assert load_style("x", tmp_path).page_width == 612.0
    assert problems(tmp_path, "x", paper="a4") == [
        "styles/x.yaml:2:17: error: the margins leave a text area 1.87in wide on a4 paper;"
        " it must be at least 2in",
        "  hint: page.margin-inner + page.margin-outer is 6.4in; make it at most 6.27in",
    ]


def test_margins_too_tall_points_at_the_users_own_value(tmp_path: Path) -> None:
    sheet(tmp_path, "x", "page: {margin-bottom: 8in}\n")
    assert problems(tmp_path, "x")[0] == (
        "styles/x.yaml:1:23: error: the margins leave a text area 2.15in tall on letter paper;"
        " it must be at least 3in"
    )


def test_problems_of_a_whole_chain_come_at_once(tmp_path: Path) -> None:
    sheet(tmp_path, "base", "text: {link-color: blue}\n")
    sheet(tmp_path, "child", "extends: base\npage: {margin-top: 1 inch}\n")
    assert problems(tmp_path, "child") == [
        "styles/base.yaml:1:20: error: bad colour 'blue' for text.link-color",
        '  hint: use #rrggbb or #rgb in quotes, e.g. "#1d4f91"',
        "styles/child.yaml:2:20: error: bad length '1 inch' for page.margin-top",
        LENGTH_HINT,
    ]


def test_label_that_yaml_retypes(tmp_path: Path) -> None:
    sheet(tmp_path, "x", "callouts:\n  remember: {label: No}\n")
    assert problems(tmp_path, "x")[0] == (
        "styles/x.yaml:2:21: error: callouts > remember > label: YAML reads No as the boolean false"
    )


def test_lengths_follow_the_schema_pattern(tmp_path: Path) -> None:
    sheet(tmp_path, "x", "text: {paragraph-spacing: .5em}\n")
    assert problems(tmp_path, "x") == [
        "styles/x.yaml:1:27: error: bad length '.5em' for text.paragraph-spacing",
        LENGTH_HINT,
    ]


def test_sheet_must_be_a_mapping(tmp_path: Path) -> None:
    sheet(tmp_path, "x", "- text\n")
    assert problems(tmp_path, "x")[0].startswith("styles/x.yaml:1:1: error: the top level must")


def test_empty_sheet(tmp_path: Path) -> None:
    sheet(tmp_path, "x", "# nothing yet\n")
    assert problems(tmp_path, "x")[0].startswith("styles/x.yaml:1:1: error: the file is empty")


def test_yaml_error_in_a_parent_sheet(tmp_path: Path) -> None:
    sheet(tmp_path, "base", "text: {size: 12pt\n")
    sheet(tmp_path, "x", "extends: base\n")
    assert problems(tmp_path, "x")[0].startswith("styles/base.yaml:")


def test_only_extends(tmp_path: Path) -> None:
    sheet(tmp_path, "x", "extends: default\n")
    assert load_style("x", tmp_path).body_size == 10.5


# ------------------------------------------------------- built-in sheets


@pytest.mark.parametrize("path", sorted(BUILTIN_DIR.glob("*.yaml")), ids=lambda p: p.stem)
def test_builtin_sheets_pass_the_schema(path: Path) -> None:
    assert validate_document(load_document(path, display=path.name), "style") == []


def test_shipped_guide_style() -> None:
    root = Path(__file__).resolve().parent.parent
    style = load_style("guide", root)
    assert style.paper == "letter"


def test_large_print(tmp_path: Path) -> None:
    style = load_style("large-print", tmp_path)
    default = load_style("default", tmp_path)
    assert style.body_size >= 16
    assert style.body_leading >= 1.4 * style.body_size
    assert style.body_font.name == "SourceSansPro"
    assert (style.emphasis, style.align) == ("bold", "left")
    assert min(style.heading_sizes) > style.body_size
    for field in ("caption_size", "small_size", "table_font_size", "title_size",
                  "paragraph_spacing"):
        assert getattr(style, field) > getattr(default, field), field


def test_grayscale_has_only_grays(tmp_path: Path) -> None:
    style = load_style("grayscale", tmp_path)
    found = colors(style)
    assert len(found) == 19  # every colour of the sheet was looked at
    for color in found:
        assert color.red == color.green == color.blue, color.hex
    labels = {c.label for c in style.callouts.values()}
    assert len(labels) == len(style.callouts)  # told apart by label, not colour
    assert style.table_zebra is not None and style.table_zebra.red > 0.85
    header = style.table_header_background.red
    assert abs(header - style.table_header_color.red) > 0.6


# ------------------------------------------------------------------ fonts


def copy_family(root: Path, folder: str, suffix: str = ".ttf") -> None:
    _, files = package_font_files("serif")
    target = root / "styles" / folder
    target.mkdir(parents=True)
    for file in files:
        shutil.copy(file.with_suffix(suffix), target / file.with_suffix(suffix).name)


def test_custom_ttf_fonts_relative_to_the_sheet(tmp_path: Path) -> None:
    copy_family(tmp_path, "fonts")
    sheet(tmp_path, "x", """
        fonts:
          body:
            regular: fonts/SourceSerifPro-Regular.ttf
            bold: fonts/SourceSerifPro-Bold.ttf
            italic: fonts/SourceSerifPro-It.ttf
            bold-italic: fonts/SourceSerifPro-BoldIt.ttf
    """)
    family = load_style("x", tmp_path).body_font
    assert family.name == "SourceSerifPro"
    assert family.regular == tmp_path / "styles" / "fonts" / "SourceSerifPro-Regular.ttf"
    assert family.bold_italic.name == "SourceSerifPro-BoldIt.ttf"


def test_otf_font_refused(tmp_path: Path) -> None:
    copy_family(tmp_path, "fonts", ".otf")
    sheet(tmp_path, "x", """
        fonts:
          heading:
            regular: fonts/SourceSerifPro-Regular.otf
            bold: fonts/SourceSerifPro-Bold.otf
            italic: fonts/SourceSerifPro-It.otf
            bold-italic: fonts/missing.otf
    """)
    messages = problems(tmp_path, "x")
    assert messages[:2] == [
        "styles/x.yaml:3:14: error: font file 'fonts/SourceSerifPro-Regular.otf' for"
        " fonts.heading.regular is an OpenType font with CFF outlines, which ReportLab"
        " cannot embed",
        "  hint: use the TrueType (.ttf) version of the font",
    ]
    assert messages[-2:] == [
        "styles/x.yaml:6:18: error: cannot find font file 'fonts/missing.otf' for"
        " fonts.heading.bold-italic",
        "  hint: the path is relative to the style sheet's folder, styles/",
    ]
    assert len(messages) == 8


def test_not_a_font_and_missing_faces(tmp_path: Path) -> None:
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "x.ttf").write_text("hello")
    sheet(tmp_path, "x", """
        fonts:
          body: {regular: x.ttf, bold: x.ttf}
          code: serf
    """)
    assert problems(tmp_path, "x") == [
        "styles/x.yaml:2:9: error: fonts.body is missing italic, bold-italic",
        "  hint: give all four faces: regular, bold, italic, bold-italic",
        "styles/x.yaml:3:9: error: unknown font family 'serf' for fonts.code",
        "  hint: did you mean 'serif'?",
        "  hint: use serif, sans or mono, or a mapping of four .ttf files:"
        " regular, bold, italic, bold-italic",
    ]


def test_missing_glyphs() -> None:
    for family in ("serif", "sans"):
        family_ = FontFamily(*_family(family))
        assert missing_glyphs(family_, "α β → µ ≥ é Noradrenaline\t\n\u00ad😀") == {"😀"}


def test_register_family_is_idempotent() -> None:
    from reportlab.pdfbase import pdfmetrics

    family = FontFamily(*_family("mono"))
    assert register_family(family) == "IBMPlexMono"
    assert register_family(family) == "IBMPlexMono"
    assert pdfmetrics.getFont("IBMPlexMono-BoldItalic").fontName == "IBMPlexMono-BoldItalic"
    # Other files under a name already taken get a name of their own.
    other = FontFamily("IBMPlexMono", family.bold, family.bold, family.bold, family.bold)
    assert register_family(other) == "IBMPlexMono-2"
    assert register_family(other) == "IBMPlexMono-2"
    assert register_family(family) == "IBMPlexMono"
    assert pdfmetrics.getFont("IBMPlexMono-2-Italic").face.filename == str(family.bold)


def test_unreadable_ttf_is_a_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "Broken-Regular.ttf"
    broken.write_bytes(b"\x00\x01\x00\x00" + b"\x00" * 20)
    family = FontFamily("Broken", broken, broken, broken, broken)
    with pytest.raises(GuideError) as exc:
        register_family(family)
    assert exc.value.format().startswith(f"error: cannot read the font file {broken}: ")


def _family(name: str) -> tuple[object, ...]:
    family, files = package_font_files(name)
    return (family, *files)


def test_a_colour_in_markup_is_the_same_colour_as_its_hex(tmp_path):
    from reportlab.lib.colors import toColor

    style = load_style("default", tmp_path)
    assert style.text_color.rgb == "rgb(26,26,26)"
    for color in (style.text_color, style.link_color, style.glossary_color,
                  *(look.accent for look in style.callouts.values())):
        assert toColor(color.rgb).rgb() == toColor(color.hex).rgb()
