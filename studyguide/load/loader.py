"""Load stage: read YAML files into plain data that remembers where every node came from."""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from ..model.diagnostics import (
    Diagnostic,
    GuideError,
    LineIndex,
    did_you_mean,
    error,
    line_col,
    shown_path,
    warning,
)
from ..model.document import Pos
from .yaml_errors import BREAKS, TOO_DEEP, syntax_error

NodePath = tuple[str | int, ...]

MAX_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 200
MAX_NODES = 1_000_000
_DEEP_MESSAGE = f"nesting is too deep (more than {MAX_DEPTH} levels)"
_DEEP_HINT = "lists and mappings this deep are a mistake"

# Events, not yaml.compose: libyaml's event parser is iterative (50,000 nested
# brackets are fine) while its composer recurses in C and kills the process.
# Building from events also counts depth exactly (a scan of the raw text can be
# fooled by brackets inside quotes) and is several times faster than the C
# composer, which calls back into Python to resolve every scalar.
_PARSER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TAG = "tag:yaml.org,2002:"
_RESOLVERS = Resolver.yaml_implicit_resolvers
_CONSTRUCTOR = SafeConstructor()
_NOT_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
# Characters that YAML lets through in text but that must not reach the page.
# Controls (other than the tab, line and page breaks, which print as spaces)
# come from escapes such as "\a" or "\x1b" in double-quoted text; no font
# draws them. Bidi overrides and isolates (U+202A-U+202E, U+2066-U+2069)
# reorder the text around them, so a line can print differently from how it
# reads in the file.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_UNWANTED = re.compile(f"{_CONTROL.pattern}|{_BIDI.pattern}")
_EMPTY = {
    "outline": "an outline needs at least 'title' and 'sections'",
    "section": "a section file needs at least 'id' and 'title'",
    "style": "a style sheet holds keys such as 'extends', 'page' and 'text'",
    "glossaryFile": "a glossary file holds 'terms:', a list of entries",
    "bibliographyFile": "a CSL-YAML file holds 'references:', a list of works",
    None: "it should hold 'key: value' lines (an outline needs at least 'title' and 'sections')",
}


@dataclass(frozen=True)
class Document:
    """One loaded YAML file: its data and the position of every node in it."""

    path: Path
    display: str
    data: Any
    positions: Mapping[NodePath, Pos]
    key_positions: Mapping[NodePath, Pos]
    implicit: Mapping[NodePath, str]
    # Text scalars written plain on one line: their text stands in the file as
    # it is, so an offset into it is a column offset (for precise messages).
    verbatim: frozenset[NodePath] = frozenset()
    # Characters in text that never print (controls, bidi overrides): warnings.
    warnings: tuple[Diagnostic, ...] = ()

    def pos(self, path: NodePath) -> Pos:
        for end in range(len(path), -1, -1):
            found = self.positions.get(path[:end])
            if found is not None:
                return found
        return Pos(self.display, 1, 1)

    def key_pos(self, path: NodePath) -> Pos:
        return self.key_positions.get(path) or self.pos(path)


class _Stop(Exception):
    pass


_NO_KEY, _MERGE = object(), object()


class _Frame:
    __slots__ = ("anchor", "container", "key", "merges", "path", "seen", "start")

    def __init__(self, container: Any, path: NodePath, anchor: str | None, start: int) -> None:
        self.container, self.path, self.anchor, self.start = container, path, anchor, start
        self.key: Any = _NO_KEY
        self.seen: dict[str, int] = {}
        self.merges: list[tuple[Any, Pos]] = []


