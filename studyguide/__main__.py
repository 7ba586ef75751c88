"""`python -m studyguide` runs the command line."""

from .cli import main

main(prog_name="studyguide")
