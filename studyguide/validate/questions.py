"""Checks of study aids that the schema cannot say: answers, pairs, blanks, objective ids."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from ..load.loader import Document, NodePath
from ..model.diagnostics import did_you_mean
from ..model.document import QUESTION_KINDS, Pos

Add = Callable[..., None]  # _Checker.add: (path, message, *hints)
BLANK = re.compile(r"_{3,}")
_NEEDS = {"multiple-choice": ("choices", "answer"), "true-false": ("answer",),
          "short-answer": ("answer",), "fill-in": ("answer",), "matching": ("pairs",)}
_ONLY = {"choices": "multiple-choice", "pairs": "matching"}


def study_aids(node: Any, path: NodePath = ()) -> Iterator[tuple[str, list[Any], NodePath]]:
    """Every objectives and questions block's list, with its path, in file order."""
    if isinstance(node, dict):
        for key, value in node.items():
            here = (*path, key)
            if key in ("objectives", "questions") and isinstance(value, list) \
                    and len(path) >= 2 and path[-2] == "blocks":
                yield key, value, here
            else:
                yield from study_aids(value, here)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from study_aids(value, (*path, index))


def _text(doc: Document, path: NodePath, value: Any) -> str:
    """A value as the model reads it: a plain number as written."""
    return doc.implicit.get(path, "" if value is None else str(value))


def check_questions(doc: Document, add: Add) -> None:
    """Each question of the file: one type, the keys its type needs, and a right answer."""
    for kind, items, path in study_aids(doc.data):
        if kind == "questions":
            for index, question in enumerate(items):
                if isinstance(question, dict):
                    _question(doc, question, (*path, index), add)


def _question(doc: Document, question: dict[str, Any], path: NodePath, add: Add) -> None:
    kinds = [k for k in QUESTION_KINDS if k in question]
    if len(kinds) != 1:
        said = "more than one question type: " + ", ".join(kinds) if kinds else \
            "no question type"
        add(path, f"has {said}", "start each question with one of: " + ", ".join(QUESTION_KINDS))
        return
    kind = kinds[0]
    missing = [f"'{key}'" for key in _NEEDS[kind] if key not in question]
    if missing:
        add(path, f"a {kind} question needs " + " and ".join(missing))
    for key, owner in _ONLY.items():
        if key in question and kind != owner:
            add((*path, key), f"'{key}' belongs to {owner} questions only")
    answer = question.get("answer")
    if kind == "multiple-choice" and isinstance(question.get("choices"), list):
        choices = [_text(doc, (*path, "choices", i), c) for i, c in enumerate(question["choices"])]
        answers = [((*path, "answer", i), a) for i, a in enumerate(answer)] \
            if isinstance(answer, list) else [((*path, "answer"), answer)]
        for where, value in answers:
            shown = _text(doc, where, value)
            if value is not None and shown not in choices:
                add(where, f"'{shown}' is not one of the choices",
                    did_you_mean(shown, choices) or "write the answer exactly as its choice")
    elif kind == "true-false" and "answer" in question and not isinstance(answer, bool):
        add((*path, "answer"), "must be true or false", "write it without quotes: answer: true")
    elif kind == "fill-in" and not BLANK.search(_text(doc, (*path, kind), question[kind])):
        add((*path, kind), "has no blank", "mark the blank with three or more underscores: ___")
    elif kind == "matching" and isinstance(question.get("pairs"), list):
        _pairs(doc, question["pairs"], (*path, "pairs"), add)


def _pairs(doc: Document, pairs: list[Any], path: NodePath, add: Add) -> None:
    rights: dict[str, int] = {}
    for index, pair in enumerate(pairs):
        here = (*path, index)
        if not isinstance(pair, list) or len(pair) != 2:
            count = len(pair) if isinstance(pair, list) else 1
            add(here, f"has {count} item{'s' if count != 1 else ''}, expected 2 (left, right)",
                "write a pair as [left, right]")
            continue
        right = _text(doc, (*here, 1), pair[1])
        if right in rights:
            add((*here, 1), f"'{right}' is already the right side of pair {rights[right] + 1}",
                "each right side matches one left side")
        else:
            rights[right] = index


def check_objectives(docs: list[tuple[Document, Add]]) -> None:
    """Across the guide: objective ids are unique, and questions name existing ones."""
    ids: dict[str, Pos] = {}
    for doc, add in docs:
        for kind, items, path in study_aids(doc.data):
            for index, item in enumerate(items if kind == "objectives" else []):
                ident = item.get("id") if isinstance(item, dict) else None
                if not isinstance(ident, str):
                    continue
                here = (*path, index, "id")
                if ident in ids:
                    first = ids[ident]
                    where = f"line {first.line}" if first.file == doc.pos(here).file else first
                    add(here, f"duplicate objective id '{ident}' (first defined at {where})",
                        "objective ids must be unique in the guide")
                else:
                    ids[ident] = doc.pos(here)
    for doc, add in docs:
        for kind, items, path in study_aids(doc.data):
            for index, item in enumerate(items if kind == "questions" else []):
                named = item.get("objectives") if isinstance(item, dict) else None
                for n, ref in enumerate(named if isinstance(named, list) else []):
                    if isinstance(ref, str) and ref not in ids:
                        add((*path, index, "objectives", n), f"unknown objective '{ref}'",
                            did_you_mean(ref, list(ids)) or
                            "name the id of an objective in this guide")