class _Builder:
    """Turns a YAML event stream into data, positions and the source of retyped scalars."""

    def __init__(self, display: str) -> None:
        self.display = display
        self.positions: dict[NodePath, Pos] = {}
        self.key_positions: dict[NodePath, Pos] = {}
        self.implicit: dict[NodePath, str] = {}
        self.verbatim: set[NodePath] = set()
        self.warnings: list[Diagnostic] = []
        self.lines: LineIndex | None = None
        self.text = ""
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.problems: list[Diagnostic] = []
        self.stack: list[_Frame] = []
        self.count, self.root = 0, _NO_KEY

    def at(self, mark: Any) -> Pos:
        return Pos(self.display, mark.line + 1, mark.column + 1)

    def note(self, message: str, mark: Any, *hints: str) -> None:
        self.problems.append(error(message, mark if isinstance(mark, Pos) else self.at(mark),
                                   *hints))

    def stop(self, message: str, mark: Any, *hints: str) -> _Stop:
        self.note(message, mark, *hints)
        return _Stop()

    def build(self, text: str) -> Any:
        parser, documents = _PARSER(text), 0
        self.text = text
        handlers = {yaml.ScalarEvent: self.scalar, yaml.AliasEvent: self.alias,
                    yaml.MappingStartEvent: self.start, yaml.SequenceStartEvent: self.start,
                    yaml.MappingEndEvent: self.end, yaml.SequenceEndEvent: self.end}
        try:
            while True:
                event = parser.get_event()
                handler = handlers.get(type(event))
                if handler is not None:
                    handler(event)
                elif isinstance(event, yaml.DocumentStartEvent):
                    documents += 1
                    if documents > 1:
                        raise self.stop(
                            "a file holds one YAML document, but a second one starts here",
                            event.start_mark,
                            "remove this '---' line, or move what follows into a file of its own")
                elif isinstance(event, yaml.StreamEndEvent):
                    break
        except yaml.MarkedYAMLError as exc:
            if TOO_DEEP in (exc.problem or "") and exc.problem_mark is not None:
                syntax = self.too_deep(text, exc.problem_mark)
            else:
                syntax = syntax_error(exc.problem or "", exc.context or "", exc.problem_mark,
                                      exc.context_mark, text, self.display)
            # A problem found on the line of a syntax error is that error seen half-way.
            line = syntax.pos.line if syntax.pos else 0
            self.problems = [p for p in self.problems if p.pos and p.pos.line < line] + [syntax]
        except _Stop:
            pass
        except yaml.YAMLError as exc:  # unmarked: not expected after _read_yaml_text's checks
            self.note(f"YAML cannot read this file: {exc}", Pos(self.display, 1, 1))
        finally:
            parser.dispose()
        if self.problems:
            raise GuideError(self.problems)
        return self.root

    def too_deep(self, text: str, mark: Any) -> Diagnostic:
        """Our nesting error where libyaml stopped at its own limit first.

        libyaml (from PyYAML 6.0.4) refuses 1,000 levels, and it scans up to
        1,024 characters ahead of the events it hands over, so a long line of
        brackets reaches its limit before our count reaches ours. Read the text
        again up to where libyaml stopped: the events then come before its
        limit, and our count stops at the level where the nesting went too deep.
        """
        again = _Builder(self.display)
        try:
            again.build(text[: mark.index])
        except GuideError as exc:
            found = [d for d in exc.diagnostics if d.message == _DEEP_MESSAGE]
            if found:
                return found[0]
        return error(_DEEP_MESSAGE, self.at(mark), _DEEP_HINT)

    def place(self, value: Any, mark: Any, size: int) -> NodePath:
        """Attach a node to its parent and return the node's path."""
        self.count += size
        if self.count > MAX_NODES:
            raise self.stop(f"the file holds more than {MAX_NODES:,} values", mark,
                            "aliases (*name) repeat everything their anchor holds; use fewer")
        path: NodePath = ()
        if not self.stack:
            self.root = value
        elif isinstance((frame := self.stack[-1]).container, list):
            path = (*frame.path, len(frame.container))
            frame.container.append(value)
        elif frame.key is _NO_KEY:
            raise self.stop("a key must be text, not a list or mapping", mark,
                            "write keys as plain words, like 'title:'")
        else:
            path = (*frame.path, "<<" if frame.key is _MERGE else frame.key)
            if frame.key is _MERGE:
                frame.merges.append((value, self.at(mark)))
            else:
                frame.container[frame.key] = value
            frame.key = _NO_KEY
        self.positions[path] = self.at(mark)
        return path

    def scalar(self, event: Any) -> None:
        plain = not event.style
        frame = self.stack[-1] if self.stack else None
        if frame is not None and isinstance(frame.container, dict) and frame.key is _NO_KEY:
            # Keys stay text even where YAML would retype them (`no:`, `1:`): every
            # key we know is a word, and text keys keep node paths unambiguous.
            if event.tag not in (None, "!", _TAG + "str"):
                self.construct(event.tag, event)
            name, here = event.value, self.at(event.start_mark)
            if plain and event.tag is None and name == "<<":
                frame.key = _MERGE
                return
            if name in frame.seen:
                self.note(f"duplicate key '{name}' (first at line {frame.seen[name]})", here,
                          "each key may appear once in a mapping; remove or rename one of them")
            frame.seen.setdefault(name, here.line)
            frame.key, key_path = name, (*frame.path, name)
            self.key_positions[key_path] = here
            return
        tag = _resolve(event.value) if event.tag is None and plain else event.tag
        value = self.construct(tag, event)
        if isinstance(value, str) and _UNWANTED.search(value):
            self.check_text(value, event)
        path = self.place(value, event.start_mark, 1)
        if event.tag is None and plain and tag[len(_TAG):] in ("null", "bool", "int", "float"):
            self.implicit[path] = event.value
        elif plain and event.start_mark.line == event.end_mark.line:
            self.verbatim.add(path)
        if event.anchor:
            self.anchors[event.anchor] = (value, 1)

    def check_text(self, value: str, event: Any) -> None:
        """A warning at the first of each control or bidi character in a text value.

        The data keeps them (the loader returns what the file says); the page
        never shows them, since inline_markup.clean_text drops them on the way
        to the PDF. The warning says so, at the character's place.
        """
        for char in dict.fromkeys(_UNWANTED.findall(value)):
            code = f"U+{ord(char):04X}"
            if _BIDI.match(char):
                message = (f"the bidirectional control {code} ({unicodedata.name(char)}) "
                           "can make text print in another order than it is written; it is "
                           "left out of the PDF")
                hint = "delete it; right-to-left words need no control characters"
            else:
                message = (f"the control character {code} cannot be printed; it is left out "
                           "of the PDF")
                hint = "delete it (an escape such as \\a or \\x1b in double quotes makes one)"
            self.warnings.append(warning(message, self.where(char, event), hint))

    def where(self, char: str, event: Any) -> Pos:
        """Where `char` first stands in a scalar's source; the scalar's start when the
        file holds it as an escape rather than as itself."""
        offset = self.text.find(char, event.start_mark.index, event.end_mark.index)
        if offset < 0:
            return self.at(event.start_mark)
        if self.lines is None:
            self.lines = LineIndex(self.text, BREAKS)
        return Pos(self.display, *self.lines.line_col(offset))

    def construct(self, tag: str | None, event: Any) -> Any:
        kind = tag[len(_TAG):] if tag and tag.startswith(_TAG) else tag
        value = getattr(event, "value", "")
        try:
            if kind == "null":
                return None
            if kind == "bool":
                return SafeConstructor.bool_values[value.lower()]
            if kind in ("int", "float"):
                node = yaml.ScalarNode(str(tag), value)
                return getattr(_CONSTRUCTOR, f"construct_yaml_{kind}")(node)
        except (KeyError, ValueError):
            self.note(f"'{value}' is not a valid {kind}", event.start_mark, "remove the tag")
        if kind not in (None, "!", "str", "timestamp", "value", "merge", "map", "seq", "int",
                        "float", "bool"):
            shown = "!!" + kind if tag and tag.startswith(_TAG) else tag
            self.note(f"the tag '{shown}' is not allowed: files are loaded safely, so they "
                      "cannot create Python objects" if "python/" in str(tag) else
                      f"the tag '{shown}' is not supported; files hold only text, numbers, "
                      "true/false, lists and mappings", event.start_mark,
                      "remove the tag; text that starts with '!' must be in quotes")
        return value

    def start(self, event: Any) -> None:
        if event.tag not in (None, "!"):
            self.construct(event.tag, event)
        if len(self.stack) >= MAX_DEPTH:
            raise self.stop(_DEEP_MESSAGE, event.start_mark, _DEEP_HINT)
        container: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
        start = self.count
        path = self.place(container, event.start_mark, 1)
        self.stack.append(_Frame(container, path, event.anchor, start))

    def end(self, event: Any) -> None:
        frame = self.stack.pop()
        for merged, where in frame.merges:
            for source in merged if isinstance(merged, list) else [merged]:
                if not isinstance(source, dict):
                    self.note("'<<' can only merge mappings", where)
                    continue
                for name, value in source.items():
                    if name not in frame.container:
                        frame.container[name] = value
                        key_path = (*frame.path, name)
                        self.positions[key_path] = self.key_positions[key_path] = where
        if frame.anchor:
            self.anchors[frame.anchor] = (frame.container, self.count - frame.start)

    def alias(self, event: Any) -> None:
        if event.anchor not in self.anchors:
            self.note(f"'*{event.anchor}' is read as a YAML alias, but there is no anchor "
                      f"'&{event.anchor}' above it", event.start_mark,
                      "text that starts with '*' must be in quotes, e.g. \"*italic* words\"")
            self.place(None, event.start_mark, 1)
            return
        # Aliases share the anchored data instead of copying it; counting its
        # size stops a "billion laughs" file before anything walks it.
        value, size = self.anchors[event.anchor]
        self.place(value, event.start_mark, size)


