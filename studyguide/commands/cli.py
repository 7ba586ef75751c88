"""The command line's entry point: the `make_guide.py` / `make-guide` group and its commands."""

from __future__ import annotations

import click

from .. import __version__
from .build import build
from .cards import cards
from .common import EPILOG
from .info import audiences, check, validate
from .init import init
from .watch import watch


@click.group(epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="make_guide")
@click.option("--debug", is_flag=True, hidden=True, help="Show Python tracebacks.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Build print-ready study-guide PDFs from a YAML outline."""
    ctx.obj = {"debug": debug}


for command in (build, validate, audiences, check, cards, watch, init):
    main.add_command(command)
