"""The `referat` command: every user error ends here as a Danish `path:line:col: fejl: …` line."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import errno
import importlib
import importlib.util
import re
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn

from .. import __version__
from ..diagnostics import escape, print_report
from ..errors import (
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_INVALID,
    EXIT_OK,
    EXIT_OUTPUT,
    EXIT_TERMINATED,
    EXIT_USAGE,
    ReferatError,
    UsageError,
    internal_error,
)

MEETING_FILE = "møde.yaml"

__all__ = ["EXIT_INTERNAL", "EXIT_INTERRUPTED", "EXIT_INVALID", "EXIT_OK", "EXIT_OUTPUT", "EXIT_TERMINATED",
           "EXIT_USAGE", "build_parser", "entry", "main"]  # the exit codes are referat.errors', documented in README


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised as Ctrl+C is (see `_terminate_as_interrupt`), so that every cleanup Ctrl+C runs runs for it
    too."""


def _on_stack(frame: Any, found: Callable[[Any], bool]) -> bool:
    """Whether a frame from `frame` outwards is one `found` recognises."""
    while frame is not None:
        if found(frame.f_code):
            return True
        frame = frame.f_back
    return False


def _importing(frame: Any) -> bool:
    """Whether Python's import system is on the stack: a module is being loaded (a native one may be running
    its initialisation, calling back into Python)."""
    return _on_stack(frame, lambda code: code.co_filename.startswith("<frozen importlib"))


def _in_command(frame: Any) -> bool:
    """Whether the command is running (`_run` is on the stack), so that an exception raised here is its to handle."""
    return _on_stack(frame, lambda code: code is _run.__code__)


_RETRY = 0.05  # seconds before a signal that arrived during an import is delivered again


@dataclasses.dataclass
class _Stop:
    """A stop that arrived during an import and is still to be delivered (`pending`: its signal number)."""

    pending: int | None = None
    timer: threading.Timer | None = None


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[_Stop]:
    """While the command runs, SIGTERM (a service manager stopping it, `kill`) ends it like Ctrl+C, and neither
    interrupts an import.

    The exception is raised where the program is, so that every cleanup Ctrl+C runs (temporary files removed,
    earlier outputs left as they were) runs for SIGTERM too — except inside the import system: raised while a
    native module initialises (pikepdf's enums are made by Python code that its C++ calls), it cannot be
    unwound and the process aborts with no cleanup at all, leaving the meeting's send lock behind. A signal that
    arrives there is sent again a moment later, until it lands outside an import; one still pending when the
    command has finished is the caller's to report (`_Stop.pending`), never lost.
    """
    stop = _Stop()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return
    stopping = False

    def handler(signum: int, frame: Any) -> None:
        nonlocal stopping
        if stopping and signum == signal.SIGTERM:  # a second SIGTERM may not cut the first one's cleanup short
            return  # (a second Ctrl+C may: the user insists)
        if not _in_command(frame):  # before the command began or after it ended: the caller reports it
            stop.pending = signum
            return
        if _importing(frame):
            stop.pending = signum
            if stop.timer is None or not stop.timer.is_alive():
                stop.timer = threading.Timer(_RETRY, signal.raise_signal, (signum,))
                stop.timer.daemon = True
                stop.timer.start()
            return
        stop.pending, stopping = None, True
        raise Terminated if signum == signal.SIGTERM else KeyboardInterrupt

    previous: dict[int, Any] = {}
    try:
        previous[signal.SIGTERM] = signal.signal(signal.SIGTERM, handler)
        if signal.getsignal(signal.SIGINT) is signal.default_int_handler:  # not where Ctrl+C is ignored (nohup)
            previous[signal.SIGINT] = signal.signal(signal.SIGINT, handler)
    except (ValueError, OSError, AttributeError):  # pragma: no cover - no SIGTERM on this platform
        for signum, old in previous.items():
            signal.signal(signum, old)
        yield stop
        return
    try:
        yield stop
    finally:
        if stop.timer is not None:  # the retry must not reach the previous handler (it would kill the process)
            stop.timer.cancel()
        for signum, old in previous.items():
            signal.signal(signum, old)


