"""The include walk: an outline and every section file it includes, as one Project."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model.diagnostics import Diagnostic, GuideError, did_you_mean, error, shown_path
from ..model.document import Pos
from .loader import Document, NodePath, load_document, missing_file, names_in


@dataclass(frozen=True)
class Project:
    """An outline with every section file it includes, directly or not."""

    root: Path
    outline: Document
    documents: Mapping[Path, Document]
    includes: Mapping[tuple[Path, NodePath], Path]
    # The kind of every document that is not the outline or a section file:
    # "glossaryFile" or "bibliographyFile" (a CSL-YAML one).
    kinds: Mapping[Path, str] = field(default_factory=dict)
    data_files: Mapping[NodePath, Path] = field(default_factory=dict)  # outline key path -> file


def _include_refs(data: Any, path: NodePath = ()) -> Iterator[tuple[NodePath, str]]:
    """Every `- include: file` under `sections:`, with the node path of its mapping."""
    sections = data.get("sections") if isinstance(data, dict) else None
    for index, item in enumerate(sections if isinstance(sections, list) else []):
        here = (*path, "sections", index)
        if isinstance(item, dict) and isinstance(item.get("include"), str):
            yield here, item["include"]
        elif isinstance(item, dict) and "include" not in item:
            yield from _include_refs(item, here)


def outside_project(subject: str, target: Path, root: Path, where: Pos,
                    hint: str) -> Diagnostic | None:
    """An error if `target` (resolved) is not inside the project folder `root`."""
    if target.is_relative_to(root):
        return None
    return error(f"{subject} is outside the project folder {root}", where, hint)


_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
_RELATIVE = "give a path relative to the folder of {file}, inside the project folder"


def non_local_path(subject: str, name: str, where: Pos, includer: Document,
                    advice: str) -> Diagnostic | None:
    """An error for a path that names no file here: a URL, or one starting with '~'.

    Files are read from the project folder only: a URL would make a build depend on
    the network, and '~' is the home folder of whoever builds (or no folder at all).
    """
    if _URL.match(name):
        return error(f"{subject} is a web address; files are read from the project folder, "
                     "not downloaded", where, advice,
                     _RELATIVE.format(file=includer.display))
    if name.startswith("~"):
        return error(f"{subject} starts with '~'; the home folder is not part of the project",
                     where, _RELATIVE.format(file=includer.display))
    return None


def _missing(name: str, target: Path, where: Pos, includer: Document) -> Diagnostic:
    # Compare stems: a shared folder or ".yaml" would make every name look close.
    stems = {Path(n).stem: n for n in names_in(target.parent, (".yaml", ".yml"))
             if target.parent / n != includer.path}
    # A name that differs only in case first: it works on Windows and macOS, not here.
    same = [n for n in stems.values() if n.casefold() == target.name.casefold()]
    close = difflib.get_close_matches(target.stem, list(stems), n=3, cutoff=0.6)
    prefix = name[: name.rfind("/") + 1]
    hint = (f"did you mean '{prefix + same[0]}'? (file names are case-sensitive)"
            if same else did_you_mean(name, [prefix + stems[stem] for stem in close]))
    forward = name.replace("\\", "/")
    if not hint and forward != name:
        hint = f"separate folders with '/', also on Windows: {forward}"
    hint = hint or f"the path is relative to the folder of {includer.display}"
    return error(f"cannot include '{name}': no such file", where, hint)


def load_project(outline: Path) -> Project:
    """Load an outline and every section file it includes; raises GuideError with all problems."""
    project, problems = collect_project(outline)
    if any(d.severity == "error" for d in problems):
        raise GuideError(problems)
    return project


def project_root(outline: Path) -> Path:
    """The project folder: the one holding `outline/`, or else the outline's own."""
    return outline.parent.parent if outline.parent.name == "outline" else outline.parent


