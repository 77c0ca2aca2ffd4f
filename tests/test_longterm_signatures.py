"""Signatures that last (issue 25): PAdES B-LT and B-LTA from `referat sign`, an archive that keeps them provable
(levels recorded, B-T brought to B-LTA on the way in, renewals, offline verification at any moment), the signer
named as the certificate says, and signed minutes that stay tagged.

The PKI is certomancer's, served on 127.0.0.1 by the `services` fixture (tests/ltv_pki.py): a root CA with an OCSP
responder and a CRL, an issuing CA with a CRL only (the secretariat's), two timestamp authorities (the first one's
certificate expires after three years, the second's after twenty), and the chair's certificate, which its CA
revokes 30 days after the fixture starts.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("certomancer", reason="certomancer (the test extra) makes the test PKI / laver test-PKI'en")
pytest.importorskip("werkzeug", reason="werkzeug (certomancer[web-api]) serves the test PKI / serverer test-PKI'en")

import ltv_pki
import tagging
from conftest import Run, build_minutes, example_among_meetings, sign
from referat.archive.verify import verify
from referat.signing.longterm import B_LT, B_LTA, prove

pytestmark = pytest.mark.usefixtures("cert_password")  # ltv_pki.PASSWORD is the password cert_password sets
CHAIR = "Henrik Aarup-Kristensen, Nordjysk Socialaftale"
SECRETARIAT = "Sekretariat for Nordjysk Socialaftale, Nordjysk Socialaftale"
VERSION = "das-social/2026-02-23/udgave-1"


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ltv_pki.Services]:
    """The test PKI's OCSP responder, CRL and timestamp authorities on 127.0.0.1, for the module's tests."""
    with ltv_pki.running(tmp_path_factory.mktemp("ltv-pki")) as svc:
        yield svc


def root(services: ltv_pki.Services) -> list:  # type: ignore[type-arg]
    return [services.cert("root")]


def expiry(services: ltv_pki.Services, label: str) -> dt.datetime:
    end = services.cert(label)["tbs_certificate"]["validity"]["not_after"].native
    assert isinstance(end, dt.datetime)
    return end


@pytest.fixture(scope="module")
def lta(minutes: Path, services: ltv_pki.Services, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example minutes signed at B-LTA by the chair (visible) and then the secretariat (invisible)."""
    base = tmp_path_factory.mktemp("lta")
    first = sign(minutes, services.formand, base / "formand.pdf", "--rolle", "formand", "--synlig",
                 "--tidsstempel", services.tsa(), "--niveau", "B-LTA")
    return sign(first, services.sekretariat, base / "underskrevet.pdf", "--rolle", "sekretariat",
                "--tidsstempel", services.tsa(), "--niveau", "B-LTA")


