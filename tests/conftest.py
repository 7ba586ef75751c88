"""Fixtures `style` / `make_style`: the default style sheet's values, built by hand."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest

from studyguide.style.fonts import package_font_files
from studyguide.style.types import CalloutStyle, Color, FontFamily, Style


@pytest.fixture(autouse=True, scope="session")
def _pandoc_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """pandoc's runs kept in a folder of the test session's, not the user's cache."""
    os.environ["STUDYGUIDE_CACHE"] = str(tmp_path_factory.mktemp("pandoc-cache"))
    yield
    os.environ.pop("STUDYGUIDE_CACHE", None)


def _hex(value: str) -> Color:
    v = value.lstrip("#")
    return Color(*(int(v[i : i + 2], 16) / 255 for i in (0, 2, 4)))


def _family(kind: str) -> FontFamily:
    name, files = package_font_files(kind)
    return FontFamily(name, *files)


def _inch(x: float) -> float:
    return x * 72


def default_style(**overrides: Any) -> Style:
    """The values of studyguide/style/sheets/default.yaml, with `overrides` applied."""
    style = Style(
        name="default",
        paper="letter",
        page_width=612.0,
        page_height=792.0,
        margin_top=_inch(0.85),
        margin_bottom=_inch(0.85),
        margin_inner=_inch(1.0),
        margin_outer=_inch(0.9),
        body_font=_family("serif"),
        heading_font=_family("sans"),
        code_font=_family("mono"),
        body_size=10.5,
        body_leading=14.5,
        align="justify",
        paragraph_spacing=6.0,
        text_color=_hex("#1a1a1a"),
        muted_color=_hex("#5c5c5c"),
        link_color=_hex("#1d4f91"),
        glossary_color=_hex("#1d4f91"),
        emphasis="italic",
        heading_color=_hex("#16365c"),
        heading_sizes=(18.0, 14.0, 12.0, 11.0),
        heading_numbers=True,
        title_size=28.0,
        caption_size=9.5,
        small_size=8.5,
        table_font_size=9.5,
        table_header_background=_hex("#16365c"),
        table_header_color=_hex("#ffffff"),
        table_zebra=_hex("#eef2f7"),
        table_rule_color=_hex("#b8c4d6"),
        table_label_bold=True,
        callouts={
            "key-point": CalloutStyle("Key point", _hex("#1d4f91"), _hex("#eaf1fb")),
            "warning": CalloutStyle("Warning", _hex("#a4262c"), _hex("#fbeced")),
            "clinical-note": CalloutStyle("Clinical note", _hex("#2f6b3b"), _hex("#ebf5ed")),
            "mnemonic": CalloutStyle("Mnemonic", _hex("#6b4c9a"), _hex("#f2eef8")),
            "remember": CalloutStyle("Remember", _hex("#8a5a00"), _hex("#fbf3e2")),
        },
    )
    return replace(style, **overrides)


@pytest.fixture
def make_style() -> Callable[..., Style]:
    return default_style


@pytest.fixture
def style() -> Style:
    return default_style()


