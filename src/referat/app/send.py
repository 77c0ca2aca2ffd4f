"""`referat send`: the pipeline's agenda and packet, frozen with the data as the next sent version.

The first sending is the agenda; every later one the revised agenda (items added since the first sending marked as
tillæg) and, when items were added or changed since the previous sending, the tillægsdagsorden
(`referat.lifecycle.send` makes those views from the pipeline's).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..lifecycle.identity import write_missing_ids
from ..lifecycle.send import (
    Changes,
    SendResult,
    addendum_view,
    clear_staging,
    item_changes,
    revised_view,
    sending,
)
from ..lifecycle.versions import current_state, write_version
from . import pipeline


def send(folder: Path, templates: list[Path] | None = None, today: dt.date | None = None) -> SendResult:
    """Validate, build and freeze the next sent version, one send of the meeting at a time (see `sending`)."""
    with sending(folder):
        clear_staging(folder)
        return _send(folder, templates, today)


def _send(folder: Path, templates: list[Path] | None, today: dt.date | None) -> SendResult:
    from ..packet.assemble import packet_name, write_packets

    found, report = pipeline.check_folder(folder, templates)
    if found is not None and "fase" not in found.broken and found.is_minutes:
        raise InputError("mødet står i fasen 'referat'; dagsordenen udsendes før mødet, og en udsendt udgave "
                           "ændres aldrig", found.source.at(("fase",)))
    checked = pipeline.settle(found, report, templates)
    if checked.state.sealed:  # a sealed folder whose phase was set back to 'dagsorden' sends nothing
        from ..errors import SealedMinutes

        raise SealedMinutes(checked.seal if checked.seal.has_errors else "mødets referat er underskrevet og "
                            f"arkiveret ({checked.state.describe()}); der udsendes ingen dagsorden",
                            checked.meeting.source.at(("fase",)))
    meeting = checked.meeting
    state = current_state(folder, list(meeting.item_files))
    versions = list(checked.state.sent)
    if versions and versions[-1].manifest().get("data_sha256") == state.data_hash():
        return SendResult(None, checked.report, [], Changes(), unchanged_since=versions[-1])
    if write_missing_ids(meeting, checked.report):  # each item's identity, frozen with the data
        state = current_state(folder, list(meeting.item_files))
    changes = item_changes(meeting, state, versions)
    base = pipeline.view_of(checked, "dagsorden", False)
    files: dict[str, bytes] = {}
    meta: dict[str, Any] = {"type": "dagsorden"}
    agenda = base
    if versions:
        agenda = revised_view(meeting, base, versions[-1], changes.added_since_first)
        addendum = addendum_view(meeting, base, versions, changes)
        if addendum is not None:
            files.update(pipeline.write_view(meeting, addendum, "tillægsdagsorden"))
        meta.update({"type": "revideret", "erstatter": versions[-1].number,
                     "tillæg": {"nye": changes.new, "ændrede": changes.changed, "fjernede": changes.removed,
                                "tilføjet_efter_første": changes.added_since_first}})
    files.update(pipeline.write_view(meeting, agenda, "dagsorden"))
    packets = write_packets(meeting, [agenda], pipeline.earlier(checked), checked.report, documents=files)
    name = packet_name("dagsorden", False)
    files[name] = packets[name]
    version = write_version(folder, files, state, meta, today or dt.date.today())
    return SendResult(version, checked.report, sorted(files), changes)
