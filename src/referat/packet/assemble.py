"""Assembling the packet: the document, then each bilag behind its cover, with real page numbers.

The document is rendered with the page numbers in its bilag lists computed from a guess of its own length (the
separate document PDF's, when the command made one), and again only if the result is longer or shorter than the
guess (repeated until the numbers no longer change the layout); then merge, stamp, link, bookmark. Each bilag is
read once per command (`Sources`): a PDF's reader is the one validation opened, a converted bilag is converted
once for every packet that holds it.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem, Pdf, String

from ..diagnostics import Location, Report, count
from ..errors import InputError
from ..model.meeting import Meeting
from ..progress import progress
from ..render.pdf import BilagLink, compile_typst, write_pdf_with_links
from ..view import labels as L
from ..view.document import included_bilag
from ..view.edition import edition
from ..view.types import DocumentView
from .earlier import Earlier
from .metadata import claims_pdfa, set_metadata, to_bytes
from .overlay import add_form, draw_after
from .sanitize import clean_packet, clean_source, copy_clean_pages, describe
from .sources import bilag_pdf, check_converters, minutes_reader, pdf_of
from .types import CoverData, StampData, StampPage

PACKET_NAMES = {"dagsorden": "dagsordenspakke", "referat": "referat-med-bilag"}
CONVERTED = (".docx", ".doc", ".xlsx", ".xlsm")  # bilag made into PDF pages by work that runs beside Python's
Geometry = tuple[float, float, float, float, int]  # a page's crop box (left, bottom, width, height) and /Rotate


@dataclass
class Part:
    """One bilag in the packet."""

    id: str
    item: str
    title: str
    reader: Pdf
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
    """The bilag of one command as PDFs (pikepdf), each made once: a packet per kind and edition reuses them.

    A PDF may serve several packets (each packet copies its pages; it is cleaned once, in place, before the first
    copy: `sanitize.clean_source`). Within one packet a PDF is used once: a bilag attached twice gets a second PDF
    of the same bytes, so that its pages are copies of their own, stamped with their own numbers.
    """

    def __init__(self, earlier: Earlier | None = None, jobs: int = 1) -> None:
        self.earlier = earlier  # the minutes of other meetings (bilag `referat:` and `arkiv:`), from the pipeline
        self.jobs = jobs
        self._readers: dict[tuple[Any, ...], Pdf] = {}

    def ahead(self, wanted: list[tuple[tuple[Any, ...], Callable[..., Pdf], tuple[Any, ...]]]) -> None:
        """Make the PDFs of `wanted` (key, make, args) side by side in `jobs` threads, before they are asked for in
        order: a Word bilag is converted by LibreOffice, a process of its own, and an Excel bilag's pages are laid
        out by Typst, which releases the GIL. What fails here is made again where it is asked for, so the error,
        and which bilag it names first, is a serial run's."""
        todo = [(key, make, args) for key, make, args in {w[0]: w for w in wanted}.values()
                if key not in self._readers]
        if self.jobs < 2 or len(todo) < 2:
            return

        def make_quietly(task: tuple[tuple[Any, ...], Callable[..., Pdf], tuple[Any, ...]]) -> Pdf | None:
            try:
                return task[1](*task[2])
            except Exception:  # noqa: BLE001 - said where the bilag is asked for, in order
                return None

        with ThreadPoolExecutor(max_workers=min(self.jobs, len(todo)), thread_name_prefix="referat-bilag") as pool:
            for (key, _, _), reader in zip(todo, pool.map(make_quietly, todo), strict=True):
                if reader is not None:
                    self._readers[key] = reader

    def get(self, key: tuple[Any, ...], make: Callable[..., Pdf], *args: Any) -> Pdf:
        """The PDF made by `make(*args)` the first time `key` was asked for."""
        reader = self._readers.get(key)
        if reader is None:
            reader = self._readers[key] = make(*args)
        return reader

    def prepared(self, reader: Pdf) -> Counter[str]:
        """`sanitize.clean_source` once per PDF; what it removed, each time."""
        return clean_source(reader)


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
    sources.ahead([(("fil", b.path, b.title, None), bilag_pdf, (b.path, b.title, meeting.date, None))
                   for _, _, b, _ in chosen if b.file is not None and b.path is not None
                   and Path(b.file).suffix.lower() in CONVERTED])
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
    approval = None  # the approval line of a takstbilag rendered into the minutes' packet
    if view["kind"] == "referat" and b.file is not None and Path(b.file).suffix.lower() in (".yaml", ".yml"):
        from ..takster.annex import approval_line  # the annex's modules only where an annex is packed

        approval = approval_line(item.decision, meeting.profile.name, meeting.date)
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
        reader = pdf_of(_bytes(reader))
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


