"""The check command: words, reading grade, pages, glossary terms and uncited paragraphs."""

from __future__ import annotations

import sys
from pathlib import Path

from click.testing import CliRunner, Result

from studyguide.api import load_guide
from studyguide.commands.cli import main
from studyguide.validate.readability import count_text, guide_report, syllables

OUTLINE = """\
title: Check test
audiences:
  - name: patient
    reading-grade: 4
  - name: nursing
references:
  - id: doe
    type: book
    title: A Book
    author: [{family: Doe}]
    issued: 2020
glossary:
  - term: cat
    definition: A small animal.
sections:
  - id: easy
    title: Easy
    blocks:
      - paragraph: The [[cat]] sat on the mat. It was happy.
      - paragraph: The [[cat]] ran. The dog sat [@doe].
  - id: hard
    title: Hard
    audiences: [patient]
    blocks:
      - paragraph: Norepinephrine increases systemic vascular resistance considerably.
"""


def write(tmp_path: Path) -> Path:
    path = tmp_path / "guide.yaml"
    path.write_text(OUTLINE, encoding="utf-8")
    return path


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_grade_of_a_known_paragraph() -> None:
    # pyphen splits only "hap-py": 8 one-syllable words and one of two
    words = ["The", "cat", "sat", "on", "the", "mat", "It", "was", "happy"]
    assert [syllables(w) for w in words] == [1, 1, 1, 1, 1, 1, 1, 1, 2]
    counts = count_text(["The cat sat on the mat. It was happy."])
    assert (counts.words, counts.sentences, counts.syllables) == (9, 2, 10)
    assert counts.grade == 0.39 * (9 / 2) + 11.8 * (10 / 9) - 15.59


def test_report_counts_words_glossary_and_uncited_paragraphs(tmp_path: Path) -> None:
    guide = load_guide(write(tmp_path), audience="nursing").guide
    [easy] = guide_report(guide)
    # the citation's rendered text "(Doe, 2020)" is not counted
    assert easy.counts.words == 9 + 6
    assert easy.glossary_terms == 1
    assert [(p.line, p.column) for p in easy.uncited] == [(19, 20)]
    assert easy.pages == 15 / 450


def test_check_prints_a_table_per_audience(tmp_path: Path) -> None:
    result = run("check", str(write(tmp_path)))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].endswith("guide.yaml: audience patient (style default)")
    assert lines[1].split() == ["section", "words", "grade", "pages", "glossary", "uncited"]
    assert lines[2].split()[:2] == ["easy", "15"]
    assert lines[3].split()[:2] == ["hard", "6"]
    assert "audience nursing (style default)" in result.stdout
    assert "uncited paragraphs at" in result.stdout and "guide.yaml:19" in result.stdout


def test_section_above_the_target_warns(tmp_path: Path) -> None:
    path = write(tmp_path)
    result = run("check", str(path), "--audience", "patient")
    assert result.exit_code == 0
    grade = count_text(["Norepinephrine increases systemic vascular resistance considerably."])
    assert result.stderr == (
        f"{path}:21:5: warning: section 'hard' reads at grade {grade.grade:.1f}; "
        "the patient audience aims at 4 or lower\n")


def test_strict_makes_it_an_error(tmp_path: Path) -> None:
    path = write(tmp_path)
    result = run("check", str(path), "--audience", "patient", "--strict")
    assert result.exit_code == 1
    assert f"{path}:21:5: error: section 'hard' reads at grade" in result.stderr
    assert run("check", str(path), "--audience", "nursing", "--strict").exit_code == 0


def test_whole_guide_without_audiences(tmp_path: Path) -> None:
    path = tmp_path / "plain.yaml"
    path.write_text("title: T\nsections:\n  - id: a\n    title: A\n    blocks:\n"
                    "      - paragraph: One line here.\n", encoding="utf-8")
    result = run("check", str(path))
    assert result.exit_code == 0
    assert "whole guide" in result.stdout
    assert result.stderr == ""


def test_check_needs_no_network(tmp_path: Path) -> None:
    assert run("check", str(write(tmp_path))).exit_code == 0
    assert "nltk" not in sys.modules
    assert "textstat" not in sys.modules