# argparse's own words, in Danish. argparse looks them up through gettext at the moment it uses them; the parser
# below swaps in this table only while it runs, so nothing else in the process is affected.
_DANISH = {
    "usage: ": "brug: ",
    "options": "tilvalg",
    "positional arguments": "argumenter",
    "show this help message and exit": "vis denne hjælp og afslut",
    "show program's version number and exit": "vis programmets version og afslut",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fejl: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "disse argumenter mangler: %s",
    "unrecognized arguments: %s": "ukendte argumenter: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ugyldigt valg: %(value)r (vælg mellem %(choices)s)",
    "expected one argument": "forventer én værdi",
    "expected at most one argument": "forventer højst én værdi",
    "expected at least one argument": "forventer mindst én værdi",
    "invalid %(type)s value: %(value)r": "ugyldig værdi: %(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "flertydigt tilvalg: %(option)s kan være %(matches)s",
    "not allowed with argument %s": "kan ikke bruges sammen med %s",
    "ignored explicit argument %r": "overflødig værdi %r",
    "one of the arguments %s is required": "et af argumenterne %s skal angives",
    "unexpected option string: %s": "uventet tilvalg: %s",
    "can't open '%(filename)s': %(error)s": "kan ikke åbne '%(filename)s': %(error)s",
}
_DANISH_PLURAL = {
    ("expected %s argument", "expected %s arguments"): ("forventer %s værdi", "forventer %s værdier"),
}


def _gettext(message: str) -> str:
    return _DANISH.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    one, many = _DANISH_PLURAL.get((singular, plural), (singular, plural))
    return one if n == 1 else many


