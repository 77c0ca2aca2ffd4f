"""Nothing active from a bilag reaches the packet, and form fields print as they look.

A bilag may come by e-mail from anyone. What a PDF reader could run or open by itself is removed: document
JavaScript, open actions, trigger actions (`/AA`) on the document, pages, fields and annotations, links that
run, launch, submit, reset, import or open other files, `/URI` links to anything but http, https and mailto,
file attachments and embedded files, XFA, and rich media (video, sound, 3D). Form fields and signature fields
are flattened: each widget's normal appearance is drawn into the page where it was shown, then the widget and
the form are dropped, so a filled-in form prints as it looked and a signed bilag shows no broken signature.

`clean_source` cleans a bilag's own PDF (pikepdf) once, in place, before any of its pages are copied: every
packet, and the web edition's bilag, then copy clean pages, and what was removed is said once per file. Its walk
covers every object of the bilag (a page's annotations, resources, forms, their actions and private data);
`clean_packet` then clears the catalog of the result (forms, scripts, open actions, names other than
destinations). Objects no longer reachable are never written (qpdf writes what the catalog reaches).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf, Stream

from .overlay import add_form, draw_after

MEDIA = {"/FileAttachment": "vedhæftet", "/RichMedia": "medie", "/Movie": "medie", "/Sound": "medie",
         "/Screen": "medie", "/3D": "medie"}
LINK_ACTIONS = {"/GoTo", "/URI", "/Named"}  # everything else (JavaScript, Launch, SubmitForm, GoToR, …) goes
SAFE_SCHEMES = ("http://", "https://", "mailto:")
HIDDEN = 2 | 32  # annotation flags Hidden and NoView: not shown, so not drawn
_DONE = "_referat_removed"  # set on a Pdf that `clean_source` cleaned: what it removed


def _is_dict(value: Any) -> bool:
    """A dictionary or a stream (a stream has a dictionary too)."""
    return isinstance(value, (Dictionary, Stream))


def _key(obj: Any) -> Any:
    """What tells one PDF object from another (an indirect object by its number; a direct one by its text)."""
    return obj.objgen if obj.is_indirect else bytes(obj.unparse())


def _actions(action: Any) -> list[Any]:
    """An action and the actions it chains to with /Next (a dictionary or an array of them)."""
    found: list[Any] = []
    todo = [action]
    while todo and len(found) < 1000:
        item = todo.pop()
        if isinstance(item, Array):
            todo.extend(item)
        elif _is_dict(item):
            found.append(item)
            todo.append(item.get("/Next"))
    return found


def _uri_ok(action: Any) -> bool:
    uri = action.get("/URI")
    text = bytes(uri).decode("latin-1") if isinstance(uri, pikepdf.String) else str(uri or "")
    return text.strip().lower().startswith(SAFE_SCHEMES)


def _safe_link_action(action: Any) -> bool:
    """Whether following this action (and its /Next chain) only moves within the file or opens a web or
    e-mail address; a dictionary without /S is no action and harmless."""
    for step in _actions(action):
        kind = step.get("/S")
        if kind is None:
            continue
        if str(kind) not in LINK_ACTIONS or (kind == "/URI" and not _uri_ok(step)):
            return False
    return True


def _kind(actions: Any) -> str:
    """What kind of active content a set of actions is, for the message."""
    kinds = {str(step.get("/S")) for step in _actions(actions)}
    if "/JavaScript" in kinds:
        return "javascript"
    if "/Launch" in kinds:
        return "launch"
    return "handling"


def _trigger_kinds(aa: Any) -> set[str]:
    if not _is_dict(aa):
        return {"handling"}
    return {_kind(aa[key]) for key in aa} or {"handling"}


def document_content(pdf: Pdf) -> Counter[str]:
    """What the bilag carries at document level (none of it is ever copied into the packet)."""
    found: Counter[str] = Counter()
    try:
        root: Any = pdf.Root
        names: Any = root.get("/Names")
        names = names if _is_dict(names) else Dictionary()
        if "/JavaScript" in names:
            found["javascript"] += 1
        if "/EmbeddedFiles" in names:
            tree = names["/EmbeddedFiles"]
            listed = tree.get("/Names") if _is_dict(tree) else None
            found["vedhæftet"] += max(1, len(listed) // 2 if isinstance(listed, Array) else 0)
        opening = root.get("/OpenAction")
        if _is_dict(opening) and not _safe_link_action(opening):
            found[_kind(opening)] += 1
        if "/AA" in root:
            found.update(_trigger_kinds(root["/AA"]))
        form = root.get("/AcroForm")
        if _is_dict(form) and "/XFA" in form:
            found["xfa"] += 1
    except Exception:  # noqa: BLE001, S110 - a damaged catalog has nothing we copy; the pages are cleaned anyway
        pass
    return found


def _field(widget: Any) -> tuple[Any, str]:
    """The field a widget belongs to (itself when merged) and its type (/Tx, /Btn, /Ch, /Sig)."""
    node: Any = widget
    field = widget
    kind = ""
    for _ in range(64):  # a field tree is shallow; a cycle in a hostile file is not followed forever
        if not _is_dict(node):
            break
        if "/T" in node and field is widget and "/T" not in widget:
            field = node
        if not kind and "/FT" in node:
            kind = str(node["/FT"])
        node = node.get("/Parent")
    return field, kind


def _appearance(widget: Any) -> Stream | None:
    ap = widget.get("/AP")
    normal = ap.get("/N") if _is_dict(ap) else None
    if isinstance(normal, Dictionary):
        state = widget.get("/AS")
        normal = normal.get(str(state)) if isinstance(state, Name) else None
    return normal if isinstance(normal, Stream) else None


def _numbers(value: Any, count: int) -> list[float] | None:
    if not isinstance(value, Array) or len(value) != count:
        return None
    try:
        return [float(v) for v in value]
    except (TypeError, ValueError):
        return None


def _flags(annot: Any) -> int:
    """An annotation's flags (/F); 0 when missing or not a number."""
    flags = annot.get("/F", 0)
    return flags if isinstance(flags, int) and not isinstance(flags, bool) else 0


