"""The worksheet edition: marked glossary terms become blanks, listed in a word bank."""

from __future__ import annotations

from pathlib import Path

import pdfutil
import pytest
from test_resolve import write  # files into a project folder, returning its outline

from studyguide.api import build_pdf, load_guide
from studyguide.layout.questions import ANSWER_LINES
from studyguide.model.document import Blank, GlossRef, Paragraph, WordBank, walk_spans
from studyguide.model.traverse import walk_sections

OUTLINE = """\
title: Worksheet
glossary:
  - {term: dopamine, definition: A chemical messenger.}
  - {term: hypothalamus, definition: A brain area.}
  - {term: norepinephrine, definition: A neurotransmitter.}
sections:
  - id: one
    title: One
    blocks:
      - paragraph: "[[norepinephrine|Norepinephrine]] is made from [[dopamine]]."
        worksheet: true
      - paragraph: "Kept: [[dopamine]] stays a link here."
    sections:
      - id: one-sub
        title: One, deeper
        blocks:
          - bullets: ["The [[hypothalamus]] sends the signal."]
            worksheet: true
  - id: two
    title: Two
    blocks:
      - paragraph: "Nothing blank: [[hypothalamus]]."
      - questions:
          - short-answer: Name the chemical it is made from.
            answer: Dopamine.
"""


@pytest.fixture
def outline(tmp_path: Path) -> Path:
    return write(tmp_path, {"outline/guide.yaml": OUTLINE})


def test_marked_terms_become_blanks_and_others_stay(outline: Path) -> None:
    guide = load_guide(outline, edition="worksheet").guide
    one, sub, two = list(walk_sections(guide.sections))[:3]
    first, kept = one.blocks[0], one.blocks[1]
    assert isinstance(first, Paragraph) and isinstance(kept, Paragraph)
    assert [s.answer for s in walk_spans(first.text.spans) if isinstance(s, Blank)] == [
        "Norepinephrine", "dopamine"]
    assert not any(isinstance(s, GlossRef) for s in walk_spans(first.text.spans))
    assert [s.term for s in walk_spans(kept.text.spans) if isinstance(s, GlossRef)] == [
        "dopamine"]
    # the bank ends the top-level section: after its last subsection's blocks
    assert sub.blocks[-1] == WordBank(("dopamine", "hypothalamus", "Norepinephrine"), one.pos)
    assert not any(isinstance(b, WordBank) for b in (*one.blocks, *two.blocks))


def test_other_editions_keep_every_term(outline: Path) -> None:
    for edition in ("student", "instructor"):
        guide = load_guide(outline, edition=edition).guide
        blocks = [b for s in walk_sections(guide.sections) for b in s.blocks]
        assert not any(isinstance(b, WordBank) for b in blocks)
        spans = [s for b in blocks if isinstance(b, Paragraph) for s in walk_spans(b.text.spans)]
        assert not any(isinstance(s, Blank) for s in spans)


def test_the_worksheet_pdf_shows_blanks_a_word_bank_and_ruled_lines(outline: Path) -> None:
    pages = pdfutil.page_texts(build_pdf(outline, edition="worksheet", strict=True).pdf)
    text = " ".join(" ".join(page.split()) for page in pages)
    assert "__________________ is made from ____________." in text  # the right lengths
    assert "Word bank dopamine · hypothalamus · Norepinephrine" in text
    assert "The ________________ sends the signal." in text
    assert "Kept: dopamine stays a link here." in text
    assert "Nothing blank: hypothalamus." in text
    assert "Worksheet" in " ".join(pages[0].split())  # the edition, on the title page
    assert "Answer key" not in text and "Dopamine." not in text  # no answers on a worksheet
    assert "Name the chemical it is made from." in text


def test_a_short_answer_gets_ruled_lines_on_a_worksheet(tmp_path: Path) -> None:
    quiz = write(tmp_path, {"outline/guide.yaml": """\
title: Quiz
toc: false
sections:
  - id: q
    title: Q
    blocks:
      - questions:
          - short-answer: Name the chemical it is made from.
            answer: Dopamine.
"""})

    def rules(edition: str) -> int:
        """Lines stroked on the page of the question."""
        pdf = build_pdf(quiz, edition=edition, answer_key=False).pdf
        page = pdfutil.reader(pdf).pages[1]
        assert "Name the chemical" in page.extract_text()
        return page.get_contents().get_data().count(b" l S")
    assert rules("worksheet") == rules("student") == rules("instructor") + ANSWER_LINES


def test_a_word_typed_two_ways_is_in_the_bank_once(tmp_path: Path) -> None:
    composed, decomposed = "caf\u00e9ine", "cafe\u0301ine"
    outline = write(tmp_path, {"outline/guide.yaml": f"""\
title: Worksheet
glossary:
  - {{term: {composed}, definition: A stimulant.}}
sections:
  - id: one
    title: One
    blocks:
      - paragraph: "[[{composed}]] and [[{decomposed}|{decomposed.title()}]] again."
        worksheet: true
"""})
    guide = load_guide(outline, edition="worksheet").guide
    (bank,) = [b for s in walk_sections(guide.sections) for b in s.blocks
               if isinstance(b, WordBank)]
    assert len(bank.words) == 1
