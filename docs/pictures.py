"""Render the README's pictures: a few pages of the shipped guide's variants as small PNGs.

    python3 -m pip install -e '.[docs]'
    python3 docs/pictures.py            # writes docs/images/*.png

Each picture names a variant and a phrase on the page to show, so the pictures
follow the text when pages move. The guide is built in memory; nothing is
written to build/.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pypdfium2 as pdfium
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from studyguide.api import build_pdf  # noqa: E402 (after the path is set)

OUTLINE = ROOT / "outline" / "norepinephrine.yaml"
IMAGES = ROOT / "docs" / "images"
WIDTH = 420  # pixels: small enough for the repository, sharp enough to read headings

# file name, audience, edition, a phrase on the page to show
PICTURES = [
    ("patient-handout.png", "patient", "student", "What is norepinephrine?"),
    ("nursing-comparison-table.png", "nursing", "student", "Similarities and differences"),
    ("pharmacology-instructor-answers.png", "pharmacology", "instructor",
     "How do SNRIs act, according to Optum Perks?"),
]


def page_with(pdf: bytes, phrase: str) -> int:
    """The index of the first page whose text holds `phrase` (spacing ignored)."""
    wanted = " ".join(phrase.split())
    for index, page in enumerate(PdfReader(io.BytesIO(pdf)).pages):
        if wanted in " ".join(page.extract_text().split()):
            return index
    raise SystemExit(f"pictures: no page shows {phrase!r}")


def render(pdf: bytes, index: int, target: Path) -> None:
    document = pdfium.PdfDocument(pdf)
    page = document[index]
    scale = WIDTH / page.get_width()
    image = page.render(scale=scale).to_pil().convert("RGB")
    # A page is mostly white with a few inks: 64 colours keep it crisp and small.
    image.quantize(colors=64).save(target, optimize=True)
    document.close()


def main() -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    for name, audience, edition, phrase in PICTURES:
        pdf = build_pdf(OUTLINE, audience=audience, edition=edition).pdf
        index = page_with(pdf, phrase)
        render(pdf, index, IMAGES / name)
        print(f"wrote docs/images/{name} ({audience}, {edition}, page {index + 1})")


if __name__ == "__main__":
    main()
