"""Style values: read the merged sheets into lengths, colours, choices and fonts for a Style."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from ..model.diagnostics import Diagnostic, GuideError, did_you_mean, error
from ..model.document import Pos
from .fonts import PACKAGE_FONTS, family_name, package_font_files, truetype_problem
from .types import (
    CALLOUT_KINDS,
    FONT_FACES,
    MAX_SIZE,
    MIN_SIZE,
    MIN_TEXT_HEIGHT,
    MIN_TEXT_WIDTH,
    PAPER_SIZES,
    CalloutStyle,
    Color,
    FontFamily,
    SheetFile,
    Style,
    display_path,
)

# Points per unit, and how a length and a colour must be written in a sheet.
_UNITS = {"pt": 1.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0}
_LENGTH = re.compile(r"(-?\d+(?:\.\d+)?)(pt|mm|cm|in)")  # the schema's (signed) length
_COLOR = re.compile(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_LENGTH_HINT = "use a number with a unit: pt, mm, cm or in (e.g. 11pt)"
_MISSING = object()  # a key no sheet gives; not None, which a sheet can give (`key:`)


def read_style(sheets: list[SheetFile], root: Path, name: str,
               paper: str | None) -> tuple[Style | None, list[Diagnostic]]:
    """The Style that `sheets` (the one asked for first) give, and every problem found.

    The Style is None when there is any problem. `paper` overrides the sheets' page size.
    """
    reader = _Reader(sheets, root)
    return reader.build(name, paper), reader.diagnostics


class _Bad(Exception):
    """A value that cannot be used: what is wrong and how to fix it."""

    def __init__(self, message: str, *hints: str) -> None:
        super().__init__(message)
        self.message, self.hints = message, hints


Convert = Callable[[Any, str, str], Any]  # (value, its source text, its dotted key) -> typed


def _signed(value: Any, text: str, what: str) -> float:
    match = _LENGTH.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise _Bad(f"bad length '{text}' for {what}", _LENGTH_HINT)
    return float(match.group(1)) * _UNITS[match.group(2)]


def _unsigned(value: Any, text: str, what: str) -> float:
    length = _signed(value, text, what)
    if length < 0:
        raise _Bad(f"{what} cannot be negative ({text})", _LENGTH_HINT)
    return length


def _count(least: int, most: int) -> Convert:
    def convert(value: Any, text: str, what: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not least <= value <= most:
            raise _Bad(f"bad value '{text}' for {what}",
                       f"use a whole number from {least} to {most}")
        return value
    return convert


def _size(value: Any, text: str, what: str) -> float:
    size = _unsigned(value, text, what)
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
    "margin_top": ("page.margin-top", _unsigned),
    "margin_bottom": ("page.margin-bottom", _unsigned),
    "margin_inner": ("page.margin-inner", _unsigned),
    "margin_outer": ("page.margin-outer", _unsigned),
    "body_size": ("text.size", _size),
    "body_leading": ("text.leading", _unsigned),
    "align": ("text.align", _choice("justify", "left")),
    "paragraph_spacing": ("text.paragraph-spacing", _unsigned),
    "text_color": ("text.color", _color),
    "muted_color": ("text.muted-color", _color),
    "link_color": ("text.link-color", _color),
    "glossary_color": ("text.glossary-color", _color),
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
    "duplex": ("page.duplex", _flag),
    "section_start": ("page.section-start", _choice("any", "right")),
    "cards_per_sheet": ("cards.per-sheet", _count(1, 40)),
    "card_columns": ("cards.columns", _count(1, 6)),
    "card_flip": ("cards.flip", _choice("long", "short")),
    "card_font_size": ("cards.font-size", _size),
    "card_min_font_size": ("cards.min-font-size", _size),
    "duplex_offset_x": ("cards.duplex-offset.x", _signed),
    "duplex_offset_y": ("cards.duplex-offset.y", _signed),
}


def _overlay(dst: dict[Any, Any], src: dict[Any, Any], path: tuple[Any, ...], sheet: SheetFile,
             origin: dict[tuple[Any, ...], SheetFile]) -> None:
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

    def __init__(self, sheets: list[SheetFile], root: Path) -> None:
        self.root = root
        self.data: dict[Any, Any] = {}
        self.origin: dict[tuple[Any, ...], SheetFile] = {}
        self.diagnostics: list[Diagnostic] = []
        for sheet in reversed(sheets):
            own = {k: v for k, v in sheet.doc.data.items() if k != "extends"}
            _overlay(self.data, own, (), sheet, self.origin)

    def sheet(self, path: tuple[Any, ...]) -> SheetFile | None:
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
            folder = display_path(sheet.path.parent, self.root)
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
