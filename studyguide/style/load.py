"""Finding a style sheet and its `extends:` chain, and load_style, which reads them into a Style."""

from __future__ import annotations

from pathlib import Path

from ..load.loader import load_document
from ..model.diagnostics import Diagnostic, GuideError, did_you_mean, error
from ..model.document import Pos
from ..validate.schema import validate_document
from .types import BUILTIN_DIR, PAPER_SIZES, SheetFile, Style, display_path
from .values import read_style


def load_style(
    name_or_path: str, project_root: Path, paper: str | None = None, *, pos: Pos | None = None
) -> Style:
    """The style named `name_or_path`, with its `extends:` chain applied.

    A name is looked up as `project_root/styles/NAME.yaml`, then as a sheet
    built into the package. A value with a `/` or ending in `.yaml` is a path
    relative to the project folder. `paper` ("letter" or "a4") overrides the
    sheet's page size. `pos` is where the outline asked for the style. Raises
    GuideError with positioned diagnostics on a bad sheet or an unknown name.
    """
    root = Path(project_root)
    sheets, diagnostics = _load_chain(name_or_path, root, pos)
    if paper is not None and paper not in PAPER_SIZES:
        diagnostics.append(error(f"unknown paper size '{paper}'", None, "use letter or a4"))
    if sheets and not any(d.severity == "error" for d in diagnostics):
        style, read = read_style(sheets, root, name_or_path, paper)
        # The schema and our own checks may both flag one value: keep ours, it is more specific.
        ours = {d.pos for d in read}
        for sheet in sheets:
            if sheet.path.parent != BUILTIN_DIR:
                found = validate_document(sheet.doc, "style")
                diagnostics.extend(d for d in found if d.pos is None or d.pos not in ours)
        diagnostics.extend(read)
        if style is not None and not any(d.severity == "error" for d in diagnostics):
            return style
    raise GuideError(sorted(diagnostics, key=_order))


def available_styles(project_root: Path) -> list[str]:
    """Every style name a project can use: its own `styles/` and the built-in ones."""
    names = {p.stem for p in BUILTIN_DIR.glob("*.yaml")}
    names.update(p.stem for p in (Path(project_root) / "styles").glob("*.yaml"))
    return sorted(names)


def _order(d: Diagnostic) -> tuple[int, str, int, int]:
    if d.pos is None:
        return (1, "", 0, 0)
    return (0, d.pos.file, d.pos.line, d.pos.column)


# ------------------------------------------------------------ the extends chain


def _is_path(value: str) -> bool:
    return "/" in value or "\\" in value or value.endswith((".yaml", ".yml"))


def _find(value: str, root: Path, base: Path, current: Path | None) -> Path | None:
    """The sheet file `value` names, from `base`'s folder or as a name.

    A name means the project's sheet, then the built-in one; but a sheet's own
    name means the built-in sheet, and built-in sheets extend only built-in
    ones, so that they look the same in every project.
    """
    if _is_path(value):
        path = base / value
        return path if path.is_file() else None
    candidates = [BUILTIN_DIR / f"{value}.yaml"]
    if base != BUILTIN_DIR:
        candidates.insert(0, root / "styles" / f"{value}.yaml")
    for path in candidates:
        if path.is_file() and (current is None or path.resolve() != current.resolve()):
            return path
    return None


def _load_chain(
    first: str, root: Path, pos: Pos | None
) -> tuple[list[SheetFile], list[Diagnostic]]:
    """The sheets from the one asked for down to the built-in default."""
    path = _find(first, root, root, None)
    if path is None:
        return [], [_unknown(first, root, pos, None)]
    sheets: list[SheetFile] = []
    seen: dict[Path, int] = {}
    name = first
    while True:
        seen[path.resolve()] = len(sheets)
        try:
            doc = load_document(path, display=display_path(path, root), kind="style")
        except GuideError as exc:
            return [], list(exc.diagnostics)
        sheets.append(SheetFile(name, path, doc, len(sheets)))
        data = doc.data  # the loader makes sure the top level is a mapping
        if path.resolve() == (BUILTIN_DIR / "default.yaml").resolve():
            return sheets, []
        parent = data.get("extends", "default")
        where = doc.pos(("extends",)) if "extends" in data else None
        if not isinstance(parent, str) or not parent:
            hint = "give a style name such as default, or a path to a .yaml file"
            return [], [error("extends: must name a style sheet", where, hint)]
        nxt = _find(parent, root, path.parent, path)
        if nxt is None:
            own = root / "styles" / f"{parent}.yaml"
            if not _is_path(parent) and own.is_file() and own.resolve() == path.resolve():
                return [], [error(f"style '{name}' extends itself", where,
                                  f"there is no built-in style '{parent}' to extend")]
            return [], [_unknown(parent, root, where, path.parent)]
        if nxt.resolve() in seen:
            loop = [s.name for s in sheets[seen[nxt.resolve()]:]]
            if len(loop) == 1:
                message = f"style '{loop[0]}' extends itself"
            else:
                through = " and ".join(", ".join(f"'{n}'" for n in loop[1:]).rsplit(", ", 1))
                message = f"style '{loop[0]}' extends itself through {through}"
            return [], [error(message, where, "remove one of the extends: lines")]
        path, name = nxt, parent


def _unknown(value: str, root: Path, pos: Pos | None, base: Path | None) -> Diagnostic:
    if _is_path(value):
        where = (base or root) / value
        return error(f"cannot find style sheet '{value}'", pos,
                     f"looked for {display_path(where, root)}")
    names = available_styles(root)
    hint = did_you_mean(value, names) or "available styles: " + ", ".join(names)
    return error(f"unknown style '{value}'", pos, hint)
