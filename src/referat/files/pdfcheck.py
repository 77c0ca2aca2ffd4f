"""Can a PDF be opened? One answer in Danish, shared by validation and the packet.

A PDF is parsed once per process: `open_pdf` keeps the reader (or the problem) under the SHA-256 of the file's
bytes, so validation's check, the packet's page count, its checks and its merge all use one `Pdf` (the
packet used to open each bilag three times). The key is the content, not the name or the modification time, so
a file changed on disk is read again; the cache holds at most CACHE_BYTES of files (least recently used first out).

Whether a PDF can be used at all (`pdf_problem`, what validation asks) is also kept on disk by the same key
(`files.checkcache`): a command that only checks an unchanged bilag neither parses it nor imports a PDF library.
"""

from __future__ import annotations

import hashlib
import io
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .checkcache import remembered

# pikepdf (qpdf's binding; pypdf until issue 28) is imported by the functions, only when a PDF is parsed: a meeting
# without PDF bilag, or whose bilag were checked before (the check cache), validates without it.
if TYPE_CHECKING:
    from pikepdf import Pdf

# Pages of one PDF bilag. The packet copies, cleans and stamps every page (about 1 ms each, and the stamps are
# laid out by Typst): a file of 100,000 pages (600 kB when one page object is listed 100,000 times) ran for
# minutes. Real bilag have a few hundred pages; beyond this, attach the part that matters.
MAX_PAGES = 5_000


CACHE_BYTES = 256 * 1024 * 1024
NOT_PDF = "er ikke en PDF-fil (mangler PDF-hovedet)"
_opened: OrderedDict[bytes, tuple[Pdf | None, str | None, int]] = OrderedDict()
_OPENED_LOCK = threading.Lock()  # the packet converts and checks Word bilag in threads (`Sources.ahead`)


def pdf_problem(path: Path) -> str | None:
    """Why `path` cannot be used as a PDF, or None when it opens (encrypted with an empty password is fine).

    From the check cache when these bytes were checked before (see the module's docstring)."""
    data, problem = _read(path)
    if data is None:
        return problem
    return bytes_problem(data)


def bytes_problem(data: bytes) -> str | None:
    """`pdf_problem` of bytes already read (a file's whole content)."""
    if b"%PDF-" not in data[:1024]:
        return NOT_PDF
    key = hashlib.sha256(data).digest()
    with _OPENED_LOCK:
        found = _opened.get(key)
    if found is not None:
        return found[1]
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
                return None, NOT_PDF
            return head + fh.read(), None
    except OSError as exc:
        return None, f"er beskadiget og kan ikke åbnes ({type(exc).__name__})"


def open_pdf(path: Path) -> tuple[Pdf | None, str | None]:
    """The file's reader (decrypted when it has an empty password) and None, or None and why it cannot be used.

    The same bytes give the same reader object, parsed once (see the module's docstring); a caller that changes
    the reader's objects must do so in a way that gives the same result when done again.
    """
    data, problem = _read(path)
    if data is None:
        return None, problem
    key = hashlib.sha256(data).digest()
    with _OPENED_LOCK:
        found = _opened.get(key)
        if found is not None:
            _opened.move_to_end(key)
    if found is not None:
        return found[0], found[1]
    reader, problem = _remember(key, data)
    _check(key, lambda: problem)  # what validation asks next time, without parsing
    return reader, problem


def _remember(key: bytes, data: bytes) -> tuple[Pdf | None, str | None]:
    reader, problem = _parse(data)
    if len(data) <= CACHE_BYTES:
        with _OPENED_LOCK:
            _opened[key] = (reader, problem, len(data))
            while sum(size for _, _, size in _opened.values()) > CACHE_BYTES:
                _opened.popitem(last=False)
    return reader, problem


def clear_cache() -> None:
    """Let go of every reader kept (tests that count parses start from here)."""
    with _OPENED_LOCK:
        _opened.clear()


_DESCRIPTION = re.compile(r"^stream <[^>]*>(?: \([^)]*\))?:\s*")


def _parse(data: bytes) -> tuple[Pdf | None, str | None]:
    import pikepdf

    try:
        # the page tree is walked by `_page_tree_problem` first (bounded, cycles found); qpdf's own walk (when it
        # pushes inherited attributes down to the pages) follows a /Kids entry listed 100,000 times
        pdf = pikepdf.open(io.BytesIO(data), inherit_page_attributes=False)
    except pikepdf.PasswordError:
        return None, "er krypteret med adgangskode; gem en version uden adgangskode"
    except Exception as exc:  # noqa: BLE001 - qpdf raises PdfError, and more kinds on hostile input
        return None, f"er beskadiget og kan ikke åbnes ({_DESCRIPTION.sub('', str(exc)) or type(exc).__name__})"
    try:
        problem = _page_tree_problem(pdf.Root.get("/Pages"))
    except Exception as exc:  # noqa: BLE001
        problem = f"er beskadiget og kan ikke åbnes ({type(exc).__name__})"
    if problem:
        pdf.close()
        return None, problem
    try:
        _inherit(pdf)
    except Exception as exc:  # noqa: BLE001
        pdf.close()
        return None, f"er beskadiget og kan ikke åbnes ({_DESCRIPTION.sub('', str(exc)) or type(exc).__name__})"
    return pdf, None


INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")


def _inherit(pdf: Pdf) -> None:
    """Put on each page what it inherits from the nodes above it (resources, boxes, rotation), as qpdf does when
    opening with `inherit_page_attributes` (which this module leaves off until the tree is known to be sound): a
    page copied into the packet takes only its own keys along. A value shared by several pages is shared by
    reference, so that drawing on one page (`packet.overlay`) never draws on another."""
    import pikepdf

    for page in pdf.pages:
        obj = page.obj
        missing = [key for key in INHERITED if key not in obj]
        node = obj.get("/Parent")
        for _ in range(64):
            if not missing or not isinstance(node, pikepdf.Dictionary):
                break
            for key in [k for k in missing if k in node]:
                value = node[key]
                if isinstance(value, (pikepdf.Dictionary, pikepdf.Array)) and not value.is_indirect:
                    value = node[key] = pdf.make_indirect(value)
                obj[key] = value
                missing.remove(key)
            node = node.get("/Parent")


def _page_tree_problem(root: object) -> str | None:
    """Walk the page tree without qpdf's own flattening: count the pages up to MAX_PAGES and stop at a cycle
    (a /Kids entry that leads back to a node above it), which qpdf reports only when it flattens the tree."""
    import pikepdf

    seen: set[tuple[int, int]] = set()
    todo: list[object] = [root]
    pages = 0
    while todo:
        item = todo.pop()
        if not isinstance(item, pikepdf.Dictionary):
            return "er beskadiget og kan ikke åbnes (sidetræet indeholder noget, der ikke er en side)"
        kids = item.get("/Kids")
        if item.is_indirect:
            if item.objgen in seen and kids is not None:
                return "er beskadiget og kan ikke åbnes (sidetræet henviser til sig selv)"
            seen.add(item.objgen)
        if kids is None:
            pages += 1
            if pages > MAX_PAGES:
                limit = f"{MAX_PAGES:_}".replace("_", ".")
                return f"har over {limit} sider; grænsen er {limit} sider pr. bilag; vedlæg den del, der er relevant"
            continue
        if not isinstance(kids, pikepdf.Array):
            return "er beskadiget og kan ikke åbnes (sidetræet indeholder noget, der ikke er en side)"
        todo.extend(reversed(list(kids)))
    return None if pages else "har ingen sider"
