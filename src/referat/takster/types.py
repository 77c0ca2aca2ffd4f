"""The types of the annex's view: what the takstbilag's writers (Typst PDF, Word, CSV, Excel) receive.

Like the document view (`referat.view.types`), it is JSON-ready data (TypedDicts over plain dicts and lists): the
PDF writer hands it to Typst as it is (`render/typst/takstbilag.typ`), the others walk it. It carries every word
and every decision a writer places — the text of each cell as the driftsherre wrote it, its number and the
decimals it was written with, how it is marked and which footnote explains it — so a writer never formats a
number or words a marking of its own.
"""

from __future__ import annotations

from typing import Literal, NotRequired, TypedDict

from ..view.types import Block

__all__ = ["AnnexCell", "AnnexColumn", "AnnexNote", "AnnexRow", "AnnexSection", "AnnexView", "Footnote", "LegendEntry"]

# "generel": the driftsherre's general overhead as a row of its own (CSV and Excel, which have no section line)
RowKind = Literal["overskrift", "blokhoved", "underrække", "sum", "takst", "generel"]


class LegendEntry(TypedDict):
    colour: str  # hex, "FFF200"
    mark: str  # what a marked cell carries before its footnote number: "", "!" or "?"
    text: str


class AnnexColumn(TypedDict):
    key: str  # "tilbud", "takst", "forklaring", … (the YAML key)
    label: str  # the header as printed (may hold a soft hyphen)
    align: Literal["left", "right"]


class AnnexCell(TypedDict):
    text: str  # as printed: Danish notation, the decimals as submitted; "-" where a dash was written
    flag: list[int]  # the footnotes that explain the cell's marking (numbers within its section)
    colour: str | None  # its fill: yellow, orange, or the marker of an ambiguous number; None unmarked
    label: str  # the superscript after the text: "1", "!2", "?3", joined by commas
    number: NotRequired[float]  # the value, where the cell holds a number (CSV and Excel carry it as one)
    decimals: NotRequired[int]  # the decimals it was written with
    percent: NotRequired[bool]  # a percentage (3,77 for 3,77 %)


class AnnexRow(TypedDict):
    kind: RowKind
    ref: str  # how the footnotes name the row: "Tilbud › Ydelse"
    cells: list[AnnexCell]


class Footnote(TypedDict):
    n: int
    mark: str  # as in the cell: "1", "!1" (unexplained) or "?1" (ambiguous number)
    colour: str
    explained: bool
    ambiguous: bool
    row: str  # the row it marks ("Tilbud › Ydelse")
    rule: str  # the rule's short name ("P/L + 2 pp", "Formel", "Takst mangler", "Tvetydigt tal", …)
    text: str


class AnnexNote(TypedDict):
    title: str | None
    blocks: list[Block]  # the note's Markdown: headings, paragraphs, lists
    text: str  # the same as plain text (CSV, Excel)


class AnnexSection(TypedDict):
    owner: str
    info: str | None  # "Generel overheadprocent: 5 %" where the driftsherre stated one
    overhead: AnnexRow | None  # the same as a row for CSV and Excel: the words under Ydelse, the number under Overhead
    rows: list[AnnexRow]
    footnotes: list[Footnote]
    notes_before: list[AnnexNote]
    notes_after: list[AnnexNote]


class AnnexView(TypedDict):
    title: str
    year: int
    approval: str | None  # "Godkendt af DAS den …", only when the decision approved the annex
    lang: str
    page_label: str  # "Side {x} af {y}"
    guide_title: str
    guide: list[Block]
    summary_title: str
    summary_header: list[str]
    summary: list[list[str]]
    colours: list[LegendEntry]
    columns: list[AnnexColumn]
    aligns: list[Literal["left", "right"]]
    sections: list[AnnexSection]
    footnotes_title: str  # "Markerede felter"
    footnote_header: list[str]  # the footnote table's columns: mark, row, rule, text
    notes_title: str
    notes: list[AnnexNote]  # the annex's notat-bilag, at the end
    annex_notes_title: str
    packet_total: NotRequired[int]  # in a packet: its page count, for "Side x af y"
    first_page: NotRequired[int]  # in a packet: the number of the annex's first page
