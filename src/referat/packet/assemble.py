"""Assembling the packet: the document, then each bilag behind its cover, with real page numbers.

The document is rendered with the page numbers in its bilag lists computed from a guess of its own length (the
separate document PDF's, when the command made one), and again only if the result is longer or shorter than the
guess (repeated until the numbers no longer change the layout); then merge, stamp, link, bookmark. Each bilag is
read once per command (`Sources`): a PDF's reader is the one validation opened, a converted bilag is converted
once for every packet that holds it.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import hashlib
import io
import weakref
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.constants import PageLabelStyle
from pypdf.generic import ArrayObject, DecodedStreamObject, FloatObject, NameObject

from ..diagnostics import Location, Report, count
from ..errors import InputError
from ..model.meeting import Meeting
from ..progress import progress
from ..render.pdf import BilagLink, compile_typst, write_pdf_with_links
from ..takster.annex import approval_line
from ..view import labels as L
from ..view.document import included_bilag
from ..view.edition import edition
from ..view.types import DocumentView
from .earlier import Earlier
from .metadata import claims_pdfa, set_metadata
from .overlay import add_form, draw_after
from .sanitize import clean_packet, clean_part, describe, layers, prepare, set_layers
from .sources import bilag_pdf, check_converters, minutes_reader
from .types import CoverData, StampData, StampPage

PACKET_NAMES = {"dagsorden": "dagsordenspakke", "referat": "referat-med-bilag"}


@dataclass
class Part:
    """One bilag in the packet."""

    id: str
    item: str
    title: str
    reader: PdfReader
    cover: str = ""  # the heading of its cover page (the view's, as the committee's profile sets it)
    cover_page: int = 0  # 1-based page number in the packet
    source: Path | None = None  # the bilag's file, when it is one
    removed: Counter[str] = field(default_factory=Counter)  # active content left out (see sanitize)

    @property
    def pages(self) -> int:
        return len(self.reader.pages)


@dataclass
class Packet:
    pdf: bytes
    document_pdf: bytes
    pages: int
    parts: list[Part]


class Sources:
    """The bilag of one command as readers, each made once: a packet per kind and edition reuses them.

    A reader may serve several packets (each writer copies from it; `prepare`'s repairs are the same when done
    again, and what it found is kept here). Within one packet a reader is used once: a bilag attached twice gets
    a second reader of the same bytes, so that its pages are copies of their own, stamped with their own numbers.
    """

    def __init__(self, earlier: Earlier | None = None) -> None:
        self.earlier = earlier  # the minutes of other meetings (bilag `referat:` and `arkiv:`), from the pipeline
        self._readers: dict[tuple[Any, ...], PdfReader] = {}
        self._damaged: weakref.WeakKeyDictionary[PdfReader, Counter[str]] = weakref.WeakKeyDictionary()

    def get(self, key: tuple[Any, ...], make: Callable[..., PdfReader], *args: Any) -> PdfReader:
        """The reader made by `make(*args)` the first time `key` was asked for."""
        reader = self._readers.get(key)
        if reader is None:
            reader = self._readers[key] = make(*args)
        return reader

    def prepared(self, reader: PdfReader) -> Counter[str]:
        """`sanitize.prepare` once per reader; what it found, each time."""
        found = self._damaged.get(reader)
        if found is None:
            found = self._damaged[reader] = prepare(reader)
        return Counter(found)


def collect_parts(meeting: Meeting, view: DocumentView, sources: Sources | None = None) -> list[Part]:
    """The bilag that go into this edition, in item order: those the document view includes (a public
    edition leaves out closed items and non-public bilag; the view decides, see `included_bilag`)."""
    sources = sources if sources is not None else Sources()
    items = {item.number: item for item in meeting.items}
    chosen = []
    for shown, entry in included_bilag(view):
        item = items[shown["number"]]
        n = int(entry["id"].rsplit(".", 1)[1])
        chosen.append((item, n, item.bilag[n - 1], entry))
    check_converters([b.path for _, _, b, _ in chosen if b.path is not None and b.file is not None],
                     meeting.folder)
    parts: list[Part] = []
    with progress("Bilag {n}/{total}: {detail}", len(chosen)) as bar:
        for item, n, b, entry in chosen:
            bar.step(_doing(b))
            parts.append(_part(meeting, view, sources, parts, item, n, b, entry))
    return parts


def _doing(b: Any) -> str:
    """What happens to a bilag now, for the progress line: "03-notat.docx konverteres"."""
    if b.file is None:
        return f"{b.archived or b.path.name} hentes" if b.archived or b.path else "hentes"
    suffix = Path(b.file).suffix.lower()
    return f"{b.file} {'læses' if suffix == '.pdf' else 'sættes op' if suffix in ('.yaml', '.yml') else 'konverteres'}"


def _part(meeting: Meeting, view: DocumentView, sources: Sources, parts: list[Part], item: Any, n: int, b: Any,
          entry: Any) -> Part:
    public = view["public"]
    approval = (approval_line(item.decision, meeting.profile.name, meeting.date)
                if view["kind"] == "referat" else None)
    if b.archived is not None:
        where = item.source.at(("bilag", n - 1, "arkiv"))
        assert sources.earlier is not None, "a packet with earlier minutes needs the pipeline's Earlier"
        reader = sources.get(("arkiv", b.archived, public), lambda: minutes_reader(
            sources.earlier.archived_minutes(meeting.folder, b.archived, public, where)))  # type: ignore[union-attr]
    elif b.file is not None:
        assert b.path is not None
        reader = sources.get(("fil", b.path, b.title, approval), bilag_pdf, b.path, b.title, meeting.date,
                             approval)
    else:
        assert b.path is not None and sources.earlier is not None
        where = item.source.at(("bilag", n - 1, "referat"))
        reader = sources.get(("referat", b.path, public), lambda: minutes_reader(
            sources.earlier.folder_minutes(b.path, public, where)))  # type: ignore[union-attr]
    if any(part.reader is reader for part in parts):  # the same bilag twice in this packet
        reader = PdfReader(io.BytesIO(_bytes(reader)), strict=False)
        if reader.is_encrypted:
            reader.decrypt("")
    return Part(entry["id"], item.number, entry["name"], reader, cover=entry["cover"],
                source=b.path if b.file is not None else None)


def _with_pages(view: DocumentView, pages: dict[str, int], total: int) -> DocumentView:
    out = copy.deepcopy(view)
    out["packet_total"] = total
    for item in out["items"]:
        for section in item["sections"]:
            if section["type"] == "bilag":
                for b in section["bilag"]:
                    if b["id"] in pages:
                        b["page"] = pages[b["id"]]
    return out


def _layout(parts: list[Part], doc_pages: int) -> tuple[dict[str, int], int]:
    page = doc_pages + 1
    starts = {}
    for part in parts:
        starts[part.id] = page
        page += 1 + part.pages
    return starts, page - 1


def build_packet(meeting: Meeting, view: DocumentView, sources: Sources | None = None,
                 document_pages: int | None = None) -> Packet:
    """The packet of the document `view` (made by the pipeline: one kind, one edition, any marks a command adds).
    `document_pages`, the page count of the same document built alone, is the first guess of its length in the
    packet (one compile instead of two when the numbers fit)."""
    kind, public = view["kind"], view["public"]
    meeting = edition(meeting, public)  # redaction spans resolved in what the packet takes from the bilag entries
    sources = sources if sources is not None else Sources()
    parts = collect_parts(meeting, view, sources)
    logo = meeting.profile.logo_path()
    if document_pages is not None:
        starts, total = _layout(parts, document_pages)
    else:
        starts = {p.id: 9999 for p in parts}  # wide placeholders for the first pass
        total = 99999
    for _ in range(4):
        # the same compile as the document alone (render.pdf.write_pdf), with the bilag pages in its lists
        doc_pdf, links = write_pdf_with_links(_with_pages(view, starts, total), meeting.date, logo)
        doc = PdfReader(io.BytesIO(doc_pdf))
        new_starts, new_total = _layout(parts, len(doc.pages))
        if (new_starts, new_total) == (starts, total):
            break
        starts, total = new_starts, new_total
    for part in parts:
        part.cover_page = starts[part.id]
    writer = PdfWriter()
    writer.append(doc, import_outline=False)
    # a meeting without bilag still gets its packet (the document alone); Typst has no cover to set then
    covers = _covers(meeting, view, parts, total) if parts else PdfReader(io.BytesIO(doc_pdf))
    stamps, geometry = _stamps(meeting.date, parts, total, view["labels"]["page"])
    stamp_index = 0
    all_groups: list[Any] = []
    all_hidden: list[Any] = []
    with progress("Pakke: bilag {n}/{total}: {detail}", len(parts)) as shown:
        for i, part in enumerate(parts):
            shown.step(f"{part.id} sættes ind ({count(part.pages, 'side', 'sider')})")
            stamp_index = _insert(writer, covers.pages[i], part, sources, meeting, stamps, geometry, stamp_index,
                                  all_groups, all_hidden)
    set_layers(writer, all_groups, all_hidden)
    clean_packet(writer)
    _bookmarks(writer, doc, view, parts, kind)
    _links(writer, doc, links, starts)
    _page_labels(writer, len(doc.pages), parts)
    conforming = all(claims_pdfa(p.reader) for p in parts)
    fingerprint = hashlib.sha256(doc_pdf + b"".join(_bytes(p.reader) for p in parts)).digest()
    title = _packet_title(view, kind)
    set_metadata(writer, title, view["author"], view["subject"], view["lang"], meeting.date,
                 doc if conforming else None, fingerprint)
    out = io.BytesIO()
    with _names_encoded_once():
        writer.write(out)
    return Packet(out.getvalue(), doc_pdf, total, parts)


@contextlib.contextmanager
def _names_encoded_once() -> Iterator[None]:
    """While the packet is written, each distinct PDF name is encoded once.

    pypdf encodes every name it writes character by character (`NameObject.renumber`); a packet repeats the same
    few dozen names (/Type, /Font, /Resources, …) on every page, and that loop was a third of writing a
    3,000-page packet. The result is the same bytes: the cache holds what pypdf's own method returned.
    """
    original = NameObject.renumber
    encoded: dict[str, bytes] = {}

    def renumber(self: NameObject) -> bytes:
        key = str(self)
        found = encoded.get(key)
        if found is None:
            found = encoded[key] = original(self)
        return found

    NameObject.renumber = renumber  # type: ignore[method-assign]
    try:
        yield
    finally:
        NameObject.renumber = original  # type: ignore[method-assign]


def _insert(writer: PdfWriter, cover: Any, part: Part, sources: Sources, meeting: Meeting, stamps: PdfReader,
            geometry: list[Geometry], stamp_index: int, all_groups: list[Any], all_hidden: list[Any]) -> int:
    """One bilag behind its cover, cleaned and stamped; the index of the next stamp."""
    writer.add_page(cover)
    first = len(writer.pages)
    damaged = sources.prepared(part.reader)
    try:
        writer.append(part.reader, import_outline=False)
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on a damaged file
        raise InputError(f"bilaget kan ikke sættes ind i pakken; det er beskadiget ({type(exc).__name__}); "
                           "gem det som PDF igen", Location(part.source or meeting.folder)) from None
    pages = [writer.pages[first + k] for k in range(part.pages)]
    part.removed = clean_part(writer, pages, part.reader) + damaged
    groups, hidden = layers(writer, part.reader)
    part.removed["skjult-lag"] += len(hidden)
    all_groups += groups
    all_hidden += hidden
    for page in pages:
        _stamp_page(writer, page, stamps.pages[stamp_index], geometry[stamp_index])
        stamp_index += 1
    return stamp_index


def _packet_title(view: DocumentView, kind: str) -> str:
    """"Dagsorden – DAS Social – 23. februar 2026" → "Dagsordenspakke – DAS Social – …". A revised agenda's
    kind_title ("Dagsorden – Revideret") is not in its title ("Dagsorden – … – Revideret"): the longest start of
    it that is, is what the packet's name replaces (so "… – Revideret" stays at the end)."""
    parts = view["kind_title"].split(" – ")
    for n in range(len(parts), 0, -1):
        name = " – ".join(parts[:n])
        if name in view["title"]:
            return view["title"].replace(name, L.PACKET_TITLE[kind], 1)
    return view["title"]


