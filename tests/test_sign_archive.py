"""Signed minutes end to end: sign with a generated PKI, archive, verify, search; read back with pyHanko."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader, PdfWriter

from conftest import (
    EXAMPLE,
    ROOT,
    Run,
    archived_into,
    build_minutes,
    meeting_copy,
    replace_in,
    sign,
    sign_as_chair,
)
from conftest import archive_add as add
from pki import PASSWORD, Pki
from referat.signing.structure import DIFF_POLICY

pytestmark = pytest.mark.usefixtures("cert_password")  # every test here signs or archives with the PKI's password


@pytest.fixture(scope="module")
def signed(minutes: Path, pki: Pki) -> Path:
    """The example minutes signed by the chair (visible) and then the secretariat (invisible)."""
    first = sign(minutes, pki.formand, minutes.parent / "underskrevet-1.pdf", "--rolle", "formand", "--synlig")
    return sign(first, pki.sekretariat, minutes.parent / "underskrevet.pdf", "--rolle", "sekretariat")


def snapshot(archive: Path) -> dict[str, str]:
    """Every file of the archive (staging and lock aside) with its hash, plus the index rows."""
    files = {str(p.relative_to(archive)): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in sorted(archive.rglob("*")) if p.is_file() and not p.relative_to(archive).parts[0].startswith(".")
             and p.name != "index.sqlite"}
    with sqlite3.connect(archive / "index.sqlite") as conn:
        files["index"] = repr(conn.execute("SELECT sti, sha256 FROM udgaver ORDER BY sti").fetchall())
    return files


def manifest_of(archive: Path, version: int = 1) -> dict:
    return json.loads((archive / "das-social" / "2026-02-23" / f"udgave-{version}" / "manifest.json").read_text("utf-8"))


# --- signing -------------------------------------------------------------------------------------------------


def test_two_successive_signatures_both_validate(signed: Path, minutes: Path, pki: Pki) -> None:
    data = signed.read_bytes()
    assert data.startswith(minutes.read_bytes()), "signing must append, never rewrite the minutes"
    root = load_cert_from_pemder(str(pki.root_pem))
    with signed.open("rb") as fh:
        sigs = PdfFileReader(fh).embedded_signatures
        assert [s.field_name for s in sigs] == ["Underskrift 1", "Underskrift 2"]
        # referat's difference policy: pyHanko's default plus the structure-tree entries of a later tagged
        # signature field (issue 25, item 4; tests/test_longterm_signatures.py shows what it still refuses)
        statuses = [validate_pdf_signature(s, ValidationContext(trust_roots=[root]), diff_policy=DIFF_POLICY)
                    for s in sigs]
        reasons = [str(s.sig_object["/Reason"]) for s in sigs]
        subfilters = [str(s.sig_object["/SubFilter"]) for s in sigs]
    assert all(st.intact and st.valid and st.trusted and st.bottom_line for st in statuses)
    assert statuses[0].coverage == SignatureCoverageLevel.ENTIRE_REVISION
    assert statuses[1].coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert reasons == ["Godkendelse af referat"] * 2
    assert subfilters == ["/ETSI.CAdES.detached"] * 2  # PAdES
    assert statuses[0].signing_cert.subject.native["common_name"] == "Henrik Aarup-Kristensen"
    roles = [[v.native["role_name"]["common_name"] for a in st.cades_signer_attrs.claimed_attrs for v in a.attr_values]
             for st in statuses]
    assert roles == [["formand"], ["sekretariat"]]


def test_visible_signature_is_a_box_on_the_last_page(signed: Path) -> None:
    reader = PdfReader(signed)
    last = reader.pages[-1]
    widgets = [a.get_object() for a in last.get("/Annots", [])]
    sig_widgets = [w for w in widgets if w.get("/FT") == "/Sig" or w.get("/Parent", {}).get("/FT") == "/Sig"]
    boxes = [[float(v) for v in w["/Rect"]] for w in sig_widgets]
    visible = [b for b in boxes if b[2] - b[0] > 0 and b[3] - b[1] > 0]
    assert len(visible) == 1, boxes  # the chair's; the secretariat signed invisibly
    x1, y1, x2, y2 = visible[0]
    assert 0 < x1 < x2 < float(last.mediabox.right) and 50 < y1 < y2 < float(last.mediabox.top)
    elsewhere = [a.get_object() for p in reader.pages[:-1] for a in p.get("/Annots", [])]
    assert all(float(w["/Rect"][2]) - float(w["/Rect"][0]) == 0 for w in elsewhere if w.get("/FT") == "/Sig")
    text = PdfReader(signed).pages[-1].extract_text()
    assert "Punkt 17." in text  # the box is an annotation: the page's own text is untouched


def test_a_later_visible_signature_goes_beside_the_first(run: Run, signed: Path, pki: Pki, tmp_path: Path) -> None:
    third = sign(signed, pki.formand, tmp_path / "tre.pdf", "--navn", "Næstformand", "--synlig")
    last = PdfReader(third).pages[-1]
    boxes = [[float(v) for v in a.get_object()["/Rect"]] for a in last.get("/Annots", [])
             if a.get_object().get("/FT") == "/Sig"]
    (a, b) = [box for box in boxes if box[2] > box[0]]
    assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], "the boxes must not overlap"
    code, _, err = add(run, tmp_path / "arkiv", third, "--rodcertifikat", pki.root_pem)
    assert code == 0, err
    signers = json.loads(next((tmp_path / "arkiv").rglob("manifest.json")).read_text("utf-8"))["underskrifter"]
    assert [s["navn"] for s in signers] == ["Henrik Aarup-Kristensen", "Sekretariat for Nordjysk Socialaftale",
                                            "Næstformand"]


def test_sign_refuses_a_wrong_password_and_takes_none_on_the_command_line(
        run: Run, minutes: Path, pki: Pki, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REFERAT_CERT_PASSWORD", "forkert")
    code, _, err = run("sign", minutes, "--cert", pki.formand, "--out", tmp_path / "x.pdf")
    assert code == 1 and "forkert adgangskode" in err and "formand.p12" in err
    assert not (tmp_path / "x.pdf").exists()
    with pytest.raises(SystemExit) as usage:
        run("sign", minutes, "--cert", pki.formand, "--out", tmp_path / "x.pdf", "--password", PASSWORD)
    assert usage.value.code == 2
    monkeypatch.delenv("REFERAT_CERT_PASSWORD")
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code, _, err = run("sign", minutes, "--cert", pki.formand, "--out", tmp_path / "x.pdf")
    assert code == 1 and "REFERAT_CERT_PASSWORD" in err


def test_sign_and_add_name_the_file_they_cannot_use(run: Run, pki: Pki, tmp_path: Path) -> None:
    text = tmp_path / "referat.txt"
    text.write_text("ikke en PDF", "utf-8")
    code, _, err = run("sign", text, "--cert", pki.formand, "--out", tmp_path / "x.pdf")
    assert code == 1 and "referat.txt: fejl: filen er ikke en PDF" in err
    code, _, err = add(run, tmp_path / "arkiv", tmp_path / "mangler.pdf")
    assert code == 1 and "mangler.pdf: fejl: filen findes ikke" in err
    code, _, err = add(run, tmp_path / "arkiv", text)
    assert code == 1 and "referat.txt: fejl: filen er ikke en PDF-fil" in err


def test_timestamp_server_gives_pades_b_t(run: Run, minutes: Path, pki: Pki, tmp_path: Path) -> None:
    """A local RFC 3161 server (pyHanko's test TSA behind http.server) stamps the signature."""
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    from asn1crypto import keys as asn1_keys
    from asn1crypto import tsp
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    stamper = DummyTimeStamper(
        asn1_x509.Certificate.load(pki.tsa_cert.public_bytes(serialization.Encoding.DER)),
        asn1_keys.PrivateKeyInfo.load(pki.tsa_key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())))

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            body = stamper.request_tsa_response(request).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        out = sign(minutes, pki.formand, tmp_path / "bt.pdf", "--niveau", "B-T", "--tidsstempel",
                   f"http://127.0.0.1:{server.server_port}/")
    finally:
        server.shutdown()
    root = load_cert_from_pemder(str(pki.root_pem))
    with out.open("rb") as fh:
        (sig,) = PdfFileReader(fh).embedded_signatures
        status = validate_pdf_signature(sig, ValidationContext(trust_roots=[root]))
    assert status.bottom_line and status.timestamp_validity is not None and status.timestamp_validity.trusted
    code, _, err = add(run, tmp_path / "arkiv", out, "--rodcertifikat", pki.root_pem)
    assert code == 0, err
    entry = json.loads(next((tmp_path / "arkiv").rglob("manifest.json")).read_text("utf-8"))["underskrifter"][0]
    assert entry["tidsstempel"] and entry["tidsstempel_betroet"] is True


