"""`referat send|diff|til-referat|opfølgning`: the meeting's life after its first build."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable
from pathlib import Path

from ..diagnostics import count, escape, print_report
from ..errors import ArchiveError, InputError
from ..text.danish import short_iso_date

Command = Callable[..., argparse.ArgumentParser]


def _folder(text: str) -> Path:
    path = Path(text)
    return path.parent if path.name == "møde.yaml" and path.is_file() else path


def _templates(args: argparse.Namespace) -> list[Path]:
    return [Path(p) for p in getattr(args, "skabeloner", None) or []]


def cmd_send(args: argparse.Namespace) -> int:
    from ..app.send import send

    folder = _folder(args.mappe)
    result = send(folder, _templates(args))
    print_report(result.report)
    if result.version is None:
        assert result.unchanged_since is not None
        print(f"intet er ændret siden den udsendte {result.unchanged_since.label}; intet udsendt")
        return 0
    for name in result.files:
        print(f"skrev {escape(result.version.folder / name)}")
    ch = result.changes
    if result.version.number > 1:
        print(f"udsendt som udgave {result.version.number} (revideret dagsorden"
              + (", tillægsdagsorden" if ch.new or ch.changed else "") + ")")
    else:
        print(f"udsendt som udgave 1 i {escape(result.version.folder)}")
    return 0


def _states(folder: Path, args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from ..lifecycle.versions import find_version, folder_state, sent_versions

    def now():  # type: ignore[no-untyped-def]
        return folder_state(folder)

    versions = sent_versions(folder)
    if args.fra is not None:
        old = find_version(folder, args.fra).state()
    elif versions:
        old = versions[-1].state()
    else:
        raise InputError("mødet er ikke udsendt endnu (ingen udgaver i udsendt/); kør 'referat send' først, "
                           "eller angiv --fra", _loc(folder))
    new = find_version(folder, args.til).state() if args.til is not None else now()
    return old, new


def _loc(folder: Path):  # type: ignore[no-untyped-def]
    from ..diagnostics import Location

    return Location(folder)


def cmd_diff(args: argparse.Namespace) -> int:
    from ..lifecycle.diff import diff_states, terminal_lines

    folder = _folder(args.mappe)
    if not (folder / "møde.yaml").is_file():
        raise InputError("mappen har ingen møde.yaml", _loc(folder))
    old, new = _states(folder, args)
    diff = diff_states(old, new)
    colour = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    for line in terminal_lines(diff, colour):
        print(line)
    if args.rettelsesblad:
        from ..app.build import output_dir
        from ..app.pipeline import check_folder, write_view
        from ..fileio import write_all
        from ..lifecycle.diff import errata_view
        from ..view.document import document_view

        meeting, report = check_folder(folder, _templates(args))
        if meeting is None or "profil" in meeting.broken:
            print_report(report)
            raise InputError("rettelsesbladet kan ikke skrives, fordi mødet ikke kan læses (se ovenfor)",
                               _loc(folder / "møde.yaml"))
        view = errata_view(document_view(meeting, "dagsorden"), diff)
        files = write_view(meeting, view, "rettelsesblad")
        target = output_dir(folder, Path(args.out) if args.out else None)
        write_all({target / name: data for name, data in files.items()})
        for name in files:
            print(f"skrev {escape(target / name)}")
    return 0


def cmd_minutes(args: argparse.Namespace) -> int:
    from ..app import pipeline
    from ..lifecycle.minutes import to_minutes

    folder = _folder(args.mappe)
    checked = pipeline.load(folder, _templates(args))
    result = to_minutes(folder, checked.meeting, checked.report)
    print_report(result.report)
    for path in result.written:
        print(f"rettede {escape(path)}")
    if result.attendance_filled:
        members = count(result.attendance_filled, "medlem er sat", "medlemmer er sat")
        print(f"fremmøde: {members} som til stede ud fra medlemslisten; ret det "
              "til det faktiske fremmøde")
    print("Mødet står nu i fasen 'referat'. Ret beslutningerne, og byg referatet med "
          f"'referat build {escape(args.mappe)}'.")
    return 0


def gather_tasks(folders: list[Path], archive: Path | None, templates: list[Path]):  # type: ignore[no-untyped-def]
    """Every task from the archive and the named meeting folders, with a report of what could not be read."""
    from ..app.pipeline import check_folder
    from ..diagnostics import Report
    from ..lifecycle.followup import from_archive, from_meeting

    report = Report()
    tasks = []
    if archive is not None and archive.is_dir():
        tasks += from_archive(archive, report)
    for folder in folders:
        meeting, found = check_folder(folder, templates)
        if meeting is None or found.has_errors:
            report.items.extend(found.items)
            continue
        tasks += from_meeting(meeting)
    return tasks, report


def cmd_followup(args: argparse.Namespace) -> int:
    import csv
    import io

    from ..csvcell import csv_text
    from ..lifecycle.followup import open_tasks
    from ..text.richtext import printable

    archive = Path(args.arkiv) if args.arkiv else Path("arkiv")
    if args.arkiv and not archive.is_dir():
        raise ArchiveError("arkivet findes ikke", _loc(archive))
    folders = [_folder(f) for f in args.mapper]
    tasks, report = gather_tasks(folders, archive, _templates(args))
    if report.has_errors:
        raise InputError(report)
    print_report(report, summary=False)
    today = dt.date.today()
    found = open_tasks(tasks, today)
    if args.csv:
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
        writer.writerow(["frist", "overskredet", "opgave", "ansvarlig", "status", "udvalg", "møde", "punkt",
                         "punktets titel", "kilde"])
        for t in found:
            writer.writerow([csv_text(c) for c in (t.deadline, "ja" if t.overdue(today) else "nej", t.task,
                                                   t.responsible, t.status, t.committee, t.meeting_date,
                                                   t.item_number, t.item_title, t.source)])
        sys.stdout.write(buf.getvalue())
        return 0
    for t in found:
        late = "OVERSKREDET " if t.overdue(today) else ""
        print(printable(f"{late}frist {short_iso_date(t.deadline)}: {t.task} – ansvarlig: {t.responsible} "
                        f"(møde {short_iso_date(t.meeting_date)}, punkt {t.item_number}: {t.item_title})").replace("\n", " "))
    print(count(len(found), "åben opgave", "åbne opgaver"))
    return 0


def _archive_root(args: argparse.Namespace) -> Path:
    root = Path(args.arkiv)
    if not root.is_dir():
        raise ArchiveError("arkivet findes ikke", _loc(root))
    return root


def cmd_correction_build(args: argparse.Namespace) -> int:
    from ..app.build import output_dir
    from ..app.correction import build
    from ..fileio import write_all

    root = _archive_root(args)
    files, original, _, checked = build(_folder(args.mappe), Path(args.rettelse), root, _templates(args))
    print_report(checked.report, summary=False)
    target = output_dir(_folder(args.mappe), Path(args.out) if args.out else None)
    write_all({target / name: data for name, data in files.items()})
    for name in files:
        print(f"skrev {escape(target / name)}")
    print(f"retter {escape(original.pdf)}; underskriv rettelse.pdf med 'referat sign', og arkivér den med "
          "'referat correction archive'")
    return 0


def cmd_correction_archive(args: argparse.Namespace) -> int:
    from ..app.correction import archive

    root = _archive_root(args)
    stored = archive(_folder(args.mappe), Path(args.rettelse), Path(args.pdf), root,
                     [Path(p) for p in args.rodcertifikat or []], args.tillad_selvsigneret, _templates(args))
    print(f"arkiverede {escape(stored.folder / stored.manifest['fil'])} som rettelse {stored.number} til "
          f"{escape(stored.manifest['retter'])}; det rettede referat er urørt")
    return 0


def register(command: Command) -> None:
    p = command("send", cmd_send, "Udsend dagsordenen: byg den og pakken, og gem dem uændret med mødets data "
                                  "som en udgave i udsendt/.")
    p.add_argument("mappe", help="mødets mappe")
    p.add_argument("--skabeloner", action="append", metavar="MAPPE", help="ekstra mappe med templates/udvalg/")

    p = command("diff", cmd_diff, "Vis, hvad der er ændret mellem to udsendte udgaver eller siden den seneste.")
    p.add_argument("mappe", help="mødets mappe")
    p.add_argument("--fra", metavar="UDGAVE", help="udgave at sammenligne fra (standard: den seneste udsendte)")
    p.add_argument("--til", metavar="UDGAVE", help="udgave at sammenligne til (standard: mappen nu)")
    p.add_argument("--rettelsesblad", action="store_true",
                   help="skriv også rettelsesblad.pdf og rettelsesblad.docx til outputmappen")
    p.add_argument("--out", metavar="MAPPE", help="outputmappe (standard: output/<mødets mappe>/)")
    p.add_argument("--skabeloner", action="append", metavar="MAPPE", help="ekstra mappe med templates/udvalg/")

    p = command("to-minutes", cmd_minutes, "Gør dagsordenen til et referat: fase: referat, en beslutning i hvert "
                                           "punkt (udvalgets standardformulering) og det planlagte fremmøde.",
                aliases=["til-referat"])
    p.add_argument("mappe", help="mødets mappe")
    p.add_argument("--skabeloner", action="append", metavar="MAPPE", help="ekstra mappe med templates/udvalg/")

    p = command("follow-up", cmd_followup, "Vis de åbne opgaver fra beslutningerne på tværs af møder; "
                                          "overskredne først.", aliases=["opfølgning"])
    p.add_argument("mapper", nargs="*", metavar="MAPPE", help="mødemapper, hvis opgaver også tages med")
    p.add_argument("--arkiv", metavar="MAPPE", help="arkivets mappe (standard: arkiv/, hvis den findes)")
    p.add_argument("--csv", action="store_true", help="skriv listen som CSV (semikolon) på skærmen")
    p.add_argument("--skabeloner", action="append", metavar="MAPPE", help="ekstra mappe med templates/udvalg/")

    p = command("correction", lambda a: a.rettelse_func(a), "Ret et underskrevet, arkiveret referat med en rettelse, "
                                                            "der selv underskrives og arkiveres ved siden af.",
                aliases=["rettelse"])
    sub = p.add_subparsers(dest="rettelse_command", metavar="HANDLING", parser_class=type(p))
    sub.required = True
    text = "Byg dokumentet 'Rettelse til referat af …' (PDF og Word)."
    b = sub.add_parser("build", aliases=["byg"], help=text, description=text)
    b.add_argument("mappe", help="mødets mappe")
    b.add_argument("rettelse", metavar="RETTELSE.yaml", help="rettelsen: rettet_af, begrundelse, rettelser")
    b.add_argument("--arkiv", default="arkiv", metavar="MAPPE", help="arkivets mappe (standard: arkiv/)")
    b.add_argument("--out", metavar="MAPPE", help="outputmappe (standard: output/<mødets mappe>/)")
    b.add_argument("--skabeloner", action="append", metavar="MAPPE", help="ekstra mappe med templates/udvalg/")
    b.set_defaults(rettelse_func=cmd_correction_build)
    text = "Arkivér den underskrevne rettelse ved siden af referatet, den retter."
    a = sub.add_parser("archive", aliases=["arkivér"], help=text, description=text)
    a.add_argument("mappe", help="mødets mappe")
    a.add_argument("rettelse", metavar="RETTELSE.yaml", help="rettelsen, som dokumentet er bygget af")
    a.add_argument("pdf", metavar="UNDERSKREVET.pdf", help="den underskrevne rettelse")
    a.add_argument("--arkiv", default="arkiv", metavar="MAPPE", help="arkivets mappe (standard: arkiv/)")
    a.add_argument("--rodcertifikat", action="append", metavar="FIL.pem", help="betroet rodcertifikat (kan gentages)")
    a.add_argument("--tillad-selvsigneret", action="store_true", help="acceptér et selvsigneret certifikat")
    a.add_argument("--skabeloner", action="append", metavar="MAPPE", help="ekstra mappe med templates/udvalg/")
    a.set_defaults(rettelse_func=cmd_correction_archive)
