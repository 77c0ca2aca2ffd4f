"""The meeting's life (issue 14): sending freezes a version, tillæg, diff, agenda → minutes, new --fra, follow-up."""

from __future__ import annotations

import hashlib
import json
import stat
from collections.abc import Callable
from pathlib import Path

import docx
from pypdf import PdfReader

from conftest import MEETING, dedent, tiny_pdf
from referat.diagnostics import Location

Run = Callable[..., tuple[int, str, str]]

ITEMS = {
    "01-dagsorden.yaml": "titel: Godkendelse af dagsorden\ntype: standard\nindstilling: [Godkender dagsordenen]\n",
    "02-botilbud.yaml": """\
        titel: Status for botilbud
        type: orientering
        sagsfremstilling: |
          Sekretariatet orienterer om status for de nye botilbud i regionen.
        bilag:
          - titel: Bilag 1. Oversigt over botilbud
            fil: 02-oversigt.pdf
        """,
    "03-eventuelt.yaml": "titel: Eventuelt\ntype: standard\n",
}


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): sha(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def versions(folder: Path) -> list[Path]:
    return sorted((folder / "udsendt").glob("[0-9]*-*"), key=lambda p: int(p.name.split("-")[0]))


def sent_meeting(make_meeting: Callable[..., Path], run: Run) -> Path:
    folder = make_meeting(dict(ITEMS), bilag={"02-oversigt.pdf": tiny_pdf("Oversigt")})
    code, _out, err = run("send", folder)
    assert code == 0, err
    return folder


def add_item(folder: Path, name: str, text: str, before: str) -> None:
    (folder / "punkter" / name).write_text(dedent(text), encoding="utf-8")
    meeting = folder / "møde.yaml"
    meeting.write_text(meeting.read_text(encoding="utf-8").replace(before, f"{name}, {before}"), encoding="utf-8")


def test_send_freezes_the_agenda_the_packet_and_the_data(make_meeting: Callable[..., Path], run: Run) -> None:
    folder = sent_meeting(make_meeting, run)
    [v1] = versions(folder)
    assert v1.name.startswith("1-")
    manifest = json.loads((v1 / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["udgave"] == 1 and manifest["type"] == "dagsorden"
    assert set(manifest["filer"]) == {"dagsorden.pdf", "dagsorden.docx", "dagsordenspakke.pdf"}
    for name, digest in manifest["filer"].items():
        assert sha(v1 / name) == digest
        assert not (v1 / name).stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)  # read-only
    assert (v1 / "data" / "møde.yaml").read_bytes() == (folder / "møde.yaml").read_bytes()
    assert manifest["data"]["punkter/02-botilbud.yaml"] == sha(folder / "punkter" / "02-botilbud.yaml")
    assert manifest["bilag"] == {"02-oversigt.pdf": sha(folder / "bilag" / "02-oversigt.pdf")}
    text = pdf_text(v1 / "dagsorden.pdf")
    assert "Status for botilbud" in text and "Revideret" not in text
    assert len(PdfReader(v1 / "dagsordenspakke.pdf").pages) > len(PdfReader(v1 / "dagsorden.pdf").pages)
    # nothing changed: nothing is sent, and the version is left as it was
    before = hashes(folder / "udsendt")
    code, out, _ = run("send", folder)
    assert code == 0 and "intet er ændret siden den udsendte udgave 1" in out
    assert hashes(folder / "udsendt") == before


def test_send_refuses_minutes_and_names_the_phase(make_meeting: Callable[..., Path], run: Run) -> None:
    folder = make_meeting(fase="referat")
    code, _, err = run("send", folder)
    assert code == 1 and "møde.yaml" in err and "fasen 'referat'" in err
    assert not (folder / "udsendt").exists()


def test_second_sending_gives_the_addendum_and_a_revised_agenda(make_meeting: Callable[..., Path], run: Run) -> None:
    folder = sent_meeting(make_meeting, run)
    first = hashes(folder / "udsendt")
    add_item(folder, "04-ny-sag.yaml", "titel: Ny sag om takster\ntype: drøftelse\nsagsfremstilling: Ny tekst.\n",
             "03-eventuelt.yaml")
    code, out, err = run("send", folder)
    assert code == 0, err
    assert "udgave 2" in out and "tillægsdagsorden" in out
    v1, v2 = versions(folder)
    assert {k: v for k, v in hashes(folder / "udsendt").items() if k.startswith(v1.name)} == first
    addendum = pdf_text(v2 / "tillægsdagsorden.pdf")
    assert "Tillægsdagsorden" in addendum and "Tillæg til" in addendum and "(udgave 1)" in addendum
    assert "Punkt 3." in addendum and "Ny sag om takster" in addendum  # numbered as in the full agenda
    assert "Status for botilbud" not in addendum and "Eventuelt" not in addendum
    assert "Nye punkter: 3" in addendum
    full = pdf_text(v2 / "dagsorden.pdf")
    assert "Revideret" in full and "Ny sag om takster (tillæg)" in full and "Punkt 4." in full
    assert "Status for botilbud (tillæg)" not in full
    packet = pdf_text(v2 / "dagsordenspakke.pdf")
    assert "Revideret" in packet and "Ny sag om takster (tillæg)" in packet
    words = " ".join(p.text for p in docx.Document(str(v2 / "tillægsdagsorden.docx")).paragraphs)
    assert "Tillægsdagsorden" in words and "Ny sag om takster" in words and "Status for botilbud" not in words
    manifest = json.loads((v2 / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["tillæg"]["nye"] == ["04-ny-sag.yaml"] and manifest["erstatter"] == 1
    # a changed item (not new) goes into the next addendum as "ændret"; the new item stays marked tillæg
    item = folder / "punkter" / "02-botilbud.yaml"
    item.write_text(item.read_text(encoding="utf-8").replace("nye botilbud", "planlagte botilbud"), encoding="utf-8")
    assert run("send", folder)[0] == 0
    v3 = versions(folder)[2]
    addendum = pdf_text(v3 / "tillægsdagsorden.pdf")
    assert "Ændrede punkter: 2" in addendum and "planlagte botilbud" in addendum and "Ny sag om takster" not in addendum
    assert "Ny sag om takster (tillæg)" in pdf_text(v3 / "dagsorden.pdf")


def test_build_and_packet_say_when_the_sent_version_differs(make_meeting: Callable[..., Path], run: Run,
                                                             tmp_path: Path) -> None:
    folder = sent_meeting(make_meeting, run)
    code, out, _ = run("build", folder, "--format", "txt", "--out", tmp_path / "o")
    assert code == 0 and "bemærk" not in out
    item = folder / "punkter" / "03-eventuelt.yaml"
    item.write_text(item.read_text(encoding="utf-8") + "resumé: Intet.\n", encoding="utf-8")
    code, out, _ = run("build", folder, "--format", "txt", "--out", tmp_path / "o")
    assert code == 0 and "bemærk: mødets data afviger fra den udsendte udgave 1" in out
    code, out, _ = run("packet", folder, "--out", tmp_path / "o")
    assert code == 0 and "afviger fra den udsendte udgave 1" in out


def test_diff_of_one_word_prints_exactly_that_item_and_word(make_meeting: Callable[..., Path], run: Run,
                                                            tmp_path: Path) -> None:
    folder = sent_meeting(make_meeting, run)
    item = folder / "punkter" / "02-botilbud.yaml"
    item.write_text(item.read_text(encoding="utf-8").replace("nye botilbud", "planlagte botilbud"), encoding="utf-8")
    code, out, err = run("diff", folder)
    assert code == 0, err
    assert out.splitlines() == [
        "Ændringer fra udgave 1 (" + versions(folder)[0].name[2:] + ") til mappen nu:",
        "Punkt 2. Status for botilbud (punkter/02-botilbud.yaml): ændret",
        "  Sagsfremstilling: … om status for de [-nye-] {+planlagte+} botilbud i regionen.",
    ]
    assert "\033[" not in out  # no colour when not a terminal
    # between two sent versions, and as a Rettelsesblad in PDF and Word
    assert run("send", folder)[0] == 0
    code, out, _ = run("diff", folder, "--fra", "1", "--til", "2", "--rettelsesblad", "--out", tmp_path / "r")
    assert code == 0 and "[-nye-] {+planlagte+}" in out and "til udgave 2" in out
    text = pdf_text(tmp_path / "r" / "rettelsesblad.pdf")
    assert "Rettelsesblad" in text and "[udgår: nye]" in text and "[nyt: planlagte]" in text
    assert "Eventuelt" not in text
    words = " ".join(p.text for p in docx.Document(str(tmp_path / "r" / "rettelsesblad.docx")).paragraphs)
    assert "[udgår: nye]" in words and "[nyt: planlagte]" in words


def test_diff_names_added_removed_moved_items_and_replaced_bilag(make_meeting: Callable[..., Path], run: Run) -> None:
    folder = sent_meeting(make_meeting, run)
    (folder / "bilag" / "02-oversigt.pdf").write_bytes(tiny_pdf("Ny oversigt"))
    meeting = folder / "møde.yaml"
    text = meeting.read_text(encoding="utf-8")
    text = text.replace("01-dagsorden.yaml, 02-botilbud.yaml, 03-eventuelt.yaml", "03-eventuelt.yaml, 02-botilbud.yaml")
    meeting.write_text(text.replace("sted: Mødelokale 1, Aalborg", "sted: Mødelokale 2, Aalborg"), encoding="utf-8")
    code, out, _ = run("diff", folder)
    assert code == 0
    assert "Sted: Mødelokale [-1,-] {+2,+} Aalborg" in out
    assert "bilag udskiftet: 02-oversigt.pdf (Bilag 1. Oversigt over botilbud)" in out
    assert "Punkt 1. Godkendelse af dagsorden (punkter/01-dagsorden.yaml): fjernet" in out
    assert "flyttet" in out
    code, _, err = run("diff", folder, "--fra", "7")
    assert code == 1 and "ingen udsendt udgave '7'" in err


def test_diff_before_anything_was_sent_says_so(make_meeting: Callable[..., Path], run: Run) -> None:
    folder = make_meeting(dict(ITEMS), bilag={"02-oversigt.pdf": tiny_pdf()})
    code, _, err = run("diff", folder)
    assert code == 1 and "ikke udsendt endnu" in err


MEETING_WITH_COMMENTS = """\
# Mødet – kommentarerne skal stå urørt
udvalg: das-social
fase: 'dagsorden'   # ændres af til-referat
dato: 2026-02-23
start: "12.00"
slut: "16.00"
sted: "Mødelokale 1, Aalborg"  # citeret med vilje
sagsnummer: 2026-005746
medlemmer:
  - {navn: Anne Andersen, titel: Socialdirektør, organisation: Aalborg Kommune}
  - {navn: Bo Bertelsen, titel: Socialdirektør, organisation: Rebild Kommune}
fremmøde:
  til_stede: []  # udfyldes
  fraværende: [Bo Bertelsen]
  øvrige: []
punkter: [01-dagsorden.yaml, 02-botilbud.yaml, 03-drøftelse.yaml, 04-eventuelt.yaml]
"""


def test_til_referat_writes_decisions_and_attendance_and_leaves_every_other_byte(
        make_meeting: Callable[..., Path], run: Run) -> None:
    items = dict(ITEMS)
    items["03-drøftelse.yaml"] = "# en kommentar\ntitel: 'Drøftelse af strategi'  # citeret\ntype: drøftelse\nsagsnummer: ''\n"
    items["04-eventuelt.yaml"] = items.pop("03-eventuelt.yaml")
    folder = make_meeting(items, meeting=MEETING_WITH_COMMENTS, bilag={"02-oversigt.pdf": tiny_pdf()})
    before = {p.name: p.read_bytes() for p in [folder / "møde.yaml", *(folder / "punkter").iterdir()]}
    code, out, err = run("til-referat", folder)
    assert code == 0, err
    assert "fremmøde: 1 medlem er sat som til stede" in out  # the singular (issue 24)
    for name, old in before.items():
        if name == "møde.yaml":
            continue
        new = (folder / "punkter" / name).read_bytes()
        assert new.startswith(old)  # every byte of the item is kept; its id and the decision are added after it
    decisions = {name: (folder / "punkter" / name).read_text(encoding="utf-8")[len(before[name].decode()):]
                 for name in items}
    assert decisions == {"01-dagsorden.yaml": "id: dagsorden\nbeslutning: |\n  Godkendt\n",
                         "02-botilbud.yaml": "id: botilbud\nbeslutning: |\n  Taget til efterretning\n",
                         "03-drøftelse.yaml": "id: droeftelse\nbeslutning: |\n  Drøftet\n",
                         "04-eventuelt.yaml": "id: eventuelt\nbeslutning: |\n  Taget til efterretning\n"}
    old_lines = before["møde.yaml"].decode().splitlines(keepends=True)
    new_lines = (folder / "møde.yaml").read_text(encoding="utf-8").splitlines(keepends=True)
    changed = [n for n, line in enumerate(old_lines) if line.startswith(("fase:", "  til_stede:"))]
    assert new_lines[changed[0]] == "fase: 'referat'   # ændres af til-referat\n"
    assert new_lines[changed[1]:changed[1] + 2] == ["  til_stede:  # udfyldes\n", "    - Anne Andersen\n"]
    untouched_old = [line for n, line in enumerate(old_lines) if n not in changed]
    untouched_new = new_lines[:changed[0]] + new_lines[changed[0] + 1:changed[1]] + new_lines[changed[1] + 2:]
    assert untouched_new == untouched_old
    code, out, _ = run("build", folder, "--format", "txt", "--out", folder.parent / "o")
    assert code == 0
    assert "Drøftet" in (folder.parent / "o" / "referat.txt").read_text(encoding="utf-8")
    # a second run refuses and changes nothing
    after = {p: p.read_bytes() for p in folder.rglob("*.yaml")}
    code, _, err = run("til-referat", folder)
    assert code == 1 and "allerede i fasen 'referat'" in err
    assert {p: p.read_bytes() for p in folder.rglob("*.yaml")} == after


def test_til_referat_refuses_when_a_decision_is_written(make_meeting: Callable[..., Path], run: Run) -> None:
    items = dict(ITEMS)
    items["03-eventuelt.yaml"] = "titel: Eventuelt\ntype: standard\nbeslutning: Intet.\n"
    folder = make_meeting(items, bilag={"02-oversigt.pdf": tiny_pdf()})
    before = {p: p.read_bytes() for p in folder.rglob("*.yaml")}
    code, _, err = run("til-referat", folder)
    assert code == 1 and "03-eventuelt.yaml:3:1" in err and "allerede en beslutning" in err
    assert {p: p.read_bytes() for p in folder.rglob("*.yaml")} == before


FOLLOW_UP = """\
    opfølgning:
      - opgave: Sekretariatet udarbejder et notat om ventelister
        ansvarlig: Sekretariatet
        frist: 2020-01-31
      - opgave: Rebild undersøger kapaciteten
        ansvarlig: Rebild Kommune
        frist: 2999-06-30
      - opgave: Afsluttet opgave
        ansvarlig: Sekretariatet
        frist: 2020-01-01
        status: udført
    """


def minutes_with_tasks(make_meeting: Callable[..., Path], name: str = "forrige") -> Path:
    items = {name: dedent(text) + "beslutning: Godkendt.\n" for name, text in ITEMS.items()}
    items["02-botilbud.yaml"] += dedent(FOLLOW_UP)
    return make_meeting(items, fase="referat", bilag={"02-oversigt.pdf": tiny_pdf()}, name=name)


def test_opfolgning_lists_open_tasks_overdue_first(make_meeting: Callable[..., Path], run: Run) -> None:
    folder = minutes_with_tasks(make_meeting)
    code, out, err = run("opfølgning", folder)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("OVERSKREDET frist 31.01.2020: Sekretariatet udarbejder et notat om ventelister")
    assert lines[1].startswith("frist 30.06.2999: Rebild undersøger kapaciteten – ansvarlig: Rebild Kommune")
    assert lines[2] == "2 åbne opgaver" and "Afsluttet opgave" not in out
    code, out, _ = run("opfølgning", folder, "--csv")
    rows = out.splitlines()
    assert code == 0 and rows[0].startswith("frist;overskredet;opgave") and len(rows) == 3
    assert rows[1].startswith("2020-01-31;ja;Sekretariatet udarbejder")
    # a later meeting that writes the task again as done closes it
    later = make_meeting({"01-opf.yaml": """\
        titel: Opfølgning
        type: orientering
        beslutning: Taget til efterretning.
        opfølgning:
          - {opgave: Sekretariatet udarbejder et notat om ventelister, ansvarlig: Sekretariatet, frist: 2020-01-31,
             status: udført}
        """}, fase="referat", name="senere",
        meeting=MEETING_WITH_COMMENTS.replace("'dagsorden'", "referat").replace("2026-02-23", "2026-05-22")
        .replace("[01-dagsorden.yaml, 02-botilbud.yaml, 03-drøftelse.yaml, 04-eventuelt.yaml]", "[01-opf.yaml]")
        .replace("til_stede: []", "til_stede: [Anne Andersen]"))
    code, out, _ = run("opfølgning", folder, later)
    assert code == 0 and "ventelister" not in out and "1 åben opgave" in out


def test_new_from_the_previous_meeting(make_meeting: Callable[..., Path], run: Run, tmp_path: Path) -> None:
    previous = minutes_with_tasks(make_meeting)
    before = hashes(previous)
    code, out, err = run("new", tmp_path / "næste", "--fra", previous)
    assert code == 0, err
    assert hashes(previous) == before  # the previous meeting is read, never written
    meeting = (tmp_path / "næste" / "møde.yaml").read_text(encoding="utf-8")
    assert "dato: 2026-05-22" in meeting and 'start: "12.00"' in meeting
    assert "Anne Andersen" in meeting and "Bo Bertelsen" in meeting  # the roster
    files = sorted((tmp_path / "næste" / "punkter").iterdir())
    minutes_item = next(p for p in files if "referat" in p.name).read_text(encoding="utf-8")
    assert "referat: ../forrige" in minutes_item and "Referat fra mødet den 23. februar 2026" in minutes_item
    follow_up = next(p for p in files if "opfoelgning" in p.name).read_text(encoding="utf-8")
    assert "ventelister" in follow_up and "(overskredet)" in follow_up and "kapaciteten" in follow_up
    assert "Afsluttet opgave" not in follow_up
    code, out, err = run("validate", tmp_path / "næste")
    assert code == 0, err + out
    without = MEETING.format(fase="dagsorden", items="01-dagsorden.yaml").replace("næste_møde:", "# næste_møde:")
    code, _, err = run("new", tmp_path / "uden", "--fra", make_meeting(name="uden-naeste", meeting=without))
    assert code == 2 and "intet 'næste_møde'" in err and "--dato" in err


def test_til_referat_takes_the_phrases_from_the_profile(make_meeting: Callable[..., Path], run: Run,
                                                        tmp_path: Path) -> None:
    from conftest import ROOT

    profile = (ROOT / "templates" / "udvalg" / "das-social.yaml").read_text(encoding="utf-8")
    assert "  beslutning: Godkendt\n" in profile
    (tmp_path / "tpl" / "udvalg").mkdir(parents=True)
    (tmp_path / "tpl" / "udvalg" / "das-social.yaml").write_text(
        profile.replace("  beslutning: Godkendt\n", "  beslutning: Godkendt som indstillet\n"), encoding="utf-8")
    folder = make_meeting({"01-sag.yaml": "titel: En sag\ntype: beslutning\nindstilling: [Godkender sagen]\n"})
    code, _, err = run("til-referat", folder, "--skabeloner", tmp_path / "tpl")
    assert code == 0, err
    assert (folder / "punkter" / "01-sag.yaml").read_text(encoding="utf-8").endswith(
        "beslutning: |\n  Godkendt som indstillet\n")


def test_diff_and_send_name_the_file_they_cannot_read(make_meeting: Callable[..., Path], run: Run) -> None:
    folder = sent_meeting(make_meeting, run)
    item = folder / "punkter" / "02-botilbud.yaml"
    item.write_text("titel: [ikke lukket\n", encoding="utf-8")
    code, out, err = run("diff", folder)
    assert code == 1 and "02-botilbud.yaml" in err and "YAML" in err and "Traceback" not in err + out
    # the loader's own located Danish line, as validate prints it (diff said '02-botilbud.yaml: fejl: filen kan
    # ikke læses som YAML (ScannerError)': no folder, no line, a Python class name)
    _, _, said = run("validate", folder)
    [line] = [x for x in said.splitlines() if ": fejl: " in x]
    assert line in err.splitlines() and f"{Location(item).format()}:2:1: fejl: YAML-syntaksfejl" in line, (line, err)
    code, _, err = run("send", folder)
    assert code == 1 and "02-botilbud.yaml" in err
    [v1] = versions(folder)
    manifest = v1 / "manifest.json"
    manifest.chmod(0o644)
    manifest.write_text("{ikke json", encoding="utf-8")
    code, _, err = run("diff", folder, "--fra", "1")
    assert code == 1 and "manifest.json" in err and "kan ikke læses" in err
    code, _, err = run("diff", folder, "--fra", "../../etc")
    assert code == 1 and "ingen udsendt udgave '../../etc'" in err