def test_unreachable_timestamp_server_is_a_clear_error(run: Run, minutes: Path, pki: Pki, tmp_path: Path) -> None:
    code, _, err = run("sign", minutes, "--cert", pki.formand, "--out", tmp_path / "x.pdf", "--niveau", "B-T",
                       "--tidsstempel", "http://127.0.0.1:9/")
    assert code == 1 and "referat.pdf: fejl: tidsstempelserveren http://127.0.0.1:9/ svarer ikke" in err
    assert not (tmp_path / "x.pdf").exists()


# --- archive add ---------------------------------------------------------------------------------------------


def test_archive_add_stores_the_exact_file_with_its_manifest(run: Run, signed: Path, pki: Pki, tmp_path: Path) -> None:
    archive = tmp_path / "arkiv"
    code, out, err = add(run, archive, signed, "--rodcertifikat", pki.root_pem)
    assert code == 0, err
    stored = archive / "das-social" / "2026-02-23" / "udgave-1" / "referat-signeret.pdf"
    assert stored.read_bytes() == signed.read_bytes()
    assert not stored.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)  # write-once
    m = manifest_of(archive)
    assert m["sha256"] == hashlib.sha256(signed.read_bytes()).hexdigest()
    assert (m["udvalg"], m["dato"], m["sagsnummer"], m["status"]) == ("das-social", "2026-02-23", "2026-005746",
                                                                     "verificeret")
    assert m["sammenligning"] == "byte-identisk"
    signers = m["underskrifter"]
    assert [(s["navn"], s["rolle"], s["tillid"], s["dækker"]) for s in signers] == [
        ("Henrik Aarup-Kristensen", "formand", "betroet", "sin revision"),
        ("Sekretariat for Nordjysk Socialaftale", "sekretariat", "betroet", "hele filen")]
    with signed.open("rb") as fh:
        certs = [s.signer_cert.sha256.hex() for s in PdfFileReader(fh).embedded_signatures]
    assert [s["certifikat"]["sha256"] for s in signers] == certs
    assert all(s["tidspunkt"] and s["rodcertifikat"]["emne"].endswith("Referat Test Rod-CA, Country: DK")
               for s in signers)
    assert [p["nummer"] for p in m["punkter"]] == [str(n) for n in range(1, 18)]
    assert all(p["beslutning"] for p in m["punkter"])
    assert "Bifrost" in m["punkter"][2]["beslutning"]
    assert "arkiverede" in out and "betroet" in out


