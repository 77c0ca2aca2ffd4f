"""The search index (arkiv/index.sqlite): every stored version, its items and decisions, with SQLite FTS5.

The index is derived data: it can always be rebuilt from the manifests, and is whenever a stored version
has no rows (an add interrupted after its rename) or the file is missing or unreadable.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..diagnostics import Location, OutputError, ReferatError
from . import correction_index
from . import manifest as mf
from .layout import Layout
from .matching import fold, fts_query, query_terms, snippet
from .store import Version, generation, stored_folders, versions

if TYPE_CHECKING:
    from .recheck import Checked

INDEX = "index.sqlite"
SCHEMA_VERSION = "2"  # 2: every text of an item is searched (issue 24); an index of another version is rebuilt
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS udgaver (
    id INTEGER PRIMARY KEY, sti TEXT UNIQUE NOT NULL, udvalg TEXT NOT NULL, udvalg_navn TEXT NOT NULL,
    dato TEXT NOT NULL, udgave INTEGER NOT NULL, fil TEXT NOT NULL, sha256 TEXT NOT NULL,
    manifest_sha256 TEXT NOT NULL, sagsnummer TEXT, status TEXT NOT NULL, arkiveret TEXT NOT NULL,
    underskrivere TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS punkter (
    id INTEGER PRIMARY KEY, udgave_id INTEGER NOT NULL REFERENCES udgaver(id), orden INTEGER NOT NULL,
    nummer TEXT NOT NULL, titel TEXT NOT NULL, beslutning TEXT NOT NULL, lukket INTEGER NOT NULL,
    sagsnummer TEXT, tekst TEXT NOT NULL);
CREATE VIRTUAL TABLE IF NOT EXISTS soeg USING fts5(titel, beslutning, tekst,
    tokenize = 'unicode61 remove_diacritics 2');
CREATE INDEX IF NOT EXISTS udgaver_moede ON udgaver (udvalg, dato, udgave);
CREATE TABLE IF NOT EXISTS rettelser (
    id INTEGER PRIMARY KEY, sti TEXT UNIQUE NOT NULL, udvalg TEXT NOT NULL, dato TEXT NOT NULL,
    rettelse INTEGER NOT NULL, retter TEXT NOT NULL, retter_sha256 TEXT NOT NULL, fil TEXT NOT NULL,
    sha256 TEXT NOT NULL, manifest_sha256 TEXT NOT NULL, arkiveret TEXT NOT NULL, rettet_af TEXT NOT NULL,
    begrundelse TEXT NOT NULL, rettelser TEXT NOT NULL, underskrivere TEXT NOT NULL);
CREATE VIRTUAL TABLE IF NOT EXISTS soeg_rettelser USING fts5(tekst, tokenize = 'unicode61 remove_diacritics 2');
"""
NEWEST = "u.udgave = (SELECT max(u2.udgave) FROM udgaver u2 WHERE u2.udvalg = u.udvalg AND u2.dato = u.dato)"


@dataclass
class Row:
    """An indexed version as `archive list` shows it."""

    path: str
    committee: str
    committee_name: str
    date: str
    number: int
    file: str
    sha256: str
    manifest_sha256: str
    status: str
    signers: str


@dataclass
class Hit:
    committee_name: str
    date: str
    number: str
    title: str
    snippet: str
    closed: bool
    path: str


@dataclass
class Decision:
    committee: str
    committee_name: str
    date: str
    case_number: str | None
    number: str
    title: str
    decision: str
    closed: bool
    status: str
    path: str


@dataclass
class CaughtUp:
    """What a command's look at the index found: versions it indexed now, versions it refused to index (their
    manifest disagrees with their signed PDF), and whether the index lives only in memory for this run."""

    added: list[Version] = field(default_factory=list)
    refused: list[Checked] = field(default_factory=list)
    in_memory: bool = False
    added_corrections: list[Any] = field(default_factory=list)  # correction_index.StoredCorrection
    refused_corrections: list[Any] = field(default_factory=list)  # recheck.CheckedCorrection


