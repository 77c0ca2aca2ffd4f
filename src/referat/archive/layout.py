"""How the minutes print an item, as the archive's text check needs it (`Layout`): recorded in each manifest.

Kept apart from `archive.text` (which reads PDFs with pypdf and builds views) so that the commands that only read
manifests and the index — `archive list`, `search`, `decisions` — load neither.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..view import labels as L

if TYPE_CHECKING:
    from ..model.meeting import Meeting
    from ..model.profile import Committee


@dataclass
class Layout:
    """How the minutes print an item, as far as the text comparison needs it: recorded in the manifest so
    `archive verify` can cut a stored PDF's text into items without the meeting folder."""

    label: str  # the profile's punkt_format, e.g. "Punkt {nummer}."
    decision: str  # the decision's heading line, e.g. "Beslutning:"
    after: list[str]  # the headings of sections printed after the decision, and the headings of item groups
    page: str = L.PAGE  # the page number's wording ("Side {x} af {y}"), the profile's sidetal
    # every line the profile prints in each item (section headings, the Indstilling's lead-in): not searched
    headings: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, meeting: Meeting) -> Layout:
        from ..view.document import document_view

        view = document_view(meeting, "referat")
        return cls.from_profile(meeting.profile, [it["group"]["bookmark"] for it in view["items"]
                                                  if it["opens_group"] and it["group"] is not None])

    @classmethod
    def from_profile(cls, profile: Committee, groups: list[str] | None = None) -> Layout:
        from ..text.richtext import printable
        from ..view.document import page_label

        order = list(profile.order)
        following = order[order.index("beslutning") + 1:] if "beslutning" in order else []
        fixed = [printable(profile.heading(k, "referat")).strip() for k in profile.headings] + [
            printable(profile.lead_in).strip()]
        return cls(profile.item_label, printable(profile.heading("beslutning", "referat")).strip(),
                   [printable(profile.heading(k, "referat")).strip() for k in following] + (groups or []),
                   page_label(profile), sorted({h for h in fixed if h}))

    def to_json(self) -> dict[str, Any]:
        return {"punkt_format": self.label, "beslutning": self.decision, "efter_beslutning": self.after,
                "sidetal": self.page, "overskrifter": self.headings}

    @classmethod
    def from_json(cls, data: Any) -> Layout | None:
        if not isinstance(data, dict):
            return None
        label, decision, after = data.get("punkt_format"), data.get("beslutning"), data.get("efter_beslutning")
        page = data.get("sidetal", L.PAGE)
        if not (isinstance(label, str) and label.count("{") == label.count("}") == 1 and "{nummer}" in label
                and isinstance(decision, str) and decision.strip()
                and isinstance(after, list) and all(isinstance(a, str) for a in after)
                and isinstance(page, str) and "{x}" in page):
            return None
        headings = data.get("overskrifter")  # absent in manifests from before issue 24
        shared = [h.strip() for h in headings if isinstance(h, str)] if isinstance(headings, list) else []
        return cls(label, decision.strip(), [a.strip() for a in after], page, shared)

    def label_pattern(self) -> re.Pattern[str]:
        before, _, rest = self.label.partition("{nummer}")
        return re.compile("^" + re.escape(before.strip()) + (r"\s*" if before.strip() else "") + r"(\S+?)"
                          + re.escape(rest.strip()) + r"(\s|$)")
