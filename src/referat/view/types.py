"""The types of the document view: what every writer (Word, PDF, text, HTML) receives.

The view is JSON-ready data (TypedDicts over plain dicts and lists): the PDF writer hands it to Typst as it is,
the others walk it. It carries every decision and every word a writer places — closed or not, public edition or
not, labels and suffixes — so a writer never compares display text or adds wording of its own.

Rich text is a tree of typed nodes (`referat.text.nodes`, re-exported here for the writers). Sections of an item
are told apart by ``"type"``: ``points`` (the Indstilling), ``bilag`` and ``blocks`` (rich text).
"""

from __future__ import annotations

from typing import Literal, NotRequired, TypedDict

from ..text.nodes import (
    Block,
    BreakNode,
    CodeNode,
    EmphNode,
    HeadingBlock,
    Inline,
    LinkNode,
    ListBlock,
    ParBlock,
    StrongNode,
    TableBlock,
    TextNode,
)

__all__ = [
    "BilagEntry",
    "BilagSection",
    "Block",
    "BlocksSection",
    "BreakNode",
    "CodeNode",
    "Committee",
    "DocumentView",
    "EmphNode",
    "FrontRow",
    "GroupView",
    "HeadingBlock",
    "Inline",
    "ItemView",
    "Kind",
    "Labels",
    "LinkNode",
    "ListBlock",
    "Look",
    "PageLayout",
    "ParBlock",
    "Point",
    "PointsSection",
    "Section",
    "StrongNode",
    "TableBlock",
    "TextNode",
    "TitleLine",
]



# ---- the document ----


class Committee(TypedDict):
    short: str
    name: str
    organisation: str


class Look(TypedDict):
    colour: str
    font: str


class Labels(TypedDict):
    """Words a writer places, some with a value filled in ({x}, {y}, {side}, {nummer}, {tid})."""

    toc: str  # "Indholdsfortegnelse"
    page: str  # "Side {x} af {y}": the profile's sidetal
    bilag_page: str  # "(side {side})", after a bilag in a packet's bilag list
    skip: str  # "Gå til indholdet": the web page's first link, past the header to the content
    case_number: str  # "Sagsnummer {nummer}": the web page's line under an item's heading
    time_slot: str  # "Kl. {tid}": the same line
    anchor: str  # "punkt-{nummer}": an item's anchor in the web page (part of its address)


class FrontRow(TypedDict):
    label: str
    lines: list[str]  # one line per name, or one run-on line (the profile's opsætning.forside.navne); [] when empty
    blocks: NotRequired[list[Block]]


class TitleLine(TypedDict):
    """A line of the front page's title block, and how it is set."""

    text: str
    role: Literal["organisation", "committee", "kind"]  # small above, the committee's name large, the document


class PageLayout(TypedDict):
    """The committee's layout decisions (its profile's `opsætning`), for the writers to follow."""

    title: list[TitleLine]  # the front page's title block
    toc: Literal["front", "page", "none"]  # the table of contents under the front page, on its own page, or none
    front_footer: bool  # the front page has the page-number footer
    header: Literal["every_page", "item_start"]  # running header and access line on every page, or where an item starts
    points: Literal["numbered", "bullets"]  # the Indstilling's points


class Point(TypedDict):
    text: str
    sub: list[str]


class BilagEntry(TypedDict):
    id: str  # "3.1": item number and the bilag's place under it
    name: str  # the bilag's own title
    title: str  # what the list shows: the name, with " (ikke offentligt bilag)" when withheld
    withheld: bool  # listed but left out of this (public) edition and its packet
    cover: str  # the heading of its cover page in a packet ("3 BILAGSTITEL", as the profile sets it)
    page: NotRequired[int]  # its first page, in a packet


class PointsSection(TypedDict):
    type: Literal["points"]
    key: str  # the profile's section key ("indstilling")
    heading: str | None
    lead_in: str  # the item's own or the profile's; "" for none
    points: list[Point]


class BilagSection(TypedDict):
    type: Literal["bilag"]
    key: str
    heading: str | None
    bilag: list[BilagEntry]


class BlocksSection(TypedDict):
    type: Literal["blocks"]
    key: str  # a section key, "intro" (the next meeting's sentence) or "afsnit" (a free section)
    heading: str | None
    blocks: list[Block]  # [] for a section whose heading the profile shows when it is empty


Section = PointsSection | BilagSection | BlocksSection


class GroupView(TypedDict):
    """The heading a group of items stands under: numbered with hierarchical numbering ("2." over 2.1, 2.2 …),
    unnumbered where the profile numbers on (its label empty)."""

    number: str  # "2" (with running numbering: the group's place among the groups, for telling them apart)
    label: str  # "2.", or ""
    title: str
    bookmark: str  # "2. Sager til beslutning", or the title alone


class ItemView(TypedDict):
    number: str
    label: str  # "Punkt 3."
    title: str
    bookmark: str  # "Punkt 3. Titel"
    access: str  # the word above the heading: "Åben" or "Lukket"
    closed: bool
    withheld: bool  # a closed item in a public edition: only its heading and `notice`
    case_number: str | None
    time_slot: str | None
    notice: str | None  # "Lukket punkt" when withheld
    sections: list[Section]
    group: GroupView | None  # the group the item stands under (its `gruppe`), else None
    opens_group: bool  # the first item of its group: the group's heading stands before it
    title_rest: NotRequired[str]  # set by the PDF writer when a title is too long for one heading


Kind = Literal["dagsorden", "referat"]


class DocumentView(TypedDict):
    kind: Kind
    kind_title: str  # "Dagsorden"
    edition_title: str  # what the front page calls the document: "Dagsorden (offentlig udgave)"
    public: bool
    title: str  # the document's metadata title
    subject: str
    author: str
    lang: str
    date: str  # ISO date of the meeting
    committee: Committee
    look: Look
    header: str  # the running header
    layout: PageLayout
    front: list[FrontRow]
    labels: Labels
    items: list[ItemView]
    packet_total: NotRequired[int]  # in a packet: its page count, for "Side x af y"
    logo: NotRequired[str]  # the logo's path as Typst reads it