@dataclass
class _Plan:
    """One packet before its compiles: the edition's meeting, the view, the bilag as PDFs, each bilag page's
    geometry, and the first guess of the document's length."""

    meeting: Meeting
    view: DocumentView
    parts: list[Part]
    geometry: list[Geometry]
    document_pages: int | None


@dataclass
class _Compiled:
    """A packet's Typst parts: the document with the bilag pages in its lists, where its bilag entries stand, the
    covers and the stamps (bytes: made without touching any bilag, so plans compile side by side)."""

    doc_pdf: bytes
    doc: Pdf  # opened here, used by the thread that assembles (never by two threads at once)
    links: list[BilagLink]
    starts: dict[str, int]
    total: int
    covers: bytes | None  # None without bilag (nothing to cover or stamp)
    stamps: bytes | None


def _plan(meeting: Meeting, view: DocumentView, sources: Sources, document_pages: int | None) -> _Plan:
    meeting = edition(meeting, view["public"])  # redaction spans resolved in what the packet takes from the bilag
    parts = collect_parts(meeting, view, sources)
    return _Plan(meeting, view, parts, _geometry(parts), document_pages)


def _compile(plan: _Plan) -> _Compiled:
    """The document rendered with the page numbers in its bilag lists computed from a guess of its length, and
    again only if the result is longer or shorter (until the numbers no longer change the layout); then the covers
    and stamps, which carry those numbers."""
    meeting, view, parts = plan.meeting, plan.view, plan.parts
    logo = meeting.profile.logo_path()
    if plan.document_pages is not None:
        starts, total = _layout(parts, plan.document_pages)
    else:
        starts = {p.id: 9999 for p in parts}  # wide placeholders for the first pass
        total = 99999
    for _ in range(4):
        # the same compile as the document alone (render.pdf.write_pdf), with the bilag pages in its lists
        doc_pdf, links = write_pdf_with_links(_with_pages(view, starts, total), meeting.date, logo)
        doc = pdf_of(doc_pdf)
        new_starts, new_total = _layout(parts, len(doc.pages))
        if (new_starts, new_total) == (starts, total):
            break
        starts, total = new_starts, new_total
    # a meeting without bilag still gets its packet (the document alone); Typst has no cover or stamp to set then
    covers = _covers(meeting, view, parts, starts, total) if parts else None
    stamps = _stamps(meeting.date, parts, plan.geometry, starts, total, view["labels"]["page"]) if parts else None
    return _Compiled(doc_pdf, doc, links, starts, total, covers, stamps)


