"""Validate stage: check loaded files against the shipped JSON Schema, in plain words."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, ValidationError, validators

from ..load.loader import Document, NodePath
from ..load.project import Project
from ..model.diagnostics import Diagnostic, did_you_mean, error
from ..model.document import Pos
from .audiences import check_audience_names
from .questions import check_objectives, check_questions

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema" / "studyguide.schema.json"
SCHEMA: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
_DEFS: dict[str, Any] = SCHEMA["$defs"]
_LIST_ITEM: dict[str, Any] = _DEFS["listItem"]["else"]  # a list item that is not variants
_AUDIENCE_NAME = re.compile(r"[A-Za-z0-9_-]+")  # a key that could be an audience's variant
# Each block type's key in a file and the def that describes it, read from the
# schema's list of blocks (each def requires its own key first).
BLOCK_TYPES: dict[str, str] = {
    _DEFS[name]["required"][0]: name
    for name in (ref["$ref"].rpartition("/")[2] for ref in _DEFS["block"]["anyOf"])
}
# the items of study aids, as a breadcrumb names them
_ITEMS = {"questions": "question", "objectives": "objective", "takeaways": "item",
          "steps": "step", "pairs": "pair", "choices": "choice"}
_PATTERNS = {  # pattern -> (what the value is not, hint)
    _DEFS["id"]["pattern"]: ("a valid id", "use only letters, digits, '-' and '_', e.g. '{slug}'"),
    _DEFS["length"]["pattern"]: (
        "a length", "write a number and a unit: pt, mm, cm or in (e.g. 12pt)"),
    _DEFS["color"]["pattern"]: ("a colour", 'write #rrggbb or #rgb, in quotes: "#1d4f91"'),
    _DEFS["style"]["properties"]["table"]["properties"]["zebra"]["pattern"]: (
        "a colour", 'write #rrggbb or #rgb in quotes ("#eef2f7"), or none'),
    _DEFS["outline"]["properties"]["lang"]["pattern"]: (
        "a language tag", "write a BCP 47 tag such as en, en-GB or fr"),
    _DEFS["include"]["properties"]["include"]["pattern"]: (
        "a file name", "name a section file, e.g. ../sections/intro.yaml"),
}
_TYPE_WORDS = {"string": "text", "array": "a list", "object": "a mapping",
               "boolean": "true or false", "number": "a number", "integer": "a whole number"}


def _dispatch(validator: Any, kind: str, instance: Any, schema: Any) -> Iterator[ValidationError]:
    """Check a block against the def its one type key names; _Checker.block words the rest."""
    block_type = _block_type(instance)
    if block_type is None or (block_type == "callout" and kind == "calloutBlock"):
        yield ValidationError("not a block")
    else:
        yield from validator.descend(instance, {"$ref": f"#/$defs/{BLOCK_TYPES[block_type]}"})


# Editors get anyOf over the block defs; we dispatch on the type key instead: no
# branch is tried in vain (a quarter faster on big guides), and a bad block gets one
# error in our words rather than one from every branch.
_Validator = validators.extend(Draft202012Validator, {"x-block": _dispatch})


@functools.cache
def _validator(name: str) -> Any:
    # The top-level anyOf is for editors; each file kind is checked against its own def.
    root = {key: value for key, value in SCHEMA.items() if key != "anyOf"}
    defs = {**_DEFS, "block": {"x-block": "block"}, "calloutBlock": {"x-block": "calloutBlock"}}
    return _Validator({**root, "$defs": defs, "$ref": f"#/$defs/{name}"})


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _words(value: Any) -> str:
    """How a value reads in a message: "a list", "the text 'intro'", "the number 3"."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text '{_short(value)}'"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    return "empty" if value is None else f"the number {value}"


def _get(node: Any, step: str | int) -> Any:
    if isinstance(node, dict) and isinstance(step, str):
        return node.get(step)
    if isinstance(node, list) and isinstance(step, int) and step < len(node):
        return node[step]
    return None


def _block_type(block: Any) -> str | None:
    found = [key for key in block if key in BLOCK_TYPES] if isinstance(block, dict) else []
    return found[0] if len(found) == 1 else None


def _block_name(block: Any, kind: str | None, index: int) -> str:
    body = block.get(kind) if isinstance(block, dict) and kind else None
    if kind in ("table", "figure") and isinstance(body, dict):
        name = body.get("caption") if isinstance(body.get("caption"), str) else body.get("id")
        if isinstance(name, str) and name:
            return f"{kind} '{_short(name)}'"
    return f"block {index + 1}" + (f" ({kind})" if kind else "")


