"""Audiences: one outline, a build for each readership, checked in the PDF's text."""

from __future__ import annotations

from pathlib import Path

import pdfutil
import pytest
from click.testing import CliRunner, Result

from studyguide.api import build_pdf, load_guide
from studyguide.commands.cli import main
from studyguide.model.diagnostics import GuideError

OUTLINE = """\
title: Heart Failure
subtitle: A study guide
audiences:
  - name: patient
    title: Living with Heart Failure
    style: large-print
    reading-grade: 6
    disclaimer: Not medical advice; ask your care team.
  - name: nursing
    tags: [core, care]
  - name: pharmacology
    subtitle: Drugs and doses
sections:
  - id: basics
    title: Basics
    tags: [core]
    blocks:
      - paragraph: {default: "Cardiac output falls.", patient: "Your heart pumps less well."}
      - paragraph: Loop diuretics act on the loop of Henle.
        exclude-audiences: [patient]
      - callout:
          kind: warning
          text: Daily weights catch fluid early.
        audiences: [patient, nursing]
  - id: doses
    title: Dosing
    audiences: [pharmacology]
    blocks:
      - paragraph: Furosemide 40 mg daily.
  - id: care
    title: Bedside care
    tags: [care]
    blocks:
      - paragraph: Check for oedema each shift.
        exclude-audiences: [patient, pharmacology]
  - id: extras
    title: Extras
    blocks:
      - paragraph: Further reading for everyone.
"""


PATIENT_AND_NURSING = "title: T\naudiences:\n  - name: patient\n  - name: nursing\n"


def write(tmp_path: Path, text: str = OUTLINE) -> Path:
    path = tmp_path / "hf.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def outline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(tmp_path_factory.mktemp("audiences"))


@pytest.fixture(scope="module")
def pdfs(outline: Path) -> dict[tuple[str | None, str], bytes]:
    return {(audience, edition): build_pdf(outline, audience=audience, edition=edition).pdf
            for audience in (None, "patient", "nursing", "pharmacology")
            for edition in ("student", "instructor")}


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(page.split()) for page in pdfutil.page_texts(pdf))


@pytest.mark.parametrize("edition", ["student", "instructor"])
def test_each_audience_gets_its_sections_blocks_and_variants(pdfs, edition) -> None:
    expected = {
        None: (["Heart Failure", "Cardiac output falls.", "Loop diuretics", "Daily weights",
                "Furosemide", "Check for oedema", "Further reading"],
               ["Your heart pumps"]),
        "patient": (["Living with Heart Failure", "Your heart pumps less well.",
                     "Daily weights", "Further reading"],
                    ["Cardiac output", "Loop diuretics", "Furosemide", "Bedside care"]),
        # nursing selects the tags core and care: Extras (untagged) is left out
        "nursing": (["Cardiac output falls.", "Loop diuretics", "Daily weights",
                     "Check for oedema"],
                    ["Your heart pumps", "Furosemide", "Further reading", "Extras"]),
        # pharmacology loses every block of Bedside care, so the section goes too
        "pharmacology": (["Drugs and doses", "Cardiac output falls.", "Loop diuretics",
                          "Furosemide", "Further reading"],
                         ["Daily weights", "Bedside care", "Check for oedema"]),
    }
    for audience, (present, absent) in expected.items():
        text = text_of(pdfs[(audience, edition)])
        for phrase in present:
            assert phrase in text, (audience, phrase)
        for phrase in absent:
            assert phrase not in text, (audience, phrase)


def test_the_disclaimer_prints_on_the_title_page_and_in_the_footer_of_its_audience(pdfs) -> None:
    pages = pdfutil.page_texts(pdfs[("patient", "student")])
    disclaimer = "Not medical advice; ask your care team."
    assert disclaimer in " ".join(pages[0].split())
    # the contents page is front matter, without the running footer
    assert disclaimer in " ".join(pages[-1].split()).rsplit("Basics", 1)[1]
    for key, pdf in pdfs.items():
        if key[0] != "patient":
            assert "Not medical advice" not in text_of(pdf)


def test_the_outlines_disclaimer_prints_unless_the_audience_has_its_own(tmp_path: Path) -> None:
    with_disclaimer = "subtitle: A study guide\ndisclaimer: For study only.\n"
    outline = write(tmp_path, OUTLINE.replace("subtitle: A study guide\n", with_disclaimer))
    for audience in (None, "nursing", "pharmacology"):
        pages = pdfutil.page_texts(build_pdf(outline, audience=audience).pdf)
        assert "For study only." in pages[0] and "For study only." in pages[-1], audience
    patient = text_of(build_pdf(outline, audience="patient").pdf)
    assert "For study only." not in patient and "Not medical advice" in patient


def test_the_patient_build_uses_its_large_print_style(pdfs) -> None:
    # large print sets the body in SourceSansPro; the default sheet in SourceSerifPro
    def serif(audience: str) -> bool:
        return any("SourceSerifPro" in name for name in pdfutil.fonts(pdfs[(audience, "student")]))

    assert (serif("patient"), serif("nursing")) == (False, True)