@contextmanager
def opened(root: Path) -> Iterator[sqlite3.Connection]:
    """The index for writing (`archive add`), created if missing and rebuilt from the manifests if unreadable."""
    path = root / INDEX
    try:
        conn = _connect(path)
    except sqlite3.DatabaseError as exc:
        if isinstance(exc, sqlite3.OperationalError):  # locked or unwritable: not ours to delete
            raise OutputError(f"søgeindekset kan ikke åbnes ({exc})", Location(path)) from None
        path.unlink(missing_ok=True)  # not a database any more: rebuilt from the manifests
        conn = _connect(path)
    with closing(conn):
        yield conn


@contextmanager
def reading(root: Path, full: bool = False) -> Iterator[tuple[sqlite3.Connection, CaughtUp]]:
    """The index for the read-only commands (`list`, `search`, `decisions`, `verify`).

    It is opened read-only (`mode=ro`), so a command that only reads never writes. Only when versions are
    missing from it (an add interrupted after its rename), or it is missing or not a database, is it repaired:
    on disk when the archive can be written, else — an archive on read-only media — in memory for this run.
    Versions are indexed only from manifests that agree with their signed PDFs. The version folders are listed
    only when an add has happened since the index last saw them all (store.GENERATION), or with `full` (verify).
    """
    path = root / INDEX
    stamp = generation(root)  # read before looking: an add after this changes it
    ro = _open_read_only(path)
    if not full and ro is not None and stamp is not None and caught_up_with(ro) == stamp:
        with closing(ro):  # no add since the index last saw every version folder: none is listed
            yield ro, CaughtUp()
        return
    known = {r[0] for r in ro.execute("SELECT sti FROM udgaver")} if ro is not None else set()
    stored, fixes = stored_folders(root)  # one listing of the archive for versions and corrections
    lacking = [v for v in stored if v.relative not in known and v.manifest.is_file()]
    if ro is not None and not lacking and not correction_index.any_lacking(ro, root, fixes):
        with closing(ro):
            yield ro, CaughtUp()
        return
    conn: sqlite3.Connection | None = None
    if os.access(root, os.W_OK) and (not path.exists() or os.access(path, os.W_OK)):
        try:
            if ro is not None:
                ro.close()
                ro = None
            with opened(root) as disk:
                caught = catch_up(disk, root)
                mark_caught_up(disk, stamp, caught)
                conn = sqlite3.connect(":memory:")
                disk.backup(conn)  # what was just written, without keeping the file open for writing
        except (sqlite3.Error, OSError, ReferatError):
            conn = None  # could not be written after all (busy, or read-only in a way access() missed)
    if conn is None:  # read-only media: the same index, rebuilt in memory, nothing written
        if ro is None:
            ro = _open_read_only(path)
        conn = sqlite3.connect(":memory:", isolation_level=None)
        if ro is not None:
            ro.backup(conn)
            ro.close()
        conn.executescript(SCHEMA)
        caught = catch_up(conn, root)
        caught.in_memory = True
    elif ro is not None:
        ro.close()
    conn.isolation_level = None
    with closing(conn):
        yield conn, caught


def caught_up_with(conn: sqlite3.Connection) -> str | None:
    """The archive generation (store.GENERATION) at which the index held every version and correction folder, if it
    still holds the same ones (a row deleted or added since, as by hand, sends the command to look at the folders)."""
    try:
        recorded = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('udgaver', 'udgaver_sti')"))
        digest = _versions_digest(conn)
    except sqlite3.Error:
        return None
    token = recorded.get("udgaver")
    return str(token) if token and recorded.get("udgaver_sti") == digest else None


def mark_caught_up(conn: sqlite3.Connection, stamp: str | None, caught: CaughtUp) -> None:
    """Record that every version folder there was at generation `stamp` is indexed (after a full `catch_up`).
    Not when a version was refused: every reading command keeps looking at it and naming it, as before."""
    if stamp is not None and not caught.refused:
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('udgaver', ?), ('udgaver_sti', ?)",
                     (stamp, _versions_digest(conn)))