def _bytes(reader: PdfReader) -> bytes:
    stream = reader.stream
    pos = stream.tell()
    stream.seek(0)
    data = stream.read()
    stream.seek(pos)
    return data


def _covers(meeting: Meeting, view: DocumentView, parts: list[Part], total: int) -> PdfReader:
    data: CoverData = {
        "title": view["title"], "font": view["look"]["font"], "colour": view["look"]["colour"],
        "page_label": view["labels"]["page"], "total": total,
        "covers": [{"number": p.item, "title": p.cover, "page": p.cover_page, "note": None} for p in parts],
    }
    return PdfReader(io.BytesIO(compile_typst("cover.typ", data, meeting.date)[0]))


def _box(page: Any) -> tuple[float, float, float, float]:
    box = page.cropbox
    return float(box.left), float(box.bottom), float(box.width), float(box.height)


Geometry = tuple[float, float, float, float, int]  # a page's crop box (left, bottom, width, height) and /Rotate


def _stamps(when: dt.date, parts: list[Part], total: int, page_label: str) -> tuple[PdfReader, list[Geometry]]:
    """The stamps of every bilag page, one Typst page each, and each bilag page's geometry (read once: a copied
    page has the same boxes and rotation as its original)."""
    pages: list[StampPage] = []
    geometry: list[Geometry] = []
    for part in parts:
        for k, page in enumerate(part.reader.pages):
            rotation = (page.get("/Rotate", 0) or 0) % 360
            left, bottom, w, h = _box(page)
            geometry.append((left, bottom, w, h, rotation))
            if rotation in (90, 270):
                w, h = h, w
            pages.append({"w": w, "h": h,
                          "text": page_label.replace("{x}", str(part.cover_page + 1 + k)).replace("{y}", str(total))})
    if not pages:
        pages = [{"w": 10, "h": 10, "text": ""}]
    data: StampData = {"pages": pages}
    return PdfReader(io.BytesIO(compile_typst("stamp.typ", data, when)[0])), geometry


