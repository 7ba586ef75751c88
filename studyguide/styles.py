"""Style sheets: YAML files with `extends:`, parsed once into typed values.

SKELETON: the data classes below are the contract with the layout stage.
`load_style` is to be implemented (see the docstring).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Color:
    """An RGB colour, each channel 0..1."""

    red: float
    green: float
    blue: float

    @property
    def hex(self) -> str:
        return "#%02x%02x%02x" % tuple(round(c * 255) for c in (self.red, self.green, self.blue))


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


def load_style(name_or_path: str, project_root: Path, paper: str | None = None) -> Style:
    """The style named `name_or_path`, with its `extends:` chain applied.

    A name is looked up as `project_root/styles/NAME.yaml`, then as a sheet
    built into the package. A value with a `/` or ending in `.yaml` is a path
    relative to the project folder. `paper` ("letter" or "a4") overrides the
    sheet's page size. Raises GuideError with positioned diagnostics on a bad
    sheet or an unknown name.
    """
    raise NotImplementedError
