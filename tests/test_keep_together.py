"""Nothing a reader would stumble on at a page break: a question's choices stay
with it, and a list item that leads into a nested list stays with that list."""

from __future__ import annotations

from pathlib import Path

import pdfutil
import pytest

from studyguide.api import build_pdf

FILLER = "      - paragraph: Filler line {n}.\n"

QUESTION = """\
      - questions:
          - multiple-choice: Quokka question?
            choices: [Alpha choice, Bravo choice, Charlie choice, Delta choice]
            answer: Alpha choice
"""

NESTED_LIST = """\
      - bullets:
          - text: Walrus lead item
            bullets: [First nested point, Second nested point]
"""


def outline(tmp_path: Path, fillers: int, block: str) -> Path:
    path = tmp_path / f"guide-{fillers}.yaml"
    body = "".join(FILLER.format(n=n) for n in range(fillers))
    path.write_text("title: T\ntoc: false\nsections:\n  - id: s\n    title: S\n    blocks:\n"
                    + body + block, encoding="utf-8")
    return path


def page_of(pages: list[str], text: str) -> int:
    return next(i for i, page in enumerate(pages) if text in " ".join(page.split()))


@pytest.mark.parametrize(("block", "first", "last"), [
    (QUESTION, "Quokka question?", "Delta choice"),
    (NESTED_LIST, "Walrus lead item", "First nested point"),
], ids=["question", "nested-list"])
def test_the_parts_share_a_page_wherever_the_page_breaks(tmp_path: Path, block: str,
                                                         first: str, last: str) -> None:
    # A filler paragraph is one line; stepping through the fillers moves the
    # block across the foot of the first body page, so some step splits it
    # unless it is kept together.
    crossed = False
    for fillers in range(30, 52):
        pages = pdfutil.page_texts(build_pdf(outline(tmp_path, fillers, block)).pdf)
        assert page_of(pages, first) == page_of(pages, last), fillers
        crossed = crossed or page_of(pages, first) > 1
    assert crossed  # the block did reach the second body page


LONG = ": " + " ".join(["a long subtitle that takes the entry onto a second line"] * 2)
REFERENCES = """\
references:
  - {id: a, type: book, title: 'Aardvark Handbook{long}', issued: {literal: n.d.}}
  - {id: b, type: book, title: 'Badger Handbook{long}', issued: {literal: n.d.}}
  - {id: c, type: book, title: 'Capybara Handbook{long}', issued: {literal: n.d.}}
"""


def test_a_short_reference_list_moves_whole_with_its_heading(tmp_path: Path) -> None:
    crossed = False
    for fillers in range(14, 32):
        path = outline(tmp_path, fillers, "      - paragraph: Cited [@a; @b; @c].\n")
        text = REFERENCES.replace("{long}", LONG) + path.read_text(encoding="utf-8")
        path.write_text(text, encoding="utf-8")
        pages = pdfutil.page_texts(build_pdf(path).pdf)
        heading = max(i for i, page in enumerate(pages) if "References" in page)
        assert page_of(pages, "Aardvark Handbook: a long subtitle") == heading, fillers
        assert page_of(pages, "Capybara Handbook: a long subtitle") == heading, fillers
        crossed = crossed or heading > 1
    assert crossed


TABLE = """\
      - table:
          caption: Tapir table
          header: [Name, Value]
          rows:
""" + "".join(f"            - [Row{n}, 'value {n}']\n" for n in range(1, 9))


def test_a_table_that_fits_a_page_does_not_leave_one_or_two_rows_behind(tmp_path: Path) -> None:
    split_seen = False
    for fillers in range(24, 50):
        pages = pdfutil.page_texts(build_pdf(outline(tmp_path, fillers, TABLE)).pdf)
        start = page_of(pages, "Tapir table")
        here = [n for n in range(1, 9) if f"Row{n} " in " ".join(pages[start].split()) + " "]
        assert here == [] or len(here) >= 3, (fillers, here)
        split_seen = split_seen or 3 <= len(here) < 8
    assert split_seen  # a table still splits when enough of it fits
