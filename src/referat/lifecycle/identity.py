"""Items have identity: the same item in two versions of a meeting, whatever its file is called now.

An item file carries a stable `id:` (model/item.py `Item.item_id`). `referat new` writes one into every file it
makes; `referat send` and `referat to-minutes` write one into each item file that has none yet (the one YAML
writer, every other byte kept), made from the file name without its number ("03-eventuelt.yaml" → `eventuelt`),
unique in the meeting. Renaming or renumbering the file keeps the id, and so the item.

Two versions are matched item by item (`match_items`): first by id; then, for an item without an id on one side
(a version sent before ids were written), by content (the same data, the id aside), by file name, and by a title
that only one unmatched item on each side has. What is matched is the same item: unchanged, changed or moved —
never new.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..diagnostics import Location, Report
from ..errors import InputError
from ..fileio import read_reason, write_all
from ..load.yamledit import key, key_path, set_value
from ..model.item import Item
from ..model.meeting import Meeting
from ..text.danish import slug
from .versions import State, safe_load

ID = key(Item, "item_id")
TITLE = key(Item, "title")


def new_id(file_name: str, title: str, taken: set[str]) -> str:
    """An id for an item without one: its file name without the number, else its title, made unique."""
    stem = re.sub(r"^\d+[-_. ]*", "", Path(file_name).stem)
    base = slug(stem) if stem.strip("-_. ") else slug(title)
    candidate, n = base, 2
    while candidate in taken:
        suffix = f"-{n}"
        candidate, n = base[:40 - len(suffix)] + suffix, n + 1
    return candidate


def missing_ids(meeting: Meeting) -> dict[Path, str]:
    """The ids to write: item file → a new id, for every item whose file has none."""
    taken = {item.item_id for item in meeting.items if item.item_id is not None}
    out: dict[Path, str] = {}
    for item in meeting.items:
        if item.item_id is None and item.file is not None:
            out[item.file] = new_id(item.file.name, item.title, taken)
            taken.add(out[item.file])
    return out


def with_id(text: str, path: Path, item_id: str) -> str:
    """The item file's text with `id: …` added (after its last key), every other byte kept."""
    return set_value(text, path, key_path(Item, "item_id"), item_id)


def write_missing_ids(meeting: Meeting, report: Report) -> list[Path]:
    """Write an id into every item file of `meeting` that has none (all files at once); the files written. A file
    the writer cannot edit safely (a `...` end marker, mixed line breaks) keeps no id, with a warning: the item is
    then matched by content, and sending goes on."""
    files: dict[Path, str] = {}
    for path, item_id in missing_ids(meeting).items():
        target = path.resolve() if path.is_symlink() else path  # a link inside the folder (validated): its file
        try:
            try:
                text = target.read_bytes().decode("utf-8")
            except OSError as exc:
                raise InputError(f"filen kan ikke læses ({read_reason(exc)})", Location(path)) from None
            except UnicodeDecodeError:
                raise InputError("filen er ikke gyldig UTF-8; gem den som UTF-8", Location(path)) from None
            files[target] = with_id(text, path, item_id)
        except InputError as exc:
            for diag in exc.report.items:
                report.warning(diag.location, f"punktets id kan ikke skrives ({diag.message}); punktet genkendes "
                                              "på sit indhold, til det har et id")
    write_all(files)
    return list(files)


# ---------------------------------------------------------------------------------------------------- matching


def item_data(state: State, name: str) -> dict[str, Any]:
    """An item file of a state as data ({} when it is not a mapping); an unreadable one is a Danish error."""
    data = safe_load(state.items[name], state.path(name))
    return data if isinstance(data, dict) else {}


def _id(data: dict[str, Any]) -> str | None:
    value = data.get(ID)
    return value if isinstance(value, str) and value else None


def without_id(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != ID}


def match_items(old: State, new: State) -> dict[str, str]:
    """The items of `new` that are items of `old`: new file name → old file name (see the module docstring)."""
    old_data = {name: item_data(old, name) for name in old.items}
    new_data = {name: item_data(new, name) for name in new.items}
    pairs: dict[str, str] = {}
    old_by_id: dict[str, str] = {}
    for name, data in old_data.items():
        ident = _id(data)
        if ident is not None:
            old_by_id.setdefault(ident, name)
    used: set[str] = set()
    for name, data in new_data.items():
        ident = _id(data)
        if ident is not None and ident in old_by_id and old_by_id[ident] not in used:
            pairs[name] = old_by_id[ident]
            used.add(old_by_id[ident])

    def open_pair(new_name: str, old_name: str) -> bool:
        """Both unmatched, and not two items that each carry an id of their own (then they are two items)."""
        return (new_name not in pairs and old_name not in used
                and (_id(new_data[new_name]) is None or _id(old_data[old_name]) is None))

    def pair(new_name: str, old_name: str) -> None:
        pairs[new_name] = old_name
        used.add(old_name)

    for name, data in new_data.items():  # the same content, the id aside
        for old_name, before in old_data.items():
            if open_pair(name, old_name) and without_id(before) == without_id(data):
                pair(name, old_name)
                break
    for name in new_data:  # the same file name
        if name in old_data and open_pair(name, name):
            pair(name, name)
    titles_old = _unique_titles({n: d for n, d in old_data.items() if n not in used})
    titles_new = _unique_titles({n: d for n, d in new_data.items() if n not in pairs})
    for title, name in titles_new.items():  # a title only one unmatched item on each side has
        match = titles_old.get(title)
        if match is not None and open_pair(name, match):
            pair(name, match)
    return pairs


def _unique_titles(items: dict[str, dict[str, Any]]) -> dict[str, str]:
    seen: dict[str, list[str]] = {}
    for name, data in items.items():
        title = data.get(TITLE)
        if isinstance(title, str) and title.strip():
            seen.setdefault(" ".join(title.split()).casefold(), []).append(name)
    return {title: names[0] for title, names in seen.items() if len(names) == 1}


def same_item(old: State, old_name: str, new: State, new_name: str) -> bool:
    """The item is unchanged: the same bytes, or the same data where only the id that `send` wrote was added."""
    if old.items[old_name] == new.items[new_name]:
        return True
    before, after = item_data(old, old_name), item_data(new, new_name)
    return _id(before) is None and _id(after) is not None and without_id(before) == without_id(after)
