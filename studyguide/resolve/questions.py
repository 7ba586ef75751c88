"""The study-aid passes: number review questions, and place the answer key or objectives map."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace

from ..model.diagnostics import Diagnostic, warning
from ..model.document import (
    AnswerKey,
    Block,
    Guide,
    Inline,
    Objective,
    ObjectiveMap,
    Objectives,
    Question,
    Questions,
    Section,
    Text,
)
from ..model.traverse import iter_blocks, map_blocks, unique_section_id

ANSWER_KEY_TITLE = "Answer key"
OBJECTIVE_MAP_TITLE = "Objectives and questions"


def shuffled(count: int, seed: str) -> tuple[int, ...]:
    """A fixed shuffle of range(count) that moves at least one item (when it can)."""
    order = list(range(count))
    random.Random(seed).shuffle(order)  # a str seed is stable across runs and platforms
    if count > 1 and order == sorted(order):
        order = order[1:] + order[:1]  # an unshuffled column would give the answers away
    return tuple(order)


def questions_pass(guide: Guide) -> tuple[Guide, list[Diagnostic]]:
    """Number questions across the guide, shuffle matching columns, warn of untested objectives."""
    count = 0

    def number(block: Block) -> Block:
        nonlocal count
        if not isinstance(block, Questions):
            return block
        items = []
        for question in block.items:
            count += 1
            order = shuffled(len(question.pairs), f"{count}:{question.prompt.source}")
            items.append(replace(question, number=count, shuffled=order))
        return replace(block, items=tuple(items))

    guide = replace(guide, sections=_map_sections(guide.sections, number))
    tested = {ref for q in _questions(guide) for ref in q.objectives}
    problems = [
        warning(f"objective '{o.id}' is not tested by any question", o.pos,
                f"name it under a question's objectives: [{o.id}]")
        for o in _objectives(guide) if o.id not in tested
    ]
    return guide, problems


def back_matter_pass(guide: Guide) -> tuple[Guide, list[Diagnostic]]:
    """Place the answer key (student edition) or the objectives map (instructor edition),
    and name the edition for the title page and footers."""
    guide = replace(guide, edition_label=edition_label(guide))
    questions = tuple(_questions(guide))
    if not questions:
        return guide, []
    pos = questions[0].pos
    block: Block
    if guide.edition == "instructor":
        mapping = tuple(
            (o, tuple(q.number for q in questions if o.id in q.objectives))
            for o in _objectives(guide)
        )
        if not mapping:
            return guide, []
        block, title, base = ObjectiveMap(mapping, pos), OBJECTIVE_MAP_TITLE, "objectives-map"
    elif guide.answer_key and guide.edition == "student":  # a worksheet has no key
        block, title, base = AnswerKey(questions, pos), ANSWER_KEY_TITLE, "answer-key"
    else:
        return guide, []
    section = Section(
        id=unique_section_id(guide, base),
        title=Inline(title, pos, spans=(Text(title),)),
        blocks=(block,),
        pos=pos,
        unnumbered=True,
        # A key on the page of the questions gives the answers away.
        new_page=isinstance(block, AnswerKey),
    )
    # Before the glossary and references: study material first, then look-up matter.
    body = [s for s in guide.sections if not s.unnumbered]
    back = [s for s in guide.sections if s.unnumbered]
    return replace(guide, sections=(*body, section, *back)), []


def _map_sections(sections: tuple[Section, ...],
                  fn: Callable[[Block], Block]) -> tuple[Section, ...]:
    return tuple(
        replace(s, blocks=map_blocks(s.blocks, fn),
                sections=_map_sections(s.sections, fn))
        for s in sections
    )


def _questions(guide: Guide) -> list[Question]:
    return [q for b in iter_blocks(guide.sections) if isinstance(b, Questions) for q in b.items]


def _objectives(guide: Guide) -> list[Objective]:
    return [o for b in iter_blocks(guide.sections) if isinstance(b, Objectives) for o in b.items]


def edition_label(guide: Guide) -> str:
    """"Student edition" or "Instructor edition"; "" for a guide without questions,
    whose editions are the same."""
    if guide.edition == "worksheet":
        return "Worksheet"
    return f"{guide.edition.capitalize()} edition" if _questions(guide) else ""
