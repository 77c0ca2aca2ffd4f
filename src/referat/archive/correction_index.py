"""Corrections in the search index (issue 14): the table `rettelser` and its search table `soeg_rettelser`.

A correction (`arkiv/<udvalg>/<dato>/rettelse-N/`) is indexed like a version: one row derived from its checked
manifest (committee, date, N, the version it corrects and that file's sha256, its own file and sha256, who and
why, what is corrected, the signers), and its text — what is corrected and why — folded into the search table.
The index is derived data: rebuilt from the folders it gives the same rows, and `verify`, `list` and `search`
compare the rows with the manifests as they do for versions.

This module stays light (no pydantic, no pyHanko): `list` and `search` import it.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..diagnostics import Location, Report
from . import manifest as mf
from .matching import fold, fts_query, query_terms, snippet
from .store import CORRECTION_DIR, MANIFEST, stored_folders

FORMAT = "referat-arkiv-rettelse/1"
PDF_NAME = "rettelse-signeret.pdf"
CORRECTION_PATH = re.compile(r"([^/]+)/(\d{4}-\d{2}-\d{2})/rettelse-(\d+)")
COLUMNS = ("sti", "udvalg", "dato", "rettelse", "retter", "retter_sha256", "fil", "sha256", "manifest_sha256",
           "arkiveret", "rettet_af", "begrundelse", "rettelser", "underskrivere", "soeg_rettelser.tekst")
REBUILD = "slet index.sqlite, så bygges det igen fra de kontrollerede manifester"


@dataclass
class StoredCorrection:
    folder: Path
    number: int
    manifest: dict[str, Any]

    @property
    def committee(self) -> str:
        return self.folder.parent.parent.name

    @property
    def date(self) -> str:
        return self.folder.parent.name

    @property
    def relative(self) -> str:
        return f"{self.committee}/{self.date}/rettelse-{self.number}"

    @property
    def pdf(self) -> Path:
        return self.folder / PDF_NAME  # never a name from the manifest

    @property
    def manifest_path(self) -> Path:
        return self.folder / MANIFEST


def corrections(root: Path, committee: str, date: str) -> list[StoredCorrection]:
    """The correction folders of one meeting, by number (a manifest that cannot be read as {})."""
    folder = root / committee / date
    out = []
    if folder.is_dir():
        for entry in folder.iterdir():
            m = CORRECTION_DIR.match(entry.name)
            if m and entry.is_dir():
                try:
                    manifest = json.loads((entry / MANIFEST).read_bytes())
                except (OSError, ValueError, RecursionError):
                    manifest = {}
                out.append(StoredCorrection(entry, int(m[1]), manifest if isinstance(manifest, dict) else {}))
    return sorted(out, key=lambda c: c.number)


def correction_folders(root: Path) -> list[tuple[str, str, int]]:
    """(committee, date, N) of every correction folder in the archive, without reading a manifest."""
    return stored_folders(root)[1]


def all_corrections(root: Path) -> list[StoredCorrection]:
    return [c for committee, date in sorted({(c, d) for c, d, _ in correction_folders(root)})
            for c in corrections(root, committee, date)]


def what(manifest: mf.Manifest) -> str:
    """What a correction corrects, one line per item: 'punkt 3: I sagsfremstillingen rettes …'."""
    points = manifest.get("rettelser")
    lines = []
    for p in points if isinstance(points, list) else []:
        if isinstance(p, dict):
            lines.append(f"punkt {p.get('punkt')}: {' '.join(str(p.get('tekst', '')).split())}")
    return "\n".join(lines)


def signers(manifest: mf.Manifest) -> str:
    return "; ".join(", ".join(str(p) for p in (s.get("navn"), s.get("rolle"), s.get("tillid")) if p)
                     for s in manifest.get("underskrifter", []) if isinstance(s, dict))


def expected_row(stored: StoredCorrection, manifest: mf.Manifest, manifest_bytes: bytes,
                 folded: bool = True) -> tuple[Any, ...]:
    """The index row a correction must have, from its (checked) manifest; with `folded`, the search text last."""
    row = (stored.relative, stored.committee, stored.date, stored.number, str(manifest["retter"]),
           str(manifest["retter_sha256"]), PDF_NAME, str(manifest["sha256"]), mf.sha256(manifest_bytes),
           str(manifest["arkiveret"]), str(manifest["rettet_af"]), str(manifest["begrundelse"]), what(manifest),
           signers(manifest))
    return (*row, search_text(manifest)) if folded else row


def search_text(manifest: mf.Manifest) -> str:
    return fold(f"{what(manifest)}\n{manifest.get('begrundelse', '')}\n{manifest.get('rettet_af', '')}")


def add(conn: sqlite3.Connection, stored: StoredCorrection, manifest: mf.Manifest, manifest_bytes: bytes) -> None:
    """Index one stored correction (its row and its search text) in one transaction; nothing if it is there."""
    row = expected_row(stored, manifest, manifest_bytes)
    conn.execute("BEGIN IMMEDIATE")
    try:
        if conn.execute("SELECT 1 FROM rettelser WHERE sti = ?", (stored.relative,)).fetchone() is None:
            cur = conn.execute(f"INSERT INTO rettelser ({', '.join(COLUMNS[:-1])}) VALUES "
                               f"({', '.join('?' * (len(COLUMNS) - 1))})", row[:-1])
            conn.execute("INSERT INTO soeg_rettelser (rowid, tekst) VALUES (?, ?)", (cur.lastrowid, row[-1]))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def stored_rows(conn: sqlite3.Connection) -> dict[str, tuple[Any, ...]]:
    """What the index holds per correction, in the shape of `expected_row` (the search text None if missing)."""
    if not has_tables(conn):
        return {}
    text = {r[0]: r[1] for r in conn.execute("SELECT rowid, tekst FROM soeg_rettelser")}
    out = {}
    for rowid, *row in conn.execute(f"SELECT id, {', '.join(COLUMNS[:-1])} FROM rettelser ORDER BY sti"):
        out[str(row[0])] = (*row, text.get(rowid))
    return out


def lacking(conn: sqlite3.Connection, root: Path) -> list[StoredCorrection]:
    """Stored corrections (with a manifest) that the index does not have (all of them for an index from before
    the table existed: sqlite3.Error is raised then, for the caller to repair the index)."""
    known = {r[0] for r in conn.execute("SELECT sti FROM rettelser")}
    return [c for c in all_corrections(root) if c.relative not in known and c.manifest_path.is_file()]


def has_tables(conn: sqlite3.Connection) -> bool:
    """Whether the index has the corrections tables (an index written before them has not; it gains them the next
    time it is opened for writing, and until then holds no corrections)."""
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE name IN ('rettelser', 'soeg_rettelser')")}
    return names == {"rettelser", "soeg_rettelser"}


def any_lacking(conn: sqlite3.Connection, root: Path, folders: list[tuple[str, str, int]]) -> bool:
    """Whether a stored correction (`folders`: store.stored_folders) is missing from the index (cheap: folder
    names only)."""
    if not folders:
        return False
    if not has_tables(conn):
        return True
    known = {r[0] for r in conn.execute("SELECT sti FROM rettelser")}
    return any(f"{c}/{d}/rettelse-{n}" not in known and (root / c / d / f"rettelse-{n}" / MANIFEST).is_file()
               for c, d, n in folders)


@dataclass
class Listed:
    """An indexed correction as `archive list` shows it."""

    path: str
    number: int
    corrects: str
    archived: str
    sha256: str
    by: str
    what: str
    signers: str


def listed(conn: sqlite3.Connection) -> list[Listed]:
    if not has_tables(conn):
        return []
    return [Listed(*r) for r in conn.execute(
        "SELECT sti, rettelse, retter, arkiveret, sha256, rettet_af, rettelser, underskrivere FROM rettelser"
        " ORDER BY udvalg, dato, rettelse")]


@dataclass
class CorrectionHit:
    committee_name: str
    date: str
    number: int
    corrects: str
    snippet: str
    path: str


def search(conn: sqlite3.Connection, query: str, limit: int = 20) -> tuple[list[CorrectionHit], int]:
    """Corrections whose text (what is corrected, why, by whom) matches every word of `query`; and how many."""
    terms = query_terms(query)
    if not terms or not has_tables(conn):
        return [], 0
    found = conn.execute(
        "SELECT coalesce(u.udvalg_navn, r.udvalg), r.dato, r.rettelse, r.retter, r.rettelser, r.begrundelse, r.sti"
        " FROM soeg_rettelser s JOIN rettelser r ON r.id = s.rowid LEFT JOIN udgaver u ON u.sti = r.retter"
        " WHERE soeg_rettelser MATCH ? ORDER BY bm25(soeg_rettelser), r.dato DESC, r.rettelse",
        (fts_query(terms),)).fetchall()
    hits = []
    for name, date, number, corrects, points, reason, path in found[:limit]:
        text = points if any(t in fold(points) for t in terms) else reason
        hits.append(CorrectionHit(name, date, number, corrects, snippet(" ".join(text.split()), terms), path))
    return hits, len(found)


def compare(stored: StoredCorrection, manifest: mf.Manifest, manifest_bytes: bytes,
            found: tuple[Any, ...] | None, where: Location, report: Report, folded: bool = True) -> None:
    """A correction's index row against the one its manifest gives; every differing column named."""
    name = stored.relative
    if found is None:
        report.error(where, f"rettelsen {name} mangler i søgeindekset; {REBUILD}")
        return
    try:
        want = expected_row(stored, manifest, manifest_bytes, folded)
    except (KeyError, TypeError, AttributeError) as exc:
        report.error(Location(stored.manifest_path), f"manifestet mangler feltet {exc}")
        return
    sha_at = COLUMNS.index("manifest_sha256")
    if found[sha_at] != want[sha_at]:
        report.error(Location(stored.manifest_path), "rettelsens manifest er ændret siden arkiveringen (sha256 "
                                                     "stemmer ikke med søgeindekset); kør 'referat archive verify'")
    for column, expected, got in zip(COLUMNS, want, found, strict=False):
        if column != "manifest_sha256" and expected != got:
            report.error(where, f"rettelsen {name}: kolonnen '{column}' er {_short(got)} i indekset, men "
                                f"{_short(expected)} i manifestet; {REBUILD}")


