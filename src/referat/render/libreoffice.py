"""Optional PDF route: convert the Word file with an installed LibreOffice (own profile per run, timeout)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ..diagnostics import Location, ReferatError

TIMEOUT = 180
INSTALL_HINT = ("installér LibreOffice (Debian/Ubuntu: 'apt-get install libreoffice-writer'; Windows/macOS: "
                "libreoffice.org), eller brug standardmotoren uden --pdf-motor")


def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(docx: bytes, name: str, where: Path) -> bytes:
    """Convert `docx` with LibreOffice headless; a clear message when it is missing, hangs or fails."""
    soffice = find_soffice()
    if soffice is None:
        raise ReferatError(f"LibreOffice blev ikke fundet; {INSTALL_HINT}", Location(where))
    with tempfile.TemporaryDirectory(prefix="referat-lo-") as tmp:
        work = Path(tmp)
        src = work / f"{name}.docx"
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
            raise ReferatError(f"LibreOffice kunne ikke konvertere {name}.docx ({detail[0]})", Location(where))
        return out.read_bytes()