def _resolve(value: str) -> str:
    for tag, regexp in _RESOLVERS.get(value[:1], []) + _RESOLVERS.get(None, []):
        if regexp.match(value):
            return str(tag)
    return _TAG + "str"


def names_in(folder: Path, suffixes: tuple[str, ...] = ("",)) -> list[str]:
    try:
        return sorted(name for name in os.listdir(folder) if name.endswith(suffixes))
    except OSError:
        return []


def missing_file(message: str, target: Path, pos: Pos | None, otherwise: str = "", *,
                 suffixes: tuple[str, ...] = ("",)) -> Diagnostic:
    """An error about a file that is not there, with a "did you mean" hint naming a
    file of a close name beside it (among those ending in `suffixes`), else `otherwise`."""
    hint = did_you_mean(target.name, names_in(target.parent, suffixes)) or otherwise
    return error(message, pos, hint)


_TOO_LARGE_HINT = ("check that this is the file you meant; a long guide is split into "
                   "section files, each named under 'include:'")
_SAVE_AS_UTF8 = "save it with the encoding UTF-8 (most editors offer it under 'Save as')"


def read_text(path: Path, shown: str, *, encoding_hint: str = _SAVE_AS_UTF8) -> str:
    """A file's text without its byte order mark; GuideError if it is missing, not a
    regular file, too large or not UTF-8 (`encoding_hint` says how to fix the last)."""
    def fail(message: str, *hints: str, pos: Pos | None = None) -> GuideError:
        return GuideError([error(message, pos, *hints)])

    def too_large(size: int) -> GuideError:
        return fail(f"the file is too large ({size / 2**20:.1f} MB; the limit is "
                    f"{MAX_BYTES // 2**20} MB)", _TOO_LARGE_HINT, pos=Pos(shown, 1, 1))

    try:
        info = os.stat(path)  # before open(): opening a FIFO would block
        if stat.S_ISDIR(info.st_mode):
            names = names_in(path, (".yaml", ".yml"))[:3]
            raise fail(f"cannot read '{shown}': it is a folder, not a file",
                       "give a file in it, such as " + ", ".join(names) if names else "")
        if not stat.S_ISREG(info.st_mode):
            raise fail(f"cannot read '{shown}': it is not a regular file (a pipe or a device)",
                       "give the path of a file saved on disk")
        if info.st_size > MAX_BYTES:  # refused by its size, before reading any of it
            raise too_large(info.st_size)
        with open(path, "rb") as stream:
            raw = stream.read(MAX_BYTES + 1)  # a file may grow after the stat
    except (FileNotFoundError, NotADirectoryError):
        raise GuideError([missing_file(f"cannot read '{shown}': no such file", path, None)]
                         ) from None
    except OSError as exc:
        raise fail(f"cannot read '{shown}': {exc.strerror or exc}") from None
    if len(raw) > MAX_BYTES:
        raise too_large(len(raw))
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].decode("utf-8", "replace")
        utf16 = raw[:2] in (b"\xff\xfe", b"\xfe\xff")
        raise fail("the file is UTF-16, not UTF-8" if utf16 else
                   f"the file is not UTF-8: byte 0x{raw[exc.start]:02x} cannot be read",
                   encoding_hint, pos=Pos(shown, *line_col(before, len(before)))) from None


