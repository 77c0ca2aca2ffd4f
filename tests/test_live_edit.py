"""The edit library of live minute-taking (issue 16): one key per save, every other byte kept, conflicts refused."""

from __future__ import annotations

import re
import tempfile
import threading
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from referat.app.pipeline import check_folder
from referat.diagnostics import Location
from referat.live import edit
from referat.live.edit import Conflict, Saved, snapshot
from referat.load.yamlfile import read_yaml

DECISION_ITEM = "03-planer-ungehjemmet-bifrost.yaml"  # has a multi-line `beslutning: |`, comments and bilag


def item(folder: Path, name: str) -> Path:
    return folder / "punkter" / name


def loaded(path: Path) -> Any:
    """The file as referat's own loader reads it."""
    return read_yaml(path)[0]


def changed_blocks(old: str, new: str) -> list[tuple[list[str], list[str]]]:
    """The (old lines, new lines) between the longest common first and last lines: [] when equal."""
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    first = 0
    while first < min(len(a), len(b)) and a[first] == b[first]:
        first += 1
    last = 0
    while last < min(len(a), len(b)) - first and a[-1 - last] == b[-1 - last]:
        last += 1
    if first == len(a) == len(b):
        return []
    return [(a[first:len(a) - last], b[first:len(b) - last])]


def value_lines(text: str, key: str, indent: int = 0) -> list[str]:
    """The lines of `key`'s entry (its line and the deeper-indented or blank lines below it, up to the last
    non-blank one): what a save of that key may replace. Found by indentation, independently of the library."""
    lines = text.splitlines(keepends=True)
    prefix = " " * indent + key + ":"
    start = next(i for i, line in enumerate(lines) if line.startswith(prefix))
    end = start + 1
    last = start + 1
    while end < len(lines):
        line = lines[end]
        if line.strip() and (len(line) - len(line.lstrip(" ")) <= indent):
            break
        end += 1
        if line.strip() and not line.lstrip().startswith("#"):
            last = end
    return lines[start:last]


def assert_only_value_changed(old: str, new: str, key: str, indent: int = 0) -> None:
    """The only difference is one block: the key's old entry replaced by its new entry."""
    blocks = changed_blocks(old, new)
    assert len(blocks) == 1, blocks
    removed, added = blocks[0]
    old_entry, new_entry = value_lines(old, key, indent), value_lines(new, key, indent)
    # the changed lines lie within the key's entry, before and after the save
    assert "".join(removed) in "".join(old_entry)
    assert "".join(added) in "".join(new_entry)
    # and everything outside the entry is byte-identical
    before, after = old.split("".join(old_entry), 1), new.split("".join(new_entry), 1)
    assert before == after


# ---------------------------------------------------------------------------------------------------- decisions


def test_set_decision_replaces_only_the_decision(example_copy: Path) -> None:
    path = item(example_copy, DECISION_ITEM)
    old = snapshot(path)
    assert old.text.count("#") >= 3  # the real file's comments
    text = "Godkendt med den ændring, at fristen er 1. maj.\n\nSekretariatet følger op: # ikke en kommentar\n"
    saved = edit.set_decision(example_copy, DECISION_ITEM, text, old.sha256)
    assert isinstance(saved, Saved)
    assert path.read_text(encoding="utf-8") == saved.text
    assert loaded(path)["beslutning"] == text
    assert_only_value_changed(old.text, saved.text, "beslutning")
    assert saved.sha256 == snapshot(path).sha256 != old.sha256


def test_one_line_decision_is_written_on_the_key_line(example_copy: Path) -> None:
    path = item(example_copy, DECISION_ITEM)
    old = snapshot(path)
    saved = edit.set_decision(example_copy, DECISION_ITEM, "Godkendt", old.sha256)
    assert "\nbeslutning: Godkendt\n" in saved.text
    assert_only_value_changed(old.text, saved.text, "beslutning")
    again = edit.set_decision(example_copy, DECISION_ITEM, "Godkendt: med ændringer", saved.sha256)
    assert loaded(path)["beslutning"] == "Godkendt: med ændringer"
    assert '\nbeslutning: "Godkendt: med ændringer"\n' in again.text


def test_saving_the_same_decision_changes_no_byte_in_any_real_item(example_copy: Path) -> None:
    """Every item of the real meeting: its decision saved unchanged gives the file byte for byte."""
    items = sorted(item(example_copy, "x").parent.glob("*.yaml"))
    assert len(items) == 17
    for path in items:
        before = path.read_bytes()
        decision = loaded(path)["beslutning"]
        saved = edit.set_decision(example_copy, path.name, decision, snapshot(path).sha256)
        assert path.read_bytes() == before, path.name
        assert saved.text.encode("utf-8") == before


def test_decision_is_inserted_when_the_item_has_none(make_meeting: Any) -> None:
    folder = make_meeting({"01-dagsorden.yaml": "titel: Godkendelse af dagsorden  # kommentar\ntype: standard\n"
                                                "# slutkommentar\n"})
    path = item(folder, "01-dagsorden.yaml")
    old = snapshot(path)
    saved = edit.set_decision(folder, "01-dagsorden.yaml", "Godkendt\nuden bemærkninger", old.sha256)
    assert saved.text == ("titel: Godkendelse af dagsorden  # kommentar\ntype: standard\n"
                          "beslutning: |-\n  Godkendt\n  uden bemærkninger\n# slutkommentar\n")
    assert loaded(path)["beslutning"] == "Godkendt\nuden bemærkninger"


def test_comment_after_a_one_line_decision_stays_on_the_key_line(make_meeting: Any) -> None:
    folder = make_meeting({"01-d.yaml": "titel: T\nbeslutning: Godkendt  # skrevet under mødet\nadgang: åben\n"})
    path = item(folder, "01-d.yaml")
    saved = edit.set_decision(folder, "01-d.yaml", "Linje 1\nLinje 2\n", snapshot(path).sha256)
    assert saved.text == ("titel: T\nbeslutning: |  # skrevet under mødet\n  Linje 1\n  Linje 2\nadgang: åben\n")
    back = edit.set_decision(folder, "01-d.yaml", "Godkendt", saved.sha256)
    assert back.text == "titel: T\nbeslutning: Godkendt  # skrevet under mødet\nadgang: åben\n"


