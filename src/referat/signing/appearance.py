"""The look of a visible signature, set by Typst in the bundled fonts (so æ, ø, å print and PDF/A holds)."""

from __future__ import annotations

import datetime as dt
import io

from pyhanko.pdf_utils.content import ImportedPdfPage
from pyhanko.pdf_utils.layout import BoxConstraints
from pyhanko.pdf_utils.reader import PdfFileReader

from ..render.pdf import compile_typst
from ..text.richtext import printable
from ..view import labels as L
from .types import SignatureData

COLOUR = "#1F4E79"


class ImportedPdfBytes(ImportedPdfPage):
    """The first page of an in-memory PDF as signature appearance content."""

    def __init__(self, pdf: bytes) -> None:
        super().__init__(file_name="", page_ix=0)
        self.pdf = pdf

    def render(self) -> bytes:
        xobj = self._ensure_writer.import_page_as_xobject(PdfFileReader(io.BytesIO(self.pdf)), page_ix=0)
        name = "/ImportSignatur"
        self.resources.xobject[name] = xobj
        x1, y1, x2, y2 = xobj.get_object()["/BBox"]
        self.box = BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
        return name.encode("ascii") + b" Do"


def appearance(name: str, role: str | None, box: tuple[int, int, int, int]) -> ImportedPdfBytes:
    """A box the size of `box`: 'Godkendt og underskrevet', the name, the role and the local time now."""
    now = dt.datetime.now().astimezone()
    lines = ([printable(role)] if role else []) + [L.SIGNED_AT.format(dato=f"{now:%d.%m.%Y}", tid=f"{now:%H.%M}",
                                                                        zone=f"{now:%Z}")]
    data: SignatureData = {"title": L.SIGNATURE_TITLE, "heading": L.SIGNATURE_HEADING, "name": printable(name),
                           "lines": lines, "width": box[2] - box[0], "height": box[3] - box[1], "colour": COLOUR}
    pdf, _ = compile_typst("signature.typ", data, now.date())
    return ImportedPdfBytes(pdf)
