"""Signature fields in the structure tree, so that signed minutes stay the accessible document they were.

The minutes come out of Typst tagged (PDF/UA-1). A signature field is a widget annotation, and PDF/UA asks that
every widget sit in the structure tree as a `Form` element holding an object reference (`OBJR`) to it, with an
alternative description (`/TU`); a visible signature's appearance is content too, so its marked content is tied
to the same `Form` element (marked-content references with `/Stm` into the appearance's form XObject, and the
XObject's `/StructParents` in the parent tree, ISO 32000-1 14.7.4.3). Everything is added in the signature's own
incremental update, before the signature is computed.

Adding an element changes two objects of the signed revisions: the structure tree root (its parent tree) and the
element whose kids the new `Form` joins. pyHanko's difference analysis knows no rule for that, so it would call a
second signature a forbidden change to the first; `DIFF_POLICY` is pyHanko's default policy plus
`SignatureStructureRule`, which clears exactly these appends (and nothing else) at the level of form filling.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.reader import HistoricalResolver
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.sign.diff_analysis import QualifiedWhitelistRule, ReferenceUpdate, StandardDiffPolicy
from pyhanko.sign.diff_analysis.policies import DEFAULT_DIFF_POLICY
from pyhanko.sign.diff_analysis.policy_api import ModificationLevel

__all__ = ["DIFF_POLICY", "SignatureStructureRule", "Tagged", "tag_field"]


@dataclass
class Tagged:
    """A signature field placed in the structure tree: its `Form` element, its widget and the widget's page."""

    writer: BasePdfFileWriter
    form: generic.IndirectObject
    widget: generic.IndirectObject
    page: generic.IndirectObject

    def appearance(self, xobject: generic.IndirectObject, mcids: list[int]) -> None:
        """Tie the marked content `mcids` of the appearance's form XObject `xobject` to the `Form` element."""
        if not mcids:
            return
        tree = self.writer.root["/StructTreeRoot"]
        key = _next_key(tree)
        stream = xobject.get_object()
        stream[pdf_name("/StructParents")] = generic.NumberObject(key)
        parents = generic.ArrayObject([self.form] * (max(mcids) + 1))
        _parent_tree_add(self.writer, tree, key, self.writer.add_object(parents))
        form = self.form.get_object()
        kids = form["/K"]
        for mcid in mcids:
            kids.append(generic.DictionaryObject({
                pdf_name("/Type"): pdf_name("/MCR"), pdf_name("/MCID"): generic.NumberObject(mcid),
                pdf_name("/Stm"): xobject, pdf_name("/StmOwn"): self.widget, pdf_name("/Pg"): self.page}))
        self.writer.update_container(tree)


def tag_field(writer: BasePdfFileWriter, field: generic.IndirectObject, page: generic.IndirectObject) -> Tagged | None:
    """Put the new signature field `field` (field and widget in one dictionary, on `page`; its /TU set by the
    caller) into the structure tree: a `Form` element with an `OBJR` to it. None for an untagged document (it
    claims no accessibility, and gets no structure tree from us)."""
    widget = field.get_object()
    root = writer.root
    if "/StructTreeRoot" not in root:
        return None
    tree_ref = root.raw_get("/StructTreeRoot")
    tree = tree_ref.get_object()
    parent_ref = _parent_element(tree_ref)
    key = _next_key(tree)
    form = writer.add_object(generic.DictionaryObject({
        pdf_name("/Type"): pdf_name("/StructElem"), pdf_name("/S"): pdf_name("/Form"), pdf_name("/P"): parent_ref,
        pdf_name("/Pg"): page, pdf_name("/K"): generic.ArrayObject([generic.DictionaryObject({
            pdf_name("/Type"): pdf_name("/OBJR"), pdf_name("/Obj"): field, pdf_name("/Pg"): page})]),
    }))
    widget[pdf_name("/StructParent")] = generic.NumberObject(key)
    writer.update_container(widget)
    _parent_tree_add(writer, tree, key, form)
    parent = parent_ref.get_object()
    kids = parent.get("/K")
    if isinstance(kids, generic.ArrayObject):
        kids.append(form)
    else:
        parent[pdf_name("/K")] = generic.ArrayObject(([kids] if kids is not None else []) + [form])
    writer.update_container(parent)
    writer.update_container(tree)
    return Tagged(writer, form, field, page)


