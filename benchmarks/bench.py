#!/usr/bin/env python3
"""Speed and memory benchmark: synthetic guides of growing size, built one per fresh process.

    python3 benchmarks/bench.py                  # 10, 50, 100, 300 and 1,000 sections
    python3 benchmarks/bench.py --sizes 10,50 --quick
    python3 benchmarks/bench.py --profile 300    # cProfile of one build, top entries

For each size it writes a project into a temporary folder (an outline with two
audiences, one section file a section, a CSL-YAML reference file and a glossary
file that grow with the size), builds it for one audience in a fresh
interpreter, and prints pages, seconds, pages per second, milliseconds per
page, peak memory (the child's maximum resident set) and layout passes. Then
it times `build --all` with `--jobs 1` against `--jobs` = all cores, a
plain-ReportLab multiBuild of comparable content, and the cost of starting the
interpreter and importing the package. Results vary with the machine; see
RESULTS.md beside this file for one run and what the numbers mean.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SIZES = (10, 50, 100, 300, 1000)
ALL_SIZE = 100  # sections of the guide whose `build --all` is timed
AUDIENCE = "alpha"  # the audience the size table builds

_WORDS = (
    "adrenal gland receptor neuron synapse vesicle release uptake transporter enzyme "
    "signal pressure vessel heart rate output resistance tone muscle smooth cardiac "
    "response stress alert attention arousal sleep blood flow kidney liver plasma "
    "infusion dose titration monitoring patient nurse clinician therapy treatment "
    "shock septic volume fluid perfusion oxygen tissue brain spinal cord nerve fiber "
    "sympathetic parasympathetic autonomic system hormone transmitter precursor "
    "metabolism breakdown excretion urine concentration measurement laboratory "
    "normal range elevated reduced chronic acute symptom headache anxiety tremor "
    "sweating pallor palpitations hypertension hypotension arrhythmia bradycardia "
    "tachycardia extravasation necrosis catheter central peripheral line site "
    "assessment documentation education family caregiver evidence guideline study "
    "trial cohort outcome mortality morbidity risk benefit adverse effect interaction "
    "medication inhibitor reuptake antidepressant stimulant vasopressor inotrope"
)
WORDS = _WORDS.split()


# ---------------------------------------------------------------- the project


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:]


def _q(text: str) -> str:
    """A YAML double-quoted scalar."""
    return json.dumps(text, ensure_ascii=False)


def _terms(count: int) -> list[str]:
    rng = random.Random(7)
    seen: set[str] = set()
    terms: list[str] = []
    while len(terms) < count:
        term = f"{rng.choice(WORDS)} {rng.choice(WORDS)}"
        if term not in seen:
            seen.add(term)
            terms.append(term)
    return terms


def _paragraph(rng: random.Random, terms: list[str], refs: int) -> str:
    """About 90 words with two glossary marks and two or three citations."""
    a, b = rng.sample(range(refs), 2)
    marks = rng.sample(terms, 2)
    parts = [
        _sentence(rng, 14), f" [[{marks[0]}]] ", _sentence(rng, 12).lower(),
        f" [@ref{a:04d}]. ", _sentence(rng, 16), f" [[{marks[1]}]] ",
        _sentence(rng, 10).lower(), f" [@ref{a:04d}; @ref{b:04d}, p. {rng.randint(2, 90)}]. ",
        f"As @ref{b:04d} notes, ", _sentence(rng, 18).lower(), ". ",
        _sentence(rng, 12), " with **", rng.choice(WORDS), "** and *", rng.choice(WORDS), "*.",
    ]
    return "".join(parts)


def _section(n: int, terms: list[str], refs: int) -> str:
    rng = random.Random(n)
    par = lambda: _q(_paragraph(rng, terms, refs))  # noqa: E731
    lines = [
        f"id: s{n:04d}",
        f"title: {_q(f'Section {n}: ' + _sentence(rng, 4).lower())}",
        "blocks:",
        f"  - paragraph: {par()}",
        f"  - paragraph: {par()}",
        "    audiences: [alpha]",
        f"  - paragraph: {par()}",
        "    audiences: [beta]",
        "  - bullets:",
        f"      - {_q(_sentence(rng, 8) + f' [[{rng.choice(terms)}]].')}",
        f"      - text: {_q(_sentence(rng, 10))}",
        f"        bullets: [{_q(_sentence(rng, 6))}, {_q(_sentence(rng, 7))}]",
        f"      - {_q(_sentence(rng, 12) + f' [@ref{rng.randrange(refs):04d}].')}",
        f"  - numbered: [{_q(_sentence(rng, 8))}, {_q(_sentence(rng, 9))}, "
        f"{_q(_sentence(rng, 7))}]",
        f"  - paragraph: {par()}",
    ]
    if n % 3 == 0:
        lines += [
            "  - callout:",
            "      kind: key-point",
            f"      text: {par()}",
        ]
    if n % 5 == 0:
        lines += [
            "  - table:",
            f"      caption: {_q('Comparison ' + str(n) + ': ' + _sentence(rng, 5).lower())}",
            '      header: ["", "First", "Second", "Third"]',
            "      rows:",
        ]
        for row in range(6):
            cells = [_q(f"Item {row + 1}"), *(_q(_sentence(rng, rng.randint(2, 9)))
                                              for _ in range(2)),
                     _q(_sentence(rng, 4) + f" [@ref{rng.randrange(refs):04d}]")]
            lines.append(f"        - [{', '.join(cells)}]")
        lines.append(f"      source: {_q('Adapted from ' + _sentence(rng, 4).lower())}")
    if n % 10 == 0:
        lines += [
            "  - questions:",
            f"      - short-answer: {_q(_sentence(rng, 9) + '?')}",
            f"        answer: {_q(_sentence(rng, 6))}",
            f"      - true-false: {_q(_sentence(rng, 10) + '.')}",
            "        answer: true",
        ]
    lines += [
        "sections:",
        f"  - id: s{n:04d}-sub",
        f"    title: {_q(_sentence(rng, 3))}",
        "    blocks:",
        f"      - paragraph: {par()}",
    ]
    return "\n".join(lines) + "\n"


def _references(count: int) -> str:
    rng = random.Random(11)
    out = ["references:"]
    for n in range(count):
        family = rng.choice(WORDS).capitalize()
        out += [
            f"  - id: ref{n:04d}",
            "    type: article-journal",
            f"    author: [{{family: {_q(family)}, given: {_q(rng.choice('ABCDEFGH') + '.')}}}, "
            f"{{family: {_q(rng.choice(WORDS).capitalize())}, given: J.}}]",
            f"    title: {_q(_sentence(rng, 8))}",
            f"    container-title: {_q('Journal of ' + rng.choice(WORDS).capitalize())}",
            f"    volume: {_q(str(rng.randint(1, 60)))}",
            f"    page: {_q(f'{rng.randint(1, 400)}-{rng.randint(401, 800)}')}",
            f"    issued: {{date-parts: [[{rng.randint(1990, 2024)}]]}}",
            f"    DOI: {_q(f'10.1000/bench.{n}')}",
        ]
    return "\n".join(out) + "\n"


def _glossary(terms: list[str]) -> str:
    rng = random.Random(13)
    out = ["terms:"]
    for i, term in enumerate(terms):
        out += [f"  - term: {_q(term)}",
                f"    definition: {_q(_sentence(rng, 18) + '.')}"]
        if i % 4 == 0 and i + 1 < len(terms):
            out.append(f"    see-also: [{_q(terms[i + 1])}]")
    return "\n".join(out) + "\n"


def sizes_of(sections: int) -> tuple[int, int]:
    """(references, glossary terms) of a guide with `sections` sections."""
    return max(8, sections // 2), max(12, sections // 2)


def generate(folder: Path, sections: int) -> Path:
    """Write a synthetic project with `sections` sections into `folder`; its outline."""
    refs, term_count = sizes_of(sections)
    terms = _terms(term_count)
    (folder / "outline").mkdir(parents=True, exist_ok=True)
    (folder / "sections").mkdir(exist_ok=True)
    (folder / "sections" / "references.yaml").write_text(_references(refs), encoding="utf-8")
    (folder / "sections" / "glossary.yaml").write_text(_glossary(terms), encoding="utf-8")
    for n in range(1, sections + 1):
        text = _section(n, terms, refs)
        (folder / "sections" / f"s{n:04d}.yaml").write_text(text, encoding="utf-8")
    # Every term is used and every work listed, so that no build warns about them.
    chunks = [terms[i:i + 10] for i in range(0, len(terms), 10)]
    index = ["id: index", "title: Index of terms", "blocks:"]
    index += [f"  - paragraph: {_q('Terms: ' + ', '.join(f'[[{t}]]' for t in chunk) + '.')}"
              for chunk in chunks]
    (folder / "sections" / "index.yaml").write_text("\n".join(index) + "\n", encoding="utf-8")
    outline = [
        f"title: Synthetic guide of {sections} sections",
        "subtitle: A benchmark",
        "author: [Bench Mark]",
        'date: "2026-01-01"',
        "lang: en",
        "bibliography: ../sections/references.yaml",
        "glossary: ../sections/glossary.yaml",
        "nocite: ['@*']",
        "audiences:",
        "  - name: alpha",
        "  - name: beta",
        "sections:",
        *(f"  - include: ../sections/s{n:04d}.yaml" for n in range(1, sections + 1)),
        "  - include: ../sections/index.yaml",
    ]
    path = folder / "outline" / "bench.yaml"
    path.write_text("\n".join(outline) + "\n", encoding="utf-8")
    return path


# ------------------------------------------------------------ child processes


def _peak_mb() -> float:
    # ru_maxrss is in kilobytes on Linux (bytes on macOS)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def child_build(outline: str, profile: str | None, audience: str | None = AUDIENCE
                ) -> dict[str, Any]:
    """Build `outline` for `audience` in this process; times, pages and memory as a dict."""
    started = time.perf_counter()
    sys.path.insert(0, str(ROOT))
    from studyguide.api import build_pdf, load_guide
    from studyguide.citations import pandoc

    in_pandoc = [0.0]
    run = pandoc.subprocess.run

    def timed(*args: Any, **kwargs: Any) -> Any:  # the time the build waits for pandoc
        t = time.perf_counter()
        try:
            return run(*args, **kwargs)
        finally:
            in_pandoc[0] += time.perf_counter() - t

    pandoc.subprocess.run = timed  # type: ignore[assignment]

    imported = time.perf_counter()
    after_import = _peak_mb()
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    t0 = time.perf_counter()
    loaded = load_guide(outline, audience=audience)
    t1 = time.perf_counter()
    result = build_pdf(loaded)
    t2 = time.perf_counter()
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(profile)
    return {
        "pages": result.pages, "passes": result.layout_passes,
        "import": imported - started, "load": t1 - t0, "render": t2 - t1,
        "seconds": t2 - t0, "peak_mb": _peak_mb(), "import_mb": after_import,
        "bytes": len(result.pdf), "warnings": len(result.warnings),
        "pandoc": in_pandoc[0], "pandoc_mb": _children_peak_mb(),
    }


def _children_peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def child_reportlab(sections: int) -> dict[str, Any]:
    """A plain ReportLab multiBuild of comparable content: the same number of sections,
    paragraphs, lists and tables, the same embedded fonts, and a TableOfContents."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import (
        ListFlowable,
        ListItem,
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Table,
    )
    from reportlab.platypus.tableofcontents import TableOfContents

    sys.path.insert(0, str(ROOT))
    from studyguide.render.fonts import register_family
    from studyguide.style.fonts import package_font_files
    from studyguide.style.types import FontFamily

    def family(kind: str) -> str:
        name, files = package_font_files(kind)
        return register_family(FontFamily(name, *files))

    t0 = time.perf_counter()
    serif, sans = family("serif"), family("sans")
    body = ParagraphStyle("body", fontName=serif, fontSize=10.5, leading=14.5,
                          alignment=4, spaceAfter=6, hyphenationLang="en_US",
                          embeddedHyphenation=1)
    h1 = ParagraphStyle("h1", fontName=sans + "-Bold", fontSize=17, leading=21,
                        spaceBefore=18, spaceAfter=8)
    h2 = ParagraphStyle("h2", parent=h1, fontSize=13, leading=16, spaceBefore=12)
    cell = ParagraphStyle("cell", fontName=serif, fontSize=9, leading=11.7)
    refs, term_count = sizes_of(sections)
    terms = _terms(term_count)

    class Doc(SimpleDocTemplate):
        passes = 0

        def afterFlowable(self, flowable: Any) -> None:
            level = {"h1": 0, "h2": 1}.get(getattr(flowable.style, "name", "")) \
                if isinstance(flowable, Paragraph) else None
            if level is not None:
                key = f"h{id(flowable)}"
                self.canv.bookmarkPage(key)
                self.notify("TOCEntry", (level, flowable.getPlainText(), self.page, key))

        def _startBuild(self, *args: Any, **kwargs: Any) -> None:
            Doc.passes += 1
            super()._startBuild(*args, **kwargs)

    def para(rng: random.Random) -> Paragraph:
        text = _paragraph(rng, terms, refs).replace("[[", "<b>").replace("]]", "</b>")
        return Paragraph(text, body)

    toc = TableOfContents()
    story: list[Any] = [toc, PageBreak()]
    for n in range(1, sections + 1):
        rng = random.Random(n)
        story.append(Paragraph(f"{n} Section {n}: {_sentence(rng, 4).lower()}", h1))
        story += [para(rng) for _ in range(3)]
        items = [ListItem(Paragraph(_sentence(rng, 9), body)) for _ in range(3)]
        story.append(ListFlowable(items, bulletType="bullet"))
        story.append(ListFlowable([ListItem(Paragraph(_sentence(rng, 8), body))
                                   for _ in range(3)], bulletType="1"))
        if n % 5 == 0:
            rows = [[Paragraph(_sentence(rng, rng.randint(2, 9)), cell) for _ in range(4)]
                    for _ in range(7)]
            story.append(Table(rows, repeatRows=1, colWidths=[100, 120, 120, 120]))
        story.append(Paragraph(f"{n}.1 {_sentence(rng, 3)}", h2))
        story.append(para(rng))
    import io

    out = io.BytesIO()
    doc = Doc(out, invariant=1)
    doc.multiBuild(story)
    t1 = time.perf_counter()
    return {"pages": doc.page, "seconds": t1 - t0, "passes": Doc.passes,
            "peak_mb": _peak_mb()}


