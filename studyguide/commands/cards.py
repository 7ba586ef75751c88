"""`cards`: flashcards to print duplex and cut out, or the duplex calibration sheet."""

from __future__ import annotations

from pathlib import Path

import click

from ..model.diagnostics import shown_path
from .common import EPILOG, OUTLINE, PAPER, lower, output_path, print_diagnostics, reports_errors


@click.command(epilog=EPILOG)
@OUTLINE
@click.option("-o", "--output", type=click.Path(), callback=lambda _c, _p, v: output_path(v),
              help="Where to write the PDF (default: build/OUTLINE[-AUDIENCE]-cards.pdf).")
@click.option("--audience", metavar="NAME", help="Cards for one of the outline's audiences.")
@click.option("--from", "sources", default="glossary,questions", show_default=True,
              metavar="glossary,questions",
              help="What to make cards of: glossary terms, review questions, or both.")
@click.option("--style", help="A style sheet name or path (its cards: settings apply).")
@click.option("--paper", type=PAPER, help="Page size, instead of the style sheet's.")
@click.option("--per-sheet", type=click.IntRange(1, 40), metavar="N",
              help="Cards on a sheet, instead of the style's cards.per-sheet (default 8).")
@click.option("--flip", type=click.Choice(["long", "short"], case_sensitive=False),
              help="The edge your printer turns the sheet over when printing both sides, "
                   "instead of the style's cards.flip (default long).")
@click.option("--calibrate", is_flag=True,
              help="Write the duplex calibration sheet instead: print it on both sides, read "
                   "the offset, set it as cards: {duplex-offset: {x: ..., y: ...}}.")
@click.option("--strict", is_flag=True, help="Treat every warning as an error.")
@reports_errors
def cards(outline: Path | None, output: Path | None, audience: str | None, sources: str,
          style: str | None, paper: str | None, per_sheet: int | None, flip: str | None,
          calibrate: bool, strict: bool) -> None:
    """Flashcards to print duplex and cut out: term / definition, question / answer."""
    # Imported here, as in every command: `--help` and usage errors stay quick.
    from ..load.project import find_outline
    from ..pipeline import CARD_SOURCES, BuildOptions, run_build

    chosen = tuple(dict.fromkeys(s.strip().lower() for s in sources.split(",") if s.strip()))
    unknown = [s for s in chosen if s not in CARD_SOURCES]
    if unknown or not chosen:
        raise click.BadParameter(f"unknown source {', '.join(unknown) or 'none'}; use "
                                 "glossary, questions or glossary,questions",
                                 param_hint="'--from'")
    options = BuildOptions(audience=audience, style=style, paper=lower(paper), strict=strict,
                           product="calibration" if calibrate else "cards",
                           card_sources=chosen, cards_per_sheet=per_sheet,
                           card_flip=lower(flip), output=output)
    built = run_build(outline or find_outline(), options)
    assert built.path is not None  # run_build writes unless told not to
    if calibrate:
        summary = "2 pages: print both sides"
    else:
        print_diagnostics(built.warnings)
        summary = (f"{built.cards} card{'' if built.cards == 1 else 's'} on "
                   f"{built.card_sheets} sheet{'' if built.card_sheets == 1 else 's'}, "
                   f"fronts and backs alternating; print duplex, flip on the "
                   f"{built.card_flip} edge")
    click.echo(f"wrote {shown_path(built.path)} ({summary})")
