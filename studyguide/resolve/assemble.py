"""The includes pass: validated YAML documents become model objects in one tree."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..load.loader import Document
from ..load.project import Project
from ..model.document import (
    DEFAULT_EDITIONS,
    QUESTION_KINDS,
    Audience,
    Bibliography,
    Block,
    Callout,
    Figure,
    Glossary,
    GlossaryEntry,
    Guide,
    Inline,
    ListBlock,
    ListItem,
    Meta,
    Objective,
    Objectives,
    PageBreak,
    Paragraph,
    Question,
    Questions,
    Reference,
    Scoped,
    Section,
    Step,
    Steps,
    Table,
    Takeaways,
)
from ..model.traverse import map_block_inlines, map_blocks

NodePath = tuple[str | int, ...]


class _Reader:
    """Reads one validated document; every value comes with its position."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc

    def inline(self, path: NodePath, value: Any) -> Inline:
        if isinstance(value, dict):  # per-audience variants; validation saw to `default`
            variants = tuple((str(k), self.inline((*path, k), v))
                             for k, v in value.items() if k != "default")
            return replace(self.inline((*path, "default"), value.get("default")),
                           variants=variants)
        # A plain scalar such as 12 or 3.5 is text as written, not str(12.0).
        source = self.doc.implicit.get(path)
        if source is None:
            source = "" if value is None else str(value)
        return Inline(source, self.doc.pos(path), verbatim=path in self.doc.verbatim)

    def optional_inline(self, path: NodePath, mapping: dict[str, Any], key: str) -> Inline | None:
        if mapping.get(key) is None:
            return None
        return self.inline((*path, key), mapping[key])


def assemble(project: Project) -> Guide:
    """The Guide that the outline describes, with every include spliced in."""
    outline = project.outline
    data = outline.data
    reader = _Reader(outline)
    authors = data.get("author", ())
    meta = Meta(
        title=reader.inline(("title",), data["title"]),
        pos=outline.pos(()),
        subtitle=reader.optional_inline((), data, "subtitle"),
        authors=(authors,) if isinstance(authors, str) else tuple(str(a) for a in authors),
        date=_text(outline, ("date",), data.get("date")),
        version=_text(outline, ("version",), data.get("version")),
        lang=str(data.get("lang", "en")),
        subject=_text(outline, ("subject",), data.get("subject")),
        keywords=tuple(str(k) for k in data.get("keywords", ())),
    )
    sections = _sections(project, outline, ("sections",), level=1)
    return Guide(
        meta=meta,
        sections=sections,
        outline=outline.path,
        root=project.root,
        style=str(data.get("style", "default")),
        toc=bool(data.get("toc", True)),
        title_page=bool(data.get("title-page", True)),
        cornell=bool(data.get("cornell-pages", False)),
        bibliography=_bibliography(project),
        glossary=_glossary(project),
        edition=str(data.get("edition", "student")),
        audience=data.get("audience"),
        answer_key=bool(data.get("answer-key", True)),
        style_pos=outline.positions.get(("style",)),
        audiences=_audiences(outline),
        disclaimer=_Reader(outline).optional_inline((), data, "disclaimer"),
    )


def _audiences(outline: Document) -> tuple[Audience, ...]:
    reader = _Reader(outline)
    audiences: list[Audience] = []
    for index, item in enumerate(outline.data.get("audiences") or ()):
        path = ("audiences", index)
        grade = item.get("reading-grade")
        audiences.append(Audience(
            name=str(item["name"]),
            pos=outline.pos((*path, "name")),
            title=reader.optional_inline(path, item, "title"),
            subtitle=reader.optional_inline(path, item, "subtitle"),
            style=item.get("style"),
            style_pos=outline.positions.get((*path, "style")),
            reading_grade=float(grade) if grade is not None else None,
            disclaimer=reader.optional_inline(path, item, "disclaimer"),
            tags=tuple(str(t) for t in item.get("tags") or ()),
            editions=tuple(str(e) for e in item.get("editions") or DEFAULT_EDITIONS),
            toc=item.get("toc"),
            title_page=item.get("title-page"),
            csl=item.get("csl"),
            csl_pos=outline.positions.get((*path, "csl")),
        ))
    return tuple(audiences)