def _child(args: list[str], cache: Path | None = None) -> dict[str, Any]:
    """Run this script as a child process and return its JSON answer; with a new, empty
    cache of pandoc's runs unless given one."""
    proc = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True,
                          cwd=ROOT, env=_env(cache))
    if proc.returncode != 0:
        raise SystemExit(f"child {args} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


_CACHES = tempfile.TemporaryDirectory(prefix="bench-caches-")  # removed when the run ends


def _env(cache: Path | None = None) -> dict[str, str]:
    """The environment of a measured command: a cache of pandoc's runs of its own (an
    empty one unless given), so that each build pays for pandoc as a first one does."""
    env = dict(os.environ)
    env.pop("SOURCE_DATE_EPOCH", None)
    env["STUDYGUIDE_CACHE"] = str(cache or tempfile.mkdtemp(prefix="cache-", dir=_CACHES.name))
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _wall(cmd: list[str], runs: int) -> float:
    """Best wall time of `runs` runs of `cmd` (seconds)."""
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT, env=_env())
        best = min(best, time.perf_counter() - t0)
    return best


def watch_edits(work: Path, edits: int) -> list[tuple[float, float]]:
    """One-word edits to a copy of the shipped guide under `make_guide.py watch`.

    For each edit: seconds from the save to the new PDF being on disk (the
    watcher's notice and debounce included), and the rebuild time the command
    prints itself.
    """
    project = work / "watched"
    for folder in ("outline", "sections", "styles"):
        shutil.copytree(ROOT / folder, project / folder)
    section = project / "sections" / "what-it-does.yaml"
    original = section.read_text(encoding="utf-8")
    if "ordinary" not in original:
        raise SystemExit("watch benchmark: the word it edits is no longer in " + section.name)
    target = project / "watched.pdf"
    command = [sys.executable, str(ROOT / "make_guide.py"), "watch",
               str(project / "outline" / "norepinephrine.yaml"), "--audience", "pharmacology",
               "-o", str(target)]
    wrote: list[tuple[float, str]] = []
    arrived = threading.Condition()

    def read(stream: Any) -> None:
        for line in stream:
            with arrived:
                wrote.append((time.perf_counter(), line))
                arrived.notify_all()

    def next_line(count: int) -> tuple[float, str]:
        with arrived:
            if not arrived.wait_for(lambda: len(wrote) > count, timeout=60):
                raise SystemExit("watch benchmark: no rebuild within 60 s")
            return wrote[count]

    results: list[tuple[float, float]] = []
    with subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                          text=True, env=_env()) as process:
        threading.Thread(target=read, args=(process.stdout,), daemon=True).start()
        try:
            next_line(0)  # the first, full build
            for n in range(1, edits + 1):
                time.sleep(1.0)  # the watcher is idle again
                word = "everyday" if n % 2 else "ordinary"
                saved = time.perf_counter()
                section.write_text(original.replace("ordinary", word), encoding="utf-8")
                at, line = next_line(n)
                if not line.startswith("wrote") or word not in _pdf_text(target):
                    raise SystemExit(f"watch benchmark: unexpected rebuild: {line.strip()}")
                printed = float(line.split(" in ")[1].split(" s")[0])
                results.append((at - saved, printed))
        finally:
            # SIGTERM, not Ctrl-C: a shell starts a background job with SIGINT ignored
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
    return results


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return " ".join((page.extract_text() or "") for page in PdfReader(path).pages)


