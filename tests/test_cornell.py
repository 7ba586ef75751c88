"""Cornell review pages: one after each top-level section, cues from its terms and questions."""

from __future__ import annotations

from pathlib import Path

import pdfutil
from test_resolve import write  # files into a project folder, returning its outline

from studyguide.api import build_pdf, load_guide
from studyguide.model.document import CornellPage
from studyguide.model.traverse import iter_blocks

OUTLINE = """\
title: Cornell
toc: false
glossary:
  - {term: dopamine, definition: A chemical messenger.}
  - {term: norepinephrine, definition: A neurotransmitter.}
sections:
  - id: one
    title: One
    blocks:
      - paragraph: "[[norepinephrine|Norepinephrine]] is made from [[dopamine]]; [[dopamine]]."
    sections:
      - id: one-sub
        title: Deeper
        blocks:
          - questions:
              - true-false: "Quokka <&> question?"
                answer: true
  - id: two
    title: Two
    blocks:
      - paragraph: Nothing to cue.
"""


def pages_of(outline: Path, **kwargs: object) -> list[str]:
    loaded = load_guide(outline, **kwargs)  # type: ignore[arg-type]
    return [" ".join(p.split()) for p in pdfutil.page_texts(build_pdf(loaded).pdf)]


def test_a_review_page_follows_each_top_level_section(tmp_path: Path) -> None:
    outline = write(tmp_path, {"outline/guide.yaml": OUTLINE})
    guide = load_guide(outline, cornell=True).guide
    pages = [b for b in iter_blocks(guide.sections) if isinstance(b, CornellPage)]
    assert [(p.number, p.terms, [q.number for q in p.questions]) for p in pages] == [
        ("1", ("norepinephrine", "dopamine"), [1]), ("2", (), [])]
    text = pages_of(outline, cornell=True)
    one = next(i for i, t in enumerate(text) if t.startswith("Review: 1 One"))
    assert "Terms norepinephrine dopamine Questions 1. Quokka <&> question?" in text[one]
    assert "Notes" in text[one] and "Summary" in text[one]
    assert "1.1 Deeper" in text[one - 1]  # after the section's last subsection
    assert any(t.startswith("Review: 2 Two") for t in text[one + 1:])


def test_review_pages_are_asked_for(tmp_path: Path) -> None:
    outline = write(tmp_path, {"outline/guide.yaml": OUTLINE})
    assert not any("Review:" in t for t in pages_of(outline))
    outline.write_text(OUTLINE.replace("toc: false\n", "toc: false\ncornell-pages: true\n"),
                       encoding="utf-8")
    assert sum(t.startswith("Review:") for t in pages_of(outline)) == 2


def test_cues_are_not_glossary_mentions(tmp_path: Path) -> None:
    outline = write(tmp_path, {"outline/guide.yaml": OUTLINE})
    text = pages_of(outline, cornell=True)
    # the glossary lists the page of the paragraph, not the review page's
    assert "dopamine A chemical messenger. Page 1" in " ".join(text)
