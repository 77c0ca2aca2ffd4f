"""`referat publish --site DIR MØDEMAPPER…`: every meeting's public editions from the pipeline, then the site.

The site's writers (`publish.site`) get only the public edition: each meeting as the public filter made it
(`Checked.edition(True)`: redaction spans resolved in every text, closed items reduced to what they print) and its
public views, so no page, calendar or feed entry can show what a public edition leaves out. Every file of the site
passes the leak check before anything is written; then the files referat wrote earlier that the site no longer has
are removed (`publish.manifest`: `.referat-site.json`).

**Incremental** (issue 28): the manifest keeps, for each meeting, the sha256 of everything its public editions are
made from (`app.inputs`: its folder, the archive's files for it, the earlier minutes its bilag carry, the profiles
and templates, referat and its libraries). A meeting whose inputs hash as at its last publication, and whose files
in the site are still the bytes referat wrote, is not built again: its files stay as they are, and what the site's
own pages need of it (`publish.site.Entry`) and what its public editions hide (for the leak check over those pages)
come from a private cache (`files.checkcache`, kind `udgivet`, never inside the site), or from loading the meeting
without building its documents when that cache does not have them. The index, register, calendar and feed are
written again from every meeting; the result is the same bytes as a full build (`--fuld` forces one).

**Both cores**: the meetings that are built (or loaded) run in a process pool (`referat.pool`, `--jobs`); the
results, the first error and the messages come in the order of the folders given.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from ..diagnostics import Location, Report
from ..errors import InputError
from ..fileio import write_all, write_atomic
from ..files.checkcache import keep, recall
from ..pool import run, workers
from ..progress import progress
from ..publish.leaks import Hidden, find_leaks, hidden_candidates, refuse, shown_keys, unshown
from ..publish.manifest import NAME, SiteManifest, manifest_bytes, read_manifest, remove_stale
from ..publish.site import Entry, Published, entry_of, meeting_files, site_pages
from . import inputs

# The pipeline (and the model, pydantic and the writers with it) is imported where a meeting is built or loaded: a
# publish in which every meeting is kept as it was writes the site's pages from plain data (issue 28).

__all__ = ["SiteResult", "publish_site"]

CACHE_KIND = "udgivet"


@dataclass
class SiteResult:
    """What `publish` did: the files written, the files of an earlier publish it removed, its warnings, and the
    meetings kept as they were (their inputs unchanged since the last publication)."""

    written: list[Path]
    removed: list[Path]
    report: Report = field(default_factory=Report)
    kept: list[str] = field(default_factory=list)


@dataclass
class _Hidden:
    """What a meeting's public editions must not contain, before what the site prints anyway is left out: its own
    hidden texts and what its public edition prints (`shown_keys`), and the same of each earlier meeting whose minutes
    its bilag carry (with the label that names it)."""

    own: list[Hidden]
    own_keys: list[str]
    others: list[tuple[list[Hidden], list[str]]]

    def to_json(self) -> dict[str, Any]:
        def texts(hidden: list[Hidden]) -> list[list[str]]:
            return [[h.text, h.why, h.kind] for h in hidden]

        return {"own": texts(self.own), "own_keys": self.own_keys,
                "others": [[texts(found), keys] for found, keys in self.others]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> _Hidden:
        def hidden(rows: list[list[str]]) -> list[Hidden]:
            return [Hidden(*row) for row in rows]

        return cls(hidden(data["own"]), list(data["own_keys"]),
                   [(hidden(found), list(keys)) for found, keys in data["others"]])


@dataclass
class _Done:
    """One meeting, as the pool hands it back: plain data (no model crosses between processes)."""

    folder: Path
    path: str
    entry: Entry
    hidden: _Hidden
    files: dict[Path, bytes] | None  # its page and files when built; None when kept as it was


def _meeting(folder: Path, archive: Path | None, site: Path, build: bool) -> _Done:
    """One meeting's public editions, checked for leaks (`build`), or only what the site's pages need of it."""
    from ..archive.signers import public_lines
    from ..text.danish import long_date
    from . import pipeline

    checked = pipeline.load(folder, None, public=True, archive=archive)
    meeting = checked.meeting
    kinds = pipeline.kinds_for(meeting, None)
    views = pipeline.views(checked, kinds, [True])
    earlier = pipeline.earlier(checked)
    files: dict[str, bytes] = {}
    if build:
        files = pipeline.documents(checked, views, ["pdf", "html"], earlier_minutes=earlier)
        pipeline.control_reports(meeting, kinds, files, earlier)  # raises on any leak
    path = f"{meeting.committee_id}/{meeting.date.isoformat()}"
    archived = checked.state.archived  # the signed minutes' signers, as their certificates name them (issue 25)
    signers = public_lines(archived.manifest) if archived is not None and "referat" in kinds else []
    public = Published(checked.edition(True), path, files, kinds, {kind: views[(kind, True)] for kind in kinds},
                       signers)
    others = [m for m in earlier.public_meetings if m is not meeting]
    hidden = _Hidden(hidden_candidates(meeting), shown_keys(meeting),
                     [(hidden_candidates(o, f"referatet fra {long_date(o.date)}: "), shown_keys(o)) for o in others])
    return _Done(folder, path, entry_of(public), hidden, meeting_files(site, public) if build else None)


def _site_hidden(dones: list[_Done]) -> list[Hidden]:
    """What no page of the site may contain: each meeting's hidden texts (and those of the earlier minutes its bilag
    carry), leaving out what any of the meetings prints (`pipeline.hidden_of`, from the parts each meeting gave)."""
    everyone = [key for d in dones for key in d.hidden.own_keys]
    out: list[Hidden] = []
    for d in dones:
        shown = [*everyone, *(key for _, keys in d.hidden.others for key in keys)]
        out += unshown(d.hidden.own, shown)
        for found, _ in d.hidden.others:
            out += unshown(found, shown)
    return out


def _intact(site: Path, before: SiteManifest, path: str) -> dict[Path, bytes] | None:
    """The files the last publication wrote for the meeting at `path` in the site (their bytes), when every one of
    them is still there, unchanged; else None."""
    entry = before.meetings.get(path, {})
    names = entry.get("filer")
    if not isinstance(names, list) or not names:
        return None
    out: dict[Path, bytes] = {}
    for name in names:
        if not isinstance(name, str) or before.files.get(name) is None or ".." in name.split("/"):
            return None
        file = site / name
        try:
            data = file.read_bytes() if file.is_file() and not file.is_symlink() else None
        except OSError:
            return None
        if data is None or hashlib.sha256(data).hexdigest() != before.files[name]:
            return None
        out[file] = data
    return out


def publish_site(site: Path, folders: list[Path], archive: Path | None = None, full: bool = False,
                 jobs: int | None = None) -> SiteResult:
    """Build every meeting's public editions (those whose inputs changed since the last publication, or all with
    `full`), check and write the site, and remove the files of an earlier publish that it no longer has."""
    report = Report()
    before = read_manifest(site, report)
    fingerprints = [inputs.meeting_inputs(folder, archive) for folder in folders]
    old: dict[int, dict[Path, bytes]] = {}  # the files of each meeting kept as it was, as the site holds them
    kept: dict[int, _Done] = {}
    todo: list[tuple[int, bool]] = []  # (index of the folder, build it) for the pool
    for n, (folder, found) in enumerate(zip(folders, fingerprints, strict=True)):
        inputs_hash, path = found if found is not None and not full else (None, None)
        prior = before.meetings.get(path, {}) if path is not None else {}
        files = _intact(site, before, path) if path is not None and prior.get("inddata") == inputs_hash else None
        if files is None:
            todo.append((n, True))
            continue
        old[n] = files
        cached = recall(CACHE_KIND, str(inputs_hash), "", lambda data: isinstance(data, dict))
        try:
            entry, hidden = Entry.from_json(cached["entry"]), _Hidden.from_json(cached["hidden"])
        except (TypeError, KeyError, ValueError):  # not kept (another machine, a cleared cache): load the meeting
            todo.append((n, False))
            continue
        kept[n] = _Done(folder, entry.path, entry, hidden, None)
    with progress("Publicering: møde {n}/{total}: {detail}", len(todo)) as shown:
        made = run(partial(_work, folders, archive, site), todo, workers(jobs), shown,
                   lambda task: folders[task[0]].name)
    kept_before = set(kept)
    kept.update(zip((n for n, _ in todo), made, strict=True))
    dones: list[_Done] = []
    seen: dict[str, Path] = {}
    for n, folder in enumerate(folders):
        done = kept[n]
        if done.path in seen:
            raise InputError(f"to mødemapper er samme møde ({done.path}); angiv kun den ene", Location(folder))
        seen[done.path] = folder
        dones.append(done)
        found = fingerprints[n]
        if found is not None and n not in kept_before:  # what was read back from the cache stays as it is
            keep(CACHE_KIND, found[0], "", {"entry": done.entry.to_json(), "hidden": done.hidden.to_json()})
    out = site_pages(site, [d.entry for d in dones])
    checked = dict(out)  # the leak check: the site's own pages and every meeting's page, in the site's order (a
    # meeting's other files were checked when it was built, as `build --offentlig` checks them)
    every = dict(out)  # every file of the site now, for the manifest
    for n, done in enumerate(dones):
        files = done.files if done.files is not None else old[n]
        page = site / done.path / "index.html"
        checked[page] = files[page]
        every.update(files)
        if done.files is not None:
            out.update(done.files)
    refuse(find_leaks({p.relative_to(site).as_posix(): d for p, d in checked.items()}, _site_hidden(dones)),
           Location(site))
    below: dict[str, list[Path]] = {d.path: [] for d in dones}  # each meeting's files: those below its folder
    for file in every:
        parts = file.relative_to(site).parts
        if len(parts) > 2 and "/".join(parts[:2]) in below:
            below["/".join(parts[:2])].append(file)
    now = SiteManifest.of(site, every, below)
    for done, found in zip(dones, fingerprints, strict=True):
        if found is not None and done.path in now.meetings:
            now.meetings[done.path]["inddata"] = found[0]
    # the manifest first names every file this publish may leave behind, then the files, then what is gone
    write_atomic(site / NAME, manifest_bytes(now.pending(before)))
    write_all(out)
    removed = remove_stale(site, now.stale(before), before, report)
    write_atomic(site / NAME, manifest_bytes(now))
    return SiteResult(sorted([*out, site / NAME]), removed, report,
                      [d.path for d in dones if d.files is None])


def _work(folders: list[Path], archive: Path | None, site: Path, task: tuple[int, bool]) -> _Done:
    n, build = task
    return _meeting(folders[n], archive, site, build)
