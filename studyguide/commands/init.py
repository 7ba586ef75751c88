"""`init`: write a small starter guide project that builds as it is."""

from __future__ import annotations

from pathlib import Path

import click

from ..model.diagnostics import shown_path
from .common import reports_errors
from .starter import write_starter


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@reports_errors
def init(directory: Path) -> None:
    """Write a small starter guide project into DIRECTORY."""
    written = write_starter(directory)
    for path in written:
        click.echo(f"created {shown_path(path)}")
    click.echo(f"next: cd {shown_path(directory)} && make_guide.py build")
