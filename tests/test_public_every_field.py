"""Done when (issue 22, item 5): one marker string through every text field of the model reaches no public file.

The meetings are generated from the JSON Schema of the models (`Meeting`, `Item`): every string field that is text
(a string without a pattern or format: not a file name, a clock time or an id) gets the marker inside
`[[skjul: MARKER | grund]]`, so a text field added to the model later is covered without this test being touched.
Only the values that must refer to each other (member names, the meeting's own date and items) are set by hand,
and they carry the marker too. Separately, a closed item holds a second marker in clear in every text its public
edition leaves out. The meeting attaches the minutes of an earlier meeting from its folder (`referat:`) and the
signed minutes of another from the archive (`arkiv:`), both generated the same way.

Then `build --offentlig` (PDF, Word, text, HTML and its bilag), `packet --offentlig` and `publish --site` (pages,
register, `moeder.ics`, `feed.atom`) are read back — PDF text with pypdf, Word with python-docx — and neither
marker is in any public file, while the internal editions print both (so the test can fail).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from ruamel.yaml import YAML

from conftest import archived_into, build_minutes, sign_as_chair, text_pdf
from pki import Pki
from readback import files_below, flat, readable
from referat.cli import main
from referat.load.meeting import load_meeting
from referat.model.item import Item
from referat.model.meeting import Meeting
from referat.model.texts import text_fields

MARKER = "XQ7HEMMELIGT"  # inside [[skjul: … | …]] in every text field
CLOSED = "ZK4LUKKETTEKST"  # in clear, in every text of a closed item that its public edition leaves out
NAME_A = f"Anne Andersen [[skjul: {MARKER} | Offentlighedslovens § 30, nr. 1]]"
NAME_B = f"Bo Bertelsen [[skjul: {MARKER} | Offentlighedslovens § 30, nr. 1]]"
CASE = "2026-005746"  # a case number has the profile's form (ÅÅÅÅ-NNNNNN), so it holds no span
CLOSED_PUBLIC = {"titel": "Personalesag", "lukket_grundlag": "Offentlighedslovens § 30, nr. 1",
                 "offentlig_beslutning": "Styregruppen har truffet en beslutning.",
                 "gruppe": "Lukkede sager"}  # the heading the item stands under: the agenda's structure

ARCHIVED, EARLIER, MAIN = "2025-11-17", "2025-09-01", "2026-02-23"

Path_ = tuple[str, ...]  # a path in the data, "*" for every index of a list


def _schema(model: type[Any]) -> dict[str, Any]:
    schema = model.model_json_schema(by_alias=True, mode="validation")
    assert isinstance(schema, dict)
    return schema


class Generator:
    """Data for a model from its JSON Schema: `fill(path)` for every text, `overrides` (by path) where values
    must agree with each other, a first allowed value for every other field."""

    def __init__(self, schema: dict[str, Any], fill: Callable[[Path_], str],
                 overrides: dict[Path_, Any] | None = None) -> None:
        self.root, self.fill, self.overrides = schema, fill, overrides or {}
        self.filled: list[Path_] = []  # every text path filled (with "*" for list indexes)

    def _resolve(self, prop: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in prop:
            prop = {**self.root["$defs"][prop["$ref"].rsplit("/", 1)[1]],
                    **{k: v for k, v in prop.items() if k != "$ref"}}
        branches = [b for b in prop.get("anyOf", []) if b.get("type") != "null"]
        if branches:  # a choice: an object over a string shorthand, an enum over its any-case pattern
            branches = [self._resolve(b) for b in branches]
            best = next((b for b in branches if b.get("type") == "object"), None) or \
                next((b for b in branches if "enum" in b), None) or branches[0]
            prop = {**{k: v for k, v in prop.items() if k != "anyOf"}, **best}
        return prop

    def make(self, prop: dict[str, Any] | None = None, path: Path_ = ()) -> Any:
        if path in self.overrides:
            value = self.overrides[path]
            return value(self, path) if callable(value) else value
        prop = self._resolve(prop if prop is not None else self.root)
        kind = prop.get("type")
        if kind == "object" or "properties" in prop:
            out = {}
            for key, sub in prop.get("properties", {}).items():
                value = self.make(sub, (*path, key))
                if value is not _SKIP:
                    out[key] = value
            return out
        if kind == "array":
            value = self.make(prop.get("items", {}), (*path, "*"))
            return [] if value is _SKIP else [value]
        if "enum" in prop:
            return prop["enum"][0]
        if kind == "string":
            if "pattern" in prop or "format" in prop:  # data, not text: a date, a clock, a file name, an id
                return "2026-01-15" if prop.get("format") == "date" else _SKIP
            self.filled.append(path)
            return self.fill(path)
        if kind == "integer":
            return 1
        if kind == "boolean" or (isinstance(kind, list) and "boolean" in kind):
            return False
        return _SKIP


_SKIP = object()


def _spans(path: Path_) -> str:
    return f"{'.'.join(path) or 'tekst'}: [[skjul: {MARKER} | Offentlighedslovens § 30, nr. 1]] slut"


def _member(name: str) -> Callable[[Generator, Path_], Any]:
    return lambda gen, path: {**gen.make(gen.root["$defs"]["Member"], path), "navn": name}


def meeting_data(date: str, next_date: str, item_files: list[str]) -> tuple[dict[str, Any], list[Path_]]:
    overrides: dict[Path_, Any] = {
        ("udvalg",): "das-social", ("fase",): "referat", ("dato",): date, ("start",): "12.00", ("slut",): "16.00",
        ("online",): False, ("punkter",): item_files, ("sagsnummer",): CASE,
        ("medlemmer",): lambda gen, path: [_member(NAME_A)(gen, (*path, "*")), _member(NAME_B)(gen, (*path, "*"))],
        ("fremmøde", "til_stede"): [NAME_A], ("fremmøde", "fraværende"): [NAME_B],
        ("fremmøde", "delvis", "*", "navn"): NAME_A, ("fremmøde", "delvis", "*", "til_punkt"): 2,
        ("fremmøde", "øvrige", "*", "i_stedet_for"): NAME_B, ("fremmøde", "øvrige", "*", "punkter"): [1],
        ("næste_møde", "dato"): next_date, ("næste_møde", "start"): "12.00", ("næste_møde", "slut"): "16.00",
    }
    gen = Generator(_schema(Meeting), _spans, overrides)
    return gen.make(), gen.filled


def open_item(bilag: list[dict[str, Any]]) -> tuple[dict[str, Any], list[Path_]]:
    def each_bilag(gen: Generator, path: Path_) -> list[dict[str, Any]]:
        return [{**gen.make(gen.root["$defs"]["Bilag"], (*path, "*")), "offentlig": True, **source} for source in bilag]

    gen = Generator(_schema(Item), _spans, {
        ("adgang",): "åben", ("type",): "beslutning", ("tidspunkt",): "09.00-10.00", ("fremlæggere",): [NAME_A],
        ("sagsnummer",): CASE, ("bilag",): each_bilag})
    return gen.make(), gen.filled


def closed_item(bilag_file: str) -> tuple[dict[str, Any], list[Path_]]:
    gen = Generator(_schema(Item), lambda path: f"{'.'.join(path)}: {CLOSED} slut", {
        ("adgang",): "lukket", ("type",): "beslutning", ("tidspunkt",): "10.00-11.00", ("fremlæggere",): [NAME_A],
        ("sagsnummer",): CASE,
        **{(key,): text for key, text in CLOSED_PUBLIC.items()},
        ("bilag", "*", "offentlig"): True,
        ("bilag", "*", "fil"): bilag_file})
    return gen.make(), gen.filled


def _dump(data: Any, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    yaml = YAML()
    yaml.allow_unicode = True
    with path.open("w", encoding="utf-8") as fh:
        yaml.dump(data, fh)


def write_generated(folder: Path, date: str, next_date: str, bilag: list[dict[str, Any]],
                    files: dict[str, bytes]) -> dict[str, list[Path_]]:
    """A generated meeting in `folder`: item 1 open (spans everywhere), item 2 closed; what each file filled."""
    closed_file = f"{CLOSED.lower()}-bilag.pdf"
    meeting, meeting_filled = meeting_data(date, next_date, ["01-aaben.yaml", "02-lukket.yaml"])
    first, first_filled = open_item(bilag)
    second, second_filled = closed_item(closed_file)
    _dump(meeting, folder / "møde.yaml")
    _dump(first, folder / "punkter" / "01-aaben.yaml")
    _dump(second, folder / "punkter" / "02-lukket.yaml")
    (folder / "bilag").mkdir()
    for name, data in {**files, closed_file: text_pdf(f"Lukket bilag: {CLOSED}")}.items():
        (folder / "bilag" / name).write_bytes(data)
    return {"møde": meeting_filled, "01": first_filled, "02": second_filled}


PUBLIC_NOTE = {"fil": "notat.pdf", "offentlig": True}
INTERNAL_NOTE = {"fil": "internt.pdf", "offentlig": False}
NOTES = {"notat.pdf": text_pdf("Et offentligt notat om tilbuddet."),
         "internt.pdf": text_pdf(f"Internt notat om {MARKER} og {CLOSED}.")}


@pytest.fixture(scope="module")
def base(pki: Pki, cert_password: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three generated meetings in `moeder/` — one archived (signed) in `arkiv/` beside them, one in its folder,
    and the main meeting attaching both — and every public output of the main one."""
    base = tmp_path_factory.mktemp("hver-tekst")
    moeder = base / "moeder"
    archived = moeder / f"{ARCHIVED}-das-social"
    write_generated(archived, ARCHIVED, MAIN, [PUBLIC_NOTE], NOTES)
    archived_into(base / "arkiv", sign_as_chair(build_minutes(archived, base / "arkiveret"), pki,
                                                base / "underskrevet.pdf"), pki, archived)
    write_generated(moeder / f"{EARLIER}-das-social", EARLIER, ARCHIVED, [PUBLIC_NOTE], NOTES)
    filled = write_generated(moeder / f"{MAIN}-das-social", MAIN, "2026-05-22", [
        PUBLIC_NOTE, INTERNAL_NOTE, {"referat": f"../{EARLIER}-das-social"}, {"arkiv": f"das-social/{ARCHIVED}"}],
        NOTES)
    (base / "udfyldt.json").write_text(json.dumps(filled, ensure_ascii=False), "utf-8")
    main_folder = moeder / f"{MAIN}-das-social"
    for command in (["validate", main_folder, "--offentlig"],
                    ["build", main_folder, "--offentlig", "--format", "pdf,docx,txt,html", "--out", base / "build"],
                    ["packet", main_folder, "--offentlig", "--out", base / "packet"],
                    ["publish", "--site", base / "site", main_folder]):
        assert main([str(c) for c in command]) == 0, command
    return base


