"""Bad input, layout: content too big, too wide, empty, and images that are not what they say."""

from __future__ import annotations

import io
import re
import struct
import zlib
from pathlib import Path

import pdfutil
import pytest
from PIL import Image
from test_bad_input import (
    SECTION_HEAD,
    body_text,
    cli,
    fails,
    figure,
    measured,
    png,
    project,
    renders,
)

# ------------------------------------------------------------ big and wide


def test_six_thousand_word_table_cell_goes_on_over_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    words = " ".join(f"w{i}" for i in range(6000))
    project(tmp_path, monkeypatch, SECTION_HEAD + (
        "      - table:\n          caption: Long\n          header: [Term, Notes]\n"
        f"          rows:\n            - [Label, \"{words}\"]\n"))
    pdf = renders()
    assert len(pdfutil.reader(pdf).pages) > 5
    text = body_text(pdf)
    assert "w0 w1 w2" in text and "w5999" in text
    assert len(re.findall(r"\bw\d+\b", text)) == 6000  # no word lost at a page break


def test_forty_column_table_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    header = ", ".join(f"h{i}" for i in range(40))
    row = ", ".join(f"c{i}" for i in range(40))
    project(tmp_path, monkeypatch, SECTION_HEAD + (
        f"      - table:\n          caption: Wide\n          header: [{header}]\n"
        f"          rows:\n            - [{row}]\n"))
    fails("outline/g.yaml:7:11: error: table 'Wide' (Table 1) has 40 columns; at most 12 fit "
          "in the 6.6in text width\n"
          "  hint: split it into two tables, move some columns into rows (transpose it), or use "
          "a wider paper size or narrower margins in the style\n")


def test_ten_thousand_item_list_in_bounded_time_and_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = "".join(f"          - item {i}\n" for i in range(10_000))
    root = project(tmp_path, monkeypatch, SECTION_HEAD + "      - bullets:\n" + items)
    run = measured(root, "build", "-o", "out.pdf")
    assert (run.code, run.stderr) == (0, "")
    run.within_bounds()
    pages = pdfutil.page_lines((root / "out.pdf").read_bytes())
    assert len(pages) > 100
    assert pages[-1][-5:-3] == ["•", "item 9999"]  # then the running foot


def test_three_thousand_row_table_in_bounded_time_and_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = "".join(f"            - [r{i}, b{i}]\n" for i in range(3000))
    root = project(tmp_path, monkeypatch, SECTION_HEAD + (
        "      - table:\n          caption: Rows\n          header: [Name, Value]\n"
        "          rows:\n" + rows))
    run = measured(root, "build", "-o", "out.pdf")
    assert (run.code, run.stderr) == (0, "")
    run.within_bounds()
    pages = pdfutil.page_lines((root / "out.pdf").read_bytes())[2:]
    assert pages[0][1:6] == ["Table 1. Rows", "Name", "Value", "r0", "b0"]
    # the header row repeats on every page, and no row is lost
    assert all(lines[:3] == ["Table 1. Rows (continued)", "Name", "Value"]
               for lines in pages[1:])
    cells = [line for lines in pages for line in lines if re.fullmatch(r"r\d+", line)]
    assert cells == [f"r{i}" for i in range(3000)]


# --------------------------------------------------------------------- empty


def test_section_without_blocks_prints_its_heading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path, monkeypatch, "title: T\nsections:\n  - id: a\n    title: Alpha\n"
            "  - id: b\n    title: Beta\n    blocks: []\n    sections: []\n")
    text = body_text(renders())
    assert text.startswith("1 Alpha") and "2 Beta" in text


def test_table_without_rows_prints_its_header(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path, monkeypatch, SECTION_HEAD + (
        "      - table:\n          caption: Empty\n          header: [Name, Value]\n"
        "          rows: []\n"))
    assert "Table 1. Empty Name Value" in body_text(renders())


def test_table_without_columns_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path, monkeypatch, SECTION_HEAD + (
        "      - table:\n          caption: Empty\n          header: []\n          rows: []\n"))
    fails("outline/g.yaml:8:19: error: section 'a' > table 'Empty' > header: needs at least "
          "one column\n")


# -------------------------------------------------------------------- images


def drawn_images(pdf: bytes) -> list[tuple[float, float]]:
    """The width and height at which each image of the body pages is drawn."""
    sizes = []
    for page in pdfutil.reader(pdf).pages[2:]:
        stream = page.get_contents().get_data().decode("latin-1")
        for width, height in re.findall(
                r"([\d.]+) 0 0 ([\d.]+) [\d.-]+ [\d.-]+ cm\s*/FormXob\.[0-9a-f]{8,} Do", stream):
            sizes.append((float(width), float(height)))
    return sizes


TEXT_WIDTH = 612 - 72 - 64.8  # letter, less the default inner and outer margins


def test_tiny_image_prints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, monkeypatch, figure("../sections/pic.png"),
            {"sections/pic.png": png(1, 1)})
    pdf = renders()
    assert "Figure 1. A picture" in body_text(pdf)
    assert len(drawn_images(pdf)) == 1