# -------------------------------------------------------------------- report


def machine() -> list[str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    from importlib.metadata import PackageNotFoundError, version

    libs = []
    for dist in ("reportlab", "PyYAML", "pypandoc-binary", "markdown-it-py", "pyphen",
                 "jsonschema"):
        try:
            libs.append(f"{dist} {version(dist)}")
        except PackageNotFoundError:
            libs.append(f"{dist} missing")
    return [f"CPU: {cpu}, {os.cpu_count()} cores; RAM {ram}",
            f"Python {platform.python_version()} ({platform.python_implementation()}), "
            f"{platform.system()} {platform.release()}",
            "; ".join(libs)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)),
                        help="comma-separated section counts (default %(default)s)")
    parser.add_argument("--quick", action="store_true",
                        help="one run a size, sizes up to 100, --all and baseline at 50")
    parser.add_argument("--profile", type=int, metavar="SECTIONS",
                        help="profile one build of this size with cProfile and print the top")
    parser.add_argument("--top", type=int, default=30, help="profile entries to print")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "ARG"), help=argparse.SUPPRESS)
    parser.add_argument("--child-profile", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        kind, arg = args.child
        if kind == "reportlab":
            answer = child_reportlab(int(arg))
        else:  # "shipped": the outline's own audience
            answer = child_build(arg, args.child_profile, AUDIENCE if kind == "build" else None)
        print(json.dumps(answer))
        return

    work = Path(tempfile.mkdtemp(prefix="studyguide-bench-"))
    try:
        if args.profile:
            _profile(work, args.profile, args.top)
        else:
            _run(work, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _profile(work: Path, sections: int, top: int) -> None:
    import pstats

    outline = generate(work / f"g{sections}", sections)
    stats_file = Path(tempfile.gettempdir()) / f"studyguide-bench-{sections}.prof"
    result = _child(["--child", "build", str(outline), "--child-profile", str(stats_file)])
    print(f"{sections} sections: {result['pages']} pages in {result['seconds']:.2f} s "
          f"under cProfile; stats in {stats_file}")
    for order in ("tottime", "cumulative"):
        print(f"\n--- top {top} by {order}")
        pstats.Stats(str(stats_file)).sort_stats(order).print_stats(top)


def _run(work: Path, args: argparse.Namespace) -> None:
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.quick:
        sizes = [s for s in sizes if s <= 100] or sizes[:1]
    for line in machine():
        print(line)
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}\n")

    # Interpreter start and import, apart from the build.
    python = _wall([sys.executable, "-c", "pass"], 5)
    imports = _wall([sys.executable, "-c", "import studyguide.commands.cli"], 5)
    helps = _wall([sys.executable, str(ROOT / "make_guide.py"), "--help"], 5)
    api = _wall([sys.executable, "-c", "import studyguide.api, studyguide.render.guide"], 5)
    print(f"start-up: python -c pass {python * 1000:.0f} ms; import studyguide.commands.cli "
          f"{imports * 1000:.0f} ms; make_guide.py --help {helps * 1000:.0f} ms; "
          f"import studyguide.api + render (what a build loads) {api * 1000:.0f} ms\n")

    shipped = ROOT / "outline" / "norepinephrine.yaml"
    if shipped.is_file():
        best = min((_child(["--child", "shipped", str(shipped)]) for _ in range(3)),
                   key=lambda r: r["seconds"])
        print(f"shipped guide ({shipped.name}, its default audience): {best['pages']} pages, "
              f"load {best['load']:.2f} s + render {best['render']:.2f} s = "
              f"{best['seconds']:.2f} s after {best['import']:.2f} s of imports; "
              f"peak {best['peak_mb']:.0f} MB; of the load, waiting for pandoc "
              f"{best['pandoc']:.2f} s (pandoc's peak {best['pandoc_mb']:.0f} MB)")
        cache = work / "warm-cache"
        _child(["--child", "shipped", str(shipped)], cache)
        warm = min((_child(["--child", "shipped", str(shipped)], cache) for _ in range(3)),
                   key=lambda r: r["seconds"])
        print(f"  again with pandoc's run in the cache: load {warm['load']:.2f} s + render "
              f"{warm['render']:.2f} s = {warm['seconds']:.2f} s; peak {warm['peak_mb']:.0f} MB"
              "\n")

    header = (f"{'sections':>8} {'pages':>6} {'seconds':>8} {'load s':>7} {'render s':>8} "
              f"{'pages/s':>8} {'ms/page':>8} {'peak MB':>8} {'base MB':>8} {'passes':>6} "
              f"{'pandoc s':>8} {'pandoc MB':>9}")
    print(header)
    rows: dict[int, dict[str, Any]] = {}
    for sections in sizes:
        outline = generate(work / f"g{sections}", sections)
        runs = 1 if args.quick or sections >= 1000 else (2 if sections >= 300 else 3)
        best: dict[str, Any] | None = None
        for _ in range(runs):
            got = _child(["--child", "build", str(outline)])
            if best is None or got["seconds"] < best["seconds"]:
                best = got
        assert best is not None
        rows[sections] = best
        print(f"{sections:>8} {best['pages']:>6} {best['seconds']:>8.2f} {best['load']:>7.2f} "
              f"{best['render']:>8.2f} {best['pages'] / best['seconds']:>8.1f} "
              f"{best['seconds'] / best['pages'] * 1000:>8.1f} {best['peak_mb']:>8.0f} "
              f"{best['import_mb']:>8.0f} {best['passes']:>6} {best['pandoc']:>8.2f} "
              f"{best['pandoc_mb']:>9.0f}", flush=True)
    _targets(rows)

    # build --all: every variant one after another, then on every core.
    mid = 50 if args.quick else ALL_SIZE
    outline = generate(work / f"all{mid}", mid)
    jobs = os.cpu_count() or 1
    build = [sys.executable, str(ROOT / "make_guide.py"), "build", str(outline), "--all"]
    serial = _wall([*build, "--jobs", "1", "-o", str(work / "serial")], 1 if args.quick else 2)
    parallel = _wall([*build, "--jobs", str(jobs), "-o", str(work / "parallel")],
                     1 if args.quick else 2)
    # What a user without --all does: one `build` command a variant, one after another.
    one_by_one = [[sys.executable, str(ROOT / "make_guide.py"), "build", str(outline),
                   "--audience", audience, "--edition", edition,
                   "-o", str(work / f"one-{audience}-{edition}.pdf")]
                  for audience in ("alpha", "beta") for edition in ("student", "instructor")]
    separate = min(sum(_wall(command, 1) for command in one_by_one)
                   for _ in range(1 if args.quick else 2))
    print(f"\nbuild --all, {mid} sections, 4 variants (2 audiences x 2 editions): "
          f"--jobs 1 {serial:.2f} s, --jobs {jobs} {parallel:.2f} s, "
          f"speed-up {serial / parallel:.2f}x; 4 build commands one after another "
          f"{separate:.2f} s, speed-up {separate / parallel:.2f}x (target >= 1.7x on 2 cores)")

    # Plain ReportLab: the same content without our features, laid out by multiBuild.
    base_size = 50 if args.quick else 300
    ours = rows.get(base_size)
    plain = _child(["--child", "reportlab", str(base_size)])
    line = (f"\nplain ReportLab multiBuild, {base_size} sections: {plain['pages']} pages in "
            f"{plain['seconds']:.2f} s ({plain['pages'] / plain['seconds']:.1f} pages/s, "
            f"{plain['passes']} passes, peak {plain['peak_mb']:.0f} MB)")
    if ours:
        ratio = (plain["seconds"] / plain["pages"]) / (ours["seconds"] / ours["pages"])
        line += (f"; studyguide per page is {ratio:.2f}x its speed "
                 f"(Typst is about 2x; beating it needs > 2.0x)")
    print(line)

    # Last: reading the PDF imports pypdf here, and a child's peak memory on Linux
    # starts from this process's size when it forks.
    edits = watch_edits(work, 3 if args.quick else 7)
    latencies = sorted(latency for latency, _ in edits)
    rebuilds = sorted(rebuild for _, rebuild in edits)
    print(f"\nwatch, one-word edit to the shipped guide (pharmacology), {len(edits)} edits: "
          f"save to new PDF median {latencies[len(latencies) // 2]:.2f} s "
          f"(best {latencies[0]:.2f}, worst {latencies[-1]:.2f}; target < 1 s), "
          f"of which the rebuild median {rebuilds[len(rebuilds) // 2]:.2f} s")


def _targets(rows: dict[int, dict[str, Any]]) -> None:
    """The issue's targets that the size table alone can judge."""
    if 50 in rows and 1000 in rows:
        small, big = rows[50], rows[1000]
        ratio = (big["seconds"] / big["pages"]) / (small["seconds"] / small["pages"])
        print(f"\ntime per page, 1,000 vs 50 sections: {ratio:.2f}x (target <= 1.2x)")
        growth = (big["peak_mb"] - big["import_mb"]) / max(small["peak_mb"] - small["import_mb"],
                                                             1e-9)
        pages = big["pages"] / small["pages"]
        print(f"memory above the import baseline grows {growth:.1f}x for {pages:.1f}x pages; "
              f"peak at 1,000 sections {big['peak_mb']:.0f} MB (target < 300 MB)")
    if rows:
        passes = {r["passes"] for r in rows.values()}
        print(f"layout passes per build: {sorted(passes)} (target: 1)")


if __name__ == "__main__":
    main()
