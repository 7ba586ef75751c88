"""The command line: build, validate, check, audiences and init, over the Python API."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from .. import __version__
from ..model.diagnostics import Diagnostic, GuideError, error, shown_path

if TYPE_CHECKING:
    from ..batch import Options

F = TypeVar("F", bound=Callable[..., Any])

EPILOG = """\b
Examples:
  make_guide.py build                         build the outline in outline/ into build/
  make_guide.py build outline/ne.yaml -o ne.pdf --paper a4
  make_guide.py build --style large-print     the same guide in large print
  make_guide.py build --edition instructor    answers under each question
  make_guide.py build --audience patient      the patient audience's build
  make_guide.py build --all --jobs 4          every audience and edition, in parallel
  make_guide.py build --booklet               a fold-in-the-middle booklet to print duplex
  make_guide.py cards --from glossary          flashcards of the glossary terms
  make_guide.py cards --calibrate             a sheet that measures your printer's duplex shift
  make_guide.py watch --audience nursing      rebuild on every save
  make_guide.py audiences                     each audience and the sections it gets
  make_guide.py validate                      report every problem, build nothing
  make_guide.py check --audience patient      words, reading grade and pages per section
  make_guide.py init my-guide                 start a new guide project
"""


@click.group(epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="make_guide")
@click.option("--debug", is_flag=True, hidden=True, help="Show Python tracebacks.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Build print-ready study-guide PDFs from a YAML outline."""
    ctx.obj = {"debug": debug}


def reports_errors(command: F) -> F:
    """Print GuideError diagnostics as `file:line:col: error: ...` and exit 1."""

    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except GuideError as exc:
            _print_diagnostics(exc.diagnostics)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("interrupted; nothing was written", err=True)
            sys.exit(130)
        except click.ClickException:
            raise  # usage errors: click reports them and exits 2
        except Exception as exc:  # a bug of ours must still not greet users with a traceback
            if click.get_current_context().find_root().obj.get("debug"):
                raise
            click.echo(f"internal error: {type(exc).__name__}: {exc}", err=True)
            click.echo("  hint: this is a bug in make_guide; rerun with --debug "
                       "and report the traceback", err=True)
            sys.exit(1)

    return run  # type: ignore[return-value]


OUTLINE = click.argument(
    "outline", required=False, type=click.Path(dir_okay=False, path_type=Path)
)


@main.command(epilog=EPILOG)
@OUTLINE
# Checked in build(): with --all, -o names a folder, and `-o out/` is what people write.
@click.option("-o", "--output", type=click.Path(),
              help="Where to write the PDF (default: build/OUTLINE.pdf); with --all, the "
                   "folder to write into.")
@click.option("--style", help="A style sheet name or path, instead of the outline's.")
@click.option("--paper", type=click.Choice(["letter", "a4"], case_sensitive=False),
              help="Page size, instead of the style sheet's.")
@click.option("--citation-style", metavar="NAME|FILE.csl",
              help="Citation style (apa, ama, vancouver, chicago, mla or a .csl file), "
                   "instead of the outline's.")
@click.option("--edition", type=click.Choice(["student", "instructor", "worksheet"],
                                             case_sensitive=False),
              help="student: questions without answers, an answer key at the end; "
                   "instructor: answers under each question; worksheet: marked glossary "
                   "terms as blanks with a word bank (default: the outline's, else student).")
@click.option("--no-answer-key", is_flag=True, help="Leave the student edition's answer key out.")
@click.option("--audience", metavar="NAME",
              help="Build for one of the outline's audiences "
                   "(default output: build/OUTLINE-NAME-EDITION.pdf).")
@click.option("--strict", is_flag=True, help="Treat every warning as an error.")
@click.option("--all", "build_all", is_flag=True,
              help="Build every audience and edition into build/ (or the folder -o names), "
                   "as OUTLINE-AUDIENCE-EDITION.pdf.")
@click.option("--jobs", type=click.IntRange(min=1), metavar="N",
              help="With --all: build N variants at a time, on at most N cores "
                   "(default: every core).")
@click.option("--cornell", is_flag=True,
              help="A Cornell review page after each top-level section (cues: its terms "
                   "and questions; ruled notes; a summary box).")
@click.option("--booklet", is_flag=True,
              help="Impose the guide 2-up on landscape sheets in saddle-stitch order: print "
                   "it duplex (flip on the short edge), fold in the middle "
                   "(default output: build/OUTLINE-booklet.pdf).")
