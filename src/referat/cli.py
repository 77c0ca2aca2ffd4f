"""The `referat` command: every user error ends here as a Danish `path:line:col: fejl: …` line."""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import importlib.util
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from . import __version__
from .diagnostics import ReferatError, UsageError, print_report

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_OUTPUT, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


class _Parser(argparse.ArgumentParser):
    """argparse with Danish error lines and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"referat: fejl: {_danish_argparse(message)}\n")


def _danish_argparse(message: str) -> str:
    replacements = {
        "the following arguments are required": "disse argumenter mangler",
        "invalid choice": "ugyldigt valg",
        "choose from": "vælg mellem",
        "unrecognized arguments": "ukendte argumenter",
        "expected one argument": "forventer én værdi",
        "argument ": "argument ",
    }
    for en, da in replacements.items():
        message = message.replace(en, da)
    return message


def cmd_validate(args: argparse.Namespace) -> int:
    from .validate import check_meeting

    _, report = check_meeting(Path(args.mappe), _templates(args))
    print_report(report)
    if not report.has_errors:
        print(f"{args.mappe}: gyldig" + (" (med advarsler)" if report.items else ""))
    return EXIT_INVALID if report.has_errors else EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from .schema import SCHEMAS, schema_file_name, schema_text

    if args.skriv:
        from .fileio import write_atomic

        kinds = [args.type] if args.type else list(SCHEMAS)
        for kind in kinds:
            target = Path(args.skriv) / schema_file_name(kind)
            write_atomic(target, schema_text(kind))
            print(f"skrev {target}")
        return EXIT_OK
    sys.stdout.write(schema_text(args.type or "møde"))
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    from .scaffold import new_meeting

    date = args.dato or (dt.date.today() + dt.timedelta(days=14))
    written = new_meeting(Path(args.mappe), args.udvalg, date, args.start, args.slut, args.sted, _templates(args))
    for path in written:
        print(f"oprettede {path}")
    print(f"Ret filerne, og kør derefter 'referat validate {args.mappe}'.")
    return EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    from .render.build import FORMATS, build

    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise UsageError(f"ukendt format: {', '.join(unknown) or '(intet)'}; brug {', '.join(FORMATS)}")
    result = build(Path(args.mappe), args.dokument, formats, args.offentlig,
                   Path(args.out) if args.out else None, args.pdf_motor, _templates(args))
    print_report(result.report)
    for path in result.written:
        print(f"skrev {path}")
    return EXIT_OK


def cmd_packet(args: argparse.Namespace) -> int:
    from .fileio import write_all
    from .packet.assemble import write_packets
    from .render.build import kinds_for, load_valid, output_dir, render_documents

    folder = Path(args.mappe)
    meeting, report = load_valid(folder, _templates(args))
    kinds = kinds_for(meeting, args.dokument)
    editions = [False, True] if args.offentlig else [False]
    files = render_documents(meeting, kinds, ["pdf"], editions)
    files.update(write_packets(meeting, kinds, editions, report))
    print_report(report)
    target = output_dir(folder, Path(args.out) if args.out else None)
    write_all({target / name: data for name, data in files.items()})
    for name in files:
        print(f"skrev {target / name}")
    return EXIT_OK


def _templates(args: argparse.Namespace) -> list[Path]:
    return [Path(p) for p in getattr(args, "skabeloner", None) or []]


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' er ikke en dato (ÅÅÅÅ-MM-DD)") from None


def _templates_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--skabeloner", action="append", metavar="MAPPE", help="ekstra mappe med templates/udvalg/")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="referat", description="Dagsordener, referater og takstbilag fra YAML.")
    parser.add_argument("--version", action="version", version=f"referat {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="KOMMANDO", parser_class=_Parser)
    sub.required = True

    def command(name: str, func: Callable[[argparse.Namespace], int], help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.set_defaults(func=func)
        return p

    p = command("validate", cmd_validate, "Kontrollér et møde: alle fejl og advarsler på én gang.")
    p.add_argument("mappe", help="mødets mappe")
    _templates_option(p)

    p = command("schema", cmd_schema, "Udskriv JSON Schema for møde-, punkt- eller profilfiler.")
    p.add_argument("type", nargs="?", choices=["møde", "punkt", "profil", "takstbilag"], help="hvilket skema (standard: møde)")
    p.add_argument("--skriv", metavar="MAPPE", help="skriv skemaerne som filer i MAPPE")

    p = command("new", cmd_new, "Opret et nyt møde med udvalgets standardpunkter.")
    p.add_argument("mappe", help="ny mappe til mødet")
    p.add_argument("--udvalg", default="das-social", help="udvalgsprofil (standard: das-social)")
    p.add_argument("--dato", type=_date, help="mødedato ÅÅÅÅ-MM-DD (standard: om 14 dage)")
    p.add_argument("--start", default="12.00", help="starttid (standard: 12.00)")
    p.add_argument("--slut", default="16.00", help="sluttid (standard: 16.00)")
    p.add_argument("--sted", help="lokale og adresse (uden: online-møde)")
    _templates_option(p)

    p = command("build", cmd_build, "Byg dagsorden og referat som Word og PDF.")
    p.add_argument("mappe", help="mødets mappe")
    p.add_argument("--dokument", choices=["dagsorden", "referat", "alle"],
                   help="hvilke dokumenter (standard: alle, som mødets fase tillader)")
    p.add_argument("--format", default="docx,pdf", help="kommasepareret: docx, pdf, txt (standard: docx,pdf)")
    p.add_argument("--offentlig", action="store_true", help="byg også de offentlige udgaver (uden lukkede punkter)")
    p.add_argument("--out", metavar="MAPPE", help="outputmappe (standard: output/<mødets mappe>/)")
    p.add_argument("--pdf-motor", choices=["typst", "libreoffice"], default="typst",
                   help="typst (indbygget, standard) eller libreoffice (konverterer Word-filen)")
    _templates_option(p)

    p = command("packet", cmd_packet, "Byg dagsordenspakken / referat med bilag: én PDF med alle bilag.")
    p.add_argument("mappe", help="mødets mappe")
    p.add_argument("--dokument", choices=["dagsorden", "referat", "alle"],
                   help="hvilke pakker (standard: alle, som mødets fase tillader)")
    p.add_argument("--offentlig", action="store_true", help="byg også de offentlige udgaver")
    p.add_argument("--out", metavar="MAPPE", help="outputmappe (standard: output/<mødets mappe>/)")
    _templates_option(p)

    for module in _COMMAND_MODULES:  # features that bring their own commands (archive, tariffs)
        if importlib.util.find_spec(__package__ + module) is not None:
            importlib.import_module(module, __package__).register(command)
    return parser


_COMMAND_MODULES = (".archive.commands", ".takster.commands")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except ReferatError as exc:
        print_report(exc.report)
        return exc.exit_code
    except UsageError as exc:
        print(f"referat: fejl: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("referat: afbrudt; tidligere filer er urørte", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK


def entry() -> None:
    sys.exit(main())


if __name__ == "__main__":
    entry()
