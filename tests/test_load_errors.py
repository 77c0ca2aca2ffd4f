"""The loader's user errors: each one a Danish message that names the file and, where there is one, the line."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import pytest

from conftest import base, edited, located, only, tiny_pdf
from referat.diagnostics import Diagnostic, Location
from referat.load.meeting import load_meeting


def write_item(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / "punkter" / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def load_item(make_meeting, data: str | bytes):  # type: ignore[no-untyped-def]
    """A one-item meeting whose item file holds exactly `data`: (meeting, report, item path)."""
    folder = make_meeting({"a.yaml": "titel: midlertidig\n"})
    path = write_item(folder, "a.yaml", data)
    meeting, report = load_meeting(folder)
    return meeting, report, path


def item_error(make_meeting, data: str | bytes, needle: str) -> tuple[Diagnostic, Path]:  # type: ignore[no-untyped-def]
    _, report, path = load_item(make_meeting, data)
    assert len(report.errors) == 1, report.lines()
    d = only(report, needle)
    assert d.severity == "fejl"
    return d, path


# --------------------------------------------------------------------------------------------------
# YAML syntax and encoding

def test_yaml_syntax_error(make_meeting):
    d, path = item_error(make_meeting, "titel: T\nsagsfremstilling: Se her: vigtigt\n", "YAML-syntaksfejl: kolon uventet her")
    assert "sæt teksten i anførselstegn" in d.message
    located(d, path, 2, 25)


ITEM_YAML_ERRORS = [
    # id, the item file's content, distinctive part of the one error, line and column it points at
    ("unclosed-quote", 'titel: "Godkendelse af dagsorden\nresumé: x\n', "mangler et afsluttende anførselstegn?", 3, 1),
    ("duplicate-key-names-the-key-at-its-second-occurrence", "titel: T\nresumé: a\nbaggrund: b\nresumé: c\n",
     "nøglen 'resumé' står to gange; slet den ene", 4, 1),
    ("duplicate-key-nested-in-a-bilag", "titel: T\nbilag:\n  - titel: A\n    fil: a.pdf\n    fil: b.pdf\n",
     "nøglen 'fil' står to gange", 5, 5),
    ("tab-used-for-indentation", "titel: T\nindstilling:\n  - Godkender\n\t- Drøfter\n",
     "tabulator brugt til indrykning; brug mellemrum", 4, 1),
    ("nul-byte", b"titel: T\nresum\xc3\xa9: a\x00b\n", "filen indeholder NUL-tegn; er det en binær fil?", 2, None),
    ("control-character-in-a-literal-block", "titel: T\nsagsfremstilling: |\n  a\n  bc\x1bd\n", "kontroltegn U+001B", 4, 5),
    ("empty-item-file", "", "filen er tom", 1, 1),
    ("item-file-with-only-comments-is-empty", "# yaml-language-server: $schema=../../../schemas/punkt.schema.json\n",
     "filen er tom", 1, 1),
    ("list-instead-of-a-mapping", "- titel: T\n- resumé: x\n",
     "filen skal indeholde nøgler og værdier (nøgle: værdi), ikke en liste eller en tekst", 1, 1),
    ("text-instead-of-a-mapping", "Godkendelse af dagsorden\n",
     "filen skal indeholde nøgler og værdier (nøgle: værdi), ikke en liste eller en tekst", 1, 1),
    ("two-yaml-documents", "titel: T\n---\ntitel: U\n", "YAML-syntaksfejl", 2, 1),
    ("omap-gives-a-message-not-a-traceback", "titel: T\nresumé: !!omap [a: 1]\n", "skal være tekst", 2, 9),
]


def test_latin1_file(make_meeting):
    data = "titel: Bilag om børn\nresumé: æbler og ål\n".encode("latin-1")
    assert b"\xf8" in data and b"\xe6" in data and b"\xe5" in data
    d, path = item_error(make_meeting, data, "filen er ikke gyldig UTF-8")
    assert "Latin-1/Windows-1252" in d.message and "gem den som UTF-8" in d.message
    located(d, path, 1, 18)


def test_utf16_file_with_bom(make_meeting):
    data = "titel: Æbler\n".encode("utf-16")
    assert data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    d, path = item_error(make_meeting, data, "filen er gemt som UTF-16/UTF-32; gem den som UTF-8")
    located(d, path, 1, 1)


def test_utf8_bom_is_accepted(make_meeting):
    meeting, report, _ = load_item(make_meeting, codecs.BOM_UTF8 + b"titel: Godkendelse af dagsorden\n")
    assert report.items == []
    assert meeting.items[0].title == "Godkendelse af dagsorden"


def test_control_character_in_a_plain_scalar(make_meeting):
    d, path = item_error(make_meeting, "titel: T\nsagsfremstilling: Tekst\x01her\n", "kontroltegn U+0001 er ikke tilladt i YAML")
    assert 'skriv det som "\\x01" i dobbelte anførselstegn eller slet det' in d.message
    located(d, path, 2, 24)


def test_control_character_written_as_an_escape_is_loaded(make_meeting):
    meeting, report, _ = load_item(make_meeting, 'titel: T\nsagsfremstilling: "a\\x01b"\n')
    assert not report.errors
    assert meeting.items[0].case == "a\x01b"


@pytest.mark.parametrize(("value", "tag"), [("!!int abc", "!!int"), ("!!set abc", "!!set"), ("!!omap abc", "!!omap"),
                                          ("!!bool måske", "!!bool"), ("!!float x", "!!float")])
def test_other_tags_that_do_not_fit(make_meeting, value, tag):
    """ruamel raised AttributeError/KeyError/ValueError for these (a traceback; '!!int abc' a bare ValueError)."""
    d, path = item_error(make_meeting, f"titel: T\nresumé: {value}\n", f"værdien passer ikke til typen {tag}; slet '{tag}'")
    located(d, path, 2, 9)


def test_merge_key_is_read(make_meeting):
    """'<<: *anker' used to crash the position bookkeeping (KeyError in ruamel's line/column data)."""
    data = "titel: T\nbilag:\n  - &b {titel: A, fil: a.pdf}\n  - <<: *b\n    titel: B\n"
    folder = make_meeting({"a.yaml": data}, bilag={"a.pdf": tiny_pdf()})
    meeting, report = load_meeting(folder)
    assert report.items == [], report.lines()
    assert [(b.title, b.file) for b in meeting.items[0].bilag] == [("A", "a.pdf"), ("B", "a.pdf")]


# --------------------------------------------------------------------------------------------------
# Schema errors (pydantic → Danish)

ITEM_SCHEMA_ERRORS = [
    # id, the item file's content, distinctive part of the one error, line and column it points at
    ("unknown-key-with-suggestion", "titel: T\nsagsfremstiling: |\n  Tekst\n",
     "ukendt nøgle 'sagsfremstiling'; mente du 'sagsfremstilling'?", 2, 1),
    ("unknown-key-resume-suggests-resume-with-accent", "titel: T\nresume: Kort.\n",
     "ukendt nøgle 'resume'; mente du 'resumé'?", 2, 1),
    # a bilag with neither 'fil' nor 'referat' (or both) is refused at that entry
    ("bilag-needs-a-file-or-previous-minutes",
     "titel: T\nbilag:\n  - titel: A\n    fil: a.pdf\n  - titel: B\n    offentlig: false\n",
     "et bilag skal have enten 'fil' eller 'referat'", 5, 5),
    ("bilag-cannot-have-both-a-file-and-previous-minutes",
     "titel: T\nbilag:\n  - titel: B\n    fil: b.pdf\n    referat: ../forrige\n", "ikke begge", 3, 5),
    # a point without 'tekst' is reported at its own '- ', not at the 'indstilling:' key two lines up
    ("missing-key-in-a-list-entry-points-at-that-entry",
     "titel: T\nindstilling:\n  - Godkender dagsordenen\n  - underpunkter: [a, b]\n",
     "mangler den påkrævede nøgle 'tekst'", 4, 5),
    ("missing-title", "resumé: x\n", "mangler den påkrævede nøgle 'titel'", 1, 1),
    ("wrong-type-list-for-text", "titel: [Godkendelse, af dagsorden]\n", "skal være tekst", 1, 8),
    ("wrong-type-number-for-text-suggests-quotes", "titel: T\nsagsnummer: 2026005746\n",
     "skal være tekst; sæt værdien i anførselstegn", 2, 13),
    ("wrong-enum-value", "titel: T\nadgang: lukke\n", "'lukke' er ikke en gyldig værdi; brug 'åben' eller 'lukket'", 2, 9),
    ("bad-time-slot", 'titel: T\ntidspunkt: "10.00-09.00"\n', "tidsrummet '10.00-09.00' slutter før det begynder", 2, 12),
    ("offentlig-with-a-non-boolean", "titel: T\nbilag:\n  - titel: A\n    fil: a.pdf\n    offentlig: måske\n",
     "skal være true eller false (ja/nej)", 5, 16),
]


@pytest.mark.parametrize(("data", "needle", "line", "col"),
                         [pytest.param(*case[1:], id=case[0]) for case in ITEM_YAML_ERRORS + ITEM_SCHEMA_ERRORS])
def test_item_error(make_meeting, data: str | bytes, needle: str, line: int, col: int | None) -> None:
    """A broken item file: exactly one error, at the file, line and column where the user must look."""
    d, path = item_error(make_meeting, data, needle)
    located(d, path, line, col)


def test_unknown_key_without_a_close_match(make_meeting):
    d, path = item_error(make_meeting, "titel: T\nfarve: blå\n", "ukendt nøgle 'farve'")
    assert "mente du" not in d.message
    located(d, path, 2, 1)


def test_unknown_key_in_møde_yaml(make_meeting):
    folder = make_meeting(meeting=edited(base(items="01-dagsorden.yaml"), ("fremmøde:", "fremmode:")))
    _, report = load_meeting(folder)
    d = only(report, "ukendt nøgle 'fremmode'; mente du 'fremmøde'?")
    located(d, folder / "møde.yaml", 11, 1)


def test_missing_key_in_a_bilag_points_at_that_bilag(make_meeting):
    """The second bilag lacks 'fil' (typed 'fill'): the message points into that entry, not at 'bilag:'."""
    data = "titel: T\nbilag:\n  - titel: A\n    fil: a.pdf\n  - titel: B\n    fill: b.pdf\n"
    _, report, path = load_item(make_meeting, data)
    located(only(report, "ukendt nøgle 'fill'; mente du 'fil'?"), path, 6, 5)


def test_multi_line_value_is_shown_on_one_line(make_meeting):
    """A message is one output line, even when the offending value spans lines."""
    d, path = item_error(make_meeting, 'titel: T\nadgang: |\n  åben\n  lukket\n', "er ikke en gyldig værdi")
    assert d.message == "'åben\\nlukket\\n' er ikke en gyldig værdi; brug 'åben' eller 'lukket'"
    located(d, path, 2, 9)


def test_multi_line_time_slot_is_shown_on_one_line(make_meeting):
    d, path = item_error(make_meeting, 'titel: T\ntidspunkt: "09.00\\n10.00"\n', "er ikke et tidsrum")
    assert d.message.startswith("'09.00\\n10.00' er ikke et tidsrum")
    located(d, path, 2, 12)


def test_offentlig_nej_is_false(make_meeting):
    folder = make_meeting({"a.yaml": "titel: T\nbilag:\n  - titel: A\n    fil: a.pdf\n    offentlig: nej\n"},
                          bilag={"a.pdf": tiny_pdf()})
    meeting, report = load_meeting(folder)
    assert report.items == []
    assert meeting.items[0].bilag[0].public is False


def _meeting_error(make_meeting, meeting: str, needle: str) -> Diagnostic:  # type: ignore[no-untyped-def]
    folder = make_meeting({"a.yaml": "titel: T\n"}, meeting=meeting)
    _, report = load_meeting(folder)
    assert len(report.errors) == 1, report.lines()
    d = only(report, needle)
    assert d.severity == "fejl"
    assert d.location.path == folder / "møde.yaml"
    return d


MEETING_ERRORS = [
    # id, møde.yaml, distinctive part of the one error, line and column it points at
    ("missing-name-of-a-participant-points-at-that-participant", edited(base(), ("    - {navn: Carl Clausen, ", "    - {")),
     "mangler den påkrævede nøgle 'navn'", 15, 7),
    ("impossible-date", edited(base(), ("dato: 2026-02-23", "dato: 2026-02-30")),
     "'2026-02-30' er ikke en gyldig dato: 30. februar 2026 findes ikke", 3, 7),
    ("date-written-the-danish-way", edited(base(), ("dato: 2026-02-23", "dato: 23.02.2026")),
     "'23.02.2026' er ikke en gyldig dato; skriv ÅÅÅÅ-MM-DD", 3, 7),
    ("impossible-time", edited(base(), ('start: "12.00"\nslut', 'start: "25.00"\nslut')),
     "'25.00' er et umuligt klokkeslæt", 4, 8),
    ("time-that-is-not-a-time", edited(base(), ('slut: "16.00"\nsted', 'slut: "kl. 16"\nsted')),
     "'kl. 16' er ikke et klokkeslæt; skriv TT.MM, fx \"12.00\"", 5, 7),
    ("wrong-phase", edited(base(), ("fase: dagsorden", "fase: referatet")),
     "'referatet' er ikke en gyldig værdi; brug 'dagsorden' eller 'referat'", 2, 7),
    # the item list: every entry must name an item file in punkter/, once
    ("item-file-listed-but-missing", base(items="a.yaml, b.yaml"), "punktfilen punkter/b.yaml findes ikke", 17, 19),
    ("item-listed-twice", base(items="a.yaml, a.yaml"), "'a.yaml' står allerede som punkt 1 i punktlisten", 17, 19),
    ("item-name-with-a-folder", base(items="a.yaml, ../b.yaml"),
     "'../b.yaml' skal være et filnavn i punkter/ der ender på .yaml", 17, 19),
    ("unknown-committee-profile-suggests-the-closest", edited(base(), ("udvalg: das-social", "udvalg: das-socail")),
     "udvalgsprofilen 'das-socail' findes ikke i templates/udvalg/; mente du 'das-social'?", 1, 9),
]


@pytest.mark.parametrize(("meeting", "needle", "line", "col"), [pytest.param(*case[1:], id=case[0]) for case in MEETING_ERRORS])
def test_meeting_error(make_meeting, meeting: str, needle: str, line: int, col: int) -> None:
    """A broken møde.yaml: exactly one error, in møde.yaml at the line and column where the user must look."""
    d = _meeting_error(make_meeting, meeting, needle)
    assert (d.location.line, d.location.col) == (line, col)


@pytest.mark.parametrize(("written", "read"), [("12.30", "12.30"), ("9.05", "09.05"), ("12", "12.00"), ('"12:30"', "12.30")])
def test_unquoted_time_is_read_as_typed(make_meeting, written, read):
    folder = make_meeting({"a.yaml": "titel: T\n"}, meeting=edited(base(), ('start: "12.00"\nslut', f"start: {written}\nslut")))
    meeting, report = load_meeting(folder)
    assert report.items == [], report.lines()
    assert meeting.start == read


def test_online_nej_is_false(make_meeting):
    folder = make_meeting({"a.yaml": "titel: T\n"}, meeting=edited(base(), ("sted: Mødelokale 1, Aalborg", "sted: Lokale 1\nonline: nej")))
    meeting, report = load_meeting(folder)
    assert report.items == []
    assert meeting.online is False


# --------------------------------------------------------------------------------------------------
# The meeting folder

def test_unlisted_item_file_is_a_warning(make_meeting):
    folder = make_meeting({"a.yaml": "titel: T\n", "b.yaml": "titel: U\n"}, meeting=base(items="a.yaml"))
    meeting, report = load_meeting(folder)
    assert not report.errors
    d = only(report, "punktfilen står ikke i punktlisten i møde.yaml og kommer ikke med")
    assert d.severity == "advarsel"
    located(d, folder / "punkter" / "b.yaml", None)
    assert [item.title for item in meeting.items] == ["T"]


def test_missing_møde_yaml(tmp_path):
    folder = tmp_path / "møde"
    (folder / "punkter").mkdir(parents=True)
    meeting, report = load_meeting(folder)
    assert meeting is None
    d = only(report, "mappen har ingen møde.yaml; opret en med 'referat new")
    assert d.severity == "fejl"
    located(d, folder, None)


def test_meeting_folder_missing(tmp_path):
    meeting, report = load_meeting(tmp_path / "findes-ikke")
    assert meeting is None
    located(only(report, "mødemappen findes ikke"), tmp_path / "findes-ikke", None)


def test_meeting_folder_is_a_file(tmp_path):
    path = tmp_path / "møde.yaml"
    path.write_text("udvalg: das-social\n", encoding="utf-8")
    _, report = load_meeting(path)
    located(only(report, "mødemappen er ikke en mappe"), path, None)


def test_unknown_committee_profile_lists_the_known_ones(make_meeting):
    d = _meeting_error(make_meeting, edited(base(), ("udvalg: das-social", "udvalg: xyzzy")), "udvalgsprofilen 'xyzzy' findes ikke")
    assert "kendte profiler: " in d.message and "das-social" in d.message


def test_errors_in_several_files_are_all_reported(make_meeting):
    """The user sees every problem at once: a broken item does not hide the next one."""
    folder = make_meeting({"a.yaml": "titel: T\nresume: x\n", "b.yaml": "titel: [x]\n", "c.yaml": "titel: U\n"})
    meeting, report = load_meeting(folder)
    assert [d.location.path.name for d in report.errors] == ["a.yaml", "b.yaml"]
    # every file is still read (a bad key set aside, a bad title a placeholder), so the rules check all three
    assert [item.title for item in meeting.items] == ["T", "", "U"]
    assert [sorted(item._broken) for item in meeting.items] == [[], ["titel"], []]
    assert [item.number for item in meeting.items] == ["1", "2", "3"]


# --------------------------------------------------------------------------------------------------
# The done-when, on a copy of the real example, through `referat validate`

ITEM = "03-planer-ungehjemmet-bifrost.yaml"


def _line_of(path: Path, needle: str) -> tuple[int, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines, 1) if needle in line)
    return number, lines[number - 1]


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


