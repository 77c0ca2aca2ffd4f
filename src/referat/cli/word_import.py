"""`referat import SAG.docx… --til MØDEMAPPE`: contributions from Word become items of a meeting."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from ..diagnostics import escape, print_report
from ..errors import EXIT_OK

Command = Callable[..., argparse.ArgumentParser]


def _after(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"'{text}' er ikke et punktnummer (0 = først)")
    return int(text)


def cmd_import(args: argparse.Namespace) -> int:
    from ..app.word_import import import_word

    folder = Path(args.til)
    if folder.name == "møde.yaml" and folder.is_file():
        folder = folder.parent
    result = import_word([Path(p) for p in args.dokumenter], folder, args.efter,
                         [Path(p) for p in args.bilag or []], args.accepter_aendringer,
                         [Path(p) for p in getattr(args, "skabeloner", None) or []])
    print_report(result.report)
    for line in result.lines:
        print(escape(line))
    print(f"Gennemse punkterne, og kør 'referat validate {escape(folder)}'.")
    return EXIT_OK


def register(command: Command) -> None:
    p = command("import", cmd_import, "Importér sagsfremstillinger fra Word (.docx) som punkter på et møde.",
                aliases=["indlæs"])
    p.add_argument("dokumenter", nargs="+", metavar="SAG.docx", help="Word-dokumenterne (ét punkt pr. dokument)")
    p.add_argument("--til", required=True, metavar="MØDEMAPPE", help="mødets mappe (eller dets møde.yaml)")
    p.add_argument("--efter", type=_after, metavar="N",
                   help="sæt punkterne ind efter punkt N (0 = først; standard: sidst)")
    p.add_argument("--bilag", nargs="+", metavar="FIL",
                   help="filer, som dokumenternes bilagsafsnit kan nævne (ud over dem ved siden af dokumentet)")
    p.add_argument("--accepter-ændringer", dest="accepter_aendringer", action="store_true",
                   help="acceptér sporede ændringer (uden: et dokument med sporede ændringer afvises med en liste "
                        "over dem)")
    p.add_argument("--skabeloner", action="append", metavar="MAPPE", help="ekstra mappe med templates/udvalg/")