def _filled(base: Path) -> dict[str, list[Path_]]:
    data = json.loads((base / "udfyldt.json").read_text("utf-8"))
    return {k: [tuple(p) for p in v] for k, v in data.items()}


def _matches(pattern: Path_, path: tuple[str | int, ...]) -> bool:
    return len(pattern) == len(path) and all(p == "*" and isinstance(q, int) or p == q
                                             for p, q in zip(pattern, path, strict=True))


def test_every_text_field_of_the_model_carries_the_marker(base: Path) -> None:
    """The generator reached every text field the schema has, and the filter's own walk (`model.texts`) finds each
    of them: a text field it did not walk would not be filtered."""
    meeting, report = load_meeting(base / "moeder" / f"{MAIN}-das-social")
    assert meeting is not None and not report.has_errors, report.lines()
    filled = _filled(base)
    walked = {"møde": list(text_fields(meeting)), "01": list(text_fields(meeting.items[0])),
              "02": list(text_fields(meeting.items[1]))}
    for part, patterns in filled.items():
        assert patterns, part
        for pattern in patterns:
            hits = [text for path, text in walked[part] if _matches(pattern, path)]
            assert hits, f"{part}: the filter does not walk the text field {'.'.join(pattern)}"
            marker = CLOSED if part == "02" else MARKER
            assert all(marker in text for text in hits), (part, pattern, hits)
    # the fields the schema calls text include the place, guests, the next meeting's place, tasks, bilag titles
    names = {".".join(p) for p in filled["møde"] + filled["01"]}
    assert {"sted", "fremmøde.øvrige.*.navn", "næste_møde.sted", "opfølgning.*.opgave", "opfølgning.*.ansvarlig",
            "bilag.*.titel", "indstilling.*.underpunkter.*", "øvrige_oplysninger"} <= names


