"""How ReportLab hands over the PDFs we make: binary streams, and the bytes kept as written."""

from __future__ import annotations

from reportlab.lib.rl_accel import asciiBase85Decode
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas


class BinaryCanvas(Canvas):
    """A canvas whose document's streams are compressed bytes, not wrapped in ASCII85.

    ReportLab wraps every compressed stream in ASCII85 unless its process-wide
    `rl_config.useA85` is off: the wrapping makes a file a quarter larger, is
    slow to encode in pure Python, and no PDF reader needs 7-bit text. Setting
    that flag during a build would change other builds running in other
    threads, so this canvas leaves it alone and, just before it saves, gives
    its own pages, forms and images the streams they would have had with the
    flag off.
    """

    def save(self) -> None:
        binary_streams(self._doc)
        super().save()


def binary_streams(document: pdfdoc.PDFDocument) -> None:
    """Make each stream of `document` Flate-compressed bytes without ASCII85.

    Pages and forms get their content stream now, which ReportLab would make
    when formatting them, from the flag; images were encoded when drawn, so
    their ASCII85 wrapping is undone (it is exactly reversible).
    """
    for page in document.Pages.pages:
        if page.compression and not page.Contents and page.stream \
                and not page.Override_default_compilation:
            page.Contents = _stream(page.stream, "page stream")
    for obj in document.idToObject.values():
        if isinstance(obj, pdfdoc.PDFFormXObject):
            if obj.compression and not obj.Contents and obj.stream:
                obj.Contents = _stream(obj.stream, "xobject form stream")
                obj.compression = 0  # set: ReportLab would pick its filters again
        elif isinstance(obj, pdfdoc.PDFImageXObject) and obj._filters[:1] == ("ASCII85Decode",):
            obj.streamContent = asciiBase85Decode(obj.streamContent)
            obj._filters = tuple(obj._filters[1:])


def _stream(content: str | bytes, comment: str) -> pdfdoc.PDFStream:
    stream = pdfdoc.PDFStream(content=content, filters=[pdfdoc.PDFZCompress])
    stream.__Comment__ = comment
    return stream


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
