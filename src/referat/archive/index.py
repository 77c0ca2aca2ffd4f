"""The search index (arkiv/index.sqlite): every stored version, its items and decisions, with SQLite FTS5.

The index is derived data: it can always be rebuilt from the manifests, and is whenever a stored version
has no rows (an add interrupted after its rename) or the file is missing or unreadable.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Location, OutputError, ReferatError
from . import manifest as mf
from .matching import fold, fts_query, query_terms, snippet
from .store import Version, versions

INDEX = "index.sqlite"
SCHEMA_VERSION = "1"
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
    sagsnummer TEXT);
CREATE VIRTUAL TABLE IF NOT EXISTS soeg USING fts5(titel, beslutning, tokenize = 'unicode61 remove_diacritics 2');
CREATE INDEX IF NOT EXISTS udgaver_moede ON udgaver (udvalg, dato, udgave);
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


@contextmanager
def opened(root: Path) -> Iterator[sqlite3.Connection]:
    """The index, created if missing and rebuilt from the manifests if unreadable."""
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


def _connect(path: Path) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=30)
    except sqlite3.OperationalError as exc:
        raise OutputError(f"søgeindekset kan ikke åbnes ({exc})", Location(path)) from None
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


def _insert(conn: sqlite3.Connection, version: Version, manifest: mf.Manifest, manifest_bytes: bytes) -> None:
    signers = "; ".join(", ".join(p for p in (s.get("navn"), s.get("rolle"), s.get("tillid")) if p)
                        for s in manifest.get("underskrifter", []))
    cur = conn.execute(
        "INSERT INTO udgaver (sti, udvalg, udvalg_navn, dato, udgave, fil, sha256, manifest_sha256, sagsnummer,"
        " status, arkiveret, underskrivere) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        (version.relative, version.committee, manifest.get("udvalg_navn", version.committee), version.date,
         version.number, manifest["fil"], manifest["sha256"], mf.sha256(manifest_bytes), manifest.get("sagsnummer"),
         manifest["status"], manifest["arkiveret"], signers))
    version_id = cur.lastrowid
    for order, item in enumerate(manifest.get("punkter", [])):
        cur = conn.execute(
            "INSERT INTO punkter (udgave_id, orden, nummer, titel, beslutning, lukket, sagsnummer)"
            " VALUES (?,?,?,?,?,?,?)",
            (version_id, order, item["nummer"], item["titel"], item.get("beslutning") or "",
             int(bool(item.get("lukket"))), item.get("sagsnummer")))
        conn.execute("INSERT INTO soeg (rowid, titel, beslutning) VALUES (?,?,?)",
                     (cur.lastrowid, fold(item["titel"]), fold(item.get("beslutning") or "")))


def missing(conn: sqlite3.Connection, root: Path) -> list[Version]:
    """Stored versions (with a manifest) that the index does not know."""
    known = {r[0] for r in conn.execute("SELECT sti FROM udgaver")}
    return [v for v in versions(root) if v.relative not in known and v.manifest.is_file()]


def catch_up(conn: sqlite3.Connection, root: Path) -> list[Version]:
    """Index every stored version the index lacks (from its manifest); returns those added."""
    added = []
    for version in missing(conn, root):
        readable = _read_manifest(version)
        if readable is not None:  # an unreadable manifest is for `archive verify` to report
            add(conn, version, *readable)
            added.append(version)
    return added


def _read_manifest(version: Version) -> tuple[mf.Manifest, bytes] | None:
    try:
        return mf.load(version.manifest), version.manifest.read_bytes()
    except (ReferatError, OSError):
        return None


def rows(conn: sqlite3.Connection) -> list[Row]:
    return [Row(*r) for r in conn.execute(
        "SELECT sti, udvalg, udvalg_navn, dato, udgave, fil, sha256, manifest_sha256, status, underskrivere"
        " FROM udgaver ORDER BY udvalg, dato, udgave")]


def search(conn: sqlite3.Connection, query: str, limit: int = 20) -> tuple[list[Hit], int]:
    """Items whose title or decision match every word of `query` (newest version of each meeting), best
    first; and how many matched in all."""
    terms = query_terms(query)
    if not terms:
        return [], 0
    sql = (f"SELECT u.udvalg_navn, u.dato, p.nummer, p.titel, p.beslutning, p.lukket, u.sti"
           f" FROM soeg JOIN punkter p ON p.id = soeg.rowid JOIN udgaver u ON u.id = p.udgave_id"
           f" WHERE soeg MATCH ? AND {NEWEST} ORDER BY bm25(soeg, 2.0, 1.0), u.dato DESC, p.orden")
    found = conn.execute(sql, (fts_query(terms),)).fetchall()
    hits = []
    for name, date, number, title, decision, closed, path in found[:limit]:
        text = decision if any(t in fold(decision) for t in terms) else title
        hits.append(Hit(name, date, number, title, snippet(text, terms), bool(closed), path))
    return hits, len(found)


def decisions(conn: sqlite3.Connection) -> list[Decision]:
    """Every item's decision across meetings (newest version of each), by date and item order."""
    return [Decision(r[0], r[1], r[2], r[3], r[4], r[5], r[6], bool(r[7]), r[8], r[9]) for r in conn.execute(
        f"SELECT u.udvalg, u.udvalg_navn, u.dato, coalesce(p.sagsnummer, u.sagsnummer), p.nummer, p.titel,"
        f" p.beslutning, p.lukket, u.status, u.sti || '/' || u.fil"
        f" FROM punkter p JOIN udgaver u ON u.id = p.udgave_id WHERE {NEWEST} ORDER BY u.dato, u.udvalg, p.orden")]
