"""The Python API: load an outline, list its audiences, build a PDF to bytes or to a file.

A thin surface over the pipeline, for a course platform that builds guides
without the command line. Errors come as GuideError, whose `diagnostics` hold
each problem with its file, line and column.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from .load.project import find_outline
from .model.diagnostics import GuideError
from .model.document import Audience
from .pipeline import (
    DEFAULT_OPTIONS,
    BuildOptions,
    Built,
    Loaded,
    check_output,
    default_output,
    load,
    load_sheet,
    run_build,
    strict_error,
)

BuildResult = Built  # the name this API has always given a build's result

__all__ = [
    "BuildOptions", "BuildResult", "Built", "GuideError", "Loaded", "audiences", "build",
    "build_pdf", "check_output", "default_output", "find_outline", "load_guide", "load_sheet",
    "strict_error",
]


def load_guide(outline: Path | str, *, citation_style: str | None = None,
               edition: str | None = None, answer_key: bool | None = None,
               audience: str | None = None, cornell: bool | None = None,
               check_only: bool = False, options: BuildOptions = DEFAULT_OPTIONS) -> Loaded:
    """Load, validate and resolve an outline; raise GuideError with every problem.

    `citation_style` (a CSL short name or .csl path) overrides the outline's;
    `edition` ("student", "instructor" or "worksheet") too; `answer_key=False` leaves
    the student edition's answer key out; `audience` builds for one of the outline's
    audiences; `cornell=True` adds a Cornell review page after each top-level
    section. Keywords given here win over the same fields of `options`.
    `check_only` runs every check but formats no citations (no reference list).
    """
    chosen = _options(options, citation_style=citation_style, edition=edition,
                      answer_key=answer_key, audience=audience, cornell=cornell)
    return load(outline, chosen, check_only=check_only)


def audiences(outline: Path | str) -> tuple[Audience, ...]:
    """The audiences the outline defines, in its order (empty if it defines none)."""
    return load(outline, check_only=True).guide.audiences


def build_pdf(outline: Path | str | Loaded, *, style: str | None = None,
              paper: str | None = None, strict: bool = False, edition: str | None = None,
              answer_key: bool | None = None, audience: str | None = None,
              options: BuildOptions = DEFAULT_OPTIONS) -> Built:
    """Build the guide into PDF bytes in memory; nothing is written.

    `style` overrides the outline's style sheet, `paper` ("letter" or "a4") the
    sheet's page size. With `strict`, any warning fails the build. `edition`,
    `answer_key` and `audience` are as for load_guide; a Loaded guide has them
    already, so they apply only to an outline path.
    """
    chosen = _options(options, style=style, paper=paper, edition=edition,
                      answer_key=answer_key, audience=audience)
    if strict:
        chosen = replace(chosen, strict=True)
    return run_build(outline, chosen, write=False)


def build(outline: Path | str, output: Path | str, *, style: str | None = None,
          paper: str | None = None, strict: bool = False, citation_style: str | None = None,
          edition: str | None = None, answer_key: bool | None = None,
          audience: str | None = None, options: BuildOptions = DEFAULT_OPTIONS) -> Built:
    """Build the guide and write it atomically to `output`."""
    chosen = _options(options, style=style, paper=paper, citation_style=citation_style,
                      edition=edition, answer_key=answer_key, audience=audience)
    chosen = replace(chosen, output=Path(output), strict=strict or chosen.strict)
    return run_build(outline, chosen)


def _options(options: BuildOptions, **given: Any) -> BuildOptions:
    """`options` with every keyword that was given (not None) in its place."""
    return replace(options, **{k: v for k, v in given.items() if v is not None})
