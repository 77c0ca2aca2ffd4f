"""The document model: one validated meeting that every writer reads."""

from .item import Bilag, Item, Recommendation
from .meeting import Attendance, Meeting, NextMeeting
from .person import Guest, Member
from .profile import Committee

__all__ = [
    "Attendance", "Bilag", "Committee", "Guest", "Item", "Meeting", "Member", "NextMeeting", "Recommendation",
]