@reports_errors
def build(outline: Path | None, output: str | None, style: str | None,
          paper: str | None, citation_style: str | None, edition: str | None,
          no_answer_key: bool, audience: str | None, strict: bool, build_all: bool,
          jobs: int | None, cornell: bool, booklet: bool) -> None:
    """Build OUTLINE (default: the outline in ./outline/) into a PDF."""
    from ..api import build_pdf, check_output, default_output, find_outline, load_guide
    from ..output.write import write_atomic

    if build_all:
        if booklet:
            raise click.UsageError("--booklet builds one guide; leave out --all")
        if audience is not None or edition is not None:
            raise click.UsageError("--all builds every audience and edition; "
                                   "leave out --audience and --edition")
        from ..batch import Options

        options = Options(style=style, paper=paper.lower() if paper else None,
                          citation_style=citation_style,
                          answer_key=False if no_answer_key else None, strict=strict)
        _build_every_variant(outline or find_outline(), Path(output) if output else None,
                             jobs, options)
        return
    if jobs is not None:
        raise click.UsageError("--jobs goes with --all")
    written = output_path(output)
    loaded = load_guide(outline or find_outline(), citation_style=citation_style,
                        edition=edition.lower() if edition else None,
                        answer_key=False if no_answer_key else None, audience=audience,
                        cornell=True if cornell else None)
    target = written or default_output(loaded)
    if booklet and written is None:
        target = target.with_name(target.stem + "-booklet.pdf")
    check_output(target, loaded)
    result = build_pdf(loaded, style=style, paper=paper.lower() if paper else None,
                       strict=strict)
    pdf, pages = result.pdf, result.pages
    if booklet:
        from ..handouts.booklet import impose_booklet

        pdf, pages = impose_booklet(pdf), -(-result.pages // 4) * 2  # sheet sides
    if written is None:
        make_folder(target.parent, target)
    write_atomic(target, pdf)
    _print_diagnostics(result.warnings)
    noun = ("sheet side" if booklet else "page") + ("" if pages == 1 else "s")
    click.echo(f"wrote {shown_path(target)} ({pages} {noun}"
               + (f" for {result.pages} pages)" if booklet else ")"))


def _build_every_variant(outline: Path, output: Path | None, jobs: int | None,
                         options: Options) -> None:
    """`build --all`: every variant in worker processes, a progress bar, a summary."""
    from ..api import load_guide
    from ..batch import INTERRUPTED, build_all, variants

    guide = load_guide(outline, check_only=True).guide
    todo = variants(guide)
    folder = output if output is not None else guide.root / "build"
    if folder.exists() and not folder.is_dir():
        raise click.BadParameter(f"{shown_path(folder)} is not a folder; with --all, "
                                 "-o names the folder to write into", param_hint="'-o'")
    make_folder(folder, folder)
    stderr = sys.stderr  # click.get_text_stream is deprecated from click 8.5
    if stderr.isatty():
        with click.progressbar(length=len(todo), label="building", show_pos=True,
                               file=stderr) as bar:
            outcomes = build_all(outline, folder, todo, jobs=jobs, options=options,
                                 on_done=lambda _outcome: bar.update(1))
    else:  # a log or a pipe wants the results, not a bar's leftovers
        outcomes = build_all(outline, folder, todo, jobs=jobs, options=options)
    for outcome in outcomes:
        if outcome.path is not None:
            pages = "page" if outcome.pages == 1 else "pages"
            click.echo(f"wrote {shown_path(outcome.path)} ({outcome.pages} {pages})")
    for outcome in outcomes:
        for message in outcome.messages:
            click.echo(f"{outcome.variant.name}: {message}", err=True)
    if any(INTERRUPTED in outcome.messages for outcome in outcomes):
        sys.exit(130)  # as a shell reports Ctrl-C
    if any(not outcome.ok for outcome in outcomes):
        sys.exit(1)


@main.command(epilog=EPILOG)
@OUTLINE
@reports_errors
def validate(outline: Path | None) -> None:
    """Check OUTLINE and everything it includes; report every problem at once."""
    from ..api import find_outline, load_guide, load_sheet
    from ..model.traverse import walk_sections

    loaded = load_guide(outline or find_outline(), check_only=True)
    load_sheet(loaded)
    _print_diagnostics(loaded.warnings)
    count = sum(1 for s in walk_sections(loaded.guide.sections) if not s.unnumbered)
    click.echo(f"{shown_path(loaded.guide.outline)}: ok ({count} sections, "
               f"{len(loaded.project.documents)} files)")


@main.command(epilog=EPILOG)
@OUTLINE
@reports_errors
def audiences(outline: Path | None) -> None:
    """List OUTLINE's audiences and the top-level sections each one gets."""
    from ..api import find_outline, load_guide
    from ..model.document import DEFAULT_EDITIONS, plain_text

    path = outline or find_outline()
    loaded = load_guide(path, check_only=True)
    if not loaded.guide.audiences:
        click.echo(f"{shown_path(loaded.guide.outline)}: no audiences defined")
    for entry in loaded.guide.audiences:
        guide = load_guide(path, audience=entry.name, check_only=True).guide
        grade = "-" if entry.reading_grade is None else f"{entry.reading_grade:g}"
        title = plain_text(guide.meta.title)
        click.echo(f"{entry.name}: {title} (style {entry.style or guide.style}, "
                   f"reading grade {grade})")
        ids = [s.id for s in guide.sections if not s.unnumbered]
        click.echo("  sections: " + (", ".join(ids) or "none"))
        click.echo("  editions: " + ", ".join(entry.editions))
    if not loaded.guide.audiences:
        click.echo("editions: " + ", ".join(DEFAULT_EDITIONS))


@main.command(epilog=EPILOG)
@OUTLINE
@click.option("--audience", metavar="NAME",
              help="Check one audience (default: each audience, else the whole guide).")
@click.option("--strict", is_flag=True,
              help="A section above its audience's reading grade is an error.")
@reports_errors
def check(outline: Path | None, audience: str | None, strict: bool) -> None:
    """Words, reading grade, pages, glossary terms and uncited paragraphs per section."""
    from ..api import find_outline, load_guide
    from ..validate.readability import format_table, grade_diagnostics, guide_report

    path = outline or find_outline()
    names: list[str | None]
    if audience is not None:
        names = [audience]
    else:
        names = [a.name for a in load_guide(path, check_only=True).guide.audiences] or [None]
    problems: list[Diagnostic] = []
    for index, name in enumerate(names):
        guide = load_guide(path, audience=name, check_only=True).guide
        reports = guide_report(guide)
        if index:
            click.echo()
        label = f"audience {name}" if name is not None else "whole guide"
        click.echo(f"{shown_path(guide.outline)}: {label} (style {guide.style})")
        click.echo(format_table(reports))
        problems.extend(grade_diagnostics(guide, reports, strict))
    if strict and problems:
        raise GuideError(problems)
    _print_diagnostics(problems)


@main.command(epilog=EPILOG)
@OUTLINE
@click.option("-o", "--output", type=click.Path(), callback=lambda _c, _p, v: output_path(v),
              help="Where to write the PDF (default: build/OUTLINE[-AUDIENCE]-cards.pdf).")
@click.option("--audience", metavar="NAME", help="Cards for one of the outline's audiences.")
@click.option("--from", "sources", default="glossary,questions", show_default=True,
              metavar="glossary,questions",
              help="What to make cards of: glossary terms, review questions, or both.")
@click.option("--style", help="A style sheet name or path (its cards: settings apply).")
@click.option("--paper", type=click.Choice(["letter", "a4"], case_sensitive=False),
              help="Page size, instead of the style sheet's.")
@click.option("--per-sheet", type=click.IntRange(1, 40), metavar="N",
              help="Cards on a sheet, instead of the style's cards.per-sheet (default 8).")
@click.option("--flip", type=click.Choice(["long", "short"], case_sensitive=False),
              help="The edge your printer turns the sheet over when printing both sides, "
                   "instead of the style's cards.flip (default long).")
@click.option("--calibrate", is_flag=True,
              help="Write the duplex calibration sheet instead: print it on both sides, read "
                   "the offset, set it as cards: {duplex-offset: {x: ..., y: ...}}.")
@click.option("--strict", is_flag=True, help="Treat every warning as an error.")
@reports_errors
def cards(outline: Path | None, output: Path | None, audience: str | None, sources: str,
          style: str | None, paper: str | None, per_sheet: int | None, flip: str | None,
          calibrate: bool, strict: bool) -> None:
    """Flashcards to print duplex and cut out: term / definition, question / answer."""
    from ..api import check_output, find_outline, load_guide, load_sheet, strict_error
    from ..handouts.cards import build_cards, calibration_pdf
    from ..output.write import write_atomic

    chosen = tuple(s.strip().lower() for s in sources.split(",") if s.strip())
    unknown = [s for s in chosen if s not in ("glossary", "questions")]
    if unknown or not chosen:
        raise click.BadParameter(f"unknown source {', '.join(unknown) or 'none'}; use "
                                 "glossary, questions or glossary,questions",
                                 param_hint="'--from'")
    loaded = load_guide(outline or find_outline(), audience=audience)
    sheet = load_sheet(loaded, style=style, paper=paper.lower() if paper else None)
    sheet = replace(sheet, cards_per_sheet=per_sheet or sheet.cards_per_sheet,
                    card_flip=flip.lower() if flip else sheet.card_flip)
    guide = loaded.guide
    stem = guide.outline.stem + (f"-{guide.audience}" if guide.audience else "")
    name = "cards-calibration.pdf" if calibrate else f"{stem}-cards.pdf"
    target = output or guide.root / "build" / name
    check_output(target, loaded)
    if calibrate:
        pdf, summary = calibration_pdf(sheet), "2 pages: print both sides"
    else:
        result = build_cards(guide, sheet, chosen)
        if strict and result.warnings:
            raise GuideError([strict_error(d) for d in result.warnings])
        pdf = result.pdf
        summary = (f"{result.cards} card{'' if result.cards == 1 else 's'} on "
                   f"{result.sheets} sheet{'' if result.sheets == 1 else 's'}, "
                   f"fronts and backs alternating; print duplex, flip on the "
                   f"{sheet.card_flip} edge")
        _print_diagnostics(result.warnings)
    if output is None:
        make_folder(target.parent, target)
    write_atomic(target, pdf)
    click.echo(f"wrote {shown_path(target)} ({summary})")


@main.command(epilog=EPILOG)
@OUTLINE
@click.option("-o", "--output", type=click.Path(), callback=lambda _c, _p, v: output_path(v),
              help="Where to write the PDF (default: as build writes it).")
@click.option("--audience", metavar="NAME", help="Build for one of the outline's audiences.")
@click.option("--edition", type=click.Choice(["student", "instructor", "worksheet"],
                                             case_sensitive=False),
              help="The edition to build (default: the outline's, else student).")
@click.option("--style", help="A style sheet name or path, instead of the outline's.")
@click.option("--paper", type=click.Choice(["letter", "a4"], case_sensitive=False),
              help="Page size, instead of the style sheet's.")
@reports_errors
def watch(outline: Path | None, output: Path | None, audience: str | None,
          edition: str | None, style: str | None, paper: str | None) -> None:
    """Build OUTLINE, then build it again whenever one of its files changes (Ctrl-C stops)."""
    import time

    from ..api import build_pdf, check_output, default_output, find_outline, load_guide
    from ..load.project import project_root
    from ..output.write import write_atomic
    from .watcher import watch as watch_files

    path = (outline or find_outline()).resolve()
    root = project_root(path)
    # Named once, from the first build that loads: a later edit must not move it.
    target: Path | None = output

    def rebuild() -> None:
        nonlocal target
        started = time.perf_counter()
        try:
            loaded = load_guide(path, audience=audience,
                                edition=edition.lower() if edition else None)
            target = target or default_output(loaded)
            check_output(target, loaded)
            result = build_pdf(loaded, style=style, paper=paper.lower() if paper else None)
            make_folder(target.parent, target)
            write_atomic(target, result.pdf)
        except GuideError as exc:  # shown, and the watch goes on: the next save may fix it
            _print_diagnostics(exc.diagnostics)
            click.echo("not rebuilt; watching for changes (Ctrl-C stops)", err=True)
            return
        except Exception as exc:  # a bug of ours must not end the session either
            click.echo(f"internal error: {type(exc).__name__}: {exc}", err=True)
            return
        _print_diagnostics(result.warnings)
        seconds = time.perf_counter() - started
        click.echo(f"wrote {shown_path(target)} ({result.pages} pages) in {seconds:.2f} s; "
                   "watching for changes (Ctrl-C stops)")

    watch_files(root, lambda: target, rebuild)


@main.command(epilog=EPILOG)
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@reports_errors
def init(directory: Path) -> None:
    """Write a small starter guide project into DIRECTORY."""
    from .starter import write_starter

    written = write_starter(directory)
    for path in written:
        click.echo(f"created {shown_path(path)}")
    click.echo(f"next: cd {shown_path(directory)} && make_guide.py build")


def output_path(value: str | None) -> Path | None:
    """`-o`'s value as a Path; a name ending in a slash is a folder, not a file to write."""
    if value is None:
        return None
    if value.endswith(("/", os.sep)) and not Path(value).is_dir():
        raise click.BadParameter(f"{value} ends with a slash: -o names the file to write; "
                                 f"give a file name, e.g. {Path(value) / 'guide.pdf'}",
                                 param_hint="'-o'")
    return Path(value)


def make_folder(folder: Path, target: Path) -> None:
    """The default output folder (build/), made if missing, with a message if it cannot be."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise GuideError([error(f"cannot write {shown_path(target)}: {shown_path(folder)} is a "
                                "file, not a folder", None,
                                "move or rename the file, or choose another path with -o")]
                         ) from None
    except OSError as exc:
        raise GuideError([error(f"cannot write {shown_path(target)}: cannot make the folder "
                                f"{shown_path(folder)} ({exc.strerror or exc})")]) from None


def _print_diagnostics(diagnostics: Iterable[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        click.echo(diagnostic.format(), err=True)
