"""`steps:`: a numbered procedure, each step with an optional rationale under it."""

from __future__ import annotations

from pathlib import Path

import pdfutil
import pytest
from test_resolve import write  # files into a project folder, returning its outline

from studyguide.api import build_pdf, load_guide
from studyguide.model import document as m
from studyguide.model.diagnostics import GuideError
from studyguide.model.traverse import iter_blocks
from studyguide.validate.readability import guide_report

WORKS = """\
references:
  - id: potter2021
    type: book
    title: Fundamentals of nursing
    author: [{family: Potter, given: Patricia}]
    issued: 2021
"""
GLOSSARY = """\
terms:
  - term: identifier
    definition: A fact that tells one patient from another.
"""
STEPS = """\
      - steps:
          - Check the order against the medication record.
          - text: Confirm the patient's [[identifier|identity]] with two identifiers.
            rationale: Two identifiers keep a drug from the wrong person [@potter2021].
          - text: {default: Explain the procedure to the patient., patient: Say what you do.}
          - text: Give the medicine & record it at <once>.
            rationale: {default: A record shows the next nurse what was given.,
                        patient: So others know.}
"""


def outline(blocks: str, options: str = "") -> str:
    return (f"title: Procedures\nbibliography: ../sections/works.yaml\n"
            "glossary: ../sections/glossary.yaml\n"
            f"audiences:\n  - name: patient\n  - name: nursing\n{options}sections:\n"
            "  - id: meds\n    title: Giving medicines\n    blocks:\n" + blocks)


def project(tmp_path: Path, blocks: str = STEPS, options: str = "") -> Path:
    return write(tmp_path, {"outline/guide.yaml": outline(blocks, options),
                            "sections/works.yaml": WORKS, "sections/glossary.yaml": GLOSSARY})


def problems(path: Path) -> list[str]:
    with pytest.raises(GuideError) as exc:
        load_guide(path, check_only=True)
    return exc.value.format().splitlines()


def test_steps_are_numbered_with_each_rationale_under_its_step(tmp_path: Path) -> None:
    pdf = build_pdf(project(tmp_path)).pdf
    lines = [line for page in pdfutil.page_lines(pdf) for line in page]
    start = lines.index("1.")
    assert lines[start:start + 11] == [
        "1.", "Check the order against the medication record.",
        "2.", "Confirm the patient's identity with two identifiers.",
        "Rationale: Two identifiers keep a drug from the wrong person (Potter, 2021).",
        "3.", "Explain the procedure to the patient.",
        "4.", "Give the medicine & record it at <once>.",
        "Rationale: A record shows the next nurse what was given.",
        "Glossary",
    ]


def test_a_steps_citation_is_listed_and_its_glossary_mark_links(tmp_path: Path) -> None:
    pdf = build_pdf(project(tmp_path), strict=True).pdf  # no unused term or reference
    text = "\n".join(pdfutil.page_texts(pdf))
    assert "Potter, P. (2021). Fundamentals of nursing." in text
    assert "[@potter2021]" not in text and "[[" not in text
    pages = pdfutil.page_texts(pdf)
    entry = next(i for i, page in enumerate(pages) if "Potter, P. (2021)" in page)
    term = next(i for i, page in enumerate(pages) if "tells one patient from" in page)
    here = next(i for i, page in enumerate(pages) if "Two identifiers keep" in page)
    targets = {link.page for link in pdfutil.links(pdf)[here] if link.page is not None}
    assert {entry, term} <= targets


def test_an_audience_gets_its_own_step_and_rationale_texts(tmp_path: Path) -> None:
    path = project(tmp_path)
    patient = "\n".join(pdfutil.page_texts(build_pdf(path, audience="patient").pdf))
    assert "Say what you do." in patient and "Rationale: So others know." in patient
    assert "Explain the procedure" not in patient
    nursing = "\n".join(pdfutil.page_texts(build_pdf(path, audience="nursing").pdf))
    assert "Explain the procedure to the patient." in nursing


def test_a_worksheet_blanks_the_marked_terms_of_a_procedure(tmp_path: Path) -> None:
    blocks = STEPS.replace("      - steps:\n", "      - worksheet: true\n        steps:\n")
    pdf = build_pdf(project(tmp_path, blocks), edition="worksheet").pdf
    text = "\n".join(pdfutil.page_texts(pdf))
    assert "Confirm the patient's ____________ with two identifiers." in text
    assert "Word bank" in text and "identity" in text


def test_a_procedure_goes_in_a_callout_and_is_read_as_prose(tmp_path: Path) -> None:
    blocks = "      - callout:\n          kind: clinical-note\n          blocks:\n" + \
        STEPS.replace("      - steps:", "            - steps:").replace(
            "\n          ", "\n                ")
    path = project(tmp_path, blocks)
    guide = load_guide(path).guide
    [steps] = [b for b in iter_blocks(guide.sections) if isinstance(b, m.Steps)]
    assert len(steps.items) == 4 and steps.items[1].rationale is not None
    [report] = guide_report(guide)
    # Step texts and rationales are running text: 45 words, without the citation.
    assert report.counts.words == 45
    assert report.glossary_terms == 1
    assert "1." in "\n".join(pdfutil.page_texts(build_pdf(path).pdf))


def test_a_character_the_font_lacks_in_a_rationale_is_found_where_it_is(tmp_path: Path
                                                                         ) -> None:
    blocks = STEPS.replace("keep a drug from", "keep a drug \U0001F48A from")
    result = build_pdf(project(tmp_path, blocks))
    [warning] = [w.format() for w in result.warnings]
    assert warning.startswith(f"{tmp_path / 'outline' / 'guide.yaml'}:14:24: warning: the "
                              "font 'SourceSerifPro' has no glyph for '\U0001F48A'")


@pytest.mark.parametrize(("steps", "expected"), [
    ("      - steps: []\n",
     "section 'meds' > block 1 (steps): must not be empty"),
    ("      - steps:\n          - text: Wash hands.\n            reason: Germs.\n",
     "section 'meds' > block 1 (steps) > step 1: unknown key 'reason'"),
    ("      - steps:\n          - rationale: Why.\n",
     "section 'meds' > block 1 (steps) > step 1: missing required key 'text'"),
    ("      - steps: Wash hands.\n",
     "section 'meds' > block 1 (steps): must be a list, not the text 'Wash hands.'"),
    ("      - steps:\n          - [Wash, hands]\n",
     "section 'meds' > block 1 (steps) > step 1: must be text or a mapping, not a list"),
])
def test_a_bad_procedure_is_reported_where_it_is(tmp_path: Path, steps: str,
                                                 expected: str) -> None:
    found = problems(project(tmp_path, steps))
    assert expected in found[0], found
