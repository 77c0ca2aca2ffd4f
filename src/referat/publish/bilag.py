"""The bilag a web edition links to, each as its own clean PDF: what the packet does to a bilag (active
content, forms, hidden layers, embedded files removed; honest metadata), but one file per bilag, named by its
number only, so that no file name from the meeting folder reaches a published folder."""

from __future__ import annotations

import pikepdf

from ..diagnostics import Location
from ..errors import InputError
from ..model.meeting import Meeting
from ..packet.earlier import Earlier
from ..packet.metadata import set_metadata, to_bytes
from ..packet.sanitize import clean_packet, clean_source, copy_clean_pages
from ..packet.sources import bilag_pdf, minutes_reader
from ..view.document import included_bilag
from ..view.types import DocumentView


def bilag_name(bilag_id: str) -> str:
    """'3.1' → 'bilag-3-1.pdf'."""
    return "bilag-" + bilag_id.replace(".", "-") + ".pdf"


def published_bilag(meeting: Meeting, view: DocumentView, earlier: Earlier) -> dict[str, tuple[str, bytes]]:
    """Bilag id → (file name, clean PDF) for every bilag the document `view` shows (the view decides: a public
    edition shows only the public bilag of open items), titled as the view titles them."""
    author = meeting.profile.secretariat or meeting.profile.name
    items = {item.number: item for item in meeting.items}
    public = view["public"]
    out: dict[str, tuple[str, bytes]] = {}
    for shown, entry in included_bilag(view):
        item = items[shown["number"]]
        bid = entry["id"]
        n = int(bid.rsplit(".", 1)[1])
        b = item.bilag[n - 1]
        where = item.source.at(("bilag", n - 1)) if item.source is not None else Location(meeting.folder)
        if b.archived is not None:
            reader = minutes_reader(earlier.archived_minutes(meeting.folder, b.archived, public, where))
        elif b.file is not None:
            assert b.path is not None
            reader = bilag_pdf(b.path, b.title, meeting.date)
        else:
            assert b.path is not None
            reader = minutes_reader(earlier.folder_minutes(b.path, public, where))
        pdf = pikepdf.new()
        try:
            clean_source(reader)
            copy_clean_pages(pdf, reader)
        except Exception:  # noqa: BLE001 - a PDF qpdf cannot copy
            raise InputError("bilaget kan ikke læses som PDF; gem det som PDF igen", where) from None
        clean_packet(pdf)
        set_metadata(pdf, f"Bilag {bid} {entry['name']}", author, "", "da-DK", meeting.date, None)
        out[bid] = (bilag_name(bid), to_bytes(pdf, [reader], f"{bid}\0{entry['name']}".encode()))
    return out