def _versions_digest(conn: sqlite3.Connection) -> str:
    """A hash of every indexed version's and correction's path: a row deleted or added by hand changes it."""
    paths = [r[0] for r in conn.execute("SELECT sti FROM udgaver ORDER BY sti")]
    if correction_index.has_tables(conn):
        paths += ["rettelse " + r[0] for r in conn.execute("SELECT sti FROM rettelser ORDER BY sti")]
    return hashlib.sha256("\n".join(paths).encode("utf-8")).hexdigest()


def _open_read_only(path: Path) -> sqlite3.Connection | None:
    """The index file opened read-only, or None when it is missing or not a usable index."""
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None, timeout=30)
    except sqlite3.Error:
        return None
    try:
        for table in ("udgaver", "punkter", "soeg"):
            conn.execute(f"SELECT * FROM {table} LIMIT 1").fetchall()
        if _schema(conn) != SCHEMA_VERSION:  # an index an earlier referat made: rebuilt like a missing one
            conn.close()
            return None
    except sqlite3.Error:
        conn.close()
        return None
    return conn


def _schema(conn: sqlite3.Connection) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    return None if row is None else str(row[0])


def _connect(path: Path) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=30)
    except sqlite3.OperationalError as exc:
        raise OutputError(f"søgeindekset kan ikke åbnes ({exc})", Location(path)) from None
    has_meta = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone() is not None
    if has_meta and _schema(conn) not in (None, SCHEMA_VERSION):
        conn.close()  # derived data in an earlier layout: `opened` deletes it and builds it again
        raise sqlite3.DatabaseError("søgeindekset har et ældre format")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("PRAGMA synchronous = FULL")
    conn.executescript(SCHEMA)
    conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
    return conn


