"""Audience names: each one a file uses must be defined once in the outline."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..load.loader import Document, NodePath
from ..load.project import Project
from ..model.diagnostics import Diagnostic, did_you_mean, error
from ..model.document import Pos

_NAME_KEYS = ("audiences", "exclude-audiences")


def audience_hint(name: str, names: list[str]) -> str:
    """Did-you-mean over the defined audiences, else the list of them."""
    if not names:
        return "the outline defines no audiences; add them under 'audiences:'"
    return did_you_mean(name, names) or "audiences: " + ", ".join(names)


def check_audience_names(project: Project) -> list[Diagnostic]:
    """Duplicate audiences, and every audience name a section, block or variant uses
    that the outline does not define."""
    outline = project.outline
    found: list[Diagnostic] = []
    defined: dict[str, Pos] = {}
    items = outline.data.get("audiences") if isinstance(outline.data, dict) else None
    for index, item in enumerate(items if isinstance(items, list) else []):
        name = item.get("name") if isinstance(item, dict) else None
        if not isinstance(name, str):
            continue
        where = outline.pos(("audiences", index, "name"))
        if name in defined:
            found.append(error(f"duplicate audience '{name}' (first defined at "
                               f"{defined[name]})", where, "audience names must be unique"))
        else:
            defined[name] = where
    names = list(defined)
    default = outline.data.get("audience") if isinstance(outline.data, dict) else None
    if isinstance(default, str) and default not in defined:
        found.append(error(f"unknown audience '{default}'", outline.pos(("audience",)),
                           audience_hint(default, names)))
    for doc in project.documents.values():
        if doc is outline or project.kinds.get(doc.path, "section") == "section":
            # the outline's own `audiences:` defines names; a section file's uses them
            top = ("audiences",) if doc is outline else None
            for name, pos in _used_names(doc.data, (), doc, top):
                if name not in defined:
                    found.append(error(f"unknown audience '{name}'", pos,
                                       audience_hint(name, names)))
    return found


def _used_names(node: Any, path: NodePath, doc: Document,
                skip: NodePath | None) -> Iterator[tuple[str, Pos]]:
    if isinstance(node, list):
        for index, value in enumerate(node):
            yield from _used_names(value, (*path, index), doc, skip)
        return
    if not isinstance(node, dict):
        return
    if "default" in node and all(isinstance(v, str) for v in node.values()):
        for key in node:  # a text's variants: every other key names an audience
            if key != "default":
                yield str(key), doc.key_pos((*path, key))
        return
    for key, value in node.items():
        here = (*path, key)
        if here == skip:
            continue
        if key in _NAME_KEYS and isinstance(value, list):
            yield from ((str(v), doc.pos((*here, i))) for i, v in enumerate(value))
        else:
            yield from _used_names(value, here, doc, skip)
