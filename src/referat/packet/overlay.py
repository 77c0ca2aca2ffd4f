"""Drawing on a bilag page after its own content, without touching that content or any other page.

PDF producers (LibreOffice above all) let every page of a document share one `/Resources` dictionary. A
Form XObject added to that shared dictionary under a fixed name is seen by every page, so whatever is drawn
last under that name shows on all of them. Each page drawn on here therefore first gets its own shallow
copy of `/Resources` and of its `/XObject` subdictionary (the values stay references to the same fonts,
images and forms, so nothing is duplicated), and each added form gets a name the page does not use yet.
"""

from __future__ import annotations

from typing import Any

from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, IndirectObject, NameObject


def own_xobjects(page: Any) -> DictionaryObject:
    """The page's `/XObject` dictionary, after giving the page its own `/Resources` and `/XObject` copies.

    A dictionary held directly (not by reference) in a page of the writer belongs to that page alone (pypdf
    clones direct objects per page), so it is used as is: a page with many fields is copied once, not per field.
    """
    raw = page.raw_get("/Resources") if "/Resources" in page else None
    if isinstance(raw, DictionaryObject):
        resources = raw
    else:
        shared = raw.get_object() if raw is not None else None
        resources = DictionaryObject(shared.items()) if isinstance(shared, DictionaryObject) else DictionaryObject()
        page[NameObject("/Resources")] = resources
    raw_xobjects = resources.raw_get("/XObject") if "/XObject" in resources else None
    if isinstance(raw_xobjects, DictionaryObject) and raw is resources:
        return raw_xobjects
    xobjects = raw_xobjects.get_object() if raw_xobjects is not None else None
    own = DictionaryObject(xobjects.items()) if isinstance(xobjects, DictionaryObject) else DictionaryObject()
    resources[NameObject("/XObject")] = own
    return own


def add_form(page: Any, form: IndirectObject, base: str) -> str:
    """Put `form` in the page's own XObject dictionary under a name not yet used there; the name."""
    xobjects = own_xobjects(page)
    name, n = f"/{base}", 1
    while name in xobjects:
        n += 1
        name = f"/{base}{n}"
    xobjects[NameObject(name)] = form
    return name


def draw_after(writer: PdfWriter, page: Any, operators: bytes) -> None:
    """Append `operators` to the page, drawn in default user space after the page's own content.

    The existing content streams stay as they are; they are bracketed by q … Q so that whatever graphics
    state they leave behind does not move what is drawn after them.
    """
    before, after = DecodedStreamObject(), DecodedStreamObject()
    before.set_data(b"q\n")
    after.set_data(b"\nQ\n" + operators + b"\n")
    contents = page.get("/Contents")
    body = contents.get_object() if contents is not None else None
    parts = [] if body is None else (list(body) if isinstance(body, ArrayObject) else [page.raw_get("/Contents")])
    page[NameObject("/Contents")] = ArrayObject([writer._add_object(before), *parts, writer._add_object(after)])
