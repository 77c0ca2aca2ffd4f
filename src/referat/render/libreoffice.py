"""LibreOffice, when installed: the optional PDF route of `build` and the converter of Word bilag.

Each run gets its own user profile and a timeout. A converted bilag is cached by content: the key is the
sha256 of the file's bytes and of the converter (LibreOffice's version file, or the program's size and date,
plus `PIPELINE`), so a Word bilag is converted once, not for every packet. The cache is the folder
`$REFERAT_CACHE`, else the user cache folder (`$XDG_CACHE_HOME/referat/konverteret`, `~/.cache/…` on Linux,
`~/Library/Caches/referat/konverteret` on macOS, `%LOCALAPPDATA%\\referat\\Cache\\konverteret` on Windows).
Entries are written atomically (temporary file and rename) and used only if they open as a PDF; a cache
that cannot be written is simply not used.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ..diagnostics import Location, ReferatError

TIMEOUT = 180
INSTALL_HINT = ("installér LibreOffice (Debian/Ubuntu: 'apt-get install libreoffice-writer'; Windows/macOS: "
                "libreoffice.org), eller brug standardmotoren uden --pdf-motor")


CONVERT_HINT = ("gem filen som PDF, eller installér LibreOffice (Debian/Ubuntu: 'apt-get install libreoffice-writer'; "
                "Windows/macOS: libreoffice.org)")
PIPELINE = "referat-lo-1"  # bump when the conversion's options change: old cache entries are then not used


def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def cache_dir() -> Path:
    """Where converted bilag are kept (see the module's docstring)."""
    if os.environ.get("REFERAT_CACHE"):
        return Path(os.environ["REFERAT_CACHE"])
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "referat" / "Cache"
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches" / "referat"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "referat"
    return base / "konverteret"


@functools.lru_cache(maxsize=4)
def converter_version(soffice: str) -> str:
    """What identifies the installed LibreOffice, cheaply (no start of LibreOffice)."""
    program = Path(os.path.realpath(soffice))
    for name in ("versionrc", "version.ini", "../Resources/versionrc"):
        candidate = program.parent / name
        try:
            return hashlib.sha256(candidate.read_bytes()).hexdigest()
        except OSError:
            continue
    try:
        stat = program.stat()
    except OSError:
        return str(program)
    return f"{program}:{stat.st_size}:{stat.st_mtime_ns}"


def bilag_to_pdf(path: Path, data: bytes) -> bytes:
    """A Word bilag as PDF: from the cache when this file was converted by this LibreOffice before."""
    from ..pdfcheck import pdf_problem

    soffice = find_soffice()
    if soffice is None:
        raise ReferatError(f"filen skal konverteres til PDF med LibreOffice, som ikke er installeret; {CONVERT_HINT}",
                           Location(path))
    key = hashlib.sha256(data + b"\0" + f"{PIPELINE}:{converter_version(soffice)}".encode()).hexdigest()
    entry = cache_dir() / f"{key}.pdf"
    if entry.is_file() and pdf_problem(entry) is None:
        try:
            return entry.read_bytes()
        except OSError:
            pass
    pdf = docx_to_pdf(data, "bilag", path, suffix=path.suffix.lower() or ".docx", hint=CONVERT_HINT)
    _store(entry, pdf)
    return pdf


def _store(entry: Path, pdf: bytes) -> None:
    """Write a cache entry atomically; a cache that cannot be written is not an error (only slower)."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".pdf", dir=entry.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(pdf)
            os.replace(tmp, entry)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    except OSError:
        pass


def docx_to_pdf(docx: bytes, name: str, where: Path, suffix: str = ".docx", hint: str = INSTALL_HINT) -> bytes:
    """Convert `docx` with LibreOffice headless; a clear message when it is missing, hangs or fails."""
    soffice = find_soffice()
    if soffice is None:
        raise ReferatError(f"LibreOffice blev ikke fundet; {hint}", Location(where))
    with tempfile.TemporaryDirectory(prefix="referat-lo-") as tmp:
        work = Path(tmp)
        src = work / f"{name}{suffix}"
        src.write_bytes(docx)
        profile = (work / "profil").as_uri()  # one user profile per process, or parallel runs fail silently
        cmd = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", str(work), str(src)]
        try:
            result = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise ReferatError(f"LibreOffice svarede ikke inden for {TIMEOUT} sekunder", Location(where)) from None
        out = work / f"{name}.pdf"
        if result.returncode != 0 or not out.is_file():
            detail = (result.stderr or result.stdout).decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
            label = where.name if where.is_file() else src.name
            raise ReferatError(f"LibreOffice kunne ikke konvertere {label} ({detail[0]})", Location(where))
        return out.read_bytes()