TRICKY = ["", " ", "#", "# ikke en kommentar", "a: b", "a:b", "- punkt", "'enkelt'", '"dobbelt"', "  indrykket",
          "efterstillede mellemrum   ", "emoji 🎉 og 👩‍👩‍👧", "{{ skabelon }}", "{a: 1}", "[1, 2]", "true", "123",
          "2026-02-30", "null", "~", "*alias", "&anker", "!tag", "%direktiv", "@", "`", "|", ">", "---", "...",
          "linje 1\nlinje 2", "\nstarter med tom linje", "  indrykket\nførste linje", "slutter\n\n\n", "a\n \nb",
          "tab\there", "\ttab først", "æøå ÆØÅ", "\u2028", "kontrol \x07 tegn", "\x85", "\ufeffbom", "\\ backslash",
          "a # b", "a\n# b\n", "a\n  b\n    c", "Godkendt.\n", "x" * 500]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.sampled_from(TRICKY),
                 st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"), max_size=60),
                 st.lists(st.sampled_from(["a", " ", "#", ": ", "'", '"', "\n", "  ", "æ", "🎉", "{{", "}}", "-",
                                           "\t", "|", ">", "*", "&", "!", "%", "%", "@", "\\", "x y"]),
                          max_size=12).map("".join)))
@example("Godkendt med bemærkning: # ja\n  linje 2\n")
def test_any_decision_loads_back_as_typed(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "punkter").mkdir()
        (folder / "møde.yaml").write_text("punkter:\n  - 01-d.yaml\n", encoding="utf-8")
        original = ("# yaml-language-server: $schema=../punkt.schema.json\ntitel: \"Punkt\"  # titel\n"
                    "beslutning: |\n  Gammel beslutning\n\n  # ikke en kommentar\n\n# en kommentar\n"
                    "bilag: []   # ingen\n")
        path = folder / "punkter" / "01-d.yaml"
        path.write_text(original, encoding="utf-8")
        saved = edit.set_decision(folder, "01-d.yaml", text, snapshot(path).sha256)
        data = loaded(path)
        assert data["beslutning"] == text
        assert data["titel"] == "Punkt" and data["bilag"] == []
        assert saved.text.startswith("# yaml-language-server: $schema=../punkt.schema.json\n"
                                     "titel: \"Punkt\"  # titel\nbeslutning:")
        assert saved.text.endswith("\n# en kommentar\nbilag: []   # ingen\n")


# ---------------------------------------------------------------------------------------------------- follow-up


def test_follow_up_tasks_are_written_and_load_back(example_copy: Path) -> None:
    path = item(example_copy, DECISION_ITEM)
    old = snapshot(path)
    tasks = [{"opgave": "Region Nordjylland sender en mail om afdækningen", "ansvarlig": "Region Nordjylland",
              "frist": "2026-03-15"},
             {"opgave": "Sekretariatet formidler: opgaven # til kommunerne", "ansvarlig": "Sekretariatet",
              "frist": "2026-04-01", "status": "udført"}]
    saved = edit.set_follow_up(example_copy, DECISION_ITEM, tasks, old.sha256)
    assert loaded(path)["opfølgning"] == tasks
    assert saved.text.startswith(old.text)  # a new key: appended after the decision, nothing else touched
    assert "  - opgave: Region Nordjylland sender en mail om afdækningen\n    ansvarlig: Region Nordjylland\n" \
           "    frist: 2026-03-15\n" in saved.text
    fewer = edit.set_follow_up(example_copy, DECISION_ITEM, tasks[1:], saved.sha256)
    assert loaded(path)["opfølgning"] == tasks[1:]
    assert_only_value_changed(saved.text, fewer.text, "opfølgning")
    none = edit.set_follow_up(example_copy, DECISION_ITEM, [], fewer.sha256)
    assert loaded(path)["opfølgning"] == []
    assert none.text == old.text + "opfølgning: []\n"


def test_existing_follow_up_saved_unchanged_keeps_every_byte(make_meeting: Any) -> None:
    """Tasks written by hand as docs/format.md shows them: saved unchanged, the file is the same bytes."""
    text = ("titel: T\nbeslutning: Godkendt\nopfølgning:   # opgaver\n  # den første\n  - opgave: Notat om taksterne\n"
            "    ansvarlig: Sekretariatet\n    frist: 2026-03-15\n  - opgave: \"Svar: til KL\"\n"
            "    ansvarlig: Formanden\n    frist: 2026-04-01\n    status: udført\n# slut\n")
    folder = make_meeting({"01-d.yaml": text})
    path = item(folder, "01-d.yaml")
    tasks = loaded(path)["opfølgning"]
    saved = edit.set_follow_up(folder, "01-d.yaml", tasks, snapshot(path).sha256)
    assert saved.text == text and path.read_text(encoding="utf-8") == text
    tasks[0]["status"] = "udført"
    done = edit.set_follow_up(folder, "01-d.yaml", tasks, saved.sha256)
    assert changed_blocks(text, done.text) == [([], ["    status: udført\n"])]
    assert loaded(path)["opfølgning"] == tasks


def test_empty_task_field_is_left_out_and_validation_says_so(example_copy: Path) -> None:
    path = item(example_copy, DECISION_ITEM)
    edit.set_follow_up(example_copy, DECISION_ITEM, [{"opgave": "Notat", "ansvarlig": "Sekretariatet",
                                                      "frist": ""}], snapshot(path).sha256)
    assert loaded(path)["opfølgning"] == [{"opgave": "Notat", "ansvarlig": "Sekretariatet"}]
    report = check_folder(example_copy)[1]
    assert any("frist" in d.message and d.location.path.name == DECISION_ITEM for d in report.errors), \
        report.lines()