def _public_files(base: Path) -> Iterator[Path]:
    build = base / "build"
    pages = [p for p in build.glob("*-offentlig.html")]
    linked = {p for p in build.glob("bilag-*.pdf") if any(f'href="{p.name}"' in q.read_text("utf-8") for q in pages)}
    yield from (p for p in files_below(build) if "offentlig" in p.name or p in linked)
    yield from (p for p in files_below(base / "packet") if "offentlig" in p.name)
    yield from files_below(base / "site")


def test_no_marker_in_any_public_file(base: Path) -> None:
    files = list(_public_files(base))
    names = {p.name for p in files}
    assert {"referat-offentlig.pdf", "referat-offentlig.docx", "referat-offentlig.txt", "referat-offentlig.html",
            "dagsorden-offentlig.pdf", "referat-med-bilag-offentlig.pdf", "dagsordenspakke-offentlig.pdf",
            "moeder.ics", "feed.atom", "beslutninger.html", "index.html", "bilag-1-3-offentlig.pdf",
            "bilag-1-4-offentlig.pdf"} <= names
    site = {p.name for p in files_below(base / "site")}
    assert {"bilag-1-1.pdf", "bilag-1-3.pdf", "bilag-1-4.pdf"} <= site and "bilag-1-2.pdf" not in site
    found = [(str(p.relative_to(base)), marker) for p in files for marker in (MARKER, CLOSED)
             if flat(marker) in flat(str(p.relative_to(base)) + readable(p))]
    assert found == []