def test_an_audience_build_keeps_its_settings_on_the_guide(outline: Path) -> None:
    guide = load_guide(outline, audience="patient").guide
    assert (guide.audience, guide.style, guide.glossary.only_used) == ("patient", "large-print",
                                                                       True)
    assert guide.audiences[0].reading_grade == 6
    assert load_guide(outline).guide.audience is None


def test_an_unknown_audience_is_an_error_with_did_you_mean(outline: Path) -> None:
    result = run("build", str(outline), "--audience", "nursng")
    assert result.exit_code == 1
    assert result.stderr == ("error: unknown audience 'nursng'\n"
                             "  hint: did you mean 'nursing'?\n"
                             "  hint: audiences: patient, nursing, pharmacology\n")
    result = run("build", str(outline), "--audience", "xyz")
    assert result.stderr == ("error: unknown audience 'xyz'\n"
                             "  hint: audiences: patient, nursing, pharmacology\n")


def test_an_audience_build_is_named_after_the_audience_and_edition(outline: Path) -> None:
    result = run("build", str(outline), "--audience", "nursing", "--edition", "instructor")
    assert result.exit_code == 0, result.stderr
    target = outline.parent / "build" / "hf-nursing-instructor.pdf"
    assert target.is_file()


def test_the_audiences_command_lists_each_audience_and_its_sections(outline: Path) -> None:
    result = run("audiences", str(outline))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "patient: Living with Heart Failure (style large-print, reading grade 6)\n"
        "  sections: basics, extras\n"
        "  editions: student, instructor\n"
        "nursing: Heart Failure (style default, reading grade -)\n"
        "  sections: basics, care\n"
        "  editions: student, instructor\n"
        "pharmacology: Heart Failure (style default, reading grade -)\n"
        "  sections: basics, doses, extras\n"
        "  editions: student, instructor\n"
    )


ONE_EDITION = """\
title: Heart Failure
audiences:
  - name: patient
    editions: [student]
    toc: false
  - name: nursing
sections:
  - id: basics
    title: Basics
    blocks:
      - paragraph: Your heart pumps less well.
  - id: more
    title: More
    blocks:
      - paragraph: Cardiac output falls.
"""


def test_an_audience_built_in_one_edition_is_named_without_it(tmp_path: Path) -> None:
    outline = write(tmp_path, ONE_EDITION)
    result = run("build", str(outline), "--audience", "patient")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "build" / "hf-patient.pdf").is_file()
    result = run("build", str(outline), "--audience", "nursing")
    assert (tmp_path / "build" / "hf-nursing-student.pdf").is_file()
    result = run("build", str(outline), "--audience", "patient", "--edition", "instructor")
    assert result.exit_code == 1
    assert result.stderr == ("error: audience 'patient' has no instructor edition\n"
                             "  hint: its editions: student\n")
    listing = run("audiences", str(outline)).stdout
    assert "patient: Heart Failure (style default, reading grade -)\n"\
           "  sections: basics, more\n  editions: student\n" in listing


def test_an_audience_can_leave_the_table_of_contents_out(tmp_path: Path) -> None:
    outline = write(tmp_path, ONE_EDITION)
    assert load_guide(outline).guide.toc is True
    assert load_guide(outline, audience="nursing").guide.toc is True
    assert load_guide(outline, audience="patient").guide.toc is False
    patient = text_of(build_pdf(outline, audience="patient").pdf)
    assert "Contents" not in patient and "Your heart pumps less well." in patient


HANDOUT = """\
title: Heart Failure
references:
  - {id: hf, type: book, title: Heart Failure Basics, author: [{literal: Heart Society}],
     issued: {date-parts: [[2020]]}}
audiences:
  - name: patient
    toc: false
    title-page: false
    csl: vancouver
  - name: nursing
sections:
  - id: basics
    title: Basics
    blocks:
      - paragraph: Your heart pumps less well [@hf].
"""


def test_a_handout_audience_starts_on_one_page_with_numbered_citations(tmp_path: Path) -> None:
    outline = write(tmp_path, HANDOUT)
    pages = pdfutil.page_texts(build_pdf(outline, audience="patient").pdf)
    assert len(pages) == 1
    text = " ".join(pages[0].split())
    assert text.index("Heart Failure") < text.index("1 Basics") < text.index("less well (1).")
    assert "Page 1 of 1" in text
    nursing = pdfutil.page_texts(build_pdf(outline, audience="nursing").pdf)
    assert len(nursing) == 3  # title page, contents, body
    assert "less well (Heart Society, 2020)." in " ".join(nursing[2].split())
    # the command line's citation style wins over the audience's
    loaded = load_guide(outline, audience="patient", citation_style="apa")
    assert loaded.guide.bibliography.style == "apa"


