"""Honest packet metadata: title, language, dates, and a PDF/A claim only when every part makes one."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re

from pikepdf import Array, Dictionary, Name, Pdf, StreamDecodeLevel, String


def escape(text: str) -> str:
    """Text as XML character data (xml.sax.saxutils.escape, which loads urllib, http and ssl with it)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_PDFAID = re.compile(rb"pdfaid:part\s*(?:=\s*[\"']|>)\s*(\d)")


def claims_pdfa(pdf: Pdf) -> bool:
    """Whether a PDF says of itself that it is PDF/A (its XMP carries pdfaid:part)."""
    try:
        meta = pdf.Root.get("/Metadata")
        data = meta.read_bytes() if meta is not None else b""
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
        "<pdf:Producer>referat (qpdf)</pdf:Producer></rdf:Description>"
        f"{pdfaid}</rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>'
    )
    return text.encode("utf-8")


def set_metadata(pdf: Pdf, title: str, author: str, subject: str, lang: str, when: dt.date,
                 pdfa_from: Pdf | None) -> None:
    """Info dictionary, /Lang and XMP; `pdfa_from` (the document) lends its output intent when the packet may
    claim PDF/A, and is None when it may not. (The /ID is made from the content when the packet is written:
    `save(deterministic_id=True)`.)"""
    stamp = dt.datetime(when.year, when.month, when.day, 12, 0)
    pdf_date = stamp.strftime("D:%Y%m%d%H%M%SZ")
    info = pdf.make_indirect(Dictionary())
    for key, value in (("/Title", title), ("/Author", author), ("/Subject", subject), ("/Creator", "referat"),
                       ("/Producer", "referat (qpdf)"), ("/CreationDate", pdf_date), ("/ModDate", pdf_date)):
        info[Name(key)] = String(value)
    pdf.trailer["/Info"] = info
    root = pdf.Root
    root["/Lang"] = String(lang)
    root["/Metadata"] = pdf.make_stream(_xmp(title, author, lang, stamp, pdfa_from is not None),
                                        Type=Name.Metadata, Subtype=Name.XML)
    if pdfa_from is not None:
        intents = pdfa_from.Root.get("/OutputIntents")
        if intents is not None:
            root["/OutputIntents"] = pdf.copy_foreign(pdfa_from.make_indirect(intents) if not intents.is_indirect
                                                      else intents)


def to_bytes(pdf: Pdf, parts: list[Pdf], fingerprint: bytes) -> bytes:
    """The packet's bytes: the PDF version of its newest part, streams copied as they are (never decoded, compressed
    or compressed again), the XMP as set, and a deterministic /ID (the same input gives the same bytes): its first
    half from `fingerprint` (what the file is of), its second from the content as written."""
    digest = String(hashlib.sha256(fingerprint).digest()[:16])
    pdf.trailer["/ID"] = Array([digest, digest])
    out = io.BytesIO()
    version = max((part.pdf_version for part in parts), key=lambda v: tuple(int(n) for n in v.split(".")),
                  default="1.7")
    # compress_streams=False: qpdf would compress every stream written without a filter, and doing so changes the
    # stream's dictionary in the bilag's own PDF, which the next packet of the command copies again
    pdf.save(out, min_version=version, deterministic_id=True, fix_metadata_version=False, compress_streams=False,
             stream_decode_level=StreamDecodeLevel.none)
    return out.getvalue()
