"""Can a PDF be opened? One answer in Danish, shared by validation and the packet.

A PDF is parsed once per process: `open_pdf` keeps the reader (or the problem) under the SHA-256 of the file's
bytes, so validation's check, the packet's page count, its checks and its merge all use one `PdfReader` (the
packet used to open each bilag three times). The key is the content, not the name or the modification time, so
a file changed on disk is read again; the cache holds at most CACHE_BYTES of files (least recently used first out).

Whether a PDF can be used at all (`pdf_problem`, what validation asks) is also kept on disk by the same key
(`files.checkcache`): a command that only checks an unchanged bilag neither parses it nor imports pypdf.
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .checkcache import remembered

# pypdf (and the cryptography it loads, ~0.2 s) is imported by the functions, only when a PDF is checked: a meeting
# without PDF bilag validates without it (issue 17, start-up).
if TYPE_CHECKING:
    from pypdf import PdfReader

# Pages of one PDF bilag. The packet copies, cleans and stamps every page (about 1 ms each, and the stamps are
# laid out by Typst): a file of 100,000 pages (600 kB when one page object is listed 100,000 times) ran for
# minutes. Real bilag have a few hundred pages; beyond this, attach the part that matters.
MAX_PAGES = 5_000


CACHE_BYTES = 256 * 1024 * 1024
_opened: OrderedDict[bytes, tuple[PdfReader | None, str | None, int]] = OrderedDict()


def pdf_problem(path: Path) -> str | None:
    """Why `path` cannot be used as a PDF, or None when it opens (encrypted with an empty password is fine).

    From the check cache when these bytes were checked before (see the module's docstring)."""
    data, problem = _read(path)
    if data is None:
        return problem
    key = hashlib.sha256(data).digest()
    if key in _opened:
        return _opened[key][1]
    return _check(key, lambda: _remember(key, data)[1])


def _check(key: bytes, parse: Callable[[], str | None]) -> str | None:
    found = remembered("pdf", key.hex(), f"{MAX_PAGES}", lambda: {"problem": parse()},
                       lambda r: isinstance(r, dict) and (r.get("problem") is None or isinstance(r["problem"], str)))
    problem: str | None = found["problem"]
    return problem


def _read(path: Path) -> tuple[bytes | None, str | None]:
    try:
        with path.open("rb") as fh:
            head = fh.read(1024)
            if b"%PDF-" not in head:
                return None, "er ikke en PDF-fil (mangler PDF-hovedet)"
            return head + fh.read(), None
    except OSError as exc:
        return None, f"er beskadiget og kan ikke åbnes ({type(exc).__name__})"


def open_pdf(path: Path) -> tuple[PdfReader | None, str | None]:
    """The file's reader (decrypted when it has an empty password) and None, or None and why it cannot be used.

    The same bytes give the same reader object, parsed once (see the module's docstring); a caller that changes
    the reader's objects must do so in a way that gives the same result when done again.
    """
    data, problem = _read(path)
    if data is None:
        return None, problem
    key = hashlib.sha256(data).digest()
    found = _opened.get(key)
    if found is not None:
        _opened.move_to_end(key)
        return found[0], found[1]
    reader, problem = _remember(key, data)
    _check(key, lambda: problem)  # what validation asks next time, without parsing
    return reader, problem


def _remember(key: bytes, data: bytes) -> tuple[PdfReader | None, str | None]:
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    reader, problem = _parse(data)
    if len(data) <= CACHE_BYTES:
        _opened[key] = (reader, problem, len(data))
        while sum(size for _, _, size in _opened.values()) > CACHE_BYTES:
            _opened.popitem(last=False)
    return reader, problem


def clear_cache() -> None:
    """Let go of every reader kept (tests that count parses start from here)."""
    _opened.clear()


def _parse(data: bytes) -> tuple[PdfReader | None, str | None]:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    return None, "er krypteret med adgangskode; gem en version uden adgangskode"
            except (FileNotDecryptedError, NotImplementedError):
                return None, "er krypteret med adgangskode; gem en version uden adgangskode"
        problem = _page_tree_problem(reader.root_object["/Pages"])
        if problem:
            return None, problem
    except (PdfReadError, FileNotDecryptedError) as exc:
        return None, f"er beskadiget og kan ikke åbnes ({exc})"
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on corrupt input
        return None, f"er beskadiget og kan ikke åbnes ({type(exc).__name__})"
    return reader, None


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
