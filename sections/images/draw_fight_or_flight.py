"""Draw fight_or_flight.png, the pathway figure of the fight-or-flight section.

The diagram follows the description in Cleveland Clinic (2022),
"Norepinephrine (Noradrenaline)": danger is perceived, the hypothalamus
signals down the spinal cord, nerves release norepinephrine, organs react and
the adrenal glands release hormones that travel in the blood.

Run from anywhere:  python sections/images/draw_fight_or_flight.py
Needs Pillow and the font-source-sans-pro package. The output is grayscale
(dark lines on white) and carries no meaning by colour alone; the same input
gives the same PNG bytes.
"""

from __future__ import annotations

from pathlib import Path

import font_source_sans_pro
from PIL import Image, ImageDraw, ImageFont

W, H = 1800, 1000
INK = 0  # black
GRAY_FILL = 238  # very light gray box fill, prints fine in grayscale
WHITE = 255
LINE = 4

FONT_DIR = Path(font_source_sans_pro.__file__).parent / "files"
OUT = Path(__file__).with_name("fight_or_flight.png")


def font(bold: bool, size: int) -> ImageFont.FreeTypeFont:
    name = "SourceSansPro-Bold.ttf" if bold else "SourceSansPro-Regular.ttf"
    return ImageFont.truetype(str(FONT_DIR / name), size)


TITLE = font(True, 44)
BODY = font(False, 37)
BADGE = font(True, 36)
TITLE_LEAD, BODY_LEAD = 52, 44


def wrap(draw: ImageDraw.ImageDraw, text: str, fnt, width: int) -> list[str]:
    """Split text into lines no wider than width pixels."""
    lines: list[str] = []
    for para in text.split("\n"):
        line = ""
        for word in para.split():
            trial = f"{line} {word}".strip()
            if draw.textlength(trial, font=fnt) <= width or not line:
                line = trial
            else:
                lines.append(line)
                line = word
        lines.append(line)
    return lines


def block_lines(draw, title: str, body: str, width: int):
    return wrap(draw, title, TITLE, width), wrap(draw, body, BODY, width) if body else []


def block_height(draw, title: str, body: str, width: int) -> int:
    t, b = block_lines(draw, title, body, width)
    return len(t) * TITLE_LEAD + (6 + len(b) * BODY_LEAD if b else 0)


def text_block(draw, cx: int, top: int, title: str, body: str, width: int) -> None:
    """A bold title and a wrapped body, centred on cx, starting at top."""
    t, b = block_lines(draw, title, body, width)
    y = top
    for line in t:
        draw.text((cx, y), line, font=TITLE, fill=INK, anchor="ma")
        y += TITLE_LEAD
    y += 6
    for line in b:
        draw.text((cx, y), line, font=BODY, fill=INK, anchor="ma")
        y += BODY_LEAD


