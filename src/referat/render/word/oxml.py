"""Small pieces of WordprocessingML python-docx has no API for: fields, the table of contents, bookmarks,
hyperlinks, repeated header rows."""

from __future__ import annotations

from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn


def add_field(paragraph, instruction: str, result_runs: list[str]) -> None:  # type: ignore[no-untyped-def]
    """A complex field (TOC, PAGE …) whose shown result is `result_runs`, one line each, until Word updates it."""
    def fld(kind: str) -> Any:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        return el

    run = paragraph.add_run()
    run._r.append(fld("begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    run._r.append(fld("separate"))
    for i, line in enumerate(result_runs):
        r = paragraph.add_run(line)
        if i < len(result_runs) - 1:
            r.add_break()
    paragraph.add_run()._r.append(fld("end"))


def add_hyperlink(paragraph, url: str, text: str, bold: bool = False, italic: bool = False) -> None:  # type: ignore[no-untyped-def]
    """An external link, styled as one."""
    r_id = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), "0563C1")
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    for flag, tag in ((bold, "w:b"), (italic, "w:i")):
        if flag:
            rpr.append(OxmlElement(tag))
    rpr.append(colour)
    rpr.append(underline)
    run.append(rpr)
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def repeat_header(row) -> None:  # type: ignore[no-untyped-def]
    """Repeat this table row at the top of every page (w:tblHeader); keep rows whole (w:cantSplit)."""
    trpr = row._tr.get_or_add_trPr()
    for tag in ("w:tblHeader", "w:cantSplit"):
        el = OxmlElement(tag)
        trpr.append(el)


def _fld(kind: str) -> Any:
    run = OxmlElement("w:r")
    el = OxmlElement("w:fldChar")
    el.set(qn("w:fldCharType"), kind)
    run.append(el)
    return run


def _instr(text: str) -> Any:
    run = OxmlElement("w:r")
    el = OxmlElement("w:instrText")
    el.set(qn("xml:space"), "preserve")
    el.text = f" {text} "
    run.append(el)
    return run


def _text_run(text: str) -> Any:
    run = OxmlElement("w:r")
    el = OxmlElement("w:t")
    el.set(qn("xml:space"), "preserve")
    el.text = text
    run.append(el)
    return run


def add_toc(paragraph, instruction: str, entries: list[tuple[str, str, int, int]],  # type: ignore[no-untyped-def]
            style_ids: dict[int, str | None], tab_twips: int) -> None:
    """A table of contents as Word writes one: the TOC field whose shown result is a paragraph per entry (text,
    bookmark of its heading, page, level) — a link to the heading, the text, a dotted tab and a PAGEREF field with
    the page number, in the template's style `toc N` for its level (indented by hand where the template has no such
    style). Word shows it as it is, without asking to update fields on opening; LibreOffice shows the numbers too.
    Updating the field in Word (F9) recounts the pages. The first entry goes into `paragraph`."""
    current = paragraph._p
    for n, (text, bookmark, page, level) in enumerate(entries):
        p = current if n == 0 else OxmlElement("w:p")
        if n:
            current.addnext(p)
            current = p
        ppr = p.get_or_add_pPr()
        style_id = style_ids.get(level)
        if not style_id and level > 1:
            ind = OxmlElement("w:ind")
            ind.set(qn("w:left"), str(284 * (level - 1)))  # half a centimetre per level
            ppr.append(ind)
        if style_id:
            style = ppr.find(qn("w:pStyle"))
            if style is None:
                style = OxmlElement("w:pStyle")
                ppr.insert(0, style)
            style.set(qn("w:val"), style_id)
        tabs = OxmlElement("w:tabs")
        tab = OxmlElement("w:tab")
        tab.set(qn("w:val"), "right")
        tab.set(qn("w:leader"), "dot")
        tab.set(qn("w:pos"), str(tab_twips))
        tabs.append(tab)
        ppr.append(tabs)
        if n == 0:
            for el in (_fld("begin"), _instr(instruction), _fld("separate")):
                p.append(el)
        link = OxmlElement("w:hyperlink")
        link.set(qn("w:anchor"), bookmark)
        link.set(qn("w:history"), "1")
        link.append(_text_run(text))
        tab_run = OxmlElement("w:r")
        tab_run.append(OxmlElement("w:tab"))
        link.append(tab_run)
        for el in (_fld("begin"), _instr(f"PAGEREF {bookmark} \\h"), _fld("separate"), _text_run(str(page)),
                   _fld("end")):
            link.append(el)
        p.append(link)
        if n == len(entries) - 1:
            p.append(_fld("end"))


def bookmark(paragraph, name: str, number: int) -> None:  # type: ignore[no-untyped-def]
    """Mark the whole paragraph as the bookmark `name` (a table of contents links and counts pages to it)."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(number))
    ppr = paragraph._p.pPr
    if ppr is not None:
        ppr.addnext(start)
    else:
        paragraph._p.insert(0, start)
    paragraph._p.append(end)


def set_language(document, lang: str = "da-DK") -> None:  # type: ignore[no-untyped-def]
    """Document default language (python-docx's default template says en-US)."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    rpr = rpr_default.find(qn("w:rPr")) if rpr_default is not None else None
    if rpr is None:
        return
    el = rpr.find(qn("w:lang"))
    if el is None:
        el = OxmlElement("w:lang")
        rpr.append(el)
    el.set(qn("w:val"), lang)
    el.set(qn("w:eastAsia"), lang)
