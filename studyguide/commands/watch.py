"""`watch`: build, then build again whenever a file of the project changes."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import click

from ..model.diagnostics import GuideError, shown_path
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


@click.command(epilog=EPILOG)
@OUTLINE
@click.option("-o", "--output", type=click.Path(), callback=lambda _c, _p, v: output_path(v),
              help="Where to write the PDF (default: as build writes it).")
@click.option("--audience", metavar="NAME", help="Build for one of the outline's audiences.")
@click.option("--edition", type=EDITION,
              help="The edition to build (default: the outline's, else student).")
@click.option("--style", help="A style sheet name or path, instead of the outline's.")
@click.option("--paper", type=PAPER, help="Page size, instead of the style sheet's.")
@reports_errors
def watch(outline: Path | None, output: Path | None, audience: str | None,
          edition: str | None, style: str | None, paper: str | None) -> None:
    """Build OUTLINE, then build it again whenever one of its files changes (Ctrl-C stops)."""
    # Imported here, as in every command: `--help` and usage errors stay quick.
    from ..load.project import find_outline, project_root
    from ..pipeline import BuildOptions, run_build
    from .watcher import watch as watch_files

    path = (outline or find_outline()).resolve()
    options = BuildOptions(audience=audience, edition=lower(edition), style=style,
                           paper=lower(paper), output=output)

    def rebuild() -> None:
        nonlocal options
        started = time.perf_counter()
        try:
            built = run_build(path, options)
        except GuideError as exc:  # shown, and the watch goes on: the next save may fix it
            print_diagnostics(exc.diagnostics)
            click.echo("not rebuilt; watching for changes (Ctrl-C stops)", err=True)
            return
        except Exception as exc:  # a bug of ours must not end the session either
            click.echo(f"internal error: {type(exc).__name__}: {exc}", err=True)
            return
        # Named once, from the first build that succeeds: a later edit must not move it.
        options = replace(options, output=built.path)
        print_diagnostics(built.warnings)
        seconds = time.perf_counter() - started
        click.echo(f"wrote {shown_path(built.path or path)} ({built.pages} pages) in "
                   f"{seconds:.2f} s; watching for changes (Ctrl-C stops)")

    watch_files(project_root(path), lambda: options.output, rebuild)