def _expect(run, folder: Path, location: Location, message: str) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run("validate", folder)
    assert code == 1, err
    assert f"{location.format()}: fejl: {message}" in err.splitlines(), err
    assert "gyldig" not in out


def test_done_when_syntax_error_in_an_item(run, example_copy):
    path = example_copy / "punkter" / ITEM
    line, _ = _line_of(path, "titel: Godkendelse af planer")
    _replace(path, "titel: Godkendelse af planer for kommunikation", "titel: Godkendelse af planer: kommunikation")
    col = len("titel: Godkendelse af planer") + 1
    _expect(run, example_copy, Location(path, line, col),
            "YAML-syntaksfejl: kolon uventet her; sæt teksten i anførselstegn, hvis den indeholder ': '")


def test_done_when_unknown_key(run, example_copy):
    path = example_copy / "punkter" / ITEM
    line, _ = _line_of(path, "sagsfremstilling: |")
    _replace(path, "sagsfremstilling: |", "sagsfremstiling: |")
    _expect(run, example_copy, Location(path, line, 1), "ukendt nøgle 'sagsfremstiling'; mente du 'sagsfremstilling'?")


def test_done_when_duplicate_key(run, example_copy):
    path = example_copy / "punkter" / ITEM
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "adgang: lukket\n", encoding="utf-8")
    line = len(text.splitlines()) + 1
    _expect(run, example_copy, Location(path, line, 1), "nøglen 'adgang' står to gange; slet den ene")


