"""The types of what the packet's Typst templates receive: covers, page stamps, Excel sheets and image pages.

As `view/types.py` is for the documents: JSON-ready TypedDicts, handed to Typst as they are (`render.pdf.
compile_typst`), the template deciding layout only. Every word a template places arrives here, from
`view/labels.py`, so no template sets words of its own.
"""

from __future__ import annotations

from typing import NotRequired, TypedDict

__all__ = ["CoverData", "CoverEntry", "ImageData", "Sheet", "SheetCell", "SheetData", "SheetRow", "SpanCell",
           "StampData", "StampPage"]


# ---- cover.typ: one cover page per bilag ----


class CoverEntry(TypedDict):
    number: str  # the item's number ("3")
    title: str  # the cover's heading, as the view words it from the profile ("3 BILAGSTITEL", "2.1 Punktets titel")
    page: int  # the cover's page in the packet
    note: str | None  # a line in italics below the heading


class CoverData(TypedDict):
    title: str  # the PDF's metadata title: the document's
    font: str
    colour: str
    page_label: str  # "Side {x} af {y}": the view's labels.page (the profile's sidetal)
    total: int  # the packet's page count
    covers: list[CoverEntry]


# ---- stamp.typ: the page number on each bilag page ----


class StampPage(TypedDict):
    w: float  # the page's width and height in points, as the reader sees it (rotation applied)
    h: float
    text: str  # "Side 12 af 40"


class StampData(TypedDict):
    pages: list[StampPage]


# ---- sheet.typ: an Excel bilag as tables ----


class SpanCell(TypedDict):
    """A cell that is more than its text: merged or spilling over empty cells, or a number."""

    t: str
    cs: NotRequired[int]  # columns it spans
    rs: NotRequired[int]  # rows it spans
    n: NotRequired[bool]  # a number: right-aligned


SheetCell = str | SpanCell
SheetRow = list[SheetCell]


class Sheet(TypedDict):
    """One visible sheet (`sources.sheet_view`): visible rows and columns only, widths in points."""

    name: str
    landscape: bool
    size: float  # the font size in points
    widths: list[float]
    fit: bool  # the widths fit the page as they are (else they are shares of it)
    pre: list[SheetRow]  # rows above the repeated header
    head: list[SheetRow]  # the header rows, repeated on every page
    body: list[SheetRow]


class SheetData(TypedDict):
    title: str  # the bilag's title
    empty: str  # what a sheet without cells shows: "(tomt ark)" (labels.SHEET_EMPTY)
    sheets: list[Sheet]


# ---- image.typ: an image bilag on its own page ----


class ImageData(TypedDict):
    title: str  # the bilag's title: the PDF's title and the image's alternative text
    image: NotRequired[str]  # the image's path as Typst reads it (set by `render.pdf.with_asset`)