def test_the_internal_editions_print_both_markers(base: Path) -> None:
    """The test above can fail: what the public editions leave out is in the internal ones."""
    for name in ("referat.txt", "referat.html"):
        text = (base / "build" / name).read_text("utf-8")
        assert MARKER in text and CLOSED in text, name
    assert flat(MARKER) in flat(readable(base / "build" / "referat.pdf"))
    public = (base / "build" / "referat-offentlig.txt").read_text("utf-8")
    assert "sted: […] slut" in public and "Anne Andersen […]" in public


def _bilag_text(packet: Path, bilag_id: str) -> str:
    reader = PdfReader(packet)
    return " ".join(" ".join((page.extract_text() or "").split())
                    for label, page in zip(reader.page_labels, reader.pages, strict=True)
                    if label.startswith(f"Bilag {bilag_id}: "))


def test_earlier_minutes_attached_with_arkiv_and_referat_are_their_public_edition(base: Path) -> None:
    """The archived, signed minutes print the spans (the internal packet carries the signed file), the public
    packet carries the public edition made from the archived data; the same for minutes from a folder."""
    for bilag_id in ("1.3", "1.4"):  # referat: ../forrige, arkiv: das-social/2025-11-17
        internal = _bilag_text(base / "packet" / "referat-med-bilag.pdf", bilag_id)
        public = _bilag_text(base / "packet" / "referat-med-bilag-offentlig.pdf", bilag_id)
        assert flat(MARKER) in flat(internal) and flat(CLOSED) in flat(internal), bilag_id
        assert "[…]" in public and "Lukket punkt. Grundlag: Offentlighedslovens § 30, nr. 1" in public, bilag_id
        assert flat(MARKER) not in flat(public) and flat(CLOSED) not in flat(public), bilag_id


def test_the_control_reports_name_no_secret_and_count_what_they_searched(base: Path) -> None:
    report = (base / "packet" / "referat-med-bilag-offentlig-kontrol.txt").read_text("utf-8")
    assert "Resultat: intet af det skjulte og ingen CPR-numre blev fundet." in report
    assert MARKER not in report and CLOSED not in report
    assert "tekst fra lukkede punkter" in report and "skjulte tekststykker" in report