def manifest(archive: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((archive / VERSION / "manifest.json").read_text("utf-8"))


def copy_tree(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    for path in target.rglob("*"):  # stored files are read-only; a copy a test may change must be writable
        path.chmod(0o755 if path.is_dir() else 0o644)
    return target


# --- 1. the levels -----------------------------------------------------------------------------------------------


def test_a_timestamp_server_gives_b_lt_by_default_with_the_validation_data_in_the_file(
        run: Run, minutes: Path, services: ltv_pki.Services, tmp_path: Path) -> None:
    from asn1crypto import ocsp
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import DocumentSecurityStore

    out = tmp_path / "blt.pdf"
    code, said, err = run("sign", minutes, "--cert", services.formand, "--out", out, "--tidsstempel", services.tsa())
    assert code == 0, err
    assert "PAdES B-LT (standard med --tidsstempel" in said
    reader = PdfFileReader(io.BytesIO(out.read_bytes()))
    dss = DocumentSecurityStore.read_dss(reader)
    signer = services.cert("formand")
    assert signer.sha256 in {c.sha256 for c in dss.load_certs()}  # the chain is in the file …
    serials = {r["cert_id"]["serial_number"].native for ref in dss.ocsps
               for r in ocsp.OCSPResponse.load(ref.get_object().data).basic_ocsp_response["tbs_response_data"]["responses"]}
    assert signer.serial_number in serials  # … and the signer's OCSP response, fetched from the PKI at signing
    assert reader.embedded_timestamp_signatures == []  # B-LT: no document timestamp yet
    assert [s.level for s in prove(out.read_bytes(), root(services)).signatures] == [B_LT]
    code, said, _ = run("sign", minutes, "--cert", services.formand, "--out", tmp_path / "bb.pdf")
    assert code == 0 and "PAdES B-B (standard uden --tidsstempel" in said


def test_b_lta_adds_a_document_timestamp_over_the_validation_data(lta: Path, services: ltv_pki.Services) -> None:
    from asn1crypto import crl
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import DocumentSecurityStore

    reader = PdfFileReader(io.BytesIO(lta.read_bytes()))
    dss = DocumentSecurityStore.read_dss(reader)
    issuers = {crl.CertificateList.load(ref.get_object().data).issuer.native["common_name"] for ref in dss.crls}
    assert "Referat Test Udsteder-CA" in issuers  # the secretariat's revocation data: its CA's CRL
    assert services.cert("udsteder").sha256 in {c.sha256 for c in dss.load_certs()}  # and the chain through it
    assert [s.field_name for s in reader.embedded_regular_signatures] == ["Underskrift 1", "Underskrift 2"]
    stamps = reader.embedded_timestamp_signatures
    assert [s.field_name for s in stamps] == ["Tidsstempel 1", "Tidsstempel 2"]
    assert all("/DSS" in reader.get_historical_resolver(s.signed_revision).root for s in stamps)
    proof = prove(lta.read_bytes(), root(services))
    assert proof.sound and [s.level for s in proof.signatures] == [B_LTA, B_LTA]
    assert proof.until == expiry(services, "tsa")  # as long as the newest timestamp's certificate holds


def test_a_level_that_needs_a_timestamp_server_without_one_is_a_usage_error(run: Run, minutes: Path,
                                                                            services: ltv_pki.Services,
                                                                            tmp_path: Path) -> None:
    code, _, err = run("sign", minutes, "--cert", services.formand, "--out", tmp_path / "x.pdf", "--niveau", "B-LTA")
    assert code == 2 and "--niveau B-LTA kræver en tidsstempelserver" in err
    code, _, err = run("sign", minutes, "--cert", services.formand, "--out", tmp_path / "x.pdf", "--niveau", "B-B",
                       "--tidsstempel", services.tsa())
    assert code == 2 and "--niveau B-B er uden tidsstempel" in err
    assert not (tmp_path / "x.pdf").exists()


def test_a_revoked_certificate_cannot_make_a_long_term_signature(run: Run, minutes: Path, services: ltv_pki.Services,
                                                                 tmp_path: Path) -> None:
    code, _, err = run("sign", minutes, "--cert", services.revoked, "--out", tmp_path / "x.pdf",
                       "--tidsstempel", services.tsa())
    assert code == 1 and "referat.pdf: fejl: certifikatet (Bo Bertelsen) er spærret (tilbagekaldt)" in err
    assert not (tmp_path / "x.pdf").exists()


# --- 2. the archive keeps signatures provable --------------------------------------------------------------------


def test_the_archive_proves_a_signature_after_revocation_and_past_the_timestamps_expiry(
        run: Run, lta: Path, services: ltv_pki.Services, tmp_path: Path) -> None:
    """Done when: archive a B-LTA file; the chair's certificate is revoked after the timestamp, yet the signature
    verifies as valid at signing time; renew; past the first timestamp certificate's expiry verification holds
    with the renewal, and fails without it."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    archive = tmp_path / "arkiv"
    code, said, err = run("archive", "add", ltv_pki_example(), lta, "--arkiv", archive,
                          "--rodcertifikat", services.root_pem)
    assert code == 0, err
    assert f"underskrift: {CHAIR} (oplyst: formand), betroet, PAdES B-LTA" in said
    recorded = manifest(archive)
    assert [s["niveau"] for s in recorded["underskrifter"]] == [B_LTA, B_LTA]
    assert [s["underskriver"] for s in recorded["underskrifter"]] == [CHAIR, SECRETARIAT]
    assert recorded["langtid"]["niveau"] == B_LTA
    assert recorded["langtid"]["beskyttet_til"] == expiry(services, "tsa").isoformat()

    # 40 days on, the CA says the chair's certificate is revoked (since day 30) …
    later = services.start + dt.timedelta(days=40)
    reader = PdfFileReader(io.BytesIO(lta.read_bytes()))
    with services.clock(later):
        online = validate_pdf_signature(reader.embedded_regular_signatures[0], ValidationContext(
            trust_roots=root(services), allow_fetching=True, moment=later, revocation_mode="hard-fail"))
    assert online.revoked
    # … and the archive, with the file's own data and no network, still proves it valid when it was signed
    outcome = verify(archive, at=later)
    assert not outcome.report.has_errors, outcome.report.lines()
    assert outcome.longterm[archive / VERSION / "referat-signeret.pdf"].level == B_LTA

    before_renewal = copy_tree(archive, tmp_path / "uden-fornyelse")
    stored = (archive / VERSION / "referat-signeret.pdf").read_bytes()
    code, said, err = run("archive", "renew", "--arkiv", archive, "--tidsstempel", services.tsa("tsa2"),
                          "--før", (services.start + dt.timedelta(days=5 * 365)).date().isoformat())
    assert code == 0, err
    renewed = archive / VERSION / "fornyelse-1" / "referat-signeret.pdf"
    assert f"fornyede {renewed} (udgave 1): PAdES B-LTA, beskyttet til {expiry(services, 'tsa2'):%d.%m.%Y}" in said
    assert (archive / VERSION / "referat-signeret.pdf").read_bytes() == stored  # the archived file is untouched
    assert renewed.read_bytes().startswith(stored)  # the renewal only appends
    record = json.loads((renewed.parent / "fornyelse.json").read_text("utf-8"))
    assert record["grundlag_sha256"] == hashlib.sha256(stored).hexdigest()
    assert record["tidsstempelserver"] == services.tsa("tsa2")

    code, said, err = run("archive", "verify", "--arkiv", archive)
    assert code == 0, err
    assert f"– PAdES B-LTA, beskyttet til {expiry(services, 'tsa2'):%d.%m.%Y} (fornyet 1 gang)" in said
    code, said, _ = run("archive", "list", "--arkiv", archive)
    assert f"PAdES B-LTA, beskyttet til {expiry(services, 'tsa2'):%d.%m.%Y} (fornyet 1 gang)" in said

    # four years on, past the first timestamp authority's certificate (three years)
    future = services.start + dt.timedelta(days=4 * 365)
    assert future > expiry(services, "tsa")
    held = verify(archive, at=future)
    assert not held.report.has_errors, held.report.lines()
    lapsed = verify(before_renewal, at=future)
    messages = [d.format() for d in lapsed.report.errors]
    assert any("referat-signeret.pdf: fejl: underskrifterne kan ikke længere bevises: dokumenttidsstemplet "
               f"'Tidsstempel 2' (Referat Test TSA 1, Referat Test) kan ikke bekræftes pr. {future:%d.%m.%Y}: dets "
               f"certifikat udløb {expiry(services, 'tsa'):%d.%m.%Y}" in m for m in messages), messages

    # nothing is due now: a second renewal does nothing
    code, said, _ = run("archive", "renew", "--arkiv", archive)
    assert code == 0 and "fornyes ikke endnu" in said and "0 filer fornyet af 1" in said


def ltv_pki_example() -> Path:
    from conftest import EXAMPLE

    return EXAMPLE


def test_verify_warns_when_renewal_is_due_and_renew_brings_b_t_to_b_lta(run: Run, minutes: Path,
                                                                        services: ltv_pki.Services,
                                                                        tmp_path: Path) -> None:
    signed = sign(minutes, services.formand, tmp_path / "bt.pdf", "--rolle", "formand", "--niveau", "B-T",
                  "--tidsstempel", services.tsa())
    archive = tmp_path / "arkiv"
    assert run("archive", "add", ltv_pki_example(), signed, "--arkiv", archive, "--rodcertifikat",
               services.root_pem)[0] == 0
    assert manifest(archive)["underskrifter"][0]["niveau"] == "B-T"
    code, said, err = run("archive", "verify", "--arkiv", archive)
    assert code == 0, err
    assert "referat-signeret.pdf: advarsel: PAdES B-T: uden et dokumenttidsstempel" in err
    assert "referat archive renew --tidsstempel URL" in err
    code, said, err = run("archive", "renew", "--arkiv", archive)  # no server known for this file
    assert code == 1 and "kan ikke fornyes: ingen tidsstempelserver er brugt til filen før" in err
    code, _, err = run("archive", "renew", "--arkiv", archive, "--før", "31.12.2030")
    assert code == 2 and "--før skal være en dato (ÅÅÅÅ-MM-DD), ikke '31.12.2030'" in err
    code, said, err = run("archive", "renew", "--arkiv", archive, "--tidsstempel", services.tsa())
    assert code == 0, err
    assert "(udgave 1): PAdES B-LTA" in said
    code, said, err = run("archive", "verify", "--arkiv", archive)
    assert code == 0 and "advarsel" not in err, err
    soon = expiry(services, "tsa") - dt.timedelta(days=200)  # within two years of the timestamp's expiry
    due = verify(archive, at=soon)
    assert not due.report.has_errors
    wanted = (f"beskyttelsen udløber {expiry(services, 'tsa'):%d.%m.%Y} (det nyeste tidsstempels certifikat); forny "
              "den inden da med 'referat archive renew'")
    assert [d.message for d in due.warnings.warnings] == [wanted]


def test_archive_add_with_a_timestamp_server_brings_a_b_t_file_to_b_lta(run: Run, minutes: Path,
                                                                        services: ltv_pki.Services,
                                                                        tmp_path: Path) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader

    given = sign(minutes, services.sekretariat, tmp_path / "bt.pdf", "--rolle", "sekretariat", "--niveau", "B-T",
                 "--tidsstempel", services.tsa())
    archive = tmp_path / "arkiv"
    code, said, err = run("archive", "add", ltv_pki_example(), given, "--arkiv", archive, "--rodcertifikat",
                          services.root_pem, "--tidsstempel", services.tsa())
    assert code == 0, err
    assert "PAdES B-LTA (valideringsdata og dokumenttidsstempel tilføjet ved arkiveringen)" in said
    stored = (archive / VERSION / "referat-signeret.pdf").read_bytes()
    assert stored.startswith(given.read_bytes()) and stored != given.read_bytes()  # an incremental update
    recorded = manifest(archive)
    assert recorded["indgivet_sha256"] == hashlib.sha256(given.read_bytes()).hexdigest()
    assert recorded["underskrifter"][0]["niveau"] == B_LTA and recorded["langtid"]["tidsstempelserver"] == services.tsa()
    reader = PdfFileReader(io.BytesIO(stored))
    assert len(reader.embedded_regular_signatures) == 1 and len(reader.embedded_timestamp_signatures) == 1
    assert run("archive", "verify", "--arkiv", archive)[0] == 0
    code, _, err = run("archive", "add", ltv_pki_example(), given, "--arkiv", archive, "--rodcertifikat",
                       services.root_pem, "--tidsstempel", services.tsa())
    assert code == 1 and "filen er allerede arkiveret som udgave 1" in err


def test_a_tampered_renewal_is_named_by_verify(run: Run, lta: Path, services: ltv_pki.Services,
                                               tmp_path: Path) -> None:
    archive = tmp_path / "arkiv"
    assert run("archive", "add", ltv_pki_example(), lta, "--arkiv", archive, "--rodcertifikat",
               services.root_pem)[0] == 0
    assert run("archive", "renew", "--arkiv", archive, "--før", "2100-01-01", "--tidsstempel", services.tsa())[0] == 0
    copy = copy_tree(archive, tmp_path / "kopi")
    renewed = copy / VERSION / "fornyelse-1" / "referat-signeret.pdf"
    renewed.write_bytes(renewed.read_bytes() + b"\n% tilfoejet\n")
    code, _, err = run("archive", "verify", "--arkiv", copy)
    assert code == 1 and f"{renewed}: fejl: filen er ændret siden fornyelsen" in err


# --- 3. the signer is who the certificate says --------------------------------------------------------------------


def test_a_typed_name_is_shown_as_claimed_beside_the_certificates(run: Run, services: ltv_pki.Services,
                                                                  tmp_path: Path) -> None:
    folder = example_among_meetings(tmp_path)
    minutes = build_minutes(folder, tmp_path / "output")
    signed = sign(minutes, services.formand, tmp_path / "underskrevet.pdf", "--navn", "Næstformand Jensen",
                  "--rolle", "formand", "--tidsstempel", services.tsa())
    archive = tmp_path / "arkiv"  # above the meeting's folder, where the web edition finds it
    code, said, err = run("archive", "add", folder, signed, "--arkiv", archive, "--rodcertifikat", services.root_pem)
    assert code == 0, err
    assert (f"underskrevet.pdf: advarsel: underskriften 'Underskrift 1' er lavet med certifikatet for »{CHAIR}«, men "
            "navnet »Næstformand Jensen« blev oplyst ved underskrivningen") in err
    line = f"{CHAIR} (oplyst: Næstformand Jensen, formand), betroet, PAdES B-LT"
    assert f"underskrift: {line}" in said
    assert "underskrift: Næstformand Jensen" not in said  # the typed name is never the signer
    code, said, _ = run("archive", "list", "--arkiv", archive)
    assert code == 0 and f"    {line}" in said.splitlines()
    code, said, _ = run("decisions", "--csv", "--arkiv", archive)
    rows = list(csv.DictReader(io.StringIO(said), delimiter=";"))
    assert {r["underskrevet_af"] for r in rows} == {line}
    code, said, _ = run("decisions", "--arkiv", archive)
    assert f"DAS Social: underskrevet af {line}" in said
    site = tmp_path / "site"
    assert run("publish", "--site", site, folder)[0] == 0
    page = (site / "das-social" / "2026-02-23" / "index.html").read_text("utf-8")
    assert "<h2>Underskrifter</h2>" in page
    assert f"<li>{CHAIR} (oplyst: Næstformand Jensen, formand), {dt.date.today():%d.%m.%Y}</li>" in page
    assert "betroet" not in page


# --- 4. signed files stay accessible ------------------------------------------------------------------------------


def test_signed_minutes_pass_the_tagging_checks_the_unsigned_minutes_pass(minutes: Path, lta: Path) -> None:
    assert tagging.problems(minutes) == []
    assert tagging.problems(lta) == []  # a visible and an invisible signature, two document timestamps
    assert tagging.claims(lta) == tagging.claims(minutes) == {"pdfaid:part": "2", "pdfaid:conformance": "B",
                                                              "pdfuaid:part": "1"}


def test_every_signature_field_has_its_description(lta: Path) -> None:
    from pypdf import PdfReader

    fields = {name: str(f.get("/TU")) for name, f in PdfReader(lta).get_fields().items()}
    today = f"{dt.date.today():%d.%m.%Y}"
    assert fields == {
        "Underskrift 1": f"Underskrift: Henrik Aarup-Kristensen, formand, {today}",
        "Tidsstempel 1": f"Tidsstempel: dokumenttidsstempel, {today}",
        "Underskrift 2": f"Underskrift: Sekretariat for Nordjysk Socialaftale, sekretariat, {today}",
        "Tidsstempel 2": f"Tidsstempel: dokumenttidsstempel, {today}"}


def test_the_tagging_check_fails_on_a_signature_field_outside_the_structure_tree(minutes: Path,
                                                                                 services: ltv_pki.Services,
                                                                                 tmp_path: Path) -> None:
    """What `referat sign` did before: pyHanko's own field, not in the structure tree and without /TU."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.fields import SigFieldSpec
    from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner, SimpleSigner

    signer = SimpleSigner.load_pkcs12(str(services.formand), passphrase=ltv_pki.PASSWORD.encode())
    out = PdfSigner(PdfSignatureMetadata(field_name="Underskrift 1"), signer,
                    new_field_spec=SigFieldSpec("Underskrift 1", on_page=-1, box=(70, 500, 280, 560))
                    ).sign_pdf(IncrementalPdfFileWriter(io.BytesIO(minutes.read_bytes())))
    plain = tmp_path / "uden-struktur.pdf"
    plain.write_bytes(out.getvalue())
    from pypdf import PdfReader

    last = len(PdfReader(plain).pages)  # the field is on the minutes' last page
    assert tagging.problems(plain) == [f"side {last}: Underskrift 1 er ikke i strukturtræet"]


def test_the_structure_rule_clears_only_new_signature_fields(lta: Path, services: ltv_pki.Services,
                                                             tmp_path: Path) -> None:
    """A change to the structure tree after a signature that is not a new signature field's Form element is a
    change to the signed document, whatever the difference policy."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    from referat.signing.signatures import read_signatures

    writer = IncrementalPdfFileWriter(io.BytesIO(lta.read_bytes()))
    tree = writer.root["/StructTreeRoot"]
    document = tree["/K"][0] if isinstance(tree["/K"], generic.ArrayObject) else tree["/K"]
    document["/K"].append(writer.add_object(generic.DictionaryObject({
        generic.pdf_name("/Type"): generic.pdf_name("/StructElem"), generic.pdf_name("/S"): generic.pdf_name("/P"),
        generic.pdf_name("/P"): tree["/K"][0] if isinstance(tree["/K"], generic.ArrayObject) else tree["/K"],
        generic.pdf_name("/ActualText"): generic.TextStringObject("Tilføjet efter underskriften")})))
    writer.update_container(document)
    changed = tmp_path / "ændret.pdf"
    out = io.BytesIO()
    writer.write(out)
    changed.write_bytes(out.getvalue())
    found = read_signatures(changed.read_bytes(), root(services))
    assert [s.problems for s in found] == [["dokumentet er ændret efter underskriften (mere end nye underskrifter)"]] * 2
    assert read_signatures(lta.read_bytes(), root(services))[0].problems == []  # and without the change, none
    from referat.signing.longterm import CHANGED_AFTER

    assert [s.problems for s in prove(changed.read_bytes(), root(services)).signatures] == [[CHANGED_AFTER]] * 2


# --- an independent client: poppler's pdfsig ---------------------------------------------------------------------

PDFSIG, CERTUTIL = shutil.which("pdfsig"), shutil.which("certutil")


@pytest.mark.skipif(PDFSIG is None or CERTUTIL is None,
                    reason="pdfsig (poppler-utils) og certutil (libnss3-tools) mangler / are missing; .ci/run "
                           "installerer dem / installs them")
def test_pdfsig_reports_every_signature_of_a_b_lta_file_valid(lta: Path, services: ltv_pki.Services,
                                                             tmp_path: Path) -> None:
    """pdfsig checks each signature with NSS, the certificate against the test root (in an NSS database made
    here) and its revocation status online at the test PKI's OCSP responder. Poppler lists the document
    timestamps (ETSI.RFC3161) but does not verify them ("Signature Type: unknown", "not yet been verified"):
    pyHanko and the archive check those; here they must at least be listed with their authority."""
    db = tmp_path / "nss"
    db.mkdir()
    subprocess.run([CERTUTIL, "-N", "-d", f"sql:{db}", "--empty-password"], check=True, capture_output=True)
    subprocess.run([CERTUTIL, "-A", "-d", f"sql:{db}", "-n", "rod", "-t", "CT,C,C", "-i", services.root_pem],
                   check=True, capture_output=True)
    result = subprocess.run([PDFSIG, "-nssdir", f"sql:{db}", lta], capture_output=True, text=True, timeout=120,
                            check=False)
    blocks = result.stdout.split("Signature #")[1:]
    signatures = {b.split("Signature Field Name: ")[1].split("\n")[0]: b for b in blocks}
    assert sorted(signatures) == ["Tidsstempel 1", "Tidsstempel 2", "Underskrift 1", "Underskrift 2"], result.stdout
    for name in ("Underskrift 1", "Underskrift 2"):
        block = signatures[name]
        assert "Signature Type: ETSI.CAdES.detached" in block
        assert "Signature Validation: Signature is Valid." in block, block
        assert "Certificate Validation: Certificate is Trusted." in block, block
    assert "Signer Certificate Common Name: Henrik Aarup-Kristensen" in signatures["Underskrift 1"]
    for name in ("Tidsstempel 1", "Tidsstempel 2"):
        assert "Signer Certificate Common Name: Referat Test TSA 1" in signatures[name]
        if "Signature Type: unknown" not in signatures[name]:  # a poppler that verifies document timestamps
            assert "Signature Validation: Signature is Valid." in signatures[name]