def test_verify_names_a_file_with_one_byte_changed(run: Run, signed: Path, minutes: Path, pki: Pki,
                                                   tmp_path: Path) -> None:
    archive = tmp_path / "arkiv"
    assert add(run, archive, signed, "--rodcertifikat", pki.root_pem)[0] == 0
    again = sign_as_chair(minutes, pki, tmp_path / "igen.pdf")
    assert add(run, archive, again, "--rodcertifikat", pki.root_pem)[0] == 0
    code, out, _ = run("archive", "verify", "--arkiv", archive)
    assert code == 0 and "2 udgaver kontrolleret" in out
    target = archive / "das-social" / "2026-02-23" / "udgave-1" / "referat-signeret.pdf"
    data = bytearray(target.read_bytes())
    data[len(data) // 3] ^= 0x01
    target.chmod(0o644)
    target.write_bytes(bytes(data))
    code, out, err = run("archive", "verify", "--arkiv", archive)
    assert code == 1
    assert "das-social/2026-02-23/udgave-1/referat-signeret.pdf: fejl: filen er ændret siden arkiveringen" in err
    # the unchanged version is no error (a PAdES B-B file gets a warning that it cannot be proven for long, issue 25)
    assert "udgave-2/referat-signeret-2.pdf: fejl" not in err and "ok  " in out and "referat-signeret-2.pdf" in out


def test_verify_catches_a_changed_manifest_and_a_broken_signature(run: Run, signed: Path, pki: Pki,
                                                                  tmp_path: Path) -> None:
    archive = tmp_path / "arkiv"
    assert add(run, archive, signed, "--rodcertifikat", pki.root_pem)[0] == 0
    folder = archive / "das-social" / "2026-02-23" / "udgave-1"
    manifest = folder / "manifest.json"
    data = json.loads(manifest.read_text("utf-8"))
    data["punkter"][2]["beslutning"] = "Ingen beslutning."
    manifest.chmod(0o644)
    manifest.write_text(json.dumps(data), "utf-8")
    code, _, err = run("archive", "verify", "--arkiv", archive)
    assert code == 1 and "manifest.json: fejl: manifestet er ændret siden arkiveringen" in err
    # A consistent forgery: the file changed and the manifest's hash updated to match; the signature says no.
    pdf = folder / "referat-signeret.pdf"
    raw = bytearray(pdf.read_bytes())
    raw[raw.rindex(b"/Reason") + 9] ^= 0x01  # inside the secretariat's signature dictionary
    pdf.chmod(0o644)
    pdf.write_bytes(bytes(raw))
    data["sha256"] = hashlib.sha256(bytes(raw)).hexdigest()
    manifest.write_text(json.dumps(data), "utf-8")
    code, _, err = run("archive", "verify", "--arkiv", archive)
    assert code == 1 and "referat-signeret.pdf: fejl: underskriften 'Underskrift 2'" in err and "brudt" in err


def test_a_change_appended_after_the_last_signature_is_refused(run: Run, signed: Path, pki: Pki,
                                                               tmp_path: Path) -> None:
    writer = PdfWriter(signed, incremental=True)
    writer.add_metadata({"/Title": "Referat – rettet efter underskriften"})
    changed = tmp_path / "rettet.pdf"
    with changed.open("wb") as fh:
        writer.write(fh)
    assert changed.read_bytes().startswith(signed.read_bytes())  # the signed bytes themselves are intact
    code, _, err = add(run, tmp_path / "arkiv", changed, "--rodcertifikat", pki.root_pem)
    assert code == 1 and "rettet.pdf: fejl: underskriften 'Underskrift 2'" in err
    assert "ændret efter den sidste underskrift" in err


@pytest.mark.parametrize(("name", "file", "old", "new", "messages"), [
    pytest.param("andet", "møde.yaml", "dato: 2026-02-23", "dato: 2026-02-24",
                 ["andet.pdf: fejl: det underskrevne referat er ikke fra dette møde",
                  "23. februar 2026", "24. februar 2026"],  # ours, and the PDF's title
                 id="et-andet-moede"),
    pytest.param("ændret", "punkter/03-planer-ungehjemmet-bifrost.yaml", "baggrunden for punktet",
                 "forgrunden for punktet",
                 ["ændret.pdf: fejl: punkt 3 'Godkendelse af planer", "beslutningen afviger",
                  "»forgrunden for punktet", "»baggrunden for punktet"],
                 id="aendret-beslutning"),
])
def test_minutes_of_another_meeting_or_text_are_refused(run: Run, pki: Pki, tmp_path: Path, name: str, file: str,
                                                        old: str, new: str, messages: list[str]) -> None:
    other = meeting_copy(tmp_path, lambda f: replace_in(f / file, old, new), name)
    pdf = sign(build_minutes(other, tmp_path / f"{name}-ud"), pki.formand, tmp_path / f"{name}.pdf")
    archive = tmp_path / "arkiv"
    code, _, err = add(run, archive, pdf, "--rodcertifikat", pki.root_pem)
    assert code == 1
    for message in messages:
        assert message in err
    assert not (archive / "das-social").exists()


def test_resaved_elsewhere_is_accepted_when_the_text_matches_item_by_item(run: Run, minutes: Path, pki: Pki,
                                                                         tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=PdfReader(minutes))
    writer.add_metadata({"/Producer": "Et andet program"})
    resaved = tmp_path / "gemt-igen.pdf"
    with resaved.open("wb") as fh:
        writer.write(fh)
    assert not resaved.read_bytes().startswith(minutes.read_bytes())
    pdf = sign(resaved, pki.formand, tmp_path / "gemt-igen-underskrevet.pdf")
    archive = tmp_path / "arkiv"
    code, _, err = add(run, archive, pdf, "--rodcertifikat", pki.root_pem)
    assert code == 0, err
    assert manifest_of(archive)["sammenligning"] == "tekst punkt for punkt"


def test_unsigned_file_is_refused_unless_scanned(run: Run, minutes: Path, tmp_path: Path) -> None:
    archive = tmp_path / "arkiv"
    code, _, err = add(run, archive, minutes)
    assert code == 1 and "referat.pdf: fejl: filen har ingen digital underskrift" in err and "--scannet" in err
    assert not (archive / "das-social").exists()
    code, _, err = add(run, archive, minutes, "--scannet")
    assert code == 0, err
    m = manifest_of(archive)
    assert m["status"] == "scannet/uverificeret"
    assert [s["tillid"] for s in m["underskrifter"]] == ["scannet/uverificeret"]


def test_image_only_scan_needs_the_scanned_flag(run: Run, tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)  # no text layer, as a scan without OCR
    scan = tmp_path / "scan.pdf"
    with scan.open("wb") as fh:
        writer.write(fh)
    archive = tmp_path / "arkiv"
    code, _, err = add(run, archive, scan)
    assert code == 1 and "ingen tekst" in err
    code, _, err = add(run, archive, scan, "--scannet")
    assert code == 0, err
    assert manifest_of(archive)["sammenligning"].startswith("ikke sammenlignet")


def test_self_signed_only_with_the_flag_and_recorded(run: Run, minutes: Path, pki: Pki, tmp_path: Path) -> None:
    pdf = sign(minutes, pki.selvsigneret, tmp_path / "selv.pdf", "--navn", "Søren", "--rolle", "formand")
    archive = tmp_path / "arkiv"
    code, _, err = add(run, archive, pdf, "--rodcertifikat", pki.root_pem)
    assert code == 1 and "selvsigneret certifikat" in err and "--tillad-selvsigneret" in err
    code, _, err = add(run, archive, pdf, "--tillad-selvsigneret")
    assert code == 0, err
    (entry,) = manifest_of(archive)["underskrifter"]
    assert (entry["navn"], entry["tillid"]) == ("Søren", "selvsigneret")
    assert run("archive", "verify", "--arkiv", archive)[0] == 0


def test_untrusted_issuer_is_refused_and_roots_come_from_the_profile_too(run: Run, signed: Path, pki: Pki,
                                                                        tmp_path: Path) -> None:
    archive = tmp_path / "arkiv"
    code, _, err = add(run, archive, signed)
    assert code == 1 and "ikke betroet, der er ingen rodcertifikater angivet" in err
    code, _, err = add(run, archive, signed, "--rodcertifikat", pki.other_root_pem)
    assert code == 1 and "kan ikke føres tilbage til de 1 angivne rodcertifikater" in err
    templates = tmp_path / "templates"
    (templates / "udvalg").mkdir(parents=True)
    shutil.copytree(ROOT / "templates" / "word", templates / "word")
    profile = (ROOT / "templates" / "udvalg" / "das-social.yaml").read_text("utf-8")
    shutil.copy(pki.root_pem, templates / "udvalg" / "rod.pem")
    (templates / "udvalg" / "das-social.yaml").write_text(profile + "rodcertifikater: [rod.pem]\n", "utf-8")
    code, _, err = add(run, archive, signed, "--skabeloner", templates)
    assert code == 0, err


def test_every_item_needs_a_decision(run: Run, signed: Path, pki: Pki, tmp_path: Path) -> None:
    def drop(folder: Path) -> None:
        path = folder / "punkter" / "05-sundhedstjek-paa-botilbud.yaml"
        text = path.read_text("utf-8")
        path.write_text(text[:text.index("beslutning:")], "utf-8")

    folder = meeting_copy(tmp_path, drop, "uden-beslutning")
    code, _, err = add(run, tmp_path / "arkiv", signed, "--rodcertifikat", pki.root_pem, folder=folder)
    assert code == 1
    assert "05-sundhedstjek-paa-botilbud.yaml:1:1: fejl: punkt 5 mangler en beslutning" in err
    assert not (tmp_path / "arkiv").exists()


def test_a_second_version_goes_beside_the_first(run: Run, signed: Path, minutes: Path, pki: Pki,
                                                tmp_path: Path) -> None:
    archive = tmp_path / "arkiv"
    assert add(run, archive, signed, "--rodcertifikat", pki.root_pem)[0] == 0
    first = archive / "das-social" / "2026-02-23" / "udgave-1" / "referat-signeret.pdf"
    before = first.read_bytes()
    only_chair = sign(minutes, pki.formand, tmp_path / "kun-formand.pdf", "--rolle", "formand")
    code, out, err = add(run, archive, only_chair, "--rodcertifikat", pki.root_pem)
    assert code == 0, err
    assert "udgave 2" in out
    second = archive / "das-social" / "2026-02-23" / "udgave-2" / "referat-signeret-2.pdf"
    assert second.read_bytes() == only_chair.read_bytes() and first.read_bytes() == before
    code, out, _ = run("archive", "list", "--arkiv", archive)
    assert code == 0 and "udgave 1" in out and "udgave 2" in out
    code, out, _ = run("search", "Bifrost", "--arkiv", archive)
    assert out.count("punkt 3:") == 1  # the newest version of a meeting answers, once


# --- search and the decision register ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def filled(signed: Path, pki: Pki, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An archive holding the example minutes signed by the chair and the secretariat."""
    return archived_into(tmp_path_factory.mktemp("fyldt") / "arkiv", signed, pki)


@pytest.mark.parametrize("query", ["Bifrost", "bifrost*", "BIFROST", "ungehjem", "Ungehjemmet Bifrost",
                                   "ungehjemmets", '"Ungehjemmet" bifrost'])
def test_search_finds_the_bifrost_decisions(run: Run, filled: Path, query: str) -> None:
    code, out, err = run("search", query, "--arkiv", filled)
    assert code == 0, err
    assert "DAS Social 23.02.2026, punkt 3: Godkendelse af planer for kommunikation om samt afdækning af unge til " \
           "Ungehjemmet Bifrost" in out
    assert "»" in out


def test_search_folds_danish_letters_the_same_way_on_both_sides(run: Run, filled: Path) -> None:
    answers = {q: run("search", q, "--arkiv", filled)[1] for q in ("børne", "boerne", "BØRNE", "målgruppen",
                                                                    "maalgruppen", "malgruppen")}
    assert "punkt 3:" in answers["børne"] and answers["børne"] == answers["boerne"] == answers["BØRNE"]
    assert "punkt 3:" in answers["målgruppen"] and answers["målgruppen"] == answers["maalgruppen"]
    assert "ingen træf" in answers["malgruppen"]  # å is aa, not a: no false friends


def test_search_stems_danish_inflections(run: Run, filled: Path) -> None:
    out = run("search", "planerne", "--arkiv", filled)[1]  # the text has 'planer', 'planen', 'planerne'
    assert "punkt 3:" in out
    code, out, _ = run("search", "xyzzy", "--arkiv", filled)
    assert code == 0 and "ingen træf for 'xyzzy'" in out
    code, _, err = run("search", "***", "--arkiv", filled)
    assert code == 1 and "ingen ord" in err


def test_an_unreadable_index_is_rebuilt_from_the_manifests(run: Run, signed: Path, pki: Pki,
                                                            tmp_path: Path) -> None:
    archive = tmp_path / "arkiv"
    assert add(run, archive, signed, "--rodcertifikat", pki.root_pem)[0] == 0
    (archive / "index.sqlite").write_bytes(b"dette er ikke en database" * 100)
    code, out, _ = run("search", "Bifrost", "--arkiv", archive)
    assert code == 0 and "punkt 3:" in out
    assert run("archive", "verify", "--arkiv", archive)[0] == 0


def test_decisions_csv_has_one_row_per_item(run: Run, filled: Path) -> None:
    code, out, err = run("decisions", "--csv", "--arkiv", filled)
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out), delimiter=";"))
    assert len(rows) == 17 and [r["punkt"] for r in rows] == [str(n) for n in range(1, 18)]
    assert all(r["beslutning"] and r["dato"] == "2026-02-23" and r["udvalg"] == "DAS Social" for r in rows)
    assert "Bifrost" in rows[2]["titel"] and "Bifrost" in rows[2]["beslutning"]
    assert "\n" in rows[2]["beslutning"]  # paragraphs survive the CSV quoting
    target = filled.parent / "beslutninger.csv"
    assert run("decisions", "--out", target, "--arkiv", filled)[0] == 0
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")


