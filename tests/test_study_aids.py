"""Study aids: objectives, takeaways, review questions, editions, answer key and objectives map."""

from __future__ import annotations

from pathlib import Path

import pdfutil
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_resolve import write  # files into a project folder, returning its outline

from studyguide.api import build_pdf, load_guide
from studyguide.model.diagnostics import GuideError
from studyguide.resolve.questions import shuffled

QUESTIONS = """\
      - objectives:
          - id: ne-what
            text: Describe what norepinephrine is.
          - id: ne-spare
            text: An objective no question tests.
      - takeaways: ["First point", "Second point"]
      - questions:
          - multiple-choice: Which gland releases it as a hormone?
            choices: [The thyroid, The adrenal glands, The pancreas]
            answer: The adrenal glands
            explanation: Quokka explains it.
            objectives: [ne-what]
          - true-false: It is made from tyrosine.
            answer: true
          - short-answer: Name two organs that react.
            answer: Zebra and walrus.
      - page-break: true
      - questions:
          - fill-in: It is made from ___.
            answer: dopamine
            objectives: [ne-what]
          - matching: Match each organ to its reaction.
            pairs:
              - [Eyes, Pupils widen]
              - [Heart, Beats harder]
              - [Liver, Releases glucose]
"""


def outline(blocks: str, options: str = "") -> str:
    return (f"title: Quiz\n{options}sections:\n"
            "  - id: ne\n    title: Norepinephrine\n    blocks:\n" + blocks)


@pytest.fixture
def quiz(tmp_path: Path) -> Path:
    return write(tmp_path, {"outline/guide.yaml": outline(QUESTIONS)})


def body_text(pdf: bytes) -> str:
    """The text of the pages before the back matter (answer key, objectives map)."""
    pages = pdfutil.page_texts(pdf)
    first_back = next(b.page for b in pdfutil.bookmarks(pdf)
                      if b.title in ("Answer key", "Objectives and questions"))
    return "\n".join(pages[:first_back])


ANSWERS = ("Quokka", "Zebra and walrus", "dopamine")


def test_student_edition_hides_answers_and_keys_them(quiz: Path) -> None:
    pdf = build_pdf(quiz).pdf
    body = body_text(pdf)
    assert not any(a in body for a in ANSWERS)
    assert "True / False" in body and "Student edition" in body
    assert "b. The adrenal glands" in body  # a choice, lettered
    lines = pdfutil.page_lines(pdf)
    key = next(b for b in pdfutil.bookmarks(pdf) if b.title == "Answer key")
    key_text = "\n".join(pdfutil.page_texts(pdf)[key.page:])
    assert all(a in key_text for a in ANSWERS)
    assert lines[key.page][0] == "Answer key"  # on a page of its own, away from the questions
    # question numbers and pages in the key match where the questions are
    body_first = next(b.page for b in pdfutil.bookmarks(pdf) if b.title.endswith("Norepinephrine"))
    assert key.page > body_first  # the page break puts questions 4 and 5 on the next page
    for number in range(1, 6):
        page = next(i for i, page in enumerate(lines) if any(
            line.startswith(f"{number}. ") and "(page" not in line for line in page))
        assert f"{number}. (page {page - body_first + 1})" in key_text


def test_no_answer_key(quiz: Path) -> None:
    pdf = build_pdf(quiz, answer_key=False).pdf
    text = "\n".join(pdfutil.page_texts(pdf))
    assert "Answer key" not in text and not any(a in text for a in ANSWERS)


def test_instructor_edition_answers_each_question_and_maps_objectives(quiz: Path) -> None:
    result = build_pdf(quiz, edition="instructor")
    body = "\n".join(pdfutil.page_texts(result.pdf))  # the map holds no answers
    assert all(a in body for a in ANSWERS) and "Instructor edition" in body
    assert "Answer: b. The adrenal glands" in " ".join(body.split())
    lines = [line for page in pdfutil.page_lines(result.pdf) for line in page]
    assert "ne-what Describe what norepinephrine is. — Questions 1, 4" in lines
    assert "ne-spare An objective no question tests. — Not tested by any question" in lines
    assert [b.title for b in pdfutil.bookmarks(result.pdf)][-1] == "Objectives and questions"
    [warning] = result.warnings
    assert (warning.severity, warning.message, warning.pos.line if warning.pos else 0) == (
        "warning", "objective 'ne-spare' is not tested by any question", 9)


