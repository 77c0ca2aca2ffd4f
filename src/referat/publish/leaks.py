"""The leak check: nothing hidden from a public edition appears in any public output.

`hidden_texts` lists what a public edition must not contain (the text of redaction spans, closed items'
sections, non-public bilag's titles and file names). `find_leaks` looks for each of them in every channel of
every file: the text layer, the metadata (Info and XMP), bookmarks, link targets and attached files of a
PDF; every XML part of a Word file; text and HTML as they are; and the file names themselves.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..diagnostics import Location
from ..errors import LeakError
from ..text.cpr import cpr_numbers
from ..text.spans import SPAN

# The model (pydantic) and pypdf are imported where they are used: `publish --site` checks the site's own pages,
# which are text and HTML, also for meetings kept as they were, whose models it never loads (issue 28).
if TYPE_CHECKING:
    from ..model.meeting import Meeting

CHANNELS = ("tekstlag", "metadata (Info og XMP)", "bogmærker", "linkmål", "vedhæftede filer", "filnavne",
            "Word-filens dele", "tekst og HTML")
MIN_LENGTH = 6  # shorter snippets ("Ja", "2") would be found everywhere


@dataclass(frozen=True)
class Hidden:
    text: str
    why: str
    kind: str = "skjult tekst"  # how kontrol.txt counts it


def _key(text: str) -> str:
    """Compare without spacing, hyphenation breaks, case or Unicode form: 'afdæk-\\nningen' finds 'afdækningen'."""
    text = unicodedata.normalize("NFKC", html.unescape(text)).casefold()
    return re.sub(r"[\s\u00ad\-‐]+", "", text)


def hidden_texts(meeting: Meeting, shown_by: Iterable[Meeting] = (), label: str = "") -> list[Hidden]:
    """What must not appear in a public edition, leaving out what the public edition prints anyway (of this meeting
    and of `shown_by`: the meetings published beside it). Every text of the model is read (`model.texts`): each
    redaction span's text, wherever it stands; each line of every text of a closed item that its public edition
    leaves out (sections, presenters, bilag titles, tasks, …); the file name of every bilag it leaves out.
    `label` goes before each reason ("referatet fra 17. november 2025: ")."""
    shown = [key for m in (meeting, *shown_by) for key in shown_keys(m)]
    return unshown(hidden_candidates(meeting, label), shown)


def shown_keys(meeting: Meeting) -> list[str]:
    """What the public edition of `meeting` prints, each text as the leak check compares it."""
    from ..validate.privacy import public_texts

    return [_key(SPAN.sub("", text)) for _, _, text in public_texts(meeting)]


def hidden_candidates(meeting: Meeting, label: str = "") -> list[Hidden]:
    """Every hidden text of `meeting` (see `hidden_texts`), before what is printed anyway is left out."""
    from ..model.texts import text_fields, withheld_texts

    found: list[Hidden] = []
    places = [(f"møde.yaml ({path[0]})", text) for path, text in text_fields(meeting)]
    places += [(f"punkt {item.number}", text) for item in meeting.items for _, text in text_fields(item)]
    for where, text in places:
        for m in SPAN.finditer(text):
            found.append(Hidden(m.group("text").strip(), f"{label}skjult tekst i {where}", "skjulte tekststykker"))
    for item in meeting.items:
        for path, text in withheld_texts(item):
            for line in text.splitlines():
                found.append(Hidden(SPAN.sub(lambda m: m.group("text"), line).strip(" -*#>"),
                                    f"{label}lukket punkt {item.number} ({path[0]})", "tekst fra lukkede punkter"))
        for b in item.bilag:
            if (item.closed or not b.public) and b.file:
                where = f"{label}ikke-offentligt bilag i punkt {item.number}"
                found.append(Hidden(b.file.rsplit(".", 1)[0], where + " (filnavn)", "filnavne på ikke-offentlige bilag"))
    return found


def unshown(found: list[Hidden], shown_texts: Iterable[str]) -> list[Hidden]:
    """`found` without what is too short to search for, what repeats, and what the public texts print anyway
    (`shown_texts`: `shown_keys` of each meeting published beside it)."""
    shown = " ".join(shown_texts)
    out, seen = [], set()
    for h in found:
        key = _key(h.text)
        if len(key) < MIN_LENGTH or key in seen or key in shown:
            continue
        seen.add(key)
        out.append(h)
    return out


def _page_texts(data: bytes, pages: int) -> list[str] | None:
    """Each page's text layer as PDFium (Chromium's PDF engine, pypdfium2) extracts it for copying and searching:
    ~4× faster than pypdf's extraction, which was four fifths of `publish --site` (issue 28). None when PDFium cannot
    read the file or counts its pages otherwise: pypdf reads the text then."""
    try:
        import pypdfium2

        pdf = pypdfium2.PdfDocument(data)
        try:
            if len(pdf) != pages:
                return None
            texts = []
            for page in pdf:
                textpage = page.get_textpage()
                texts.append(textpage.get_text_bounded())
                textpage.close()
                page.close()
            return texts
        finally:
            pdf.close()
    except Exception:  # noqa: BLE001 - a file PDFium cannot read: pypdf reads it
        return None


def _pdf_channels(data: bytes) -> Iterator[tuple[str, str]]:
    from pypdf import PdfReader
    from pypdf.generic import DictionaryObject

    reader = PdfReader(io.BytesIO(data))
    texts = _page_texts(data, len(reader.pages))
    for n, page in enumerate(reader.pages):
        yield "tekstlag", texts[n] if texts is not None else page.extract_text() or ""
        for annot in page.get("/Annots", None) or []:
            obj: Any = annot.get_object()
            action = obj.get("/A")
            action = action.get_object() if action is not None else None
            if isinstance(action, DictionaryObject):
                yield "linkmål", str(action.get("/URI", "")) + " " + str(action.get("/F", ""))
            yield "linkmål", str(obj.get("/Contents", ""))
    info = dict(reader.metadata or {})
    yield "metadata (Info og XMP)", " ".join(str(v) for v in info.values())
    root: Any = reader.trailer["/Root"].get_object()
    meta = root.get("/Metadata")
    if meta is not None:
        yield "metadata (Info og XMP)", meta.get_object().get_data().decode("utf-8", "replace")
    yield "bogmærker", " ".join(_outline_titles(reader.outline))
    for name, contents in (reader.attachments or {}).items():
        yield "vedhæftede filer", name + " " + " ".join(c.decode("utf-8", "replace") for c in contents)
    labels = root.get("/PageLabels")
    if labels is not None:
        yield "bogmærker", str(labels.get_object())


def _outline_titles(outline: Iterable[object]) -> Iterator[str]:
    from pypdf.generic import ArrayObject, DictionaryObject

    for entry in outline:
        if isinstance(entry, (list, ArrayObject)):
            yield from _outline_titles(entry)
        elif isinstance(entry, DictionaryObject):
            yield str(entry.get("/Title", ""))


def _docx_channels(data: bytes) -> Iterator[tuple[str, str]]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            yield "Word-filens dele", name
            if name.endswith((".xml", ".rels")):
                xml = z.read(name).decode("utf-8", "replace")
                yield "Word-filens dele", re.sub(r"<[^>]+>", "", xml)
                yield "linkmål", " ".join(re.findall(r'Target="([^"]*)"', xml))


def channels(name: str, data: bytes) -> list[tuple[str, str]]:
    """(channel, text) of everything a reader of this file could get at; a file checked before in this process (the
    same name and bytes: a bilag both editions of a meeting carry) is read once."""
    key = (name, hashlib.sha256(data).digest())
    found = _read.get(key)
    if found is None:
        found = _read[key] = list(_channels(name, data))
        while len(_read) > 512:
            _read.pop(next(iter(_read)))
    return found


_read: dict[tuple[str, bytes], list[tuple[str, str]]] = {}


def _channels(name: str, data: bytes) -> Iterator[tuple[str, str]]:
    yield "filnavne", name
    if name.endswith(".pdf"):
        yield from _pdf_channels(data)
    elif name.endswith(".docx"):
        yield from _docx_channels(data)
    else:
        yield "tekst og HTML", data.decode("utf-8", "replace")


@dataclass(frozen=True)
class Leak:
    file: str
    channel: str
    hidden: Hidden


def find_leaks(files: dict[str, bytes], hidden: list[Hidden]) -> list[Leak]:
    """Every hidden text found in any channel of any file, and every CPR number in their text."""
    leaks: list[Leak] = []
    keys = [(h, _key(h.text)) for h in hidden]
    for name, data in sorted(files.items()):
        for channel, text in channels(name, data):
            flat = _key(text)
            leaks += [Leak(name, channel, h) for h, key in keys if key in flat]
            leaks += [Leak(name, channel, Hidden(cpr, "CPR-nummer", "CPR-numre")) for _, cpr in cpr_numbers(html.unescape(text))]
    return list(dict.fromkeys(leaks))


def refuse(leaks: list[Leak], where: Location) -> None:
    """A LeakError naming the first five finds (file and channel, and what was found), when there are any."""
    if leaks:
        raise LeakError("den offentlige udgave indeholder skjult tekst og er ikke skrevet: " + "; ".join(
            f"{leak.file} ({leak.channel}): {leak.hidden.why}" for leak in leaks[:5]), where)


def report_text(edition_name: str, files: list[str], hidden: list[Hidden], leaks: list[Leak]) -> str:
    """kontrol.txt: what was checked for one public edition, and what was found."""
    lines = [f"Kontrol af den offentlige udgave: {edition_name}", "",
             "Filer: " + ", ".join(files),
             "Kontrolleret i: " + ", ".join(CHANNELS),
             f"Skjulte tekster, der er søgt efter: {len(hidden)}"]
    kinds: dict[str, int] = {}
    for h in hidden:
        kinds[h.kind] = kinds.get(h.kind, 0) + 1
    lines += [f"  {kind}: {count}" for kind, count in sorted(kinds.items())]
    lines.append("Desuden søgt efter CPR-numre (ddmmåå-xxxx) i al tekst.")
    lines.append("")
    if leaks:
        lines.append(f"RESULTAT: {len(leaks)} fund; udgaven må ikke offentliggøres:")
        lines += [f"  {leak.file} ({leak.channel}): {leak.hidden.why}" for leak in leaks]
    else:
        lines.append("Resultat: intet af det skjulte og ingen CPR-numre blev fundet.")
    return "\n".join(lines) + "\n"