def test_the_outline_can_name_the_audience_of_a_plain_build(tmp_path: Path) -> None:
    outline = write(tmp_path, ONE_EDITION + "audience: patient\n")
    assert load_guide(outline).guide.audience == "patient"
    assert load_guide(outline, audience="nursing").guide.audience == "nursing"
    result = run("build", str(outline))
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "build" / "hf-patient.pdf").is_file()
    found = errors(tmp_path, ONE_EDITION + "audience: patinet\n")
    assert found == ["hf.yaml:16:11: error: unknown audience 'patinet'",
                     "  hint: did you mean 'patient'?"]


def test_an_unknown_audience_edition_is_a_schema_error(tmp_path: Path) -> None:
    found = errors(tmp_path, ONE_EDITION.replace("[student]", "[student, teacher]"))
    assert found == ["hf.yaml:4:25: error: audiences > item 1 > editions > item 2: "
                     "unknown value 'teacher'",
                     "  hint: use one of: student, instructor, worksheet"]


def errors(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(GuideError) as caught:
        load_guide(write(tmp_path, text))
    return caught.value.format().replace(str(tmp_path) + "/", "").splitlines()


def test_unknown_audience_names_and_variants_point_at_the_name(tmp_path: Path) -> None:
    found = errors(tmp_path, PATIENT_AND_NURSING + """\
  - name: patient
sections:
  - id: a
    title: {default: A, pateint: Plain A}
    exclude-audiences: [nurse]
    blocks:
      - paragraph: p
        audiences: [pharmacology]
""")
    assert found == [
        "hf.yaml:5:11: error: duplicate audience 'patient' (first defined at hf.yaml:3:11)",
        "  hint: audience names must be unique",
        "hf.yaml:8:25: error: unknown audience 'pateint'",
        "  hint: did you mean 'patient'?",
        "hf.yaml:9:25: error: unknown audience 'nurse'",
        "  hint: did you mean 'nursing'?",
        "hf.yaml:12:21: error: unknown audience 'pharmacology'",
        "  hint: audiences: patient, nursing",
    ]


@pytest.mark.parametrize(("outline", "expected"), [
    ("audiences:\n  - name: patient\n  - name: nursing\nsections:\n  - id: a\n"
     "    title: {patient: A, nursing: B}\n",
     ["hf.yaml:7:12: error: section 'a' > title: text variants need a 'default'",
      "  hint: add the text for every other audience: default: ..."]),
    ("sections:\n  - id: a\n    title: A\n    audiences: [patient]\n",
     ["hf.yaml:5:17: error: unknown audience 'patient'",
      "  hint: the outline defines no audiences; add them under 'audiences:'"]),
    ("audiences:\n  - name: patient\nsections:\n  - id: a\n    title: {patient: A}\n",
     ["hf.yaml:6:12: error: section 'a' > title: is read as a mapping, because of the "
      "': ' in it",
      '  hint: put the whole text in quotes: "patient: A"',
      "  hint: or, for per-audience text, add the default: {default: ..., patient: ...}"]),
])
def test_variant_and_audience_mistakes(tmp_path: Path, outline: str,
                                       expected: list[str]) -> None:
    assert errors(tmp_path, "title: T\n" + outline) == expected


def test_a_section_file_names_audiences_at_its_top_level(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text("id: s\ntitle: S\naudiences: [nursng]\n", encoding="utf-8")
    found = errors(tmp_path, "title: T\naudiences:\n  - name: nursing\n"
                             "sections:\n  - include: s.yaml\n")
    assert found == [
        "s.yaml:3:13: error: unknown audience 'nursng'",
        "  hint: did you mean 'nursing'?",
    ]


def test_an_audience_glossary_holds_only_the_terms_its_text_uses(tmp_path: Path) -> None:
    outline = write(tmp_path, PATIENT_AND_NURSING + """\
glossary:
  - term: Oedema
    definition: Swelling from fluid.
  - term: Diuretic
    definition: A drug that makes you pass more urine.
sections:
  - id: a
    title: A
    blocks:
      - paragraph: Watch for [[oedema]].
      - paragraph: Give a [[diuretic]].
        audiences: [nursing]
""")
    def terms(audience: str | None) -> list[str]:
        return [e.term for e in load_guide(outline, audience=audience).guide.glossary.entries]

    assert (terms(None), terms("patient"), terms("nursing")) == (
        ["Diuretic", "Oedema"], ["Oedema"], ["Diuretic", "Oedema"])


def test_a_list_item_has_a_variant_for_an_audience(tmp_path: Path) -> None:
    path = write(tmp_path, PATIENT_AND_NURSING + """\
sections:
  - id: a
    title: A
    blocks:
      - bullets:
          - {default: Titrate to the target pressure., patient: Your dose is adjusted.}
          - Shared item.
""")
    patient = text_of(build_pdf(path, audience="patient").pdf)
    nursing = text_of(build_pdf(path, audience="nursing").pdf)
    assert "Your dose is adjusted." in patient and "Titrate" not in patient
    assert "Titrate to the target pressure." in nursing and "Your dose" not in nursing
    assert "Shared item." in patient and "Shared item." in nursing