@pytest.mark.parametrize("size", [(3000, 200), (200, 3000)], ids=["wide", "tall"])
def test_huge_image_is_scaled_down_to_fit(
    size: tuple[int, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # At 1 dpi the picture would be 3,000 inches across: it shrinks to fit, keeping its shape.
    project(tmp_path, monkeypatch, figure("../sections/pic.png"),
            {"sections/pic.png": png(*size, dpi=(1, 1))})
    ((width, height),) = drawn_images(renders())
    assert width <= TEXT_WIDTH + 0.01 and height < 792 - 2 * 61.2
    assert width / height == pytest.approx(size[0] / size[1], rel=0.01)


def embedded_images(pdf: bytes) -> list[tuple[tuple[int, int], str]]:
    """The pixel size and compression filter of each image embedded in the body pages."""
    found = []
    for page in pdfutil.reader(pdf).pages[2:]:
        for image in page.images:
            found.append((image.image.size, str(image.indirect_reference.get_object()["/Filter"])))
    return found


def photo(width: int, height: int, fmt: str, **save: object) -> bytes:
    buffer = io.BytesIO()
    Image.linear_gradient("L").resize((width, height)).convert("RGB").save(buffer, fmt, **save)
    return buffer.getvalue()


@pytest.mark.parametrize("fmt, name, filters", [("PNG", "pic.png", "/FlateDecode"),
                                                 ("JPEG", "pic.jpg", "/DCTDecode")])
def test_an_image_far_sharper_than_print_is_embedded_at_300_dpi(
    fmt: str, name: str, filters: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 6,000 pixels across, drawn at the text width (6.6 inches): 900 dpi
    project(tmp_path, monkeypatch, figure(f"../sections/{name}"),
            {f"sections/{name}": photo(6000, 3000, fmt, dpi=(600, 600))})
    pdf = renders()
    ((width, height),) = drawn_images(pdf)
    assert width == pytest.approx(TEXT_WIDTH, abs=0.01)
    ((size, kind),) = embedded_images(pdf)
    assert size == (round(width / 72 * 300), round(height / 72 * 300))
    assert filters in kind


def test_an_image_of_print_sharpness_is_embedded_as_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 1,200 pixels at 300 dpi: 4 inches, embedded pixel for pixel
    project(tmp_path, monkeypatch, figure("../sections/pic.png"),
            {"sections/pic.png": photo(1200, 800, "PNG", dpi=(300, 300))})
    pdf = renders()
    assert drawn_images(pdf) == [(pytest.approx(288, abs=0.01), pytest.approx(192, abs=0.01))]
    assert [size for size, _ in embedded_images(pdf)] == [(1200, 800)]


def test_truncated_png_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = png(400, 300)
    project(tmp_path, monkeypatch, figure("../sections/pic.png"),
            {"sections/pic.png": whole[: len(whole) // 2]})
    fails("outline/g.yaml:7:18: error: image 'pic.png' cannot be read: the file is cut short "
          "(truncated)\n"
          "  hint: copy or export the image again\n")


def test_truncated_jpeg_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Pillow's verify() passes a cut-short JPEG; it would print half grey.
    photo = tmp_path / "photo.jpg"
    Image.effect_noise((400, 300), 40).convert("RGB").save(photo, "JPEG")
    whole = photo.read_bytes()
    project(tmp_path, monkeypatch, figure("../sections/pic.jpg"),
            {"sections/pic.jpg": whole[: len(whole) // 2]})
    fails("outline/g.yaml:7:18: error: image 'pic.jpg' cannot be read: the file is cut short "
          "(truncated)\n"
          "  hint: copy or export the image again\n")


def test_fake_image_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, monkeypatch, figure("../sections/pic.png"),
            {"sections/pic.png": "<html>Not found</html>\n"})
    fails("outline/g.yaml:7:18: error: image 'pic.png' cannot be read: it is not a PNG or JPEG "
          "image\n"
          "  hint: check that it opens in an image viewer; renaming a file does not change "
          "its kind\n")


def test_empty_image_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, monkeypatch, figure("../sections/pic.png"), {"sections/pic.png": b""})
    fails("outline/g.yaml:7:18: error: image 'pic.png' cannot be read: the file is empty\n")


def decompression_bomb(side: int) -> bytes:
    """A valid 1-bit PNG of side × side pixels, all black: about 100 KB that would
    decode to side² pixels (900 million for 30,000)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    row = b"\0" * (1 + side // 8)
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row * 1000) for _ in range(side // 1000)) + packer.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data)
            + chunk(b"IEND", b""))


BOMB = ("outline/g.yaml:7:18: error: image 'pic.png' has more than {limit:,} pixels, too many "
        "to read safely\n"
        "  hint: scale it down: a picture as wide as the page needs about 2,000 pixels across "
        "to print sharply\n")


def test_decompression_bomb_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, monkeypatch, figure("../sections/pic.png"),
            {"sections/pic.png": decompression_bomb(30_000)})
    fails(BOMB.format(limit=Image.MAX_IMAGE_PIXELS))


def test_image_just_over_the_pixel_limit_is_refused_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Between the limit and twice it, Pillow only warns (on stderr, from its own source).
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 10_000)
    project(tmp_path, monkeypatch, figure("../sections/pic.png"),
            {"sections/pic.png": png(120, 120)})
    fails(BOMB.format(limit=10_000))


def test_text_file_named_like_an_image_in_a_callout_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path, monkeypatch, SECTION_HEAD + (
        "      - callout:\n          kind: key-point\n          blocks:\n"
        "            - figure:\n                image: ../sections/pic.jpg\n"
        "                caption: Inside\n"), {"sections/pic.jpg": "plain text\n"})
    result = cli("build")
    assert result.exit_code == 1
    assert result.stderr.startswith("outline/g.yaml:10:24: error: image 'pic.jpg' cannot be "
                                    "read: it is not a PNG or JPEG image\n")
