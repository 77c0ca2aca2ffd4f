"""One meeting, one truth (issue 22): every command asks the meeting's state, and signed, archived minutes are
sealed: `build`, `packet`, `publish` and `serve` make them from the archived version, a folder that differs is an
error at each changed field, and a correction is made from the archive, never from the folder."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from starlette.testclient import TestClient

from conftest import EXAMPLE, Run, absolute_run, archived_into, build_minutes, replace_in, sign_as_chair, tree
from pki import Pki
from referat.app.serve import create_app
from referat.diagnostics import Location


@pytest.fixture
def run(run: Run) -> Run:
    """These tests name files as `f"{path}: fejl: …"`: paths in the output absolute, wherever the clone sits."""
    return absolute_run(run)

ITEM = "04-nyt-takstskema.yaml"
CLOSED = "05-sundhedstjek-paa-botilbud.yaml"
TOKEN = "proeve-noegle"


@pytest.fixture(scope="module")
def sealed_base(pki: Pki, cert_password: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A secretariat's folder: `moeder/<meeting>` (item 5 closed) whose signed minutes are in `arkiv/` beside it."""
    base = tmp_path_factory.mktemp("forseglet")
    folder = base / "moeder" / EXAMPLE.name
    shutil.copytree(EXAMPLE, folder)
    replace_in(folder / "punkter" / CLOSED, "adgang: åben", "adgang: lukket\nlukket_grundlag: Offentlighedslovens § 30, nr. 1")
    signed = sign_as_chair(build_minutes(folder, base / "ud"), pki, base / "underskrevet.pdf")
    archived_into(base / "arkiv", signed, pki, folder)
    return base


@pytest.fixture
def sealed(sealed_base: Path, tmp_path: Path) -> Path:
    """A private copy of the sealed meeting folder (its archive beside it)."""
    shutil.copytree(sealed_base, tmp_path / "projekt")
    return tmp_path / "projekt" / "moeder" / EXAMPLE.name


def signed_pdf(folder: Path) -> bytes:
    return (folder.parent.parent / "arkiv" / "das-social" / "2026-02-23" / "udgave-1" / "referat-signeret.pdf").read_bytes()


def edit_decision(folder: Path) -> tuple[Path, int]:
    """The decision of item 4 changed by hand after archiving; the file and the line of its `beslutning` key."""
    path = folder / "punkter" / ITEM
    replace_in(path, "Henrik Aarup-Kristensen indledte punktet med baggrund",
               "Henrik Aarup-Kristensen indledte punktet kort")
    line = next(n for n, text in enumerate(path.read_text("utf-8").splitlines(), 1) if text.startswith("beslutning:"))
    return path, line


def test_the_archive_adds_the_meeting_data_beside_the_signed_file(sealed: Path) -> None:
    version = sealed.parent.parent / "arkiv" / "das-social" / "2026-02-23" / "udgave-1"
    assert (version / "data" / "møde.yaml").read_bytes() == (sealed / "møde.yaml").read_bytes()
    assert (version / "data" / "punkter" / ITEM).read_bytes() == (sealed / "punkter" / ITEM).read_bytes()


def test_sealed_minutes_are_built_from_the_archived_version(run: Run, sealed: Path, tmp_path: Path) -> None:
    code, out, err = run("build", sealed, "--dokument", "referat", "--format", "pdf,txt", "--out", tmp_path / "ud")
    assert code == 0, err
    assert (tmp_path / "ud" / "referat.pdf").read_bytes() == signed_pdf(sealed)  # the signed file itself
    assert "bemærk: referat.pdf er det underskrevne referat fra arkivet (das-social/2026-02-23/udgave-1)" in out
    assert "Henrik Aarup-Kristensen indledte punktet med baggrund" in (tmp_path / "ud" / "referat.txt").read_text("utf-8")