def _bibliography(project: Project) -> Bibliography:
    outline = project.outline
    data = outline.data
    files = tuple(
        (path, outline.pos(node_path))
        for node_path, path in project.data_files.items()
        if node_path[0] == "bibliography"
    )
    inline = _references(outline, ("references",), data.get("references"))
    read = tuple((path, _references(project.documents[path], ("references",),
                                    project.documents[path].data.get("references")))
                 for path, _pos in files if path in project.documents)
    style_key = "csl" if "csl" in data else "citation-style"
    nocite = data.get("nocite") or []
    keys = [nocite] if isinstance(nocite, str) else nocite
    return Bibliography(
        files=files,
        read=read,
        inline=inline,
        style=str(data.get(style_key, "apa")),
        style_pos=outline.positions.get((style_key,)),
        nocite=tuple(str(k).lstrip("@") for k in keys),
        title=str(data.get("reference-section-title", "References")),
    )


def _references(doc: Document, path: NodePath, items: Any) -> tuple[Reference, ...]:
    """The works listed at `path` of `doc`, each as written and where it is."""
    return tuple(Reference(str(item["id"]), dict(item), doc.pos((*path, index)))
                 for index, item in enumerate(items if isinstance(items, list) else [])
                 if isinstance(item, dict))


def _glossary(project: Project) -> Glossary:
    outline = project.outline
    data = outline.data
    source = project.data_files.get(("glossary",))
    if source is not None and source in project.documents:
        doc, path = project.documents[source], ("terms",)
    else:
        doc, path = outline, ("glossary",)
    items = _get(doc.data, path[:-1]).get(path[-1]) if isinstance(doc.data, dict) else None
    reader = _Reader(doc)
    entries = tuple(
        GlossaryEntry(
            id=entry_id(str(item["term"])),
            term=str(item["term"]),
            definition=reader.inline((*path, index, "definition"), item["definition"]),
            pos=doc.pos((*path, index)),
            abbreviation=item.get("abbreviation"),
            aliases=tuple(str(a) for a in item.get("aliases") or ()),
            see_also=tuple(str(a) for a in item.get("see-also") or ()),
        )
        for index, item in enumerate(items if isinstance(items, list) else [])
    )
    return Glossary(
        entries=entries,
        title=str(data.get("glossary-title", "Glossary")),
        only_used=bool(data.get("glossary-only-used", False)),
        expand_abbreviations=bool(data.get("expand-abbreviations", False)),
    )


def entry_id(term: str) -> str:
    """A glossary entry's id and link target: "Locus coeruleus" -> locus-coeruleus."""
    return "-".join(re.findall(r"\w+", term.casefold())) or "term"


def _text(doc: Document, path: NodePath, value: Any) -> str | None:
    if value is None:
        return None
    return doc.implicit.get(path, str(value))


def _sections(project: Project, doc: Document, path: NodePath, level: int) -> tuple[Section, ...]:
    entries = _get(doc.data, path[:-1]).get(path[-1]) or []
    sections: list[Section] = []
    for index, entry in enumerate(entries):
        entry_path = (*path, index)
        if "include" in entry:
            included = project.documents[project.includes[(doc.path, entry_path)]]
            sections.append(_section(project, included, (), level))
        else:
            sections.append(_section(project, doc, entry_path, level))
    return tuple(sections)


def _section(project: Project, doc: Document, path: NodePath, level: int) -> Section:
    data = _get(doc.data, path)
    reader = _Reader(doc)
    blocks = _blocks(reader, (*path, "blocks"), data.get("blocks") or [])
    return Section(
        id=str(data["id"]),
        title=reader.inline((*path, "title"), data["title"]),
        blocks=blocks,
        pos=doc.pos(path),
        sections=_sections(project, doc, (*path, "sections"), level + 1),
        level=level,
        audiences=_names(data.get("audiences")),
        exclude_audiences=_names(data.get("exclude-audiences")),
        tags=_names(data.get("tags")),
    )


