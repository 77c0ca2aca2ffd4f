"""The packet on bilag from real producers (tests/fixtures/bilag/, see its README): stamps, content, active content.

The example meeting is copied with every bilag replaced by a corpus file (in turn, so some files appear twice),
the packet is built through the CLI, and the result is read back with pypdf as a member's reader would.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

from conftest import EXAMPLE, text_pdf
from referat.load.meeting import load_meeting

CORPUS_DIR = Path(__file__).resolve().parent / "fixtures" / "bilag"
NEEDS_PASSWORD = "kraever-adgangskode.pdf"
CORPUS = sorted(p.name for p in CORPUS_DIR.glob("*.pdf") if p.name != NEEDS_PASSWORD)
STAMP = re.compile(r"Side (\d+) af (\d+)")


def make_corpus_meeting(dst: Path) -> Path:
    """A copy of the example meeting whose `fil:` bilag are the corpus files, in turn."""
    shutil.copytree(EXAMPLE, dst)
    for old in (dst / "bilag").iterdir():
        old.unlink()
    for name in CORPUS:
        shutil.copy(CORPUS_DIR / name, dst / "bilag" / name)
    turn = iter(CORPUS * 3)
    for item in sorted((dst / "punkter").glob("*.yaml")):
        text = item.read_text(encoding="utf-8")
        item.write_text(re.sub(r"(?m)^(\s+fil: ).*$", lambda m: m.group(1) + next(turn), text), encoding="utf-8")
    return dst


@pytest.fixture(scope="module")
def corpus_meeting(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_corpus_meeting(tmp_path_factory.mktemp("korpus") / EXAMPLE.name)


@pytest.fixture(scope="module")
def corpus_packet(corpus_meeting: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    from referat.cli import main

    out = tmp_path_factory.mktemp("korpus-pakke")
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(["packet", str(corpus_meeting), "--dokument", "dagsorden", "--out", str(out)])
    assert code == 0, err.getvalue()
    return out, err.getvalue()


def _bilag(meeting_folder: Path) -> list[tuple[str, Path]]:
    meeting, _ = load_meeting(meeting_folder)
    assert meeting is not None
    return [(f"{item.number}.{n}", b.path) for item in meeting.items
            for n, b in enumerate(item.bilag, start=1) if b.path is not None]


def _open(path: Path) -> PdfReader:
    reader = PdfReader(path)
    if reader.is_encrypted:
        assert reader.decrypt("")
    return reader


def _streams(page: DictionaryObject) -> list[bytes]:
    contents = page.get("/Contents")
    if contents is None:
        return []
    contents = contents.get_object()
    items = list(contents) if isinstance(contents, ArrayObject) else [contents]
    return [hashlib.sha256(c.get_object().get_data()).digest() for c in items]


def _bilag_pages(folder: Path, out: Path) -> Iterator[tuple[str, Path, int, int]]:
    """(bilag id, file, page index in the bilag, page index in the packet) for every bilag page."""
    page = len(PdfReader(out / "dagsorden.pdf").pages)
    for ident, path in _bilag(folder):
        page += 1  # the cover
        for k in range(len(_open(path).pages)):
            yield ident, path, k, page
            page += 1


def test_the_corpus_is_what_its_readme_says() -> None:
    """LibreOffice exports share one /Resources between pages: the cause of the wrong stamps."""
    assert len(CORPUS) == 10
    for name in ("notat-libreoffice.pdf", "regneark-libreoffice.pdf", "plancher-16x9.pdf",
                 "blandede-sidestoerrelser.pdf"):
        pages = PdfReader(CORPUS_DIR / name).pages
        refs = {p.raw_get("/Resources").idnum for p in pages}
        assert len(pages) > 1 and len(refs) == 1, name
    assert PdfReader(CORPUS_DIR / "skannet.pdf").pages[0].extract_text().strip() == ""
    assert PdfReader(CORPUS_DIR / NEEDS_PASSWORD).decrypt("") == 0


def test_every_page_carries_exactly_its_own_number(corpus_packet: tuple[Path, str]) -> None:
    out, _ = corpus_packet
    pages = PdfReader(out / "dagsordenspakke.pdf").pages
    total = len(pages)
    assert total > 60
    for number, page in enumerate(pages, start=1):  # the front page without a footer (DAS' profile)
        found = STAMP.findall(page.extract_text())
        assert found == ([(str(number), str(total))] if number > 1 else []), (number, found)


def test_page_count_is_the_sum_of_the_parts(corpus_meeting: Path, corpus_packet: tuple[Path, str]) -> None:
    out, _ = corpus_packet
    bilag = _bilag(corpus_meeting)
    doc = len(PdfReader(out / "dagsorden.pdf").pages)
    packet = PdfReader(out / "dagsordenspakke.pdf")
    assert len(packet.pages) == doc + len(bilag) + sum(len(_open(p).pages) for _, p in bilag)


def test_bookmarks_point_at_the_covers_and_the_bilag_follow(corpus_meeting: Path,
                                                           corpus_packet: tuple[Path, str]) -> None:
    out, _ = corpus_packet
    packet = PdfReader(out / "dagsordenspakke.pdf")
    marks = [e for entry in packet.outline[1] if isinstance(entry, list) for e in entry]
    bilag = _bilag(corpus_meeting)
    assert len(marks) == len(bilag)
    starts = {ident: index for ident, _, k, index in _bilag_pages(corpus_meeting, out) if k == 0}
    for mark, (ident, path) in zip(marks, bilag, strict=True):
        assert mark["/Title"].startswith(f"Bilag {ident} ")
        cover = packet.get_destination_page_number(mark)
        assert cover == starts[ident] - 1
        assert re.match(r"\d+ [A-ZÆØÅ0-9]", packet.pages[cover].extract_text().strip())
        first = _open(path).pages[0].extract_text()
        words = first.split()[:6]
        shown = packet.pages[starts[ident]].extract_text()
        assert all(w in shown for w in words), (ident, path.name, words)


def test_the_bilag_content_streams_are_unchanged(corpus_meeting: Path, corpus_packet: tuple[Path, str]) -> None:
    out, _ = corpus_packet
    packet = PdfReader(out / "dagsordenspakke.pdf")
    readers: dict[Path, PdfReader] = {}
    checked = 0
    for _, path, k, index in _bilag_pages(corpus_meeting, out):
        original = readers.setdefault(path, _open(path)).pages[k]
        own, now = _streams(original), _streams(packet.pages[index])
        assert own, path.name
        starts = [i for i in range(len(now) - len(own) + 1) if now[i:i + len(own)] == own]
        assert starts, (path.name, k)
        # the bilag's own resources are all still there (the stamp only adds to the page's own copy)
        for kind in ("/Font", "/XObject"):
            before = original.get("/Resources", {}).get(kind, {})
            after = packet.pages[index]["/Resources"].get(kind, {})
            assert set(before) <= set(after), (path.name, k, kind)
        checked += 1
    assert checked > 50


def test_sizes_and_rotation_survive(corpus_meeting: Path, corpus_packet: tuple[Path, str]) -> None:
    out, _ = corpus_packet
    packet = PdfReader(out / "dagsordenspakke.pdf")
    seen = set()
    for _, path, k, index in _bilag_pages(corpus_meeting, out):
        original, page = _open(path).pages[k], packet.pages[index]
        assert [round(float(v)) for v in page.mediabox] == [round(float(v)) for v in original.mediabox]
        assert page.get("/Rotate", 0) == original.get("/Rotate", 0)
        seen.add((round(float(page.mediabox.width)), round(float(page.mediabox.height)), page.get("/Rotate", 0)))
    assert {(1191, 842, 0), (612, 792, 0), (794, 446, 0), (595, 842, 90), (595, 842, 180)} <= seen


def _walk(reader: PdfReader) -> Iterator[DictionaryObject]:
    """Every dictionary in the file (also inside arrays and other dictionaries, and stream dictionaries)."""
    seen: set[int] = set()
    stack: list[object] = [reader.trailer]
    for generation, numbers in reader.xref.items():  # every object in the file, reachable or not
        stack.extend(IndirectObject(num, generation, reader) for num in numbers)
    stack.extend(IndirectObject(num, 0, reader) for num in reader.xref_objStm)
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            if obj.idnum in seen:
                continue
            seen.add(obj.idnum)
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            yield obj
            stack.extend(obj.values())
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
        elif isinstance(obj, StreamObject):
            yield obj


def test_encrypted_bilag_with_an_empty_password_prints(corpus_packet: tuple[Path, str]) -> None:
    out, _ = corpus_packet
    text = " ".join(p.extract_text() for p in PdfReader(out / "dagsordenspakke.pdf").pages)
    assert text.count("NOTAT-START") >= 3  # the notat, rotated, encrypted and linearized copies


def test_a_bilag_that_needs_a_password_is_named(corpus_meeting: Path, run, tmp_path: Path) -> None:
    folder = tmp_path / "m"
    shutil.copytree(corpus_meeting, folder)
    shutil.copy(CORPUS_DIR / NEEDS_PASSWORD, folder / "bilag" / NEEDS_PASSWORD)
    item = folder / "punkter" / "14-orientering-kl-styregruppe.yaml"
    item.write_text(re.sub(r"(?m)^(\s+fil: ).*$", r"\g<1>" + NEEDS_PASSWORD, item.read_text(encoding="utf-8")),
                    encoding="utf-8")
    code, _, err = run("packet", folder, "--dokument", "dagsorden", "--out", tmp_path / "out")
    assert code == 1
    assert f"{NEEDS_PASSWORD}" in err and "krypteret med adgangskode" in err
    assert not (tmp_path / "out" / "dagsordenspakke.pdf").exists()


ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ResetForm", "/ImportData", "/GoToR", "/GoToE",
                  "/RichMediaExecute", "/Rendition", "/Movie", "/Sound"}
GONE_ANNOTATIONS = {"/Widget", "/FileAttachment", "/RichMedia", "/Movie", "/Sound", "/Screen", "/3D"}


def test_no_active_content_is_left_anywhere_in_the_packet(corpus_packet: tuple[Path, str]) -> None:
    out, _ = corpus_packet
    path = out / "dagsordenspakke.pdf"
    reader = PdfReader(path)
    root = reader.trailer["/Root"]
    for key in ("/OpenAction", "/AA", "/AcroForm"):
        assert key not in root, key
    assert set(root.get("/Names", {})) <= {"/Dests"}
    walked = 0
    for obj in _walk(reader):
        walked += 1
        for key in ("/JS", "/AA", "/EmbeddedFiles", "/XFA", "/EF", "/RichMediaContent"):
            assert key not in obj, (key, obj)
        assert obj.get("/S") not in ACTIVE_ACTIONS, obj
        assert obj.get("/Subtype") not in GONE_ANNOTATIONS, obj
        assert obj.get("/Type") not in ("/EmbeddedFile", "/Filespec"), obj
        if obj.get("/S") == "/URI":
            assert str(obj["/URI"]).startswith(("http://", "https://", "mailto:")), obj
    assert walked > 500
    raw = path.read_bytes()
    for needle in (b"app.alert", b"cmd.exe", b"calc.exe", b"AFNumber", b"xdp:xdp", b"evil.example"):
        assert needle not in raw, needle


def _page_with(reader: PdfReader, marker: str) -> DictionaryObject:
    pages = [p for p in reader.pages if marker in p.extract_text()]
    assert pages, marker
    return pages[0]


def test_safe_links_stay_live(corpus_packet: tuple[Path, str]) -> None:
    out, _ = corpus_packet
    page = _page_with(PdfReader(out / "dagsordenspakke.pdf"), "FORMULAR-SIDE-1")
    uris = {str(a.get_object()["/A"]["/URI"]) for a in page.get("/Annots", [])
            if a.get_object().get("/Subtype") == "/Link" and "/A" in a.get_object()}
    assert uris == {"https://www.rn.dk/", "mailto:sekretariat@example.dk", "https://www.example.dk/"}


def test_form_and_signature_fields_print_as_they_looked(corpus_packet: tuple[Path, str]) -> None:
    out, _ = corpus_packet
    form, signed = PdfReader(CORPUS_DIR / "aktivt-indhold.pdf"), PdfReader(CORPUS_DIR / "underskrevet.pdf")
    assert "FELTVAERDI" not in form.pages[0].extract_text()  # in the bilag, the value lives only in the field
    assert "Selvsigneret" not in signed.pages[1].extract_text()
    packet = PdfReader(out / "dagsordenspakke.pdf")
    page = _page_with(packet, "FORMULAR-SIDE-1")
    text = page.extract_text()
    assert "FELTVAERDI Karen Jensen" in text and "Hjoerring Kommune" in text
    drawn = [name for name in page["/Resources"]["/XObject"] if name.startswith("/ReferatFelt")]
    assert len(drawn) == 3  # two text fields and the ticked check box
    second = [p.extract_text() for p in packet.pages if "FORMULAR-SIDE-2" in p.extract_text()]
    signed_pages = ["Godkendt og underskrevet" in t and "Søren Selvsigneret" in t for t in second]
    assert any(signed_pages) and not all(signed_pages)  # the signed bilag's page 2, not the form bilag's


def test_what_was_removed_is_said_once_per_bilag(corpus_packet: tuple[Path, str]) -> None:
    _, err = corpus_packet
    lines = [line for line in err.splitlines() if "fjernet i pakken" in line]
    assert [line.split(": advarsel: ")[0].rsplit("/", 1)[-1] for line in lines] == \
        ["aktivt-indhold.pdf", "underskrevet.pdf"]
    assert lines[0].endswith("bilag/aktivt-indhold.pdf: advarsel: JavaScript, programstart (Launch), 4 links til "
                             "andet end web og e-mail, 2 vedhæftede filer, XFA-formular og 3 formularfelter "
                             "fjernet i pakken; felterne er trykt, som de så ud")
    assert lines[1].endswith("bilag/underskrevet.pdf: advarsel: 1 underskriftsfelt fjernet i pakken; feltet er "
                             "trykt, som det så ud (en underskrift kan kun kontrolleres i det originale bilag)")


def _hostile_pdf() -> bytes:
    """A page with what a careless or hostile tool writes: a /Next cycle of scripts, junk in /Annots, a shown
    field without appearance, a hidden field with one, and a field whose appearance is rotated by /Matrix."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf("FJENDTLIG-SIDE"))))
    page = writer.pages[0]

    def obj(**entries: object) -> DictionaryObject:
        return DictionaryObject({NameObject("/" + k): v for k, v in entries.items()})  # type: ignore[misc]

    def rect(*v: float) -> ArrayObject:
        return ArrayObject([FloatObject(x) for x in v])

    def appearance(text: str, matrix: list[float] | None = None) -> IndirectObject:
        stream = DecodedStreamObject()
        stream.set_data(f"BT /F 10 Tf 2 4 Td ({text}) Tj ET".encode())
        stream.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
                       NameObject("/BBox"): rect(0, 0, 150, 14)})
        if matrix:
            stream[NameObject("/Matrix")] = ArrayObject([FloatObject(x) for x in matrix])
        stream[NameObject("/Resources")] = obj(Font=obj(F=obj(Type=NameObject("/Font"), Subtype=NameObject("/Type1"),
                                                              BaseFont=NameObject("/Helvetica"))))
        return writer._add_object(stream)

    first = writer._add_object(obj(S=NameObject("/JavaScript"), JS=TextStringObject("app.alert(1)")))
    second = writer._add_object(obj(S=NameObject("/URI"), URI=TextStringObject("https://ok.example/"), Next=first))
    first.get_object()[NameObject("/Next")] = second  # a cycle
    annots = ArrayObject([
        NumberObject(7), NullObject(), writer._add_object(obj(Foo=NameObject("/Bar"))),
        writer._add_object(obj(Type=NameObject("/Annot"), Subtype=NameObject("/Link"), Rect=rect(0, 0, 9, 9), A=second)),
        writer._add_object(obj(Type=NameObject("/Annot"), Subtype=NameObject("/Widget"), FT=NameObject("/Tx"),
                               T=TextStringObject("uden"), V=TextStringObject("UDEN-UDSEENDE"), Rect=rect(50, 50, 200, 64))),
        writer._add_object(obj(Type=NameObject("/Annot"), Subtype=NameObject("/Widget"), FT=NameObject("/Tx"),
                               T=TextStringObject("skjult"), F=NumberObject(2), Rect=rect(50, 80, 200, 94),
                               AP=obj(N=appearance("SKJULT-FELT")))),
        writer._add_object(obj(Type=NameObject("/Annot"), Subtype=NameObject("/Widget"), FT=NameObject("/Tx"),
                               T=TextStringObject("drejet"), Rect=rect(300, 100, 314, 250),
                               AP=obj(N=appearance("DREJET-FELT", [0, 1, -1, 0, 0, 0])))),
    ])
    page[NameObject("/Annots")] = annots
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def test_hostile_annotations_end_in_a_clean_packet_and_a_message(make_meeting, run, tmp_path: Path) -> None:
    folder = make_meeting({"01-x.yaml": "titel: X\nbilag:\n  - {titel: Fjendtlig, fil: fjendtlig.pdf}\n"},
                          bilag={"fjendtlig.pdf": _hostile_pdf()})
    code, _, err = run("packet", folder, "--out", tmp_path / "out")
    assert code == 0, err
    assert ("bilag/fjendtlig.pdf: advarsel: JavaScript, 2 beskadigede annotationer og 3 formularfelter fjernet i "
            "pakken; felterne er trykt, som de så ud; 1 udfyldt felt uden udseende kunne ikke trykkes (værdien "
            "står kun i det originale bilag)") in err
    reader = PdfReader(tmp_path / "out" / "dagsordenspakke.pdf")
    page = _page_with(reader, "FJENDTLIG-SIDE")
    text = page.extract_text()
    assert "DREJET-FELT" in text and "SKJULT-FELT" not in text
    for obj in _walk(reader):
        assert "/JS" not in obj and obj.get("/Subtype") != "/Widget"
    assert not [a for a in page.get("/Annots", []) if a.get_object().get("/Subtype") == "/Link"
                and a.get_object().get("/A", {}).get("/S") is not None]