def test_a_copied_site_keeps_its_bytes(base: Path, tmp_path: Path) -> None:
    """Same input, same site (the manifest included)."""
    shutil.copytree(base / "site", tmp_path / "site")
    assert main(["publish", "--site", str(tmp_path / "site"), str(base / "moeder" / f"{MAIN}-das-social")]) == 0
    first = {p.relative_to(base / "site"): p.read_bytes() for p in files_below(base / "site")}
    again = {p.relative_to(tmp_path / "site"): p.read_bytes() for p in files_below(tmp_path / "site")}
    assert first == again


def test_archived_minutes_with_a_misspelt_marker_are_not_published(base: Path, tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """Data archived before misspelt markers were errors (made here by editing the archive and its manifest): the
    public edition of those minutes would print '[[skjul Navn]]' as written, so the public packet is refused."""
    import hashlib

    copy = tmp_path / "kopi"
    shutil.copytree(base / "moeder", copy / "moeder")
    shutil.copytree(base / "arkiv", copy / "arkiv")
    version = copy / "arkiv" / "das-social" / ARCHIVED / "udgave-1"
    item = version / "data" / "punkter" / "01-aaben.yaml"
    item.chmod(0o644)
    text = item.read_text("utf-8").replace("[[skjul: ", "[[skjul ", 1)
    item.write_text(text, "utf-8")
    manifest = version / "manifest.json"
    manifest.chmod(0o644)
    data = json.loads(manifest.read_text("utf-8"))
    data["data"]["filer"]["data/punkter/01-aaben.yaml"] = hashlib.sha256(item.read_bytes()).hexdigest()
    manifest.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n", "utf-8")
    folder = copy / "moeder" / f"{MAIN}-das-social"
    assert main(["packet", str(folder), "--dokument", "dagsorden", "--out", str(tmp_path / "intern")]) == 0
    capsys.readouterr()
    assert main(["packet", str(folder), "--dokument", "dagsorden", "--offentlig", "--out", str(tmp_path / "ud")]) == 1
    err = capsys.readouterr().err
    assert (f"fejl: det arkiverede referat das-social/{ARCHIVED} har en skjul-markering, der ikke er skrevet "
            f"rigtigt ({item}:1:16: '[[skjul {MARKER} | Offentlighedslov…' ligner en skjul-markering") in err
    assert not (tmp_path / "ud").exists()


def _leaves(annotation: Any) -> Iterator[Any]:
    import typing

    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is typing.Annotated:
        yield from _leaves(args[0])
    elif args:
        for arg in args:
            yield from _leaves(arg)
    else:
        yield annotation


def _formed(prop: dict[str, Any]) -> bool:
    """A string with a pattern or format in the schema (not an enum's any-case spelling)."""
    branches = prop.get("anyOf") or [prop]
    return any(("pattern" in b or "format" in b) and "enum" not in b and b.get("type") == "string"
               for b in branches) and not any("enum" in b or "$ref" in b for b in branches)


def test_a_string_with_a_form_is_data_and_every_other_string_is_text() -> None:
    """The walk and the schema agree: a string field whose schema gives it a form (a pattern or format: a file name,
    a clock time, an id) is marked NotText, and every other string field is text. A new id or path type without
    the mark fails here; a new free-text field needs nothing."""
    from enum import Enum

    from referat.model import item as item_module
    from referat.model import meeting as meeting_module
    from referat.model import person
    from referat.model.base import Model
    from referat.model.texts import is_text_field

    models = {cls for module in (item_module, meeting_module, person) for cls in vars(module).values()
              if isinstance(cls, type) and issubclass(cls, Model) and cls is not Model and cls.model_fields}
    assert {Meeting, Item} <= models and len(models) >= 8
    checked = 0
    for model in sorted(models, key=lambda m: m.__name__):
        schema = _schema(model)
        properties = schema.get("properties") or next(b["properties"] for b in schema["anyOf"] if "properties" in b)
        for name, info in model.model_fields.items():
            leaves = list(_leaves(info.annotation))
            if str not in leaves or any(isinstance(t, type) and issubclass(t, Enum) for t in leaves):
                continue
            prop = properties[info.alias or name]
            prop = prop.get("items", prop) if prop.get("type") == "array" else prop
            assert is_text_field(info) is not _formed(prop), f"{model.__name__}.{name}"
            checked += 1
    assert checked >= 20
