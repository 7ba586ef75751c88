"""The Python API: load an outline, build a PDF to bytes or to a file.

This is what the command line calls, and what a course platform can call
without it. Errors come as GuideError carrying positioned diagnostics.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .load.project import Project, collect_project
from .model.diagnostics import Diagnostic, GuideError, error, in_file_order, shown_path
from .model.document import EDITIONS, Figure, Guide
from .model.traverse import iter_blocks

if TYPE_CHECKING:
    from .style.types import Style
from .resolve.passes import CHECK_PASSES, PASSES, resolve
from .validate.schema import validate_project

PAPERS = ("letter", "a4")


@dataclass(frozen=True)
class Loaded:
    """An outline after load, validate and resolve: ready to lay out."""

    project: Project
    guide: Guide
    warnings: tuple[Diagnostic, ...]

    def input_files(self) -> set[Path]:
        """Every file the build reads, so that an output never overwrites one."""
        files = set(self.project.documents) | set(self.project.data_files.values())
        blocks = iter_blocks(self.guide.sections)
        files.update(b.image.resolve() for b in blocks if isinstance(b, Figure))
        return files


@dataclass(frozen=True)
class BuildResult:
    pdf: bytes
    pages: int
    warnings: tuple[Diagnostic, ...]
    layout_passes: int


def load_guide(outline: Path | str, *, citation_style: str | None = None,
               edition: str | None = None, answer_key: bool | None = None,
               audience: str | None = None, cornell: bool | None = None,
               check_only: bool = False) -> Loaded:
    """Load, validate and resolve an outline; raise GuideError with every problem.

    `citation_style` (a CSL short name or .csl path) overrides the outline's;
    `edition` ("student" or "instructor") too; `answer_key=False` leaves the
    student edition's answer key out; `audience` builds for one of the outline's
    audiences (GuideError if it defines no such audience); `cornell=True` adds a
    Cornell review page after each top-level section (the outline's `cornell-pages:`).
    `check_only` runs every check but formats no citations (no reference list):
    enough for validating, and quicker to start.
    """
    if edition is not None and edition not in EDITIONS:
        raise ValueError(f"unknown edition {edition!r}; use one of {EDITIONS}")
    project, problems = collect_project(Path(outline))
    problems = in_file_order([*problems, *validate_project(project)])
    if any(d.severity == "error" for d in problems):
        raise GuideError(problems)
    resolved = resolve(project, CHECK_PASSES if check_only else PASSES,
                       citation_style=citation_style, edition=edition,
                       answer_key=answer_key, audience=audience, cornell=cornell)
    return Loaded(project, resolved.guide, (*problems, *resolved.warnings))


def build_pdf(
    outline: Path | str | Loaded,
    *,
    style: str | None = None,
    paper: str | None = None,
    strict: bool = False,
    edition: str | None = None,
    answer_key: bool | None = None,
    audience: str | None = None,
) -> BuildResult:
    """Build the guide into PDF bytes in memory.

    `style` overrides the outline's style sheet, `paper` ("letter" or "a4")
    the sheet's page size. With `strict`, any warning fails the build.
    `edition`, `answer_key` and `audience` are as for load_guide; a Loaded guide
    has them already, so they apply only to an outline path.
    """
    from .render.guide import render_guide

    if isinstance(outline, Loaded):
        loaded = outline
    else:
        loaded = load_guide(outline, edition=edition, answer_key=answer_key,
                            audience=audience)
    guide = loaded.guide if style is None else replace(loaded.guide, style=style)
    sheet = load_sheet(loaded, style=style, paper=paper)
    rendered = render_guide(guide, sheet, strict_glyphs=strict)
    warnings = (*loaded.warnings, *rendered.warnings)
    if strict and warnings:
        raise GuideError([strict_error(w) for w in warnings])
    return BuildResult(rendered.pdf, rendered.pages, warnings, rendered.layout_passes)


def load_sheet(loaded: Loaded, *, style: str | None = None, paper: str | None = None) -> Style:
    """The style sheet the build uses (`style` if given, else the audience's or the outline's), with
    every table checked against its text width; GuideError lists all that cannot fit."""
    from .layout.fit import fit_problems
    from .style.load import load_style

    name = loaded.guide.style if style is None else style
    pos = None if style is not None else loaded.guide.style_pos
    sheet = load_style(name, loaded.guide.root, paper=paper, pos=pos)
    problems = fit_problems(loaded.guide, sheet)
    if problems:
        raise GuideError(problems)
    return sheet


def build(
    outline: Path | str,
    output: Path | str,
    *,
    style: str | None = None,
    paper: str | None = None,
    strict: bool = False,
    citation_style: str | None = None,
    edition: str | None = None,
    answer_key: bool | None = None,
    audience: str | None = None,
) -> BuildResult:
    """Build the guide and write it atomically to `output`."""
    from .output.write import write_atomic

    loaded = load_guide(outline, citation_style=citation_style, edition=edition,
                        answer_key=answer_key, audience=audience)
    target = Path(output)
    check_output(target, loaded)
    result = build_pdf(loaded, style=style, paper=paper, strict=strict)
    write_atomic(target, result.pdf)
    return result


def check_output(target: Path, loaded: Loaded) -> None:
    """Refuse an output path that is a folder or one of the build's own inputs."""
    if target.is_dir():
        raise GuideError([error(f"cannot write {target}: it is a folder",
                                None, f"give a file name, e.g. {target / 'guide.pdf'}")])
    real = target.resolve()
    if real in loaded.input_files():
        why = "an input of this build"
    elif real.is_file() and not _is_pdf(real):
        # Style sheets, fonts and .csl files are read too; any file that is
        # not a PDF is too precious to replace by mistake.
        why = "which is not a PDF"
    else:
        return
    raise GuideError([error(f"refusing to write the PDF over {shown_path(target)}, {why}",
                            None, "choose another output path with -o")])


def _is_pdf(path: Path) -> bool:
    """Whether the file starts like a PDF: only a PDF may be replaced by a build."""
    try:
        with path.open("rb") as handle:
            return handle.read(5) == b"%PDF-"
    except OSError:
        return False


def default_output(loaded: Loaded) -> Path:
    """build/<outline name>.pdf in the project folder; for an audience's build,
    build/<outline name>-<audience>-<edition>.pdf (no edition for an audience built in one)."""
    guide = loaded.guide
    name = guide.outline.stem
    chosen = next((a for a in guide.audiences if a.name == guide.audience), None)
    if chosen is not None:
        name = chosen.file_stem(name, guide.edition)
    return guide.root / "build" / (name + ".pdf")


def find_outline(folder: Path | None = None) -> Path:
    """The outline to build when none is named: the one file in outline/."""
    folder = Path.cwd() if folder is None else folder
    candidates = sorted((folder / "outline").glob("*.yaml")) + sorted(
        (folder / "outline").glob("*.yml")
    )
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise GuideError([error(
            f"no outline given and none found in {shown_path(folder / 'outline')}",
            None,
            "name one: make_guide.py build path/to/outline.yaml",
            "or start a project: make_guide.py init DIR",
        )])
    names = ", ".join(shown_path(c) for c in candidates)
    raise GuideError([error(f"several outlines found ({names}); name the one to build")])


def strict_error(diagnostic: Diagnostic) -> Diagnostic:
    """A warning as the error it is under --strict."""
    hints = (*diagnostic.hints, "this is an error because of --strict")
    return Diagnostic("error", diagnostic.message, diagnostic.pos, hints)
