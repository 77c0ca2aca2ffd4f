"""`referat send|diff|til-referat|opfølgning`: the meeting's life after its first build."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

from ..diagnostics import ReferatError, escape, print_report

Command = Callable[..., argparse.ArgumentParser]


def _folder(text: str) -> Path:
    path = Path(text)
    return path.parent if path.name == "møde.yaml" and path.is_file() else path


def _templates(args: argparse.Namespace) -> list[Path]:
    return [Path(p) for p in getattr(args, "skabeloner", None) or []]


def cmd_send(args: argparse.Namespace) -> int:
    from .send import send

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
    from ..load.meeting import MEETING_FILE
    from .versions import current_state, find_version, item_order, sent_versions

    def now():  # type: ignore[no-untyped-def]
        from .versions import _read

        return current_state(folder, item_order(_read(folder / MEETING_FILE), folder / MEETING_FILE))

    versions = sent_versions(folder)
    if args.fra is not None:
        old = find_version(folder, args.fra).state()
    elif versions:
        old = versions[-1].state()
    else:
        raise ReferatError("mødet er ikke udsendt endnu (ingen udgaver i udsendt/); kør 'referat send' først, "
                           "eller angiv --fra", _loc(folder))
    new = find_version(folder, args.til).state() if args.til is not None else now()
    return old, new


def _loc(folder: Path):  # type: ignore[no-untyped-def]
    from ..diagnostics import Location

    return Location(folder)


def cmd_diff(args: argparse.Namespace) -> int:
    from .diff import diff_states, terminal_lines

    folder = _folder(args.mappe)
    if not (folder / "møde.yaml").is_file():
        raise ReferatError("mappen har ingen møde.yaml", _loc(folder))
    old, new = _states(folder, args)
    diff = diff_states(old, new)
    colour = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    for line in terminal_lines(diff, colour):
        print(line)
    if args.rettelsesblad:
        from ..fileio import write_all
        from ..render.build import output_dir
        from ..render.view import document_view
        from ..validate import check_meeting
        from .diff import errata_view
        from .send import render_view

        meeting, report = check_meeting(folder, _templates(args))
        if meeting is None or "profil" in meeting.broken:
            print_report(report)
            raise ReferatError("rettelsesbladet kan ikke skrives, fordi mødet ikke kan læses (se ovenfor)",
                               _loc(folder / "møde.yaml"))
        view = errata_view(document_view(meeting, "dagsorden"), diff)
        files = render_view(meeting, view, "rettelsesblad")
        target = output_dir(folder, Path(args.out) if args.out else None)
        write_all({target / name: data for name, data in files.items()})
        for name in files:
            print(f"skrev {escape(target / name)}")
    return 0


def cmd_minutes(args: argparse.Namespace) -> int:
    from .minutes import to_minutes

    folder = _folder(args.mappe)
    result = to_minutes(folder, _templates(args))
    print_report(result.report)
    for path in result.written:
        print(f"rettede {escape(path)}")
    if result.attendance_filled:
        print(f"fremmøde: {result.attendance_filled} medlemmer er sat som til stede ud fra medlemslisten; ret det "
              "til det faktiske fremmøde")
    print("Mødet står nu i fasen 'referat'. Ret beslutningerne, og byg referatet med "
          f"'referat build {escape(args.mappe)}'.")
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

    p = command("til-referat", cmd_minutes, "Gør dagsordenen til et referat: fase: referat, en beslutning i hvert "
                                            "punkt (udvalgets standardformulering) og det planlagte fremmøde.")
    p.add_argument("mappe", help="mødets mappe")
    p.add_argument("--skabeloner", action="append", metavar="MAPPE", help="ekstra mappe med templates/udvalg/")
