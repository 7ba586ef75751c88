"""Turn PyYAML's syntax errors into plain-English diagnostics at the place to look."""

# This module never imports yaml: loader.py hands over the problem text and the
# marks, so PyYAML stays behind the one module that parses files.

from __future__ import annotations

import re
from typing import Protocol

from ..model.diagnostics import Diagnostic, error
from ..model.document import Pos

# The line breaks YAML counts, so line numbers here agree with PyYAML's marks.
BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")

# What YAML makes of a value by its first character; people write these
# characters at the start of ordinary text (Markdown links, *emphasis*).
# libyaml's own limit on nesting (PyYAML 6.0.4 and later): the loader reports it
# as its own "nesting is too deep".
TOO_DEEP = "exceeded maximum nesting depth"
# The problems PyYAML's scanner and parser report for a mistake in the text; the
# advice below reads them. Any other problem is shown as it is, without advice
# that might not fit it.
_SYNTAX = re.compile(r"(expected|found|could not find|did not find|mapping values|while) ")
EXCERPT = 60  # characters of the user's line that a hint shows at most

READ_AS = {"[": "a list", "{": "a mapping", "*": "an alias", "&": "an anchor", "!": "a tag",
           "|": "a block of text", ">": "a block of text"}


class Mark(Protocol):
    """Where PyYAML saw something: 0-based line and column (yaml.Mark fits)."""

    @property
    def line(self) -> int: ...

    @property
    def column(self) -> int: ...


def syntax_error(problem: str, context: str, problem_mark: Mark | None,
                 context_mark: Mark | None, text: str, display: str) -> Diagnostic:
    """A YAML syntax error in plain words, at the place a person should look."""
    mark = problem_mark or context_mark
    line, col = (mark.line, mark.column) if mark else (0, 0)
    start, start_col = (context_mark.line, context_mark.column) if context_mark else (line, col)
    lines = BREAKS.split(text)
    here = lines[line] if line < len(lines) else ""
    opened = f"line {start + 1}"

    def say(message: str, *hints: str, row: int = line, column: int = col) -> Diagnostic:
        return error(message, Pos(display, row + 1, column + 1), *hints)

    # PyYAML reports a tab in the indentation as whatever it trips over next, so
    # look for tabs on the problem's line and the line its context opened on first.
    indents = {row: lines[row][: len(lines[row]) - len(lines[row].lstrip(" \t"))]
               for row in (line, start) if row < len(lines)}
    tabs = [(row, indent.find("\t")) for row, indent in indents.items() if "\t" in indent]
    if tabs or "tab" in problem or here[col : col + 1] == "\t":
        row, column = tabs[0] if tabs else (line, col)
        return say("tabs are not allowed for indentation in YAML; use spaces",
                   "set your editor to insert spaces when you press Tab", row=row, column=column)
    # The first character of the value (after any '- ' and 'key: '): usually what
    # needs quoting, so the hint can show the line with the value in quotes.
    value = re.match(r"[ \t]*(?:-[ \t]+)*(?:[\w -]+:[ \t]+)?(\S)", here)
    first, value_col = (value.group(1), value.start(1)) if value else ("", 0)
    quoted = f'write it as: {here[:value_col].strip()} "{_excerpt(here[value_col:].strip())}"' \
        if value else ""
    if not _SYNTAX.match(problem):
        detail = f" ({context} at {opened})" if context else ""
        return say(f"YAML cannot read this: {_excerpt(problem)}{detail}")
    if "escape" in problem:
        return say("a backslash in double-quoted text starts an escape such as \\n; "
                   "this one is unknown",
                   "write a backslash as \\\\, or use single quotes: 'C:\\files'")
    if any(word in context for word in ("alias", "anchor", "tag")):
        return say(f"a value that starts with '{first or '*'}' must be in quotes", quoted)
    if "cannot start any token" in problem:
        return say(f"a value cannot start with '{here[col : col + 1]}' unless it is in quotes",
                   quoted)
    if "mapping values are not allowed" in problem:
        # An earlier ': ' on the line means the value holds one; else it is indentation.
        if re.search(r":\s", here[:col]):
            return say("a value that contains ': ' must be in quotes", quoted)
        return say("this line is indented more than the key above it",
                   "line keys up under each other; indent only what belongs to a key",
                   column=value_col)
    if "could not find expected ':'" in problem:
        return say("this line is not 'key: value'; the ':' is missing",
                   "text that goes on over several lines must be indented under its key",
                   row=start, column=0)
    if "end of stream" in problem and "quoted" in context:
        return say("this quoted text is never closed",
                   "add the closing quote at the end of the text", row=start, column=start_col)
    if first in ("'", '"') and "block mapping" in context and col > value_col:
        return say("text goes on after the closing quote",
                   "inside '...' write an apostrophe twice ('it''s'), or use double quotes")
    if first in READ_AS and col > value_col:
        return say(f"a value that starts with '{first}' is read as {READ_AS[first]}; "
                   "text that starts with it must be in quotes", quoted)
    for closing, what in (("]", "list"), ("}", "mapping")):
        if f"'{closing}'" in problem:
            return say(f"expected ',' or '{closing}' in the {what} that starts at {opened}",
                       f"separate items with ',' and close the {what} with '{closing}'")
    if "node content" in problem:
        return say("a value is missing here, or a list or mapping is not closed",
                   "close each '[' with ']' and each '{' with '}'")
    if "document start" in problem:
        return say("there is text after the end of the document ('...')",
                   "remove the '...' line")
    if "block collection" in context:
        return say(f"this line does not line up with the list that starts at {opened}",
                   "list items start with '- ' at the same indentation")
    if "block mapping" in context:
        return say(f"this line does not line up with the keys of the mapping that starts at "
                   f"{opened}", "keys of one mapping share one indentation")
    detail = f" ({context} at {opened})" if context else ""
    return say(f"YAML cannot read this: {_excerpt(problem)}{detail}")


def _excerpt(text: str) -> str:
    """`text`, cut to EXCERPT characters with an ellipsis: a hint shows a line, not a file."""
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"
