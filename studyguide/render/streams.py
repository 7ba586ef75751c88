"""How ReportLab hands over the PDFs we make: binary streams, and the bytes kept as written."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from reportlab import rl_config


@contextmanager
def binary_streams() -> Iterator[None]:
    """Compressed streams written as bytes, not wrapped in ASCII85 as ReportLab does by
    default: the wrapping makes a file a quarter larger and is slow to encode in pure
    Python, and no PDF reader needs 7-bit text. Usable as a decorator too."""
    previous = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = previous


class PdfSink:
    """A file for ReportLab to save into that keeps the bytes it is given.

    ReportLab writes the whole file in one call; an io.BytesIO would copy it into
    its own buffer and copy it again on getvalue(), which at a thousand pages is
    two more copies of a file of tens of megabytes at the build's peak.
    """

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def getvalue(self) -> bytes:
        return self._parts[0] if len(self._parts) == 1 else b"".join(self._parts)
