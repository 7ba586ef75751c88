"""Arbitrary Unicode in every text field of an outline, through the whole pipeline."""

from __future__ import annotations

import re
import string
from pathlib import Path
from typing import Any

import pdfutil
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from studyguide.api import build_pdf
from studyguide.model.diagnostics import GuideError

FIELDS = (
    "title", "subtitle", "author", "date", "version", "section", "subsection", "paragraph",
    "bullet", "nested", "numbered", "callout-title", "callout-text", "caption", "header",
    "cell", "label", "table-source", "figure-caption", "figure-source",
)


def outline(values: dict[str, str]) -> dict[str, Any]:
    v = values
    return {
        "title": v["title"], "subtitle": v["subtitle"], "author": [v["author"]],
        "date": v["date"], "version": v["version"], "keywords": [v["title"]],
        "sections": [{
            "id": "s", "title": v["section"],
            "blocks": [
                {"paragraph": v["paragraph"]},
                {"bullets": [v["bullet"], {"text": "x", "numbered": [v["nested"]]}]},
                {"numbered": [v["numbered"]]},
                {"callout": {"kind": "warning", "title": v["callout-title"],
                             "text": v["callout-text"]}},
                {"table": {"caption": v["caption"], "header": ["", v["header"]],
                           "rows": [[v["label"], v["cell"]]], "source": v["table-source"]}},
                {"figure": {"image": "../pic.png", "caption": v["figure-caption"],
                            "source": v["figure-source"]}},
            ],
            "sections": [{"id": "t", "title": v["subsection"]}],
        }],
    }


def write_project(root: Path, values: dict[str, str]) -> Path:
    (root / "outline").mkdir(parents=True, exist_ok=True)
    if not (root / "pic.png").exists():
        Image.new("RGB", (40, 20), "gray").save(root / "pic.png")
    path = root / "outline" / "g.yaml"
    path.write_text(yaml.safe_dump(outline(values), allow_unicode=True), encoding="utf-8")
    return path


def field_values(text: st.SearchStrategy[str]) -> st.SearchStrategy[dict[str, str]]:
    return st.fixed_dictionaries({name: text for name in FIELDS})


# Characters the guide's fonts cover, with the ones that matter for escaping;
# no markdown markup characters, so what goes in is exactly what prints.
PRINTABLE = string.ascii_letters + string.digits + "<>&\"'.,;:?()%#=+/" + "αβγδµ→≥≤éüñçÅØ°±×—–"


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(field_values(st.text(PRINTABLE, min_size=1, max_size=12).filter(
    lambda s: s.strip() == s and not s.startswith(("#", "&"))
)))
def test_text_in_every_field_comes_back_out_of_the_pdf(tmp_path: Path,
                                                        values: dict[str, str]) -> None:
    result = build_pdf(write_project(tmp_path, values))
    text = re.sub(r"\s+", "", " ".join(pdfutil.page_texts(result.pdf)))
    for name, value in values.items():
        assert re.sub(r"\s+", "", value) in text, name
    assert pdfutil.metadata(result.pdf)["/Title"] == values["title"]


_ANY = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(field_values(_ANY.filter(lambda s: s.strip() != "" and "@" not in s and "[[" not in s)))
def test_any_unicode_in_every_field_builds(tmp_path: Path, values: dict[str, str]) -> None:
    result = build_pdf(write_project(tmp_path, values))
    assert result.pages >= 3
    assert all(w.severity == "warning" for w in result.warnings)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(field_values(_ANY.filter(lambda s: s.strip() != "")))
def test_any_unicode_builds_or_says_what_is_wrong(tmp_path: Path, values: dict[str, str]) -> None:
    # `@x` and `[[x]]` are citations and glossary marks: unknown ones are errors
    # at their position, never a crash.
    try:
        build_pdf(write_project(tmp_path, values))
    except GuideError as exc:
        assert exc.diagnostics and all(d.pos is not None for d in exc.diagnostics)
