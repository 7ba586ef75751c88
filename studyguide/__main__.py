"""`python -m studyguide` runs the command line."""

from .commands.cli import main

main(prog_name="studyguide")
