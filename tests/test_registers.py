"""The decision register and search as a secretariat uses them (issue 24, item 3; issue 23, item 4's register):
both exports at once, control characters, closed items marked, Excel types, every text of an item searched."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import openpyxl
import pytest

from conftest import ROOT, Run, archived_into, build_minutes, meeting_copy, replace_in, sign_as_chair
from pki import Pki

pytestmark = pytest.mark.usefixtures("cert_password")

ITEM = "03-planer-ungehjemmet-bifrost.yaml"
# Words made up for this test, each in one field of item 3 only (not in any title or decision)
ONLY_IN = {"resumé": "Ørnereden", "sagsfremstilling": "Zebramodellen", "indstilling": "Kvistplanen",
           "bilag": "Bilagsbarometeret", "opgave": "Tjeklisteudvalget"}
ESC = "\x1b"


def _edit(folder: Path) -> None:
    item = folder / "punkter" / ITEM
    replace_in(item, "tilbuddet sikres til de nordjyske kommuner", f"tilbuddet sikres til {ONLY_IN['resumé']}")
    replace_in(item, "præsenterer punktet.", f"præsenterer punktet og {ONLY_IN['sagsfremstilling']}.")
    replace_in(item, "mhp. visitation\"", f"mhp. visitation efter {ONLY_IN['indstilling']}\"")
    replace_in(item, "Bilag 1. Plan for kommunikation", f"Bilag 1. {ONLY_IN['bilag']} for kommunikation")
    with item.open("a", encoding="utf-8") as f:
        f.write("opfølgning:\n"
                f'  - opgave: "{ONLY_IN["opgave"]} tjekker \\e[31mRØD\\e[0m budgettet"\n'
                "    ansvarlig: Sekretariatet\n    frist: 2026-06-30\n")
    closed = folder / "punkter" / "12-repraesentation-i-fora.yaml"
    replace_in(closed, "adgang: åben", "adgang: lukket\nlukket_grundlag: Offentlighedslovens § 30, nr. 1")


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory, pki: Pki) -> Path:
    tmp = tmp_path_factory.mktemp("register")
    folder = meeting_copy(tmp, _edit)
    signed = sign_as_chair(build_minutes(folder, tmp / "ud"), pki, tmp / "underskrevet.pdf")
    return archived_into(tmp / "arkiv", signed, pki, folder)


def test_csv_and_xlsx_are_both_written(run: Run, archive: Path, tmp_path: Path) -> None:
    code, out, err = run("decisions", "--csv", "--out", tmp_path / "A.csv", "--xlsx", tmp_path / "B.xlsx",
                         "--arkiv", archive)
    assert code == 0, err
    assert (tmp_path / "A.csv").read_text(encoding="utf-8-sig").startswith("udvalg;dato;sagsnummer;punkt;")
    assert openpyxl.load_workbook(tmp_path / "B.xlsx").active.max_row == 18  # header and 17 items
    assert out.splitlines() == [f"skrev {tmp_path / 'B.xlsx'} (17 beslutninger)",
                                f"skrev {tmp_path / 'A.csv'} (17 beslutninger)"]


def test_xlsx_and_csv_on_stdout_keep_the_messages_out_of_the_csv(run: Run, archive: Path, tmp_path: Path) -> None:
    code, out, err = run("decisions", "--csv", "--xlsx", tmp_path / "B.xlsx", "--arkiv", archive)
    assert code == 0
    assert out.startswith("udvalg;dato;") and f"skrev {tmp_path}" not in out
    assert f"skrev {tmp_path / 'B.xlsx'}" in err and (tmp_path / "B.xlsx").is_file()


def test_a_control_character_in_a_task_reaches_excel_as_its_picture(run: Run, archive: Path, tmp_path: Path) -> None:
    code, _, err = run("decisions", "--xlsx", tmp_path / "r.xlsx", "--arkiv", archive)
    assert code == 0, err
    rows = list(openpyxl.load_workbook(tmp_path / "r.xlsx").active.iter_rows(values_only=True))
    [tasks] = [r[-1] for r in rows if r[3] == 3]
    assert f"{ONLY_IN['opgave']} tjekker \u241b[31mRØD\u241b[0m budgettet" in tasks
    assert ESC not in "".join(str(v) for r in rows for v in r)


def test_the_workbook_holds_the_date_as_a_date_and_the_item_number_as_a_number(run: Run, archive: Path,
                                                                                   tmp_path: Path) -> None:
    assert run("decisions", "--xlsx", tmp_path / "r.xlsx", "--arkiv", archive)[0] == 0
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx").active
    assert [c.value for c in sheet[1]][:4] == ["udvalg", "dato", "sagsnummer", "punkt"]
    dates = [row[1] for row in sheet.iter_rows(min_row=2)]
    assert {c.value for c in dates} == {dt.datetime(2026, 2, 23)}
    assert {c.number_format for c in dates} == {"dd.mm.yyyy"}
    assert [row[3].value for row in sheet.iter_rows(min_row=2)] == list(range(1, 18))
    assert {row[3].data_type for row in sheet.iter_rows(min_row=2)} == {"n"}
    assert {row[4].data_type for row in sheet.iter_rows(min_row=2)} == {"s"}  # titles stay text


def _on_terminal(*args: str | Path) -> str:
    """What `referat ARGS` writes to its standard output when that is a terminal (a pseudo-terminal)."""
    master, slave = os.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "REFERAT_PROGRESS": "0"}
    child = subprocess.Popen([sys.executable, "-m", "referat", *map(str, args)], stdout=slave,
                             stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, env=env)
    os.close(slave)
    received = bytearray()

    def read() -> None:
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                return
            if not chunk:
                return
            received.extend(chunk)

    reader = threading.Thread(target=read)
    reader.start()
    child.wait(timeout=300)
    reader.join(timeout=60)
    os.close(master)
    return received.decode("utf-8", errors="replace")


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="ingen pseudoterminaler på dette system (Windows)")
def test_csv_on_a_terminal_shows_control_characters_as_escapes(archive: Path) -> None:
    shown = _on_terminal("decisions", "--csv", "--arkiv", archive)
    assert f"{ONLY_IN['opgave']} tjekker \\u001b[31mRØD\\u001b[0m budgettet" in shown
    assert ESC not in shown


def test_csv_into_a_pipe_is_the_data_as_it_is(run: Run, archive: Path) -> None:
    code, out, _ = run("decisions", "--csv", "--arkiv", archive)
    assert code == 0 and f"tjekker {ESC}[31mRØD" in out


def test_the_text_register_marks_closed_items_as_the_csv_does(run: Run, archive: Path) -> None:
    code, out, _ = run("decisions", "--arkiv", archive)
    assert code == 0
    heads = [line for line in out.splitlines() if "  punkt " in line]
    closed = [line for line in heads if line.endswith(" (lukket punkt)")]
    assert closed == [("23.02.2026  DAS Social  punkt 12: Repræsentation i tværsektorielle og tværkommunale fora i "
                      "Nordjylland (lukket punkt)")]
    code, csv_text, _ = run("decisions", "--csv", "--arkiv", archive)
    rows = list(csv.reader(io.StringIO(csv_text), delimiter=";"))
    assert [r[3] for r in rows[1:] if r[6] == "ja"] == ["12"]


@pytest.mark.parametrize("field", sorted(ONLY_IN))
def test_search_finds_a_word_in_every_field_of_an_item(run: Run, archive: Path, field: str) -> None:
    word = ONLY_IN[field]
    code, out, err = run("search", word.lower(), "--arkiv", archive)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("DAS Social 23.02.2026, punkt 3: Godkendelse af planer"), out
    assert f"»{word}" in lines[1]
    assert lines[-1] == "1 træf"


def test_search_does_not_match_the_headings_every_item_has(run: Run, archive: Path) -> None:
    """The headings ('Resumé' in 13 items) and the Indstilling's lead-in ('Det indstilles, at …', in 14) are
    not hits: 'resumé' is in no item's own text, 'indstilles' (indstil*) in four (indstiller, indstilling)."""
    code, out, _ = run("search", "resumé", "--arkiv", archive)
    assert code == 0 and out.startswith("ingen træf"), out
    code, out, _ = run("search", "indstilles", "--arkiv", archive)
    assert code == 0 and out.splitlines()[-1] == "4 træf", out
    assert "»indstilles" not in out


