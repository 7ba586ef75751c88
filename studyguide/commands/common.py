"""What every command shares: the examples, the outline argument, option values, and
how problems are printed (`file:line:col: error: ...`, exit status 1, no traceback)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from ..model.diagnostics import Diagnostic, GuideError

F = TypeVar("F", bound=Callable[..., Any])

EPILOG = """\b
Examples:
  make_guide.py build                         build the outline in outline/ into build/
  make_guide.py build outline/ne.yaml -o ne.pdf --paper a4
  make_guide.py build --style large-print     the same guide in large print
  make_guide.py build --edition instructor    answers under each question
  make_guide.py build --audience patient      the patient audience's build
  make_guide.py build --all --jobs 4          every audience and edition, in parallel
  make_guide.py build --booklet               a fold-in-the-middle booklet to print duplex
  make_guide.py cards --from glossary          flashcards of the glossary terms
  make_guide.py cards --calibrate             a sheet that measures your printer's duplex shift
  make_guide.py watch --audience nursing      rebuild on every save
  make_guide.py audiences                     each audience and the sections it gets
  make_guide.py validate                      report every problem, build nothing
  make_guide.py check --audience patient      words, reading grade and pages per section
  make_guide.py init my-guide                 start a new guide project
"""


OUTLINE = click.argument(
    "outline", required=False, type=click.Path(dir_okay=False, path_type=Path)
)
PAPER = click.Choice(["letter", "a4"], case_sensitive=False)
EDITION = click.Choice(["student", "instructor", "worksheet"], case_sensitive=False)


def reports_errors(command: F) -> F:
    """Print GuideError diagnostics as `file:line:col: error: ...` and exit 1."""

    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except GuideError as exc:
            print_diagnostics(exc.diagnostics)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("interrupted; nothing was written", err=True)
            sys.exit(130)
        except click.ClickException:
            raise  # usage errors: click reports them and exits 2
        except Exception as exc:  # a bug of ours must still not greet users with a traceback
            if click.get_current_context().find_root().obj.get("debug"):
                raise
            click.echo(f"internal error: {type(exc).__name__}: {exc}", err=True)
            click.echo("  hint: this is a bug in make_guide; rerun with --debug "
                       "and report the traceback", err=True)
            sys.exit(1)

    return run  # type: ignore[return-value]


def lower(value: str | None) -> str | None:
    """A choice as the pipeline takes it (click keeps the case the user typed)."""
    return value.lower() if value else None


def output_path(value: str | None) -> Path | None:
    """`-o`'s value as a Path; a name ending in a slash is a folder, not a file to write."""
    if value is None:
        return None
    if value.endswith(("/", os.sep)) and not Path(value).is_dir():
        raise click.BadParameter(f"{value} ends with a slash: -o names the file to write; "
                                 f"give a file name, e.g. {Path(value) / 'guide.pdf'}",
                                 param_hint="'-o'")
    return Path(value)


def print_diagnostics(diagnostics: Iterable[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        click.echo(diagnostic.format(), err=True)
