"""Stage "resolve": validated documents become one Guide, through named passes.

The passes run in the order of PASSES; each is a pure function from a Guide
to a new Guide plus the diagnostics it found.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..citations.passes import citations_check_pass, citations_pass
from ..load.project import Project
from ..model.diagnostics import (
    Diagnostic,
    did_you_mean,
    error,
    fail_if_errors,
    in_file_order,
    shown_path,
)
from ..model.document import Block, Figure, Guide, Section, Table
from ..model.traverse import iter_blocks, map_blocks, map_inlines
from .assemble import assemble
from .audiences import audiences_pass
from .cornell import cornell_pass
from .glossary import glossary_pass
from .inline import parse_inline
from .overrides import NO_OVERRIDES, Overrides, apply_overrides
from .questions import back_matter_pass, questions_pass
from .worksheet import worksheet_pass

Pass = Callable[[Guide], tuple[Guide, list[Diagnostic]]]


def inline_pass(guide: Guide) -> tuple[Guide, list[Diagnostic]]:
    """Parse every text field's inline markup into spans."""
    return map_inlines(guide, parse_inline), []


def images_pass(guide: Guide) -> tuple[Guide, list[Diagnostic]]:
    """Check that every figure's image is inside the project and readable."""
    problems: list[Diagnostic] = []
    for figure in (b for b in iter_blocks(guide.sections) if isinstance(b, Figure)):
        problem = _image_problem(figure, guide.root)
        if problem:
            problems.append(problem)
    return guide, problems


def numbering_pass(guide: Guide) -> tuple[Guide, list[Diagnostic]]:
    """Number sections ("2.1"), tables and figures in reading order."""
    counters = {"table": 0, "figure": 0}

    def number_block(block: Block) -> Block:
        if isinstance(block, Table):
            counters["table"] += 1
            return replace(block, number=counters["table"])
        if isinstance(block, Figure):
            counters["figure"] += 1
            return replace(block, number=counters["figure"])
        return block

    def number_section(section: Section, prefix: str, index: int, level: int) -> Section:
        number = f"{prefix}{index}"
        blocks = map_blocks(section.blocks, number_block)
        children = tuple(
            number_section(child, number + ".", i, level + 1)
            for i, child in enumerate(section.sections, start=1)
        )
        return replace(section, number=number, level=level, blocks=blocks, sections=children)

    numbered = [s for s in guide.sections if not s.unnumbered]
    index = {id(s): i for i, s in enumerate(numbered, start=1)}
    sections = tuple(
        number_section(s, "", index[id(s)], 1) if not s.unnumbered
        else replace(s, blocks=map_blocks(s.blocks, number_block))
        for s in guide.sections
    )
    return replace(guide, sections=sections), []


PASSES: tuple[tuple[str, Pass], ...] = (
    # first: every later pass sees only this audience's sections, blocks and texts
    ("audiences", audiences_pass),
    ("inline", inline_pass),
    ("images", images_pass),
    # glossary before citations: citations in the definitions of entries the
    # glossary drops (only-used) must not be numbered or listed
    ("glossary", glossary_pass),
    # after the glossary has checked every mark: a blank was a mark too
    ("worksheet", worksheet_pass),
    ("citations", citations_pass),
    ("numbering", numbering_pass),
    ("questions", questions_pass),
    # after the questions are numbered: the cue column names them
    ("cornell", cornell_pass),
    # last: the answer key shows copies of questions whose text is fully resolved
    ("study back matter", back_matter_pass),
)

# `validate`, `check` and `audiences`: every check, but citations are not
# formatted (pandoc does not run, no reference list), which makes them quicker.
CHECK_PASSES: tuple[tuple[str, Pass], ...] = tuple(
    (name, citations_check_pass if name == "citations" else run) for name, run in PASSES)


@dataclass(frozen=True)
class Resolved:
    guide: Guide
    warnings: tuple[Diagnostic, ...]