def collect_project(outline: Path) -> tuple[Project, list[Diagnostic]]:
    """Load what can be loaded, and the problems with the rest (bad or missing includes).

    Raises GuideError only when the outline itself cannot be read, so that the
    validator can still report the problems of every file that did load.
    """
    first = load_document(Path(outline), kind="outline")
    root = project_root(first.path)
    documents: dict[Path, Document] = {first.path: first}
    includes: dict[tuple[Path, NodePath], Path] = {}
    problems: list[Diagnostic] = list(first.warnings)  # text that will not print as written
    failed: set[Path] = set()
    stack = [(first, _include_refs(first.data))]  # a stack, not recursion: chains can be long
    while stack:
        current, refs = stack[-1]
        ref = next(refs, None)
        if ref is None:
            stack.pop()
            continue
        node_path, name = ref
        where = current.pos((*node_path, "include"))
        chain = [doc.path for doc, _ in stack]
        elsewhere = non_local_path(f"include '{name}'", name, where, current,
                                    "download the file into the sections/ folder")
        if elsewhere:
            problems.append(elsewhere)
            continue
        try:
            target = (current.path.parent / name).resolve()
        except (OSError, RuntimeError):  # a loop of symbolic links
            problems.append(error(f"cannot include '{name}': its symbolic links loop", where))
            continue
        outside = outside_project(
            f"include '{name}'", target, root, where,
            "section files must be inside the project folder, also after following "
            "symbolic links; move or copy the file into its sections/ folder")
        if outside:
            problems.append(outside)
        elif target in chain:
            names = [doc.display for doc, _ in stack[chain.index(target) :]]
            problems.append(error("include cycle: " + " -> ".join([*names, names[0]]), where,
                                  "a section file cannot include itself, directly or not"))
        elif target in documents:
            includes[(current.path, node_path)] = target
        elif target in failed:
            continue
        elif not target.exists():
            problems.append(_missing(name, target, where, current))
        elif not target.is_file():
            kind = "a folder" if target.is_dir() else "not a regular file"
            problems.append(error(f"cannot include '{name}': it is {kind}", where))
        else:
            try:
                child = load_document(target, kind="section")
            except GuideError as exc:
                problems.extend(exc.diagnostics)
                failed.add(target)
                continue
            includes[(current.path, node_path)] = target
            documents[target] = child
            problems.extend(child.warnings)
            stack.append((child, _include_refs(child.data)))
    kinds: dict[Path, str] = {}
    data_files: dict[NodePath, Path] = {}
    for node_path, name, file_kind in _data_refs(first.data):
        where = first.pos(node_path)
        target = (first.path.parent / name).resolve()
        problem = non_local_path(f"'{name}'", name, where, first,
                                  "download the file into the project folder") or \
            _data_file_problem(name, target, root, where, first)
        if problem:
            problems.append(problem)
            continue
        data_files[node_path] = target
        if file_kind is None:  # not YAML: the citations pass reads it
            continue
        try:
            if target not in documents:
                documents[target] = load_document(target, kind=file_kind)
                problems.extend(documents[target].warnings)
        except GuideError as exc:
            problems.extend(exc.diagnostics)
            continue
        kinds[target] = file_kind
    problems.extend(_image_path_problems(documents.values()))
    return Project(root, first, documents, includes, kinds, data_files), problems


_YAML = (".yaml", ".yml")


def _data_refs(data: Any) -> Iterator[tuple[NodePath, str, str | None]]:
    """The glossary file and the bibliography files an outline names."""
    if not isinstance(data, dict):
        return
    if isinstance(data.get("glossary"), str):
        yield ("glossary",), data["glossary"], "glossaryFile"
    files = data.get("bibliography")
    names = [files] if isinstance(files, str) else files if isinstance(files, list) else []
    for index, name in enumerate(names):
        if isinstance(name, str):
            path: NodePath = ("bibliography",) if isinstance(files, str) else (
                "bibliography", index)
            yield path, name, "bibliographyFile" if name.lower().endswith(_YAML) else None


def _data_file_problem(name: str, target: Path, root: Path, where: Pos,
                       outline: Document) -> Diagnostic | None:
    outside = outside_project(f"'{name}'", target, root, where,
                              "move or copy the file into the project folder")
    if outside:
        return outside
    if not target.exists():
        return missing_file(f"cannot read '{name}': no such file", target, where,
                            f"the path is relative to the folder of {outline.display}")
    if not target.is_file():
        return error(f"cannot read '{name}': it is not a file", where)
    return None


def _figure_images(data: Any, path: NodePath = ()) -> Iterator[tuple[NodePath, str]]:
    """Every `figure: {image: ...}` text in a file's data, with its node path."""
    if isinstance(data, dict):
        figure = data.get("figure")
        if isinstance(figure, dict) and isinstance(figure.get("image"), str):
            yield (*path, "figure", "image"), figure["image"]
        for key, value in data.items():
            if isinstance(value, (dict, list)):
                yield from _figure_images(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            if isinstance(value, (dict, list)):
                yield from _figure_images(value, (*path, index))


def _image_path_problems(documents: Iterable[Document]) -> Iterator[Diagnostic]:
    """Images named by a URL or from '~'; the images pass checks every other path."""
    for doc in documents:
        for node_path, name in _figure_images(doc.data):
            problem = non_local_path(f"image '{name}'", name, doc.pos(node_path), doc,
                                      "download the image into the project, e.g. into "
                                      "sections/images/")
            if problem:
                yield problem


def find_outline(folder: Path | None = None) -> Path:
    """The outline to build when none is named: the one file in outline/."""
    folder = Path.cwd() if folder is None else folder
    candidates = sorted((folder / "outline").glob("*.yaml")) + sorted(
        (folder / "outline").glob("*.yml")
    )
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise GuideError([error(
            f"no outline given and none found in {shown_path(folder / 'outline')}",
            None,
            "name one: make_guide.py build path/to/outline.yaml",
            "or start a project: make_guide.py init DIR",
        )])
    names = ", ".join(shown_path(c) for c in candidates)
    raise GuideError([error(f"several outlines found ({names}); name the one to build")])
