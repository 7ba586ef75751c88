"""`make_guide.py watch`: build, then build again whenever a file of the project changes.

The project folder is watched as a whole, so that a file an edit newly includes
(a section, an image, a style sheet) is noticed too; the PDF being written and
hidden folders are not. A rebuild runs in the same process, so the code is
imported once, and the registered fonts, parsed citation styles and
hyphenation patterns of the first build are reused; the project's files are
read again each time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import watchfiles

# What a guide is made of: outlines, sections, glossaries and bibliographies,
# citation styles, images and fonts.
WATCHED_SUFFIXES = frozenset({".yaml", ".yml", ".json", ".bib", ".csl", ".png", ".jpg",
                              ".jpeg", ".gif", ".tif", ".tiff", ".bmp", ".ttf"})
DEBOUNCE_MS = 150  # an editor's save is often several writes in a row


def project_filter(root: Path, output: Callable[[], Path | None]
                   ) -> Callable[[watchfiles.Change, str], bool]:
    """Which changes matter: files of the kinds above, not the output, not hidden."""
    root = root.resolve()

    def matters(_change: watchfiles.Change, name: str) -> bool:
        path, written = Path(name).resolve(), output()
        if written is not None and path == written.resolve():
            return False
        if path.suffix.lower() not in WATCHED_SUFFIXES:
            return False
        try:
            parts = path.relative_to(root).parts
        except ValueError:
            return True  # a file outside the folder that was named to us
        return not any(part.startswith(".") for part in parts)

    return matters


def watch(root: Path, output: Callable[[], Path | None], rebuild: Callable[[], None],
          stop: threading.Event | None = None) -> None:
    """Call `rebuild` now, then after every batch of changes under `root`, until
    `stop` is set (or the user presses Ctrl-C)."""
    rebuild()
    for _changes in watchfiles.watch(root, watch_filter=project_filter(root, output),
                                     debounce=DEBOUNCE_MS, stop_event=stop,
                                     raise_interrupt=False):
        rebuild()
