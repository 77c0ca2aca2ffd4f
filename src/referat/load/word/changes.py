"""Tracked changes and comments of a Word document: listed with their authors, never imported."""

from __future__ import annotations

from dataclasses import dataclass

from .package import Package, W

_KINDS = {"ins": "indsat", "del": "slettet", "moveFrom": "flyttet herfra", "moveTo": "flyttet hertil",
          "rPrChange": "formatering ændret", "pPrChange": "afsnitsformatering ændret",
          "tblPrChange": "tabelformatering ændret", "trPrChange": "rækkeformatering ændret",
          "tcPrChange": "celleformatering ændret", "cellIns": "celle indsat", "cellDel": "celle slettet",
          "numberingChange": "nummerering ændret", "sectPrChange": "sideopsætning ændret"}


@dataclass
class Change:
    kind: str
    author: str
    date: str
    text: str
    where: str

    def describe(self) -> str:
        when = f" {self.date[:10]}" if self.date else ""
        text = f": «{self.text}»" if self.text else ""
        return f"{self.kind} af {self.author}{when}{text}"


def tracked_changes(package: Package) -> list[Change]:
    """Every tracked change in the text, its footnotes and endnotes, in document order."""
    out: list[Change] = []
    for where, root in (("brødteksten", package.document), ("fodnoterne", package.footnotes),
                        ("slutnoterne", package.endnotes)):
        if root is None:
            continue
        for el in root.iter(*(f"{W}{tag}" for tag in _KINDS)):
            tag = el.tag.rsplit("}", 1)[1]
            if tag in ("ins", "del") and el.getparent() is not None and el.getparent().tag in (f"{W}rPr",):
                kind = "afsnitsskift " + ("indsat" if tag == "ins" else "slettet")
            else:
                kind = _KINDS[tag]
            text_tag = f"{W}delText" if tag in ("del", "moveFrom") else f"{W}t"
            text = "".join(t.text or "" for t in el.iter(text_tag))
            text = " ".join(text.split())
            if len(text) > 60:
                text = text[:57] + "…"
            out.append(Change(kind=kind, author=(el.get(f"{W}author") or "ukendt forfatter").strip()[:80],
                              date=el.get(f"{W}date") or "", text=text, where=where))
    return out


def comment_authors(package: Package) -> tuple[int, list[str]] | None:
    """(number of comments, their authors) or None when the document has none."""
    root = package.comments
    refs = sum(1 for _ in package.document.iter(f"{W}commentReference"))
    if root is None and not refs:
        return None
    comments = list(root.iter(f"{W}comment")) if root is not None else []
    if not comments and not refs:
        return None
    names = sorted({(c.get(f"{W}author") or "").strip()[:80] for c in comments} - {""})
    return max(len(comments), refs), names
