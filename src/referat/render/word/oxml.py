"""Small pieces of WordprocessingML python-docx has no API for: fields, hyperlinks, repeated header rows."""

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


def update_fields_on_open(document) -> None:  # type: ignore[no-untyped-def]
    """Ask Word to refresh fields (the table of contents' page numbers) when the file is opened."""
    settings = document.settings.element
    el = settings.find(qn("w:updateFields"))
    if el is None:
        el = OxmlElement("w:updateFields")
        settings.append(el)
    el.set(qn("w:val"), "true")


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
