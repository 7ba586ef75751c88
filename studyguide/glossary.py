"""The glossary pass: link every `[[term]]` mention to its entry, and place the glossary.

STUB: to be implemented.
"""

from __future__ import annotations

from .diagnostics import Diagnostic
from .model import Guide


def glossary_pass(guide: Guide) -> tuple[Guide, list[Diagnostic]]:
    """Resolve glossary mentions to entries and append the glossary section."""
    return guide, []