# --- crash safety --------------------------------------------------------------------------------------------


def _cli(*args: object, crash: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "REFERAT_CERT_PASSWORD": PASSWORD}
    env.pop("REFERAT_TEST_CRASH_AFTER", None)
    if crash:
        env["REFERAT_TEST_CRASH_AFTER"] = crash
    return subprocess.run([sys.executable, "-m", "referat", *map(str, args)], env=env, capture_output=True,
                          text=True, timeout=120, check=False)


def test_a_killed_add_leaves_the_archive_as_before(signed: Path, minutes: Path, pki: Pki, tmp_path: Path) -> None:
    archive = tmp_path / "arkiv"
    assert _cli("archive", "add", EXAMPLE, signed, "--arkiv", archive, "--rodcertifikat", pki.root_pem).returncode == 0
    again = sign_as_chair(minutes, pki, tmp_path / "igen.pdf")
    args = ("archive", "add", EXAMPLE, again, "--arkiv", archive, "--rodcertifikat", pki.root_pem)
    before = snapshot(archive)
    died = _cli(*args, crash="copy")  # everything written and fsynced, not yet renamed into place
    assert died.returncode == 1 and "arkiverede" not in died.stdout
    assert any((archive / ".indgang").iterdir()), "the test hook did stop midway"
    assert snapshot(archive) == before
    verified = _cli("archive", "verify", "--arkiv", archive)
    assert verified.returncode == 0 and "1 udgave kontrolleret" in verified.stdout
    assert _cli(*args).returncode == 0
    assert not any((archive / ".indgang").iterdir()), "the next add clears what the crash left"
    assert (archive / "das-social" / "2026-02-23" / "udgave-2" / "manifest.json").is_file()


