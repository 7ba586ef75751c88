"""`validate`, `audiences` and `check`: what an outline holds and what is wrong with it,
without building anything."""

from __future__ import annotations

from pathlib import Path

import click

from ..model.diagnostics import Diagnostic, GuideError, shown_path
from .common import EPILOG, OUTLINE, print_diagnostics, reports_errors


@click.command(epilog=EPILOG)
@OUTLINE
@reports_errors
def validate(outline: Path | None) -> None:
    """Check OUTLINE and everything it includes; report every problem at once."""
    # Imported here, as in every command: `--help` and usage errors stay quick.
    from ..load.project import find_outline
    from ..model.traverse import walk_sections
    from ..pipeline import load, load_sheet

    loaded = load(outline or find_outline(), check_only=True)
    load_sheet(loaded)
    print_diagnostics(loaded.warnings)
    count = sum(1 for s in walk_sections(loaded.guide.sections) if not s.unnumbered)
    click.echo(f"{shown_path(loaded.guide.outline)}: ok ({count} sections, "
               f"{len(loaded.project.documents)} files)")


@click.command(epilog=EPILOG)
@OUTLINE
@reports_errors
def audiences(outline: Path | None) -> None:
    """List OUTLINE's audiences and the top-level sections each one gets."""
    # Imported here, as in every command: `--help` and usage errors stay quick.
    from ..load.project import find_outline
    from ..model.document import DEFAULT_EDITIONS, plain_text
    from ..pipeline import BuildOptions, load

    path = outline or find_outline()
    loaded = load(path, check_only=True)
    if not loaded.guide.audiences:
        click.echo(f"{shown_path(loaded.guide.outline)}: no audiences defined")
    for entry in loaded.guide.audiences:
        guide = load(path, BuildOptions(audience=entry.name), check_only=True).guide
        grade = "-" if entry.reading_grade is None else f"{entry.reading_grade:g}"
        title = plain_text(guide.meta.title)
        click.echo(f"{entry.name}: {title} (style {entry.style or guide.style}, "
                   f"reading grade {grade})")
        ids = [s.id for s in guide.sections if not s.unnumbered]
        click.echo("  sections: " + (", ".join(ids) or "none"))
        click.echo("  editions: " + ", ".join(entry.editions))
    if not loaded.guide.audiences:
        click.echo("editions: " + ", ".join(DEFAULT_EDITIONS))


@click.command(epilog=EPILOG)
@OUTLINE
@click.option("--audience", metavar="NAME",
              help="Check one audience (default: each audience, else the whole guide).")
@click.option("--strict", is_flag=True,
              help="A section above its audience's reading grade is an error.")
@reports_errors
def check(outline: Path | None, audience: str | None, strict: bool) -> None:
    """Words, reading grade, pages, glossary terms and uncited paragraphs per section."""
    # Imported here, as in every command: `--help` and usage errors stay quick.
    from ..load.project import find_outline
    from ..pipeline import BuildOptions, load
    from ..validate.readability import format_table, grade_diagnostics, guide_report

    path = outline or find_outline()
    names: list[str | None]
    if audience is not None:
        names = [audience]
    else:
        names = [a.name for a in load(path, check_only=True).guide.audiences] or [None]
    problems: list[Diagnostic] = []
    for index, name in enumerate(names):
        guide = load(path, BuildOptions(audience=name), check_only=True).guide
        reports = guide_report(guide)
        if index:
            click.echo()
        label = f"audience {name}" if name is not None else "whole guide"
        click.echo(f"{shown_path(guide.outline)}: {label} (style {guide.style})")
        click.echo(format_table(reports))
        problems.extend(grade_diagnostics(guide, reports, strict))
    if strict and problems:
        raise GuideError(problems)
    print_diagnostics(problems)