def _parent_element(tree_ref: generic.IndirectObject) -> generic.IndirectObject:
    """Where a new element goes: the document's one top element (Typst's `Document`), else the tree root."""
    kids = tree_ref.get_object().get("/K")
    if isinstance(kids, generic.ArrayObject) and len(kids) == 1:
        kids = kids.raw_get(0)
    if isinstance(kids, generic.IndirectObject) and kids.get_object().get("/S") is not None:
        return kids
    return tree_ref


def _next_key(tree: generic.DictionaryObject) -> int:
    """The next free key of the parent tree (and the tree's /ParentTreeNextKey moved past it)."""
    used = [int(k) for k, _ in _numbers(tree.get("/ParentTree"))]
    key = max([int(tree.get("/ParentTreeNextKey", 0)), *(k + 1 for k in used)])
    tree[pdf_name("/ParentTreeNextKey")] = generic.NumberObject(key + 1)
    return key


def _numbers(node: generic.PdfObject | None) -> Iterator[tuple[int, generic.PdfObject]]:
    """Every (key, value) pair of a number tree."""
    if node is None:
        return
    node = node.get_object()
    if not isinstance(node, generic.DictionaryObject):
        return
    nums = node.get("/Nums")
    if isinstance(nums, generic.ArrayObject):
        for i in range(0, len(nums) - 1, 2):
            yield int(nums[i]), nums.raw_get(i + 1)
    for kid in node.get("/Kids", []):
        yield from _numbers(kid)


def _parent_tree_add(writer: BasePdfFileWriter, tree: generic.DictionaryObject, key: int,
                     value: generic.PdfObject) -> None:
    """Add `key` (larger than every key in it) to the parent tree."""
    parent_tree = tree.get("/ParentTree")
    if parent_tree is None:
        tree[pdf_name("/ParentTree")] = generic.DictionaryObject({
            pdf_name("/Nums"): generic.ArrayObject([generic.NumberObject(key), value])})
        return
    node = parent_tree.get_object()
    if "/Kids" in node:  # a tree of leaves: a new leaf at the end holds the new (largest) key
        leaf = writer.add_object(generic.DictionaryObject({
            pdf_name("/Nums"): generic.ArrayObject([generic.NumberObject(key), value]),
            pdf_name("/Limits"): generic.ArrayObject([generic.NumberObject(key), generic.NumberObject(key)])}))
        node["/Kids"].append(leaf)
    else:
        node.setdefault(pdf_name("/Nums"), generic.ArrayObject()).extend([generic.NumberObject(key), value])
    if isinstance(tree.raw_get("/ParentTree"), generic.IndirectObject):
        writer.update_container(node)


# --- the difference analysis ---------------------------------------------------------------------------------


