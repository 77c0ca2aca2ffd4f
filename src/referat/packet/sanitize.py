"""Nothing active from a bilag reaches the packet, and form fields print as they look.

A bilag may come by e-mail from anyone. What a PDF reader could run or open by itself is removed: document
JavaScript, open actions, trigger actions (`/AA`) on the document, pages, fields and annotations, links that
run, launch, submit, reset, import or open other files, `/URI` links to anything but http, https and mailto,
file attachments and embedded files, XFA, and rich media (video, sound, 3D). Form fields and signature fields
are flattened: each widget's normal appearance is drawn into the page where it was shown, then the widget and
the form are dropped, so a filled-in form prints as it looked and a signed bilag shows no broken signature.

`clean_part` works on one bilag's pages in the packet's writer and says what it removed; `clean_packet` then
clears the catalog and drops every object no longer reachable, so nothing removed is left in the file.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, StreamObject

from .overlay import add_form, draw_after

MEDIA = {"/FileAttachment": "vedhæftet", "/RichMedia": "medie", "/Movie": "medie", "/Sound": "medie",
         "/Screen": "medie", "/3D": "medie"}
LINK_ACTIONS = {"/GoTo", "/URI", "/Named"}  # everything else (JavaScript, Launch, SubmitForm, GoToR, …) goes
SAFE_SCHEMES = ("http://", "https://", "mailto:")
HIDDEN = 2 | 32  # annotation flags Hidden and NoView: not shown, so not drawn


def _actions(action: Any) -> list[DictionaryObject]:
    """An action and the actions it chains to with /Next (a dictionary or an array of them)."""
    found: list[DictionaryObject] = []
    todo = [action]
    while todo and len(found) < 1000:
        item = todo.pop()
        item = item.get_object() if item is not None else None
        if isinstance(item, ArrayObject):
            todo.extend(item)
        elif isinstance(item, DictionaryObject):
            found.append(item)
            todo.append(item.get("/Next"))
    return found


def _uri_ok(action: DictionaryObject) -> bool:
    uri = action.get("/URI")
    uri = uri.get_object() if uri is not None else None
    text = uri.decode("latin-1") if isinstance(uri, bytes) else str(uri or "")
    return text.strip().lower().startswith(SAFE_SCHEMES)


def _safe_link_action(action: Any) -> bool:
    """Whether following this action (and its /Next chain) only moves within the file or opens a web or
    e-mail address; a dictionary without /S is no action and harmless."""
    for step in _actions(action):
        kind = step.get("/S")
        if kind is None:
            continue
        if kind not in LINK_ACTIONS or (kind == "/URI" and not _uri_ok(step)):
            return False
    return True


def _kind(actions: Any) -> str:
    """What kind of active content a set of actions is, for the message."""
    kinds = {step.get("/S") for step in _actions(actions)}
    if "/JavaScript" in kinds:
        return "javascript"
    if "/Launch" in kinds:
        return "launch"
    return "handling"


def _trigger_kinds(aa: Any) -> set[str]:
    aa = aa.get_object() if aa is not None else None
    if not isinstance(aa, DictionaryObject):
        return {"handling"}
    return {_kind(value) for value in aa.values()} or {"handling"}


def document_content(reader: PdfReader) -> Counter[str]:
    """What the bilag carries at document level (none of it is ever copied into the packet)."""
    found: Counter[str] = Counter()
    try:
        root = reader.root_object
        names = root.get("/Names")
        names = names.get_object() if names is not None else DictionaryObject()
        if "/JavaScript" in names:
            found["javascript"] += 1
        if "/EmbeddedFiles" in names:
            tree: Any = names["/EmbeddedFiles"].get_object()
            found["vedhæftet"] += max(1, len(tree.get("/Names", [])) // 2)
        if "/OpenAction" in root and isinstance(root["/OpenAction"].get_object(), DictionaryObject):
            kind = _kind(root["/OpenAction"])
            if not _safe_link_action(root["/OpenAction"]):
                found[kind] += 1
        if "/AA" in root:
            found.update(_trigger_kinds(root["/AA"]))
        form = root.get("/AcroForm")
        form = form.get_object() if form is not None else None
        if isinstance(form, DictionaryObject) and "/XFA" in form:
            found["xfa"] += 1
    except Exception:  # noqa: BLE001, S110 - a damaged catalog has nothing we copy; the pages are cleaned anyway
        pass
    return found


def _field(widget: DictionaryObject) -> tuple[DictionaryObject, str]:
    """The field a widget belongs to (itself when merged) and its type (/Tx, /Btn, /Ch, /Sig)."""
    node: Any = widget
    field = widget
    kind = ""
    for _ in range(64):  # a field tree is shallow; a cycle in a hostile file is not followed forever
        if node is None:
            break
        node = node.get_object()
        if not isinstance(node, DictionaryObject):
            break
        if "/T" in node and field is widget and "/T" not in widget:
            field = node
        if not kind and "/FT" in node:
            kind = str(node["/FT"])
        node = node.get("/Parent")
    return field, kind


def _appearance(widget: DictionaryObject) -> StreamObject | None:
    ap = widget.get("/AP")
    ap = ap.get_object() if ap is not None else None
    normal = ap.get("/N") if isinstance(ap, DictionaryObject) else None
    normal = normal.get_object() if normal is not None else None
    if isinstance(normal, DictionaryObject) and not isinstance(normal, StreamObject):
        state = widget.get("/AS")
        normal = normal.get(state) if state is not None else None
        normal = normal.get_object() if normal is not None else None
    return normal if isinstance(normal, StreamObject) else None


def _numbers(value: Any, count: int) -> list[float] | None:
    value = value.get_object() if value is not None else None
    if not isinstance(value, ArrayObject) or len(value) != count:
        return None
    try:
        return [float(v.get_object()) for v in value]
    except (TypeError, ValueError):
        return None


def _flags(annot: DictionaryObject) -> int:
    """An annotation's flags (/F); 0 when missing or not a number."""
    flags = annot.get("/F", 0)
    flags = flags.get_object() if isinstance(flags, IndirectObject) else flags
    return flags if isinstance(flags, int) else 0