def test_a_decision_changed_after_archiving_is_a_located_error_in_build_packet_and_publish(
        run: Run, sealed: Path, tmp_path: Path) -> None:
    path, line = edit_decision(sealed)
    message = (f"{path}:{line}:13: fejl: 'beslutning' er ændret efter at referatet blev underskrevet og arkiveret "
               "(das-social/2026-02-23/udgave-1); et underskrevet, arkiveret referat ændres ikke; ret det med "
               "'referat correction build'")
    before = tree(sealed.parent.parent / "arkiv")
    for command in (["build", sealed, "--out", tmp_path / "ud"], ["packet", sealed, "--out", tmp_path / "ud"],
                    ["publish", "--site", tmp_path / "site", sealed]):
        code, _, err = run(*command)
        assert code == 1, (command, err)
        assert message in err, (command, err)
    assert not (tmp_path / "ud").exists() and not (tmp_path / "site").exists()
    assert tree(sealed.parent.parent / "arkiv") == before
    # the agenda is not sealed: it still builds
    code, _, err = run("build", sealed, "--dokument", "dagsorden", "--format", "pdf", "--out", tmp_path / "ud")
    assert code == 0, err


def test_a_changed_title_a_new_item_and_a_replaced_bilag_are_named_too(run: Run, sealed: Path, tmp_path: Path) -> None:
    replace_in(sealed / "punkter" / ITEM, "titel: Udvikling af nyt takstskema", "titel: Nyt takstskema")
    bilag = sealed / "bilag" / "04-forslag-til-ny-takstskabelon.pdf"
    bilag.write_bytes(bilag.read_bytes() + b"\n% tilfoejet\n")
    code, _, err = run("build", sealed, "--dokument", "referat", "--format", "pdf", "--out", tmp_path / "ud")
    assert code == 1
    assert f"{sealed / 'punkter' / ITEM}:3:8: fejl: 'titel' er ændret efter at referatet blev underskrevet" in err
    assert "fejl: bilaget 04-forslag-til-ny-takstskabelon.pdf er udskiftet efter at referatet blev underskrevet" in err


def test_every_field_of_an_item_and_a_bilags_public_flag_are_sealed(run: Run, sealed: Path, tmp_path: Path) -> None:
    """The seal compared a fixed list of fields: a free section, a group, a closed item's public decision and
    reason, and a bilag made non-public after signing went into the public minutes and the site without a word.
    It compares every field of the model now (`lifecycle.diff.FIELDS`, made from the model)."""
    item, closed = sealed / "punkter" / ITEM, sealed / "punkter" / CLOSED
    replace_in(item, "    fil: 04-forslag-til-ny-takstskabelon.pdf\n",
               "    fil: 04-forslag-til-ny-takstskabelon.pdf\n    offentlig: false\n")
    item.write_text(item.read_text("utf-8") + "afsnit: [{overskrift: Tilføjet, tekst: Ny tekst.}]\n"
                    "gruppe: Sager til beslutning\n", "utf-8")
    replace_in(closed, "lukket_grundlag: Offentlighedslovens § 30, nr. 1",
               "lukket_grundlag: Offentlighedslovens § 30, nr. 2\noffentlig_beslutning: Noget nyt.")
    for command in (["build", sealed, "--dokument", "referat", "--format", "txt", "--offentlig", "--out",
                     tmp_path / "ud"], ["validate", sealed]):
        code, _, err = run(*command)
        assert code == 1, (command, err)
        for file, key in ((item, "afsnit"), (item, "gruppe"), (closed, "lukket_grundlag"),
                          (closed, "offentlig_beslutning")):
            assert f"{file}:" in err and f"fejl: '{key}' er ændret efter at referatet blev underskrevet" in err, \
                (command, key, err)
        assert ("fejl: bilaget 04-forslag-til-ny-takstskabelon.pdf er ikke længere offentligt efter at referatet "
                "blev underskrevet") in err, err
    assert not (tmp_path / "ud").exists()


def test_a_sealed_folder_set_back_to_the_agenda_phase_is_still_sealed(run: Run, sealed: Path, tmp_path: Path) -> None:
    """'fase: dagsorden' in an archived meeting's folder lifted the seal: `send` sent a new agenda after the
    minutes were signed, and `publish --site` published the agenda alone (the signed minutes gone from the site)."""
    replace_in(sealed / "møde.yaml", "fase: referat", "fase: dagsorden")
    sent_before = tree(sealed / "udsendt") if (sealed / "udsendt").exists() else None
    for command in (["send", sealed], ["publish", "--site", tmp_path / "site", sealed],
                    ["build", sealed, "--format", "txt", "--out", tmp_path / "ud"], ["validate", sealed]):
        code, _, err = run(*command)
        assert code == 1, (command, err)
        assert f"{sealed / 'møde.yaml'}:" in err and "fejl: 'fase' er ændret efter at referatet blev underskrevet " \
            "og arkiveret (das-social/2026-02-23/udgave-1)" in err, (command, err)
    assert not (tmp_path / "site").exists() and not (tmp_path / "ud").exists()
    assert (tree(sealed / "udsendt") if (sealed / "udsendt").exists() else None) == sent_before  # nothing sent