def test_unknown_task_field_is_refused_and_nothing_written(example_copy: Path) -> None:
    path = item(example_copy, DECISION_ITEM)
    before = path.read_bytes()
    with pytest.raises(edit.InputError, match="ukendte felt 'deadline'"):
        edit.set_follow_up(example_copy, DECISION_ITEM, [{"opgave": "x", "deadline": "2026-01-01"}],
                           snapshot(path).sha256)
    assert path.read_bytes() == before


# ---------------------------------------------------------------------------------------------------- attendance


def test_set_attendance_edits_only_the_two_lists(example_copy: Path) -> None:
    path = example_copy / "møde.yaml"
    old = snapshot(path)
    members = loaded(path)["fremmøde"]["til_stede"]
    present, absent = members[:-2], members[-2:]
    saved = edit.set_attendance(example_copy, present, absent, old.sha256)
    data = loaded(path)
    assert data["fremmøde"]["til_stede"] == present
    assert data["fremmøde"]["fraværende"] == absent
    blocks = changed_blocks(old.text, saved.text)
    assert blocks == [(["    - Socialdirektør, Vesthimmerland Kommune\n", "    - Socialdirektør, Region Nordjylland\n",
                        "  fraværende: []\n"],
                       ["  fraværende:\n", "    - Socialdirektør, Vesthimmerland Kommune\n",
                        "    - Socialdirektør, Region Nordjylland\n"])]
    # the comment above til_stede and every other line stay
    assert "  # rekonstrueret: alle medlemmer regnet som til stede (forsiden er ikke bevaret)\n  til_stede:\n" \
        in saved.text
    back = edit.set_attendance(example_copy, members, [], saved.sha256)
    assert back.text == old.text


def test_attendance_is_created_when_the_meeting_has_none(make_meeting: Any) -> None:
    meeting = ("udvalg: das-social\nfase: referat\ndato: 2026-02-23\nstart: \"12.00\"\nslut: \"16.00\"\n"
               "medlemmer:\n  - navn: Anne Andersen\n  - navn: \"Bo: Bertelsen\"\npunkter: [01-dagsorden.yaml]\n"
               "# slut\n")
    folder = make_meeting(meeting=meeting)
    path = folder / "møde.yaml"
    saved = edit.set_attendance(folder, ["Anne Andersen"], ["Bo: Bertelsen"], snapshot(path).sha256)
    assert saved.text == meeting.replace(
        "# slut\n", "fremmøde:\n  til_stede:\n    - Anne Andersen\n  fraværende:\n    - \"Bo: Bertelsen\"\n# slut\n")
    assert loaded(path)["fremmøde"] == {"til_stede": ["Anne Andersen"], "fraværende": ["Bo: Bertelsen"]}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"), max_size=20),
                max_size=5),
       st.lists(st.text(st.characters(blacklist_categories=("Cs",)), max_size=20), max_size=3))