def _stamp_form(writer: PdfWriter, stamp: Any) -> Any:
    """A stamp page as a Form XObject in the writer (drawn onto a page without parsing that page)."""
    form = DecodedStreamObject()
    form.set_data(stamp.get_contents().get_data())
    box = stamp.mediabox
    form.update({
        NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject([FloatObject(0), FloatObject(0), FloatObject(box.width), FloatObject(box.height)]),
        NameObject("/Resources"): stamp["/Resources"].clone(writer),
    })
    return writer._add_object(form)


def _stamp_page(writer: PdfWriter, page: Any, stamp: Any, geometry: Geometry) -> None:
    """Draw the stamp at the bottom right of the page as the reader sees it (rotation included).

    The page's own content is wrapped in q/Q and left unparsed: fast, and the bilag stays as it was. The
    stamp goes into the page's own copy of its resources (see `overlay`), so pages that share one resource
    dictionary (every LibreOffice export) each show their own number.
    """
    left, bottom, width, height, rotation = geometry
    a, b, c, d, e, f = {0: (1, 0, 0, 1, 0, 0), 90: (0, 1, -1, 0, width, 0),
                        180: (-1, 0, 0, -1, width, height), 270: (0, -1, 1, 0, 0, height)}[rotation]
    name = add_form(page, _stamp_form(writer, stamp), "ReferatSide")
    draw_after(writer, page, f"q {a} {b} {c} {d} {e + left:.3f} {f + bottom:.3f} cm {name} Do Q".encode())