def _flatten(pdf: Pdf, page: Any, widget: Any, resources: Any) -> bytes | None:
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
    form["/Type"] = Name.XObject
    form["/Subtype"] = Name.Form
    if "/Resources" not in form and resources is not None:  # old forms rely on the AcroForm's /DR
        form["/Resources"] = resources
    name = add_form(page, form, "ReferatFelt")
    return f"q {sx:.6f} 0 0 {sy:.6f} {rx0 - x0 * sx:.4f} {ry0 - y0 * sy:.4f} cm {name} Do Q\n".encode()


def _has_value(field: Any) -> bool:
    value = field.get("/V")
    return value is not None and str(value) not in ("", "/Off")


class _Page:
    """One page's annotations, sorted into kept, flattened and removed."""

    def __init__(self, pdf: Pdf, resources: Any, removed: Counter[str]) -> None:
        self.pdf, self.resources, self.removed = pdf, resources, removed
        self.fields: set[Any] = set()

    def widget(self, page: Any, annot: Any) -> bytes:
        field, kind = _field(annot)
        if _key(field) not in self.fields:
            self.fields.add(_key(field))
            self.removed["signatur" if kind == "/Sig" else "felt"] += 1
            if "/AA" in field:
                self.removed.update(_trigger_kinds(field["/AA"]))
        if "/AA" in annot and _key(annot) != _key(field):
            self.removed.update(_trigger_kinds(annot["/AA"]))
        drawing = _flatten(self.pdf, page, annot, self.resources)
        if drawing is None:
            if _has_value(field):
                self.removed["utrykt"] += 1
            return b""
        return drawing

    def keep(self, annot: Any) -> bool:
        """Whether a non-widget annotation stays (cleaned of trigger and unsafe actions)."""
        subtype = str(annot.get("/Subtype"))
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
        if annots is None:
            return
        keep = []
        drawing = b""
        for annot in annots if isinstance(annots, Array) else []:
            try:
                if not _is_dict(annot):
                    continue
                if annot.get("/Subtype") == "/Widget":
                    drawing += self.widget(page, annot)
                elif self.keep(annot):
                    keep.append(annot)
            except Exception:  # noqa: BLE001 - a damaged annotation is left out, and said so
                self.removed["beskadiget"] += 1
        if drawing:
            draw_after(self.pdf, page, drawing)
        if keep:
            page["/Annots"] = Array(keep)
        else:
            del page["/Annots"]


