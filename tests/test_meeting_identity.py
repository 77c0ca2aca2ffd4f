"""One meeting, one truth (issue 22): items keep their identity when their files are renamed (item 3), sent versions
are checked before they are read and no command follows a link out of the meeting (item 4), a closed item's task
stays closed in the next meeting (the list at the top), and one YAML writer keeps a file's bytes (item 8)."""

from __future__ import annotations

import ast
import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import MEETING, absolute_run, dedent, tiny_pdf, tree

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(run: Run) -> Run:
    """These tests name files as `f"{path}: fejl: …"`: paths in the output absolute, wherever the clone sits."""
    return absolute_run(run)
SRC = Path(__file__).resolve().parents[1] / "src" / "referat"


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def versions(folder: Path) -> list[Path]:
    return sorted((folder / "udsendt").glob("[0-9]*-*"), key=lambda p: int(p.name.split("-")[0]))


def set_item_list(folder: Path, names: list[str]) -> None:
    """møde.yaml's `punkter:` (as `referat new` writes it, one file per line) replaced by `names`."""
    meeting = folder / "møde.yaml"
    text = meeting.read_text(encoding="utf-8")
    head = text[:text.index("punkter:\n")]
    meeting.write_text(head + "punkter:\n" + "".join(f"  - {n}\n" for n in names), encoding="utf-8")


# ---------------------------------------------------------------------------------------------------- identity


