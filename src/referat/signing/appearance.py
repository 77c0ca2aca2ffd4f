"""The look of a visible signature, set by Typst in the bundled fonts (so æ, ø, å print and PDF/A holds).

Typst tags what it sets (the text runs are marked content with MCIDs); when the appearance is imported into the
signed file, its marked content is tied to the signature field's `Form` element (`structure.Tagged`), so the
appearance is tagged content of the minutes and not stray references into a structure tree that is not there.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.content import ImportedPdfPage
from pyhanko.pdf_utils.layout import BoxConstraints
from pyhanko.pdf_utils.reader import PdfFileReader
from pypdf import PdfReader
from pypdf.generic import ContentStream, DictionaryObject

from ..render.pdf import compile_typst
from ..text.richtext import printable
from ..view import labels as L
from .types import SignatureData

COLOUR = "#1F4E79"
OnImport = Callable[[generic.IndirectObject, list[int]], None]


class ImportedPdfBytes(ImportedPdfPage):
    """The first page of an in-memory PDF as signature appearance content; `on_import` is told the form XObject
    it became and the MCIDs of its marked content."""

    def __init__(self, pdf: bytes, on_import: OnImport | None = None) -> None:
        super().__init__(file_name="", page_ix=0)
        self.pdf = pdf
        self.on_import = on_import

    def render(self) -> bytes:
        xobj = self._ensure_writer.import_page_as_xobject(PdfFileReader(io.BytesIO(self.pdf)), page_ix=0)
        name = "/ImportSignatur"
        self.resources.xobject[name] = xobj
        x1, y1, x2, y2 = xobj.get_object()["/BBox"]
        self.box = BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
        if self.on_import is not None:
            self.on_import(xobj, marked_content_ids(self.pdf))
        return name.encode("ascii") + b" Do"


def marked_content_ids(pdf: bytes) -> list[int]:
    """The MCIDs of the marked content on the first page of `pdf`, in order."""
    reader = PdfReader(io.BytesIO(pdf))
    page = reader.pages[0]
    found: list[int] = []
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator == b"BDC" and len(operands) == 2 and isinstance(operands[1], DictionaryObject):
            mcid = operands[1].get("/MCID")
            if mcid is not None:
                found.append(int(mcid))
    return found


def appearance(name: str, role: str | None, box: tuple[int, int, int, int], claimed: str | None = None,
               on_import: OnImport | None = None) -> ImportedPdfBytes:
    """A box the size of `box`: 'Godkendt og underskrevet', the certificate's name, the name typed at signing
    when it is another ("oplyst: …"), the role and the local time now."""
    now = dt.datetime.now().astimezone()
    lines = ([L.SIGNATURE_CLAIMED.format(navn=printable(claimed))] if claimed else []) + \
        ([printable(role)] if role else [])
    lines.append(L.SIGNED_AT.format(dato=f"{now:%d.%m.%Y}", tid=f"{now:%H.%M}", zone=f"{now:%Z}"))
    data: SignatureData = {"title": L.SIGNATURE_TITLE, "heading": L.SIGNATURE_HEADING, "name": printable(name),
                           "lines": lines, "width": box[2] - box[0], "height": box[3] - box[1], "colour": COLOUR}
    pdf, _ = compile_typst("signature.typ", data, now.date())
    return ImportedPdfBytes(pdf, on_import)
