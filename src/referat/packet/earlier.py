"""How the minutes of other meetings reach a packet or a web edition as bilag (no PDF library imported here)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Location


@dataclass(frozen=True)
class Earlier:
    """The minutes of other meetings that bilag name, as PDF bytes: made by the application's pipeline, which knows
    the other meeting's state (its signed, archived minutes) and applies the public edition's filter to them.

    `folder_minutes(folder, public, where)` for `referat: ../forrige`; `archived_minutes(meeting_folder, reference,
    public, where)` for `arkiv: udvalg/dato`."""

    folder_minutes: Callable[[Path, bool, Location], bytes]
    archived_minutes: Callable[[Path, str, bool, Location], bytes]
