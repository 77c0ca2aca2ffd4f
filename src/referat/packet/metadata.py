"""Honest packet metadata: title, language, dates, and a PDF/A claim only when every part makes one."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from xml.sax.saxutils import escape

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, ByteStringObject, DecodedStreamObject, NameObject, TextStringObject

_PDFAID = re.compile(rb"pdfaid:part\s*(?:=\s*[\"']|>)\s*(\d)")


def claims_pdfa(reader: PdfReader) -> bool:
    """Whether a PDF says of itself that it is PDF/A (its XMP carries pdfaid:part)."""
    try:
        meta = reader.root_object.get("/Metadata")
        data = meta.get_object().get_data() if meta is not None else b""
    except Exception:  # noqa: BLE001 - a damaged metadata stream is simply no claim
        return False
    return bool(_PDFAID.search(data))


def _xmp(title: str, author: str, lang: str, when: dt.datetime, pdfa: bool) -> bytes:
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    pdfaid = ('<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">'
              "<pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance></rdf:Description>"
              if pdfa else "")
    text = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt></dc:title>'
        f"<dc:creator><rdf:Seq><rdf:li>{escape(author)}</rdf:li></rdf:Seq></dc:creator>"
        f"<dc:language><rdf:Bag><rdf:li>{escape(lang)}</rdf:li></rdf:Bag></dc:language>"
        '<dc:format>application/pdf</dc:format></rdf:Description>'
        '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">'
        f"<xmp:CreateDate>{stamp}</xmp:CreateDate><xmp:ModifyDate>{stamp}</xmp:ModifyDate>"
        "<xmp:CreatorTool>referat</xmp:CreatorTool></rdf:Description>"
        '<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">'
        "<pdf:Producer>referat (pypdf)</pdf:Producer></rdf:Description>"
        f"{pdfaid}</rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>'
    )
    return text.encode("utf-8")


def set_metadata(writer: PdfWriter, title: str, author: str, subject: str, lang: str, when: dt.date,
                 pdfa_from: PdfReader | None, fingerprint: bytes) -> None:
    """Info dictionary, /Lang, XMP and a deterministic /ID; `pdfa_from` (the document) lends its output
    intent when the packet may claim PDF/A, and is None when it may not."""
    stamp = dt.datetime(when.year, when.month, when.day, 12, 0)
    pdf_date = stamp.strftime("D:%Y%m%d%H%M%SZ")
    writer.add_metadata({"/Title": title, "/Author": author, "/Subject": subject, "/Creator": "referat",
                         "/Producer": "referat (pypdf)", "/CreationDate": pdf_date, "/ModDate": pdf_date})
    root = writer._root_object
    root[NameObject("/Lang")] = TextStringObject(lang)
    stream = DecodedStreamObject()
    stream.set_data(_xmp(title, author, lang, stamp, pdfa_from is not None))
    stream[NameObject("/Type")] = NameObject("/Metadata")
    stream[NameObject("/Subtype")] = NameObject("/XML")
    root[NameObject("/Metadata")] = writer._add_object(stream)
    if pdfa_from is not None:
        intents = pdfa_from.root_object.get("/OutputIntents")
        if intents is not None:
            root[NameObject("/OutputIntents")] = writer._add_object(intents.get_object().clone(writer))
    digest = hashlib.sha256(fingerprint).digest()[:16]
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])