def _outline_pages(doc: PdfReader, entries: list[Any]) -> dict[str, int | None]:
    """Each bookmark's title and page in the document's own outline (group headings nest their items)."""
    pages: dict[str, int | None] = {}
    for entry in entries:
        if isinstance(entry, list):
            pages.update(_outline_pages(doc, entry))
        else:
            pages.setdefault(str(entry["/Title"]), doc.get_destination_page_number(entry))
    return pages


def _bookmarks(writer: PdfWriter, doc: PdfReader, view: DocumentView, parts: list[Part], kind: str) -> None:
    top = writer.add_outline_item(title=view["kind_title"], page_number=0)
    item_pages = _outline_pages(doc, doc.outline)
    group = top
    for item in view["items"]:
        parent = top
        if item["group"] is not None:
            if item["opens_group"]:
                title = item["group"]["bookmark"]
                group = writer.add_outline_item(title=title, page_number=item_pages.get(title) or 0, parent=top)
            parent = group
        node = writer.add_outline_item(title=item["bookmark"], page_number=item_pages.get(item["bookmark"]) or 0,
                                       parent=parent)
        for part in parts:
            if part.item == item["number"]:
                writer.add_outline_item(title=L.BILAG_BOOKMARK.format(id=part.id, titel=part.title), page_number=part.cover_page - 1,
                                        parent=node)


