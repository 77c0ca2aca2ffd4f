"""A whole meeting's life (issue 14, "done when"): new → send → add an item → send (tillæg) → diff → referat →
build → sign → archive → correction → the next meeting --fra, with the earlier versions' bytes unchanged at every
step."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from conftest import tree
from pki import PASSWORD, make_pki

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def password(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("REFERAT_CERT_PASSWORD", PASSWORD)
    yield


def text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def test_a_meeting_from_new_to_the_next_one(run: Run, tmp_path: Path, password: None) -> None:
    pki = make_pki(tmp_path / "pki")
    meeting, archive, outdir = tmp_path / "2027-03-01-das", tmp_path / "arkiv", tmp_path / "output"

    # new
    code, _, err = run("new", meeting, "--dato", "2027-03-01", "--sted", "Aalborg")
    assert code == 0, err
    mode = meeting / "møde.yaml"
    mode.write_text(mode.read_text(encoding="utf-8") + "næste_møde: {dato: 2027-04-12, start: '10.00', slut: "
                    "'13.00', sted: Hjørring}\n", encoding="utf-8")

    # send: version 1
    code, _, err = run("send", meeting)
    assert code == 0, err
    sent = meeting / "udsendt"
    frozen = tree(sent)
    assert any(k.endswith("dagsordenspakke.pdf") for k in frozen)

    # add an item, send again: the tillægsdagsorden and the revised agenda; version 1 untouched
    (meeting / "punkter" / "03-botilbud.yaml").write_text(
        "titel: Nye botilbud i regionen\ntype: beslutning\nsagsnummer: ''\n"
        "sagsfremstilling: |\n  Der foreslås to nye botilbud til unge.\nindstilling: [Godkender de nye botilbud]\n",
        encoding="utf-8")
    mode.write_text(mode.read_text(encoding="utf-8").replace("  - 03-eventuelt.yaml",
                                                             "  - 03-botilbud.yaml\n  - 03-eventuelt.yaml"),
                    encoding="utf-8")
    code, out, err = run("send", meeting)
    assert code == 0 and "tillægsdagsorden" in out, err
    now = tree(sent)
    assert {k: v for k, v in now.items() if k in frozen} == frozen
    [v2] = [p for p in sent.iterdir() if p.name.startswith("2-")]
    addendum = text(v2 / "tillægsdagsorden.pdf")
    assert "Punkt 3." in addendum and "Nye botilbud i regionen" in addendum and "Eventuelt" not in addendum
    frozen = now

    # diff: one word changed in one item
    item = meeting / "punkter" / "03-botilbud.yaml"
    item.write_text(item.read_text(encoding="utf-8").replace("to nye", "tre nye"), encoding="utf-8")
    code, out, _ = run("diff", meeting)
    assert code == 0
    assert out.splitlines()[1:] == ["Punkt 3. Nye botilbud i regionen (punkter/03-botilbud.yaml): ændret",
                                    "  Sagsfremstilling: Der foreslås [-to-] {+tre+} nye botilbud til unge."]
    assert tree(sent) == frozen

    # referat: decisions pre-filled, attendance planned; then a follow-up task on the new item's decision
    code, _, err = run("til-referat", meeting)
    assert code == 0, err
    assert "beslutning: |\n  Godkendt\n" in item.read_text(encoding="utf-8")
    item.write_text(item.read_text(encoding="utf-8") + "opfølgning:\n"
                    "  - {opgave: '=1+1 tjek budgettet', ansvarlig: Aalborg Kommune, frist: 2027-06-30}\n"
                    "  - opgave: Sekretariatet indhenter tilbud\n    ansvarlig: Sekretariatet\n    frist: 2027-03-31\n",
                    encoding="utf-8")
    code, out, err = run("build", meeting, "--dokument", "referat", "--format", "pdf", "--out", outdir)
    assert code == 0, err
    assert "afviger fra den udsendte" not in out  # in fase 'referat' the difference is expected (issue 22)
    assert tree(sent) == frozen

    # sign and archive; the same file twice is refused
    minutes = outdir / "referat.pdf"
    signed = tmp_path / "referat-underskrevet.pdf"
    assert run("sign", minutes, "--cert", pki.formand, "--out", signed, "--rolle", "formand")[0] == 0
    code, _, err = run("archive", "add", meeting, signed, "--rodcertifikat", pki.root_pem, "--arkiv", archive)
    assert code == 0, err
    code, _, err = run("archive", "add", meeting, signed, "--rodcertifikat", pki.root_pem, "--arkiv", archive)
    assert code == 1 and "allerede arkiveret som udgave 1" in err
    stored = tree(archive / "das-social")
    manifest = json.loads((archive / "das-social" / "2027-03-01" / "udgave-1" / "manifest.json").read_text("utf-8"))
    assert [t["opgave"] for t in manifest["opfølgning"]] == ["=1+1 tjek budgettet", "Sekretariatet indhenter tilbud"]

    # the decision register carries the tasks, in the terminal and as Excel (text stays text)
    code, register, _ = run("decisions", "--arkiv", archive)
    assert code == 0
    assert ("    opgaver: =1+1 tjek budgettet (Aalborg Kommune, frist 2027-06-30, åben); Sekretariatet indhenter tilbud "
            "(Sekretariatet, frist 2027-03-31, åben)\n") in register
    code, _, err = run("decisions", "--arkiv", archive, "--xlsx", tmp_path / "register.xlsx")
    assert code == 0, err
    sheet = openpyxl.load_workbook(tmp_path / "register.xlsx").active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][-1] == "opgaver" and rows[0][5] == "beslutning"
    [row] = [r for r in rows if r[4] == "Nye botilbud i regionen"]
    assert row[5] == "Godkendt" and "Sekretariatet indhenter tilbud" in row[-1]
    assert row[-1].startswith("=1+1 tjek budgettet (Aalborg Kommune, frist 2027-06-30, åben); ")
    assert all(c.data_type == "s" for r in sheet.iter_rows(min_row=2) for c in r if isinstance(c.value, str))

    # a correction: built, signed, archived beside the original and linked to it
    correction = tmp_path / "rettelse.yaml"
    correction.write_text("rettet_af: Sekretariatet\nbegrundelse: Antallet af botilbud var gengivet forkert.\n"
                          "rettelser:\n  - punkt: '3'\n    tekst: I sagsfremstillingen rettes 'tre' til 'to'.\n",
                          encoding="utf-8")
    code, _, err = run("rettelse", "byg", meeting, correction, "--arkiv", archive, "--out", outdir)
    assert code == 0, err
    shown = text(outdir / "rettelse.pdf")
    assert "Rettelse til referat" in shown and "rettes 'tre' til 'to'" in shown and "udgave-1" in shown
    signed_fix = tmp_path / "rettelse-underskrevet.pdf"
    assert run("sign", outdir / "rettelse.pdf", "--cert", pki.formand, "--out", signed_fix)[0] == 0
    code, out_text, err = run("rettelse", "arkivér", meeting, correction, signed_fix, "--arkiv", archive,
                              "--rodcertifikat", pki.root_pem)
    assert code == 0, err
    assert "rettelse 1" in out_text
    code, _, err = run("rettelse", "arkivér", meeting, correction, signed_fix, "--arkiv", archive,
                       "--rodcertifikat", pki.root_pem)
    assert code == 1 and "allerede arkiveret som rettelse 1" in err
    now = tree(archive / "das-social")
    assert {k: v for k, v in now.items() if k in stored} == stored  # the original is untouched
    fix_manifest = json.loads((archive / "das-social" / "2027-03-01" / "rettelse-1" / "manifest.json")
                              .read_text("utf-8"))
    assert fix_manifest["retter"] == "das-social/2027-03-01/udgave-1"
    assert fix_manifest["retter_sha256"] == hashlib.sha256(signed.read_bytes()).hexdigest()
    with sqlite3.connect(archive / "index.sqlite") as conn:  # indexed, linked to the version it corrects
        assert conn.execute("SELECT sti, retter, retter_sha256, sha256, rettet_af FROM rettelser").fetchall() == [
            ("das-social/2027-03-01/rettelse-1", "das-social/2027-03-01/udgave-1", fix_manifest["retter_sha256"],
             hashlib.sha256(signed_fix.read_bytes()).hexdigest(), "Sekretariatet")]
    code, listing, _ = run("archive", "list", "--arkiv", archive)
    assert code == 0
    assert (f"    rettelse 1 ({fix_manifest['arkiveret'][:10]}, sha256 {fix_manifest['sha256']}): punkt 3: I "
            "sagsfremstillingen rettes 'tre' til 'to'.\n") in listing
    code, found, _ = run("search", "sagsfremstillingen tre", "--arkiv", archive)
    assert code == 0 and "Rettelse 1 til referat af DAS Social 01.03.2027 (udgave 1)\n" in found
    code, verified, err = run("archive", "verify", "--arkiv", archive)
    # nothing wrong; signed without a timestamp server, both files (PAdES B-B) get the renewal warning (issue 25)
    assert code == 0 and [line.split(": advarsel: ")[1][:10] for line in err.splitlines()] == ["PAdES B-B:"] * 2, err
    assert "rettelse-signeret.pdf (rettelse)" in verified and "1 udgave og 1 rettelse kontrolleret" in verified

    # the next meeting, from this one: date, roster, the archived minutes, the open task
    following = tmp_path / "2027-04-12-das"
    code, _, err = run("new", following, "--fra", meeting)
    assert code == 0, err
    assert "dato: 2027-04-12" in (following / "møde.yaml").read_text(encoding="utf-8")
    items = {p.name: p.read_text(encoding="utf-8") for p in (following / "punkter").iterdir()}
    assert "arkiv: das-social/2027-03-01" in items["02-godkendelse-af-referat-fra-seneste-moede.yaml"]
    assert "Sekretariatet indhenter tilbud" in items["03-opfoelgning-paa-beslutninger.yaml"]
    code, out_text, err = run("validate", following)
    assert code == 0, err + out_text
    code, tasks, _ = run("opfølgning", "--arkiv", archive)
    assert code == 0 and "Sekretariatet indhenter tilbud" in tasks
    assert tree(sent) == frozen
    assert {k: v for k, v in tree(archive / "das-social").items() if k in now} == now

    # verify names a correction whose file changed
    fixed = archive / "das-social" / "2027-03-01" / "rettelse-1" / "rettelse-signeret.pdf"
    fixed.chmod(0o644)
    fixed.write_bytes(fixed.read_bytes() + b"\n")
    code, _, err = run("archive", "verify", "--arkiv", archive)
    assert code == 1 and "rettelse-signeret.pdf" in err and "ændret siden arkiveringen" in err