class SignatureStructureRule(QualifiedWhitelistRule):
    """Clears what `tag_field` changes in objects of an earlier revision — the parent tree (new keys appended,
    each pointing at new `Form` elements), the structure tree root's /ParentTreeNextKey and the `/K` of the element
    the new `Form` elements join (appended) — and the new `Form` elements themselves, when each holds only
    references to signature widgets new in the revision and to marked content of their appearances. Anything
    else stays unexplained, as pyHanko's default policy leaves it."""

    def apply_qualified(self, old: HistoricalResolver,
                        new: HistoricalResolver) -> Iterable[tuple[ModificationLevel, ReferenceUpdate]]:
        tree_ref = old.root.raw_get("/StructTreeRoot") if "/StructTreeRoot" in old.root else None
        if not isinstance(tree_ref, generic.IndirectObject):
            return
        # `old` is the signed revision, `new` any later one: a Form element (and its widget) counts as new when it
        # did not exist in the signed revision, whichever later revision added it
        forms = _NewForms(old, new)
        written = list(new.explicit_refs_in_revision())
        if not any(forms.contains(r) for r in written):
            return
        # like pyHanko's rule for the fields themselves: an invisible field is an LTA-level change (a document
        # timestamp's), a visible one form filling
        visible = any(_visible(new(r)) for r in written if forms.contains(r))
        level = ModificationLevel.FORM_FILLING if visible else ModificationLevel.LTA_UPDATES
        pairs_ok = _parent_tree_appended(old(tree_ref.reference), new(tree_ref.reference), forms)
        tree_nodes = _parent_tree_nodes(new(tree_ref.reference))
        for ref in written:
            value = new(ref)
            if forms.contains(ref):
                yield level, ReferenceUpdate(ref)
            elif ref == tree_ref.reference:
                if pairs_ok and _tree_root_ok(old(ref), value, forms):
                    yield level, ReferenceUpdate(ref)
            elif ref in tree_nodes:
                if pairs_ok:
                    yield level, ReferenceUpdate(ref)
            elif old.is_ref_unassignable(ref):  # an array of Form elements in the parent tree (an appearance's MCIDs)
                if _all_forms(value, forms):
                    yield level, ReferenceUpdate(ref)
            elif _kids_appended(old(ref), value, forms):
                yield level, ReferenceUpdate(ref)


class _NewForms:
    """The `Form` elements of signature fields added after the signed revision `old` (checked once each)."""

    def __init__(self, old: HistoricalResolver, new: HistoricalResolver) -> None:
        self.old, self.new = old, new
        self.known: dict[generic.Reference, bool] = {}

    def __contains__(self, ref: object) -> bool:
        return isinstance(ref, generic.Reference) and self.contains(ref)

    def contains(self, ref: generic.Reference) -> bool:
        if ref not in self.known:
            self.known[ref] = self.old.is_ref_unassignable(ref) and _is_signature_form(self.new(ref), self.old)
        return self.known[ref]


def _is_signature_form(elem: object, old: HistoricalResolver) -> bool:
    """A `Form` structure element holding only OBJRs to signature widgets that `old` did not have, and MCRs."""
    if not isinstance(elem, generic.DictionaryObject) or elem.get("/S") != "/Form" or elem.get("/Type") != "/StructElem":
        return False
    kids = elem.get("/K")
    if not isinstance(kids, generic.ArrayObject) or not kids:
        return False
    for kid in kids:
        if not isinstance(kid, generic.DictionaryObject):
            return False
        if kid.get("/Type") == "/OBJR":
            raw = kid.raw_get("/Obj")
            widget = kid["/Obj"]
            if not isinstance(raw, generic.IndirectObject) or not old.is_ref_unassignable(raw.reference):
                return False
            parent = widget.get("/Parent") if isinstance(widget, generic.DictionaryObject) else None
            kind = widget.get("/FT") if isinstance(widget, generic.DictionaryObject) else None
            if kind is None and isinstance(parent, generic.DictionaryObject):
                kind = parent.get("/FT")
            if kind != "/Sig":
                return False
        elif kid.get("/Type") != "/MCR" or "/Stm" not in kid:
            return False
    return True


def _visible(form: generic.DictionaryObject) -> bool:
    """Whether a `Form` element's widget has an area on the page."""
    for kid in form["/K"]:
        if isinstance(kid, generic.DictionaryObject) and kid.get("/Type") == "/OBJR":
            x1, y1, x2, y2 = (float(v) for v in kid["/Obj"].get("/Rect", [0, 0, 0, 0]))
            if abs(x2 - x1) > 0 and abs(y2 - y1) > 0:
                return True
    return False


def _all_forms(value: object, forms: _NewForms) -> bool:
    return (isinstance(value, generic.ArrayObject) and len(value) > 0
            and all(isinstance(value.raw_get(i), generic.IndirectObject) and value.raw_get(i).reference in forms
                    for i in range(len(value))))


def _same_except(old: generic.DictionaryObject, new: generic.DictionaryObject, keys: set[str]) -> bool:
    if set(old.keys()) - keys != set(new.keys()) - keys:
        return False
    return all(old.raw_get(k) == new.raw_get(k) for k in old if k not in keys)