def _flatten(writer: PdfWriter, page: Any, widget: DictionaryObject,
             resources: DictionaryObject | None) -> bytes | None:
    """Operators that draw the widget's normal appearance where the widget was (PDF 32000-1, 12.5.5):
    empty when the widget is not shown (hidden, no area), None when it is shown but has no usable appearance."""
    flags = widget.get("/F", 0)
    rect = _numbers(widget.get("/Rect"), 4)
    if not isinstance(flags, int) or flags & HIDDEN or rect is None:
        return b""
    rx0, rx1 = sorted((rect[0], rect[2]))
    ry0, ry1 = sorted((rect[1], rect[3]))
    if rx1 - rx0 <= 0 or ry1 - ry0 <= 0:
        return b""
    form = _appearance(widget)
    bbox = _numbers(form.get("/BBox") if form is not None else None, 4)
    if form is None or bbox is None:
        return None
    a, b, c, d, e, f = _numbers(form.get("/Matrix"), 6) or [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    corners = [(x * a + y * c + e, x * b + y * d + f) for x in (bbox[0], bbox[2]) for y in (bbox[1], bbox[3])]
    x0, x1 = min(p[0] for p in corners), max(p[0] for p in corners)
    y0, y1 = min(p[1] for p in corners), max(p[1] for p in corners)
    if x1 - x0 <= 0 or y1 - y0 <= 0:
        return None
    sx, sy = (rx1 - rx0) / (x1 - x0), (ry1 - ry0) / (y1 - y0)
    form[NameObject("/Type")] = NameObject("/XObject")
    form[NameObject("/Subtype")] = NameObject("/Form")
    if "/Resources" not in form and resources is not None:  # old forms rely on the AcroForm's /DR
        form[NameObject("/Resources")] = resources
    ref = form.indirect_reference if form.indirect_reference is not None else writer._add_object(form)
    name = add_form(page, ref, "ReferatFelt")
    return f"q {sx:.6f} 0 0 {sy:.6f} {rx0 - x0 * sx:.4f} {ry0 - y0 * sy:.4f} cm {name} Do Q\n".encode()


def _has_value(field: DictionaryObject) -> bool:
    value = field.get("/V")
    value = value.get_object() if value is not None else None
    return value is not None and str(value) not in ("", "/Off")


class _Page:
    """One page's annotations, sorted into kept, flattened and removed."""

    def __init__(self, writer: PdfWriter, resources: DictionaryObject | None, fields: set[int],
                 removed: Counter[str]) -> None:
        self.writer, self.resources, self.fields, self.removed = writer, resources, fields, removed

    def widget(self, page: Any, annot: DictionaryObject) -> bytes:
        field, kind = _field(annot)
        if id(field) not in self.fields:
            self.fields.add(id(field))
            self.removed["signatur" if kind == "/Sig" else "felt"] += 1
            if "/AA" in field:
                self.removed.update(_trigger_kinds(field["/AA"]))
        if "/AA" in annot and annot is not field:
            self.removed.update(_trigger_kinds(annot["/AA"]))
        drawing = _flatten(self.writer, page, annot, self.resources)
        if drawing is None:
            if _has_value(field):
                self.removed["utrykt"] += 1
            return b""
        return drawing

    def keep(self, annot: DictionaryObject) -> bool:
        """Whether a non-widget annotation stays (cleaned of trigger and unsafe actions)."""
        subtype = annot.get("/Subtype")
        if subtype in MEDIA:
            self.removed[MEDIA[subtype]] += 1
            return False
        if subtype != "/Popup" and _flags(annot) & HIDDEN:  # a hidden note's text and author: not shown, not kept
            self.removed["skjult"] += 1
            return False
        if subtype == "/Link" and "/A" in annot and not _safe_link_action(annot["/A"]):
            kind = _kind(annot["/A"])
            self.removed["link" if kind == "handling" else kind] += 1
            return False
        if "/AA" in annot:
            self.removed.update(_trigger_kinds(annot["/AA"]))
            del annot["/AA"]
        if "/A" in annot and not _safe_link_action(annot["/A"]):
            self.removed[_kind(annot["/A"])] += 1
            del annot["/A"]
        return True

    def clean(self, page: Any) -> None:
        if "/AA" in page:
            self.removed.update(_trigger_kinds(page["/AA"]))
            del page["/AA"]
        annots = page.get("/Annots")
        annots = annots.get_object() if annots is not None else None
        if annots is None:
            return
        keep = ArrayObject()
        drawing = b""
        for ref in annots if isinstance(annots, ArrayObject) else []:
            try:
                annot = ref.get_object()
                if not isinstance(annot, DictionaryObject):
                    continue
                if annot.get("/Subtype") == "/Widget":
                    drawing += self.widget(page, annot)
                elif self.keep(annot):
                    keep.append(ref)
            except Exception:  # noqa: BLE001 - a damaged annotation is left out, and said so
                self.removed["beskadiget"] += 1
        if drawing:
            draw_after(self.writer, page, drawing)
        if keep:
            page[NameObject("/Annots")] = keep
        else:
            del page["/Annots"]


def prepare(reader: PdfReader) -> Counter[str]:
    """Before the bilag is copied: drop from each page's /Annots what is not an annotation at all (numbers,
    nulls, dangling references), which the copy itself would trip over."""
    removed: Counter[str] = Counter()
    for page in reader.pages:
        try:
            annots = page.get("/Annots")
            annots = annots.get_object() if annots is not None else None
        except Exception:  # noqa: BLE001 - an unreadable /Annots entry
            annots = None
            removed["beskadiget"] += 1
        if annots is None:
            if "/Annots" in page:
                del page["/Annots"]
            continue
        if not isinstance(annots, ArrayObject):
            del page["/Annots"]
            removed["beskadiget"] += 1
            continue
        good = ArrayObject()
        for ref in annots:
            try:
                ok = isinstance(ref.get_object(), DictionaryObject)
            except Exception:  # noqa: BLE001 - a reference that cannot be read
                ok = False
            if ok:
                good.append(ref)
            else:
                removed["beskadiget"] += 1
        if len(good) != len(annots):
            page[NameObject("/Annots")] = good
    return removed


def clean_part(writer: PdfWriter, pages: list[Any], reader: PdfReader) -> Counter[str]:
    """Remove active content from one bilag's pages (already in `writer`); what was removed, by kind."""
    removed = document_content(reader)
    resources: DictionaryObject | None = None
    try:
        form: Any = reader.root_object.get("/AcroForm")
        form = form.get_object() if form is not None else None
        dr = form.get("/DR") if isinstance(form, DictionaryObject) else None
        if isinstance(dr, DictionaryObject):
            resources = dr.clone(writer)
    except Exception:  # noqa: BLE001 - without /DR, appearances that need it print without their font
        resources = None
    cleaner = _Page(writer, resources, set(), removed)
    for page in pages:
        cleaner.clean(page)
    return removed


def _refs(value: Any) -> list[IndirectObject]:
    value = value.get_object() if value is not None else None
    return [v for v in value if isinstance(v, IndirectObject)] if isinstance(value, ArrayObject) else []


def layers(writer: PdfWriter, reader: PdfReader) -> tuple[list[IndirectObject], list[IndirectObject]]:
    """The bilag's optional-content groups (layers) that its copied pages use, as objects of `writer`, and
    those of them hidden by default; without them in the packet's catalog every hidden layer would show."""
    try:
        props = reader.root_object.get("/OCProperties")
        props = props.get_object() if props is not None else None
        if not isinstance(props, DictionaryObject):
            return [], []
        config = props.get("/D")
        config = config.get_object() if config is not None else DictionaryObject()
        if not isinstance(config, DictionaryObject):
            config = DictionaryObject()
        groups = _refs(props.get("/OCGs"))
        shown = {r.idnum for r in _refs(config.get("/ON"))}
        hidden = {r.idnum for r in _refs(config.get("/OFF"))}
        if config.get("/BaseState") == "/OFF":
            hidden |= {r.idnum for r in groups if r.idnum not in shown}
        copied = writer._id_translated.get(id(reader), {})
        mapped = [(r.idnum, IndirectObject(copied[r.idnum], 0, writer)) for r in groups if r.idnum in copied]
    except Exception:  # noqa: BLE001 - damaged layer settings: the layers show, as in most readers
        return [], []
    return [ref for _, ref in mapped], [ref for idnum, ref in mapped if idnum in hidden]


def set_layers(writer: PdfWriter, groups: list[IndirectObject], hidden: list[IndirectObject]) -> None:
    """One catalog /OCProperties for the packet: every bilag's layers, hidden ones still hidden."""
    if not groups:
        return
    writer._root_object[NameObject("/OCProperties")] = DictionaryObject({
        NameObject("/OCGs"): ArrayObject(groups),
        NameObject("/D"): DictionaryObject({NameObject("/BaseState"): NameObject("/ON"),
                                            NameObject("/OFF"): ArrayObject(hidden),
                                            NameObject("/Order"): ArrayObject(groups)}),
    })


ACTION_KEYS = ("/A", "/OpenAction", "/Next")
# Scripts, files and forms, and what is never shown: an application's private copy of the page (/PieceInfo,
# e.g. Illustrator's editable original), per-object XMP (/Metadata: authors, history, tools) and thumbnails.
PRIVATE_KEYS = ("/JS", "/EmbeddedFiles", "/XFA", "/PieceInfo", "/Metadata", "/Thumb")
CATALOG_KEYS = ("/AcroForm", "/OpenAction", "/AA")


def clean_packet(writer: PdfWriter) -> None:
    """The catalog keeps no forms, scripts, open actions or embedded files; no trigger or unsafe action is
    left on any reachable object; objects no longer reachable are not written."""
    root = writer._root_object
    for key in CATALOG_KEYS:
        if key in root:
            del root[key]
    names = root.get("/Names")
    names = names.get_object() if names is not None else None
    if isinstance(names, DictionaryObject):
        for key in [k for k in names if k != "/Dests"]:
            del names[key]
    reachable: set[int] = set()
    todo: list[Any] = [root.indirect_reference]
    info = writer._info
    if info is not None and info.indirect_reference is not None:
        todo.append(info.indirect_reference)
    while todo:
        obj = todo.pop()
        if isinstance(obj, IndirectObject):
            if obj.pdf is not writer or obj.idnum in reachable:
                continue
            reachable.add(obj.idnum)
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):  # streams too
            if "/AA" in obj:
                del obj["/AA"]
            for key in ACTION_KEYS:
                value = obj.get(key)
                if isinstance(value, (DictionaryObject, ArrayObject)) and not _safe_link_action(obj[key]):
                    del obj[key]
            for key in PRIVATE_KEYS:
                if key in obj and obj is not root:
                    del obj[key]
            todo.extend(obj.raw_get(k) for k in obj)
        elif isinstance(obj, ArrayObject):
            todo.extend(obj)
    for index in range(len(writer._objects)):
        if index + 1 not in reachable:
            writer._objects[index] = None  # type: ignore[call-overload]