def test_any_names_load_back(present: list[str], absent: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        text = ("punkter: [a.yaml]  # punkter\nfremmøde:\n  til_stede:  # til stede\n    - X\n  # fravær\n"
                "  fraværende: []\n  øvrige: []\nnæste: 1\n")
        (folder / "møde.yaml").write_text(text, encoding="utf-8")
        edit.set_attendance(folder, present, absent, snapshot(folder / "møde.yaml").sha256)
        data = loaded(folder / "møde.yaml")
        assert data == {"punkter": ["a.yaml"], "fremmøde": {"til_stede": present, "fraværende": absent, "øvrige": []},
                        "næste": 1}
        new = (folder / "møde.yaml").read_text(encoding="utf-8")
        assert new.startswith("punkter: [a.yaml]  # punkter\nfremmøde:\n  til_stede:")
        assert "  # fravær\n" in new and new.endswith("  øvrige: []\nnæste: 1\n")


def test_guest_items_and_a_new_substitute(example_copy: Path) -> None:
    path = example_copy / "møde.yaml"
    old = snapshot(path)
    saved = edit.set_guest_items(example_copy, "Henrik Aarup-Kristensen", [1, 2, 3], old.sha256)
    assert changed_blocks(old.text, saved.text) == [([], ["      punkter: [1, 2, 3]\n"])]
    changed = edit.set_guest_items(example_copy, "Martin Bjørn Jensen", [3, 4], saved.sha256)
    assert changed_blocks(saved.text, changed.text) == [(["      punkter: [3]\n"], ["      punkter: [3, 4]\n"])]
    guest = edit.add_guest(example_copy, "Karen Kristensen", "Vicedirektør", "Læsø Kommune",
                           "Socialdirektør, Læsø Kommune", changed.sha256)
    assert changed_blocks(changed.text, guest.text) == [([], [
        "    - navn: Karen Kristensen\n", "      titel: Vicedirektør\n", "      organisation: Læsø Kommune\n",
        "      i_stedet_for: Socialdirektør, Læsø Kommune\n"])]
    others = loaded(path)["fremmøde"]["øvrige"]
    assert others[0]["punkter"] == [1, 2, 3] and others[1]["punkter"] == [3, 4]
    assert others[-1] == {"navn": "Karen Kristensen", "titel": "Vicedirektør", "organisation": "Læsø Kommune",
                          "i_stedet_for": "Socialdirektør, Læsø Kommune"}


def test_first_guest_goes_into_an_empty_list(make_meeting: Any) -> None:
    meeting = ("udvalg: das-social\nfase: referat\ndato: 2026-02-23\nstart: \"12.00\"\nslut: \"16.00\"\n"
               "medlemmer:\n  - navn: Anne Andersen\n  - navn: Bo Bertelsen\n"
               "fremmøde:\n  til_stede: [Anne Andersen]\n  fraværende: [Bo Bertelsen]\n  øvrige: []  # ingen endnu\n"
               "punkter: [01-dagsorden.yaml]\n")
    folder = make_meeting(meeting=meeting)
    path = folder / "møde.yaml"
    saved = edit.add_guest(folder, "Carl Clausen", None, "", "Bo Bertelsen", snapshot(path).sha256)
    assert saved.text == meeting.replace("  øvrige: []  # ingen endnu\n", "  øvrige:  # ingen endnu\n"
                                         "    - navn: Carl Clausen\n      i_stedet_for: Bo Bertelsen\n")
    assert [d.message for d in check_folder(folder)[1].errors] == [
        "punkt 1 mangler en beslutning (mødet er i fasen 'referat')"]
    edit.set_decision(folder, "01-dagsorden.yaml", "Godkendt", snapshot(item(folder, "01-dagsorden.yaml")).sha256)
    assert not check_folder(folder)[1].errors


def test_guest_mistakes_are_refused(example_copy: Path) -> None:
    path = example_copy / "møde.yaml"
    before = path.read_bytes()
    sha = snapshot(path).sha256
    with pytest.raises(edit.InputError, match="'Ukendt' står ikke under fremmøde.øvrige") as exc:
        edit.set_guest_items(example_copy, "Ukendt", [1], sha)
    assert exc.value.report.errors[0].location.path == path
    with pytest.raises(edit.InputError, match="står allerede under fremmøde.øvrige"):
        edit.add_guest(example_copy, "Martin Bjørn Jensen", None, None, None, sha)
    with pytest.raises(edit.InputError, match="liste af punktnumre"):
        edit.set_guest_items(example_copy, "Martin Bjørn Jensen", ["3"], sha)  # type: ignore[list-item]
    assert path.read_bytes() == before


# ---------------------------------------------------------------------------------------------------- file names


@pytest.mark.parametrize("name", ["../møde.yaml", "/etc/passwd", "punkter/01-godkendelse-af-dagsorden.yaml",
                                  "..", "", "01-godkendelse-af-dagsorden.txt", "..\\møde.yaml",
                                  "ikke-listet.yaml"])
def test_file_names_not_in_the_item_list_are_refused(example_copy: Path, name: str) -> None:
    (example_copy / "punkter" / "ikke-listet.yaml").write_text("titel: X\n", encoding="utf-8")
    meeting_before = (example_copy / "møde.yaml").read_bytes()
    with pytest.raises(edit.InputError) as exc:
        edit.set_decision(example_copy, name, "Godkendt", "0" * 64)
    diag = exc.value.report.errors[0]
    assert "punktlisten ('punkter:') i møde.yaml" in diag.message
    assert diag.location.path.name == "møde.yaml"
    assert (example_copy / "møde.yaml").read_bytes() == meeting_before
    assert (example_copy / "punkter" / "ikke-listet.yaml").read_text(encoding="utf-8") == "titel: X\n"


def test_a_listed_item_that_links_out_of_the_folder_is_refused(example_copy: Path, tmp_path: Path) -> None:
    outside = tmp_path / "udenfor.yaml"
    outside.write_text("titel: Udenfor\n", encoding="utf-8")
    link = item(example_copy, "01-godkendelse-af-dagsorden.yaml")
    link.unlink()
    link.symlink_to(outside)
    with pytest.raises(edit.InputError, match="peger \\(via et symbolsk link\\) ud af mødemappen"):
        edit.set_decision(example_copy, link.name, "Godkendt", snapshot(outside).sha256)
    assert outside.read_text(encoding="utf-8") == "titel: Udenfor\n"
    assert link.is_symlink()


# ---------------------------------------------------------------------------------------------------- conflicts


def test_changed_file_on_disk_is_a_conflict_and_nothing_is_written(example_copy: Path) -> None:
    path = item(example_copy, DECISION_ITEM)
    loaded_by_page = snapshot(path)
    by_editor = loaded_by_page.text.replace("titel: Godkendelse", "titel: Rettet godkendelse")
    path.write_text(by_editor, encoding="utf-8")
    with pytest.raises(Conflict) as exc:
        edit.set_decision(example_copy, DECISION_ITEM, "Godkendt", loaded_by_page.sha256)
    conflict = exc.value
    assert conflict.path == path
    assert conflict.expected_sha256 == loaded_by_page.sha256
    assert conflict.actual.text == by_editor and conflict.actual.sha256 == snapshot(path).sha256
    assert "filen er ændret på disken, siden siden blev indlæst" in conflict.report.errors[0].message
    assert conflict.exit_code == 1
    assert path.read_text(encoding="utf-8") == by_editor
    # with the disk's version the save goes through
    edit.set_decision(example_copy, DECISION_ITEM, "Godkendt", conflict.actual.sha256)
    assert loaded(path)["beslutning"] == "Godkendt"
    assert loaded(path)["titel"].startswith("Rettet godkendelse")


def test_concurrent_saves_serialise_and_the_second_gets_a_conflict(example_copy: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Two tabs save the same file at once from the same page state: one wins, the other gets Conflict (no lost
    update). The write is slowed down so that, without the lock, both would read the file before either wrote."""
    path = item(example_copy, DECISION_ITEM)
    sha = snapshot(path).sha256
    real_write = edit.write_atomic
    in_write = threading.Event()

    def slow_write(target: Path, data: bytes | str) -> None:
        in_write.set()
        threading.Event().wait(0.3)
        real_write(target, data)

    monkeypatch.setattr(edit, "write_atomic", slow_write)
    start = threading.Barrier(2)
    results: dict[str, object] = {}

    def save(text: str) -> None:
        start.wait()
        try:
            results[text] = edit.set_decision(example_copy, DECISION_ITEM, text, sha)
        except Conflict as exc:
            results[text] = exc

    threads = [threading.Thread(target=save, args=(t,)) for t in ("Fra fane 1", "Fra fane 2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    saved = [text for text, r in results.items() if isinstance(r, Saved)]
    conflicts = [r for r in results.values() if isinstance(r, Conflict)]
    assert len(saved) == 1 and len(conflicts) == 1, results
    assert loaded(path)["beslutning"] == saved[0]
    assert conflicts[0].actual.text == path.read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------------------- whole meeting


def test_whole_meeting_taken_through_the_library_validates(example_copy: Path, run: Any) -> None:
    """Every decision, the attendance (one member absent, a substitute), a guest's items and a task, all set
    through the library; then `referat validate` passes with no errors."""
    meeting = example_copy / "møde.yaml"
    members = loaded(meeting)["fremmøde"]["til_stede"]
    for i, path in enumerate(sorted((example_copy / "punkter").glob("*.yaml"))):
        text = "Godkendt." if i % 2 else f"Punkt {i + 1} blev drøftet.\n\nDer var enighed: # om at gå videre\n"
        edit.set_decision(example_copy, path.name, text, snapshot(path).sha256)
        assert loaded(path)["beslutning"] == text
    edit.set_follow_up(example_copy, DECISION_ITEM, [{"opgave": "Mail om afdækningen", "ansvarlig": "Regionen",
                                                      "frist": "2026-03-15"}], snapshot(item(example_copy,
                                                                                              DECISION_ITEM)).sha256)
    saved = edit.set_attendance(example_copy, members[:5] + members[6:], [members[5]], snapshot(meeting).sha256)
    saved = edit.add_guest(example_copy, "Lone Læsø", "Afdelingschef", "Læsø Kommune", members[5], saved.sha256)
    saved = edit.set_guest_items(example_copy, "Henrik Aarup-Kristensen", list(range(1, 18)), saved.sha256)
    assert not check_folder(example_copy)[1].errors
    code, out, err = run("validate", example_copy)
    assert code == 0, err
    assert "0 fejl" in err and "gyldig" in out


def test_validation_reports_a_name_not_on_the_roster_after_a_save(example_copy: Path) -> None:
    """What the user typed is saved; the meeting's messages say what is wrong with it."""
    meeting = example_copy / "møde.yaml"
    members = loaded(meeting)["fremmøde"]["til_stede"]
    edit.set_attendance(example_copy, [*members[:-1], "Socialdirektør, Aalborg Komune"], [members[-1]],
                        snapshot(meeting).sha256)
    assert loaded(meeting)["fremmøde"]["til_stede"][-1] == "Socialdirektør, Aalborg Komune"
    errors = check_folder(example_copy)[1].errors
    assert any("'Socialdirektør, Aalborg Komune' står ikke på medlemslisten" in d.message
               and d.location.path.name == "møde.yaml" for d in errors), [d.format() for d in errors]


# ---------------------------------------------------------------------------------------------------- partial attendance


def test_partial_attendance_is_saved_validated_and_printed(example_copy: Path, run: Any, tmp_path: Path) -> None:
    """Members who came late or left early: saved through the library, valid, and printed after their names in
    the minutes' attendance ("deltog fra pkt. 3"), read back from the text edition."""
    meeting = example_copy / "møde.yaml"
    old = snapshot(meeting)
    entries = [{"navn": "Socialdirektør, Læsø Kommune", "fra_punkt": 3},
               {"navn": "Socialdirektør, Morsø Kommune", "til_punkt": 7},
               {"navn": "Socialdirektør, Rebild Kommune", "fra_punkt": 2, "til_punkt": 5},
               {"navn": "Socialdirektør, Thisted Kommune", "fra_punkt": 4, "til_punkt": 4}]
    saved = edit.set_partial_attendance(example_copy, entries, old.sha256)
    assert loaded(meeting)["fremmøde"]["delvis"] == entries
    assert changed_blocks(old.text, saved.text)[0][0] == []  # only lines added
    assert not check_folder(example_copy)[1].errors
    code, _out, err = run("build", example_copy, "--format", "txt", "--dokument", "referat", "--out", tmp_path / "ud")
    assert code == 0, err
    text = (tmp_path / "ud" / "referat.txt").read_text(encoding="utf-8")
    flat = " ".join(text.split())  # DAS' profile runs the names on, wrapped
    for line in ("Socialdirektør, Læsø Kommune (deltog fra pkt. 3)",
                 "Socialdirektør, Morsø Kommune (deltog til og med pkt. 7)",
                 "Socialdirektør, Rebild Kommune (deltog i pkt. 2–5)",
                 "Socialdirektør, Thisted Kommune (deltog i pkt. 4)"):
        assert line in flat, text[:1500]
    assert "Socialdirektør, Aalborg Kommune, Socialdirektør" in flat  # the whole meeting: nothing after the name
    cleared = edit.set_partial_attendance(example_copy, [], saved.sha256)
    assert loaded(meeting)["fremmøde"]["delvis"] == []
    assert cleared.text == old.text.replace("næste_møde:", "  delvis: []\nnæste_møde:", 1)


@pytest.mark.parametrize(("entries", "message"), [
    ([{"navn": "Socialdirektør, Læsø Kommune"}],
     "skriv 'fra_punkt' (kom under mødet), 'til_punkt' (gik under mødet) eller begge"),
    ([{"navn": "Socialdirektør, Læsø Kommune", "fra_punkt": 5, "til_punkt": 3}],
     "'fra_punkt' (5) ligger efter 'til_punkt' (3)"),
    ([{"navn": "Socialdirektør, Læsø Kommune", "til_punkt": 18}],
     "'Socialdirektør, Læsø Kommune': til_punkt er 18, men mødet har kun punkt 1–17"),
    ([{"navn": "Socialdirektør, Læsø Komune", "fra_punkt": 2}],
     ("'Socialdirektør, Læsø Komune' står under delvis, men ikke under til_stede; mente du "
     "'Socialdirektør, Læsø Kommune'?")),
    ([{"navn": "Socialdirektør, Læsø Kommune", "fra_punkt": 2}, {"navn": "Socialdirektør, Læsø Kommune",
                                                                 "til_punkt": 9}],
     "'Socialdirektør, Læsø Kommune' står to gange under delvis"),
])
def test_partial_attendance_mistakes_are_reported_at_their_line(example_copy: Path, entries: list[dict[str, Any]],
                                                                 message: str) -> None:
    meeting = example_copy / "møde.yaml"
    saved = edit.set_partial_attendance(example_copy, entries, snapshot(meeting).sha256)
    errors = check_folder(example_copy)[1].errors
    assert [d.message for d in errors] == [message]
    line = errors[0].location.line
    assert line is not None and meeting == errors[0].location.path
    assert saved.text.splitlines()[line - 1].lstrip(" -").startswith(("navn:", "fra_punkt:", "til_punkt:"))


def test_partial_member_listed_as_absent(example_copy: Path) -> None:
    meeting = example_copy / "møde.yaml"
    members = loaded(meeting)["fremmøde"]["til_stede"]
    saved = edit.set_attendance(example_copy, members[1:], members[:1], snapshot(meeting).sha256)
    saved = edit.add_guest(example_copy, "Stedfortræder", None, None, members[0], saved.sha256)
    edit.set_partial_attendance(example_copy, [{"navn": members[0], "fra_punkt": 2}], saved.sha256)
    assert [d.message for d in check_folder(example_copy)[1].errors] == [
        (f"'{members[0]}' står under delvis, men som fraværende; et medlem, der deltog i en del af mødet, står "
        "under til_stede")]


def test_member_who_left_cannot_present_a_later_item(example_copy: Path) -> None:
    meeting = example_copy / "møde.yaml"
    member = loaded(meeting)["fremmøde"]["til_stede"][0]
    path = item(example_copy, DECISION_ITEM)
    path.write_text(path.read_text(encoding="utf-8").replace(
        "fremlæggere: [Henrik Aarup-Kristensen, Martin Bjørn Jensen]",
        f"fremlæggere: [Henrik Aarup-Kristensen, Martin Bjørn Jensen, \"{member}\"]"), encoding="utf-8")
    assert not check_folder(example_copy)[1].errors
    saved = edit.set_partial_attendance(example_copy, [{"navn": member, "til_punkt": 2}], snapshot(meeting).sha256)
    assert [d.message for d in check_folder(example_copy)[1].errors] == [
        f"fremlæggeren '{member}' deltager kun i punkt 1, 2"]
    edit.set_partial_attendance(example_copy, [{"navn": member, "fra_punkt": 3}], saved.sha256)
    assert not check_folder(example_copy)[1].errors


# ---------------------------------------------------------------------------------------------------- odd files


def one_item(make_meeting: Any, text: str) -> tuple[Path, Path]:
    folder = make_meeting({"01-d.yaml": "titel: T\n"})
    path = item(folder, "01-d.yaml")
    path.write_bytes(text.encode("utf-8"))
    return folder, path


def test_windows_line_breaks_and_byte_order_mark_are_kept(make_meeting: Any) -> None:
    folder, path = one_item(make_meeting, "\ufefftitel: T\r\n# kommentar\r\nbeslutning: |\r\n  Gammel\r\n")
    saved = edit.set_decision(folder, "01-d.yaml", "Ny\nbeslutning", snapshot(path).sha256)
    assert path.read_bytes() == "\ufefftitel: T\r\n# kommentar\r\nbeslutning: |-\r\n  Ny\r\n  beslutning\r\n".encode()
    edit.set_follow_up(folder, "01-d.yaml", [{"opgave": "A", "ansvarlig": "B", "frist": "2026-03-01"}],
                       saved.sha256)
    assert path.read_bytes().endswith(b"  beslutning\r\nopf\xc3\xb8lgning:\r\n  - opgave: A\r\n    ansvarlig: B\r\n"
                                      b"    frist: 2026-03-01\r\n")
    assert loaded(path)["beslutning"] == "Ny\nbeslutning"


@pytest.mark.parametrize(("text", "message"), [
    ("titel: T\nbeslutning: [ikke lukket\n", "filen kan ikke læses som YAML og kan derfor ikke gemmes herfra"),
    ("titel: T\r\nbeslutning: x\n", "filen blander Windows- og Unix-linjeskift"),
    ("{titel: T, beslutning: x}\n", "værdien kan ikke gemmes automatisk: uventet tekst efter værdien"),
    ("{titel: T}\n", "værdien kan ikke gemmes automatisk: afbildningen står i { }"),
    ("- titel: T\n", "filen skal være en YAML-afbildning"),
    ("titel: &a Godkendt\nbeslutning: *a\n", "værdien kan ikke gemmes automatisk: værdien er et alias (*)"),
    ("titel: T\ntitel: U\n", "filen kan ikke læses som YAML og kan derfor ikke gemmes herfra"),
])
def test_files_that_cannot_be_edited_safely_are_left_alone(make_meeting: Any, text: str, message: str) -> None:
    folder, path = one_item(make_meeting, text)
    with pytest.raises(edit.ReferatError, match=message.replace("(", "\\(").replace(")", "\\)").replace("*", "\\*")
                       .replace("[", "\\[").replace("{", "\\{").replace("}", "\\}")) as exc:
        edit.set_decision(folder, "01-d.yaml", "Godkendt\nmed ændringer", snapshot(path).sha256)
    assert exc.value.report.errors[0].location.path == path
    assert path.read_bytes() == text.encode("utf-8")


def test_a_document_start_marker_and_a_null_value(make_meeting: Any) -> None:
    folder, path = one_item(make_meeting, "---\ntitel: T\nbeslutning:   # udfyldes under mødet\n")
    saved = edit.set_decision(folder, "01-d.yaml", "Godkendt", snapshot(path).sha256)
    assert saved.text == "---\ntitel: T\nbeslutning: Godkendt   # udfyldes under mødet\n"
    saved = edit.set_follow_up(folder, "01-d.yaml", [{"opgave": "A", "ansvarlig": "B", "frist": "2026-03-01"}],
                               saved.sha256)
    assert saved.text.endswith("beslutning: Godkendt   # udfyldes under mødet\nopfølgning:\n  - opgave: A\n"
                               "    ansvarlig: B\n    frist: 2026-03-01\n")


@pytest.mark.parametrize(("text", "line", "message"), [
    ("---\ntitel: T\nbeslutning:   # udfyldes under mødet\n...\n", 4, "dokumentslut-markør ('...')"),
    ("titel: T\n...\n# noter efter dokumentet\n", 2, "dokumentslut-markør ('...')"),
    ("titel: T\n---\ntitel: U\n", 2, "mere end ét YAML-dokument"),
    ("\ufefftitel: T\r\nbeslutning: x\r\n...\r\n", 3, "dokumentslut-markør ('...')"),
])
def test_a_document_end_marker_or_a_second_document_is_refused_with_its_line(
        make_meeting: Any, text: str, line: int, message: str) -> None:
    """Issue 22, item 8: the writer refuses a file with '...' or several documents, naming the line, and writes
    nothing (before, a save wrote beside the marker)."""
    folder, path = one_item(make_meeting, text)
    for save in (lambda sha: edit.set_decision(folder, "01-d.yaml", "Godkendt", sha),
                 lambda sha: edit.set_follow_up(folder, "01-d.yaml", [{"opgave": "A", "ansvarlig": "B"}], sha)):
        with pytest.raises(edit.InputError, match=re.escape(message)) as exc:
            save(snapshot(path).sha256)
        assert exc.value.report.errors[0].location == Location(path, line, 1)
        assert path.read_bytes() == text.encode("utf-8")


def test_empty_values_in_the_middle_of_the_file(make_meeting: Any) -> None:
    text = ("titel: T\nbeslutning:\n# om opgaverne\nopfølgning:\n\n# slut\nadgang: åben\n")
    folder, path = one_item(make_meeting, text)
    saved = edit.set_decision(folder, "01-d.yaml", "A\nB\n", snapshot(path).sha256)
    assert saved.text == text.replace("beslutning:\n", "beslutning: |\n  A\n  B\n")
    saved = edit.set_follow_up(folder, "01-d.yaml", [{"opgave": "A", "ansvarlig": "B"}], saved.sha256)
    assert saved.text == text.replace("beslutning:\n", "beslutning: |\n  A\n  B\n").replace(
        "opfølgning:\n", "opfølgning:\n  - opgave: A\n    ansvarlig: B\n")
    meeting = folder / "møde.yaml"
    meeting.write_text(meeting.read_text(encoding="utf-8").replace(
        "    - {navn: Carl Clausen, titel: Konsulent, organisation: Rebild Kommune, i_stedet_for: Bo Bertelsen}\n",
        "    - navn: Carl Clausen\n      punkter:\n  # gæster\n"), encoding="utf-8")
    saved = edit.set_guest_items(folder, "Carl Clausen", [1], snapshot(meeting).sha256)
    assert "    - navn: Carl Clausen\n      punkter: [1]\n  # gæster\n" in saved.text
    saved = edit.add_guest(folder, "Dorthe Dahl", None, None, None, saved.sha256)
    assert "      punkter: [1]\n    - navn: Dorthe Dahl\n  # gæster\n" in saved.text


ANY_TEXT = st.one_of(st.sampled_from(TRICKY),
                     st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"), max_size=30))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.fixed_dictionaries({"opgave": ANY_TEXT, "ansvarlig": ANY_TEXT, "frist": ANY_TEXT}), max_size=3),
       st.lists(st.tuples(ANY_TEXT.filter(lambda s: bool(s.strip())), ANY_TEXT, ANY_TEXT), max_size=2, unique_by=lambda t: t[0]))
def test_any_tasks_and_guests_load_back(tasks: list[dict[str, str]], guests: list[tuple[str, str, str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "punkter").mkdir()
        meeting = folder / "møde.yaml"
        meeting.write_text("punkter:\n  - 01-d.yaml   # det eneste\nfremmøde:\n  øvrige:\n    - navn: A\n"
                           "# slut\n", encoding="utf-8")
        path = folder / "punkter" / "01-d.yaml"
        path.write_text("titel: T\nbeslutning: Godkendt\n# slut\n", encoding="utf-8")
        edit.set_follow_up(folder, "01-d.yaml", tasks, snapshot(path).sha256)
        expected = [{k: v for k, v in t.items() if v.strip()} for t in tasks]
        assert loaded(path).get("opfølgning", []) == expected
        sha = snapshot(meeting).sha256
        for name, title, sub in guests:
            if name == "A":
                continue
            sha = edit.add_guest(folder, name, title, None, sub, sha).sha256
        others = loaded(meeting)["fremmøde"]["øvrige"]
        assert [g["navn"] for g in others] == ["A"] + [n for n, _, _ in guests if n != "A"]
        for guest, (_, title, sub) in zip(others[1:], [g for g in guests if g[0] != "A"], strict=True):
            assert guest.get("titel") == (title if title.strip() else None)
            assert guest.get("i_stedet_for") == (sub if sub.strip() else None)
        assert meeting.read_text(encoding="utf-8").startswith("punkter:\n  - 01-d.yaml   # det eneste\n")
        assert meeting.read_text(encoding="utf-8").endswith("\n# slut\n")


def test_snapshots_of_the_files_a_page_can_edit(example_copy: Path) -> None:
    (example_copy / "punkter" / "99-ikke-listet.yaml").write_text("titel: X\n", encoding="utf-8")
    shots = edit.snapshots(example_copy)
    assert list(shots) == ["møde.yaml", *loaded(example_copy / "møde.yaml")["punkter"]]
    shot = shots[DECISION_ITEM]
    assert shot.text == item(example_copy, DECISION_ITEM).read_text(encoding="utf-8")
    saved = edit.set_decision(example_copy, DECISION_ITEM, "Godkendt", shot.sha256)
    assert edit.snapshots(example_copy)[DECISION_ITEM].sha256 == saved.sha256 != shot.sha256


def test_agenda_to_minutes_taken_in_the_library_then_built(make_meeting: Any, run: Any, tmp_path: Path) -> None:
    """The meeting day without a hand edit: `to-minutes`, then every decision, a task, the attendance (a member
    absent with a substitute, one who came late) through the library; the minutes validate and say so."""
    folder = make_meeting({"01-dagsorden.yaml": "titel: Godkendelse af dagsorden\ntype: standard\n",
                           "02-sag.yaml": "titel: En sag  # fra sekretariatet\ntype: beslutning\nindstilling:\n"
                                          "  - Godkender sagen\n"})
    meeting = folder / "møde.yaml"
    meeting.write_text(meeting.read_text(encoding="utf-8").replace(
        "  til_stede: [Anne Andersen]\n  fraværende: [Bo Bertelsen]\n  øvrige:\n"
        "    - {navn: Carl Clausen, titel: Konsulent, organisation: Rebild Kommune, i_stedet_for: Bo Bertelsen}\n",
        "  til_stede: []\n"), encoding="utf-8")
    code, _, err = run("to-minutes", folder)
    assert code == 0, err
    shots = edit.snapshots(folder)
    edit.set_decision(folder, "01-dagsorden.yaml", "Godkendt.", shots["01-dagsorden.yaml"].sha256)
    saved = edit.set_decision(folder, "02-sag.yaml", "Godkendt med to ændringer:\n\n- frist 1. maj\n- {{ ny }} # tekst\n",
                              shots["02-sag.yaml"].sha256)
    edit.set_follow_up(folder, "02-sag.yaml", [{"opgave": "Sekretariatet retter sagen", "ansvarlig": "Sekretariatet",
                                                "frist": "2026-05-01"}], saved.sha256)
    saved = edit.set_attendance(folder, ["Anne Andersen"], ["Bo Bertelsen"], shots["møde.yaml"].sha256)
    saved = edit.add_guest(folder, "Carl Clausen", "Konsulent", "Rebild Kommune", "Bo Bertelsen", saved.sha256)
    edit.set_partial_attendance(folder, [{"navn": "Anne Andersen", "fra_punkt": 2}], saved.sha256)
    code, _, err = run("validate", folder)
    assert code == 0 and "fejl" not in err, err
    code, _, err = run("build", folder, "--format", "txt", "--dokument", "referat", "--out", tmp_path / "ud")
    assert code == 0, err
    text = (tmp_path / "ud" / "referat.txt").read_text(encoding="utf-8")
    for seen in ("Anne Andersen, Socialdirektør, Aalborg Kommune (deltog fra pkt. 2)",
                 "Carl Clausen, Konsulent, Rebild Kommune (i stedet for Bo Bertelsen)", "Godkendt.",
                 "Godkendt med to ændringer:", "{{ ny }} # tekst"):
        assert seen in text, (seen, text)
    code, out, err = run("follow-up", folder)  # the task is an open task of the meeting
    assert code == 0, err
    assert "Sekretariatet retter sagen" in out
    assert item(folder, "02-sag.yaml").read_text(encoding="utf-8").startswith(
        "titel: En sag  # fra sekretariatet\ntype: beslutning\nindstilling:\n  - Godkender sagen\nid: sag\n"
        "beslutning: |\n")  # to-minutes wrote the item's id, then the decision


def test_a_file_too_large_to_save_from_the_browser_is_refused(make_meeting: Any) -> None:
    folder, path = one_item(make_meeting, "titel: T\nsagsfremstilling: |\n" + "  lang tekst\n" * 200_000)
    before = path.read_bytes()
    assert len(before) > edit.MAX_FILE_BYTES
    with pytest.raises(edit.InputError, match="filen er større end 2 MB og kan ikke gemmes herfra"):
        edit.set_decision(folder, "01-d.yaml", "Godkendt", "0" * 64)
    assert path.read_bytes() == before


def _marks(node: Any, out: list[tuple[int, int]]) -> list[tuple[int, int]]:
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    if node.start_mark.index != node.end_mark.index:  # an empty value: see load/yamledit._empty
        out.append((node.start_mark.index, node.end_mark.index))
    children = [x for pair in node.value for x in pair] if isinstance(node, MappingNode) else \
        node.value if isinstance(node, SequenceNode) else []
    for child in children:
        _marks(child, out)
    return out


def test_the_c_parser_gives_the_pure_parsers_offsets() -> None:
    """load/yamledit composes with the C parser for speed and relies on its character offsets being the pure parser's:
    checked over every YAML file of the repository and text with emoji, combining marks and quotes."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    root = Path(__file__).resolve().parents[1]
    texts = [p.read_text(encoding="utf-8") for d in ("agendas", "templates", "tests/fixtures")
             for p in sorted((root / d).rglob("*.y*ml"))]
    texts.append("a: 'æøå 🎉 👩‍👩‍👧'\nb: |\n  🎉🎉 x\n  y\nc: [1, 2]  # æ\nd:\n  - é\n  - 𝔘𝔫𝔦\ne: \"\\t\"\nf:\n")
    checked = 0
    for text in texts:
        try:
            fast = YAML(typ="safe", pure=False).compose(text)
        except YAMLError:  # fixtures of broken YAML: not edited either way
            fast = None
        if fast is None or any(c in text for c in "\x85\u2028\u2029"):
            continue
        assert _marks(fast, []) == _marks(YAML(typ="safe", pure=True).compose(text), [])
        checked += 1
    assert checked >= 30


OLD_FORMS = ["beslutning: Godkendt", "beslutning: \"Godkendt: ja\"  # citeret", "beslutning: 'a ''b'''",
             "beslutning:", "beslutning:   # tom", "beslutning: |\n  a\n\n  b", "beslutning: |-\n  a\n  \n",
             "beslutning: >\n  foldet\n  tekst\n\n", "beslutning: |2\n    indrykket\n  b", "beslutning: Godkendt\n  over to linjer",
             "beslutning: \"a\n  b\"", "beslutning: []", "beslutning: |+\n  behold\n\n"]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(OLD_FORMS), ANY_TEXT)
def test_any_decision_replaces_any_old_form_and_nothing_else(old_form: str, text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "punkter").mkdir()
        (folder / "møde.yaml").write_text("punkter: [01-d.yaml]\n", encoding="utf-8")
        head = "# hoved\ntitel: T   # titel\n"
        tail = "# efter beslutningen\nadgang: åben\n"
        path = folder / "punkter" / "01-d.yaml"
        path.write_text(head + old_form + "\n" + tail, encoding="utf-8")
        saved = edit.set_decision(folder, "01-d.yaml", text, snapshot(path).sha256)
        data = loaded(path)
        assert data == {"titel": "T", "beslutning": text, "adgang": "åben"}
        assert saved.text.startswith(head + "beslutning:")
        assert saved.text.endswith("\n" + tail)
        if "#" in old_form.splitlines()[0]:  # a comment on the key's line stays there
            comment = old_form.splitlines()[0][old_form.index("#"):]
            assert saved.text.splitlines()[2].endswith(comment)
