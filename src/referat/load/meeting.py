"""Reading a meeting folder (møde.yaml, punkter/, bilag/) into a Meeting with its items."""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import Location, Report
from ..model.item import Item
from ..model.meeting import Meeting
from .confine import inside as _inside
from .confine import outside_message
from .parse import Placeholders, parse_model
from .profile import ignored_templates, load_profile, template_dirs

MEETING_FILE = "møde.yaml"
ITEMS_DIR = "punkter"
BILAG_DIR = "bilag"


def load_meeting(folder: Path, templates: list[Path] | None = None) -> tuple[Meeting | None, Report]:
    """Read and schema-check every file of the meeting; return what loaded and every problem found."""
    report = Report()
    folder = Path(folder)
    if not folder.is_dir():
        what = "findes ikke" if not folder.exists() else "er ikke en mappe"
        report.error(Location(folder), f"mødemappen {what}")
        return None, report
    path = folder / MEETING_FILE
    if not path.is_file():
        report.error(Location(folder), f"mappen har ingen {MEETING_FILE}; opret en med 'referat new {folder}'")
        return None, report
    if not _inside(path, folder):
        report.error(Location(path), outside_message(MEETING_FILE))
        return None, report
    meeting = parse_model(path, Meeting, report, placeholders=MEETING_PLACEHOLDERS)
    dirs = template_dirs(folder, templates)
    for ignored, why in ignored_templates(folder, dirs):
        report.warning(Location(ignored), why)
    if meeting is None:
        return None, report
    meeting.locate(folder)
    profile = None
    if "udvalg" not in meeting.broken:
        profile = load_profile(meeting.committee_id, dirs, meeting.source.at(("udvalg",)), report)
    meeting.use_profile(profile)
    items = _load_items(meeting, report)
    if profile is not None and profile.hierarchical:
        number_hierarchically(items)
    meeting.set_items(items)
    return meeting, report


def number_hierarchically(items: list[Item]) -> None:
    """Numbers 1, 2.1, 2.2, 3 …: an item without a `gruppe` has the next number of its own; consecutive items of
    the same group share the next one and are numbered under it (validation reports a group split by others)."""
    top = 0
    current: str | None = None
    inner = 0
    for item in items:
        assert item.file is not None
        if item.group is None:
            top, current = top + 1, None
            item.place(str(top), item.file)
            continue
        if item.group != current:
            top, current, inner = top + 1, item.group, 0
        inner += 1
        item.place(f"{top}.{inner}", item.file)


# A møde.yaml or item file whose required keys are missing or in error is still read, so that everything else in
# the meeting is checked; these values stand in for the broken keys (rules that need them are skipped, and a meeting
# with errors is never rendered).
MEETING_PLACEHOLDERS: Placeholders = {
    "udvalg": ("x", ...), "fase": ("dagsorden", ...), "dato": ("2000-01-01", ...), "start": ("00.00", ...),
    "slut": ("23.59", ...), "punkter": (["-"], []),
}
ITEM_PLACEHOLDERS: Placeholders = {"titel": ("-", "")}


def _load_items(meeting: Meeting, report: Report) -> list[Item]:
    items_dir = meeting.folder / ITEMS_DIR
    items: list[Item] = []
    seen: dict[str, int] = {}
    for index, name in enumerate(meeting.item_files):
        where = meeting.source.at(("punkter", index))
        if name in seen:
            report.error(where, f"'{name}' står allerede som punkt {seen[name] + 1} i punktlisten")
            continue
        seen[name] = index
        path = items_dir / name
        if Path(name).name != name or not name.endswith((".yaml", ".yml")):
            report.error(where, f"'{name}' skal være et filnavn i {ITEMS_DIR}/ der ender på .yaml")
            continue
        if not path.is_file():
            report.error(where, f"punktfilen {ITEMS_DIR}/{name} findes ikke")
            continue
        if not _inside(path, meeting.folder):
            report.error(where, outside_message(f"punktfilen {ITEMS_DIR}/{name}"))
            continue
        item = parse_model(path, Item, report, placeholders=ITEM_PLACEHOLDERS)
        if item is None:
            continue
        item.place(str(index + 1), path)
        for b in item.bilag:
            b.resolve(meeting.folder, meeting.folder / BILAG_DIR)
        items.append(item)
    listed = set(meeting.item_files)
    if items_dir.is_dir() and "punkter" not in meeting.broken:
        for extra in sorted(items_dir.glob("*.y*ml")):
            if extra.name not in listed:
                report.warning(Location(extra), f"punktfilen står ikke i punktlisten i {MEETING_FILE} og kommer ikke med")
    return items