def test_the_removal_message_counts_in_danish() -> None:
    from collections import Counter

    from referat.packet.sanitize import describe

    assert describe(Counter()) is None
    assert describe(Counter(felt=1)) == "1 formularfelt fjernet i pakken; feltet er trykt, som det så ud"
    assert describe(Counter(javascript=3, link=1, vedhæftet=1, medie=2)) == (
        "JavaScript, 1 link til andet end web og e-mail, 1 vedhæftet fil og 2 medieobjekter (video, lyd eller 3D) "
        "fjernet i pakken")


def test_the_corpus_packet_is_reproducible(corpus_meeting: Path, corpus_packet: tuple[Path, str], run,
                                           tmp_path: Path) -> None:
    out, _ = corpus_packet
    code, _, err = run("packet", corpus_meeting, "--dokument", "dagsorden", "--out", tmp_path)
    assert code == 0, err
    assert (tmp_path / "dagsordenspakke.pdf").read_bytes() == (out / "dagsordenspakke.pdf").read_bytes()


def _inherited_resources_pdf() -> bytes:
    """Three pages without /Resources of their own: they inherit one direct dictionary from /Pages."""
    writer = PdfWriter()
    for _ in range(3):
        writer.append(PdfReader(io.BytesIO(text_pdf("ARVET-SIDE"))))
    shared = writer.pages[0]["/Resources"].get_object()
    writer._root_object["/Pages"].get_object()[NameObject("/Resources")] = DictionaryObject(shared.items())
    for page in writer.pages:
        del page["/Resources"]
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def test_pages_inheriting_one_resource_dictionary_each_show_their_own_number(make_meeting, run,
                                                                            tmp_path: Path) -> None:
    data = _inherited_resources_pdf()
    kids = PdfReader(io.BytesIO(data)).trailer["/Root"]["/Pages"]["/Kids"]
    assert len(kids) == 3 and not any("/Resources" in k.get_object() for k in kids)
    folder = make_meeting({"01-x.yaml": "titel: X\nbilag:\n  - {titel: Arvet, fil: arvet.pdf}\n"},
                          bilag={"arvet.pdf": data})
    code, _, err = run("packet", folder, "--out", tmp_path / "out")
    assert code == 0, err
    pages = PdfReader(tmp_path / "out" / "dagsordenspakke.pdf").pages
    arvet = [n for n, p in enumerate(pages, start=1) if "ARVET-SIDE" in p.extract_text()]
    assert len(arvet) == 3
    for number in arvet:
        assert STAMP.findall(pages[number - 1].extract_text()) == [(str(number), str(len(pages)))]


