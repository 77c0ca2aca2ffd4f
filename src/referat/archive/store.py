"""The archive on disk: write-once, append-only, one folder per stored version, added by one atomic rename.

    arkiv/<udvalg>/<ÅÅÅÅ-MM-DD>/udgave-<N>/referat-signeret[-N].pdf + manifest.json
    arkiv/index.sqlite

A version is written complete into arkiv/.indgang/<tilfældig>/, fsynced, made read-only, and renamed into
place in one step; a crash before the rename leaves only the staging folder, which the next add removes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Location, OutputError
from ..errors import ArchiveError, InputError
from ..fileio import os_reason
from . import manifest as mf

DEFAULT_ROOT = Path("arkiv")
STAGING = ".indgang"
LOCK = ".laas"
GENERATION = ".udgaver"
"""A token every add (of a version or a correction) replaces just before its rename: the search index records the token it has caught up with,
so a reading command lists the version folders only when an add has happened since (issue 17, item 5)."""
MANIFEST = "manifest.json"
VERSION_DIR = re.compile(r"^udgave-(\d+)$")
DATE_DIR = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CRASH_HOOK = "REFERAT_TEST_CRASH_AFTER"
"""Test hook: 'copy' (staged, not renamed) or 'rename' (in place, not indexed) makes `add` die there."""


@dataclass(frozen=True)
class Version:
    """One stored version of one meeting's signed minutes."""

    root: Path
    committee: str
    date: str
    number: int

    @property
    def folder(self) -> Path:
        return self.root / self.committee / self.date / f"udgave-{self.number}"

    @property
    def relative(self) -> str:
        return f"{self.committee}/{self.date}/udgave-{self.number}"

    @property
    def pdf_name(self) -> str:
        return "referat-signeret.pdf" if self.number == 1 else f"referat-signeret-{self.number}.pdf"

    @property
    def pdf(self) -> Path:
        return self.folder / self.pdf_name

    @property
    def manifest(self) -> Path:
        return self.folder / MANIFEST


def versions(root: Path) -> list[Version]:
    """Every stored version folder, by committee, date and number (complete or not)."""
    return stored_folders(root)[0]


CORRECTION_DIR = re.compile(r"^rettelse-(\d+)$")


def stored_folders(root: Path) -> tuple[list[Version], list[tuple[str, str, int]]]:
    """Every version folder and every correction folder (committee, date, N), from one listing of the archive."""
    found: list[Version] = []
    fixes: list[tuple[str, str, int]] = []
    if not root.is_dir():
        return found, fixes
    for committee in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for date in sorted(p for p in committee.iterdir() if p.is_dir() and DATE_DIR.match(p.name)):
            for folder in date.iterdir():
                if (match := VERSION_DIR.match(folder.name)) and folder.is_dir():
                    found.append(Version(root, committee.name, date.name, int(match[1])))
                elif (match := CORRECTION_DIR.match(folder.name)) and folder.is_dir():
                    fixes.append((committee.name, date.name, int(match[1])))
    return sorted(found, key=lambda v: (v.committee, v.date, v.number)), sorted(fixes)


def latest(root: Path, committee: str, date: str) -> Version | None:
    found = [v for v in versions(root) if v.committee == committee and v.date == date]
    return found[-1] if found else None


def same_file(root: Path, committee: str, date: dt.date, pdf: bytes) -> Version | None:
    """The stored version of this meeting whose file is byte for byte `pdf` (hashed from the stored file
    itself, not taken from its manifest), or was made from it by `archive add --tidsstempel` (the stored file
    begins with `pdf` and its manifest records `pdf` as the file given), if any."""
    digest = mf.sha256(pdf)
    for version in versions(root):
        if version.committee == committee and version.date == date.isoformat():
            try:
                stored = version.pdf.read_bytes()
                if mf.sha256(stored) == digest:
                    return version
                if stored.startswith(pdf) and mf.load(version.manifest).get("indgivet_sha256") == digest:
                    return version
            except (OSError, ArchiveError):
                continue
    return None


@contextlib.contextmanager
def locked(root: Path) -> Iterator[None]:
    """One writer at a time (an advisory lock on arkiv/.laas where the platform has one)."""
    try:
        root.mkdir(parents=True, exist_ok=True)
        handle = open(root / LOCK, "a+b")  # noqa: SIM115 - held for the duration
    except OSError as exc:
        raise OutputError(f"arkivet kan ikke oprettes eller skrives i ({os_reason(exc)})", Location(root)) from None
    try:
        try:
            import fcntl
        except ImportError:  # Windows: no advisory lock; adds must not run concurrently there
            yield
            return
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    finally:
        handle.close()


def _crash_point(step: str) -> None:
    """Test hook: die here, as a power cut would, when REFERAT_TEST_CRASH_AFTER names this step."""
    if os.environ.get(CRASH_HOOK) == step:
        os._exit(1)


def _fsync_dir(path: Path) -> None:
    if os.name == "nt":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_new(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o444)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def clear_staging(root: Path) -> None:
    """Remove what crashed adds left in the staging folder (call with the lock held)."""
    staging = root / STAGING
    if staging.is_dir():
        for leftover in staging.iterdir():
            shutil.rmtree(leftover, onerror=_make_writable)