NOUNS = {
    "felt": ("formularfelt", "formularfelter"),
    "signatur": ("underskriftsfelt", "underskriftsfelter"),
    "link": ("link til andet end web og e-mail", "links til andet end web og e-mail"),
    "vedhæftet": ("vedhæftet fil", "vedhæftede filer"),
    "medie": ("medieobjekt (video, lyd eller 3D)", "medieobjekter (video, lyd eller 3D)"),
    "handling": ("automatisk handling", "automatiske handlinger"),
    "beskadiget": ("beskadiget annotation", "beskadigede annotationer"),
    "skjult": ("skjult kommentar eller annotation", "skjulte kommentarer eller annotationer"),
}
WORDS = {"javascript": "JavaScript", "launch": "programstart (Launch)", "xfa": "XFA-formular"}
ORDER = ("javascript", "launch", "handling", "link", "vedhæftet", "medie", "xfa", "beskadiget", "skjult", "felt",
         "signatur")


def describe(removed: Counter[str]) -> str | None:
    """One Danish sentence on what was removed from a bilag, or None when nothing was."""
    parts = []
    for key in ORDER:
        n = removed.get(key, 0)
        if n <= 0:
            continue
        if key in WORDS:
            parts.append(WORDS[key])
        else:
            one, many = NOUNS[key]
            parts.append(f"{n} {one if n == 1 else many}")
    sentences = []
    if parts:
        sentences.append((parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " og " + parts[-1])
                         + " fjernet i pakken")
    fields = removed.get("felt", 0) + removed.get("signatur", 0)
    if fields:
        sentences.append("feltet er trykt, som det så ud" if fields == 1 else "felterne er trykt, som de så ud")
        if removed.get("signatur"):
            sentences[-1] += " (en underskrift kan kun kontrolleres i det originale bilag)"
    blind = removed.get("utrykt", 0)
    if blind:
        sentences.append(f"{blind} udfyldt{'e' if blind > 1 else ''} felt{'er' if blind > 1 else ''} uden "
                         "udseende kunne ikke trykkes (værdien står kun i det originale bilag)")
    hidden = removed.get("skjult-lag", 0)
    if hidden:
        sentences.append(f"{hidden} skjult{'e' if hidden > 1 else ''} lag er også skjult i pakken, men "
                         f"{'deres' if hidden > 1 else 'dets'} indhold er med i filen; gem bilaget uden skjulte "
                         "lag, hvis det ikke må offentliggøres")
    return "; ".join(sentences) if sentences else None
