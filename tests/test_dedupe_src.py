"""The pieces of src/ that now serve more than one caller (task s4-src): what each caller relies on."""

from __future__ import annotations

from pathlib import Path

import pytest

from referat.archive.recheck import Checked, CheckedCorrection
from referat.archive.store import Version
from referat.diagnostics import Location, ReferatError
from referat.load import yamledit as edit_yaml


def test_location_format_default_is_the_path_the_user_typed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert Location(tmp_path / "møde" / "01.yaml", 3, 7).format() == "møde/01.yaml:3:7"
    assert Location(Path("takster.xlsx"), where="D17").format() == "takster.xlsx!D17"
    assert Location(Path("a.yaml"), 4).format() == "a.yaml:4"


def test_location_format_shown_stands_in_for_the_path() -> None:
    loc = Location(Path("/somewhere/else/møde/punkter/01.yaml"), 12, 5)
    assert loc.format("punkter/01.yaml") == "punkter/01.yaml:12:5"
    assert Location(Path("/x/y.yaml"), 2).format("y.yaml") == "y.yaml:2"
    assert Location(Path("/x/y.yaml")).format("y.yaml") == "y.yaml"
    # a cell or page wins over a line, as without `shown`
    assert Location(Path("/x/t.xlsx"), 9, 1, where="B4").format("t.xlsx") == "t.xlsx!B4"


def test_location_format_escapes_unless_raw() -> None:
    loc = Location(Path("/x/a\x1b[31m.yaml"), 1, 2, where=None)
    assert loc.format("a\x1b[31m.yaml") == "a\\u001b[31m.yaml:1:2"
    assert loc.format("a\x1b[31m.yaml", raw=True) == "a\x1b[31m.yaml:1:2"
    cell = Location(Path("/x/t.xlsx"), where="ark\u202e1!A1")
    assert cell.format("t\nx.xlsx") == "t\\nx.xlsx!ark\\u202e1!A1"
    assert cell.format("t\nx.xlsx", raw=True) == "t\nx.xlsx!ark\u202e1!A1"


@pytest.mark.parametrize("edit", ["set", "append", "remove"])
@pytest.mark.parametrize(("head", "nl"), [("", "\n"), ("\ufeff", "\n"), ("", "\r\n"), ("\ufeff", "\r\n")])
def test_every_edit_keeps_bom_and_line_breaks(edit: str, head: str, nl: str) -> None:
    text = head + nl.join(["titel: T", "liste:", "  - a", "  - c", ""])
    path = Path("punkt.yaml")
    if edit == "set":
        new = edit_yaml.set_value(text, path, ("titel",), "Ny")
        assert new == head + nl.join(["titel: Ny", "liste:", "  - a", "  - c", ""])
    elif edit == "append":
        new = edit_yaml.append_entry(text, path, ("liste",), "b")
        assert new == head + nl.join(["titel: T", "liste:", "  - a", "  - c", "  - b", ""])
    else:
        new = edit_yaml.remove_entry(text, path, ("liste",), 1)
        assert new == head + nl.join(["titel: T", "liste:", "  - a", ""])


@pytest.mark.parametrize("edit", ["set", "append", "remove"])
def test_every_edit_refuses_mixed_line_breaks(edit: str) -> None:
    text = "\ufefftitel: T\r\nliste:\n  - a\r\n  - c\n"
    with pytest.raises(ReferatError, match="blander Windows- og Unix-linjeskift") as caught:
        if edit == "set":
            edit_yaml.set_value(text, Path("punkt.yaml"), ("titel",), "Ny")
        elif edit == "append":
            edit_yaml.append_entry(text, Path("punkt.yaml"), ("liste",), "b")
        else:
            edit_yaml.remove_entry(text, Path("punkt.yaml"), ("liste",), 0)
    assert [d.location for d in caught.value.report.items] == [Location(Path("punkt.yaml"))]


def test_checked_and_checked_correction_share_what_sound_means(tmp_path: Path) -> None:
    version = Version(tmp_path, "das-social", "2026-01-15", 1)
    for make in (lambda **kw: Checked(version, **kw), lambda **kw: CheckedCorrection(object(), **kw)):
        assert not make().sound
        assert not make(manifest={"format": "x"}).sound  # no file read
        whole = make(manifest={"format": "x"}, pdf=b"%PDF")
        assert whole.sound
        whole.report.error(Location(tmp_path), "uenig")
        assert not whole.sound
    assert Checked(version, manifest={}, manifest_bytes=b"{}", hash_ok=True).version is version


def test_closed_set_columns_read_and_refuse_alike(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Takstenhed, Rækketype and Status each name one of a closed set: a known spelling is read as the set's
    value, an empty cell is nothing, anything else is refused naming the cell and the choices."""
    from openpyxl import Workbook

    from referat.takster.importer import import_workbooks

    monkeypatch.chdir(tmp_path)
    wb = Workbook()
    ws = wb.active
    ws.title = "Ark1"
    for row in (["Driftsherre:", "Rebild Kommune"], ["Takstår:", 2026], [],
                ["Tilbud", "Ydelse", "Takstenhed", "Rækketype", "Status", "Takst"],
                ["Skovly", "A", "stk.", "Takst", "Udsat", 10],
                [None, "B", "Uge", "Række", "Pause", 10],  # row 6: a bad cell in each of the three columns
                [None, "C", "Døgn", None, None, 10]):
        ws.append(row)
    path = tmp_path / "skema.xlsx"
    wb.save(path)
    result = import_workbooks([path])
    rows = result.data["driftsherrer"][0]["tilbud"][0]["rækker"]
    assert (rows[0]["takstenhed"], rows[0].get("rolle"), rows[0].get("status")) == ("Styk", "takst", "udskudt")
    assert "rolle" not in rows[-1] and "status" not in rows[-1]
    lines = result.report.lines()
    assert "skema.xlsx!Ark1!C6: fejl: Takstenhed: 'Uge' er ikke en takstenhed; brug Døgn, Dag, Time, Styk eller " \
           "Måned" in lines
    assert "skema.xlsx!Ark1!D6: fejl: Rækketype: 'Række' er ikke en rækketype; brug overskrift, blokhoved, " \
           "underrække, sum eller takst" in lines
    assert "skema.xlsx!Ark1!E6: fejl: Status (udgår/udskudt): 'Pause' er ikke en status; brug udgår eller " \
           "udskudt" in lines
