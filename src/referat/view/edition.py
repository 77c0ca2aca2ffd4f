"""The meeting as one edition sees it: the one public filter.

`edition(meeting, public)` is a copy of the meeting in which every text of the model — found by walking the pydantic
fields (`model.texts`), so a field added later is covered without being listed — has its `[[skjul: … | …]]` spans
resolved: their text in the internal edition, "[…]" in the public one. In the public edition a closed item keeps
only what the public edition prints of it (title, access, `lukket_grundlag`, `offentlig_beslutning`): every other
text of it — its sections, presenters, bilag and their titles, its tasks — is not in the copy at all, so no writer
can print it, wherever the copy is carried (view, packet, web edition, site, calendar, feed, decision register).

The pipeline (`app.pipeline`) makes each edition once and hands it on; `document_view` and the packet call
`edition` too, which returns a copy that already is that edition unchanged.
"""

from __future__ import annotations

from typing import Any

from pydantic_core import PydanticUndefined

from ..model.item import Item
from ..model.meeting import Meeting
from ..model.texts import PUBLIC_WHEN_CLOSED, is_text_field, with_texts
from ..text.richtext import resolve_spans

__all__ = ["edition", "edition_item"]


def edition_item(item: Item, public: bool) -> Item:
    """A copy of the item for one edition (private attributes — number, file, source — kept)."""
    copy = with_texts(item, lambda text: resolve_spans(text, public))
    if public and item.closed:
        cleared: dict[str, Any] = {}
        for name, info in Item.model_fields.items():
            if name in PUBLIC_WHEN_CLOSED or not is_text_field(info):
                continue
            default = info.get_default(call_default_factory=True)
            cleared[name] = "" if default is PydanticUndefined else default
        copy = copy.model_copy(update=cleared)
    return copy


def edition(meeting: Meeting, public: bool) -> Meeting:
    """A copy of the meeting for one edition: every text of the meeting and its items resolved, closed items
    reduced to what the public edition prints. A meeting that already is this edition is returned as it is."""
    if meeting.edition is public:
        return meeting
    if meeting.edition is not None:
        raise ValueError("an edition is made from the meeting as read, not from another edition")  # a bug
    copy = with_texts(meeting, lambda text: resolve_spans(text, public))
    copy.set_items([edition_item(item, public) for item in meeting.items])
    copy.mark_edition(public)
    return copy
