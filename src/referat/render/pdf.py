"""The PDF writer: the document view as JSON into a Typst template (embedded engine, bundled fonts)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, NoReturn, TypedDict, TypeVar, cast

import typst

from ..diagnostics import Location
from ..errors import ImageUnreadable, InternalError
from ..text.fonts import FONT_DIR, coverable
from ..text.richtext import inline_text
from ..view.types import Block, DocumentView, FrontRow, ItemView, Section

_Data = TypeVar("_Data", bound=Mapping[str, Any])
TEMPLATE_DIR = Path(__file__).resolve().parent / "typst"
PDF_STANDARD: Literal["a-2b"] = "a-2b"
Standard = Literal["1.4", "1.5", "1.6", "1.7", "2.0", "a-1a", "a-1b", "a-2a", "a-2b", "a-2u", "a-3a", "a-3b", "a-3u",
                   "a-4", "a-4e", "a-4f", "ua-1"]
ACCESSIBLE: list[Standard] = ["a-2b", "ua-1"]
# How the engine says that the data of an image it was given is broken: the user's file, not a bug of ours.
IMAGE_UNREADABLE = "failed to decode image"


def _root(assets: list[Path]) -> Path:
    """Typst reads only below its root: the folder common to our templates and any assets (a logo)."""
    return Path(os.path.commonpath([TEMPLATE_DIR, *(a.resolve().parent for a in assets)]))


def _stamp(when: dt.date) -> dt.datetime:
    return dt.datetime(when.year, when.month, when.day, 12, 0, tzinfo=dt.UTC)


# A "word" longer than this (a pasted hash, a URL as text, a key held down) gets a break opportunity (U+200B
# ZERO WIDTH SPACE) after every BREAK_EVERY characters in what Typst sees, so it wraps instead of running off
# the page in one string (over 32.767 characters PDF/A refuses; far beyond, Typst fails). Real Danish words
# are shorter; the text and Word editions are never touched.
LONG_WORD = 40
BREAK_EVERY = 20
_LONG_RUN = re.compile(rf"\S{{{LONG_WORD + 1},}}")
_NOT_TEXT = frozenset({"url", "logo", "image", "colour", "font", "lang", "id", "key", "type", "t"})


def breakable(data: Any) -> Any:
    """`data` (JSON-like) with a break opportunity every BREAK_EVERY characters of each over-long word in its
    text; addresses, asset paths and keys are left as they are."""
    if isinstance(data, str):
        if len(data) <= LONG_WORD or _LONG_RUN.search(data) is None:
            return data
        return _LONG_RUN.sub(lambda m: "\u200b".join(_chunks(m.group())), data)
    if isinstance(data, list):
        return [breakable(v) for v in data]
    if isinstance(data, dict):
        return {k: v if k in _NOT_TEXT else breakable(v) for k, v in data.items()}
    return data


def _chunks(word: str) -> list[str]:
    return [word[i:i + BREAK_EVERY] for i in range(0, len(word), BREAK_EVERY)]


# A heading's text also becomes a PDF string (its bookmark and structure tag), which PDF/A limits to 32.767
# characters: an item title longer than HEADING_MAX characters is set as a heading of its first HEADING_MAX
# characters, continued in the same type directly below; a Markdown sub-heading that long becomes bold text.
HEADING_MAX = 2000


def short_headings(view: DocumentView) -> DocumentView:
    """The document view with over-long headings split as described at HEADING_MAX (for Typst only)."""
    def blocks(bs: list[Block]) -> list[Block]:
        out: list[Block] = []
        for b in bs:
            if b["type"] == "heading" and len(inline_text(b["inlines"])) > HEADING_MAX:
                b = {"type": "par", "inlines": [{"type": "strong", "c": b["inlines"]}]}
            elif b["type"] == "list":
                b = {**b, "items": [blocks(item) for item in b["items"]]}
            out.append(b)
        return out

    def section(s: Section) -> Section:
        return {**s, "blocks": blocks(s["blocks"])} if s["type"] == "blocks" else s

    def item(it: ItemView) -> ItemView:
        return {**it, "title": it["title"][:HEADING_MAX], "title_rest": it["title"][HEADING_MAX:],
                "sections": [section(s) for s in it["sections"]]}

    def row(r: FrontRow) -> FrontRow:
        return {**r, "blocks": blocks(r["blocks"])} if "blocks" in r else r

    return {**view, "items": [item(it) for it in view["items"]], "front": [row(r) for r in view["front"]]}


def compiler(template: str, data: Mapping[str, Any], assets: list[Path] | None = None) -> typst.Compiler:
    if template == "document.typ":
        data = short_headings(cast(DocumentView, data))
    payload = json.dumps(breakable(coverable(data)), ensure_ascii=False, sort_keys=True)
    return typst.Compiler(str(TEMPLATE_DIR / template), root=str(_root(assets or [])), font_paths=[str(FONT_DIR)],
                          ignore_system_fonts=True, sys_inputs={"data": payload})


def compile_typst(template: str, data: Mapping[str, Any], when: dt.date, assets: list[Path] | None = None,
                  query: str | None = None, accessible: bool = False) -> tuple[bytes, list[Any]]:
    """Compile a template of ours with `data`; the same data and date give the same bytes.

    With `query` (a label such as "<bilaglink>"), also return the values of the metadata so labelled.
    With `accessible`, the PDF also claims PDF/UA-1 — only if Typst's own PDF/UA checks pass (a Markdown
    sub-heading straight under an item title skips a heading level, for instance); otherwise PDF/A-2b alone.
    """
    comp = compiler(template, data, assets)
    try:
        pdf = None
        if accessible:
            try:
                pdf = comp.compile(format="pdf", pdf_standards=ACCESSIBLE, timestamp=_stamp(when))
            except typst.TypstError as exc:
                if "PDF/UA" not in exc.message:
                    raise
        if pdf is None:
            pdf = comp.compile(format="pdf", pdf_standards=PDF_STANDARD, timestamp=_stamp(when))
        found = json.loads(comp.query(query, field="value", format="json")) if query else []
    except typst.TypstError as exc:
        _engine_failed(exc, template, assets)
    assert isinstance(pdf, bytes)
    return pdf, found


def _engine_failed(exc: typst.TypstError, template: str, assets: list[Path] | None) -> NoReturn:
    """What a failed compile means: the user's image the engine cannot read, or a bug of ours."""
    if assets and IMAGE_UNREADABLE in exc.message:  # the user's image (a logo, an image bilag), not our code
        # the one place the engine's own words are read: what it says becomes a kind, which callers catch
        raise ImageUnreadable(f"billedet kan ikke læses af PDF-motoren ({exc.message})",
                              Location(assets[0])) from None
    # anything else is a bug of ours, not of the user's: say so plainly (exit 70, a report to attach)
    raise InternalError(f"PDF-motoren fejlede i skabelonen {template}: {exc.message}. Det er en fejl i "
                        "referat, ikke i dine filer; rapportér den til projektet") from exc


