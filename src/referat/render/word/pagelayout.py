"""The page layout of the Word file as the committee's profile sets it (the view's `layout`): where the table of
contents goes, the running header on every page or only where an item starts, the page number's wording and the
front page's footer. The template brings the letterhead; this module only adapts what it finds there.

A running header on every page that names the item's access (Åben/Lukket) is a header of the item's own: each item
is a section of its own (a section break where it begins, headers not linked to the section before, footers
linked, page numbers running on), so Word and LibreOffice show the right word without a field to update."""

from __future__ import annotations

import copy
import re
from typing import Any

from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from ...view.types import DocumentView

STATUS_STYLE = "Punktstatus"  # the access line above each item's heading


def place_contents(marker: Any, toc: str) -> bool:
    """The table of contents where the profile wants it: "none" removes its marker, the heading just above it and
    the page break before that; "front" removes the page break only. Whether a table of contents is written."""
    heading = _previous(marker)
    if heading is not None and not _style_name(heading).lower().startswith("toc"):
        heading = None
    brk = _previous(heading if heading is not None else marker)
    if brk is not None and not _only_page_break(brk):
        brk = None
    if toc in ("none", "front") and brk is not None:
        brk.getparent().remove(brk)
    if toc == "none":
        if heading is not None:
            heading.getparent().remove(heading)
        marker._p.getparent().remove(marker._p)
        return False
    return True


def _previous(paragraph: Any) -> Any:
    element = paragraph._p if hasattr(paragraph, "_p") else paragraph
    prev = element.getprevious()
    return prev if prev is not None and prev.tag == qn("w:p") else None


def _style_name(p: Any) -> str:
    ppr = p.find(qn("w:pPr"))
    style = ppr.find(qn("w:pStyle")) if ppr is not None else None
    return style.get(qn("w:val")) or "" if style is not None else ""


def _only_page_break(p: Any) -> bool:
    texts = "".join(t.text or "" for t in p.iter(qn("w:t")))
    breaks = [b for b in p.iter(qn("w:br")) if b.get(qn("w:type")) == "page"]
    return bool(breaks) and not texts.strip()


def lay_out_pages(doc: Any, view: DocumentView, starts: list[Any] | None = None) -> None:
    """Running header, page numbers and the front page's footer; `starts` are the items' first paragraphs."""
    layout = view["layout"]
    header_text = view["header"]
    if layout["header"] == "every_page" and starts:
        _item_sections(doc, view, starts)
    for section in doc.sections[:1] if layout["header"] == "every_page" and starts else doc.sections:
        for header in (section.header, section.even_page_header):
            if header.is_linked_to_previous:
                continue
            for paragraph in header.paragraphs:
                if layout["header"] == "item_start" and paragraph.text.strip() == header_text.strip():
                    _clear(paragraph)  # the header stands at each item's start instead (see Builder.item)
    for section in doc.sections:
        footers = [section.footer, section.even_page_footer]
        if section.different_first_page_header_footer:
            if layout["front_footer"]:
                footers.append(section.first_page_footer)
            else:
                for paragraph in section.first_page_footer.paragraphs:
                    _clear(paragraph)
        for footer in footers:
            if footer.is_linked_to_previous:
                continue
            for paragraph in footer.paragraphs:
                if _has_field(paragraph, "PAGE"):
                    _page_number(paragraph, view["labels"]["page"])


def _item_sections(doc: Any, view: DocumentView, starts: list[Any]) -> None:
    """Each item a section of its own, with the running header and its access word at the right margin."""
    body = doc.element.body
    last = body.find(qn("w:sectPr"))
    if last is None:
        return
    for n, start in enumerate(starts):
        before = start.getprevious()
        if before is None or before.tag != qn("w:p"):
            before = OxmlElement("w:p")
            start.addprevious(before)
        sect = copy.deepcopy(last)
        if n:  # an item's section: headers and footers as the section before, until set below
            for ref in sect.findall(qn("w:headerReference")) + sect.findall(qn("w:footerReference")):
                sect.remove(ref)
            for title_page in sect.findall(qn("w:titlePg")):
                sect.remove(title_page)
        before.get_or_add_pPr().append(sect)  # ends the section before the item
        ppr = start.find(qn("w:pPr"))
        brk = ppr.find(qn("w:pageBreakBefore")) if ppr is not None else None
        if brk is not None:  # the section break begins the page
            ppr.remove(brk)
    # the last item's section is the body's own: its header a part of its own too (the front keeps the template's)
    for ref in last.findall(qn("w:headerReference")):
        last.remove(ref)
    for title_page in last.findall(qn("w:titlePg")):
        last.remove(title_page)
    sections = doc.sections
    header_style = doc.styles["Header"] if _has_style(doc, "Header") else None  # looked up once, not per item
    for section, item in zip(list(sections)[1:], view["items"], strict=True):
        section.different_first_page_header_footer = False
        header = section.header
        header.is_linked_to_previous = False
        paragraphs = header.paragraphs
        for extra in paragraphs[1:]:
            extra._p.getparent().remove(extra._p)
        paragraph = paragraphs[0]
        _clear(paragraph)
        if header_style is not None:
            paragraph.style = header_style
        width = (section.page_width or 0) - (section.left_margin or 0) - (section.right_margin or 0)
        if width:
            paragraph.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
        paragraph.add_run(view["header"])
        paragraph.add_run().add_tab()
        paragraph.add_run(item["access"]).bold = True


def _has_style(doc: Any, name: str) -> bool:
    return any(s.name == name for s in doc.styles)


def _clear(paragraph: Any) -> None:
    for child in list(paragraph._p):
        if child.tag != qn("w:pPr"):
            paragraph._p.remove(child)


def _has_field(paragraph: Any, name: str) -> bool:
    return any((t.text or "").split()[:1] == [name] for t in paragraph._p.iter(qn("w:instrText")))


def _page_number(paragraph: Any, pattern: str) -> None:
    """The footer's page number in the profile's wording: its text with PAGE ({x}) and NUMPAGES ({y}) fields."""
    _clear(paragraph)
    for part in re.split(r"(\{x\}|\{y\})", pattern):
        if part == "{x}":
            _field(paragraph, "PAGE", "1")
        elif part == "{y}":
            _field(paragraph, "NUMPAGES", "1")
        elif part:
            paragraph.add_run(part)


def _field(paragraph: Any, instruction: str, shown: str, bold: bool = False) -> None:
    """A complex field with its shown result."""
    def char(kind: str) -> Any:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        return el

    run = paragraph.add_run()
    run._r.append(char("begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    run._r.append(char("separate"))
    result = paragraph.add_run(shown)
    result.bold = bold or None
    paragraph.add_run()._r.append(char("end"))