def _section_name(section: Any, index: int | None) -> str:
    if isinstance(section, dict):
        if isinstance(section.get("id"), str) and section["id"]:
            return f"section '{section['id']}'"
        if isinstance(section.get("include"), str):
            return f"include '{section['include']}'"
    return "section" if index is None else f"section {index + 1}"


def breadcrumb(data: Any, kind: str, path: NodePath) -> str:
    """Where a node is, in human terms: "section 'x' > table 'T' > row 2"."""
    parts = [_section_name(data, None)] if kind == "section" else []
    node, state, i = data, kind, 0
    while i < len(path):
        step, after = path[i], path[i + 1] if i + 1 < len(path) else None
        child = _get(node, step)
        i += 1
        if state in ("outline", "section") and step == "sections" and isinstance(after, int):
            node, state, i = _get(child, after), "section", i + 1
            parts.append(_section_name(node, after))
        elif state in ("section", "callout") and step == "blocks" and isinstance(after, int):
            block, i = _get(child, after), i + 1
            kind_of = _block_type(block)
            parts.append(_block_name(block, kind_of, after))
            node, state = block, "block"
            if kind_of and i < len(path) and path[i] == kind_of:
                node, state, i = _get(block, kind_of), kind_of, i + 1
        elif state in ("bullets", "numbered") and isinstance(step, int):
            node, state = child, "item"
            parts.append(f"item {step + 1}")
        elif state == "item" and step in ("bullets", "numbered"):
            node, state = child, "bullets"
        elif state == "table" and step in ("rows", "header"):
            node, state = child, "cells"
            if step == "header" or not isinstance(after, int):
                parts.append(step)
            else:
                node, i = _get(child, after), i + 1
                parts.append(f"row {after + 1}")
        elif state in _ITEMS and isinstance(step, int):
            node, state = child, _ITEMS[state]
            parts.append(f"{state} {step + 1}")
        elif state == "question" and step in _ITEMS:
            node, state = child, step
        else:
            word = "cell" if state == "cells" else "item"
            parts.append(f"{word} {step + 1}" if isinstance(step, int) else str(step))
            node, state = child, "other"
    if len(parts) > 6:  # deep lists: the start and the end say where it is
        parts = [*parts[:2], "...", *parts[-3:]]
    return " > ".join(parts)


