"""The citations pass: Pandoc citations formatted by citeproc-py, and the reference list.

STUB: to be implemented.
"""

from __future__ import annotations

from .diagnostics import Diagnostic
from .model import Guide


def citations_pass(guide: Guide) -> tuple[Guide, list[Diagnostic]]:
    """Format every Cite in the guide's citation style and add the reference list."""
    return guide, []
