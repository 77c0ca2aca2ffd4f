"""Real Word list numbering: one <w:num> per list, so each list restarts and renumbers itself in Word."""

from __future__ import annotations

from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

_BULLETS = ("•", "–", "▪")


class Numbering:
    """Adds two abstract list definitions (numbered, bulleted) to a document and hands out list instances."""

    def __init__(self, document: Document) -> None:
        self._numbering = document.part.numbering_part.element
        ids = [int(a.get(qn("w:abstractNumId"))) for a in self._numbering.findall(qn("w:abstractNum"))]
        base = max(ids, default=0) + 1
        self._abstract = {"ordered": base, "bullet": base + 1}
        self._add_abstract(base, ordered=True)
        self._add_abstract(base + 1, ordered=False)

    def _add_abstract(self, abstract_id: int, ordered: bool) -> None:
        abstract = OxmlElement("w:abstractNum")
        abstract.set(qn("w:abstractNumId"), str(abstract_id))
        multi = OxmlElement("w:multiLevelType")
        multi.set(qn("w:val"), "hybridMultilevel")
        abstract.append(multi)
        for level in range(3):
            lvl = OxmlElement("w:lvl")
            lvl.set(qn("w:ilvl"), str(level))
            start = OxmlElement("w:start")
            start.set(qn("w:val"), "1")
            fmt = OxmlElement("w:numFmt")
            fmt.set(qn("w:val"), "decimal" if ordered else "bullet")
            text = OxmlElement("w:lvlText")
            text.set(qn("w:val"), f"%{level + 1}." if ordered else _BULLETS[level])
            jc = OxmlElement("w:lvlJc")
            jc.set(qn("w:val"), "left")
            ppr = OxmlElement("w:pPr")
            ind = OxmlElement("w:ind")
            ind.set(qn("w:left"), str(360 * (level + 1)))
            ind.set(qn("w:hanging"), "360")
            ppr.append(ind)
            for el in (start, fmt, text, jc, ppr):
                lvl.append(el)
            abstract.append(lvl)
        # abstractNum elements must precede num elements in numbering.xml
        first_num = self._numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            self._numbering.append(abstract)

    def new_list(self, ordered: bool, start: int = 1) -> int:
        """A new list instance (numId) that starts at `start`."""
        ids = [int(n.get(qn("w:numId"))) for n in self._numbering.findall(qn("w:num"))]
        num_id = max(ids, default=0) + 1
        num = OxmlElement("w:num")
        num.set(qn("w:numId"), str(num_id))
        ref = OxmlElement("w:abstractNumId")
        ref.set(qn("w:val"), str(self._abstract["ordered" if ordered else "bullet"]))
        num.append(ref)
        for level in range(3):
            override = OxmlElement("w:lvlOverride")
            override.set(qn("w:ilvl"), str(level))
            so = OxmlElement("w:startOverride")
            so.set(qn("w:val"), str(start if level == 0 else 1))
            override.append(so)
            num.append(override)
        self._numbering.append(num)
        return num_id


def set_numbering(paragraph, num_id: int, level: int) -> None:  # type: ignore[no-untyped-def]
    """Make `paragraph` an item of list `num_id` at `level`."""
    ppr = paragraph._p.get_or_add_pPr()
    numpr = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), str(min(level, 2)))
    nid = OxmlElement("w:numId")
    nid.set(qn("w:val"), str(num_id))
    numpr.append(ilvl)
    numpr.append(nid)
    style = ppr.find(qn("w:pStyle"))
    if style is not None:
        style.addnext(numpr)
    else:
        ppr.insert(0, numpr)