def add(conn: sqlite3.Connection, version: Version, manifest: mf.Manifest, manifest_bytes: bytes) -> None:
    """Index one stored version: its row, its items and their text, in one transaction."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        if conn.execute("SELECT 1 FROM udgaver WHERE sti = ?", (version.relative,)).fetchone() is None:
            _insert(conn, version, manifest, manifest_bytes)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


VersionRow = tuple[Any, ...]
ItemRow = tuple[Any, ...]
VERSION_COLUMNS = ("sti", "udvalg", "udvalg_navn", "dato", "udgave", "fil", "sha256", "manifest_sha256",
                   "sagsnummer", "status", "arkiveret", "underskrivere")
ITEM_COLUMNS = ("orden", "nummer", "titel", "beslutning", "lukket", "sagsnummer", "tekst", "soeg.titel",
                "soeg.beslutning", "soeg.tekst")


def expected_rows(version: Version, manifest: mf.Manifest, manifest_bytes: bytes,
                  folded: bool = True) -> tuple[VersionRow, list[ItemRow]]:
    """What the index must hold for a stored version, derived from its (checked) manifest (without the search
    table's folded text when not `folded`)."""
    signers = "; ".join(", ".join(str(p) for p in (s.get("navn"), s.get("rolle"), s.get("tillid")) if p)
                        for s in manifest.get("underskrifter", []) if isinstance(s, dict))
    row = (version.relative, version.committee, manifest.get("udvalg_navn", version.committee), version.date,
           version.number, manifest["fil"], manifest["sha256"], mf.sha256(manifest_bytes), manifest.get("sagsnummer"),
           manifest["status"], manifest["arkiveret"], signers)
    tasks: dict[str, list[str]] = {}
    for task in manifest.get("opfølgning") or []:
        if isinstance(task, dict):
            tasks.setdefault(str(task.get("nummer")), []).append(
                " ".join(str(task.get(k) or "") for k in ("opgave", "ansvarlig")))
    layout = Layout.from_json(manifest.get("tekstopdeling"))
    fixed = set(layout.headings) | {layout.decision} if layout is not None else set()
    items = []
    for order, item in enumerate(manifest.get("punkter", [])):
        decision = item.get("beslutning") or ""
        # everything else the item says: its text as the signed PDF prints it (without the headings and lead-in
        # every item has), and its follow-up tasks
        printed = [line for line in str(item.get("tekst") or "").splitlines() if line.strip() not in fixed]
        text = "\n".join([*printed, *tasks.get(str(item["nummer"]), [])]).strip()
        item_row = (order, item["nummer"], item["titel"], decision, int(bool(item.get("lukket"))), item.get("sagsnummer"),
                    text)
        items.append((*item_row, fold(item["titel"]), fold(decision), fold(text)) if folded else item_row)
    return row, items


def _insert(conn: sqlite3.Connection, version: Version, manifest: mf.Manifest, manifest_bytes: bytes) -> None:
    row, items = expected_rows(version, manifest, manifest_bytes)
    cur = conn.execute(f"INSERT INTO udgaver ({', '.join(VERSION_COLUMNS)}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", row)
    version_id = cur.lastrowid
    for order, number, title, decision, closed, case, text, folded_title, folded_decision, folded_text in items:
        cur = conn.execute(
            "INSERT INTO punkter (udgave_id, orden, nummer, titel, beslutning, lukket, sagsnummer, tekst)"
            " VALUES (?,?,?,?,?,?,?,?)", (version_id, order, number, title, decision, closed, case, text))
        conn.execute("INSERT INTO soeg (rowid, titel, beslutning, tekst) VALUES (?,?,?,?)",
                     (cur.lastrowid, folded_title, folded_decision, folded_text))


def stored_rows(conn: sqlite3.Connection, only: set[str] | None = None) -> dict[str, tuple[VersionRow, list[ItemRow]]]:
    """What the index holds, per version, in the shape of `expected_rows` (three scans, joined here); with `only`,
    just those versions (by path): a search checks the versions it shows, not all 10,000 (issue 17, item 5)."""
    columns = f"SELECT id, {', '.join(VERSION_COLUMNS)} FROM udgaver"
    if only is None:
        versions_found = conn.execute(f"{columns} ORDER BY sti").fetchall()
        search_sql = "SELECT rowid, titel, beslutning, tekst FROM soeg"
        items_sql = ("SELECT id, udgave_id, orden, nummer, titel, beslutning, lukket, sagsnummer, tekst FROM punkter"
                     " ORDER BY udgave_id, orden, id")
        search = {r[0]: (r[1], r[2], r[3]) for r in conn.execute(search_sql)}
        item_rows = conn.execute(items_sql).fetchall()
    else:
        versions_found = sorted(_rows_in(conn, f"{columns} WHERE sti IN", sorted(only)), key=lambda r: r[1])
        item_rows = sorted(_rows_in(conn, "SELECT id, udgave_id, orden, nummer, titel, beslutning, lukket, sagsnummer,"
                                          " tekst FROM punkter WHERE udgave_id IN", [r[0] for r in versions_found]),
                           key=lambda r: (r[1], r[2], r[0]))
        search = {r[0]: (r[1], r[2], r[3])
                  for r in _rows_in(conn, "SELECT rowid, titel, beslutning, tekst FROM soeg WHERE rowid IN",
                                    [r[0] for r in item_rows])}
    items: dict[int, list[ItemRow]] = {}
    for item_id, version_id, *row in item_rows:
        items.setdefault(version_id, []).append((*row, *search.get(item_id, (None, None, None))))
    out: dict[str, tuple[VersionRow, list[ItemRow]]] = {}
    for version_id, *row in versions_found:
        out[str(row[0])] = (tuple(row), items.get(version_id, []))
    return out


def _rows_in(conn: sqlite3.Connection, sql: str, values: list[Any]) -> list[tuple[Any, ...]]:
    """`sql` ("… WHERE column IN") over `values`, in batches within SQLite's limit on parameters."""
    rows: list[tuple[Any, ...]] = []
    for start in range(0, len(values), 500):
        batch = values[start:start + 500]
        rows += conn.execute(f"{sql} ({', '.join('?' * len(batch))})", batch).fetchall()
    return rows


def missing(conn: sqlite3.Connection, root: Path) -> list[Version]:
    """Stored versions (with a manifest) that the index does not know."""
    known = {r[0] for r in conn.execute("SELECT sti FROM udgaver")}
    return [v for v in versions(root) if v.relative not in known and v.manifest.is_file()]


def catch_up(conn: sqlite3.Connection, root: Path) -> CaughtUp:
    """Index every stored version the index lacks — each only after its manifest has been checked against its
    signed PDF (a manifest that disagrees is refused and returned, for the command to name)."""
    from .recheck import recheck

    caught = CaughtUp()
    for version in missing(conn, root):
        checked = recheck(version)
        if checked.sound and checked.manifest is not None:
            add(conn, version, checked.manifest, checked.manifest_bytes)
            caught.added.append(version)
        else:
            caught.refused.append(checked)
    _catch_up_corrections(conn, root, caught)
    return caught


def _catch_up_corrections(conn: sqlite3.Connection, root: Path, caught: CaughtUp) -> None:
    """Index every stored correction the index lacks, each only after its manifest has been checked against
    its signed PDF (issue 14)."""
    from .recheck import recheck_correction

    for stored in correction_index.lacking(conn, root):
        checked = recheck_correction(stored)
        if checked.sound and checked.manifest is not None:
            correction_index.add(conn, stored, checked.manifest, checked.manifest_bytes)
            caught.added_corrections.append(stored)
        else:
            caught.refused_corrections.append(checked)


def rows(conn: sqlite3.Connection) -> list[Row]:
    return [Row(*r) for r in conn.execute(
        "SELECT sti, udvalg, udvalg_navn, dato, udgave, fil, sha256, manifest_sha256, status, underskrivere"
        " FROM udgaver ORDER BY udvalg, dato, udgave")]


def search(conn: sqlite3.Connection, query: str, limit: int = 20) -> tuple[list[Hit], int]:
    """Items whose text (title, decision, every other section, bilag titles, tasks) match every word of `query` (newest version of each meeting), best
    first; and how many matched in all."""
    terms = query_terms(query)
    if not terms:
        return [], 0
    matches = (" FROM soeg JOIN punkter p ON p.id = soeg.rowid JOIN udgaver u ON u.id = p.udgave_id"
               f" WHERE soeg MATCH ? AND {NEWEST}")
    # Only the rows shown are fetched (a common word matched every item of 10,000 meetings, all of them read into
    # Python to keep 20); the total is counted by SQLite when there may be more (issue 17, item 5). The last two
    # keys only make the order of otherwise equal hits the same on every run.
    sql = (f"SELECT u.udvalg_navn, u.dato, p.nummer, p.titel, p.beslutning, p.tekst, p.lukket, u.sti{matches}"
           " ORDER BY bm25(soeg, 2.0, 1.0, 0.5), u.dato DESC, p.orden, u.udvalg, p.id LIMIT ?")
    found = conn.execute(sql, (fts_query(terms), limit)).fetchall()
    total = len(found)
    if total == limit:
        total = conn.execute(f"SELECT count(*){matches}", (fts_query(terms),)).fetchone()[0]
    hits = []
    for name, date, number, title, decision, body, closed, path in found:
        # the snippet from the decision, else the title, else the rest of the item's text (where the words are)
        text = next((t for t in (decision, title, body) if any(term in fold(t) for term in terms)), title)
        hits.append(Hit(name, date, number, title, snippet(text, terms), bool(closed), path))
    return hits, total


def decisions(conn: sqlite3.Connection) -> list[Decision]:
    """Every item's decision across meetings (newest version of each), by date and item order."""
    return [Decision(r[0], r[1], r[2], r[3], r[4], r[5], r[6], bool(r[7]), r[8], r[9]) for r in conn.execute(
        f"SELECT u.udvalg, u.udvalg_navn, u.dato, coalesce(p.sagsnummer, u.sagsnummer), p.nummer, p.titel,"
        f" p.beslutning, p.lukket, u.status, u.sti || '/' || u.fil"
        f" FROM punkter p JOIN udgaver u ON u.id = p.udgave_id WHERE {NEWEST} ORDER BY u.dato, u.udvalg, p.orden")]
