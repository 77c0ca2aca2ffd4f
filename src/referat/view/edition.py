"""The meeting as one edition sees it: redaction spans resolved in every text field.

Every writer (view, packet, site) starts from `edition(meeting, public)`, so a `[[skjul: …]]` span is shown
in the internal editions and is "[…]" everywhere in a public one — text, bookmarks, metadata, bilag titles.
"""

from __future__ import annotations

from ..model.item import Bilag, Item, Recommendation
from ..model.meeting import Meeting
from ..text.richtext import resolve_spans


def _opt(text: str | None, public: bool) -> str | None:
    return None if text is None else resolve_spans(text, public)


def edition_item(item: Item, public: bool) -> Item:
    """A copy of the item with its spans resolved (private attributes — number, file, source — kept)."""
    points = None if item.recommendation is None else [
        p.model_copy(update={"text": resolve_spans(p.text, public),
                             "subpoints": [resolve_spans(s, public) for s in p.subpoints]})
        for p in item.recommendation]
    bilag: list[Bilag] = [b.model_copy(update={"title": resolve_spans(b.title, public)}) for b in item.bilag]
    update = {
        "title": resolve_spans(item.title, public),
        "summary": _opt(item.summary, public),
        "background": _opt(item.background, public),
        "case": _opt(item.case, public),
        "decision": _opt(item.decision, public),
        "closed_reason": _opt(item.closed_reason, public),
        "public_decision": _opt(item.public_decision, public),
        "presenters": [resolve_spans(p, public) for p in item.presenters],
        "recommendation": points,
        "bilag": bilag,
        "lead_in": _opt(item.lead_in, public),
        "free_sections": [f.model_copy(update={"heading": _opt(f.heading, public), "text": resolve_spans(f.text, public)})
                          for f in item.free_sections],
        "group": _opt(item.group, public),
    }
    copy = item.model_copy(update=update)
    return copy


def edition(meeting: Meeting, public: bool) -> Meeting:
    """A copy of the meeting for one edition: every item's text and the other information resolved."""
    copy = meeting.model_copy(update={"other_information": _opt(meeting.other_information, public)})
    copy.set_items([edition_item(item, public) for item in meeting.items])
    return copy


__all__ = ["Recommendation", "edition", "edition_item"]
