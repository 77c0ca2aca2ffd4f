"""`referat new`: a meeting folder with the committee's standard items that validates at once."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from ..diagnostics import Location, ReferatError, Report
from ..fileio import write_atomic
from ..load.meeting import BILAG_DIR, ITEMS_DIR, MEETING_FILE
from ..load.profile import load_profile, template_dirs
from ..schema import schema_file_name, schema_text


def slug(text: str) -> str:
    text = text.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:40].rstrip("-") or "punkt"


def schema_dir_for(folder: Path) -> Path | None:
    """A `schemas/` folder with the generated schemas above `folder`, if the repository has one."""
    for parent in [folder.resolve(), *folder.resolve().parents]:
        if (parent / "schemas" / schema_file_name("punkt")).is_file():
            return parent / "schemas"
    return None


def modeline(file: Path, schemas: Path, kind: str) -> str:
    rel = os.path.relpath(schemas / schema_file_name(kind), file.parent.resolve())
    return f"# yaml-language-server: $schema={Path(rel).as_posix()}\n"


def dump(data: dict[str, Any]) -> str:
    yaml = YAML()
    yaml.allow_unicode = True
    yaml.width = 110
    yaml.indent(mapping=2, sequence=4, offset=2)
    buf = io.StringIO()
    yaml.dump(data, buf)
    return buf.getvalue()


def new_meeting(folder: Path, committee: str, date: dt.date, start: str, end: str, place: str | None,
                templates: list[Path] | None = None, carried: dict[str, Any] | None = None) -> list[Path]:
    """`carried` (from `new --fra`): "medlemmer" (the roster), "bilag" (standard item title → bilag entries)
    and "punkter" (extra items placed after the standard start items)."""
    """Create the meeting folder; refuse to touch one that already has a meeting."""
    if (folder / MEETING_FILE).exists():
        raise ReferatError(f"der er allerede et møde her ({MEETING_FILE}); vælg en ny mappe", Location(folder / MEETING_FILE))
    report = Report()
    profile = load_profile(committee, template_dirs(folder, templates), Location(Path(committee)), report)
    if profile is None:
        raise ReferatError(report)
    schemas = schema_dir_for(folder.parent if not folder.exists() else folder)
    if schemas is None:
        schemas = folder / ".schema"
        for kind in ("møde", "punkt"):
            write_atomic(schemas / schema_file_name(kind), schema_text(kind))
    starts = [s for s in profile.standard_items if s.position == "start"]
    ends = [s for s in profile.standard_items if s.position == "slut"]
    written: list[Path] = []
    names: list[str] = []
    carried = carried or {}
    bodies: list[dict[str, Any]] = []
    for std in starts:
        bodies.append({"titel": std.title, "adgang": "åben", "type": std.type.value,
                       **({"indstilling": list(std.recommendation)} if std.recommendation else {})})
    bodies += list(carried.get("punkter", []))
    for std in ends:
        bodies.append({"titel": std.title, "adgang": "åben", "type": std.type.value,
                       **({"indstilling": list(std.recommendation)} if std.recommendation else {})})
    for n, body in enumerate(bodies, start=1):
        name = f"{n:02d}-{slug(body['titel'])}.yaml"
        path = folder / ITEMS_DIR / name
        extra = carried.get("bilag", {}).get(body["titel"].strip().lower())
        if extra:
            body["bilag"] = extra
        write_atomic(path, modeline(path, schemas, "punkt") + dump(body))
        written.append(path)
        names.append(name)
    meeting: dict[str, Any] = {
        "udvalg": committee, "fase": "dagsorden", "dato": date.isoformat(), "start": start, "slut": end,
    }
    if place:
        meeting["sted"] = place
    else:
        meeting["online"] = True
    if carried.get("medlemmer"):
        meeting["medlemmer"] = carried["medlemmer"]
    meeting["fremmøde"] = {"til_stede": [], "fraværende": [], "øvrige": []}
    meeting["punkter"] = names
    path = folder / MEETING_FILE
    text = modeline(path, schemas, "møde") + dump(meeting)
    text = text.replace("  øvrige: []\n", "  øvrige: []\n# Tilføj punkter: læg en fil i punkter/ og skriv dens navn i listen herunder.\n")
    write_atomic(path, text)
    (folder / BILAG_DIR).mkdir(parents=True, exist_ok=True)
    return [path, *written]