def test_done_when_deleted_bilag_file(run, example_copy):
    path = example_copy / "punkter" / ITEM
    (example_copy / "bilag" / "03-bilag-2-samarbejdsmodel.pdf").unlink()
    line, text = _line_of(path, "fil: 03-bilag-2-samarbejdsmodel.pdf")
    col = text.index("03-bilag-2") + 1
    _expect(run, example_copy, Location(path, line, col), "bilagsfilen bilag/03-bilag-2-samarbejdsmodel.pdf findes ikke")


def test_done_when_all_four_at_once(run, example_copy):
    """All four problems in one run, each in its own item, in meeting order, with the summary line."""
    _replace(example_copy / "punkter" / "04-nyt-takstskema.yaml", "titel: Udvikling af", "titel: Udvikling: af")
    _replace(example_copy / "punkter" / "05-sundhedstjek-paa-botilbud.yaml", "sagsfremstilling: |", "sagsfremstiling: |")
    (example_copy / "bilag" / "03-bilag-2-samarbejdsmodel.pdf").unlink()
    other = example_copy / "punkter" / "07-kapacitetsstyring-herberg.yaml"
    other.write_text(other.read_text(encoding="utf-8") + "titel: igen\n", encoding="utf-8")
    code, _, err = run("validate", example_copy)
    assert code == 1
    errors = [line for line in err.splitlines() if ": fejl: " in line]
    assert len(errors) == 4, err
    for line, (name, message) in zip(errors, [
        ("03-planer-ungehjemmet-bifrost.yaml", "bilagsfilen bilag/03-bilag-2-samarbejdsmodel.pdf findes ikke"),
        ("04-nyt-takstskema.yaml", "YAML-syntaksfejl: kolon uventet her"),
        ("05-sundhedstjek-paa-botilbud.yaml", "ukendt nøgle 'sagsfremstiling'"),
        ("07-kapacitetsstyring-herberg.yaml", "nøglen 'titel' står to gange"),
    ]):
        assert re.match(rf"^.*/{re.escape(name)}:\d+:\d+: fejl: {re.escape(message)}", line), line
    assert err.splitlines()[-1].startswith("4 fejl, ")


def test_alias_bomb_is_refused_quickly(make_meeting):
    """Aliases of aliases (a 'billion laughs' file) expand into millions of values: refused with a message."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    d, path = item_error(make_meeting, "\n".join(lines) + "\ntitel: T\n", "udfolder sig til over 500.000 værdier")
    assert d.location.path == path
