"""The document model: one validated meeting that every writer reads."""

from .item import Bilag, Item, Recommendation
from .meeting import Attendance, Guest, Meeting, Member, NextMeeting
from .profile import Committee

__all__ = [
    "Attendance", "Bilag", "Committee", "Guest", "Item", "Meeting", "Member", "NextMeeting", "Recommendation",
]