def test_renamed_items_are_moved_not_new_in_the_tillaeg_and_the_diff(run: Run, tmp_path: Path) -> None:
    """The issue's "done when": new → send → rename and renumber two items, add one → send: the tillægsdagsorden
    lists only the added item, the revised agenda marks only it "(tillæg)", and `diff` says moved for the renamed
    ones (before, they were "Nye punkter: 4, 5" and marked tillæg)."""
    folder = tmp_path / "2027-03-01-das"
    assert run("new", folder, "--dato", "2027-03-01", "--sted", "Aalborg")[0] == 0
    punkter = folder / "punkter"
    assert sorted(p.name for p in punkter.iterdir()) == [
        "01-godkendelse-af-dagsorden.yaml", "02-godkendelse-af-referat-fra-seneste-moede.yaml", "03-eventuelt.yaml",
        "04-naeste-moede.yaml"]
    assert "id: eventuelt\n" in (punkter / "03-eventuelt.yaml").read_text(encoding="utf-8")  # written by new
    code, _, err = run("send", folder)
    assert code == 0, err

    (punkter / "03-eventuelt.yaml").rename(punkter / "07-eventuelt.yaml")
    (punkter / "04-naeste-moede.yaml").rename(punkter / "08-naeste-moede.yaml")
    (punkter / "03-botilbud.yaml").write_text(
        "titel: Nye botilbud i regionen\ntype: beslutning\nsagsnummer: ''\n"
        "sagsfremstilling: |\n  Der foreslås to nye botilbud til unge.\nindstilling: [Godkender de nye botilbud]\n",
        encoding="utf-8")
    set_item_list(folder, ["01-godkendelse-af-dagsorden.yaml", "02-godkendelse-af-referat-fra-seneste-moede.yaml",
                           "03-botilbud.yaml", "07-eventuelt.yaml", "08-naeste-moede.yaml"])
    code, out, err = run("send", folder)
    assert code == 0 and "tillægsdagsorden" in out, err
    _v1, v2 = versions(folder)
    addendum = pdf_text(v2 / "tillægsdagsorden.pdf")
    assert re.search(r"^Nye punkter: 3$", addendum, re.MULTILINE) and "Nye botilbud i regionen" in addendum
    assert "Ændrede punkter" not in addendum and "Eventuelt" not in addendum and "Næste møde" not in addendum
    full = pdf_text(v2 / "dagsorden.pdf")
    assert "Nye botilbud i regionen (tillæg)" in full
    assert "Eventuelt (tillæg)" not in full and "Næste møde (tillæg)" not in full
    assert "Eventuelt" in full and "Punkt 5." in full
    manifest = json.loads((v2 / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["tillæg"] == {"nye": ["03-botilbud.yaml"], "ændrede": [], "fjernede": [],
                                  "tilføjet_efter_første": ["03-botilbud.yaml"]}
    # send wrote the new item's id (at the end, every other byte kept), and froze it with the data
    added = (punkter / "03-botilbud.yaml").read_text(encoding="utf-8")
    assert added.endswith("indstilling: [Godkender de nye botilbud]\nid: botilbud\n")
    assert (v2 / "data" / "punkter" / "03-botilbud.yaml").read_text(encoding="utf-8") == added

    code, out, err = run("diff", folder, "--fra", "1", "--til", "2")
    assert code == 0, err
    lines = out.splitlines()
    assert "Punkt 3. Nye botilbud i regionen (punkter/03-botilbud.yaml): tilføjet" in lines
    assert "Punkt 3 → 4. Eventuelt (punkter/07-eventuelt.yaml, tidligere punkter/03-eventuelt.yaml): flyttet" in lines
    assert ("Punkt 4 → 5. Næste møde (punkter/08-naeste-moede.yaml, tidligere punkter/04-naeste-moede.yaml): "
            "flyttet") in lines
    assert "fjernet" not in out and len(lines) == 4


def test_a_version_sent_without_ids_is_matched_by_content(make_meeting: Callable[..., Path], run: Run) -> None:
    """A version sent before items had ids (made here as `referat send` made it then): a renamed, unchanged item is
    still moved, and the id that the next `send` writes is no change."""
    from referat.lifecycle.versions import current_state, write_version

    items = {"01-dagsorden.yaml": "titel: Godkendelse af dagsorden\ntype: standard\n",
             "02-sag.yaml": "titel: En sag\ntype: orientering\nsagsfremstilling: Tekst.\n",
             "03-eventuelt.yaml": "titel: Eventuelt\ntype: standard\n"}
    folder = make_meeting(items)
    names = list(items)
    write_version(folder, {}, current_state(folder, names), {"type": "dagsorden"}, dt.date(2026, 2, 1))
    (folder / "punkter" / "03-eventuelt.yaml").rename(folder / "punkter" / "09-eventuelt.yaml")
    (folder / "punkter" / "02-sag.yaml").write_text("titel: En sag\ntype: orientering\nsagsfremstilling: Ny tekst.\n",
                                                    encoding="utf-8")
    (folder / "punkter" / "02-sag.yaml").rename(folder / "punkter" / "04-sag.yaml")  # renamed and changed
    meeting = folder / "møde.yaml"
    meeting.write_text(meeting.read_text(encoding="utf-8").replace(
        "01-dagsorden.yaml, 02-sag.yaml, 03-eventuelt.yaml", "01-dagsorden.yaml, 04-sag.yaml, 09-eventuelt.yaml"),
        encoding="utf-8")
    code, out, err = run("diff", folder)
    assert code == 0, err
    assert "Punkt 3. Eventuelt (punkter/09-eventuelt.yaml, tidligere punkter/03-eventuelt.yaml): flyttet" in out
    assert "Punkt 2. En sag (punkter/04-sag.yaml, tidligere punkter/02-sag.yaml): ændret" in out  # by its title
    assert "tilføjet" not in out and "fjernet" not in out
    code, out, err = run("send", folder)
    assert code == 0, err
    v2 = versions(folder)[1]
    manifest = json.loads((v2 / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["tillæg"]["nye"] == [] and manifest["tillæg"]["ændrede"] == ["04-sag.yaml"]
    assert "Eventuelt" not in pdf_text(v2 / "tillægsdagsorden.pdf")


def test_send_sends_when_an_id_cannot_be_written(make_meeting: Callable[..., Path], run: Run) -> None:
    """An item file the writer refuses to edit (a '...' end marker) keeps no id: send warns, naming it, and sends."""
    text = "titel: Eventuelt\ntype: standard\n...\n"
    folder = make_meeting({"01-dagsorden.yaml": "titel: Godkendelse af dagsorden\ntype: standard\n",
                           "02-eventuelt.yaml": text})
    code, _, err = run("send", folder)
    assert code == 0, err
    assert "02-eventuelt.yaml:3:1: advarsel: punktets id kan ikke skrives (filen har en dokumentslut-markør" in err
    assert (folder / "punkter" / "02-eventuelt.yaml").read_text(encoding="utf-8") == text
    assert "id: dagsorden" in (folder / "punkter" / "01-dagsorden.yaml").read_text(encoding="utf-8")


def test_two_items_with_one_id_are_an_error_at_the_copy(make_meeting: Callable[..., Path], run: Run) -> None:
    folder = make_meeting({"01-a.yaml": "titel: A\nid: sag\n", "02-b.yaml": "# kopi af 01\ntitel: B\nid: sag\n"})
    code, _, err = run("validate", folder)
    assert code == 1
    assert re.search(r"02-b\.yaml:3:5: fejl: punktet har samme id 'sag' som punkt 1 \(punkter/01-a\.yaml\)", err)
    folder = make_meeting({"01-a.yaml": "titel: A\nid: 'en sag'\n"}, name="andet")
    code, _, err = run("validate", folder)
    assert code == 1 and re.search(r"01-a\.yaml:2:5: fejl: .*'en sag' er ikke et punkt-id", err)


# ---------------------------------------------------------------------------------------------------- frozen data


def sent(make_meeting: Callable[..., Path], run: Run) -> Path:
    folder = make_meeting({"01-dagsorden.yaml": "titel: Godkendelse af dagsorden\ntype: standard\n",
                           "02-sag.yaml": "titel: En sag\ntype: orientering\nsagsfremstilling: Tekst.\n"})
    code, _, err = run("send", folder)
    assert code == 0, err
    return folder


def writable(path: Path) -> Path:
    path.chmod(0o644)
    return path


def test_a_sent_version_changed_afterwards_is_refused_naming_the_file(make_meeting: Callable[..., Path], run: Run,
                                                                      tmp_path: Path) -> None:
    folder = sent(make_meeting, run)
    [v1] = versions(folder)
    data = writable(v1 / "data" / "punkter" / "02-sag.yaml")
    data.write_text(data.read_text(encoding="utf-8").replace("Tekst.", "Anden tekst."), encoding="utf-8")
    before = tree(folder)
    for args in (("diff", folder), ("diff", folder, "--rettelsesblad", "--out", tmp_path / "r"), ("send", folder)):
        code, out, err = run(*args)
        assert code == 1, (args, out)
        assert f"{data}: fejl: filen er ændret, efter udgaven blev udsendt" in err, args
    assert tree(folder) == before and not (tmp_path / "r").exists()
    code, out, _ = run("build", folder, "--format", "txt", "--out", tmp_path / "o")
    assert code == 0 and "bemærk: den udsendte udgave 1" in out and "02-sag.yaml" in out
    # the documents are checked too, and the data as a whole against data_sha256
    data.write_text(data.read_text(encoding="utf-8").replace("Anden tekst.", "Tekst."), encoding="utf-8")
    assert run("diff", folder)[0] == 0
    pdf = writable(v1 / "dagsorden.pdf")
    pdf.write_bytes(pdf.read_bytes() + b"%\n")
    code, _, err = run("diff", folder)
    assert code == 1 and f"{pdf}: fejl: filen er ændret" in err


def test_a_sent_file_replaced_by_a_link_out_of_the_meeting_is_not_followed(
        make_meeting: Callable[..., Path], run: Run, tmp_path: Path) -> None:
    """The same bytes, reached through a link out of the meeting folder: refused before anything is read there."""
    folder = sent(make_meeting, run)
    [v1] = versions(folder)
    data = v1 / "data" / "punkter" / "02-sag.yaml"
    outside = tmp_path / "udenfor.yaml"
    outside.write_bytes(data.read_bytes())
    (v1 / "data" / "punkter").chmod(0o755)
    data.unlink()
    data.symlink_to(outside)
    code, _, err = run("diff", folder)
    assert code == 1 and "02-sag.yaml peger (via et symbolsk link) ud af mødemappen" in err
    assert run("send", folder)[0] == 1


def test_every_command_refuses_an_item_linked_out_of_the_meeting(make_meeting: Callable[..., Path], run: Run,
                                                                 tmp_path: Path) -> None:
    """`validate` refused an item file linked out of the meeting, `diff` followed it; now every command refuses it."""
    folder = sent(make_meeting, run)
    secret = tmp_path / "hemmelig.yaml"
    secret.write_text("titel: Hemmelig sag\ntype: orientering\nsagsfremstilling: Fortroligt indhold.\n",
                      encoding="utf-8")
    item = folder / "punkter" / "02-sag.yaml"
    item.unlink()
    item.symlink_to(secret)
    for args in (("validate", folder), ("diff", folder), ("send", folder),
                 ("publish", "--site", tmp_path / "site", folder)):
        code, out, err = run(*args)
        assert code == 1, args
        assert "02-sag.yaml peger (via et symbolsk link) ud af mødemappen" in err, args
        assert "Fortroligt" not in out + err and "Hemmelig" not in out + err, args
    assert len(versions(folder)) == 1 and not (tmp_path / "site").exists()


def test_diff_refuses_a_meeting_file_linked_out_of_the_meeting(make_meeting: Callable[..., Path], run: Run,
                                                               tmp_path: Path) -> None:
    folder = sent(make_meeting, run)
    outside = tmp_path / "andet-møde.yaml"
    outside.write_bytes((folder / "møde.yaml").read_bytes().replace(b"Aalborg", b"Hemmeligby"))
    (folder / "møde.yaml").unlink()
    (folder / "møde.yaml").symlink_to(outside)
    for args in (("validate", folder), ("diff", folder), ("send", folder)):
        code, out, err = run(*args)
        assert code == 1 and "møde.yaml peger (via et symbolsk link) ud af mødemappen" in err, args
        assert "Hemmeligby" not in out + err


def test_every_command_refuses_a_bilag_file_linked_out_of_the_meeting(make_meeting: Callable[..., Path], run: Run,
                                                                      tmp_path: Path) -> None:
    """A file in bilag/ that leads out of the meeting (no item names it): `send` and `diff` hashed it, reading
    outside the folder; now validate, diff, send and publish all refuse it, naming it."""
    folder = sent(make_meeting, run)
    outside = tmp_path / "privat.pdf"
    outside.write_bytes(tiny_pdf("Privat"))
    (folder / "bilag" / "privat.pdf").symlink_to(outside)
    for args in (("validate", folder), ("diff", folder), ("send", folder),
                 ("publish", "--site", tmp_path / "site", folder)):
        code, _, err = run(*args)
        assert code == 1, args
        assert "bilag/privat.pdf peger (via et symbolsk link) ud af mødemappen" in err, args
    assert len(versions(folder)) == 1


# ---------------------------------------------------------------------------------------------------- closed tasks


PREVIOUS_ITEMS = {
    "01-dagsorden.yaml": "titel: Godkendelse af dagsorden\ntype: standard\nbeslutning: Godkendt.\n",
    "02-botilbud.yaml": """\
        titel: Status for botilbud
        type: orientering
        beslutning: Taget til efterretning.
        opfølgning:
          - {opgave: Sekretariatet beskriver ventelisterne, ansvarlig: Sekretariatet, frist: 2999-01-31}
        """,
    "03-personsag.yaml": """\
        titel: En personsag
        adgang: lukket
        lukket_grundlag: Offentlighedslovens § 30, nr. 1
        type: beslutning
        beslutning: Godkendt.
        opfølgning:
          - {opgave: Aalborg Kommune genbehandler sagen om Jens Jensen, ansvarlig: Aalborg Kommune, frist: 2999-02-28}
        """,
}


def test_a_closed_items_task_stays_closed_in_the_next_meeting(make_meeting: Callable[..., Path], run: Run,
                                                              tmp_path: Path) -> None:
    """`new --fra` copied a closed item's open task into the open item "Opfølgning på beslutninger", which the
    next public agenda printed; now it goes into a closed item of its own, with the closed item's ground."""
    previous = make_meeting(PREVIOUS_ITEMS, fase="referat", name="forrige")
    following = tmp_path / "naeste"
    code, _, err = run("new", following, "--fra", previous)
    assert code == 0, err
    code, out, err = run("validate", following, "--offentlig")
    assert code == 0, err + out
    out_dir = tmp_path / "ud"
    code, _, err = run("build", following, "--offentlig", "--format", "txt,pdf", "--out", out_dir)
    assert code == 0, err
    internal = (out_dir / "dagsorden.txt").read_text(encoding="utf-8")
    assert "Jens Jensen" in internal and "ventelisterne" in internal  # the secretariat sees every task
    for public in (pdf_text(out_dir / "dagsorden-offentlig.pdf"),
                   (out_dir / "dagsorden-offentlig.txt").read_text(encoding="utf-8")):
        assert "ventelisterne" in public  # the open item's task is public
        assert "Jens Jensen" not in public and "genbehandler" not in public
        assert "Opfølgning på lukkede punkter" in public and "Offentlighedslovens § 30, nr. 1" in public


# ---------------------------------------------------------------------------------------------------- the writer


def test_to_minutes_keeps_windows_line_breaks_and_the_byte_order_mark(make_meeting: Callable[..., Path],
                                                                     run: Run) -> None:
    """to-minutes appended LF lines to a CR LF file (mixed line breaks); the one writer keeps CR LF and the BOM."""
    folder = make_meeting({"01-dagsorden.yaml": "titel: Godkendelse af dagsorden\ntype: standard\n"})
    item = folder / "punkter" / "01-dagsorden.yaml"
    item.write_bytes("\ufefftitel: Godkendelse af dagsorden\r\ntype: standard\r\n".encode())
    meeting = folder / "møde.yaml"
    meeting.write_bytes(meeting.read_bytes().replace(b"\n", b"\r\n"))
    code, _, err = run("to-minutes", folder)
    assert code == 0, err
    assert item.read_bytes() == ("\ufefftitel: Godkendelse af dagsorden\r\ntype: standard\r\nid: dagsorden\r\n"
                                 "beslutning: |\r\n  Taget til efterretning\r\n").encode()
    text = meeting.read_bytes()
    assert b"fase: referat\r\n" in text and text.count(b"\n") == text.count(b"\r\n")


def test_to_minutes_refuses_a_document_end_marker_naming_its_line(make_meeting: Callable[..., Path],
                                                                  run: Run) -> None:
    """to-minutes appended the decision after '...', where it is a second document; now the writer refuses."""
    folder = make_meeting({"01-dagsorden.yaml": "titel: Godkendelse af dagsorden\ntype: standard\n",
                           "02-eventuelt.yaml": "titel: Eventuelt\ntype: standard\n...\n"})
    before = tree(folder)
    code, _, err = run("to-minutes", folder)
    assert code == 1
    assert "02-eventuelt.yaml:3:1: fejl: filen har en dokumentslut-markør ('...')" in err
    assert tree(folder) == before


WRITES = {"set_value", "append_entry", "remove_entry"}


def test_yaml_is_written_by_one_writer_with_the_models_keys() -> None:
    """Only load/yamledit.py (and its emitter) writes YAML: no other module dumps with ruamel or builds its own
    YAML text, and no call of the writer names a key as a string literal (the keys come from the model)."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        tree_ = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree_):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ruamel.yaml") and any(
                    a.name in ("CommentedMap", "LiteralScalarString", "scalarstring", "comments") for a in node.names):
                found.append(f"{rel}:{node.lineno}: imports ruamel's round-trip types")
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if node.func.attr == "dump" and rel not in ("load/yamledit.py", "load/yamlemit.py") and any(
                        isinstance(n, ast.Name) and n.id == "YAML" for n in ast.walk(node.func.value)):
                    found.append(f"{rel}:{node.lineno}: dumps YAML itself")
                if node.func.attr in WRITES and len(node.args) >= 3 and isinstance(node.args[2], ast.Tuple) and any(
                        isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.args[2].elts):
                    found.append(f"{rel}:{node.lineno}: a key as a string literal")
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in WRITES and len(
                    node.args) >= 3 and isinstance(node.args[2], ast.Tuple) and any(
                    isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.args[2].elts):
                found.append(f"{rel}:{node.lineno}: a key as a string literal")
    assert found == []
    assert (SRC / "load" / "yamledit.py").is_file() and not (SRC / "live" / "edit_yaml.py").exists()


def test_keys_follow_the_model(tmp_path: Path) -> None:
    from referat.load.yamledit import entry, key_path, set_value
    from referat.model.item import FollowUp
    from referat.model.meeting import Meeting

    assert key_path(Meeting, "attendance", "others", 1, "substitute_for") == ("fremmøde", "øvrige", 1,
                                                                              "i_stedet_for")
    assert entry(FollowUp, task="A", responsible="B", deadline=None) == {"opgave": "A", "ansvarlig": "B"}
    with pytest.raises(KeyError):
        key_path(Meeting, "attendance", "guests")
    text = "udvalg: das-social\nfremmøde:\n  til_stede: []\n"
    assert set_value(text, tmp_path / "møde.yaml", key_path(Meeting, "attendance", "present"), ["A"]) == (
        "udvalg: das-social\nfremmøde:\n  til_stede:\n    - A\n")


def test_the_meeting_the_writer_makes_is_the_format_of_the_docs(run: Run, tmp_path: Path) -> None:
    """What `new` writes loads back through the reader as the data it meant, ids included (written first)."""
    from referat.load.yamlfile import read_yaml

    folder = tmp_path / "m"
    assert run("new", folder, "--dato", "2027-03-01")[0] == 0
    data, _ = read_yaml(folder / "punkter" / "01-godkendelse-af-dagsorden.yaml")
    assert list(data) == ["id", "titel", "adgang", "type", "indstilling"]
    assert data["id"] == "godkendelse-af-dagsorden" and data["indstilling"] == ["Godkender dagsordenen"]
    meeting, _ = read_yaml(folder / "møde.yaml")
    assert meeting["dato"] == "2027-03-01" and meeting["start"] == "12.00" and meeting["online"] is True
    assert dedent(MEETING)  # the fixture meeting is untouched by this module


def test_entries_are_inserted_before_a_list_entry_every_other_byte_kept(tmp_path: Path) -> None:
    from referat.load.yamledit import insert_entries

    path = tmp_path / "møde.yaml"
    text = "\ufeffudvalg: das-social\r\npunkter:\r\n  - 01.yaml\r\n  # før to\r\n  - 02.yaml  # to\r\n"
    assert insert_entries(text, path, ("punkter",), 1, ["05.yaml", "06.yaml"]) == (
        "\ufeffudvalg: das-social\r\npunkter:\r\n  - 01.yaml\r\n  # før to\r\n  - 05.yaml\r\n  - 06.yaml\r\n"
        "  - 02.yaml  # to\r\n")
    assert insert_entries(text, path, ("punkter",), 2, ["05.yaml"]).endswith("  - 02.yaml  # to\r\n  - 05.yaml\r\n")
    assert insert_entries("punkter: [a.yaml, b.yaml]  # x\n", path, ("punkter",), 0, ["c.yaml"]) == (
        "punkter: [c.yaml, a.yaml, b.yaml]  # x\n")
    with pytest.raises(Exception, match="dokumentslut-markør"):
        insert_entries("punkter: [a.yaml]\n...\n", path, ("punkter",), 0, ["c.yaml"])
