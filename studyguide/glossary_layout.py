"""The glossary: entries in alphabetical order, with letter dividers and page references.

STUB: to be implemented.
"""

from __future__ import annotations

from reportlab.platypus import Flowable

from . import model as m
from .layout import Ctx


def glossary_list(block: m.GlossaryList, ctx: Ctx) -> list[Flowable]:
    return []