def consistency(root: Path, conn: sqlite3.Connection, only: set[str] | None = None, folded: bool = False) -> Report:
    """The cheap check for `list` and `search`: the correction rows shown must be what their manifests give."""
    report = Report()
    where = Location(root / "index.sqlite")
    for path, found in stored_rows(conn).items():
        if only is not None and path not in only:
            continue
        m = CORRECTION_PATH.fullmatch(path)
        if m is None:
            report.error(where, f"søgeindekset har en rettelse med en ugyldig sti {path!r}; {REBUILD}")
            continue
        stored = StoredCorrection(root / m[1] / m[2] / f"rettelse-{m[3]}", int(m[3]), {})
        try:
            manifest_bytes = stored.manifest_path.read_bytes()
            manifest = json.loads(manifest_bytes)
            if not isinstance(manifest, dict):
                raise TypeError
        except (OSError, ValueError, TypeError, RecursionError):
            report.error(Location(stored.folder), "rettelsen står i søgeindekset, men dens manifest mangler eller "
                                                  "kan ikke læses; kør 'referat archive verify'")
            continue
        compare(stored, manifest, manifest_bytes, found if folded else found[:-1], where, report, folded)
    return report


def _short(value: object, width: int = 60) -> str:
    if isinstance(value, str):
        flat = " ".join(value.split())
        return f"»{flat[:width]}{'…' if len(flat) > width else ''}«"
    return repr(value)
