"""Writing outputs atomically: a failed run never leaves a half-written file or loses the old one."""

from __future__ import annotations

import errno
import functools
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from .diagnostics import Location, OutputError
from .errors import InputError

_REASONS = {
    errno.ENOSPC: "disken er fuld",
    errno.EDQUOT: "diskkvoten er opbrugt",
    errno.EROFS: "drevet er skrivebeskyttet",
    errno.EACCES: "ingen skriveadgang",
    errno.EPERM: "ingen skriveadgang",
    errno.ENOTDIR: "en del af stien er en fil, ikke en mappe",
    errno.EEXIST: "der ligger en fil med mappens navn",
    errno.EISDIR: "der ligger en mappe med filens navn",
    errno.ENAMETOOLONG: "navnet er for langt",
    errno.ENOENT: "en del af stien findes ikke og kan ikke oprettes",
    errno.EIO: "drevet svarer ikke (ind-/uddatafejl)",
    errno.EBUSY: "filen eller drevet er i brug",
    errno.EINVAL: "navnet kan ikke bruges på dette drev",
    errno.EMFILE: "for mange åbne filer",
    errno.ELOOP: "stien er en løkke af symbolske links",
}


def os_reason(exc: OSError) -> str:
    """Why the operating system refused, in Danish where the cause is a common one (else its own words)."""
    return _REASONS.get(exc.errno or 0) or exc.strerror or str(exc)


# `_REASONS` speaks of writing; where a file was read, or it is not known whether it was read or written, these
# words stand in for the ones that differ (no access; a file that is not there).
_READING = {errno.EACCES: "ingen læseadgang", errno.EPERM: "ingen læseadgang", errno.ENOENT: "findes ikke"}
_EITHER = {errno.EACCES: "ingen adgang", errno.EPERM: "ingen adgang", errno.ENOENT: "findes ikke"}


def read_reason(exc: OSError) -> str:
    """Why a file could not be read, in Danish."""
    return _READING.get(exc.errno or 0) or os_reason(exc)


def use_reason(exc: OSError) -> str:
    """Why a file could not be used, in Danish, where it is not known whether it was being read or written."""
    return _EITHER.get(exc.errno or 0) or os_reason(exc)


def read_input(path: Path, noun: str = "filen") -> bytes:
    """The bytes of a file the user named, or a Danish ReferatError naming it ("certifikatfilen findes ikke")."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{noun} findes ikke", Location(path)) from None
    except IsADirectoryError:
        raise InputError(f"{noun} er en mappe, ikke en fil", Location(path)) from None
    except OSError as exc:
        raise InputError(f"{noun} kan ikke læses ({read_reason(exc)})", Location(path)) from None


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write `data` to `path` via a temporary file in the same folder and an atomic rename."""
    write_all({path: data})


def write_all(files: Mapping[Path, bytes | str]) -> None:
    """Write every file or, when one cannot be written (full disk, no access), none of them.

    Each file is first written in full to a temporary file beside its target; only when all are on disk are
    they renamed into place, so a failure part-way leaves every earlier output as it was (and no temporary
    files behind, also when the run is interrupted).
    """
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            staged.append((_stage(path, data), path))
        while staged:
            tmp, path = staged[0]
            existed = path.exists()
            try:
                os.replace(tmp, path)
            except OSError as exc:
                raise _write_error(path, exc, existed) from None
            staged.pop(0)
    finally:
        for tmp, _ in staged:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _stage(path: Path, data: bytes | str) -> str:
    """The temporary file holding `data`, written and synced, in `path`'s folder."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if path.is_dir():  # found before anything is renamed, so no output is replaced
        raise OutputError(f"filen kunne ikke skrives ({_REASONS[errno.EISDIR]})", Location(path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except PermissionError:
        raise OutputError("ingen skriveadgang til mappen", Location(path.parent)) from None
    except OSError as exc:
        raise OutputError(f"mappen kan ikke oprettes eller skrives i ({os_reason(exc)})", Location(path.parent)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _file_mode())  # mkstemp makes it private (0600); an output gets the usual permissions
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise _write_error(path, exc, path.exists()) from None
        raise
    return tmp


@functools.cache
def _file_mode() -> int:
    """The mode a new file gets from open(): 0666 less the process's umask."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def _write_error(path: Path, exc: OSError, existed: bool) -> OutputError:
    kept = "; den tidligere udgave er urørt" if existed else ""
    return OutputError(f"filen kunne ikke skrives ({os_reason(exc)}){kept}", Location(path))