def _names(values: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in values or ())


def _blocks(reader: _Reader, path: NodePath, items: list[dict[str, Any]]) -> tuple[Block, ...]:
    blocks: list[Block] = []
    for index, item in enumerate(items):
        item_path = (*path, index)
        for kind, (_cls, build) in BLOCK_BUILDERS.items():
            if kind in item:
                block = build(reader, (*item_path, kind), item[kind])
                if item.get("worksheet") is True:
                    block = map_blocks((block,), lambda b: map_block_inlines(b, _worksheet))[0]
                if "audiences" in item or "exclude-audiences" in item:
                    block = Scoped(block, _names(item.get("audiences")),
                                   _names(item.get("exclude-audiences")),
                                   reader.doc.pos(item_path))
                blocks.append(block)
                break
    return tuple(blocks)


def _worksheet(text: Inline) -> Inline:
    variants = tuple((name, _worksheet(v)) for name, v in text.variants)
    return replace(text, worksheet=True, variants=variants)


def _paragraph(reader: _Reader, path: NodePath, value: Any) -> Block:
    return Paragraph(reader.inline(path, value), reader.doc.pos(path))


def _list(ordered: bool) -> Callable[[_Reader, NodePath, Any], Block]:
    def build(reader: _Reader, path: NodePath, value: Any) -> Block:
        return ListBlock(ordered, _items(reader, path, value), reader.doc.pos(path))

    return build


def _items(reader: _Reader, path: NodePath, values: list[Any]) -> tuple[ListItem, ...]:
    items: list[ListItem] = []
    for index, value in enumerate(values):
        item_path = (*path, index)
        if not isinstance(value, dict) or not value.keys() & {"text", "bullets", "numbered"}:
            # text, or its variants for the audiences: `- {default: ..., patient: ...}`
            items.append(ListItem(reader.inline(item_path, value)))
            continue
        children = tuple(
            ListBlock(key == "numbered", _items(reader, (*item_path, key), value[key]),
                      reader.doc.pos((*item_path, key)))
            for key in ("bullets", "numbered")
            if value.get(key)
        )
        items.append(ListItem(reader.inline((*item_path, "text"), value.get("text")), children))
    return tuple(items)


def _callout(reader: _Reader, path: NodePath, value: dict[str, Any]) -> Block:
    blocks: list[Block] = []
    if value.get("text") is not None:
        blocks.append(_paragraph(reader, (*path, "text"), value["text"]))
    blocks.extend(_blocks(reader, (*path, "blocks"), value.get("blocks") or []))
    return Callout(
        kind=str(value["kind"]),
        title=reader.optional_inline(path, value, "title"),
        blocks=tuple(blocks),
        pos=reader.doc.pos(path),
    )


def _table(reader: _Reader, path: NodePath, value: dict[str, Any]) -> Block:
    header = tuple(reader.inline((*path, "header", i), c) for i, c in enumerate(value["header"]))
    rows = tuple(
        tuple(reader.inline((*path, "rows", r, c), cell) for c, cell in enumerate(row))
        for r, row in enumerate(value["rows"])
    )
    widths = value.get("widths")
    return Table(
        caption=reader.inline((*path, "caption"), value["caption"]),
        header=header,
        rows=rows,
        pos=reader.doc.pos(path),
        id=value.get("id"),
        source=reader.optional_inline(path, value, "source"),
        widths=tuple(float(w) for w in widths) if widths else None,
    )


def _figure(reader: _Reader, path: NodePath, value: dict[str, Any]) -> Block:
    image = Path(str(value["image"]))  # a ~ is refused when the project is collected
    if not image.is_absolute():
        image = reader.doc.path.parent / image
    width = value.get("width")
    return Figure(
        image=image,
        caption=reader.inline((*path, "caption"), value["caption"]),
        pos=reader.doc.pos((*path, "image")),
        id=value.get("id"),
        source=reader.optional_inline(path, value, "source"),
        width=float(width) if width is not None else None,
    )


