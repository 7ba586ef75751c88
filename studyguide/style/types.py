"""The Style data classes, the limits on their values, and the sheet files they are read from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..load.loader import Document


@dataclass(frozen=True, slots=True)
class Color:
    """An RGB colour, each channel 0..1."""

    red: float
    green: float
    blue: float

    @property
    def hex(self) -> str:
        return "#" + "".join(f"{round(c * 255):02x}" for c in (self.red, self.green, self.blue))

    @property
    def rgb(self) -> str:
        """The colour as paragraph markup gives it: ReportLab reads `rgb(26,26,26)` in
        a fifth of the time of `#1a1a1a`, and there is a colour on every link."""
        return "rgb({},{},{})".format(*(round(c * 255) for c in (self.red, self.green, self.blue)))


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
    glossary_color: Color  # marked glossary terms, which link to their entries
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

    duplex: bool = False  # margins mirror on even pages; running heads to the outer edge
    section_start: str = "any"  # "right": top-level sections start on odd pages

    cards_per_sheet: int = 8
    card_columns: int = 2
    card_flip: str = "long"  # the edge a duplex printer turns the sheet over: long or short
    card_font_size: float = 13.0
    card_min_font_size: float = 7.0
    duplex_offset_x: float = 0.0  # added to the backs' positions (points; may be negative)
    duplex_offset_y: float = 0.0


BUILTIN_DIR = Path(__file__).resolve().parent / "sheets"
PAPER_SIZES = {"letter": (612.0, 792.0), "a4": (595.28, 841.89)}
CALLOUT_KINDS = ("key-point", "warning", "clinical-note", "mnemonic", "remember")
FONT_FACES = ("regular", "bold", "italic", "bold-italic")
MIN_SIZE, MAX_SIZE = 4.0, 72.0
MIN_TEXT_WIDTH, MIN_TEXT_HEIGHT = 144.0, 216.0  # 2in x 3in


@dataclass(frozen=True)
class SheetFile:
    """One sheet of an `extends:` chain, as loaded; style_values reads its values."""

    name: str  # as the user wrote it, for messages
    path: Path
    doc: Document
    depth: int  # 0 for the sheet asked for, 1 for what it extends, ...


def display_path(path: Path, root: Path) -> str:
    """How messages name a sheet or folder: relative to the project, or as built-in."""
    if path.parent == BUILTIN_DIR:
        return f"<built-in>/{path.name}"  # never a path inside our own package
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


