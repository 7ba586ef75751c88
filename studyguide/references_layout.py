"""The reference list: one entry a work, each a link target for its citations.

STUB: to be implemented.
"""

from __future__ import annotations

from reportlab.platypus import Flowable

from . import model as m
from .layout import Ctx


def reference_list(block: m.ReferenceList, ctx: Ctx) -> list[Flowable]:
    return []
