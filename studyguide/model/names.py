"""How names are compared and filed: a mention against a glossary term, a term under its letter."""

from __future__ import annotations

import re
import unicodedata

SYMBOLS = "#"  # the letter divider of terms that start with a digit or a symbol
_LEADING_MARKS = re.compile(r"^[\W_]+")


def name_key(name: str) -> str:
    """How a mention matches a name: ignoring case, with runs of spaces as one, and
    "é" typed as one character or as "e" and an accent alike (they print alike)."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def folded(term: str) -> str:
    """`term` without accents, case or leading punctuation: "(S)-Éphédrine" -> "s)-ephedrine"."""
    decomposed = unicodedata.normalize("NFKD", term)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return _LEADING_MARKS.sub("", bare)


def initial(term: str) -> str:
    """The letter divider an entry files under: "A" ... "Z", or "#" for digits and symbols."""
    bare = folded(term)
    return bare[0].upper() if bare and bare[0].isalpha() else SYMBOLS
