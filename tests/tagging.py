"""What makes a PDF's tagging whole, read back with pikepdf: the checks a signed file must pass as its unsigned
minutes do (issue 25, item 4).

* the document is marked (`/MarkInfo /Marked true`) and has a structure tree;
* every marked-content sequence with an MCID on a page belongs to a structure element through the page's
  `/StructParents` entry in the parent tree, and that element is in the tree;
* every link and widget annotation belongs to a structure element (`/StructParent`) that holds an `OBJR` to it —
  a `Link` element for a link, a `Form` element for a widget — and every widget (or its field) has a `/TU`;
* a visible widget's appearance: every MCID in its form XObjects belongs, through the XObject's `/StructParents`,
  to the widget's `Form` element, which holds a marked-content reference (`MCR`, `/Stm`) to it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pikepdf


def numbers(node: Any) -> dict[int, Any]:
    """A number tree as a dict."""
    out: dict[int, Any] = {}
    if node is None:
        return out
    nums = node.get("/Nums")
    if nums is not None:
        for i in range(0, len(nums) - 1, 2):
            out[int(nums[i])] = nums[i + 1]
    for kid in node.get("/Kids", []):
        out.update(numbers(kid))
    return out


def _key(obj: Any) -> tuple[int, int] | None:
    return obj.objgen if isinstance(obj, pikepdf.Object) and obj.is_indirect else None


def _elements(tree: Any) -> tuple[set[tuple[int, int]], dict[tuple[int, int], Any]]:
    """The indirect structure elements reachable from the tree root, and each by its object id."""
    seen: set[tuple[int, int]] = set()
    found: dict[tuple[int, int], Any] = {}
    stack = [tree.get("/K")]
    while stack:
        node = stack.pop()
        if node is None:
            continue
        if isinstance(node, pikepdf.Array):
            stack.extend(list(node))
            continue
        if not isinstance(node, pikepdf.Dictionary):
            continue
        key = _key(node)
        if key is not None:
            if key in seen:
                continue
            seen.add(key)
            found[key] = node
        if node.get("/Type") in (pikepdf.Name.OBJR, pikepdf.Name.MCR):
            continue
        stack.append(node.get("/K"))
    return seen, found


def _mcids(stream: Any) -> list[int]:
    found = []
    for operands, operator in pikepdf.parse_content_stream(stream):
        if str(operator) == "BDC" and len(operands) == 2 and isinstance(operands[1], pikepdf.Dictionary):
            mcid = operands[1].get("/MCID")
            if mcid is not None:
                found.append(int(mcid))
    return found


def _form_xobjects(stream: Any, depth: int = 0) -> list[Any]:
    """`stream` and every form XObject it paints, depth first."""
    out = [stream]
    resources = stream.get("/Resources")
    if resources is None or depth > 5:
        return out
    for xobj in (resources.get("/XObject") or {}).values():
        if xobj.get("/Subtype") == pikepdf.Name.Form:
            out.extend(_form_xobjects(xobj, depth + 1))
    return out


def _zero(rect: Any) -> bool:
    x1, y1, x2, y2 = (float(v) for v in rect)
    return abs(x2 - x1) == 0 or abs(y2 - y1) == 0


def problems(path: Path) -> list[str]:
    """Every way `path`'s tagging is not whole (empty when it is)."""
    out: list[str] = []
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        if not bool(root.get("/MarkInfo", {}).get("/Marked", False)):
            out.append("ikke markeret som tagget (/MarkInfo)")
        tree = root.get("/StructTreeRoot")
        if tree is None:
            return [*out, "intet strukturtræ"]
        reachable, _ = _elements(tree)
        parents = numbers(tree.get("/ParentTree"))
        for number, page in enumerate(pdf.pages, 1):
            ids = _mcids(page)
            if ids:
                entry = parents.get(int(page.obj.get("/StructParents", -1)))
                for mcid in ids:
                    elem = entry[mcid] if entry is not None and mcid < len(entry) else None
                    if elem is None or _key(elem) not in reachable:
                        out.append(f"side {number}: MCID {mcid} hører ikke til et element i strukturtræet")
            for annot in page.obj.get("/Annots", []):
                out.extend(_annotation(annot, number, parents, reachable))
    return out


def _annotation(annot: Any, page: int, parents: dict[int, Any], reachable: set[tuple[int, int]]) -> list[str]:
    subtype = annot.get("/Subtype")
    if subtype not in (pikepdf.Name.Link, pikepdf.Name.Widget):
        return []
    name = str(annot.get("/T", subtype))
    key = annot.get("/StructParent")
    elem = parents.get(int(key)) if key is not None else None
    if elem is None or _key(elem) not in reachable:
        return [f"side {page}: {name} er ikke i strukturtræet"]
    kids = elem.get("/K")
    kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    if not any(isinstance(k, pikepdf.Dictionary) and k.get("/Type") == pikepdf.Name.OBJR
               and _key(k.get("/Obj")) == _key(annot) for k in kids):
        return [f"side {page}: {name}s element har ingen OBJR til den"]
    wanted = pikepdf.Name.Form if subtype == pikepdf.Name.Widget else pikepdf.Name.Link
    if elem.get("/S") != wanted:
        return [f"side {page}: {name} står i et {elem.get('/S')}-element, ikke {wanted}"]
    if subtype != pikepdf.Name.Widget:
        return []
    field = annot if "/T" in annot else annot.get("/Parent", annot)
    if not str(field.get("/TU", "")).strip():
        return [f"side {page}: {name} har ingen /TU (alternativ beskrivelse)"]
    if _zero(annot.get("/Rect", [0, 0, 0, 0])) or "/AP" not in annot:
        return []
    found = []
    for stream in _form_xobjects(annot.AP.N):
        ids = _mcids(stream)
        if not ids:
            continue
        entry = parents.get(int(stream.get("/StructParents", -1)))
        refs = {int(k.MCID) for k in kids if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == pikepdf.Name.MCR
                and _key(k.get("/Stm")) == _key(stream)}
        for mcid in ids:
            owner = entry[mcid] if entry is not None and mcid < len(entry) else None
            if owner is None or _key(owner) != _key(elem) or mcid not in refs:
                found.append(f"side {page}: {name}s udseende har MCID {mcid}, som ikke hører til dets Form-element")
    return found


def xmp(path: Path) -> str:
    """The document's newest XMP metadata as text."""
    with pikepdf.open(path) as pdf:
        return bytes(pdf.Root.Metadata.read_bytes()).decode("utf-8")


def claims(path: Path) -> dict[str, str]:
    """The PDF/A and PDF/UA claims of the XMP: {'pdfaid:part': '2', 'pdfaid:conformance': 'B', 'pdfuaid:part': '1'}."""
    text = xmp(path)
    return {key: m[1] for key in ("pdfaid:part", "pdfaid:conformance", "pdfuaid:part")
            if (m := re.search(rf'{key}(?:="|>)([^"<]+)', text))}
