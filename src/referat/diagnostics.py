"""Diagnostics: the located, Danish messages every user error ends in."""

from __future__ import annotations

import os
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TextIO

Severity = Literal["fejl", "advarsel"]


@dataclass(frozen=True)
class Location:
    """A place in a user's file: a path and, where known, a 1-based line and column (or a cell/page)."""

    path: Path
    line: int | None = None
    col: int | None = None
    where: str | None = None  # e.g. "D17" in a workbook or "side 3" in a PDF

    def format(self, shown: str | None = None, *, raw: bool = False) -> str:
        """`path:line:col`, or `path!D17`, the path as the user typed it (relative to the working directory).
        `shown` stands in for that path (e.g. a path relative to a meeting folder); `raw` leaves every part as
        it is, for a caller that shows text literally rather than on a terminal line (see `escape`)."""
        text = _display_path(self.path) if shown is None else shown
        if self.where:
            text += f"!{self.where}"
        elif self.line is not None:
            text += f":{self.line}"
            if self.col is not None:
                text += f":{self.col}"
        return text if raw else escape(text)  # escaping the whole is escaping each part: it goes by character


@dataclass(frozen=True)
class Diagnostic:
    """One message for the user: where, how serious, what."""

    severity: Severity
    message: str
    location: Location

    def format(self) -> str:
        """One line, always: a message never breaks the `path:line: fejl: …` form."""
        message = escape(self.message.replace("\r\n", "\n"))
        return f"{self.location.format()}: {self.severity}: {message}"


@dataclass
class Report:
    """Collects every diagnostic of one run, so the user sees all problems at once."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, location: Location, message: str) -> None:
        self.items.append(Diagnostic("fejl", message, location))

    def warning(self, location: Location, message: str) -> None:
        self.items.append(Diagnostic("advarsel", message, location))

    def extend(self, other: Report) -> None:
        self.items.extend(other.items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "fejl"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "advarsel"]

    @property
    def has_errors(self) -> bool:
        return any(d.severity == "fejl" for d in self.items)

    def lines(self) -> list[str]:
        return [d.format() for d in self.items]


def print_report(report: Report, summary: bool = True) -> None:
    """Every message on standard error, one per line, then (with `summary`) how many of each kind."""
    for line in report.lines():
        print(line, file=sys.stderr)
    if summary and report.items:
        print(summary_line(report), file=sys.stderr)


def summary_line(report: Report) -> str:
    """"2 fejl, 1 advarsel": how many of each kind, in Danish number agreement (fejl is both singular and plural)."""
    return f"{len(report.errors)} fejl, {count(len(report.warnings), 'advarsel', 'advarsler')}"


def count(n: int, one: str, many: str) -> str:
    """"1 udgave", "2 udgaver": a number and its noun in Danish number agreement."""
    return f"{n} {one if n == 1 else many}"


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def say(line: object, file: TextIO | None = None) -> None:
    """Print one line with every control and invisible character escaped (see `escape`): for lines that echo
    a path, a query, a certificate's name or text read from an archive or a workbook."""
    print(escape(line), file=file if file is not None else sys.stdout)


def escape(text: object) -> str:
    """Text safe to print on one terminal line: control and invisible format characters as escapes.

    A file name or a YAML value may hold terminal escape sequences (ESC [ …), a bidi override (U+202E) that
    reverses what follows, zero-width characters or undecodable bytes; printed raw they would recolour or
    rewrite the user's terminal, or make a message say something else than it does. Every path and message is
    printed through this."""
    value = os.fsdecode(text) if isinstance(text, (bytes, os.PathLike)) else str(text)
    if value.isprintable():
        return value
    out = []
    for c in value:
        if c in _ESCAPES:
            out.append(_ESCAPES[c])
        elif c.isprintable() or c == " ":
            out.append(c)
        elif 0xDC80 <= ord(c) <= 0xDCFF:  # an undecodable byte of a file name (surrogateescape)
            out.append(f"\\x{ord(c) - 0xDC00:02x}")
        elif unicodedata.category(c) in ("Zs",):
            out.append(c)
        else:
            out.append(f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}")
    return "".join(out)


class ReferatError(Exception):
    """The base of every error the program reports: it stops the run and carries the diagnostics that explain it.

    Raised as such, it means the user's input is wrong (exit code 1). The named kinds (`referat.errors`) say more:
    the Word template, a missing converter, a signature, the archive, the command line (2), writing an output
    (3). Anything that is not a ReferatError is a bug of the program's: the CLI reports it as "intern fejl"."""

    exit_code = 1

    def __init__(self, report: Report | str, location: Location | None = None) -> None:
        if isinstance(report, str):
            rep = Report()
            rep.error(location or Location(Path(".")), report)
            report = rep
        self.report = report
        super().__init__("\n".join(report.lines()))

    @property
    def message(self) -> str:
        """The first error's message, without its location (for a caller that places it elsewhere)."""
        return self.report.errors[0].message if self.report.errors else ""

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled whole, kind and report (a process of `referat.pool` raises it in the command's process)."""
        return _rebuilt, (type(self), self.args, self.__dict__)


def _rebuilt(kind: type[ReferatError], args: tuple[Any, ...], state: dict[str, Any]) -> ReferatError:
    error = kind.__new__(kind)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class UsageError(ReferatError):
    """The command line asks for something that does not exist (an unknown format); exit code 2, like argparse.

    Printed as `referat: fejl: …`, without a file: the mistake is in the command, not in a file."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)

    def __str__(self) -> str:
        return self.message


class OutputError(ReferatError):
    """Writing an output failed (read-only folder, full disk); earlier outputs are intact."""

    exit_code = 3


def _display_path(path: Path) -> str:
    """The path as the user typed it where possible: relative to the working directory."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if rel.startswith(".." + os.sep + "..") else rel
