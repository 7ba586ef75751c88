"""Bad input, text: characters that print as nothing, in another order, or not at all."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from test_bad_input import SECTION_HEAD, body_text, cli, fails, project, renders


def paragraph(text: str) -> str:
    return SECTION_HEAD + f"      - paragraph: {text}\n"


def test_control_characters_from_escapes_are_warned_and_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A file cannot hold raw controls (YAML refuses them); escapes in double quotes make them.
    project(tmp_path, monkeypatch, paragraph('"Bell\\a, red \\x1b[31mtext\\x1b[0m, C1 \\x9b."'))
    hint = "  hint: delete it (an escape such as \\a or \\x1b in double quotes makes one)\n"
    warnings = "".join(
        f"outline/g.yaml:6:20: warning: the control character {code} cannot be printed; it "
        f"is left out of the PDF\n{hint}" for code in ("U+0007", "U+001B", "U+009B"))
    pdf = renders(stderr=warnings)
    assert "Bell, red [31mtext[0m, C1 ." in body_text(pdf)
    assert cli("validate").stderr == warnings


def test_raw_control_character_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path, monkeypatch, paragraph("Ring \x07 the bell.").encode())
    fails("outline/g.yaml:6:25: error: the file contains the control character U+0007, "
          "which YAML does not allow\n"
          "  hint: delete it; it often comes with text copied from a PDF or word processor\n")


@pytest.mark.parametrize("control", ["\u202e", "\u2067"])
def test_bidi_control_is_warned_at_its_column_and_left_out(
    control: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "Trojan source": the override makes the words after it print backwards.
    project(tmp_path, monkeypatch, paragraph(f"Give 10 mg {control}daily\u202c at most."))
    expected = (
        f"outline/g.yaml:6:31: warning: the bidirectional control U+{ord(control):04X} "
        f"({unicodedata.name(control)}) can make text print in another order than it is "
        "written; it is left out of the PDF\n"
        "  hint: delete it; right-to-left words need no control characters\n"
        "outline/g.yaml:6:37: warning: the bidirectional control U+202C (POP DIRECTIONAL "
        "FORMATTING) can make text print in another order than it is written; it is left "
        "out of the PDF\n"
        "  hint: delete it; right-to-left words need no control characters\n")
    assert "Give 10 mg daily at most." in body_text(renders(stderr=expected))


def test_bidi_control_fails_a_strict_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path, monkeypatch, paragraph("a \u202eb"))
    result = cli("build", "--strict")
    assert result.exit_code == 1
    assert result.stderr.startswith("outline/g.yaml:6:22: error: the bidirectional control "
                                    "U+202E")
    assert not Path("build").exists()


def test_combining_sequences_print_composed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "e" + COMBINING ACUTE ACCENT prints as the font's "é", not an accent placed by guesswork.
    project(tmp_path, monkeypatch, paragraph("Cafe\u0301 and man\u0303ana."))
    text = body_text(renders())
    assert "Caf\u00e9 and ma\u00f1ana." in text
    assert "\u0301" not in text and "\u0303" not in text


def test_very_long_word_and_url_in_narrow_cells_break_and_lose_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    word, url = "q" * 3000, "https://example.org/" + "a/" * 400
    columns = [f"h{i}" for i in range(12)]  # the most that fit: cells about half an inch wide
    cells = [word, url, *(f"c{i}" for i in range(10))]
    project(tmp_path, monkeypatch, SECTION_HEAD + (
        f"      - table:\n          caption: Narrow\n          header: [{', '.join(columns)}]\n"
        f"          rows:\n            - [{', '.join(cells)}]\n"))
    text = body_text(renders()).replace(" ", "")
    # A cell taller than a page goes on over pages; the other cells' rows come between.
    assert text.count("q") == 3000
    assert text.count("a/") == 400 and "https://example.org/a/" in text


def test_right_to_left_and_cjk_text_the_fonts_lack_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path, monkeypatch, paragraph("Shalom \u05e9\u05dc and \u4e2d\u6587."))
    lines = cli("build", "-o", "out.pdf").stderr.splitlines()
    assert lines[:2] == [
        "outline/g.yaml:6:20: warning: the font 'SourceSerifPro' has no glyph for "
        "'\u05e9' (U+05E9); it would print as an empty box",
        "  hint: it prints as [U+05E9]; remove it or choose a font that has it",
    ]
    assert [line.split("(")[1][:6] for line in lines[::2]] == [
        "U+05E9", "U+05DC", "U+4E2D", "U+6587"]
    text = body_text(Path("out.pdf").read_bytes())
    assert "Shalom [U+05E9][U+05DC] and [U+4E2D][U+6587]." in text


def test_emoji_is_reported_not_boxed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, monkeypatch, paragraph("Well done \U0001f600!"))
    pdf = renders(stderr=(
        "outline/g.yaml:6:20: warning: the font 'SourceSerifPro' has no glyph for "
        "'\U0001f600' (U+1F600); it would print as an empty box\n"
        "  hint: it prints as [U+1F600]; remove it or choose a font that has it\n"))
    assert "Well done [U+1F600]!" in body_text(pdf)


def test_emoji_sequence_with_joiners_and_selectors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The joiner and the variation selector print as nothing; each emoji is reported once.
    project(tmp_path, monkeypatch, paragraph("Team \U0001f469\u200d\U0001f469\ufe0f."))
    result = cli("build", "-o", "out.pdf")
    assert result.exit_code == 0
    assert result.stderr.count("warning:") == 1 and "U+1F469" in result.stderr
    assert "Team [U+1F469][U+1F469]." in body_text(Path("out.pdf").read_bytes())