def _assemble(plan: _Plan, made: _Compiled, sources: Sources) -> Packet:
    """Merge, stamp, link, bookmark and label: the packet's bytes."""
    meeting, view, parts = plan.meeting, plan.view, plan.parts
    kind = view["kind"]
    for part in parts:
        part.cover_page = made.starts[part.id]
    doc = made.doc
    out = pikepdf.new()
    out.pages.extend(doc.pages)
    covers = pdf_of(made.covers) if made.covers is not None else None
    stamps = pdf_of(made.stamps) if made.stamps is not None else None
    stamp_index = 0
    with progress("Pakke: bilag {n}/{total}: {detail}", len(parts)) as shown:
        for i, part in enumerate(parts):
            shown.step(f"{part.id} sættes ind ({count(part.pages, 'side', 'sider')})")
            assert covers is not None and stamps is not None
            stamp_index = _insert(out, covers.pages[i], part, sources, meeting, stamps, plan.geometry, stamp_index)
    clean_packet(out)
    _bookmarks(out, doc, view, parts, kind)
    _links(out, doc, made.links, made.starts)
    _page_labels(out, len(doc.pages), parts)
    conforming = all(claims_pdfa(p.reader) for p in parts)
    title = _packet_title(view, kind)
    set_metadata(out, title, view["author"], view["subject"], view["lang"], meeting.date,
                 doc if conforming else None)
    fingerprint = "\0".join([view["title"], *(f"{p.id} {p.title} {p.pages}" for p in parts)]).encode() + made.doc_pdf
    return Packet(to_bytes(out, [doc, *(p.reader for p in parts)], fingerprint), made.doc_pdf, made.total, parts)


def build_packet(meeting: Meeting, view: DocumentView, sources: Sources | None = None,
                 document_pages: int | None = None) -> Packet:
    """The packet of the document `view` (made by the pipeline: one kind, one edition, any marks a command adds).
    `document_pages`, the page count of the same document built alone, is the first guess of its length in the
    packet (one compile instead of two when the numbers fit)."""
    sources = sources if sources is not None else Sources()
    plan = _plan(meeting, view, sources, document_pages)
    return _assemble(plan, _compile(plan), sources)


def _insert(out: Pdf, cover: pikepdf.Page, part: Part, sources: Sources, meeting: Meeting, stamps: Pdf,
            geometry: list[Geometry], stamp_index: int) -> int:
    """One bilag behind its cover, cleaned and stamped; the index of the next stamp."""
    out.pages.append(cover)
    first = len(out.pages)
    try:
        part.removed = sources.prepared(part.reader)
        hidden_before = _hidden_layers(out)
        copy_clean_pages(out, part.reader)
    except Exception as exc:  # noqa: BLE001 - qpdf raises many kinds on a damaged file
        raise InputError(f"bilaget kan ikke sættes ind i pakken; det er beskadiget ({type(exc).__name__}); "
                           "gem det som PDF igen", Location(part.source or meeting.folder)) from None
    part.removed["skjult-lag"] += _hidden_layers(out) - hidden_before
    for k in range(part.pages):
        _stamp_page(out, out.pages[first + k].obj, stamps, stamp_index, geometry[stamp_index])
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


def _hidden_layers(pdf: Pdf) -> int:
    props = pdf.Root.get("/OCProperties")
    config = props.get("/D") if isinstance(props, Dictionary) else None
    off = config.get("/OFF") if isinstance(config, Dictionary) else None
    return len(off) if isinstance(off, Array) else 0


