"""`referat takster import|validate|render`."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from ..diagnostics import UsageError, print_report


def cmd_validate(args: argparse.Namespace) -> int:
    from .annex import check_file

    _, _, report = check_file(Path(args.fil))
    print_report(report)
    if not report.has_errors:
        print(f"{args.fil}: gyldig" + (" (med advarsler)" if report.items else ""))
    return 1 if report.has_errors else 0


def cmd_render(args: argparse.Namespace) -> int:
    from ..fileio import write_all
    from .annex import FORMATS, render_annex

    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise UsageError(f"ukendt format: {', '.join(unknown) or '(intet)'}; brug {', '.join(FORMATS)}")
    path = Path(args.fil)
    files = render_annex(path, formats, args.godkendt)
    out = Path(args.out) if args.out else Path("output") / "takster"
    targets = {out / f"{path.stem}.{fmt}": data for fmt, data in files.items()}
    write_all(targets)
    for target in targets:
        print(f"skrev {target}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from ..fileio import write_atomic
    from .importer import import_workbooks

    result = import_workbooks([Path(p) for p in args.xlsx], args.år)
    print_report(result.report)
    if result.text is None:
        return 1
    write_atomic(Path(args.out), result.text)
    print(f"skrev {args.out} ({result.rows} rækker)")
    return 1 if result.report.has_errors else 0


def cmd_template(args: argparse.Namespace) -> int:
    from ..fileio import write_atomic
    from .template import blank_workbook

    write_atomic(Path(args.out), blank_workbook())
    print(f"skrev {args.out}")
    return 0


def register(command: Callable[..., argparse.ArgumentParser]) -> None:
    p = command("takster", lambda a: a.takst_func(a), "Takstbilag: importér, kontrollér og gengiv.")
    sub = p.add_subparsers(dest="takst_command", metavar="HANDLING", parser_class=type(p))
    sub.required = True

    v = sub.add_parser("validate", help="Kontrollér et takstbilag mod Styringsaftalens regler.")
    v.add_argument("fil", help="takstbilag (YAML)")
    v.set_defaults(takst_func=cmd_validate)

    r = sub.add_parser("render", help="Gengiv takstbilaget som PDF, Word, CSV og/eller Excel.")
    r.add_argument("fil", help="takstbilag (YAML)")
    r.add_argument("--format", default="pdf", help="kommasepareret: pdf, docx, csv, xlsx (standard: pdf)")
    r.add_argument("--out", metavar="MAPPE", help="outputmappe (standard: output/takster/)")
    r.add_argument("--godkendt", metavar="TEKST", help="godkendelseslinje, fx \"Godkendt af DAS den 17. november 2025\"")
    r.set_defaults(takst_func=cmd_render)

    i = sub.add_parser("import", help="Importér takstskemaer (Excel) til et takstbilag (YAML).")
    i.add_argument("xlsx", nargs="+", help="et eller flere takstskemaer")
    i.add_argument("--out", required=True, metavar="FIL.yaml", help="takstbilaget, der skrives")
    i.add_argument("--år", type=int, help="takståret (standard: fra skemaet)")
    i.set_defaults(takst_func=cmd_import)

    t = sub.add_parser("skabelon", help="Skriv et tomt takstskema (Excel) til driftsherrerne.")
    t.add_argument("--out", default="templates/takstskema.xlsx", metavar="FIL.xlsx")
    t.set_defaults(takst_func=cmd_template)