def test_no_item_is_imported_into_sealed_minutes(run: Run, sealed: Path) -> None:
    """`import --til` wrote a new item and a new møde.yaml into an archived meeting (exit 0)."""
    before = tree(sealed)
    document = Path(__file__).parent / "fixtures" / "word" / "kommune-skabelon.docx"
    code, _, err = run("import", document, "--til", sealed)
    assert code == 1, err
    assert f"{sealed / 'møde.yaml'}: fejl: mødets referat er underskrevet og arkiveret " \
        "(das-social/2026-02-23/udgave-1); der sættes ingen punkter ind" in err, err
    assert tree(sealed) == before


def test_archive_add_stores_where_the_meeting_folder_looks(run: Run, pki: Pki, cert_password: None, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """`archive add` wrote to arkiv/ in the working directory, while build, publish and serve look for the first
    arkiv/ in or above the meeting folder: added from another folder, the minutes were never sealed, without a
    word. Without --arkiv it stores in the archive the meeting finds; an archive the meeting will not find is
    named in a warning."""
    project = tmp_path / "projekt"
    folder = project / "moeder" / EXAMPLE.name
    shutil.copytree(EXAMPLE, folder)
    (project / "arkiv").mkdir()
    signed = sign_as_chair(build_minutes(folder, tmp_path / "ud"), pki, tmp_path / "underskrevet.pdf")
    elsewhere = tmp_path / "hjemme"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    code, _, err = run("archive", "add", folder, signed, "--rodcertifikat", pki.root_pem)
    assert code == 0, err
    assert (project / "arkiv" / "das-social" / "2026-02-23" / "udgave-1" / "referat-signeret.pdf").is_file()
    assert not (elsewhere / "arkiv").exists() and "finder ikke arkivet" not in err
    path, _ = edit_decision(folder)
    code, _, err = run("build", folder, "--dokument", "referat", "--format", "txt", "--out", tmp_path / "ud2")
    assert code == 1 and f"{Location(path).format()}:" in err, err
    assert "'beslutning' er ændret efter at referatet blev underskrevet" in err
    replace_in(path, "indledte punktet kort", "indledte punktet med baggrund")  # the folder as signed again
    other = tmp_path / "andet-arkiv"
    code, _, err = run("archive", "add", folder, signed, "--arkiv", other, "--rodcertifikat", pki.root_pem)
    assert f"{Location(folder).format()}: advarsel: mødets mappe finder ikke arkivet {other} (den finder {project / 'arkiv'}), så " \
        "build, publish og serve ser ikke referatet som underskrevet og arkiveret" in err, err


def test_a_new_date_does_not_lift_the_seal(run: Run, pki: Pki, sealed: Path, tmp_path: Path) -> None:
    """The archive is found by committee and date: a sealed folder given another date was not sealed any more —
    build made the changed minutes, and archive add stored them as a second meeting that contradicts the first.
    A folder named by a date (as `referat new` names it) is looked up under that date too."""
    assert sealed.name.startswith("2026-02-23-")
    replace_in(sealed / "møde.yaml", "dato: 2026-02-23", "dato: 2026-02-24")
    path, _ = edit_decision(sealed)
    for command in (["build", sealed, "--dokument", "referat", "--format", "pdf", "--out", tmp_path / "ud"],
                    ["validate", sealed]):
        code, _, err = run(*command)
        assert code == 1, (command, err)
        assert f"{sealed / 'møde.yaml'}:8:7: fejl: 'dato' er ændret efter at referatet blev underskrevet og " \
            "arkiveret (das-social/2026-02-23/udgave-1)" in err, (command, err)
        assert "Er mappen en kopi til et nyt møde, så giv kopien det nye mødes dato i navnet" in err
        assert f"{path}:" in err and "'beslutning' er ændret" in err
    archive = sealed.parent.parent / "arkiv"
    before = tree(archive)
    signed = tmp_path / "underskrevet-2.pdf"
    shutil.copyfile(sealed.parent.parent / "underskrevet.pdf", signed)
    code, _, err = run("archive", "add", sealed, signed, "--rodcertifikat", pki.root_pem)
    assert code == 1 and "'dato' er ændret" in err, err
    assert tree(archive) == before and not (archive / "das-social" / "2026-02-24").exists()


def test_follow_up_tasks_may_change_after_archiving(run: Run, sealed: Path, tmp_path: Path) -> None:
    """The decisions' tasks are kept up to date in the folder after the meeting; they are not in the signed text."""
    path = sealed / "punkter" / ITEM
    path.write_text(path.read_text("utf-8") + "opfølgning:\n  - {opgave: Nyt skema afprøves, ansvarlig: "
                                              "Sekretariatet, frist: 2026-06-30, status: udført}\n", "utf-8")
    code, _, err = run("build", sealed, "--dokument", "referat", "--format", "pdf", "--out", tmp_path / "ud")
    assert code == 0, err


@pytest.fixture
def client(sealed: Path) -> Iterator[TestClient]:
    with TestClient(create_app(sealed, TOKEN, watch=False), base_url="http://127.0.0.1") as c:
        assert c.get("/", params={"token": TOKEN}).status_code == 200
        yield c


def test_serve_shows_sealed_minutes_read_only_and_refuses_saves(client: TestClient, sealed: Path) -> None:
    page = client.get("/skriv").text
    assert "Referatet er underskrevet og arkiveret (referat underskrevet og arkiveret " \
           "(das-social/2026-02-23/udgave-1)); det vises her, men kan ikke ændres." in page
    assert '<fieldset class="forseglet" disabled>' in page
    path = sealed / "punkter" / ITEM
    before = path.read_bytes()
    import hashlib

    answer = client.post("/api/gem/beslutning", headers={"X-Referat-Token": TOKEN},
                         json={"fil": ITEM, "tekst": "Godkendt", "sha256": hashlib.sha256(before).hexdigest()})
    assert answer.status_code == 409
    assert answer.json()["fejl"].startswith("referatet kan ikke ændres her: referat underskrevet og arkiveret")
    assert path.read_bytes() == before
    # the signed file is the internal PDF the preview offers
    assert client.get("/dokument/referat/intern.pdf").content == signed_pdf(sealed)


def test_serve_shows_a_folder_changed_after_archiving_as_errors(client: TestClient, sealed: Path) -> None:
    _, line = edit_decision(sealed)
    client.app.live.state.refresh(force=True)  # type: ignore[attr-defined]
    state = client.get("/api/tilstand").json()
    assert state["fejl"]
    assert any(m["sted"] == f"punkter/{ITEM}:{line}:13" and m["tekst"].startswith(
        "'beslutning' er ændret efter at referatet blev underskrevet og arkiveret") for m in state["beskeder"])
    assert client.get("/dokument/referat/intern.html").status_code == 409


def _correction(folder: Path) -> Path:
    path = folder.parent / "rettelse.yaml"
    path.write_text("rettet_af: Sekretariatet\nbegrundelse: En fejl i referatet.\nrettelser:\n"
                    "  - punkt: \"4\"\n    tekst: I beslutningen rettes 'horisontalt' til 'vandret'.\n"
                    "  - punkt: \"5\"\n    tekst: I beslutningen rettes et navn.\n", "utf-8")
    return path


def test_a_correction_is_made_from_the_archived_version_not_the_folder(run: Run, sealed: Path, tmp_path: Path) -> None:
    """The folder was edited after archiving (item 4 retitled, item 5 opened): the correction still names item 4 by
    its archived title and prints item 5 as 'Lukket', as the signed minutes do."""
    replace_in(sealed / "punkter" / ITEM, "titel: Udvikling af nyt takstskema", "titel: Et helt andet punkt")
    replace_in(sealed / "punkter" / CLOSED, "adgang: lukket\nlukket_grundlag: Offentlighedslovens § 30, nr. 1",
               "adgang: åben")
    archive = sealed.parent.parent / "arkiv"
    code, _, err = run("correction", "build", sealed, _correction(sealed), "--arkiv", archive,
                       "--out", tmp_path / "ud")
    assert code == 0, err
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(tmp_path / "ud" / "rettelse.pdf").pages).split())
    assert "Udvikling af nyt takstskema" in text and "Et helt andet punkt" not in text
    start = text.rindex("Status på sundhedstjek på botilbud")  # the item itself, after the table of contents
    assert "Lukket" in text[max(0, start - 40):start]
    assert "Åben" not in text[max(0, start - 40):start]
