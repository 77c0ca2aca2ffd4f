"""Can a PDF be opened? One answer in Danish, shared by validation and the packet."""

from __future__ import annotations

import logging
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject


def pdf_problem(path: Path) -> str | None:
    """Why `path` cannot be used as a PDF, or None when it opens (encrypted with an empty password is fine)."""
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        with path.open("rb") as fh:
            head = fh.read(1024)
            if b"%PDF-" not in head:
                return "er ikke en PDF-fil (mangler PDF-hovedet)"
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    return "er krypteret med adgangskode; gem en version uden adgangskode"
            except (FileNotDecryptedError, NotImplementedError):
                return "er krypteret med adgangskode; gem en version uden adgangskode"
        # The page tree's own count and first kid: enough to know it opens, without loading every page.
        pages = reader.root_object["/Pages"].get_object()
        if not isinstance(pages, DictionaryObject) or int(pages.get("/Count", 0)) <= 0 or not pages.get("/Kids"):
            return "har ingen sider"
        kids = pages["/Kids"].get_object()
        if not isinstance(kids, ArrayObject) or not kids:
            return "har ingen sider"
        kids[0].get_object()
    except (PdfReadError, FileNotDecryptedError) as exc:
        return f"er beskadiget og kan ikke åbnes ({exc})"
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on corrupt input
        return f"er beskadiget og kan ikke åbnes ({type(exc).__name__})"
    return None