@contextlib.contextmanager
def _in_danish() -> Iterator[None]:
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = _gettext, _ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    """argparse with Danish help and error lines, and exit code 2."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        with _in_danish():
            super().__init__(*args, **kwargs)

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        with _in_danish():
            return super().add_argument(*args, **kwargs)

    def add_subparsers(self, **kwargs: Any) -> Any:
        with _in_danish():
            return super().add_subparsers(**kwargs)

    def parse_known_args(self, *args: Any, **kwargs: Any) -> Any:
        with _in_danish():
            return super().parse_known_args(*args, **kwargs)

    def parse_args(self, *args: Any, **kwargs: Any) -> Any:
        with _in_danish():
            return super().parse_args(*args, **kwargs)

    def format_usage(self) -> str:
        with _in_danish():
            return super().format_usage()

    def format_help(self) -> str:
        with _in_danish():
            return super().format_help()

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        """A command or choice not known: the error names the one the user most likely meant ('buld' → 'build')."""
        if action.choices is not None and value not in action.choices:
            from ..load.messages import did_you_mean

            hint = did_you_mean(str(value), [str(c) for c in action.choices])
            if hint:
                choices = ", ".join(repr(str(c)) for c in action.choices)
                raise argparse.ArgumentError(action, f"ugyldigt valg: {value!r}{hint} (vælg mellem {choices})")
        super()._check_value(action, value)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"referat: fejl: {escape(_danish_fragments(message))}\n")


# Other Python versions word some messages differently from the table above; these fragments still come out Danish.
_FRAGMENTS = {
    "the following arguments are required": "disse argumenter mangler",
    "unrecognized arguments": "ukendte argumenter",
    "invalid choice": "ugyldigt valg",
    "choose from": "vælg mellem",
    "maybe you meant": "mente du",
    "expected one argument": "forventer én værdi",
    "ambiguous option": "flertydigt tilvalg",
    "could match": "kan være",
    "not allowed with argument": "kan ikke bruges sammen med",
}


def _danish_fragments(message: str) -> str:
    for english, danish in _FRAGMENTS.items():
        message = message.replace(english, danish)
    return message


def _meeting_folder(text: str) -> Path:
    """The meeting folder named on the command line; its møde.yaml names it too."""
    path = Path(text)
    if path.name == MEETING_FILE and path.is_file():
        return path.parent
    return path


def cmd_validate(args: argparse.Namespace) -> int:
    from ..app.pipeline import check_folder, public_checks
    from ..app.state import meeting_state, seal_report

    meeting, report = check_folder(_meeting_folder(args.mappe), _templates(args))
    if meeting is not None and not report.has_errors:  # what `build` refuses, validate names: sealed minutes changed
        report.extend(seal_report(meeting, meeting_state(meeting)))
    if meeting is not None and args.offentlig and not report.has_errors:
        public_checks(meeting, report)
    print_report(report)
    if not report.has_errors:
        print(f"{escape(args.mappe)}: gyldig" + (" (med advarsler)" if report.items else ""))
    return EXIT_INVALID if report.has_errors else EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from ..schema import SCHEMAS, schema_file_name, schema_text

    if args.skriv:
        from ..fileio import write_atomic

        kinds = [args.type] if args.type else list(SCHEMAS)
        for kind in kinds:
            target = Path(args.skriv) / schema_file_name(kind)
            write_atomic(target, schema_text(kind))
            print(f"skrev {escape(target)}")
        return EXIT_OK
    sys.stdout.write(schema_text(args.type or "møde"))
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    from ..app.scaffold import new_meeting
    from ..load.profile import COMMITTEE_ID

    if not COMMITTEE_ID.fullmatch(args.udvalg):
        raise UsageError(f"--udvalg '{args.udvalg}' er ikke et udvalgs-id; skriv profilens navn uden sti, fx das-social")
    carried = None
    if args.fra is not None:  # the next meeting from the previous one (lifecycle)
        from ..app.pipeline import check_folder
        from ..lifecycle.nextmeeting import carry_over

        carried = carry_over(_meeting_folder(args.fra), Path(args.mappe), args, _templates(args), check_folder)
    start = _clock_option("--start", args.start or "12.00")
    end = _clock_option("--slut", args.slut or "16.00")
    if end <= start:
        raise UsageError(f"--slut {end} ligger ikke efter --start {start}")
    if args.sted is not None and any(not c.isprintable() for c in args.sted):
        raise UsageError("--sted må ikke indeholde linjeskift eller kontroltegn")
    date = args.dato or (dt.date.today() + dt.timedelta(days=14))
    from ..diagnostics import Location, Report
    from ..load.profile import ignored_templates, template_dirs

    report = Report()
    for ignored, why in ignored_templates(Path(args.mappe), template_dirs(Path(args.mappe), _templates(args))):
        report.warning(Location(ignored), why)
    if date < dt.date.today():  # a likely slip: a year or month typed wrong (the meeting is made all the same)
        report.warning(Location(Path(f"--dato {date.isoformat()}")),
                       f"datoen ligger før i dag ({dt.date.today():%d.%m.%Y}); er den rigtig?")
    print_report(report, summary=False)
    written = new_meeting(Path(args.mappe), args.udvalg, date, start, end, args.sted, _templates(args), carried)
    for path in written:
        print(f"oprettede {escape(path)}")
    print(f"Ret filerne, og kør derefter 'referat validate {escape(args.mappe)}'.")
    return EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    from ..app.build import build
    from ..app.pipeline import FORMATS

    formats = [f.strip().lower() for f in args.format.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise UsageError(f"ukendt format: {escape(', '.join(unknown)) or '(intet)'}; brug {', '.join(FORMATS)}")
    formats = list(dict.fromkeys(formats))
    result = build(_meeting_folder(args.mappe), args.dokument, formats, args.offentlig,
                   Path(args.out) if args.out else None, args.pdf_motor, _templates(args), archive_arg(args))
    print_report(result.report)
    for path in result.written:
        print(f"skrev {escape(path)}")
    _state_notes(result.checked, result.written)
    return EXIT_OK


def cmd_packet(args: argparse.Namespace) -> int:
    from ..app.build import packet

    result = packet(_meeting_folder(args.mappe), args.dokument, args.offentlig, Path(args.out) if args.out else None,
                    _templates(args), before_writing=print_report, archive=archive_arg(args))
    for path in result.written:
        print(f"skrev {escape(path)}")
    _state_notes(result.checked, result.written)
    return EXIT_OK


def _state_notes(checked: Any, written: list[Path]) -> None:
    """What the meeting's state means for what was just written: sealed minutes came from the archive; an agenda
    whose data differs from the latest sent version says so."""
    from ..app.state import sent_notice

    archived = checked.state.archived
    if archived is not None and any(p.name == "referat.pdf" for p in written):
        print(escape(f"bemærk: referat.pdf er det underskrevne referat fra arkivet ({archived.relative}); de "
                     "øvrige udgaver af referatet er bygget af de samme data"))
    note = sent_notice(checked.meeting, checked.state)
    if note:
        print(escape(note))


def _templates(args: argparse.Namespace) -> list[Path]:
    return [Path(p) for p in getattr(args, "skabeloner", None) or []]


def _date(text: str) -> dt.date:
    """A date on the command line, read as møde.yaml reads one ("30. februar 2027 findes ikke")."""
    from pydantic import TypeAdapter, ValidationError

    from ..model.base import Date

    try:
        return TypeAdapter(Date).validate_python(text)
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(escape(exc.errors()[0]["msg"])) from None


def _clock_option(option: str, text: str) -> str:
    """A time given on the command line, checked as møde.yaml will check it ("25.00" is refused here, not later)."""
    from pydantic import TypeAdapter, ValidationError

    from ..model.base import Clock

    if re.fullmatch(r"\s*\d{1,2}\s*", text):  # "13" on the command line is 13.00, as `slut: 13` is in YAML
        text = text.strip() + ".00"
    try:
        return str(TypeAdapter(Clock).validate_python(text))
    except ValidationError as exc:
        raise UsageError(f"{option}: {exc.errors()[0]['msg']}") from None


def _lower(text: str) -> str:
    return text.strip().lower()


def _templates_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--skabeloner", action="append", metavar="MAPPE", help="ekstra mappe med templates/udvalg/")


def _documents_option(parser: argparse.ArgumentParser, which: str) -> None:
    """`--dokument` of `build` and `packet`: the agenda, the minutes or both, by the same rule for both commands;
    `which` names what is built ("dokumenter", "pakker")."""
    parser.add_argument("--dokument", choices=["dagsorden", "referat", "alle"], type=_lower,
                        help=f"hvilke {which} (standard: alle, som mødets fase tillader)")


def _out_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", metavar="MAPPE", help="outputmappe (standard: output/<mødets mappe>/)")


def archive_option(parser: argparse.ArgumentParser) -> None:
    """`--arkiv` of the commands that make the minutes: where their signed, archived version is looked for."""
    parser.add_argument("--arkiv", metavar="MAPPE",
                        help="arkivet med det underskrevne referat (standard: den første arkiv/-mappe i eller over "
                             "mødets mappe)")


def archive_arg(args: argparse.Namespace) -> Path | None:
    value = getattr(args, "arkiv", None)
    return Path(value) if value else None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="referat", description="Dagsordener, referater og takstbilag fra YAML.")
    parser.add_argument("--version", action="version", version=f"referat {__version__}",
                        help="vis programmets version og afslut")
    sub = parser.add_subparsers(dest="command", metavar="KOMMANDO", parser_class=_Parser)
    sub.required = True

    def command(name: str, func: Callable[[argparse.Namespace], int], help: str,
                aliases: Sequence[str] = ()) -> argparse.ArgumentParser:
        """A command: an English name (docs/development.md, "Command names"), earlier names kept as aliases."""
        p = sub.add_parser(name, help=help, description=help, aliases=list(aliases))
        p.set_defaults(func=func)
        return p

    p = command("validate", cmd_validate, "Kontrollér et møde: alle fejl og advarsler på én gang.")
    p.add_argument("mappe", help="mødets mappe")
    p.add_argument("--offentlig", action="store_true",
                   help="kontrollér også det, en offentlig udgave kræver (CPR-numre, kontaktoplysninger, lukket_grundlag)")
    _templates_option(p)

    p = command("schema", cmd_schema, "Udskriv JSON Schema for møde-, punkt-, profil- eller takstbilagsfiler.")
    p.add_argument("type", nargs="?", choices=["møde", "punkt", "profil", "takstbilag"], help="hvilket skema (standard: møde)")
    p.add_argument("--skriv", metavar="MAPPE", help="skriv skemaerne som filer i MAPPE")

    p = command("new", cmd_new, "Opret et nyt møde med udvalgets standardpunkter.")
    p.add_argument("mappe", help="ny mappe til mødet")
    p.add_argument("--udvalg", default="das-social", help="udvalgsprofil (standard: das-social)")
    p.add_argument("--dato", type=_date, help="mødedato ÅÅÅÅ-MM-DD (standard: om 14 dage)")
    p.add_argument("--start", help="starttid (standard: 12.00)")
    p.add_argument("--slut", help="sluttid (standard: 16.00)")
    p.add_argument("--sted", help="lokale og adresse (uden: online-møde)")
    p.add_argument("--fra", metavar="FORRIGE", help="det forrige mødes mappe: dato, tid og sted fra dets næste_møde, "
                                                   "medlemslisten, dets referat og de åbne opgaver")
    _templates_option(p)

    p = command("build", cmd_build, "Byg dagsorden og referat: Word og PDF, efter valg også tekst og HTML.")
    p.add_argument("mappe", help="mødets mappe")
    _documents_option(p, "dokumenter")
    p.add_argument("--format", default="docx,pdf", help="kommasepareret: docx, pdf, txt, html (standard: docx,pdf)")
    p.add_argument("--offentlig", action="store_true", help="byg også de offentlige udgaver (uden lukkede punkter)")
    _out_option(p)
    p.add_argument("--pdf-motor", choices=["typst", "libreoffice"], default="typst", type=_lower,
                   help="typst (indbygget, standard) eller libreoffice (konverterer Word-filen)")
    archive_option(p)
    _templates_option(p)

    p = command("packet", cmd_packet, "Byg dagsordenspakken / referat med bilag: én PDF med alle bilag.")
    p.add_argument("mappe", help="mødets mappe")
    _documents_option(p, "pakker")
    p.add_argument("--offentlig", action="store_true", help="byg også de offentlige udgaver")
    _out_option(p)
    archive_option(p)
    _templates_option(p)

    for module in _COMMAND_MODULES:  # features that bring their own commands (archive, tariffs)
        if importlib.util.find_spec(__package__ + module) is not None:
            importlib.import_module(module, __package__).register(command)
    return parser


_COMMAND_MODULES = (".archive", ".tariffs", ".lifecycle", ".publish", ".live", ".word_import")


def main(argv: Sequence[str] | None = None) -> int:
    with _terminate_as_interrupt() as stop:
        code = _run(argv)
        if stop.pending is not None:  # a stop that came as the command ended (or in its last import): it finished
            print(f"referat: {'stoppet (SIGTERM)' if stop.pending == signal.SIGTERM else 'afbrudt'}, da kommandoen "
                  "var ved at slutte; den nåede at blive færdig", file=sys.stderr)
            return EXIT_TERMINATED if stop.pending == signal.SIGTERM else EXIT_INTERRUPTED
        return code


def _run(argv: Sequence[str] | None) -> int:
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        return int(args.func(args))
    except UsageError as exc:  # the command, not a file: no location
        print(f"referat: fejl: {escape(exc.message)}", file=sys.stderr)
        return exc.exit_code
    except ReferatError as exc:  # every kind the user can cause, each with its exit code
        print_report(exc.report)
        return exc.exit_code
    except Terminated:
        print("referat: stoppet (SIGTERM); ufærdige filer er fjernet, tidligere filer er urørte", file=sys.stderr)
        return EXIT_TERMINATED
    except KeyboardInterrupt:
        print("referat: afbrudt; tidligere filer er urørte", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:  # a path the checks did not foresee (a name the file system refuses, a vanished disk)
        from ..fileio import use_reason

        where = escape(exc.filename) if exc.filename is not None else "referat"
        print(f"{where}: fejl: filen kan ikke bruges ({escape(use_reason(exc))})", file=sys.stderr)
        # a full disk, a used-up quota, a read-only drive: only a write fails so (exit 3, as every OutputError)
        return EXIT_OUTPUT if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS) else EXIT_INVALID
    except Exception as exc:  # noqa: BLE001 - a bug of ours: say so, never as if the input were wrong
        for line in internal_error(exc):
            print(escape(line), file=sys.stderr)
        return EXIT_INTERNAL


def entry() -> None:
    sys.exit(main())


if __name__ == "__main__":
    entry()