def _layered_pdf() -> bytes:
    """One page with a visible and a hidden-by-default optional-content group (layer)."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)

    def group(name: str) -> IndirectObject:
        return writer._add_object(DictionaryObject({NameObject("/Type"): NameObject("/OCG"),
                                                    NameObject("/Name"): TextStringObject(name)}))

    shown, hidden = group("Synligt"), group("Kladde")
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject({
        NameObject("/Font"): DictionaryObject({NameObject("/F"): font}),
        NameObject("/Properties"): DictionaryObject({NameObject("/Vis"): shown, NameObject("/Skj"): hidden})})
    content = DecodedStreamObject()
    content.set_data(b"/OC /Vis BDC BT /F 14 Tf 72 700 Td (SYNLIGT-LAG) Tj ET EMC "
                     b"/OC /Skj BDC BT /F 14 Tf 72 650 Td (SKJULT-LAG) Tj ET EMC")
    page[NameObject("/Contents")] = writer._add_object(content)
    writer._root_object[NameObject("/OCProperties")] = DictionaryObject({
        NameObject("/OCGs"): ArrayObject([shown, hidden]),
        NameObject("/D"): DictionaryObject({NameObject("/OFF"): ArrayObject([hidden])})})
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def test_hidden_layers_stay_hidden_and_are_named(make_meeting, run, tmp_path: Path) -> None:
    folder = make_meeting({"01-x.yaml": "titel: X\nbilag:\n  - {titel: Lag, fil: lag.pdf}\n"
                                        "  - {titel: Notat, fil: notat.pdf}\n"},
                          bilag={"lag.pdf": _layered_pdf(), "notat.pdf": (CORPUS_DIR / "notat-libreoffice.pdf")
                                 .read_bytes()})
    code, _, err = run("packet", folder, "--out", tmp_path / "out")
    assert code == 0, err
    assert ("bilag/lag.pdf: advarsel: 1 skjult lag er også skjult i pakken, men dets indhold er med i filen; "
            "gem bilaget uden skjulte lag, hvis det ikke må offentliggøres") in err
    assert "notat.pdf" not in err
    reader = PdfReader(tmp_path / "out" / "dagsordenspakke.pdf")
    page = _page_with(reader, "SYNLIGT-LAG")
    props = page["/Resources"]["/Properties"]
    config = reader.trailer["/Root"]["/OCProperties"]
    groups = [g.idnum for g in config["/OCGs"]]
    assert sorted(groups) == sorted([props.raw_get("/Vis").idnum, props.raw_get("/Skj").idnum])
    assert [g.idnum for g in config["/D"]["/OFF"]] == [props.raw_get("/Skj").idnum]


def test_private_data_of_a_bilag_page_is_not_published(make_meeting, run, tmp_path: Path) -> None:
    """/PieceInfo (an application's private, editable copy of the page), page XMP and thumbnails are never
    shown, so they do not go into the packet."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf("SYNLIG-SIDE"))))
    page = writer.pages[0]

    def stream(data: bytes) -> IndirectObject:
        obj = DecodedStreamObject()
        obj.set_data(data)
        return writer._add_object(obj)

    page[NameObject("/PieceInfo")] = DictionaryObject({NameObject("/Illustrator"): DictionaryObject({
        NameObject("/Private"): stream(b"HEMMELIG-KILDE redigerbar original")})})
    page[NameObject("/Metadata")] = stream(b"<x:xmpmeta>HEMMELIG-XMP forfatter</x:xmpmeta>")
    page[NameObject("/Thumb")] = stream(b"HEMMELIG-MINIATURE")
    buf = io.BytesIO()
    writer.write(buf)
    folder = make_meeting({"01-x.yaml": "titel: X\nbilag:\n  - {titel: Side, fil: side.pdf}\n"},
                          bilag={"side.pdf": buf.getvalue()})
    code, _, err = run("packet", folder, "--out", tmp_path / "out")
    assert code == 0, err
    raw = (tmp_path / "out" / "dagsordenspakke.pdf").read_bytes()
    assert b"HEMMELIG" not in raw
    reader = PdfReader(tmp_path / "out" / "dagsordenspakke.pdf")
    assert "SYNLIG-SIDE" in _page_with(reader, "SYNLIG-SIDE").extract_text()
    assert "/Metadata" in reader.trailer["/Root"]  # the packet's own XMP is still there
