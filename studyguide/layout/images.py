"""A figure's image as it prints: its size on the page, and a smaller copy of one
far sharper than print can show.

A phone photo or a scanned poster can have 50 million pixels; drawn a few inches
wide it would still be embedded whole, making the PDF hundreds of megabytes and
slow to print. Above RESAMPLE_ABOVE_DPI at its printed size, the image is
resampled to PRINT_DPI, in its own format (JPEG stays JPEG, anything else
becomes PNG, which is lossless and keeps transparency).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

DEFAULT_DPI = 150.0  # what an image that does not say is taken to have
PRINT_DPI = 300  # what office printers and print shops resolve
RESAMPLE_ABOVE_DPI = 450  # sharper than this at its printed size, it is resampled
JPEG_QUALITY = 92


@dataclass(frozen=True)
class FigureImage:
    """What layout draws: the image (a path, or a resampled copy) at its size in points."""

    source: str | io.BytesIO
    width: float
    height: float


def figure_image(path: Path, *, room: float, wanted: float | None, max_height: float
                 ) -> FigureImage:
    """The image at `path`, `wanted` points wide (else its own size, at most `room`),
    and at most `max_height` tall. Pillow's errors pass to the caller."""
    with Image.open(path) as img:
        px_w, px_h = img.size  # from the header: nothing is decoded yet
        # Without a width, an image keeps its own size, so a small icon is not
        # blown up to a blurry page-wide picture.
        natural = min(room, px_w / _dpi(img.info.get("dpi")) * 72)
        width = natural if wanted is None else wanted
        height = width * px_h / max(px_w, 1)
        if height > max_height:
            width, height = width * max_height / height, max_height
        if px_w / (width / 72) <= RESAMPLE_ABOVE_DPI:
            img.load()  # a broken file fails here, at its figure, not while drawing
            return FigureImage(str(path), width, height)
        size = (max(1, round(width / 72 * PRINT_DPI)), max(1, round(height / 72 * PRINT_DPI)))
        # A JPEG can be decoded at 1/2, 1/4 or 1/8 of its size directly, far faster
        # than decoding it whole and then shrinking it
        img.draft(img.mode, size)
        img.load()
        return FigureImage(_resampled(img, size), width, height)


def _resampled(img: Image.Image, size: tuple[int, int]) -> io.BytesIO:
    is_jpeg = img.format == "JPEG"
    kept_modes = ("RGB", "L", "CMYK") if is_jpeg else ("RGB", "RGBA", "L", "LA")
    if img.mode not in kept_modes:  # palette, 1-bit, 16-bit: resampled in full colour
        alpha = not is_jpeg and ("transparency" in img.info or "A" in img.mode)
        img = img.convert("RGBA" if alpha else "RGB")
    smaller = img.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    out = io.BytesIO()
    if is_jpeg:
        smaller.save(out, "JPEG", quality=JPEG_QUALITY)
    else:
        smaller.save(out, "PNG")
    out.seek(0)
    return out


def _dpi(value: Any) -> float:
    """The image's resolution in dots per inch; DEFAULT_DPI when the file does not say."""
    try:
        dpi = float(value[0])
    except (TypeError, ValueError, IndexError):
        return DEFAULT_DPI
    return dpi if dpi >= 1 else DEFAULT_DPI
