"""The benchmark's inputs still work, so that benchmarks/bench.py does not rot unnoticed.

No timings here; this only builds the smallest synthetic guide and checks what
the watch measurement edits is still there.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pdfutil

from studyguide.api import build_pdf, load_guide

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench  # noqa: E402


def test_the_synthetic_guide_builds_cleanly_in_one_layout_pass(tmp_path: Path) -> None:
    outline = bench.generate(tmp_path, 10)
    loaded = load_guide(outline, audience=bench.AUDIENCE)
    assert loaded.warnings == ()
    result = build_pdf(loaded)
    assert result.warnings == () and result.layout_passes == 1
    text = " ".join(pdfutil.page_texts(result.pdf))
    assert "Section 10" in text and "References" in text and "Glossary" in text
    assert result.pages > 10


def test_the_word_the_watch_measurement_edits_is_in_the_shipped_guide() -> None:
    assert "ordinary" in (ROOT / "sections" / "what-it-does.yaml").read_text(encoding="utf-8")