def _links(writer: PdfWriter, doc: PdfReader, links: list[BilagLink], starts: dict[str, int]) -> None:
    for link in links:
        if link["id"] not in starts:
            continue
        index = link["page"] - 1
        _, _, width, height = _box(doc.pages[index])
        x, y = link["x"], link["y"]
        rect = (x - 2, height - y - 13, width - 70, height - y + 2)
        writer.add_annotation(page_number=index, annotation=Link(rect=rect, target_page_index=starts[link["id"]] - 1))


def _page_labels(writer: PdfWriter, doc_pages: int, parts: list[Part]) -> None:
    writer.set_page_label(0, doc_pages - 1, PageLabelStyle.DECIMAL, start=1)
    for part in parts:
        cover = part.cover_page - 1
        writer.set_page_label(cover, cover, prefix=L.BILAG_COVER_LABEL.format(id=part.id))
        if part.pages:
            writer.set_page_label(cover + 1, cover + part.pages, PageLabelStyle.DECIMAL,
                                  prefix=L.BILAG_PAGE_LABEL.format(id=part.id), start=1)


def packet_name(kind: str, public: bool) -> str:
    return L.file_stem(PACKET_NAMES[kind], public) + ".pdf"


def write_packets(meeting: Meeting, views: list[DocumentView], earlier: Earlier | None,
                  report: Report | None = None, documents: dict[str, bytes] | None = None,
                  editions: Callable[[bool], Meeting] | None = None) -> dict[str, bytes]:
    """File name → bytes for the packet of every view (the pipeline's, one per kind and edition); `editions`: the
    meeting as each edition sees it, as the pipeline made it (else made here, by the same `view.edition`).

    With `report`, a warning per bilag file from which active content was removed (once per file). `documents`
    (file name → bytes, as the pipeline names them) are the same documents built alone; their page counts are
    the first guess of each document's length in its packet. `earlier`: the minutes of other meetings."""
    files: dict[str, bytes] = {}
    told: set[Path] = set()
    sources = Sources(earlier)
    for view in views:
        kind, public = view["kind"], view["public"]
        alone = (documents or {}).get(L.file_stem(kind, public) + ".pdf")
        pages = len(PdfReader(io.BytesIO(alone)).pages) if alone is not None else None
        packet = build_packet(editions(public) if editions else meeting, view, sources, pages)
        files[packet_name(kind, public)] = packet.pdf
        for part in packet.parts:
            text = describe(part.removed)
            if report is not None and text and part.source is not None and part.source not in told:
                told.add(part.source)
                report.warning(Location(part.source), text)
    return files

