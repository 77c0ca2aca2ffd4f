"""Drawing on a bilag page after its own content, without touching that content or any other page.

PDF producers (LibreOffice above all) let every page of a document share one `/Resources` dictionary. A
Form XObject added to that shared dictionary under a fixed name is seen by every page, so whatever is drawn
last under that name shows on all of them. Each page drawn on here therefore first gets its own shallow
copy of `/Resources` and of its `/XObject` subdictionary (the values stay references to the same fonts,
images and forms, so nothing is duplicated), and each added form gets a name the page does not use yet.
"""

from __future__ import annotations

from typing import Any

from pikepdf import Array, Dictionary, Name, Pdf, Stream


def _copy(value: Any) -> Dictionary:
    """A new direct dictionary with the same entries (values that are references stay references)."""
    if not isinstance(value, (Dictionary, Stream)):
        return Dictionary()
    keys: list[str] = [str(key) for key in value]
    return Dictionary({key: value[key] for key in keys})


def own_xobjects(page: Dictionary) -> Dictionary:
    """The page's `/XObject` dictionary, after giving the page its own `/Resources` and `/XObject` copies.

    A dictionary held directly (not by reference) in a page belongs to that page alone (qpdf copies direct objects
    with the page that holds them), so it is used as is: a page with many fields is copied once, not per field.
    """
    raw = page.get("/Resources")
    if not (isinstance(raw, Dictionary) and not raw.is_indirect):
        page["/Resources"] = _copy(raw)
    resources: Any = page["/Resources"]
    xobjects = resources.get("/XObject")
    if not (isinstance(xobjects, Dictionary) and not xobjects.is_indirect and raw is not None
            and not raw.is_indirect):
        resources["/XObject"] = _copy(xobjects)
    own: Dictionary = resources["/XObject"]
    return own


def add_form(page: Dictionary, form: Any, base: str) -> str:
    """Put `form` in the page's own XObject dictionary under a name not yet used there; the name."""
    xobjects = own_xobjects(page)
    name, n = f"/{base}", 1
    while name in xobjects:
        n += 1
        name = f"/{base}{n}"
    xobjects[Name(name)] = form
    return name


def draw_after(pdf: Pdf, page: Dictionary, operators: bytes) -> None:
    """Append `operators` to the page, drawn in default user space after the page's own content.

    The existing content streams stay as they are; they are bracketed by q … Q so that whatever graphics
    state they leave behind does not move what is drawn after them.
    """
    contents = page.get("/Contents")
    parts = list(contents) if isinstance(contents, Array) else [] if contents is None else [contents]
    page["/Contents"] = Array([pdf.make_stream(b"q\n"), *parts, pdf.make_stream(b"\nQ\n" + operators + b"\n")])