def _make_writable(func, path, _exc):  # type: ignore[no-untyped-def]
    os.chmod(path, 0o700)
    os.chmod(os.path.dirname(path), 0o700)
    func(path)


def store(root: Path, committee: str, date: dt.date, pdf: bytes, manifest: mf.Manifest,
          extra: dict[str, bytes] | None = None) -> Version:
    """Store a new version (the next number) of a meeting's signed minutes; call with the lock held. `extra`:
    further files of the version (path in its folder → bytes), the meeting data archived with it."""
    day = date.isoformat()
    previous = latest(root, committee, day)
    version = Version(root, committee, day, previous.number + 1 if previous else 1)
    manifest = {**manifest, "udgave": version.number, "fil": version.pdf_name}
    staging = root / STAGING / uuid.uuid4().hex
    # The part of the path that does not exist yet is built in staging and renamed in as one folder.
    parts = [committee, day, version.folder.name]
    existing = 0
    while existing < 2 and (root.joinpath(*parts[:existing + 1])).is_dir():
        existing += 1
    top = staging / parts[existing]
    target = root.joinpath(*parts[:existing + 1])
    inner = staging.joinpath(*parts[existing:])
    try:
        inner.mkdir(parents=True)
        _write_new(inner / version.pdf_name, pdf)
        _write_new(inner / MANIFEST, mf.dumps(manifest))
        for rel, data in sorted((extra or {}).items()):
            (inner / rel).parent.mkdir(parents=True, exist_ok=True)
            _write_new(inner / rel, data)
        for folder in sorted({(inner / rel).parent for rel in extra or {}}, key=lambda p: -len(p.parts)):
            _fsync_dir(folder)
        for folder in [inner, *inner.parents]:
            _fsync_dir(folder)
            if folder == staging:
                break
        _crash_point("copy")
        new_generation(root, staging)
        os.rename(top, target)
        _fsync_dir(target.parent)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        reason = os_reason(exc)
        raise OutputError(f"referatet kunne ikke gemmes i arkivet ({reason}); arkivet er uændret",
                          Location(target)) from None
    shutil.rmtree(staging, ignore_errors=True)
    _crash_point("rename")
    return version


def generation(root: Path) -> str | None:
    """The archive's current generation token (None for an archive that has none yet, or cannot be read)."""
    try:
        return (root / GENERATION).read_text(encoding="ascii").strip() or None
    except (OSError, UnicodeDecodeError):
        return None


def new_generation(root: Path, staging: Path) -> None:
    """A new generation token, written in `staging` (inside arkiv/.indgang) and moved into place: called by every
    add of a version or a correction just before its rename."""
    temporary = staging / GENERATION  # removed with the staging folder if the replace never happens
    temporary.write_text(uuid.uuid4().hex, encoding="ascii")
    os.replace(temporary, root / GENERATION)


def archived_pdf(root: Path, reference: str, where: Location) -> Version:
    """The newest stored version named by 'udvalg/ÅÅÅÅ-MM-DD' (or '…/udgave-N' for a given one)."""
    parts = reference.strip("/").split("/")
    if len(parts) not in (2, 3) or not DATE_DIR.match(parts[1]) or (len(parts) == 3 and not VERSION_DIR.match(parts[2])):
        raise InputError(f"'{reference}' er ikke en arkivhenvisning; skriv udvalg/ÅÅÅÅ-MM-DD, "
                         "fx das-social/2025-11-17", where)
    found = [v for v in versions(root) if v.committee == parts[0] and v.date == parts[1]
             and (len(parts) == 2 or v.folder.name == parts[2]) and v.manifest.is_file()]
    if not found:
        raise ArchiveError(f"arkivet {root} har intet underskrevet referat '{reference}'", where)
    return found[-1]


def find_root(start: Path) -> Path | None:
    """The archive a meeting folder refers to: the first `arkiv/` folder in it or above it."""
    for folder in [start.resolve(), *start.resolve().parents]:
        if (folder / DEFAULT_ROOT.name).is_dir():
            return folder / DEFAULT_ROOT.name
    return None


def find_archived(meeting_folder: Path, reference: str, where: Location) -> tuple[Version, mf.Manifest, bytes]:
    """The stored version a bilag `arkiv: udvalg/dato` names, checked unchanged against its manifest."""
    root = find_root(meeting_folder)
    if root is None:
        raise ArchiveError(f"der er ingen {DEFAULT_ROOT.name}/-mappe i eller over mødets mappe, så "
                           f"'{reference}' kan ikke findes", where)
    version = archived_pdf(root, reference, where)
    manifest = mf.load(version.manifest)
    pdf = version.pdf  # never a name from the manifest: it could point out of the archive
    if any(p.is_symlink() for p in (version.folder, version.manifest, pdf)):
        raise ArchiveError(f"den arkiverede udgave {version.folder} indeholder en symbolsk henvisning; den følges "
                           "ikke", where)
    try:
        data = pdf.read_bytes()
    except OSError:
        raise ArchiveError(f"den arkiverede fil {pdf} mangler", where) from None
    if mf.sha256(data) != manifest.get("sha256"):
        raise ArchiveError(f"den arkiverede fil {pdf} er ændret siden arkiveringen; kør 'referat archive verify'",
                           where)
    return version, manifest, data