def query_typst(template: str, data: Mapping[str, Any], query: str, assets: list[Path] | None = None) -> list[Any]:
    """The values of the metadata labelled `query` in a template of ours laid out with `data` (no PDF made)."""
    try:
        return list(json.loads(compiler(template, data, assets).query(query, field="value", format="json")))
    except typst.TypstError as exc:
        _engine_failed(exc, template, assets)


def with_asset(data: _Data, key: str, path: Path | None) -> tuple[_Data, list[Path]]:
    """`data` with `key` set to the path Typst reads `path` by (from its root), and the asset list."""
    if path is None:
        return data, []
    return cast(_Data, {**data, key: "/" + path.resolve().relative_to(_root([path])).as_posix()}), [path]


class BilagLink(TypedDict):
    """Where a bilag list entry with a packet page stands in the document (document.typ's `<bilaglink>` marks):
    the packet puts a link to the bilag's cover there."""

    id: str  # the bilag's id, "3.1"
    page: int  # the document's page, from 1
    x: float  # the entry's start, in points from the page's left edge
    y: float  # and from its top edge


BILAG_LINK = "<bilaglink>"


def write_pdf(view: DocumentView, when: dt.date, logo: Path | None = None) -> bytes:
    """The document as PDF/A-2b, and PDF/UA-1 as well when Typst's accessibility checks pass (tagged either way).
    Where its items begin is kept for the Word edition of the same view (`item_pages`)."""
    data, assets = with_asset(view, "logo", logo)
    pdf, found = compile_typst("document.typ", data, when, assets, query=ITEM_PAGE, accessible=True)
    _remember(_key(view, when, logo), found)
    return pdf


def write_pdf_with_links(view: DocumentView, when: dt.date, logo: Path | None = None
                         ) -> tuple[bytes, list[BilagLink]]:
    """`write_pdf`'s document (the same compile: tags, standards, bytes for the same view), and where each bilag
    entry that has a packet page (`BilagEntry.page`) stands: what the packet needs to link them to their covers."""
    data, assets = with_asset(view, "logo", logo)
    pdf, found = compile_typst("document.typ", data, when, assets, query=BILAG_LINK, accessible=True)
    return pdf, [{"id": str(v["id"]), "page": int(v["page"]), "x": float(v["x"]), "y": float(v["y"])} for v in found]


def item_pages(view: DocumentView, when: dt.date, logo: Path | None = None) -> tuple[list[int], int]:
    """The page each item begins on in the PDF edition, and its number of pages: what the Word edition's table
    of contents and page count say (Word recounts when its fields are updated). Taken from the PDF of the same view
    when one was just made (a build makes the PDF before the Word file), else from a layout of it (Typst's query,
    no PDF: a third of a compile)."""
    key = _key(view, when, logo)
    with _PAGES_LOCK:
        kept = _PAGES.get(key)
    if kept is not None:
        return list(kept[0]), kept[1]
    data, assets = with_asset(view, "logo", logo)
    return _remember(key, query_typst("document.typ", data, ITEM_PAGE, assets))


ITEM_PAGE = "<punktside>"
_PAGES: OrderedDict[str, tuple[list[int], int]] = OrderedDict()  # view's key → where its items begin, its pages
_PAGES_LOCK = threading.Lock()
_KEEP = 8  # the views of one build: two documents, internal and public, with room to spare


def _key(view: DocumentView, when: dt.date, logo: Path | None) -> str:
    stamp = "" if logo is None else f"{logo.resolve()}:{_stat(logo)}"
    return hashlib.sha256(json.dumps([view, when.isoformat(), stamp], ensure_ascii=False, sort_keys=True,
                                     default=str).encode("utf-8")).hexdigest()


def _remember(key: str, found: list[Any]) -> tuple[list[int], int]:
    pages, total = [int(f["page"]) for f in found], int(found[0]["total"]) if found else 0
    with _PAGES_LOCK:
        _PAGES[key] = (pages, total)
        _PAGES.move_to_end(key)
        while len(_PAGES) > _KEEP:
            _PAGES.popitem(last=False)
    return list(pages), total


def _stat(path: Path) -> str:
    try:
        info = path.stat()
    except OSError:
        return "?"
    return f"{info.st_size}:{info.st_mtime_ns}"
