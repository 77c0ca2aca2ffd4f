"""The kinds of error `referat` reports, under one base, each with its documented exit code.

Every error a user can cause is one of the kinds below, all `ReferatError`s (the base, defined in `diagnostics`;
re-exported here, and never raised as itself: `tests/test_error_kinds.py` says so): the CLI catches them once and
prints their diagnostics. The kind says what went wrong and decides the exit code (its class's `exit_code`, never
the message); the message says where. Anything else that reaches the CLI is a bug of the program's
(`InternalError`, or any other exception): it prints "intern fejl", writes the traceback to a file and asks the
user to report it, and never blames the input.

| kind | what | exit code |
|---|---|---|
| `InputError` | a meeting, item, profile, bilag, takstbilag, takstskema or Word contribution is wrong | 1 |
| `SealedMinutes` (an `InputError`) | the signed minutes are archived and the meeting folder differs from them | 1 |
| `LeakError` (an `InputError`) | a public edition would print what it must leave out (hidden text, a CPR number) | 1 |
| `ImageUnreadable` (an `InputError`) | an image (a logo, an image bilag) the PDF engine cannot read | 1 |
| `TemplateError` | the Word or HTML template or the logo of the committee profile is missing or broken | 1 |
| `ConverterMissing` | LibreOffice is needed (a Word bilag, `--pdf-motor libreoffice`) but not installed | 1 |
| `ConversionError` | LibreOffice is there but did not convert a file (no answer in time, or it failed) | 1 |
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
           "EXIT_TERMINATED", "EXIT_USAGE", "KINDS", "ArchiveError", "ConversionError", "ConverterMissing",
           "ImageUnreadable", "InputError", "InternalError", "LeakError", "OutputError", "ReferatError",
           "SealedMinutes", "SignatureError", "TemplateError", "UsageError", "internal_error"]

# The documented exit codes (README): done, input errors, usage, output not writable, bug, Ctrl+C, SIGTERM.
EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_OUTPUT = 0, 1, 2, 3
EXIT_INTERNAL = 70  # EX_SOFTWARE of sysexits.h: the program, not its input, is at fault
EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143


class InputError(ReferatError):
    """A user's file is wrong (YAML, a model value, a bilag, a takstbilag, a takstskema)."""


class SealedMinutes(InputError):
    """The meeting's signed minutes are archived, and the folder's minutes differ from them (each field located)."""


class LeakError(InputError):
    """A public edition would contain what it must leave out; nothing of it is written."""


class ImageUnreadable(InputError):
    """An image the PDF engine cannot read (a logo, an image bilag): the user's file, not the engine."""


class TemplateError(ReferatError):
    """The committee profile's Word template or logo is missing or cannot be used."""


class ConverterMissing(ReferatError):
    """An external converter (LibreOffice) is needed and not installed; the message says what to install."""


class ConversionError(ReferatError):
    """An installed converter (LibreOffice) did not convert a file: no answer within its time, or it failed."""


class SignatureError(ReferatError):
    """A signature, certificate or signed PDF cannot be read, or does not hold what it should."""


class ArchiveError(ReferatError):
    """The archive, or an archived version, is missing, changed or cannot be used."""


class InternalError(Exception):
    """A state the program should never reach: a bug, reported as one (never as a mistake in the input)."""

    exit_code = EXIT_INTERNAL


KINDS: tuple[type[BaseException], ...] = (
    InputError, SealedMinutes, LeakError, ImageUnreadable, TemplateError, ConverterMissing, ConversionError,
    SignatureError, ArchiveError, UsageError, OutputError, InternalError)
EXIT_CODES: dict[type[BaseException], int] = {kind: kind.exit_code for kind in KINDS}  # type: ignore[attr-defined]


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