def test_an_add_killed_after_the_rename_is_indexed_by_the_next_command(signed: Path, minutes: Path, pki: Pki,
                                                                        tmp_path: Path) -> None:
    archive = tmp_path / "arkiv"
    assert _cli("archive", "add", EXAMPLE, signed, "--arkiv", archive, "--rodcertifikat", pki.root_pem).returncode == 0
    again = sign_as_chair(minutes, pki, tmp_path / "igen.pdf")
    args = ("archive", "add", EXAMPLE, again, "--arkiv", archive, "--rodcertifikat", pki.root_pem)
    assert _cli(*args, crash="rename").returncode == 1  # in place, index not yet updated
    with sqlite3.connect(archive / "index.sqlite") as conn:
        assert conn.execute("SELECT count(*) FROM udgaver").fetchone() == (1,)
    listed = _cli("archive", "list", "--arkiv", archive)
    assert listed.returncode == 0 and "udgave 2" in listed.stdout and "nu indekseret" in listed.stderr
    assert _cli("archive", "verify", "--arkiv", archive).returncode == 0


def test_a_process_killed_at_any_moment_leaves_a_consistent_archive(signed: Path, minutes: Path, pki: Pki,
                                                                    tmp_path: Path) -> None:
    """SIGKILL at several moments of a real add: the archive is always either as before or one version on."""
    import signal
    import time

    archive = tmp_path / "arkiv"

    def args(pdf: Path) -> list[str]:
        return [sys.executable, "-m", "referat", "archive", "add", str(EXAMPLE), str(pdf), "--arkiv", str(archive),
                "--rodcertifikat", str(pki.root_pem)]

    assert _cli(*args(signed)[3:]).returncode == 0
    for n, delay in enumerate((0.3, 0.9, 1.5, 2.5)):
        again = sign_as_chair(minutes, pki, tmp_path / f"igen-{n}.pdf")  # a new file each time: no duplicate refusal
        before = snapshot(archive)
        proc = subprocess.Popen(args(again), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        result = _cli("archive", "verify", "--arkiv", archive)
        assert result.returncode == 0, result.stderr
        after = snapshot(archive)
        added = set(after) - set(before)
        assert all(after[k] == v for k, v in before.items() if k != "index")
        # nothing, or one complete version: PDF, manifest and the meeting data (møde.yaml and every item file)
        assert len(added) in (0, 2 + 1 + len(list((EXAMPLE / "punkter").glob("*.yaml")))), added


# --- previous minutes from the archive -----------------------------------------------------------------------


def test_next_meeting_takes_the_previous_minutes_from_the_archive(run: Run, signed: Path, pki: Pki,
                                                                  tmp_path: Path) -> None:
    assert add(run, tmp_path / "arkiv", signed, "--rodcertifikat", pki.root_pem)[0] == 0

    def next_meeting(folder: Path) -> None:
        replace_in(folder / "møde.yaml", "dato: 2026-02-23", "dato: 2026-05-22")
        replace_in(folder / "møde.yaml", "  dato: 2026-05-22", "  dato: 2026-09-01")
        replace_in(folder / "punkter" / "02-godkendelse-af-referat.yaml",
                   "fil: 02-das-social-referat-2025-11-17.pdf", "arkiv: das-social/2026-02-23")

    folder = meeting_copy(tmp_path / "møder", next_meeting, "2026-05-22-das-social")
    code, _, err = run("validate", folder)
    assert code == 0, err
    out = tmp_path / "ud"
    code, _, err = run("packet", folder, "--dokument", "referat", "--out", out)
    assert code == 0, err
    packet = PdfReader(out / "referat-med-bilag.pdf")
    signed_pages = len(PdfReader(signed).pages)
    archived_text = PdfReader(signed).pages[0].extract_text()
    starts = [i for i, p in enumerate(packet.pages) if archived_text in p.extract_text()]
    assert starts, "the archived minutes' first page is in the packet"
    assert len(packet.pages) >= len(PdfReader(out / "referat.pdf").pages) + 1 + signed_pages

    replace_in(folder / "punkter" / "02-godkendelse-af-referat.yaml", "das-social/2026-02-23",
               "das-social/2026-02-23/udgave-1")
    assert run("validate", folder)[0] == 0
    replace_in(folder / "punkter" / "02-godkendelse-af-referat.yaml", "das-social/2026-02-23/udgave-1",
               "das-social/2025-11-17")
    code, _, err = run("validate", folder)
    assert code == 1
    assert "02-godkendelse-af-referat.yaml:8:12: fejl: arkivet" in err and "'das-social/2025-11-17'" in err


def test_a_tampered_archived_bilag_is_refused(run: Run, signed: Path, pki: Pki, tmp_path: Path) -> None:
    archive = tmp_path / "arkiv"
    assert add(run, archive, signed, "--rodcertifikat", pki.root_pem)[0] == 0
    stored = archive / "das-social" / "2026-02-23" / "udgave-1" / "referat-signeret.pdf"
    stored.chmod(0o644)
    stored.write_bytes(stored.read_bytes() + b"\n% tilfoejet\n")
    folder = meeting_copy(tmp_path, lambda f: replace_in(
        f / "punkter" / "02-godkendelse-af-referat.yaml", "fil: 02-das-social-referat-2025-11-17.pdf",
        "arkiv: das-social/2026-02-23"), "næste")
    code, _, err = run("validate", folder)
    assert code == 1 and "er ændret siden arkiveringen" in err
    assert "et møde kan ikke vedlægge sit eget referat" not in err


def test_a_bilag_has_exactly_one_source(make_meeting: Callable[..., Path], run: Run) -> None:
    folder = make_meeting({"01.yaml": "titel: T\nbilag:\n  - titel: B\n    fil: b.pdf\n    arkiv: das-social/2026-02-23\n"})
    code, _, err = run("validate", folder)
    assert code == 1 and "01.yaml:3:5: fejl: et bilag skal have enten 'fil' eller 'referat' eller 'arkiv'" in err
    assert "fil og arkiv, ikke begge" in err