def _read_yaml_text(path: Path, shown: str) -> str:
    text = read_text(path, shown)
    bad = _NOT_PRINTABLE.search(text)
    if bad:
        raise GuideError([error(
            f"the file contains the control character U+{ord(bad.group()):04X}, "
            "which YAML does not allow", Pos(shown, *line_col(text, bad.start(), BREAKS)),
            "delete it; it often comes with text copied from a PDF or word processor")])
    return text


def load_document(path: Path, *, display: str | None = None, kind: str | None = None) -> Document:
    """Load one YAML file; raises GuideError with positioned diagnostics.

    `kind` ("outline", "section" or "style") only words the empty-file error. Each call
    reads the file afresh and gives a Document of its own.
    """
    path = Path(path)
    shown = display or shown_path(Path(os.path.abspath(path)))
    text = _read_yaml_text(path, shown)
    builder = _Builder(shown)
    data = builder.build(text)
    top = Pos(shown, 1, 1)
    if data is _NO_KEY or (data is None and builder.implicit.get(()) == ""):
        raise GuideError([error(f"the file is empty; {_EMPTY.get(kind, _EMPTY[None])}", top)])
    if not isinstance(data, dict):
        what = {list: "a list", str: "text", type(None): "empty"}.get(type(data), "a value")
        raise GuideError([error(f"the top level must be a mapping (key: value lines), not {what}",
                                builder.positions.get((), top))])
    return Document(path.resolve(), shown, data, builder.positions, builder.key_positions,
                    builder.implicit, frozenset(builder.verbatim), tuple(builder.warnings))