def _appended(old: object, new: object) -> list[generic.PdfObject] | None:
    """What `new` (an array) adds at the end of `old` (an array, a single object or nothing), or None."""
    before = ([old.raw_get(i) for i in range(len(old))] if isinstance(old, generic.ArrayObject)
              else [] if old is None else [old])
    if not isinstance(new, generic.ArrayObject) or len(new) < len(before):
        return None
    raw = [new.raw_get(i) for i in range(len(new))]
    return raw[len(before):] if raw[:len(before)] == before else None


def _only_forms_added(old: generic.DictionaryObject, new: generic.DictionaryObject,
                      forms: _NewForms) -> bool:
    """/K unchanged, or only new `Form` elements appended to it."""
    before = old.raw_get("/K") if "/K" in old else None
    after = new.raw_get("/K") if "/K" in new else None
    if before == after:
        return True
    added = _appended(before, after)
    return added is not None and bool(added) and all(
        isinstance(a, generic.IndirectObject) and a.reference in forms for a in added)


def _kids_appended(old: object, new: object, forms: _NewForms) -> bool:
    """A structure element whose only change is new `Form` elements appended to its /K."""
    return (isinstance(old, generic.DictionaryObject) and isinstance(new, generic.DictionaryObject)
            and old.get("/Type") == "/StructElem" and _same_except(old, new, {"/K"})
            and old.raw_get("/K") != new.raw_get("/K") and _only_forms_added(old, new, forms))


def _tree_root_ok(old: object, new: object, forms: _NewForms) -> bool:
    """The structure tree root changed only in its parent tree (checked apart), /ParentTreeNextKey and /K."""
    if not (isinstance(old, generic.DictionaryObject) and isinstance(new, generic.DictionaryObject)):
        return False
    return (_same_except(old, new, {"/ParentTree", "/ParentTreeNextKey", "/K"})
            and int(new.get("/ParentTreeNextKey", 0)) >= int(old.get("/ParentTreeNextKey", 0))
            and _only_forms_added(old, new, forms))


def _parent_tree_appended(old_tree: object, new_tree: object, forms: _NewForms) -> bool:
    """The parent tree's (key, value) pairs: the old ones unchanged, then only larger keys pointing at new
    `Form` elements (or arrays of them)."""
    if not (isinstance(old_tree, generic.DictionaryObject) and isinstance(new_tree, generic.DictionaryObject)):
        return False
    old_pairs = list(_numbers(old_tree.get("/ParentTree")))
    new_pairs = list(_numbers(new_tree.get("/ParentTree")))
    if new_pairs[:len(old_pairs)] != old_pairs:
        return False
    top = max((k for k, _ in old_pairs), default=-1)
    for key, value in new_pairs[len(old_pairs):]:
        target = value.get_object() if isinstance(value, generic.IndirectObject) else value
        if key <= top or not ((isinstance(value, generic.IndirectObject) and value.reference in forms)
                              or _all_forms(target, forms)):
            return False
        top = key
    return True


def _parent_tree_nodes(tree: object) -> set[generic.Reference]:
    """The indirect nodes of the parent tree (its root and leaves)."""
    found: set[generic.Reference] = set()

    def visit(raw: object) -> None:
        if isinstance(raw, generic.IndirectObject):
            found.add(raw.reference)
        node = raw.get_object() if isinstance(raw, generic.IndirectObject) else raw
        if isinstance(node, generic.DictionaryObject) and isinstance(node.get("/Kids"), generic.ArrayObject):
            kids = node["/Kids"]
            for i in range(len(kids)):
                visit(kids.raw_get(i))

    if isinstance(tree, generic.DictionaryObject) and "/ParentTree" in tree:
        visit(tree.raw_get("/ParentTree"))
    return found


DIFF_POLICY = StandardDiffPolicy(
    global_rules=[*DEFAULT_DIFF_POLICY.global_rules, SignatureStructureRule()],
    form_rule=DEFAULT_DIFF_POLICY.form_rule,
)
"""pyHanko's default difference policy, plus the structure-tree appends of a later tagged signature field."""