def resolve(project: Project, passes: tuple[tuple[str, Pass], ...] = PASSES,
            overrides: Overrides = NO_OVERRIDES) -> Resolved:
    """Assemble the project (includes), make the build's choices (`overrides`), and run
    every pass; raise GuideError with every error found."""
    guide = apply_overrides(assemble(project), overrides)
    found: list[Diagnostic] = []
    for _name, run in passes:
        # Every pass runs even after another found errors, so that one build
        # reports them all (an unknown term and an unknown citation key).
        guide, diagnostics = run(guide)
        found.extend(diagnostics)
    found = in_file_order(found)
    fail_if_errors(found)
    return Resolved(guide, tuple(found))


_IMAGE_FORMATS = {"PNG", "JPEG"}


def _image_problem(figure: Figure, root: Path) -> Diagnostic | None:
    shown = figure.image.name
    if not figure.image.exists():
        names = _names_beside(figure.image)
        # A name that differs only in case first: it works on Windows and macOS, not here.
        same = [name for name in names if name.casefold() == shown.casefold()]
        hint = (f"did you mean '{same[0]}'? (file names are case-sensitive)" if same
                else did_you_mean(shown, names))
        return error(f"image '{shown}' not found (looked for {shown_path(figure.image)})",
                     figure.pos, hint)
    real = figure.image.resolve()
    if not real.is_relative_to(root):
        return error(
            f"image '{shown}' is outside the project folder {root}",
            figure.pos,
            "copy the image into the project, e.g. into sections/images/",
        )
    if real.is_dir():
        return error(f"image '{shown}' is a folder, not a file", figure.pos,
                     "give the path of a PNG or JPEG file")
    if not real.is_file():
        return error(f"image '{shown}' is not a file", figure.pos)
    return _unreadable_image(real, figure)


def _unreadable_image(path: Path, figure: Figure) -> Diagnostic | None:
    """Why Pillow cannot read the image, in words for people; None if it can."""
    # Imported here: Pillow loads only for a guide with figures.
    import warnings

    from PIL import Image, UnidentifiedImageError

    def cannot(why: str, *hints: str) -> Diagnostic:
        return error(f"image '{path.name}' {why}", figure.pos, *hints)

    if path.stat().st_size == 0:
        return cannot("cannot be read: the file is empty")
    try:
        # Pillow only warns between its pixel limit and twice that; a picture that
        # big would still take hundreds of MB to decode, so it is refused too.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                kind: Any = image.format
                image.verify()
            if kind == "JPEG":
                _decode_jpeg(path)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return cannot(f"has more than {Image.MAX_IMAGE_PIXELS or 0:,} pixels, too many to "
                      "read safely",
                      "scale it down: a picture as wide as the page needs about "
                      "2,000 pixels across to print sharply")
    except UnidentifiedImageError:
        return cannot("cannot be read: it is not a PNG or JPEG image",
                      "check that it opens in an image viewer; renaming a file does not "
                      "change its kind")
    except (OSError, SyntaxError, ValueError) as exc:
        detail = str(exc).replace(str(path), path.name)
        if "truncated" in detail.lower():
            return cannot("cannot be read: the file is cut short (truncated)",
                          "copy or export the image again")
        return cannot(f"cannot be read: the file is damaged ({detail})",
                      "export the image again as PNG or JPEG")
    if kind not in _IMAGE_FORMATS:
        return error(
            f"image '{path.name}' is a {kind} file; figures take PNG or JPEG",
            figure.pos,
        )
    return None


def _decode_jpeg(path: Path) -> None:
    """Decode a JPEG at an eighth of its size: verify() does not look at JPEG data,
    and a cut-short JPEG would go into the PDF as it is and print half grey."""
    from PIL import Image  # here: Pillow loads only for a guide with figures

    with Image.open(path) as image:
        image.draft("RGB", (1, 1))
        image.load()


def _names_beside(path: Path) -> list[str]:
    folder = path.parent
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
