"""Can a PDF be opened? One answer in Danish, shared by validation and the packet."""

from __future__ import annotations

import logging
from pathlib import Path

# pypdf (and the cryptography it loads, ~0.2 s) is imported by the functions, only when a PDF is checked: a meeting
# without PDF bilag validates without it (issue 17, start-up).

# Pages of one PDF bilag. The packet copies, cleans and stamps every page (about 1 ms each, and the stamps are
# laid out by Typst): a file of 100,000 pages (600 kB when one page object is listed 100,000 times) ran for
# minutes. Real bilag have a few hundred pages; beyond this, attach the part that matters.
MAX_PAGES = 5_000


def pdf_problem(path: Path) -> str | None:
    """Why `path` cannot be used as a PDF, or None when it opens (encrypted with an empty password is fine)."""
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

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
        problem = _page_tree_problem(reader.root_object["/Pages"])
        if problem:
            return problem
    except (PdfReadError, FileNotDecryptedError) as exc:
        return f"er beskadiget og kan ikke åbnes ({exc})"
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on corrupt input
        return f"er beskadiget og kan ikke åbnes ({type(exc).__name__})"
    return None


def _page_tree_problem(root: object) -> str | None:
    """Walk the page tree without pypdf's own flattening: count the pages up to MAX_PAGES and stop at a cycle
    (a /Kids entry that leads back to a node above it), which pypdf only detects deep inside the packet."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen: set[int] = set()
    todo: list[object] = [root]
    pages = 0
    while todo:
        item = todo.pop()
        if isinstance(item, IndirectObject):
            if item.idnum in seen and not _leaf(item.get_object()):
                return "er beskadiget og kan ikke åbnes (sidetræet henviser til sig selv)"
            seen.add(item.idnum)
            item = item.get_object()
        if not isinstance(item, DictionaryObject):
            return "er beskadiget og kan ikke åbnes (sidetræet indeholder noget, der ikke er en side)"
        if _leaf(item):
            pages += 1
            if pages > MAX_PAGES:
                limit = f"{MAX_PAGES:_}".replace("_", ".")
                return f"har over {limit} sider; grænsen er {limit} sider pr. bilag; vedlæg den del, der er relevant"
            continue
        kids = item["/Kids"].get_object()
        if not isinstance(kids, ArrayObject):
            return "er beskadiget og kan ikke åbnes (sidetræet indeholder noget, der ikke er en side)"
        todo.extend(reversed(kids))
    return None if pages else "har ingen sider"


def _leaf(node: object) -> bool:
    from pypdf.generic import DictionaryObject

    return not (isinstance(node, DictionaryObject) and "/Kids" in node)