def _prepare(pdf: Pdf) -> Counter[str]:
    """Drop from each page's /Annots what is not an annotation at all (numbers, nulls, dangling references)."""
    removed: Counter[str] = Counter()
    for page in pdf.pages:
        obj = page.obj
        try:
            annots = obj.get("/Annots")
        except Exception:  # noqa: BLE001 - an unreadable /Annots entry
            annots = None
            removed["beskadiget"] += 1
        if annots is None:
            if "/Annots" in obj:
                del obj["/Annots"]
            continue
        if not isinstance(annots, Array):
            del obj["/Annots"]
            removed["beskadiget"] += 1
            continue
        good = []
        for annot in annots:
            try:
                ok = _is_dict(annot)
            except Exception:  # noqa: BLE001 - a reference that cannot be read
                ok = False
            if ok:
                good.append(annot)
            else:
                removed["beskadiget"] += 1
        if len(good) != len(annots):
            obj["/Annots"] = Array(good)
    return removed


ACTION_KEYS = ("/A", "/OpenAction", "/Next")
# Scripts, files and forms, and what is never shown: an application's private copy of the page (/PieceInfo,
# e.g. Illustrator's editable original), per-object XMP (/Metadata: authors, history, tools) and thumbnails.
PRIVATE_KEYS = ("/JS", "/EmbeddedFiles", "/XFA", "/PieceInfo", "/Metadata", "/Thumb")
CATALOG_KEYS = ("/AcroForm", "/OpenAction", "/AA")


def _scrub(pdf: Pdf) -> None:
    """No trigger or unsafe action, script, embedded file or private data on any object the bilag's pages reach
    (the catalog's own XMP, which says whether the file is PDF/A, stays: it is never copied)."""
    root = pdf.Root
    seen: set[tuple[int, int]] = set()
    todo: list[Any] = [page.obj for page in pdf.pages]
    while todo:
        obj = todo.pop()
        if isinstance(obj, Array):
            todo.extend(obj)
            continue
        if not _is_dict(obj):
            continue
        if obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        if "/AA" in obj:
            del obj["/AA"]
        for key in ACTION_KEYS:
            value = obj.get(key)
            if isinstance(value, (Dictionary, Array)) and not _safe_link_action(value):
                del obj[key]
        for key in PRIVATE_KEYS:
            if key in obj and not (obj.is_indirect and obj.objgen == root.objgen):
                del obj[key]
        todo.extend(obj[key] for key in obj if key != "/Parent" or obj.get("/Type") != "/Page")


def clean_source(pdf: Pdf) -> Counter[str]:
    """Clean a bilag's own PDF in place, once (see the module's docstring): what was removed, by kind. The same
    Pdf asked again (the next packet of the command, or of a later command in the same process) answers from
    the first time."""
    done = getattr(pdf, _DONE, None)
    if done is not None:
        return Counter(done)
    removed = _prepare(pdf)
    removed.update(document_content(pdf))
    resources = None
    try:
        form: Any = pdf.Root.get("/AcroForm")
        dr = form.get("/DR") if _is_dict(form) else None
        resources = dr if _is_dict(dr) else None
    except Exception:  # noqa: BLE001 - without /DR, appearances that need it print without their font
        resources = None
    cleaner = _Page(pdf, resources, removed)
    for page in pdf.pages:
        cleaner.clean(page.obj)
    _scrub(pdf)
    for key in CATALOG_KEYS:
        if key in pdf.Root:
            del pdf.Root[key]
    setattr(pdf, _DONE, Counter(removed))
    return removed


def copy_clean_pages(out: Pdf, source: Pdf) -> None:
    """Append the pages of a bilag cleaned by `clean_source` to `out`, with the layers (optional-content groups)
    they use, hidden ones still hidden: without them in the catalog every hidden layer would show."""
    out.add_pages_from(source, forms="strip", layers="preserve", outlines="ignore")


def clean_packet(pdf: Pdf) -> None:
    """The catalog keeps no forms, scripts, open actions or embedded files: names other than destinations go."""
    root = pdf.Root
    for key in CATALOG_KEYS:
        if key in root:
            del root[key]
    names: Any = root.get("/Names")
    if _is_dict(names):
        for key in [k for k in names if k != "/Dests"]:
            del names[key]


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
