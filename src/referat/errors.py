"""The kinds of error `referat` reports, under one base, each with its documented exit code.

Every error a user can cause is a `ReferatError` (defined in `diagnostics`, where most modules import it from;
re-exported here): the CLI catches it once and prints its diagnostics. The kind says what went wrong and decides
the exit code; the message says where. Anything else that reaches the CLI is a bug of the program's
(`InternalError`, or any other exception): it prints "intern fejl", writes the traceback to a file and asks the
user to report it, and never blames the input.

| kind | what | exit code |
|---|---|---|
| `InputError` (and a plain `ReferatError`) | a meeting, item, profile, bilag, takstbilag or takstskema is wrong | 1 |
| `TemplateError` | the Word template or the logo of the committee profile is missing or broken | 1 |
| `ConverterMissing` | LibreOffice is needed (a Word bilag, `--pdf-motor libreoffice`) but not installed | 1 |
| `SignatureError` | a signature, certificate or signed PDF cannot be read or does not hold | 1 |
| `ArchiveError` | the archive or an archived version is missing, changed or unusable | 1 |
| `UsageError` | the command line asks for something that does not exist | 2 |
| `OutputError` | an output cannot be written (earlier outputs are left intact) | 3 |
| `InternalError` (or any other exception) | a bug in referat | 70 |
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import traceback
from pathlib import Path

from . import __version__
from .diagnostics import OutputError, ReferatError, UsageError

__all__ = ["EXIT_CODES", "EXIT_INTERNAL", "EXIT_INTERRUPTED", "EXIT_INVALID", "EXIT_OK", "EXIT_OUTPUT",
           "EXIT_TERMINATED", "EXIT_USAGE", "ArchiveError", "ConverterMissing", "InputError", "InternalError",
           "OutputError", "ReferatError", "SignatureError", "TemplateError", "UsageError", "internal_error"]

# The documented exit codes (README): done, input errors, usage, output not writable, bug, Ctrl+C, SIGTERM.
EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_OUTPUT = 0, 1, 2, 3
EXIT_INTERNAL = 70  # EX_SOFTWARE of sysexits.h: the program, not its input, is at fault
EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143


class InputError(ReferatError):
    """A user's file is wrong (YAML, a model value, a bilag, a takstbilag, a takstskema)."""


class TemplateError(ReferatError):
    """The committee profile's Word template or logo is missing or cannot be used."""


class ConverterMissing(ReferatError):
    """An external converter (LibreOffice) is needed and not installed; the message says what to install."""


class SignatureError(ReferatError):
    """A signature, certificate or signed PDF cannot be read, or does not hold what it should."""


class ArchiveError(ReferatError):
    """The archive, or an archived version, is missing, changed or cannot be used."""


class InternalError(Exception):
    """A state the program should never reach: a bug, reported as one (never as a mistake in the input)."""

    exit_code = EXIT_INTERNAL


EXIT_CODES: dict[type[BaseException], int] = {
    ReferatError: EXIT_INVALID, InputError: EXIT_INVALID, TemplateError: EXIT_INVALID,
    ConverterMissing: EXIT_INVALID, SignatureError: EXIT_INVALID, ArchiveError: EXIT_INVALID,
    UsageError: EXIT_USAGE, OutputError: EXIT_OUTPUT, InternalError: EXIT_INTERNAL,
}


def internal_error(exc: BaseException) -> list[str]:
    """The lines to print for a bug: "intern fejl", where the traceback was written, and whom to tell.

    The traceback goes to a file in the temporary folder (not the terminal, where it would read as a mistake of
    the user's); when even that cannot be written, the lines say so."""
    text = "".join(traceback.format_exception(exc))
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    try:
        fd, name = tempfile.mkstemp(prefix=f"referat-intern-fejl-{stamp}-", suffix=".txt")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(f"referat {__version__}, Python {sys.version.split()[0]}, {sys.platform}\n{text}")
        where = f"detaljerne er skrevet i {Path(name)}"
    except OSError:
        where = "detaljerne kunne ikke skrives til en fil"
    return [f"referat: intern fejl ({type(exc).__name__}): en fejl i programmet, ikke i dine filer",
            f"referat: {where}; rapportér fejlen til projektet og vedlæg filen"
            if "skrevet" in where else f"referat: {where}; rapportér fejlen til projektet"]

