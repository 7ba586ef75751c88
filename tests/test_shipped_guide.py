"""The shipped norepinephrine guide as each audience reads it: what each variant
holds and leaves out, its length, its study aids and its reading level."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pdfutil
import pytest

from studyguide.api import build_pdf, load_guide
from studyguide.model.document import Cite, Questions, walk_spans
from studyguide.model.traverse import walk_blocks, walk_sections
from studyguide.validate.readability import grade_diagnostics, guide_report

OUTLINE = Path(__file__).resolve().parent.parent / "outline" / "norepinephrine.yaml"
VARIANTS = [("patient", "student"), ("nursing", "student"), ("nursing", "instructor"),
            ("pharmacology", "student"), ("pharmacology", "instructor")]


@pytest.fixture(scope="module")
def texts() -> dict[tuple[str, str], list[str]]:
    """Each variant built with --strict (a warning fails it), as the text of its pages."""
    built = {}
    for audience, edition in VARIANTS:
        result = build_pdf(OUTLINE, audience=audience, edition=edition, strict=True)
        assert not result.warnings
        built[audience, edition] = pdfutil.page_texts(result.pdf)
    return built


def joined(pages: list[str]) -> str:
    return " ".join(" ".join(page.split()) for page in pages)


def test_the_patient_handout_is_short_plain_and_without_drug_detail(texts) -> None:
    pages = texts["patient", "student"]
    assert len(pages) <= 4
    text = joined(pages)
    first = " ".join(pages[0].split())
    assert first.startswith("Norepinephrine")  # no title page: the title heads page 1
    assert "Not medical advice. Ask your doctor, nurse or pharmacist" in first
    for absent in ("Contents", "SNRI", "Strattera", "Wellbutrin", "Table 1", "Answer key",
                   "Learning objectives", "Glossary", "Student edition", "reuptake"):
        assert absent not in text, absent
    for present in ("How your body reacts to danger", "Everyday habits the sources suggest",
                    "Levophed", "References", "(1)"):
        assert present in text, present


def test_nursing_gets_the_full_guide_without_the_drug_classes(texts) -> None:
    nursing, pharmacology = (joined(texts[a, "student"]) for a in ("nursing", "pharmacology"))
    for text in (nursing, pharmacology):
        for present in ("Epinephrine and norepinephrine compared", "Supporting healthy levels",
                        "Norepinephrine and depression, a hypothesis", "Serotonin syndrome",
                        "About the sources", "Answer key", "Glossary", "References",
                        "For study only: not medical advice."):
            assert present in text, present
    assert "Drug classes that act on norepinephrine" not in nursing
    assert "Drug classes that act on norepinephrine" in pharmacology
    assert "Nortriptyline" in pharmacology and "Nortriptyline" not in nursing


def test_the_nursing_worksheet_blanks_terms_and_lists_them(tmp_path: Path) -> None:
    pages = pdfutil.page_texts(build_pdf(OUTLINE, audience="nursing", edition="worksheet",
                                         strict=True).pdf)
    text = joined(pages)
    assert "Word bank" in text and "Worksheet" in " ".join(pages[0].split())
    assert "Answer key" not in text
    assert "released by the __________________, the hat-shaped glands" in text  # 14 + 4


def test_the_instructor_editions_answer_each_question(texts) -> None:
    for audience in ("nursing", "pharmacology"):
        student = joined(texts[audience, "student"])
        instructor = joined(texts[audience, "instructor"])
        assert "Student edition" in student and "Instructor edition" in instructor
        assert "Answer:" not in student and "Answer key" in student
        assert instructor.count("Answer:") >= 20
        assert "Objectives and questions" in instructor


def test_study_aids_meet_the_issue(tmp_path: Path) -> None:
    guide = load_guide(OUTLINE).guide
    questions = [q for s in walk_sections(guide.sections) for b in walk_blocks(s.blocks)
                 if isinstance(b, Questions) for q in b.items]
    assert len(questions) >= 20
    kinds = Counter(q.kind for q in questions)
    assert set(kinds) == {"multiple-choice", "true-false", "short-answer", "fill-in",
                          "matching"}, kinds
    # every answer is explained, and the explanation cites its source
    assert all(q.explanation is not None and any(isinstance(span, Cite) for span in
                                                 walk_spans(q.explanation.spans))
               for q in questions)
    assert len(guide.glossary.entries) >= 30  # the nursing guide's, each used in its text
    # every top-level section of the full guide opens with learning objectives
    for section in guide.sections:
        if not section.unnumbered:
            assert type(section.blocks[0]).__name__ == "Objectives", section.id


@pytest.mark.parametrize("audience", ["patient", "nursing", "pharmacology"])
def test_every_paragraph_is_cited_and_the_reading_grade_is_met(audience: str) -> None:
    guide = load_guide(OUTLINE, audience=audience).guide
    reports = guide_report(guide)
    assert all(not r.uncited for r in reports), [(r.section.id, r.uncited) for r in reports]
    assert grade_diagnostics(guide, reports, strict=True) == []
