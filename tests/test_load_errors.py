"""The loader's user errors: each one a Danish message that names the file and, where there is one, the line."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import pytest

from conftest import MEETING, located, only, tiny_pdf
from referat.diagnostics import Diagnostic, Location
from referat.load.meeting import load_meeting


def base(fase: str = "dagsorden", items: str = "a.yaml") -> str:
    return MEETING.format(fase=fase, items=items)


def edited(text: str, *pairs: tuple[str, str]) -> str:
    for old, new in pairs:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


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


def test_unclosed_quote(make_meeting):
    d, path = item_error(make_meeting, 'titel: "Godkendelse af dagsorden\nresumé: x\n', "mangler et afsluttende anførselstegn?")
    located(d, path, 3, 1)


def test_duplicate_key_names_the_key_at_its_second_occurrence(make_meeting):
    d, path = item_error(make_meeting, "titel: T\nresumé: a\nbaggrund: b\nresumé: c\n", "nøglen 'resumé' står to gange; slet den ene")
    located(d, path, 4, 1)


def test_duplicate_key_nested_in_a_bilag(make_meeting):
    data = "titel: T\nbilag:\n  - titel: A\n    fil: a.pdf\n    fil: b.pdf\n"
    d, path = item_error(make_meeting, data, "nøglen 'fil' står to gange")
    located(d, path, 5, 5)


def test_tab_used_for_indentation(make_meeting):
    d, path = item_error(make_meeting, "titel: T\nindstilling:\n  - Godkender\n\t- Drøfter\n", "tabulator brugt til indrykning; brug mellemrum")
    located(d, path, 4, 1)


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


def test_nul_byte(make_meeting):
    d, path = item_error(make_meeting, b"titel: T\nresum\xc3\xa9: a\x00b\n", "filen indeholder NUL-tegn; er det en binær fil?")
    located(d, path, 2)


def test_control_character_in_a_plain_scalar(make_meeting):
    d, path = item_error(make_meeting, "titel: T\nsagsfremstilling: Tekst\x01her\n", "kontroltegn U+0001 er ikke tilladt i YAML")
    assert 'skriv det som "\\x01" i dobbelte anførselstegn eller slet det' in d.message
    located(d, path, 2, 24)


def test_control_character_in_a_literal_block(make_meeting):
    d, path = item_error(make_meeting, "titel: T\nsagsfremstilling: |\n  a\n  bc\x1bd\n", "kontroltegn U+001B")
    located(d, path, 4, 5)


def test_control_character_written_as_an_escape_is_loaded(make_meeting):
    meeting, report, _ = load_item(make_meeting, 'titel: T\nsagsfremstilling: "a\\x01b"\n')
    assert not report.errors
    assert meeting.items[0].case == "a\x01b"


def test_empty_item_file(make_meeting):
    d, path = item_error(make_meeting, "", "filen er tom")
    located(d, path, 1, 1)


def test_item_file_with_only_comments_is_empty(make_meeting):
    d, path = item_error(make_meeting, "# yaml-language-server: $schema=../../../schemas/punkt.schema.json\n", "filen er tom")
    located(d, path, 1, 1)


@pytest.mark.parametrize("data", ["- titel: T\n- resumé: x\n", "Godkendelse af dagsorden\n"])
def test_list_or_text_instead_of_a_mapping(make_meeting, data):
    d, path = item_error(make_meeting, data, "filen skal indeholde nøgler og værdier (nøgle: værdi), ikke en liste eller en tekst")
    located(d, path, 1, 1)


def test_two_yaml_documents(make_meeting):
    d, path = item_error(make_meeting, "titel: T\n---\ntitel: U\n", "YAML-syntaksfejl")
    located(d, path, 2, 1)


def test_tag_that_does_not_fit_its_value(make_meeting):
    """'!!int abc' used to raise a bare ValueError from ruamel (a traceback)."""
    d, path = item_error(make_meeting, "titel: T\nresumé: !!int abc\n", "værdien passer ikke til typen !!int")
    located(d, path, 2, 9)


@pytest.mark.parametrize(("value", "tag"), [("!!set abc", "!!set"), ("!!omap abc", "!!omap"), ("!!bool måske", "!!bool"),
                                          ("!!float x", "!!float")])
def test_other_tags_that_do_not_fit(make_meeting, value, tag):
    """ruamel raised AttributeError/KeyError/ValueError for these (a traceback)."""
    d, path = item_error(make_meeting, f"titel: T\nresumé: {value}\n", f"værdien passer ikke til typen {tag}; slet '{tag}'")
    located(d, path, 2, 9)


def test_merge_key_is_read(make_meeting):
    """'<<: *anker' used to crash the position bookkeeping (KeyError in ruamel's line/column data)."""
    data = "titel: T\nbilag:\n  - &b {titel: A, fil: a.pdf}\n  - <<: *b\n    titel: B\n"
    folder = make_meeting({"a.yaml": data}, bilag={"a.pdf": tiny_pdf()})
    meeting, report = load_meeting(folder)
    assert report.items == [], report.lines()
    assert [(b.title, b.file) for b in meeting.items[0].bilag] == [("A", "a.pdf"), ("B", "a.pdf")]


def test_omap_gives_a_message_not_a_traceback(make_meeting):
    d, path = item_error(make_meeting, "titel: T\nresumé: !!omap [a: 1]\n", "skal være tekst")
    located(d, path, 2, 9)


# --------------------------------------------------------------------------------------------------
# Schema errors (pydantic → Danish)

def test_unknown_key_with_suggestion(make_meeting):
    d, path = item_error(make_meeting, "titel: T\nsagsfremstiling: |\n  Tekst\n", "ukendt nøgle 'sagsfremstiling'; mente du 'sagsfremstilling'?")
    located(d, path, 2, 1)


def test_unknown_key_resume_suggests_resume_with_accent(make_meeting):
    d, path = item_error(make_meeting, "titel: T\nresume: Kort.\n", "ukendt nøgle 'resume'; mente du 'resumé'?")
    located(d, path, 2, 1)


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


def test_bilag_needs_a_file_or_previous_minutes(make_meeting):
    """A bilag with neither 'fil' nor 'referat' (or both) is refused at that entry."""
    data = "titel: T\nbilag:\n  - titel: A\n    fil: a.pdf\n  - titel: B\n    offentlig: false\n"
    _, report, path = load_item(make_meeting, data)
    located(only(report, "et bilag skal have enten 'fil' eller 'referat'"), path, 5, 5)



def test_bilag_cannot_have_both_a_file_and_previous_minutes(make_meeting):
    data = "titel: T\nbilag:\n  - titel: B\n    fil: b.pdf\n    referat: ../forrige\n"
    _, report, path = load_item(make_meeting, data)
    located(only(report, "ikke begge"), path, 3, 5)


def test_missing_key_in_a_list_entry_points_at_that_entry(make_meeting):
    """A point without 'tekst' is reported at its own '- ', not at the 'indstilling:' key two lines up."""
    data = "titel: T\nindstilling:\n  - Godkender dagsordenen\n  - underpunkter: [a, b]\n"
    d, path = item_error(make_meeting, data, "mangler den påkrævede nøgle 'tekst'")
    located(d, path, 4, 5)


def test_missing_name_of_a_participant_points_at_that_participant(make_meeting):
    meeting = edited(base(), ("    - {navn: Carl Clausen, ", "    - {"))
    d = _meeting_error(make_meeting, meeting, "mangler den påkrævede nøgle 'navn'")
    assert (d.location.line, d.location.col) == (15, 7)


def test_missing_title(make_meeting):
    d, path = item_error(make_meeting, "resumé: x\n", "mangler den påkrævede nøgle 'titel'")
    located(d, path, 1, 1)


def test_wrong_type_list_for_text(make_meeting):
    d, path = item_error(make_meeting, "titel: [Godkendelse, af dagsorden]\n", "skal være tekst")
    located(d, path, 1, 8)


def test_wrong_type_number_for_text_suggests_quotes(make_meeting):
    d, path = item_error(make_meeting, "titel: T\nsagsnummer: 2026005746\n", "skal være tekst; sæt værdien i anførselstegn")
    located(d, path, 2, 13)


def test_wrong_enum_value(make_meeting):
    d, path = item_error(make_meeting, "titel: T\nadgang: lukke\n", "'lukke' er ikke en gyldig værdi; brug 'åben' eller 'lukket'")
    located(d, path, 2, 9)


def test_multi_line_value_is_shown_on_one_line(make_meeting):
    """A message is one output line, even when the offending value spans lines."""
    d, path = item_error(make_meeting, 'titel: T\nadgang: |\n  åben\n  lukket\n', "er ikke en gyldig værdi")
    assert d.message == "'åben\\nlukket\\n' er ikke en gyldig værdi; brug 'åben' eller 'lukket'"
    located(d, path, 2, 9)


def test_multi_line_time_slot_is_shown_on_one_line(make_meeting):
    d, path = item_error(make_meeting, 'titel: T\ntidspunkt: "09.00\\n10.00"\n', "er ikke et tidsrum")
    assert d.message.startswith("'09.00\\n10.00' er ikke et tidsrum")
    located(d, path, 2, 12)


def test_bad_time_slot(make_meeting):
    d, path = item_error(make_meeting, 'titel: T\ntidspunkt: "10.00-09.00"\n', "tidsrummet '10.00-09.00' slutter før det begynder")
    located(d, path, 2, 12)


def test_offentlig_nej_is_false(make_meeting):
    folder = make_meeting({"a.yaml": "titel: T\nbilag:\n  - titel: A\n    fil: a.pdf\n    offentlig: nej\n"},
                          bilag={"a.pdf": tiny_pdf()})
    meeting, report = load_meeting(folder)
    assert report.items == []
    assert meeting.items[0].bilag[0].public is False


def test_offentlig_with_a_non_boolean(make_meeting):
    d, path = item_error(make_meeting, "titel: T\nbilag:\n  - titel: A\n    fil: a.pdf\n    offentlig: måske\n",
                         "skal være true eller false (ja/nej)")
    located(d, path, 5, 16)


def _meeting_error(make_meeting, meeting: str, needle: str) -> Diagnostic:  # type: ignore[no-untyped-def]
    folder = make_meeting({"a.yaml": "titel: T\n"}, meeting=meeting)
    _, report = load_meeting(folder)
    assert len(report.errors) == 1, report.lines()
    d = only(report, needle)
    assert d.severity == "fejl"
    assert d.location.path == folder / "møde.yaml"
    return d


def test_impossible_date(make_meeting):
    d = _meeting_error(make_meeting, edited(base(), ("dato: 2026-02-23", "dato: 2026-02-30")),
                       "'2026-02-30' er ikke en gyldig dato: 30. februar 2026 findes ikke")
    assert (d.location.line, d.location.col) == (3, 7)


def test_date_written_the_danish_way(make_meeting):
    d = _meeting_error(make_meeting, edited(base(), ("dato: 2026-02-23", "dato: 23.02.2026")),
                       "'23.02.2026' er ikke en gyldig dato; skriv ÅÅÅÅ-MM-DD")
    assert (d.location.line, d.location.col) == (3, 7)


def test_impossible_time(make_meeting):
    d = _meeting_error(make_meeting, edited(base(), ('start: "12.00"\nslut', 'start: "25.00"\nslut')),
                       "'25.00' er et umuligt klokkeslæt")
    assert (d.location.line, d.location.col) == (4, 8)


def test_time_that_is_not_a_time(make_meeting):
    d = _meeting_error(make_meeting, edited(base(), ('slut: "16.00"\nsted', 'slut: "kl. 16"\nsted')),
                       "'kl. 16' er ikke et klokkeslæt; skriv TT.MM, fx \"12.00\"")
    assert (d.location.line, d.location.col) == (5, 7)


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


def test_wrong_phase(make_meeting):
    d = _meeting_error(make_meeting, edited(base(), ("fase: dagsorden", "fase: referatet")),
                       "'referatet' er ikke en gyldig værdi; brug 'dagsorden' eller 'referat'")
    assert (d.location.line, d.location.col) == (2, 7)


# --------------------------------------------------------------------------------------------------
# The meeting folder

def test_item_file_listed_but_missing(make_meeting):
    d = _meeting_error(make_meeting, base(items="a.yaml, b.yaml"), "punktfilen punkter/b.yaml findes ikke")
    assert (d.location.line, d.location.col) == (17, 19)


def test_item_listed_twice(make_meeting):
    d = _meeting_error(make_meeting, base(items="a.yaml, a.yaml"), "'a.yaml' står allerede som punkt 1 i punktlisten")
    assert (d.location.line, d.location.col) == (17, 19)


def test_item_name_with_a_folder(make_meeting):
    d = _meeting_error(make_meeting, base(items="a.yaml, ../b.yaml"), "'../b.yaml' skal være et filnavn i punkter/ der ender på .yaml")
    assert (d.location.line, d.location.col) == (17, 19)


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


def test_unknown_committee_profile_suggests_the_closest(make_meeting):
    d = _meeting_error(make_meeting, edited(base(), ("udvalg: das-social", "udvalg: das-socail")),
                       "udvalgsprofilen 'das-socail' findes ikke i templates/udvalg/; mente du 'das-social'?")
    assert (d.location.line, d.location.col) == (1, 9)


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