class _Checker:
    def __init__(self, doc: Document, kind: str) -> None:
        self.doc, self.kind = doc, kind
        self.found: dict[tuple[Pos, str], Diagnostic] = {}
        self.handled: set[NodePath] = set()

    def add(self, path: NodePath, message: str, *hints: str, pos: Pos | None = None) -> None:
        crumb = breadcrumb(self.doc.data, self.kind, path)
        text = f"{crumb}: {message}" if crumb else message
        where = pos or self.doc.pos(path)
        self.found.setdefault((where, text), error(text, where, *hints))

    def run(self, name: str, instance: Any, prefix: NodePath) -> None:
        try:
            for err in _validator(name).iter_errors(instance):
                self.translate(err, (*prefix, *err.absolute_path))
        except RecursionError:
            self.add(prefix, "is nested too deeply to check")

    def translate(self, err: ValidationError, path: NodePath) -> None:
        check, value, schema = err.validator, err.instance, err.schema
        if path in self.handled or self.colon_text(value, schema, path):
            return
        if check == "x-block":
            self.block(value, path, callouts=err.validator_value == "block")
        elif check == "anyOf" and schema is _DEFS["calloutBody"]:
            self.add(path, "needs 'text' or 'blocks' (or both)")
        elif check == "type":
            self.wrong_type(err, path)
        elif check == "required" and schema is _DEFS["text"]:
            self.add(path, "text variants need a 'default'",
                     "add the text for every other audience: default: ...")
        elif check == "required":
            # A misspelt key is reported as unknown, with a hint; not also as missing.
            unknown = [key for key in value if key not in schema.get("properties", {})]
            missing = [f"'{key}'" for key in err.validator_value
                       if key not in value and not did_you_mean(key, unknown)]
            if missing:
                keys = " and ".join([", ".join(missing[:-1]), missing[-1]] if missing[:-1]
                                    else missing)
                self.add(path, f"missing required key{'s' if len(missing) > 1 else ''} {keys}")
        elif check == "additionalProperties":
            allowed = list(schema.get("properties", {}))
            for key in value:
                if key not in allowed:
                    hint = did_you_mean(key, allowed) or (
                        "an item of 'sections' either includes a file or is a section, not both"
                        if schema is _DEFS["include"] else
                        "per-audience text beside a nested list goes under 'text': "
                        "text: {default: ..., patient: ...}"
                        if schema is _LIST_ITEM and key == "default" else
                        "allowed keys: " + ", ".join(allowed))
                    self.add(path, f"unknown key '{key}'", hint,
                             pos=self.doc.key_pos((*path, key)))
        elif check == "enum":
            self.bad_choice(value, path, err.validator_value, schema)
        elif check == "pattern":
            what, hint = _PATTERNS.get(err.validator_value, ("in the expected form", ""))
            slug = re.sub(r"[^A-Za-z0-9_-]+", "-", str(value)).strip("-").lower() or "intro"
            self.add(path, f"'{_short(value)}' is not {what}", hint.format(slug=slug))
        elif check == "minItems":
            least = {"sections": "one section", "header": "one column"}.get(
                str(path[-1]) if path else "")
            self.add(path, f"needs at least {least}" if least else "must not be empty")
        elif check == "const":
            self.add(path, f"must be {json.dumps(err.validator_value)}, not {_words(value)}")
        elif check in ("exclusiveMinimum", "minimum"):
            self.add(path, f"must be more than {err.validator_value}, not {value}")
        elif check in ("maximum", "exclusiveMaximum"):
            self.add(path, f"must be at most {err.validator_value}, not {value}")
        else:
            self.add(path, "is not allowed here")

    def colon_text(self, value: Any, schema: Any, path: NodePath) -> bool:
        """`- Danger: act now` is a one-key mapping to YAML; say so once, not as two errors."""
        types = schema.get("type", []) if isinstance(schema, dict) else []
        if not (isinstance(value, dict) and len(value) == 1 and "string" in types):
            return False
        [(key, inner)] = value.items()
        if key in schema.get("properties", {}) or isinstance(inner, (dict, list)):
            return False
        shown = self.doc.implicit.get((*path, key), "" if inner is None else str(inner))
        self.handled.add(path)
        self.add(path, "is read as a mapping, because of the ': ' in it",
                 f'put the whole text in quotes: "{_short(f"{key}: {shown}", 50)}"',
                 "or, for per-audience text, add the default: {default: ..., "
                 f"{key}: ...}}" if schema is _DEFS["text"] and _AUDIENCE_NAME.fullmatch(str(key))
                 else "")
        return True

    def wrong_type(self, err: ValidationError, path: NodePath) -> None:
        value, expected = err.instance, err.validator_value
        expected = [expected] if isinstance(expected, str) else list(expected)
        source = self.doc.implicit.get(path)
        if err.schema is _DEFS["length"] and isinstance(value, (int, float)):
            self.add(path, f"{source or value} has no unit", _PATTERNS[err.schema["pattern"]][1])
        elif "string" in expected and source is not None:
            if source == "":
                colour = err.schema is _DEFS["color"]
                self.add(path, "has no value", 'a "#" starts a comment in YAML, so put colours '
                         'in quotes: "#1d4f91"' if colour else "")
            else:
                self.retyped(path, source, value)
        else:
            if "string" in expected and "number" in expected:
                expected.remove("number")
            if err.schema is _DEFS["text"]:  # variants are for those who know them
                expected = ["string"]
            wanted = " or ".join(_TYPE_WORDS.get(name, name) for name in expected)
            self.add(path, f"must be {wanted}, not {_words(value)}")

    def retyped(self, path: NodePath, source: str, value: Any) -> None:
        said = "null (no value)" if value is None else _words(value)
        key = f"{path[-1]}: " if path and isinstance(path[-1], str) else ""
        self.add(path, f"YAML reads {source} as {said}", f'quote it: {key}"{source}"')

    def bad_choice(self, value: Any, path: NodePath, choices: list[Any], schema: Any) -> None:
        what = "callout kind" if schema is _DEFS["calloutBody"]["properties"]["kind"] else "value"
        if not isinstance(value, str):
            self.add(path, "must be one of: " + ", ".join(map(str, choices)))
            return
        same = [c for c in choices if c.lower() == value.lower()]
        hint = f"did you mean '{same[0]}'?" if same else did_you_mean(value, choices)
        self.add(path, f"unknown {what} '{value}'", hint or "use one of: " + ", ".join(choices))

    def block(self, value: Any, path: NodePath, callouts: bool) -> None:
        allowed = [kind for kind in BLOCK_TYPES if callouts or kind != "callout"]
        kinds = ", ".join(allowed)
        if not isinstance(value, dict) or not value:
            hint = "write a page break as: - page-break: true" if value == "page-break" else \
                "write text as: - paragraph: Your text" if isinstance(value, str) else ""
            self.add(path, f"must be a block ({kinds}), not {_words(value) if value else 'empty'}",
                     hint)
            return
        types = [key for key in value if key in BLOCK_TYPES]
        if len(types) > 1:
            self.add(path, "has more than one block type: " + ", ".join(types),
                     "give each block its own '- ' item", pos=self.doc.key_pos((*path, types[1])))
        elif not types:
            key = next(iter(value))
            owner = [kind for kind in allowed if set(value) <=
                     set(_DEFS.get(BLOCK_TYPES[kind] + "Body", {}).get("properties", {}))]
            hint = did_you_mean(key, list(BLOCK_TYPES)) or (
                f"these keys belong under '{owner[0]}:'" if owner else "block types: " + kinds)
            self.add(path, f"unknown block type '{key}'", hint, pos=self.doc.key_pos((*path, key)))
        elif types[0] == "callout" and not callouts:
            self.add(path, "a callout cannot hold another callout",
                     pos=self.doc.key_pos((*path, "callout")))
        else:
            self.run(BLOCK_TYPES[types[0]], value, path)

    def tables(self) -> None:
        for body, path in _tables(self.doc.data, ()):
            header, rows, widths = body.get("header"), body.get("rows"), body.get("widths")
            if not isinstance(header, list) or not header:
                continue
            for index, row in enumerate(rows if isinstance(rows, list) else []):
                if isinstance(row, list) and len(row) != len(header):
                    cells = "cell" if len(row) == 1 else "cells"
                    self.add((*path, "rows", index),
                             f"has {len(row)} {cells}, expected {len(header)}")
            if isinstance(widths, list) and len(widths) != len(header):
                self.add((*path, "widths"), f"has {len(widths)} widths, expected {len(header)} "
                         "(one a column)")