def _page_break(reader: _Reader, path: NodePath, value: Any) -> Block:
    return PageBreak(reader.doc.pos(path))


def _objectives(reader: _Reader, path: NodePath, value: list[dict[str, Any]]) -> Block:
    items = tuple(
        Objective(str(item["id"]), reader.inline((*path, i, "text"), item["text"]),
                  reader.doc.pos((*path, i, "id")))
        for i, item in enumerate(value)
    )
    return Objectives(items, reader.doc.pos(path))


def _takeaways(reader: _Reader, path: NodePath, value: list[Any]) -> Block:
    items = tuple(reader.inline((*path, i), item) for i, item in enumerate(value))
    return Takeaways(items, reader.doc.pos(path))


def _questions(reader: _Reader, path: NodePath, value: list[dict[str, Any]]) -> Block:
    return Questions(tuple(_question(reader, (*path, i), item) for i, item in enumerate(value)),
                     reader.doc.pos(path))


def _question(reader: _Reader, path: NodePath, value: dict[str, Any]) -> Question:
    kind = next(k for k in QUESTION_KINDS if k in value)
    choices = tuple(reader.inline((*path, "choices", i), c)
                    for i, c in enumerate(value.get("choices") or ()))
    answer = value.get("answer")
    answers: tuple[Inline, ...] = ()
    correct: tuple[int, ...] = ()
    if kind == "multiple-choice":
        right = [reader.inline((*path, "answer"), answer)] if not isinstance(answer, list) else [
            reader.inline((*path, "answer", i), a) for i, a in enumerate(answer)]
        wanted = {a.source for a in right}
        correct = tuple(i for i, c in enumerate(choices) if c.source in wanted)
    elif kind == "true-false":
        answers = (Inline("True" if answer else "False", reader.doc.pos((*path, "answer"))),)
    elif answer is not None:
        answers = (reader.inline((*path, "answer"), answer),)
    pairs = tuple(
        (reader.inline((*path, "pairs", i, 0), left), reader.inline((*path, "pairs", i, 1), right))
        for i, (left, right) in enumerate(value.get("pairs") or ())
    )
    return Question(
        kind=kind,
        prompt=reader.inline((*path, kind), value[kind]),
        pos=reader.doc.pos((*path, kind)),
        choices=choices,
        correct=correct,
        answers=answers,
        pairs=pairs,
        explanation=reader.optional_inline(path, value, "explanation"),
        objectives=tuple(str(o) for o in value.get("objectives") or ()),
    )


def _steps(reader: _Reader, path: NodePath, value: list[Any]) -> Block:
    items = []
    for index, item in enumerate(value):
        here = (*path, index)
        if isinstance(item, dict) and item.keys() & {"text", "rationale"}:
            items.append(Step(reader.inline((*here, "text"), item["text"]),
                              reader.optional_inline(here, item, "rationale")))
        else:  # text, or its variants for the audiences: `- {default: ..., patient: ...}`
            items.append(Step(reader.inline(here, item)))
    return Steps(tuple(items), reader.doc.pos(path))


Builder = Callable[[_Reader, NodePath, Any], Block]

# Each block type a file can hold: its key in the file, the model class it becomes,
# and the function that builds one from the validated value.
BLOCK_BUILDERS: dict[str, tuple[type, Builder]] = {
    "paragraph": (Paragraph, _paragraph),
    "bullets": (ListBlock, _list(ordered=False)),
    "numbered": (ListBlock, _list(ordered=True)),
    "callout": (Callout, _callout),
    "table": (Table, _table),
    "figure": (Figure, _figure),
    "page-break": (PageBreak, _page_break),
    "steps": (Steps, _steps),
    "objectives": (Objectives, _objectives),
    "takeaways": (Takeaways, _takeaways),
    "questions": (Questions, _questions),
}


def _get(data: Any, path: NodePath) -> Any:
    for key in path:
        data = data[key]
    return data