def test_matching_is_shuffled_for_students_and_keyed_right(quiz: Path) -> None:
    pdf = build_pdf(quiz).pdf
    lines = [line for page in pdfutil.page_lines(pdf) for line in page]
    start = lines.index("5. Match each organ to its reaction.")
    shown = [line[3:] for line in lines[start + 1:start + 7] if line[:2] in ("a.", "b.", "c.")]
    assert sorted(shown) == sorted(["Pupils widen", "Beats harder", "Releases glucose"])
    assert shown != ["Pupils widen", "Beats harder", "Releases glucose"]
    letter = {text: "abc"[i] for i, text in enumerate(shown)}
    key = " ".join(" ".join(pdfutil.page_texts(pdf)).split())
    expected = "; ".join(f"{left} – {letter[right]}. {right}" for left, right in (
        ("Eyes", "Pupils widen"), ("Heart", "Beats harder"), ("Liver", "Releases glucose")))
    assert expected in key


@pytest.mark.parametrize("edition", ["student", "instructor"])
def test_every_font_of_a_quiz_is_embedded(quiz: Path, edition: str) -> None:
    fonts = pdfutil.fonts(build_pdf(quiz, edition=edition).pdf)
    assert fonts and all(fonts.values()), fonts  # no Helvetica from the matching table


def test_shuffle_is_deterministic_and_moves_something() -> None:
    assert shuffled(3, "x") == shuffled(3, "x")
    assert all(shuffled(n, str(n)) != tuple(range(n)) for n in range(2, 8))


BAD = """\
      - objectives:
          - id: ne-what
            text: One.
          - id: ne-what
            text: Two.
      - questions:
          - multiple-choice: Which?
            choices: [The thyroid, The adrenal glands]
            answer: The adrenal gland
            objectives: [ne-wat]
          - fill-in: No blank here.
            answer: x
          - matching: Match.
            pairs:
              - [Eyes, Widen]
              - [Heart, Widen]
              - [Liver]
"""


def test_validation_errors(tmp_path: Path) -> None:
    path = write(tmp_path, {"outline/guide.yaml": outline(BAD)})
    with pytest.raises(GuideError) as caught:
        load_guide(path)
    crumb = "section 'ne' > block 2 (questions) >"
    assert [(str(d.pos).split("guide.yaml:")[1], d.message, d.hints)
            for d in caught.value.diagnostics] == [
        ("9:17", "section 'ne' > block 1 (objectives) > objective 2 > id: duplicate objective "
         "id 'ne-what' (first defined at line 7)", ("objective ids must be unique in the guide",)),
        ("14:21", f"{crumb} question 1 > answer: 'The adrenal gland' is not one of the choices",
         ("did you mean 'The adrenal glands'?",)),
        ("15:26", f"{crumb} question 1 > objective 1: unknown objective 'ne-wat'",
         ("did you mean 'ne-what'?",)),
        ("16:22", f"{crumb} question 2 > fill-in: has no blank",
         ("mark the blank with three or more underscores: ___",)),
        ("21:25", f"{crumb} question 3 > pair 2 > item 2: 'Widen' is already the right side "
         "of pair 1", ("each right side matches one left side",)),
        ("22:17", f"{crumb} question 3 > pair 3: has 1 item, expected 2 (left, right)",
         ("write a pair as [left, right]",)),
    ]


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
# `@x` and `[[x]]` would be a citation and a glossary mark, and unknown ones are
# errors (tests/test_properties.py covers that): keep them out here.
@given(st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30)
       .filter(lambda s: "@" not in s and "[[" not in s))
def test_any_unicode_question_builds(tmp_path: Path, text: str) -> None:
    quoted = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    blocks = (f"      - questions:\n          - short-answer: {quoted}\n"
              f"            answer: {quoted}\n")
    path = write(tmp_path, {"outline/guide.yaml": outline(blocks)})
    result = build_pdf(path, edition="instructor")
    assert result.pages >= 3


def test_answer_key_can_be_turned_off_in_the_outline(tmp_path: Path) -> None:
    quiz = write(tmp_path, {"outline/guide.yaml": outline(QUESTIONS, "answer-key: false\n")})
    text = "\n".join(pdfutil.page_texts(build_pdf(quiz).pdf))
    assert "Answer key" not in text and not any(a in text for a in ANSWERS)
    assert "Answer key" in "\n".join(pdfutil.page_texts(build_pdf(quiz, answer_key=True).pdf))