def test_the_recorded_text_is_checked_against_the_signed_pdf(run: Run, archive: Path, tmp_path: Path) -> None:
    code, out, err = run("archive", "verify", "--arkiv", archive)
    assert code == 0, err + out
    import shutil

    copy = tmp_path / "arkiv"
    shutil.copytree(archive, copy)
    [manifest] = copy.rglob("manifest.json")
    data = json.loads(manifest.read_text(encoding="utf-8"))
    item = data["punkter"][2]
    assert ONLY_IN["sagsfremstilling"] in item["tekst"]
    item["tekst"] = item["tekst"].replace(ONLY_IN["sagsfremstilling"], "Giraffmodellen")
    manifest.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    code, out, err = run("archive", "verify", "--arkiv", copy)
    assert code == 1
    assert "punkt 3 'Godkendelse af planer" in err and "teksten afviger" in err and "Giraffmodellen" in err


def test_an_index_of_the_earlier_layout_is_rebuilt(run: Run, archive: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "arkiv"
    shutil.copytree(archive, copy)
    with sqlite3.connect(copy / "index.sqlite") as conn:  # as referat before issue 24 made it
        conn.execute("DROP TABLE soeg")
        conn.execute("CREATE VIRTUAL TABLE soeg USING fts5(titel, beslutning)")
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema'")
    conn.close()
    code, out, err = run("search", ONLY_IN["sagsfremstilling"], "--arkiv", copy)
    assert code == 0, err
    assert out.splitlines()[-1] == "1 træf"
