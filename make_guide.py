#!/usr/bin/env python3
"""Build study-guide PDFs from a checkout: `python make_guide.py --help`."""
from studyguide.commands.cli import main

if __name__ == "__main__":
    main(prog_name="make_guide.py")
