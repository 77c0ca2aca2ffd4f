"""Writing outputs atomically: a failed run never leaves a half-written file or loses the old one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .diagnostics import Location, OutputError


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write `data` to `path` via a temporary file in the same folder and an atomic rename."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except PermissionError:
        raise OutputError("ingen skriveadgang til mappen", Location(path.parent)) from None
    except OSError as exc:
        raise OutputError(f"mappen kan ikke oprettes eller skrives i ({exc.strerror})", Location(path.parent)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        reason = "disken er fuld" if exc.errno == 28 else (exc.strerror or str(exc))
        raise OutputError(f"filen kunne ikke skrives ({reason}); den tidligere udgave er urørt", Location(path)) from None
