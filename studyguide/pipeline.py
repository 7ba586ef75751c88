"""The one build: BuildOptions, and run_build, which takes an outline through every stage.

    load -> validate -> resolve -> (style sheet) -> layout + render -> [handout] -> write

The command line's `build`, `build --all` (in each worker), `watch` and `cards`, and
the Python API all call run_build; `validate`, `check` and `audiences` call load,
which stops after resolving.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .layout.fit import fit_problems
from .load.project import Project, collect_project
from .model.diagnostics import Diagnostic, GuideError, error, in_file_order, shown_path
from .model.document import EDITIONS, Figure, Guide
from .model.traverse import iter_blocks
from .output.write import make_folder, write_atomic
from .resolve.overrides import Overrides, apply_overrides
from .resolve.passes import CHECK_PASSES, PASSES, resolve
from .style.load import load_style
from .validate.schema import validate_project

if TYPE_CHECKING:
    from .style.types import Style

PAPERS = ("letter", "a4")
# What a build makes: the guide; the guide imposed as a booklet; flashcards of its
# glossary and questions; the sheet that measures a printer's duplex shift.
PRODUCTS = ("guide", "booklet", "cards", "calibration")
CARD_SOURCES = ("glossary", "questions")


@dataclass(frozen=True)
class BuildOptions:
    """Everything a build can be asked for beyond its outline; None keeps the outline's
    (or the style sheet's) choice."""

    audience: str | None = None  # one of the outline's audiences
    edition: str | None = None  # student, instructor or worksheet
    answer_key: bool | None = None  # False: the student edition without its answer key
    cornell: bool | None = None  # True: a Cornell review page after each top-level section
    citation_style: str | None = None  # a CSL short name or a .csl path
    style: str | None = None  # a style sheet name or path
    paper: str | None = None  # letter or a4
    strict: bool = False  # every warning is an error
    product: str = "guide"  # one of PRODUCTS
    card_sources: tuple[str, ...] = CARD_SOURCES  # cards of what, in this order
    cards_per_sheet: int | None = None  # instead of the style's cards.per-sheet
    card_flip: str | None = None  # long or short, instead of the style's cards.flip
    output: Path | None = None  # None: build/NAME.pdf in the project (run_build names it)

    def __post_init__(self) -> None:
        # Mistakes of a program calling us, not of a user's file: the command line
        # offers only these values.
        for name, value, allowed in (("edition", self.edition, EDITIONS),
                                     ("paper", self.paper, PAPERS),
                                     ("product", self.product, PRODUCTS),
                                     ("card_flip", self.card_flip, ("long", "short"))):
            if value is not None and value not in allowed:
                raise ValueError(f"unknown {name} {value!r}; use one of {allowed}")
        unknown = [s for s in self.card_sources if s not in CARD_SOURCES]
        if unknown or not self.card_sources:
            raise ValueError(f"unknown card sources {unknown or self.card_sources!r}; "
                             f"use {CARD_SOURCES}")

    def overrides(self) -> Overrides:
        """The choices that the resolve stage applies to the outline's."""
        return Overrides(audience=self.audience, edition=self.edition,
                         answer_key=self.answer_key, cornell=self.cornell,
                         citation_style=self.citation_style, style=self.style,
                         paper=self.paper)


DEFAULT_OPTIONS = BuildOptions()


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
class Built:
    """What a build made: the PDF, and what to tell the person who asked for it."""

    pdf: bytes
    pages: int  # the guide's pages (for cards: the PDF's pages)
    warnings: tuple[Diagnostic, ...]
    path: Path | None = None  # where it was written; None if it was not
    layout_passes: int = 0  # how many times the body was laid out (always 1)
    sheet_sides: int = 0  # a booklet's printed sides
    cards: int = 0
    card_sheets: int = 0
    card_flip: str = "long"


def load(outline: Path | str, options: BuildOptions = DEFAULT_OPTIONS, *,
         check_only: bool = False, meanwhile: Callable[[], object] | None = None) -> Loaded:
    """Load, validate and resolve an outline with the build's choices; GuideError lists
    every problem. `check_only` runs every check but formats no citations (no
    reference list): enough for validating, and quicker to start. `meanwhile` is
    called once the outline is valid, before it is resolved."""
    project, problems = collect_project(Path(outline))
    problems = in_file_order([*problems, *validate_project(project)])
    if any(d.severity == "error" for d in problems):
        raise GuideError(problems)
    if meanwhile is not None:  # started now, it runs while pandoc formats the citations
        meanwhile()
    resolved = resolve(project, CHECK_PASSES if check_only else PASSES, options.overrides())
    return Loaded(project, resolved.guide, (*problems, *resolved.warnings))


def load_sheet(loaded: Loaded) -> Style:
    """The style sheet the guide asks for (after the build's choices), with every table
    checked against its text width; GuideError lists all that cannot fit."""
    guide = loaded.guide
    sheet = load_style(guide.style, guide.root, paper=guide.paper, pos=guide.style_pos)
    problems = fit_problems(guide, sheet)
    if problems:
        raise GuideError(problems)
    return sheet


def run_build(source: Path | str | Loaded, options: BuildOptions = DEFAULT_OPTIONS, *,
              write: bool = True) -> Built:
    """Build `source` as `options` say: to bytes, and (if `write`) atomically to
    `options.output` or the default path in the project's build/ folder.

    A Loaded source is already resolved: of the choices it takes only `style` and
    `paper`. Raises GuideError for every problem of the user's; nothing is written
    then, and an earlier file at the path is left as it was.
    """
    if isinstance(source, Loaded):
        guide = apply_overrides(source.guide, Overrides(style=options.style, paper=options.paper))
        loaded = replace(source, guide=guide)
    else:
        preparing: list[threading.Thread | None] = []
        loaded = load(source, options, meanwhile=lambda: preparing.append(_prepare_layout()))
        for thread in preparing:
            if thread is not None:
                thread.join()
    target = None
    if write:
        target = options.output or default_output(loaded, options)
        check_output(target, loaded)
    built = _MAKERS[options.product](loaded, load_sheet(loaded), options)
    if options.strict and built.warnings:
        raise GuideError([strict_error(w) for w in built.warnings])
    if target is not None:
        if options.output is None:
            make_folder(target.parent, target)
        write_atomic(target, built.pdf)
    return replace(built, path=target)


def _prepare_layout() -> threading.Thread | None:
    """Import ReportLab and the layout on a thread of their own while the outline loads:
    most of that time the build waits for pandoc to format the citations."""

    def prepare() -> None:
        # Imported here: what _guide imports, to have it ready when it does.
        import studyguide.render.guide  # noqa: F401

    if "studyguide.render.guide" in sys.modules:
        return None
    thread = threading.Thread(target=prepare, name="prepare-layout", daemon=True)
    thread.start()
    return thread


def _guide(loaded: Loaded, sheet: Style, options: BuildOptions) -> Built:
    # Imported here: ReportLab and the layout load only for a build that draws pages.
    from .render.guide import render_guide

    rendered = render_guide(loaded.guide, sheet, strict_glyphs=options.strict)
    return Built(rendered.pdf, rendered.pages, (*loaded.warnings, *rendered.warnings),
                 layout_passes=rendered.layout_passes)


def _booklet(loaded: Loaded, sheet: Style, options: BuildOptions) -> Built:
    # Imported here: pypdf loads only for a booklet.
    from .handouts.booklet import impose_booklet

    built = _guide(loaded, sheet, options)
    return replace(built, pdf=impose_booklet(built.pdf), sheet_sides=-(-built.pages // 4) * 2)


def _cards(loaded: Loaded, sheet: Style, options: BuildOptions) -> Built:
    # Imported here: ReportLab loads only for a build that draws pages.
    from .handouts.cards import build_cards

    sheet = _card_sheet(sheet, options)
    made = build_cards(loaded.guide, sheet, options.card_sources)
    return Built(made.pdf, made.sheets * 2, made.warnings, cards=made.cards,
                 card_sheets=made.sheets, card_flip=sheet.card_flip)


def _calibration(loaded: Loaded, sheet: Style, options: BuildOptions) -> Built:
    # Imported here: ReportLab loads only for a build that draws pages.
    from .handouts.cards import calibration_pdf

    sheet = _card_sheet(sheet, options)
    return Built(calibration_pdf(sheet), 2, (), card_flip=sheet.card_flip)


def _card_sheet(sheet: Style, options: BuildOptions) -> Style:
    return replace(sheet, cards_per_sheet=options.cards_per_sheet or sheet.cards_per_sheet,
                   card_flip=options.card_flip or sheet.card_flip)


_MAKERS: dict[str, Callable[[Loaded, Style, BuildOptions], Built]] = {
    "guide": _guide,
    "booklet": _booklet,
    "cards": _cards,
    "calibration": _calibration,
}


def default_output(loaded: Loaded, options: BuildOptions = DEFAULT_OPTIONS) -> Path:
    """Where a build goes unless told: in the project's build/ folder,
    OUTLINE.pdf, or OUTLINE-AUDIENCE-EDITION.pdf for an audience's build (without the
    edition for an audience built in one); -booklet.pdf for a booklet;
    OUTLINE[-AUDIENCE]-cards.pdf for cards; cards-calibration.pdf."""
    guide = loaded.guide
    name = guide.outline.stem
    folder = guide.root / "build"
    if options.product == "calibration":
        return folder / "cards-calibration.pdf"
    if options.product == "cards":
        return folder / f"{name}{f'-{guide.audience}' if guide.audience else ''}-cards.pdf"
    chosen = next((a for a in guide.audiences if a.name == guide.audience), None)
    if chosen is not None:
        name = chosen.file_stem(name, guide.edition)
    return folder / (name + ("-booklet" if options.product == "booklet" else "") + ".pdf")


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


def strict_error(diagnostic: Diagnostic) -> Diagnostic:
    """A warning as the error it is under --strict."""
    hints = (*diagnostic.hints, "this is an error because of --strict")
    return Diagnostic("error", diagnostic.message, diagnostic.pos, hints)
