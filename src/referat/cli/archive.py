"""`referat sign`, `referat archive add|list|verify`, `referat search`, `referat decisions`."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..diagnostics import Location, Report, UsageError, count, escape, print_report, say
from ..errors import EXIT_INVALID, EXIT_OK, ArchiveError, InputError
from ..progress import progress
from ..text.danish import short_iso_date

if TYPE_CHECKING:
    import sqlite3

    from ..archive.correction_index import CorrectionHit, Listed

Command = Callable[[str, Callable[[argparse.Namespace], int], str], argparse.ArgumentParser]


def _root(args: argparse.Namespace) -> Path:
    return Path(args.arkiv)


def _existing_root(args: argparse.Namespace, message: str = "arkivet findes ikke") -> Path:
    """The archive folder of a command that reads the archive; a Danish error when there is none."""
    root = _root(args)
    if not root.is_dir():
        raise ArchiveError(message, Location(root))
    return root


def _date(iso: object, root: Path, path: str) -> str:
    """23.02.2026, as the documents print a meeting date; a located message for a malformed index row."""
    from ..text.danish import short_date

    try:
        if not isinstance(iso, str):
            raise TypeError
        return short_date(dt.date.fromisoformat(iso))
    except (TypeError, ValueError):
        raise ArchiveError(f"søgeindekset har en ugyldig dato {iso!r} i kolonnen 'dato' for udgaven {path}; "
                           "kør 'referat archive verify', eller slet index.sqlite, så bygges det igen fra "
                           "manifesterne", Location(root / "index.sqlite")) from None


def _consistent(root: Path, conn: object, scope: str, only: set[str] | None = None) -> None:
    """Refuse to show an index that disagrees with the manifests (edited index rows or manifests), as far as
    the command shows it (`scope`: list, decisions or search)."""
    from ..archive.verify import index_consistency

    report = index_consistency(root, conn, scope, only)
    if report.has_errors:
        raise ArchiveError(report)


def _notes(root: Path, caught: object) -> None:
    """What the look at the index did: versions indexed now, versions refused, an index kept in memory."""
    from ..archive.index import CaughtUp

    assert isinstance(caught, CaughtUp)
    for version in caught.added:
        say(f"{version.folder}: advarsel: manglede i søgeindekset (afbrudt arkivering); nu indekseret",
              file=sys.stderr)
    for checked in caught.refused:
        first = checked.report.errors[0].format() if checked.report.errors else ""
        say(f"{checked.version.folder}: advarsel: udgaven er ikke indekseret, fordi dens manifest ikke stemmer "
              f"med den underskrevne fil ({first}); kør 'referat archive verify'", file=sys.stderr)
    for stored in caught.added_corrections:
        say(f"{stored.folder}: advarsel: manglede i søgeindekset; nu indekseret", file=sys.stderr)
    for fix in caught.refused_corrections:
        first = fix.report.errors[0].format() if fix.report.errors else ""
        say(f"{fix.stored.folder}: advarsel: rettelsen er ikke indekseret, fordi dens manifest ikke stemmer med "
            f"den underskrevne fil ({first}); kør 'referat archive verify'", file=sys.stderr)
    if caught.in_memory:
        say(f"{root}: advarsel: arkivet er skrivebeskyttet; søgeindekset er bygget i hukommelsen til denne "
              "kørsel og ikke gemt", file=sys.stderr)


def cmd_sign(args: argparse.Namespace) -> int:
    from ..fileio import read_input, write_atomic
    from ..signing.certificate import common_name, load_signer, password
    from ..signing.longterm import level_for
    from ..signing.sign import sign_pdf
    from ..signing.signatures import load_root_files
    from ..signing.timestamp import UrlTimeStamper

    level, note = level_for(args.niveau, args.tidsstempel)
    source = Path(args.pdf)
    roots = load_root_files([Path(p) for p in args.rodcertifikat or []])
    pdf = read_input(source)
    secret = password(Path(args.cert))  # a prompt, if any, before a progress line can appear
    _before_the_meeting(pdf, source)
    # a line on a terminal when signing takes over 2 s (a slow timestamp server, a large file); none otherwise
    with progress("Underskrift: {detail}", 0, delay=2.0) as shown:
        shown.step("certifikatet læses")
        signer = load_signer(Path(args.cert), secret)
        name = args.navn or common_name(signer)
        where = Location(source)
        timestamper = UrlTimeStamper(args.tidsstempel, where=where) if args.tidsstempel else None
        shown.step("PDF'en underskrives" + (f" og tidsstemples ({args.tidsstempel})" if timestamper else ""))
        signed = sign_pdf(pdf, signer, name, args.rolle, args.synlig, timestamper, where, level, roots)
        shown.step(f"{args.out} skrives")
        write_atomic(Path(args.out), signed)
    say(f"skrev {args.out}: underskrevet af {common_name(signer)}" + (f" ({args.rolle})" if args.rolle else "")
        + f", PAdES {level}{note}")
    return EXIT_OK


def _before_the_meeting(pdf: bytes, source: Path) -> None:
    """A warning when the PDF is dated after today: referat's minutes carry the meeting's date as their creation
    date, so these are the minutes of a meeting that has not been held (the wrong file, or signed too early)."""
    import io

    from pypdf import PdfReader

    try:
        created = PdfReader(io.BytesIO(pdf), strict=False).metadata.creation_date  # type: ignore[union-attr]
    except Exception:  # noqa: BLE001 - no or unreadable metadata: nothing to warn about (signing says the rest)
        return
    if created is not None and created.date() > dt.date.today():
        say(f"{source}: advarsel: PDF'en er dateret {created.date():%d.%m.%Y} (referatets mødedato), efter i dag; "
            "underskrives referatet, før mødet er holdt?", file=sys.stderr)


def cmd_add(args: argparse.Namespace) -> int:
    from ..app.archive import add
    from ..archive.checks import Options
    from ..archive.signers import describe
    from ..archive.store import find_root

    folder = Path(args.mappe)
    # the archive the meeting folder finds (as build, publish and serve look for it), unless one is named
    root = Path(args.arkiv) if args.arkiv is not None else (find_root(folder) or Path("arkiv"))
    options = Options([Path(p) for p in args.rodcertifikat or []], args.tillad_selvsigneret, args.scannet,
                      [Path(p) for p in args.skabeloner or []], args.tidsstempel)
    added = add(folder, Path(args.pdf), options, root)
    version, examined = added.version, added.examined
    print_report(examined.warnings, summary=False)
    found = find_root(folder)
    if found is None or found.resolve() != root.resolve():
        report = Report()
        report.warning(Location(folder), f"mødets mappe finder ikke arkivet {escape(root)} (den finder "
                       f"{escape(found) if found else 'intet arkiv/ i eller over sig'}), så build, publish og serve "
                       "ser ikke referatet som underskrevet og arkiveret; læg arkiv/-mappen i eller over mødets "
                       "mappe, eller giv dem samme --arkiv")
        print_report(report, summary=False)
    manifest = examined.manifest
    say(f"arkiverede {version.pdf} ({manifest['status']}, {manifest['sammenligning']}, "
          f"{count(len(manifest['punkter']), 'punkt', 'punkter')})")
    for signer in manifest["underskrifter"]:
        say(f"  underskrift: {describe(signer)}")
    longterm = manifest.get("langtid")
    if longterm:
        upgraded = " (valideringsdata og dokumenttidsstempel tilføjet ved arkiveringen)" if examined.upgraded else ""
        until = longterm.get("beskyttet_til")
        say(f"  PAdES {longterm['niveau']}{upgraded}"
            + (f"; beskyttet til {dt.datetime.fromisoformat(until):%d.%m.%Y}" if until else ""))
    if version.number > 1:
        say(f"  udgave {version.number}; de tidligere udgaver er urørte")
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    from ..archive import index
    from ..archive import manifest as mf
    from ..archive.renewal import recorded
    from ..archive.signers import lines

    root = _existing_root(args, "arkivet findes ikke (endnu)")
    with index.reading(root) as (conn, caught):
        _notes(root, caught)
        _consistent(root, conn, "list")
        rows = index.rows(conn)
        fixes = _indexed_corrections(root, conn)
    for row in rows:
        date = _date(row.date, root, row.path)
        say(f"{row.committee_name}  {date}  udgave {row.number}  {row.status}  {root / row.path / row.file}")
        say(f"    sha256 {row.sha256}")
        manifest = mf.load(root / row.path / "manifest.json")  # checked against the index above
        for line in lines(manifest):  # who the certificates say signed (issue 25)
            say(f"    {line}")
        state = recorded(root / row.path, row.file, manifest)
        if state:
            say(f"    {state}")
        _list_corrections(root, [f for f in fixes if f.corrects == row.path])
    orphans = [f for f in fixes if f.corrects not in {row.path for row in rows}]
    if orphans:
        say("rettelser til en udgave, der ikke findes i arkivet (kør 'referat archive verify'):")
        _list_corrections(root, orphans)
    if not rows and not orphans:
        say("arkivet er tomt")
    return EXIT_OK


def _indexed_corrections(root: Path, conn: sqlite3.Connection) -> list[Listed]:
    """The corrections in the index (issue 14), refused when a row disagrees with its manifest."""
    from ..archive.correction_index import consistency, listed

    report = consistency(root, conn)
    if report.has_errors:
        raise ArchiveError(report)
    return listed(conn)


def _list_corrections(root: Path, fixes: list[Listed]) -> None:
    """Each correction under the version it corrects: when it was archived, its sha256 (to journalise), what it
    corrects, its file, who corrected and the signers."""
    from ..archive.signers import of_folder

    for f in fixes:
        lines = f.what.splitlines() or [""]
        say(f"    rettelse {f.number} ({f.archived[:10]}, sha256 {f.sha256}): {lines[0]}")
        for line in lines[1:]:
            say(f"        {line}")
        say(f"        {root / f.path / 'rettelse-signeret.pdf'}; rettet af {f.by}")
        for line in of_folder(root / f.path):
            say(f"        {line}")


def cmd_verify(args: argparse.Namespace) -> int:
    from ..archive.verify import verify
    from ..pool import workers

    root = _existing_root(args)
    outcome = verify(root, jobs=workers(args.jobs))
    for version in outcome.reindexed:
        say(f"{version.folder}: advarsel: manglede i søgeindekset (afbrudt arkivering); nu indekseret",
              file=sys.stderr)
    if outcome.in_memory:
        say(f"{root}: advarsel: arkivet er skrivebeskyttet; søgeindekset er kontrolleret i hukommelsen og ikke "
              "gemt", file=sys.stderr)
    for stored in outcome.reindexed_corrections:
        say(f"{stored.folder}: advarsel: manglede i søgeindekset; nu indekseret", file=sys.stderr)
    print_report(outcome.report, summary=False)
    print_report(outcome.warnings, summary=False)

    def state(pdf: Path) -> str:  # the level and how long the proof holds (issue 25)
        found = outcome.longterm.get(pdf)
        return f" – {found.summary()}" if found is not None else ""

    for version in outcome.checked:
        if version not in outcome.bad:
            say(f"ok  {version.pdf}{state(version.pdf)}")
    for pdf in outcome.corrections:
        if pdf not in outcome.bad_corrections:
            say(f"ok  {pdf} (rettelse){state(pdf)}")
    fixes = f" og {count(len(outcome.corrections), 'rettelse', 'rettelser')}" if outcome.corrections else ""
    versions = count(len(outcome.checked), "udgave", "udgaver")
    if outcome.report.has_errors:
        say(f"{len(outcome.report.errors)} fejl i {versions}{fixes}", file=sys.stderr)
        return EXIT_INVALID
    say(f"{versions}{fixes} kontrolleret: filer og underskrifter er uændrede")
    return EXIT_OK


def cmd_renew(args: argparse.Namespace) -> int:
    from ..archive.renewal import renew
    from ..signing.longterm import RENEW_MARGIN, now
    from ..signing.signatures import load_root_files

    root = _existing_root(args)
    if args.foer:
        try:
            before = dt.datetime.combine(dt.date.fromisoformat(args.foer), dt.time(), dt.UTC)
        except ValueError:
            raise UsageError(f"--før skal være en dato (ÅÅÅÅ-MM-DD), ikke {args.foer!r}") from None
    else:
        before = now() + RENEW_MARGIN
    roots = load_root_files([Path(p) for p in args.rodcertifikat or []])
    done = renew(root, args.tidsstempel, before, roots)
    failed = 0
    for item in done:
        if item.renewal is not None and item.status is not None:
            say(f"fornyede {item.renewal.pdf} ({item.item.label}): {item.status.summary()}")
        elif item.skipped == "ikke nødvendig" and item.status is not None:
            say(f"ok  {item.item.pdf}: {item.status.summary()}; fornyes ikke endnu")
        else:
            failed += 1
            say(f"{item.item.pdf}: fejl: kan ikke fornyes: {item.skipped}", file=sys.stderr)
    renewed = sum(1 for item in done if item.renewal is not None)
    say(f"{count(renewed, 'fil', 'filer')} fornyet af {len(done)} (frist {before:%d.%m.%Y})")
    return EXIT_INVALID if failed else EXIT_OK


# Every word of a query is a required prefix term: more than this many is no search a person types, and each
# costs FTS5 and the snippet work on every matching row (21,000 words ran for over a minute).
MAX_QUERY_WORDS = 50


def cmd_search(args: argparse.Namespace) -> int:
    from ..archive import index
    from ..archive.matching import query_terms

    if args.antal < 1:
        raise UsageError(f"--antal skal være mindst 1, ikke {args.antal}")
    words = len(query_terms(args.query))
    if words > MAX_QUERY_WORDS:
        raise UsageError(f"søgningen har {words} forskellige ord; der kan højst søges på {MAX_QUERY_WORDS} ord ad "
                         "gangen")
    root = _existing_root(args)
    with index.reading(root) as (conn, caught):
        _notes(root, caught)
        hits, total = index.search(conn, args.query, args.antal)
        _consistent(root, conn, "search", {hit.path for hit in hits})  # what is shown, not all the archive
        fixes, fix_total = _search_corrections(root, conn, args.query, args.antal)
    if not hits and not fixes:
        if not any(c.isalnum() for c in args.query):
            raise InputError("søgningen indeholder ingen ord")
        shown = args.query if len(args.query) <= 200 else args.query[:200] + "…"
        say(f"ingen træf for '{shown}'")
        return 0
    for hit in hits:
        date = _date(hit.date, root, hit.path)
        closed = " (lukket punkt)" if hit.closed else ""
        say(f"{hit.committee_name} {date}, punkt {hit.number}: {hit.title}{closed}")
        say(f"    {hit.snippet}")
    for fix in fixes:
        say(f"Rettelse {fix.number} til referat af {fix.committee_name} {_date(fix.date, root, fix.path)} "
            f"({fix.corrects.rsplit('/', 1)[-1].replace('-', ' ')})")
        say(f"    {fix.snippet}")
    total, shown_count = total + fix_total, len(hits) + len(fixes)
    more = f" (viser {shown_count}; brug --antal for flere)" if total > shown_count else ""
    say(f"{total} træf{more}")
    return 0


def _search_corrections(root: Path, conn: sqlite3.Connection, query: str,
                        limit: int) -> tuple[list[CorrectionHit], int]:
    """The corrections whose text matches (issue 14), their index rows checked against their manifests."""
    from ..archive.correction_index import consistency, search

    fixes, total = search(conn, query, limit)
    if fixes:
        report = consistency(root, conn, {f.path for f in fixes}, folded=True)
        if report.has_errors:
            raise InputError(report)
    return fixes, total


HEADER = ["udvalg", "dato", "sagsnummer", "punkt", "titel", "beslutning", "lukket", "status", "fil", "underskrevet_af",
          "opgaver"]


def _tasks_by_item(root: Path) -> dict[tuple[str, str, str], str]:
    """The follow-up tasks each archived decision made (issue 14), as one line per item for the register."""
    from ..diagnostics import Report
    from ..lifecycle.followup import from_archive

    out: dict[tuple[str, str, str], list[str]] = {}
    for t in from_archive(root, Report()):
        out.setdefault((t.committee, t.meeting_date, t.item_number), []).append(
            f"{t.task} ({t.responsible}, frist {short_iso_date(t.deadline)}, {t.status})")
    return {key: "; ".join(tasks) for key, tasks in out.items()}


def _xlsx_value(column: str, value: str) -> object:
    """A register cell as Excel should hold it: the date as a date, a plain item number ("3") as a number,
    everything else as text with control characters shown as their pictures (a workbook cannot hold them)."""
    from ..text.chars import printable

    if column == "dato":
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    if column == "punkt" and value.isascii() and value.isdigit():
        return int(value)
    return printable(value)


def _signed_by(root: Path, paths: set[str]) -> dict[str, str]:
    """Who signed each version, as the certificates say (issue 25): one cell of the register per version."""
    from ..archive import manifest as mf
    from ..archive.signers import signed_by

    # a decision's path is its version's file (…/udgave-1/referat-signeret.pdf); the manifest lies beside it
    return {path: signed_by(mf.load(root / Path(path).parent / "manifest.json")) for path in sorted(paths)}


def _decisions_xlsx(rows: list[list[str]]) -> bytes:
    """The register as a workbook: a header row, one row per decision; the date a date (dd.mm.åååå), the item
    number a number, text stays text (never a formula)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from ..takster.template import stable_xlsx

    wb = Workbook()
    ws = wb.active
    ws.title = "Beslutninger"
    ws.append(HEADER)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([_xlsx_value(column, value) for column, value in zip(HEADER, row, strict=True)])
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # openpyxl would store any "=…" as a formula
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            elif isinstance(cell.value, dt.date):
                cell.number_format = "dd.mm.yyyy"
                cell.alignment = Alignment(vertical="top")
            else:
                cell.alignment = Alignment(horizontal="left", vertical="top")
    for letter, width in zip("ABCDEFGHIJK", (14, 11, 14, 6, 40, 60, 7, 12, 30, 40, 50), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    wb.properties.creator = "referat"
    out = io.BytesIO()
    wb.save(out)
    return stable_xlsx(out.getvalue(), dt.datetime(2000, 1, 1, tzinfo=dt.UTC))


def _decisions_csv(rows: list[list[str]], terminal: bool) -> str:
    """The register as CSV (semicolons, CRLF); on a terminal every control character is a visible escape."""
    from ..csvcell import csv_text
    from ..diagnostics import escape

    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow([escape(csv_text(cell)) if terminal else csv_text(cell) for cell in row])
    return buf.getvalue()


def cmd_decisions(args: argparse.Namespace) -> int:
    from ..archive import index
    from ..fileio import write_atomic

    root = _existing_root(args)
    with index.reading(root) as (conn, caught):
        _notes(root, caught)
        _consistent(root, conn, "decisions")
        found = index.decisions(conn)
    tasks = _tasks_by_item(root)
    signers = _signed_by(root, {d.path for d in found})

    def cells(d: index.Decision) -> list[str]:
        return [d.committee_name, d.date, d.case_number or "", d.number, d.title, d.decision,
                "ja" if d.closed else "nej", d.status, str(root / d.path), signers.get(d.path, ""),
                tasks.get((d.committee, d.date, d.number), "")]

    rows = [cells(d) for d in found]
    decisions = count(len(found), "beslutning", "beslutninger")
    notes = sys.stderr if args.csv and not args.out else sys.stdout  # stdout may be carrying the CSV
    if args.xlsx:
        write_atomic(Path(args.xlsx), _decisions_xlsx(rows))
        say(f"skrev {args.xlsx} ({decisions})", file=notes)
    if args.out:
        write_atomic(Path(args.out), "\ufeff" + _decisions_csv(rows, False))  # BOM: Danish Excel reads it as UTF-8
        say(f"skrev {args.out} ({decisions})", file=notes)
    elif args.csv:
        sys.stdout.write(_decisions_csv(rows, sys.stdout.isatty()))
    if args.xlsx or args.out or args.csv:
        return EXIT_OK
    from ..text.richtext import printable

    shown: set[str] = set()
    for d in found:
        date = _date(d.date, root, d.path)
        if d.path not in shown and signers.get(d.path):
            shown.add(d.path)
            say(f"{date}  {d.committee_name}: underskrevet af {signers[d.path]}")
        first = " ".join(d.decision.split())
        closed = " (lukket punkt)" if d.closed else ""
        say(f"{date}  {d.committee_name}  punkt {d.number}: {d.title}{closed}")
        say(f"    {first[:160] + '…' if len(first) > 160 else first}")
        if tasks.get((d.committee, d.date, d.number)):
            say(printable(f"    opgaver: {tasks[(d.committee, d.date, d.number)]}").replace("\n", " "))
    say(decisions)
    return EXIT_OK


def _arkiv(p: argparse.ArgumentParser) -> None:
    p.add_argument("--arkiv", default="arkiv", metavar="MAPPE", help="arkivets mappe (standard: arkiv/)")


def register(command: Command) -> None:
    """Add the signing, archive and search commands to the `referat` parser."""
    p = command("sign", cmd_sign, "Underskriv et referat (PAdES) med et certifikat; flere underskrifter "
                                  "lægges efter hinanden.")
    p.add_argument("pdf", metavar="PDF", help="referatet, fx output/<møde>/referat.pdf")
    p.add_argument("--cert", required=True, metavar="FIL.p12", help="certifikat med nøgle (PKCS#12, .p12/.pfx); "
                   "adgangskoden læses fra REFERAT_CERT_PASSWORD eller spørges om")
    p.add_argument("--out", required=True, metavar="UNDERSKREVET.pdf", help="den underskrevne fil")
    p.add_argument("--navn", help="underskriverens navn (standard: navnet i certifikatet)")
    p.add_argument("--rolle", help="underskriverens rolle, fx formand eller sekretariat")
    p.add_argument("--synlig", action="store_true", help="vis underskriften som en boks på sidste side")
    p.add_argument("--tidsstempel", metavar="URL", help="tidsstempelserver (RFC 3161); giver PAdES B-LT, medmindre "
                                                        "--niveau siger andet")
    p.add_argument("--niveau", choices=["B-B", "B-T", "B-LT", "B-LTA"],
                   help="PAdES-niveau (standard: B-LT med --tidsstempel, ellers B-B); B-LT og B-LTA lægger "
                        "certifikatkæde og spærreoplysninger ind i filen, B-LTA også et dokumenttidsstempel")
    p.add_argument("--rodcertifikat", action="append", metavar="FIL.pem",
                   help="udstederens rodcertifikat, hvis .p12-filen ikke selv har det (til B-LT og B-LTA; kan gentages)")

    archive = command("archive", lambda args: args.archive_func(args),
                      "Arkivet af underskrevne referater: tilføj, vis og kontrollér.")
    sub = archive.add_subparsers(dest="archive_command", metavar="HANDLING", parser_class=type(archive))
    sub.required = True
    p = sub.add_parser("add", help="kontrollér et underskrevet referat og gem det i arkivet",
                       description="Kontrollér et underskrevet referat mod mødets mappe og gem det i arkivet.")
    p.set_defaults(archive_func=cmd_add)
    p.add_argument("mappe", metavar="MAPPE", help="mødets mappe (referatet bygges herfra til sammenligning)")
    p.add_argument("pdf", metavar="UNDERSKREVET.pdf", help="det underskrevne referat")
    p.add_argument("--rodcertifikat", action="append", metavar="FIL.pem",
                   help="betroet rodcertifikat (kan gentages; ud over udvalgsprofilens 'rodcertifikater')")
    p.add_argument("--tillad-selvsigneret", action="store_true",
                   help="acceptér selvsignerede certifikater (registreres som selvsigneret)")
    p.add_argument("--scannet", action="store_true",
                   help="en scannet, håndunderskrevet kopi (registreres som uverificeret)")
    p.add_argument("--tidsstempel", metavar="URL", help="tidsstempelserver (RFC 3161): en fil under PAdES B-LTA "
                   "får valideringsdata og et dokumenttidsstempel, før den gemmes")
    p.add_argument("--skabeloner", action="append", metavar="MAPPE", help="ekstra mappe med templates/udvalg/")
    p.add_argument("--arkiv", metavar="MAPPE", help="arkivets mappe (standard: den arkiv/-mappe, mødets mappe "
                   "ligger i eller under, som build og publish bruger; ellers arkiv/ her)")
    p = sub.add_parser("list", help="vis de arkiverede referater", description="Vis de arkiverede referater.")
    p.set_defaults(archive_func=cmd_list)
    _arkiv(p)
    p = sub.add_parser("verify", help="kontrollér alle arkiverede filer og underskrifter",
                       description="Genberegn sha256 for hver arkiveret fil og validér hver underskrift igen; "
                                   "exit 1 ved enhver ændring.")
    p.set_defaults(archive_func=cmd_verify)
    _arkiv(p)
    from .publish import jobs_option

    jobs_option(p)
    p = sub.add_parser("renew", help="forny tidsstemplerne på arkiverede filer, før de udløber",
                       description="Tilføj et nyt dokumenttidsstempel (med friske valideringsdata) til hver arkiveret "
                                   "fil, hvis beskyttelse udløber før datoen, eller som endnu ikke er PAdES B-LTA. "
                                   "Den arkiverede fil ændres ikke; fornyelsen gemmes ved siden af.")
    p.set_defaults(archive_func=cmd_renew)
    p.add_argument("--tidsstempel", metavar="URL", help="tidsstempelserver (RFC 3161; standard: den, filen sidst "
                                                        "blev tidsstemplet med)")
    p.add_argument("--før", dest="foer", metavar="ÅÅÅÅ-MM-DD",
                   help="forny, hvad der udløber før denne dato (standard: om to år)")
    p.add_argument("--rodcertifikat", action="append", metavar="FIL.pem",
                   help="rodcertifikat for en ny tidsstempelserver (kan gentages)")
    _arkiv(p)

    p = command("search", cmd_search, "Søg i arkiverede referaters punkter og beslutninger.")
    p.add_argument("query", metavar="SØGNING", help="ord, der alle skal forekomme, fx \"Bifrost\" eller \"ungehjem\"")
    p.add_argument("--antal", type=int, default=20, metavar="N", help="højst N træf (standard: 20)")
    _arkiv(p)

    p = command("decisions", cmd_decisions, "Beslutningsregister: alle arkiverede beslutninger på tværs af møder.")
    p.add_argument("--csv", action="store_true", help="som CSV (semikolon) på standardoutput")
    p.add_argument("--out", metavar="FIL.csv", help="skriv CSV-filen (med BOM til Excel)")
    p.add_argument("--xlsx", metavar="FIL.xlsx", help="skriv registret som Excel-fil (med opgaverne)")
    _arkiv(p)
