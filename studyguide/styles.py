"""Style sheets: YAML files with `extends:`, parsed once into typed values."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic, GuideError, did_you_mean, error
from .fonts import PACKAGE_FONTS, family_name, package_font_files, truetype_problem
from .loader import Document, load_document
from .model import Pos
from .validate import validate_document


@dataclass(frozen=True, slots=True)
class Color:
    """An RGB colour, each channel 0..1."""

    red: float
    green: float
    blue: float

    @property
    def hex(self) -> str:
        return "#" + "".join(f"{round(c * 255):02x}" for c in (self.red, self.green, self.blue))


@dataclass(frozen=True, slots=True)
class FontFamily:
    """Four TrueType files of one family; `name` is how layout registers it."""

    name: str
    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path


@dataclass(frozen=True, slots=True)
class CalloutStyle:
    label: str  # printed when a callout has no title, e.g. "Key point"
    accent: Color  # the rule down the left side and the label
    background: Color


@dataclass(frozen=True, slots=True)
class Style:
    """Everything the layout stage needs to know about the look of a guide.

    Lengths are in PostScript points (1/72 in).
    """

    name: str
    paper: str  # "letter" or "a4"
    page_width: float
    page_height: float
    margin_top: float
    margin_bottom: float
    margin_inner: float  # binding side
    margin_outer: float

    body_font: FontFamily
    heading_font: FontFamily
    code_font: FontFamily

    body_size: float
    body_leading: float
    align: str  # "justify" or "left"
    paragraph_spacing: float  # space after a paragraph
    text_color: Color
    muted_color: Color  # running header/footer, captions' source lines
    link_color: Color
    emphasis: str  # how *text* prints: "italic" or "bold" (large print)

    heading_color: Color
    heading_sizes: tuple[float, ...]  # level 1, 2, 3, 4 (deeper levels use the last)
    heading_numbers: bool  # "2.1 Title"
    title_size: float  # on the title page

    caption_size: float
    small_size: float  # running header and footer

    table_font_size: float
    table_header_background: Color
    table_header_color: Color
    table_zebra: Color | None  # background of every other body row; None for none
    table_rule_color: Color
    table_label_bold: bool  # first column (row labels) in bold

    callouts: Mapping[str, CalloutStyle]  # by kind: key-point, warning, ...


BUILTIN_DIR = Path(__file__).resolve().parent / "styles"
PAPER_SIZES = {"letter": (612.0, 792.0), "a4": (595.28, 841.89)}
CALLOUT_KINDS = ("key-point", "warning", "clinical-note", "mnemonic", "remember")
FONT_FACES = ("regular", "bold", "italic", "bold-italic")
MIN_SIZE, MAX_SIZE = 4.0, 72.0
MIN_TEXT_WIDTH, MIN_TEXT_HEIGHT = 144.0, 216.0  # 2in x 3in

_UNITS = {"pt": 1.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0}
_LENGTH = re.compile(r"(\d+(?:\.\d+)?)(pt|mm|cm|in)")  # as the schema's length pattern
_COLOR = re.compile(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_LENGTH_HINT = "use a number with a unit: pt, mm, cm or in (e.g. 11pt)"
_MISSING = object()


@dataclass(frozen=True)
class _Sheet:
    name: str  # as the user wrote it, for messages
    path: Path
    doc: Document
    depth: int  # 0 for the sheet asked for, 1 for what it extends, ...


def load_style(
    name_or_path: str, project_root: Path, paper: str | None = None, *, pos: Pos | None = None
) -> Style:
    """The style named `name_or_path`, with its `extends:` chain applied.

    A name is looked up as `project_root/styles/NAME.yaml`, then as a sheet
    built into the package. A value with a `/` or ending in `.yaml` is a path
    relative to the project folder. `paper` ("letter" or "a4") overrides the
    sheet's page size. `pos` is where the outline asked for the style. Raises
    GuideError with positioned diagnostics on a bad sheet or an unknown name.
    """
    root = Path(project_root)
    sheets, diagnostics = _load_chain(name_or_path, root, pos)
    if paper is not None and paper not in PAPER_SIZES:
        diagnostics.append(error(f"unknown paper size '{paper}'", None, "use letter or a4"))
    if sheets and not any(d.severity == "error" for d in diagnostics):
        reader = _Reader(sheets, root)
        style = reader.build(name_or_path, paper)
        # The schema and our own checks may both flag one value: keep ours, it is more specific.
        ours = {d.pos for d in reader.diagnostics}
        for sheet in sheets:
            if sheet.path.parent != BUILTIN_DIR:
                found = validate_document(sheet.doc, "style")
                diagnostics.extend(d for d in found if d.pos is None or d.pos not in ours)
        diagnostics.extend(reader.diagnostics)
        if style is not None and not any(d.severity == "error" for d in diagnostics):
            return style
    raise GuideError(sorted(diagnostics, key=_order))


def available_styles(project_root: Path) -> list[str]:
    """Every style name a project can use: its own `styles/` and the built-in ones."""
    names = {p.stem for p in BUILTIN_DIR.glob("*.yaml")}
    names.update(p.stem for p in (Path(project_root) / "styles").glob("*.yaml"))
    return sorted(names)


def _order(d: Diagnostic) -> tuple[int, str, int, int]:
    if d.pos is None:
        return (1, "", 0, 0)
    return (0, d.pos.file, d.pos.line, d.pos.column)


# ------------------------------------------------------------ the extends chain


def _is_path(value: str) -> bool:
    return "/" in value or "\\" in value or value.endswith((".yaml", ".yml"))


def _find(value: str, root: Path, base: Path, current: Path | None) -> Path | None:
    """The sheet file `value` names, from `base`'s folder or as a name.

    A name means the project's sheet, then the built-in one; but a sheet's own
    name means the built-in sheet, and built-in sheets extend only built-in
    ones, so that they look the same in every project.
    """
    if _is_path(value):
        path = base / value
        return path if path.is_file() else None
    candidates = [BUILTIN_DIR / f"{value}.yaml"]
    if base != BUILTIN_DIR:
        candidates.insert(0, root / "styles" / f"{value}.yaml")
    for path in candidates:
        if path.is_file() and (current is None or path.resolve() != current.resolve()):
            return path
    return None


def _display(path: Path, root: Path) -> str:
    if path.parent == BUILTIN_DIR:
        return f"<built-in>/{path.name}"  # never a path inside our own package
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _load_chain(first: str, root: Path, pos: Pos | None) -> tuple[list[_Sheet], list[Diagnostic]]:
    """The sheets from the one asked for down to the built-in default."""
    path = _find(first, root, root, None)
    if path is None:
        return [], [_unknown(first, root, pos, None)]
    sheets: list[_Sheet] = []
    seen: dict[Path, int] = {}
    name = first
    while True:
        seen[path.resolve()] = len(sheets)
        try:
            doc = load_document(path, display=_display(path, root), kind="style")
        except GuideError as exc:
            return [], list(exc.diagnostics)
        sheets.append(_Sheet(name, path, doc, len(sheets)))
        data = doc.data  # the loader makes sure the top level is a mapping
        if path.resolve() == (BUILTIN_DIR / "default.yaml").resolve():
            return sheets, []
        parent = data.get("extends", "default")
        where = doc.pos(("extends",)) if "extends" in data else None
        if not isinstance(parent, str) or not parent:
            hint = "give a style name such as default, or a path to a .yaml file"
            return [], [error("extends: must name a style sheet", where, hint)]
        nxt = _find(parent, root, path.parent, path)
        if nxt is None:
            own = root / "styles" / f"{parent}.yaml"
            if not _is_path(parent) and own.is_file() and own.resolve() == path.resolve():
                return [], [error(f"style '{name}' extends itself", where,
                                  f"there is no built-in style '{parent}' to extend")]
            return [], [_unknown(parent, root, where, path.parent)]
        if nxt.resolve() in seen:
            loop = [s.name for s in sheets[seen[nxt.resolve()]:]]
            if len(loop) == 1:
                message = f"style '{loop[0]}' extends itself"
            else:
                through = " and ".join(", ".join(f"'{n}'" for n in loop[1:]).rsplit(", ", 1))
                message = f"style '{loop[0]}' extends itself through {through}"
            return [], [error(message, where, "remove one of the extends: lines")]
        path, name = nxt, parent


def _unknown(value: str, root: Path, pos: Pos | None, base: Path | None) -> Diagnostic:
    if _is_path(value):
        where = (base or root) / value
        return error(f"cannot find style sheet '{value}'", pos,
                     f"looked for {_display(where, root)}")
    names = available_styles(root)
    hint = did_you_mean(value, names) or "available styles: " + ", ".join(names)
    return error(f"unknown style '{value}'", pos, hint)


# ---------------------------------------------------------------- the values


class _Bad(Exception):
    """A value that cannot be used: what is wrong and how to fix it."""

    def __init__(self, message: str, *hints: str) -> None:
        super().__init__(message)
        self.message, self.hints = message, hints


Convert = Callable[[Any, str, str], Any]  # (value, its source text, its dotted key) -> typed


def _length(value: Any, text: str, what: str) -> float:
    match = _LENGTH.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise _Bad(f"bad length '{text}' for {what}", _LENGTH_HINT)
    return float(match.group(1)) * _UNITS[match.group(2)]


def _size(value: Any, text: str, what: str) -> float:
    size = _length(value, text, what)
    if not MIN_SIZE <= size <= MAX_SIZE:
        raise _Bad(f"{what} {text} is out of range",
                   f"use a size from {MIN_SIZE:g}pt to {MAX_SIZE:g}pt")
    return size


def _color(value: Any, text: str, what: str, allow_none: bool = False) -> Color | None:
    if allow_none and value == "none":
        return None
    match = _COLOR.fullmatch(value) if isinstance(value, str) else None
    if value is None:
        raise _Bad(f"missing colour for {what}",
                   'quote the colour: an unquoted # starts a YAML comment (write "#1d4f91")')
    if match is None:
        hint = 'use #rrggbb or #rgb in quotes, e.g. "#1d4f91"' + (", or none" if allow_none else "")
        raise _Bad(f"bad colour '{text}' for {what}", hint)
    digits = match.group(1)
    digits = "".join(c * 2 for c in digits) if len(digits) == 3 else digits
    return Color(*(int(digits[i:i + 2], 16) / 255 for i in (0, 2, 4)))


def _choice(*options: str) -> Convert:
    def convert(value: Any, text: str, what: str) -> str:
        if value not in options:
            raise _Bad(f"bad value '{text}' for {what}", did_you_mean(text.lower(), options),
                       "use " + " or ".join(options))
        return str(value)
    return convert


def _flag(value: Any, text: str, what: str) -> bool:
    if not isinstance(value, bool):
        raise _Bad(f"bad value '{text}' for {what}", "use true or false")
    return value


def _label(value: Any, text: str, what: str) -> str:
    if isinstance(value, (dict, list)) or value is None:
        raise _Bad(f"{what} must be text")
    return text  # the source text, so that `label: No` stays "No", not False


# Style field -> the sheet key it comes from and how to read it.
_FIELDS: dict[str, tuple[str, Convert]] = {
    "margin_top": ("page.margin-top", _length),
    "margin_bottom": ("page.margin-bottom", _length),
    "margin_inner": ("page.margin-inner", _length),
    "margin_outer": ("page.margin-outer", _length),
    "body_size": ("text.size", _size),
    "body_leading": ("text.leading", _length),
    "align": ("text.align", _choice("justify", "left")),
    "paragraph_spacing": ("text.paragraph-spacing", _length),
    "text_color": ("text.color", _color),
    "muted_color": ("text.muted-color", _color),
    "link_color": ("text.link-color", _color),
    "emphasis": ("text.emphasis", _choice("italic", "bold")),
    "heading_color": ("headings.color", _color),
    "heading_numbers": ("headings.numbered", _flag),
    "title_size": ("headings.title-size", _size),
    "caption_size": ("captions.size", _size),
    "small_size": ("header-footer.size", _size),
    "table_font_size": ("table.font-size", _size),
    "table_header_background": ("table.header-background", _color),
    "table_header_color": ("table.header-color", _color),
    "table_zebra": ("table.zebra", partial(_color, allow_none=True)),
    "table_rule_color": ("table.rule-color", _color),
    "table_label_bold": ("table.label-bold", _flag),
}


def _overlay(dst: dict[Any, Any], src: dict[Any, Any], path: tuple[Any, ...], sheet: _Sheet,
             origin: dict[tuple[Any, ...], _Sheet]) -> None:
    """Merge `src` into `dst` deeply, noting which sheet each value came from."""
    for key, value in src.items():
        here = (*path, key)
        if isinstance(value, dict) and isinstance(dst.get(key), dict):
            _overlay(dst[key], value, here, sheet, origin)
        else:
            dst[key] = copy.deepcopy(value)
            origin[here] = sheet


class _Reader:
    """Reads typed values out of the merged sheets, collecting every problem."""

    def __init__(self, sheets: list[_Sheet], root: Path) -> None:
        self.root = root
        self.data: dict[Any, Any] = {}
        self.origin: dict[tuple[Any, ...], _Sheet] = {}
        self.diagnostics: list[Diagnostic] = []
        for sheet in reversed(sheets):
            own = {k: v for k, v in sheet.doc.data.items() if k != "extends"}
            _overlay(self.data, own, (), sheet, self.origin)

    def sheet(self, path: tuple[Any, ...]) -> _Sheet | None:
        for end in range(len(path), 0, -1):
            if path[:end] in self.origin:
                return self.origin[path[:end]]
        return None

    def pos(self, path: tuple[Any, ...]) -> Pos | None:
        sheet = self.sheet(path)
        return sheet.doc.pos(path) if sheet else None

    def depth(self, path: tuple[Any, ...]) -> int:
        sheet = self.sheet(path)
        return sheet.depth if sheet else 1 << 30

    def bad(self, message: str, path: tuple[Any, ...], *hints: str) -> None:
        self.diagnostics.append(error(message, self.pos(path), *hints))

    def raw(self, path: tuple[Any, ...]) -> Any:
        node: Any = self.data
        for depth, key in enumerate(path):
            if isinstance(node, list) and isinstance(key, int):
                node = node[key]
            elif not isinstance(node, dict):
                where = self.pos(path[:depth])
                if not any(d.pos == where for d in self.diagnostics):
                    self.bad(f"{_dotted(path[:depth])} must be a mapping of keys", path[:depth])
                return _MISSING
            elif key not in node:
                self.diagnostics.append(error(f"the style sheets give no {_dotted(path)}"))
                return _MISSING
            else:
                node = node[key]
        return node

    def get(self, path: tuple[Any, ...], convert: Convert) -> Any:
        """The typed value at `path`, or None after reporting why it cannot be used."""
        value = self.raw(path)
        if value is _MISSING:
            return None
        sheet = self.sheet(path)
        implicit = sheet.doc.implicit.get(path) if sheet else None
        text = implicit if implicit is not None else str(value)
        try:
            return convert(value, text, _dotted(path))
        except _Bad as bad:
            self.bad(bad.message, path, *bad.hints)
            return None

    def build(self, name: str, paper: str | None) -> Style | None:
        values = {field: self.get(tuple(key.split(".")), convert)
                  for field, (key, convert) in _FIELDS.items()}
        chosen = paper or self.get(("page", "size"), _choice(*PAPER_SIZES)) or "letter"
        width, height = PAPER_SIZES.get(chosen, PAPER_SIZES["letter"])
        self.check_area(chosen, width, ("inner", "outer"), values, MIN_TEXT_WIDTH, "wide")
        self.check_area(chosen, height, ("top", "bottom"), values, MIN_TEXT_HEIGHT, "tall")
        size, leading = values["body_size"], values["body_leading"]
        if size and leading is not None and leading < size:
            self.leading_problem(size, leading)
        sizes = self.raw(("headings", "sizes"))
        if isinstance(sizes, list) and sizes:
            values["heading_sizes"] = tuple(
                self.get(("headings", "sizes", i), _size) for i in range(len(sizes)))
        elif sizes is not _MISSING:
            self.bad("headings.sizes must be a list of sizes, one a heading level",
                     ("headings", "sizes"), "e.g. sizes: [18pt, 14pt, 12pt]")
        for field, key in (("body_font", "body"), ("heading_font", "heading"),
                           ("code_font", "code")):
            values[field] = self.font(("fonts", key))
        values["callouts"] = {
            kind: CalloutStyle(*(self.get(("callouts", kind, key), convert) for key, convert in
                                 (("label", _label), ("accent", _color), ("background", _color))))
            for kind in CALLOUT_KINDS
        }
        if self.diagnostics:
            return None
        return Style(name=name, paper=chosen, page_width=width, page_height=height, **values)

    def check_area(self, paper: str, extent: float, sides: tuple[str, str],
                   values: dict[str, Any], least: float, word: str) -> None:
        margins = [values[f"margin_{side}"] for side in sides]
        if None in margins or extent - sum(margins) >= least:
            return
        # Point at the margin the user's own sheet set, not one it inherited.
        path = min((("page", f"margin-{side}") for side in sides), key=self.depth)
        first, second = (f"page.margin-{side}" for side in sides)
        self.bad(f"the margins leave a text area {_inches(extent - sum(margins))} {word} on "
                 f"{paper} paper; it must be at least {_inches(least)}", path,
                 f"{first} + {second} is {_inches(sum(margins))}; "
                 f"make it at most {_inches(extent - least)}")

    def leading_problem(self, size: float, leading: float) -> None:
        size_path, leading_path = ("text", "size"), ("text", "leading")
        path = min((leading_path, size_path), key=self.depth)
        self.bad(f"text.leading {_points(leading)} is less than text.size {_points(size)}", path,
                 "make the leading at least the size; about 1.2 to 1.45 times it reads well "
                 f"(e.g. {_points(round(size * 1.3 * 2) / 2)})")

    def font(self, path: tuple[Any, ...]) -> FontFamily | None:
        value = self.raw(path)
        if isinstance(value, str) and value in PACKAGE_FONTS:
            try:
                name, files = package_font_files(value)
            except GuideError as exc:
                for d in exc.diagnostics:
                    self.bad(d.message, path, *d.hints)
                return None
            return FontFamily(name, *files)
        if not isinstance(value, dict):
            if value is not _MISSING:
                text = self.get(path, _label) or str(value)
                hint = did_you_mean(text, list(PACKAGE_FONTS)) if isinstance(value, str) else ""
                self.bad(f"unknown font family '{text}' for {_dotted(path)}", path, hint,
                         "use serif, sans or mono, or a mapping of four .ttf files: "
                         "regular, bold, italic, bold-italic")
            return None
        missing = [face for face in FONT_FACES if face not in value]
        if missing:
            self.bad(f"{_dotted(path)} is missing {', '.join(missing)}", path,
                     "give all four faces: regular, bold, italic, bold-italic")
            return None
        faces = [self.font_file((*path, face)) for face in FONT_FACES]
        found = [face for face in faces if face is not None]
        if len(found) < len(FONT_FACES):
            return None
        return FontFamily(family_name(found[0]), *found)

    def font_file(self, path: tuple[Any, ...]) -> Path | None:
        value, sheet = self.raw(path), self.sheet(path)
        if not isinstance(value, str) or sheet is None:
            self.bad(f"{_dotted(path)} must be the path of a .ttf file", path)
            return None
        file = (sheet.path.parent / value).resolve()
        if not file.is_file():
            folder = _display(sheet.path.parent, self.root)
            self.bad(f"cannot find font file '{value}' for {_dotted(path)}", path,
                     f"the path is relative to the style sheet's folder, {folder}/")
            return None
        problem = truetype_problem(file)
        if problem:
            self.bad(f"font file '{value}' for {_dotted(path)} {problem[0]}", path, problem[1])
            return None
        return file


def _dotted(path: tuple[Any, ...]) -> str:
    return ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in path).replace(".[", "[")


def _points(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") + "pt"


def _inches(value: float) -> str:
    return f"{value / 72:.2f}".rstrip("0").rstrip(".") + "in"
