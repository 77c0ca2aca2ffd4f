"""`referat tariffs validate|summary|render|import|template` (also by the earlier names `takster`,
`opsummering`, `skabelon`)."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path

from ..diagnostics import Report, UsageError, count, print_report, say
from ..errors import EXIT_INVALID, EXIT_OK, InputError


def _tolerance(args: argparse.Namespace) -> float:
    """The formula tolerance of the committee profile named by --udvalg (the project's own profiles only)."""
    import re

    from ..load.profile import missing_profile, profile_path, read_profile, template_dirs

    if not re.fullmatch(r"[a-z0-9æøå][a-z0-9æøå_-]{0,63}", args.udvalg):  # an id, never a path
        from ..text.richtext import printable

        raise UsageError(f"--udvalg '{printable(args.udvalg[:40])}' er ikke et profil-id; brug fx das-social")
    dirs = template_dirs()
    path = profile_path(args.udvalg, dirs)
    if path is None:  # a wrong id on the command line: usage
        raise UsageError(missing_profile(args.udvalg, dirs))
    report = Report()
    profile = read_profile(path, report)
    if profile is None:
        raise InputError(report)  # the profile exists but does not read: its messages name its lines
    return profile.tariff_tolerance_pct


def _say_readings(lines: list[str]) -> None:
    """How each section's (or workbook's) numbers were read: the run's summary of number conventions."""
    from ..text.richtext import printable

    if lines:
        say("Talformat pr. driftsherre:")
        for line in lines:
            print(printable(f"  {line}").replace("\n", " "))


def cmd_validate(args: argparse.Namespace) -> int:
    from ..takster.annex import check_file, number_readings
    from ..takster.summary import summarise, text_lines
    from ..text.richtext import printable

    tb, findings, report = check_file(Path(args.fil), _tolerance(args))
    print_report(report)
    if tb is not None:
        if args.alle:
            explained = [f for f in findings if f.explained and f.highlight]
            if explained:
                say("Forklarede afvigelser (skal godkendes):")
                for f in explained:
                    print(printable(f"{f.location.format()}: forklaret: {f.text()}").replace("\n", " "))
        say("Oversigt pr. driftsherre (forklaret/uforklaret):")
        for line in text_lines(summarise(tb, findings)):
            print(printable(line).replace("\n", " "))
        _say_readings(number_readings(tb))
        if not args.alle and any(f.explained and f.highlight for f in findings):
            say("(de forklarede afvigelser vises med --alle)")
    if not report.has_errors:
        say(f"{args.fil}: gyldig" + (" (med advarsler)" if report.items else ""))
    return EXIT_INVALID if report.has_errors else EXIT_OK


def cmd_summary(args: argparse.Namespace) -> int:
    from ..fileio import write_atomic
    from ..takster.annex import check_file
    from ..takster.summary import markdown

    tb, findings, report = check_file(Path(args.fil), _tolerance(args))
    if tb is None:
        raise InputError(report)
    print_report(report)
    text = markdown(tb, findings)
    if args.out:
        write_atomic(Path(args.out), text)
        say(f"skrev {args.out}")
    else:
        print(text, end="")
    return EXIT_INVALID if report.has_errors else EXIT_OK  # the overview is written; the errors above still need fixing


def cmd_render(args: argparse.Namespace) -> int:
    from ..fileio import write_all
    from ..takster.annex import FORMATS, number_readings, render_checked

    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise UsageError(f"ukendt format: {', '.join(unknown) or '(intet)'}; brug {', '.join(FORMATS)}")
    path = Path(args.fil)
    from ..progress import progress

    with progress("Takster {n}/{total}: {detail}", len(formats) + 1) as shown:
        rendered = render_checked(path, formats, args.godkendt, tolerance_pct=_tolerance(args), shown=shown)
    out = Path(args.out) if args.out else Path("output") / "takster"
    targets = {out / f"{path.stem}.{fmt}": data for fmt, data in rendered.files.items()}
    write_all(targets)
    _say_readings(number_readings(rendered.takstbilag))
    marked = len(rendered.report.items)
    if marked:
        say(f"{count(marked, 'advarsel', 'advarsler')} (markeret i takstbilaget; se dem med: referat tariffs validate "
            f"{args.fil})")
    for target in targets:
        say(f"skrev {target}")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from ..fileio import write_atomic
    from ..progress import progress
    from ..takster.importer import import_workbooks

    with progress("Takster: {n}/{total} rækker: {detail}", 0) as shown:
        result = import_workbooks([Path(p) for p in args.xlsx], args.år, shown)
    print_report(result.report)
    _say_readings(result.readings)
    if result.text is None:
        return EXIT_INVALID
    write_atomic(Path(args.out), _with_modeline(Path(args.out), result.text))
    say(f"skrev {args.out} ({count(result.rows, 'række', 'rækker')})")
    return EXIT_INVALID if result.report.has_errors else EXIT_OK


def _with_modeline(out: Path, text: str) -> str:
    """The imported YAML with a modeline that points at the project's takstbilag schema from where it is written
    (none outside a project), so an editor finds the schema wherever `--out` puts the file."""
    from ..app.scaffold import modeline, schema_dir_for

    first, _, rest = text.partition("\n")
    if not first.startswith("# yaml-language-server:"):
        return text
    target = out.absolute()
    schemas = schema_dir_for(next(p for p in target.parents if p.is_dir()))
    return rest if schemas is None else modeline(target, schemas, "takstbilag") + rest


def cmd_template(args: argparse.Namespace) -> int:
    from ..fileio import write_atomic
    from ..takster.template import blank_workbook

    write_atomic(Path(args.out), blank_workbook())
    say(f"skrev {args.out}")
    return EXIT_OK


def register(command: Callable[..., argparse.ArgumentParser]) -> None:
    p = command("tariffs", lambda a: a.takst_func(a), "Takstbilag: importér, kontrollér og gengiv.",
                aliases=["takster"])
    sub = p.add_subparsers(dest="takst_command", metavar="HANDLING", parser_class=type(p))
    sub.required = True

    def action(name: str, text: str, aliases: Sequence[str] = ()) -> argparse.ArgumentParser:
        """A subcommand whose one-line help is also what its own --help says."""
        return sub.add_parser(name, help=text, description=text, aliases=list(aliases))

    v = action("validate", "Kontrollér et takstbilag mod Styringsaftalens regler.")
    v.add_argument("fil", help="takstbilag (YAML)")
    v.add_argument("--alle", action="store_true", help="vis også de forklarede afvigelser (de skal godkendes)")
    v.add_argument("--udvalg", default="das-social", metavar="ID",
                   help="udvalgsprofilen, hvis tolerance for takstberegningen gælder (standard: das-social)")
    v.set_defaults(takst_func=cmd_validate)

    o = action("summary", "Skriv oversigten pr. driftsherre som Markdown til takstpunktet.", ["opsummering"])
    o.add_argument("fil", help="takstbilag (YAML)")
    o.add_argument("--out", metavar="FIL.md", help="skriv oversigten til en fil (standard: skærmen)")
    o.add_argument("--udvalg", default="das-social", metavar="ID",
                   help="udvalgsprofilen, hvis tolerance for takstberegningen gælder (standard: das-social)")
    o.set_defaults(takst_func=cmd_summary)

    r = action("render", "Gengiv takstbilaget som PDF, Word, CSV og/eller Excel.")
    r.add_argument("fil", help="takstbilag (YAML)")
    r.add_argument("--format", default="pdf", help="kommasepareret: pdf, docx, csv, xlsx (standard: pdf)")
    r.add_argument("--out", metavar="MAPPE", help="outputmappe (standard: output/takster/)")
    r.add_argument("--godkendt", metavar="TEKST", help="godkendelseslinje, fx \"Godkendt af DAS den 17. november 2025\"")
    r.add_argument("--udvalg", default="das-social", metavar="ID",
                   help="udvalgsprofilen, hvis tolerance for takstberegningen gælder (standard: das-social)")
    r.set_defaults(takst_func=cmd_render)

    i = action("import", "Importér takstskemaer (Excel) til et takstbilag (YAML).")
    i.add_argument("xlsx", nargs="+", help="et eller flere takstskemaer")
    i.add_argument("--out", required=True, metavar="FIL.yaml", help="takstbilaget, der skrives")
    i.add_argument("--år", type=int, help="takståret (standard: fra skemaet)")
    i.set_defaults(takst_func=cmd_import)

    t = action("template", "Skriv et tomt takstskema (Excel) til driftsherrerne.", ["skabelon"])
    t.add_argument("--out", default="templates/takstskema.xlsx", metavar="FIL.xlsx",
                   help="filen, der skrives (standard: templates/takstskema.xlsx)")
    t.set_defaults(takst_func=cmd_template)