def _bytes(reader: Pdf) -> bytes:
    """The PDF as bytes, to open a second copy of it; written as it is (qpdf's writer changes the streams it
    compresses, in the PDF it writes from, which other packets copy)."""
    out = io.BytesIO()
    reader.save(out, compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    return out.getvalue()


def _covers(meeting: Meeting, view: DocumentView, parts: list[Part], starts: dict[str, int], total: int) -> bytes:
    data: CoverData = {
        "title": view["title"], "font": view["look"]["font"], "colour": view["look"]["colour"],
        "page_label": view["labels"]["page"], "total": total,
        "covers": [{"number": p.item, "title": p.cover, "page": starts[p.id], "note": None} for p in parts],
    }
    return compile_typst("cover.typ", data, meeting.date)[0]


def _box(page: pikepdf.Page) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = (float(v) for v in page.cropbox)
    left, right = sorted((x0, x1))
    bottom, top = sorted((y0, y1))
    return left, bottom, right - left, top - bottom


def _geometry(parts: list[Part]) -> list[Geometry]:
    """Each bilag page's crop box and rotation, read once (a copied page has the same boxes and rotation as its
    original)."""
    geometry: list[Geometry] = []
    for part in parts:
        for page in part.reader.pages:
            rotate = page.obj.get("/Rotate", 0)
            rotation = (rotate if isinstance(rotate, int) and not isinstance(rotate, bool) else 0) % 360
            geometry.append((*_box(page), rotation if rotation in (0, 90, 180, 270) else 0))
    return geometry


def _stamps(when: dt.date, parts: list[Part], geometry: list[Geometry], starts: dict[str, int], total: int,
            page_label: str) -> bytes:
    """The stamps of every bilag page, one Typst page each, sized as the page is seen (rotation included)."""
    pages: list[StampPage] = []
    index = 0
    for part in parts:
        for k in range(part.pages):
            _, _, w, h, rotation = geometry[index]
            index += 1
            if rotation in (90, 270):
                w, h = h, w
            pages.append({"w": w, "h": h,
                          "text": page_label.replace("{x}", str(starts[part.id] + 1 + k)).replace("{y}", str(total))})
    if not pages:
        pages = [{"w": 10, "h": 10, "text": ""}]
    data: StampData = {"pages": pages}
    return compile_typst("stamp.typ", data, when)[0]


def _stamp_page(out: Pdf, page: Dictionary, stamps: Pdf, index: int, geometry: Geometry) -> None:
    """Draw stamp `index` at the bottom right of the page as the reader sees it (rotation included).

    The page's own content is wrapped in q/Q and left unparsed: fast, and the bilag stays as it was. The stamp is
    the stamp page as a Form XObject, in the page's own copy of its resources (see `overlay`), so pages that share
    one resource dictionary (every LibreOffice export) each show their own number.
    """
    left, bottom, width, height, rotation = geometry
    a, b, c, d, e, f = {0: (1, 0, 0, 1, 0, 0), 90: (0, 1, -1, 0, width, 0),
                        180: (-1, 0, 0, -1, width, height), 270: (0, -1, 1, 0, 0, height)}[rotation]
    form = out.copy_foreign(stamps.pages[index].as_form_xobject())
    name = add_form(page, form, "ReferatSide")
    draw_after(out, page, f"q {a} {b} {c} {d} {e + left:.3f} {f + bottom:.3f} cm {name} Do Q".encode())


def _page_indices(pdf: Pdf) -> dict[tuple[int, int], int]:
    return {page.obj.objgen: i for i, page in enumerate(pdf.pages)}


def _outline_pages(items: list[OutlineItem], indices: dict[tuple[int, int], int]) -> dict[str, int | None]:
    """Each bookmark's title and page in the document's own outline (group headings nest their items)."""
    pages: dict[str, int | None] = {}
    for item in items:
        pages.setdefault(item.title, _destination_page(item, indices))
        pages.update({k: v for k, v in _outline_pages(item.children, indices).items() if k not in pages})
    return pages


def _destination_page(item: OutlineItem, pages: dict[tuple[int, int], int]) -> int | None:
    dest: Any = item.destination
    if dest is None and item.action is not None and item.action.get("/S") == "/GoTo":
        dest = item.action.get("/D")
    if isinstance(dest, Array) and len(dest) and isinstance(dest[0], Dictionary) and dest[0].is_indirect:
        return pages.get(dest[0].objgen)
    return None


def _bookmarks(out: Pdf, doc: Pdf, view: DocumentView, parts: list[Part], kind: str) -> None:
    with doc.open_outline() as outline:
        item_pages = _outline_pages(list(outline.root), _page_indices(doc))
    with out.open_outline() as outline:
        top = OutlineItem(view["kind_title"], 0)
        outline.root.append(top)
        group = top
        for item in view["items"]:
            parent = top
            if item["group"] is not None:
                if item["opens_group"]:
                    title = item["group"]["bookmark"]
                    group = OutlineItem(title, item_pages.get(title) or 0)
                    top.children.append(group)
                parent = group
            node = OutlineItem(item["bookmark"], item_pages.get(item["bookmark"]) or 0)
            parent.children.append(node)
            for part in parts:
                if part.item == item["number"]:
                    node.children.append(OutlineItem(L.BILAG_BOOKMARK.format(id=part.id, titel=part.title),
                                                     part.cover_page - 1))


def _links(out: Pdf, doc: Pdf, links: list[BilagLink], starts: dict[str, int]) -> None:
    for link in links:
        if link["id"] not in starts:
            continue
        index = link["page"] - 1
        _, _, width, height = _box(doc.pages[index])
        x, y = link["x"], link["y"]
        rect = (x - 2, height - y - 13, width - 70, height - y + 2)
        annot = out.make_indirect(Dictionary(
            Type=Name.Annot, Subtype=Name.Link, Rect=Array([round(v, 4) for v in rect]), Border=Array([0, 0, 0]),
            Dest=Array([out.pages[starts[link["id"]] - 1].obj, Name.Fit])))
        page = out.pages[index].obj
        if isinstance(page.get("/Annots"), Array):
            page.Annots.append(annot)
        else:
            page.Annots = Array([annot])


def _page_labels(out: Pdf, doc_pages: int, parts: list[Part]) -> None:
    nums: list[Any] = [0, Dictionary(S=Name.D, St=1)]
    for part in parts:
        cover = part.cover_page - 1
        nums += [cover, Dictionary(P=String(L.BILAG_COVER_LABEL.format(id=part.id)))]
        if part.pages:
            nums += [cover + 1, Dictionary(S=Name.D, P=String(L.BILAG_PAGE_LABEL.format(id=part.id)), St=1)]
    out.Root.PageLabels = Dictionary(Nums=Array(nums))


def packet_name(kind: str, public: bool) -> str:
    return L.file_stem(PACKET_NAMES[kind], public) + ".pdf"


def write_packets(meeting: Meeting, views: list[DocumentView], earlier: Earlier | None,
                  report: Report | None = None, documents: dict[str, bytes] | None = None,
                  editions: Callable[[bool], Meeting] | None = None, jobs: int = 1) -> dict[str, bytes]:
    """File name → bytes for the packet of every view (the pipeline's, one per kind and edition); `editions`: the
    meeting as each edition sees it, as the pipeline made it (else made here, by the same `view.edition`).

    With `report`, a warning per bilag file from which active content was removed (once per file). `documents`
    (file name → bytes, as the pipeline names them) are the same documents built alone; their page counts are
    the first guess of each document's length in its packet. `earlier`: the minutes of other meetings. `jobs` > 1:
    the Word and Excel bilag are converted side by side (`Sources.ahead`), and the packets' Typst compiles
    (document, covers, stamps) run side by side; the bilag are read, cleaned and merged in this thread, one packet
    after the other, so files, messages and the first error are a serial run's."""
    files: dict[str, bytes] = {}
    told: set[Path] = set()
    sources = Sources(earlier, jobs)
    plans = []
    for view in views:
        alone = (documents or {}).get(L.file_stem(view["kind"], view["public"]) + ".pdf")
        edition_meeting = editions(view["public"]) if editions else meeting
        plans.append(_plan(edition_meeting, view, sources, len(pdf_of(alone).pages) if alone is not None else None))
    if jobs > 1 and len(plans) > 1:  # the Typst compiles of the packets side by side (Typst releases the GIL)
        with ThreadPoolExecutor(max_workers=min(jobs, len(plans)), thread_name_prefix="referat-pakke") as pool:
            compiled = list(pool.map(_compile, plans))  # results, and the first error, in the packets' order
    else:
        compiled = [_compile(plan) for plan in plans]
    for plan, made in zip(plans, compiled, strict=True):
        view = plan.view
        packet = _assemble(plan, made, sources)
        files[packet_name(view["kind"], view["public"])] = packet.pdf
        for part in packet.parts:
            text = describe(part.removed)
            if report is not None and text and part.source is not None and part.source not in told:
                told.add(part.source)
                report.warning(Location(part.source), text)
    return files
