"""The bilag a web edition links to, each as its own clean PDF: what the packet does to a bilag (active
content, forms, hidden layers, embedded files removed; honest metadata), but one file per bilag, named by its
number only, so that no file name from the meeting folder reaches a published folder."""

from __future__ import annotations

import hashlib
import io

from pypdf import PdfWriter

from ..diagnostics import Location, ReferatError
from ..model.meeting import Meeting
from ..packet.metadata import set_metadata
from ..packet.sanitize import clean_packet, clean_part, layers, prepare, set_layers
from ..packet.sources import archived_minutes_pdf, bilag_pdf, previous_minutes_pdf
from ..view.edition import edition


def bilag_name(bilag_id: str) -> str:
    """'3.1' → 'bilag-3-1.pdf'."""
    return "bilag-" + bilag_id.replace(".", "-") + ".pdf"


def published_bilag(meeting: Meeting, public: bool) -> dict[str, tuple[str, bytes]]:
    """Bilag id → (file name, clean PDF) for every bilag this edition shows; in a public edition only the
    public bilag of open items."""
    meeting = edition(meeting, public)
    author = meeting.profile.secretariat or meeting.profile.name
    out: dict[str, tuple[str, bytes]] = {}
    for item in meeting.items:
        if public and item.closed:
            continue
        for n, b in enumerate(item.bilag, start=1):
            if public and not b.public:
                continue
            bid = f"{item.number}.{n}"
            where = item.source.at(("bilag", n - 1)) if item.source is not None else Location(meeting.folder)
            if b.archived is not None:
                reader = archived_minutes_pdf(meeting.folder, b.archived, public, where)
            elif b.file is not None:
                assert b.path is not None
                reader = bilag_pdf(b.path, b.title, meeting.date)
            else:
                assert b.path is not None
                reader = previous_minutes_pdf(b.path, public)
            writer = PdfWriter()
            prepare(reader)
            try:
                writer.append(reader, import_outline=False)
            except Exception:  # noqa: BLE001 - a PDF pypdf cannot copy
                raise ReferatError("bilaget kan ikke læses som PDF; gem det som PDF igen", where) from None
            clean_part(writer, list(writer.pages), reader)
            groups, hidden = layers(writer, reader)
            set_layers(writer, groups, hidden)
            clean_packet(writer)
            buffer = io.BytesIO()
            fingerprint = hashlib.sha256(bid.encode() + b.title.encode()).digest()
            set_metadata(writer, f"Bilag {bid} {b.title}", author, "", "da-DK", meeting.date, None, fingerprint)
            writer.write(buffer)
            out[bid] = (bilag_name(bid), buffer.getvalue())
    return out