def centred_block(draw, x0, y0, x1, y1, title: str, body: str, pad: int = 24) -> None:
    """Title and body centred in the box (x0, y0, x1, y1); fails if they overflow."""
    width = x1 - x0 - 2 * pad
    h = block_height(draw, title, body, width)
    assert h <= y1 - y0 - 2 * 12, f"text overflows its box: {title!r}"
    text_block(draw, (x0 + x1) // 2, y0 + (y1 - y0 - h) // 2 + 4, title, body, width)


def box(draw, x0, y0, x1, y1, fill=WHITE) -> None:
    draw.rounded_rectangle((x0, y0, x1, y1), radius=18, fill=fill, outline=INK, width=LINE)


def badge(draw, x: int, y: int, label: str) -> None:
    """A numbered circle (step number) centred on x, y."""
    r = 26
    draw.ellipse((x - r, y - r, x + r, y + r), fill=INK)
    draw.text((x, y + 1), label, font=BADGE, fill=WHITE, anchor="mm")


def arrow_head(draw, x: int, y: int, direction: str) -> None:
    s = 20
    pts = {
        "right": [(x, y), (x - s * 1.4, y - s), (x - s * 1.4, y + s)],
        "left": [(x, y), (x + s * 1.4, y - s), (x + s * 1.4, y + s)],
        "down": [(x, y), (x - s, y - s * 1.4), (x + s, y - s * 1.4)],
    }[direction]
    draw.polygon(pts, fill=INK)


def dashed_h(draw, x0: int, x1: int, y: int, dash: int = 18, gap: int = 12) -> None:
    """A dashed horizontal line from x0 to x1 (either order)."""
    lo, hi = sorted((x0, x1))
    x = lo
    while x < hi:
        draw.line((x, y, min(x + dash, hi), y), fill=INK, width=LINE)
        x += dash + gap


def main() -> None:
    img = Image.new("L", (W, H), WHITE)
    d = ImageDraw.Draw(img)

    # Top row: the signal from the brain to the nerves (steps 1-4).
    # Step badges sit on each box's top-left corner.
    top, bottom = 50, 290
    bw, gap, x = 390, 56, 50
    steps = [
        ("Danger perceived", "your brain senses a threat"),
        ("Hypothalamus", "nerves in this brain area send a signal"),
        ("Spinal cord", "carries the signal down and out to the body"),
        ("Nerves release norepinephrine", "(noradrenaline)"),
    ]
    centres = []
    for i, (title, body) in enumerate(steps):
        x0 = x + i * (bw + gap)
        box(d, x0, top, x0 + bw, bottom, fill=GRAY_FILL if i == 3 else WHITE)
        centred_block(d, x0, top, x0 + bw, bottom, title, body)
        badge(d, x0 + 6, top + 6, str(i + 1))
        centres.append(x0 + bw // 2)
        if i < 3:
            ax0, ax1, ay = x0 + bw + 4, x0 + bw + gap - 4, (top + bottom) // 2
            d.line((ax0, ay, ax1 - 20, ay), fill=INK, width=LINE + 2)
            arrow_head(d, ax1, ay, "right")

    # Bottom left: organs and tissues react (step 5).
    ox0, oy0, ox1, oy1 = 50, 420, 1120, 960
    box(d, ox0, oy0, ox1, oy1)
    d.text(((ox0 + ox1) // 2, oy0 + 22), "Organs and tissues react", font=TITLE, fill=INK,
           anchor="ma")
    badge(d, ox0 + 6, oy0 + 6, "5")
    organs = [
        ("Eyes", "pupils widen"),
        ("Skin", "turns pale; blood goes to muscles"),
        ("Heart", "pumps harder and faster"),
        ("Muscles", "get more blood and oxygen"),
        ("Liver", "glycogen \u2192 glucose for energy"),
        ("Airways", "open; breathing deeper and faster"),
    ]
    cw = (ox1 - ox0 - 30) // 3
    ch = 200
    for k, (title, body) in enumerate(organs):
        col, row = k % 3, k // 3
        cx0 = ox0 + 15 + col * cw + 8
        cx1 = cx0 + cw - 16
        cy0 = oy0 + 100 + row * (ch + 16)
        d.rounded_rectangle((cx0, cy0, cx1, cy0 + ch), radius=12, outline=INK, width=2, fill=WHITE)
        centred_block(d, cx0, cy0, cx1, cy0 + ch, title, body, pad=18)

    # Bottom right: adrenal glands (step 6) and hormones in the blood (step 7).
    rx0, rx1 = 1270, 1750
    ay0, ay1 = 420, 590
    hy0, hy1 = 690, 960
    box(d, rx0, ay0, rx1, ay1)
    centred_block(d, rx0, ay0, rx1, ay1, "Adrenal glands", "release adrenaline and noradrenaline")
    badge(d, rx0 + 6, ay0 + 6, "6")
    box(d, rx0, hy0, rx1, hy1, fill=GRAY_FILL)
    centred_block(d, rx0, hy0, rx1, hy1, "Hormones in the blood",
                  "reach the whole body; organs keep reacting until the danger is over", pad=20)
    badge(d, rx0 + 6, hy0 + 6, "7")

    # Connectors from step 4: down to a bar, then to the organs and the adrenals.
    n4 = centres[3]
    bar_y = 355
    organs_x = (ox0 + ox1) // 2
    adrenal_x = (rx0 + rx1) // 2
    d.line((n4, bottom + 2, n4, bar_y), fill=INK, width=LINE + 2)
    d.line((organs_x, bar_y, n4, bar_y), fill=INK, width=LINE + 2)
    d.line((organs_x, bar_y, organs_x, oy0 - 22), fill=INK, width=LINE + 2)
    arrow_head(d, organs_x, oy0 - 2, "down")
    d.line((adrenal_x, bar_y, adrenal_x, ay0 - 22), fill=INK, width=LINE + 2)
    arrow_head(d, adrenal_x, ay0 - 2, "down")

    # Adrenal glands -> hormones in the blood.
    d.line((adrenal_x, ay1 + 2, adrenal_x, hy0 - 22), fill=INK, width=LINE + 2)
    arrow_head(d, adrenal_x, hy0 - 2, "down")

    # Hormones -> back to the organs (dashed: the message keeps coming).
    back_y = (hy0 + hy1) // 2 + 20
    dashed_h(d, rx0 - 4, ox1 + 26, back_y)
    arrow_head(d, ox1 + 4, back_y, "left")
    d.text(((ox1 + rx0) // 2, back_y - 14), "blood", font=BODY, fill=INK, anchor="md")

    img.save(OUT, format="PNG", optimize=True)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
