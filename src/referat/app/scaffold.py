"""`referat new`: a meeting folder with the committee's standard items that validates at once."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from ..diagnostics import Location, Report
from ..errors import InputError
from ..fileio import write_atomic
from ..load.meeting import BILAG_DIR, ITEMS_DIR, MEETING_FILE
from ..load.profile import load_profile, template_dirs
from ..load.yamledit import entry, key, new_document
from ..model.item import Access, Item
from ..model.meeting import Attendance, Meeting, Phase
from ..schema import schema_file_name, schema_text
from ..text.danish import slug

__all__ = ["modeline", "new_meeting", "schema_dir_for", "slug"]


def schema_dir_for(folder: Path) -> Path | None:
    """A `schemas/` folder with the generated schemas above `folder`, if the repository has one."""
    for parent in [folder.resolve(), *folder.resolve().parents]:
        if (parent / "schemas" / schema_file_name("punkt")).is_file():
            return parent / "schemas"
    return None


def modeline(file: Path, schemas: Path, kind: str) -> str:
    rel = os.path.relpath(schemas / schema_file_name(kind), file.parent.resolve())
    return f"# yaml-language-server: $schema={Path(rel).as_posix()}\n"


def new_meeting(folder: Path, committee: str, date: dt.date, start: str, end: str, place: str | None,
                templates: list[Path] | None = None, carried: dict[str, Any] | None = None) -> list[Path]:
    """Create the meeting folder; refuse to touch one that already has a meeting.

    `carried` (from `new --fra`, `lifecycle/nextmeeting.py`): "medlemmer" (the roster), "bilag" (standard item
    title → bilag entries) and "punkter" (extra items, as model field → value, placed after the standard start
    items). Every file is written by the one YAML writer, with the model's keys; each item gets its `id`."""
    if (folder / MEETING_FILE).exists():
        raise InputError(f"der er allerede et møde her ({MEETING_FILE}); vælg en ny mappe", Location(folder / MEETING_FILE))
    report = Report()
    profile = load_profile(committee, template_dirs(folder, templates), Location(Path(committee)), report)
    if profile is None:
        raise InputError(report)
    schemas = schema_dir_for(folder.parent if not folder.exists() else folder)
    if schemas is None:
        schemas = folder / ".schema"
        for kind in ("møde", "punkt"):
            write_atomic(schemas / schema_file_name(kind), schema_text(kind))
    carried = carried or {}

    def standard(std: Any) -> dict[str, Any]:
        return {"title": std.title, "access": Access.OPEN, "type": std.type,
                "recommendation": list(std.recommendation) or None}

    bodies = [standard(s) for s in profile.standard_items if s.position == "start"]
    bodies += list(carried.get("punkter", []))
    bodies += [standard(s) for s in profile.standard_items if s.position == "slut"]
    written: list[Path] = []
    names: list[str] = []
    taken: set[str] = set()
    for n, body in enumerate(bodies, start=1):
        word = slug(body["title"])
        name = f"{n:02d}-{word}.yaml"
        path = folder / ITEMS_DIR / name
        item_id, k = word, 2
        while item_id in taken:  # two items of one title ("Opfølgning på beslutninger", open and closed)
            item_id, k = f"{word[:37]}-{k}", k + 1
        taken.add(item_id)
        extra = carried.get("bilag", {}).get(body["title"].strip().lower())
        data = entry(Item, item_id=item_id, **body, bilag=extra or None)
        write_atomic(path, new_document(data, path, head=modeline(path, schemas, "punkt")))
        written.append(path)
        names.append(name)
    meeting = entry(Meeting, committee_id=committee, phase=Phase.AGENDA, date=date.isoformat(), start=start,
                    end=end, place=place or None, online=True if not place else None,
                    members=carried.get("medlemmer") or None,
                    attendance=entry(Attendance, present=[], absent=[], others=[]), item_files=names)
    path = folder / MEETING_FILE
    items_key = key(Meeting, "item_files")
    text = new_document(meeting, path, head=modeline(path, schemas, "møde"), comments={
        items_key: f"Tilføj punkter: læg en fil i {ITEMS_DIR}/ og skriv dens navn i listen herunder."})
    write_atomic(path, text)
    (folder / BILAG_DIR).mkdir(parents=True, exist_ok=True)
    return [path, *written]
