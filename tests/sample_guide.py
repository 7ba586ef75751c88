"""Guides built directly in Python for the layout and render tests (and a visual sample).

Run `python tests/sample_guide.py` to write /tmp/layout-sample.pdf.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

from studyguide.model import document as m

HERE = m.Pos("guide.yaml", 1, 1)


def pos(line: int, column: int = 1, file: str = "sections/s.yaml") -> m.Pos:
    return m.Pos(file, line, column)


def t(*parts: str | m.Span, at: m.Pos = HERE) -> m.Inline:
    """An Inline from plain strings and spans."""
    spans = tuple(m.Text(p) if isinstance(p, str) else p for p in parts)
    return m.Inline(m.plain_text(spans), at, spans)


def para(*parts: str | m.Span, at: m.Pos = HERE) -> m.Paragraph:
    return m.Paragraph(t(*parts, at=at), at)


def section(
    number: str, title: str, *blocks: m.Block, subs: tuple[m.Section, ...] = (), at: m.Pos = HERE
) -> m.Section:
    level = number.count(".") + 1
    return m.Section(f"sec-{number}", t(title, at=at), tuple(blocks), at, subs, number, level)


def guide(*sections: m.Section, toc: bool = True, **meta: object) -> m.Guide:
    fields: dict[str, object] = {
        "title": t("Norepinephrine"),
        "pos": HERE,
        "subtitle": t("A study guide for nursing students"),
        "authors": ("A. Author", "B. Writer"),
        "date": "2026-05-01",
        "version": "1.0",
        "subject": "Pharmacology",
        "keywords": ("norepinephrine", "vasopressor"),
    }
    fields.update(meta)
    return m.Guide(m.Meta(**fields), tuple(sections), Path("/x/guide.yaml"), Path("/x"), toc=toc)


def png(path: Path, size: tuple[int, int] = (640, 400)) -> Path:
    img = Image.new("RGB", size, "#dde6f0")
    draw = ImageDraw.Draw(img)
    draw.rectangle((20, 20, size[0] - 20, size[1] - 20), outline="#16365c", width=6)
    draw.line((20, 20, size[0] - 20, size[1] - 20), fill="#a4262c", width=4)
    img.save(path)
    return path


LOREM = (
    "Norepinephrine acts on alpha-1 receptors of vascular smooth muscle, raising systemic "
    "vascular resistance and mean arterial pressure; its beta-1 effect raises contractility. "
    "Nurses titrate the infusion to the prescribed target and watch the infusion site closely."
)


def long_table(rows: int = 60, at: m.Pos = HERE) -> m.Table:
    return m.Table(
        caption=t("Vasopressors compared"),
        header=(t("Drug"), t("Receptors"), t("Typical dose"), t("Notes")),
        rows=tuple(
            (t(f"Drug {i}"), t("α1, β1"), t(f"{i * 0.01:.2f} µg/kg/min"),
             t("Watch for ", m.Strong((m.Text("tissue ischaemia"),)), " at the site."))
            for i in range(1, rows + 1)
        ),
        pos=at,
        source=t("Product labelling, 2024"),
        number=1,
    )


def nested_list() -> m.ListBlock:
    inner3 = m.ListBlock(False, (m.ListItem(t("third level bullet")),
                                 m.ListItem(t("another third"))), HERE)
    inner2 = m.ListBlock(True, (m.ListItem(t("second level one"), (inner3,)),
                                m.ListItem(t("second level two"))), HERE)
    return m.ListBlock(False, (m.ListItem(t("First item: ", m.Emph((m.Text("emphasis"),))),
                                          (inner2,)),
                               m.ListItem(t(LOREM))), HERE)


def comparison_table() -> m.Table:
    rows = (
        ("Norepinephrine", "α1 > β1", "Septic shock (first line)", "0.05–0.5 µg/kg/min",
         "Reflex bradycardia; extravasation causes necrosis — give by central line when possible"),
        ("Epinephrine", "β1, β2, α1", "Anaphylaxis, cardiac arrest", "0.01–0.5 µg/kg/min",
         "Tachyarrhythmia, hyperglycaemia, lactate rise"),
        ("Vasopressin", "V1", "Add-on in septic shock", "0.03 units/min",
         "Digital ischaemia"),
    )
    return m.Table(
        caption=t("Vasopressors side by side, with the ", m.Emph((m.Text("usual"),)), " doses"),
        header=(t("Drug"), t("Receptors"), t("Main use"), t("Dose"), t("Watch for")),
        rows=tuple(tuple(t(c) for c in row) for row in rows),
        pos=HERE, source=t("Adapted from product labels"), number=2,
    )


def sample(image: Path) -> m.Guide:
    """Every block type, a long table, a long callout and nested lists."""
    callout_long = m.Callout("clinical-note", None, tuple(para(LOREM) for _ in range(14)), HERE)
    numbered = m.ListBlock(True, tuple(m.ListItem(t(f"Step {i}: check the line.")) for i in
                                       range(1, 13)), HERE, start=3)
    fig = m.Figure(image, t("A placeholder diagram of the receptor"), HERE,
                   source=t("Drawn for this guide"), width=0.7, number=1)
    return guide(
        section("1", "Overview", para(LOREM), para("Inline: x<y, R&D, <img src=x>, &amp;, ",
                                                   m.Code("code()"), ", ",
                                                   m.Link("https://example.org", (m.Text("link"),)),
                                                   ", α β → µ ≥."),
                m.Callout("key-point", None, (para(LOREM), nested_list()), HERE),
                nested_list(), numbered,
                subs=(section("1.1", "Mechanism", para(LOREM), fig, para(LOREM)),
                      section("1.2", "Receptors", para(LOREM),
                              m.Callout("warning", t("Extravasation"), (para(LOREM),), HERE)))),
        section("2", "Dosing", para(LOREM), long_table(),
                subs=(section("2.1", "Long note", callout_long, para(LOREM)),)),
        section("3", "Memory aids",
                m.Callout("mnemonic", None, (para("NE: ", m.Strong((m.Text("N"),)), "arrow ",
                                                  m.Strong((m.Text("E"),)), "levated"),), HERE),
                m.Callout("remember", None, (para(LOREM),), HERE), m.PageBreak(HERE),
                para("After a page break."), comparison_table(),
                m.Callout("key-point", t("A table in a box"), (para(LOREM), comparison_table()),
                          HERE)),
    )


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from conftest import default_style

    from studyguide.render.guide import render_guide

    out = render_guide(sample(png(Path("/tmp/layout-sample.png"))), default_style())
    Path("/tmp/layout-sample.pdf").write_bytes(out.pdf)
    print(out.pages, "pages;", out.layout_passes, "pass;", *out.warnings, sep="\n")