def _tables(node: Any, path: NodePath) -> Iterator[tuple[dict[str, Any], NodePath]]:
    if isinstance(node, dict):
        for key, value in node.items():
            here = (*path, key)
            if key == "table" and isinstance(value, dict) and len(path) >= 2 \
                    and path[-2] == "blocks":
                yield value, here
            else:
                yield from _tables(value, here)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _tables(value, (*path, index))


FILE_KINDS = ("outline", "section", "style", "glossaryFile", "bibliographyFile")


def validate_document(doc: Document, kind: str) -> list[Diagnostic]:
    """Every problem in one file; `kind` is "outline", "section" or "style"."""
    if kind not in FILE_KINDS:
        raise ValueError(f"unknown kind of file: {kind!r}")
    checker = _Checker(doc, kind)
    checker.run(kind, doc.data, ())
    if kind in ("outline", "section"):
        checker.tables()
        check_questions(doc, checker.add)
    return sorted(checker.found.values(), key=_order({doc.display: 0}))


def _order(files: dict[str, int]) -> Any:
    def key(diagnostic: Diagnostic) -> tuple[int, int, int]:
        pos = diagnostic.pos
        if pos is None:
            return (len(files) + 1, 0, 0)
        return (files.get(pos.file, len(files)), pos.line, pos.column)

    return key


def validate_project(project: Project) -> list[Diagnostic]:
    """Every problem in a loaded project: each file alone, then across files (ids, includes)."""
    found: list[Diagnostic] = []
    for doc in project.documents.values():
        kind = "outline" if doc is project.outline else project.kinds.get(doc.path, "section")
        found.extend(validate_document(doc, kind))
    ids: dict[str, Pos] = {}
    included: dict[Path, Pos] = {}

    def walk(doc: Document, section: Any, path: NodePath, is_section: bool) -> None:
        if not isinstance(section, dict):
            return
        ident = section.get("id")
        if is_section and isinstance(ident, str):
            where = doc.pos((*path, "id"))
            if ident in ids:
                found.append(error(f"duplicate section id '{ident}' (first defined at "
                                   f"{ids[ident]})", where, "section ids must be unique"))
            else:
                ids[ident] = where
        children = section.get("sections")
        for index, item in enumerate(children if isinstance(children, list) else []):
            here = (*path, "sections", index)
            target = project.includes.get((doc.path, here))
            if target is None:
                if not (isinstance(item, dict) and "include" in item):
                    walk(doc, item, here, True)
                continue
            where = doc.pos((*here, "include"))
            if target in included:
                found.append(error(f"'{item['include']}' is included twice (first at "
                                   f"{included[target]})", where,
                                   "a section file can appear once in a guide"))
                continue
            included[target] = where
            walk(project.documents[target], project.documents[target].data, (), True)

    walk(project.outline, project.outline.data, (), False)
    kinds = {doc.path: "outline" if doc is project.outline else
             project.kinds.get(doc.path, "section") for doc in project.documents.values()}
    checkers = [_Checker(doc, kinds[doc.path]) for doc in project.documents.values()
                if kinds[doc.path] in ("outline", "section")]
    check_objectives([(c.doc, c.add) for c in checkers])
    found.extend(check_audience_names(project))
    found.extend(d for c in checkers for d in c.found.values())
    order = {doc.display: index for index, doc in enumerate(project.documents.values())}
    return sorted(found, key=_order(order))
