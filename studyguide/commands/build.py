"""`build`: one guide (or a booklet of it), or with --all every audience × edition."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..model.diagnostics import shown_path
from .common import (
    EDITION,
    EPILOG,
    OUTLINE,
    PAPER,
    lower,
    output_path,
    print_diagnostics,
    reports_errors,
)

if TYPE_CHECKING:
    from ..pipeline import BuildOptions


@click.command(epilog=EPILOG)
@OUTLINE
# Checked in build(): with --all, -o names a folder, and `-o out/` is what people write.
@click.option("-o", "--output", type=click.Path(),
              help="Where to write the PDF (default: build/OUTLINE.pdf); with --all, the "
                   "folder to write into.")
@click.option("--style", help="A style sheet name or path, instead of the outline's.")
@click.option("--paper", type=PAPER, help="Page size, instead of the style sheet's.")
@click.option("--citation-style", metavar="NAME|FILE.csl",
              help="Citation style (apa, ama, vancouver, chicago, mla or a .csl file), "
                   "instead of the outline's.")
@click.option("--edition", type=EDITION,
              help="student: questions without answers, an answer key at the end; "
                   "instructor: answers under each question; worksheet: marked glossary "
                   "terms as blanks with a word bank (default: the outline's, else student).")
@click.option("--no-answer-key", is_flag=True, help="Leave the student edition's answer key out.")
@click.option("--audience", metavar="NAME",
              help="Build for one of the outline's audiences "
                   "(default output: build/OUTLINE-NAME-EDITION.pdf).")
@click.option("--strict", is_flag=True, help="Treat every warning as an error.")
@click.option("--all", "build_all", is_flag=True,
              help="Build every audience and edition into build/ (or the folder -o names), "
                   "as OUTLINE-AUDIENCE-EDITION.pdf.")
@click.option("--jobs", type=click.IntRange(min=1), metavar="N",
              help="With --all: build N variants at a time, on at most N cores "
                   "(default: every core).")
@click.option("--cornell", is_flag=True,
              help="A Cornell review page after each top-level section (cues: its terms "
                   "and questions; ruled notes; a summary box).")
@click.option("--booklet", is_flag=True,
              help="Impose the guide 2-up on landscape sheets in saddle-stitch order: print "
                   "it duplex (flip on the short edge), fold in the middle "
                   "(default output: build/OUTLINE-booklet.pdf).")
@reports_errors
def build(outline: Path | None, output: str | None, style: str | None,
          paper: str | None, citation_style: str | None, edition: str | None,
          no_answer_key: bool, audience: str | None, strict: bool, build_all: bool,
          jobs: int | None, cornell: bool, booklet: bool) -> None:
    """Build OUTLINE (default: the outline in ./outline/) into a PDF."""
    # Imported here, as in every command: `--help` and usage errors stay quick.
    from ..load.project import find_outline
    from ..pipeline import BuildOptions, run_build

    options = BuildOptions(style=style, paper=lower(paper), citation_style=citation_style,
                           answer_key=False if no_answer_key else None, strict=strict,
                           cornell=True if cornell else None)
    if build_all:
        if booklet:
            raise click.UsageError("--booklet builds one guide; leave out --all")
        if audience is not None or edition is not None:
            raise click.UsageError("--all builds every audience and edition; "
                                   "leave out --audience and --edition")
        _build_every_variant(outline or find_outline(), Path(output) if output else None,
                             jobs, options)
        return
    if jobs is not None:
        raise click.UsageError("--jobs goes with --all")
    options = replace(options, audience=audience, edition=lower(edition),
                      output=output_path(output), product="booklet" if booklet else "guide")
    built = run_build(outline or find_outline(), options)
    print_diagnostics(built.warnings)
    assert built.path is not None  # run_build writes unless told not to
    if booklet:
        sides = f"{built.sheet_sides} sheet side{'' if built.sheet_sides == 1 else 's'}"
        click.echo(f"wrote {shown_path(built.path)} ({sides} for {built.pages} pages)")
    else:
        click.echo(f"wrote {shown_path(built.path)} ({built.pages} "
                   f"page{'' if built.pages == 1 else 's'})")


def _build_every_variant(outline: Path, output: Path | None, jobs: int | None,
                         options: BuildOptions) -> None:
    """`build --all`: every variant in worker processes, a progress bar, a summary."""
    # Imported here, as in every command: `--help` and usage errors stay quick.
    from ..batch import INTERRUPTED, build_all, variants
    from ..output.write import make_folder
    from ..pipeline import load

    guide = load(outline, check_only=True).guide
    todo = variants(guide)
    folder = output if output is not None else guide.root / "build"
    if folder.exists() and not folder.is_dir():
        raise click.BadParameter(f"{shown_path(folder)} is not a folder; with --all, "
                                 "-o names the folder to write into", param_hint="'-o'")
    make_folder(folder, folder)
    stderr = sys.stderr  # click.get_text_stream is deprecated from click 8.5
    if stderr.isatty():
        with click.progressbar(length=len(todo), label="building", show_pos=True,
                               file=stderr) as bar:
            outcomes = build_all(outline, folder, todo, jobs=jobs, options=options,
                                 on_done=lambda _outcome: bar.update(1))
    else:  # a log or a pipe wants the results, not a bar's leftovers
        outcomes = build_all(outline, folder, todo, jobs=jobs, options=options)
    for outcome in outcomes:
        if outcome.path is not None:
            pages = "page" if outcome.pages == 1 else "pages"
            click.echo(f"wrote {shown_path(outcome.path)} ({outcome.pages} {pages})")
    for outcome in outcomes:
        for message in outcome.messages:
            click.echo(f"{outcome.variant.name}: {message}", err=True)
    if any(INTERRUPTED in outcome.messages for outcome in outcomes):
        sys.exit(130)  # as a shell reports Ctrl-C
    if any(not outcome.ok for outcome in outcomes):
        sys.exit(1)
