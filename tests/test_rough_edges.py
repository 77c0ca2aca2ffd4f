"""The small edges a newcomer hits (issue 24): where commands write, what their messages say."""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import pytest

from conftest import EXAMPLE, ROOT, Run, absolute_run
from pki import Pki


@pytest.fixture
def run(run: Run) -> Run:
    """These tests name files as `f"{path}: fejl: …"`: paths in the output absolute, wherever the clone sits."""
    return absolute_run(run)

# --------------------------------------------------------------------------------------- item 7: tariffs template


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_tariffs_template_without_out_writes_into_the_working_directory(run: Run, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    project_copy = ROOT / "templates" / "takstskema.xlsx"
    before = _digest(project_copy)
    monkeypatch.chdir(tmp_path)
    code, out, err = run("tariffs", "template")
    assert code == 0, err
    assert out == f"skrev takstskema.xlsx i arbejdsmappen ({tmp_path}); angiv --out for en anden fil\n"
    assert "Driftsherre" in str([c.value for row in openpyxl.load_workbook(tmp_path / "takstskema.xlsx").active.iter_rows(
        max_row=10) for c in row])
    assert _digest(project_copy) == before


def test_tariffs_template_run_in_the_project_leaves_the_projects_copy(run: Run, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "projekt"
    (project / "templates").mkdir(parents=True)
    kept = project / "templates" / "takstskema.xlsx"
    kept.write_bytes(b"the secretariat's own edited template")
    monkeypatch.chdir(project)
    assert run("tariffs", "template")[0] == 0
    assert kept.read_bytes() == b"the secretariat's own edited template"
    assert (project / "takstskema.xlsx").is_file()


def test_tariffs_template_does_not_overwrite_a_skema_in_the_working_directory(run: Run, tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "takstskema.xlsx").write_bytes(b"a filled-in skema")
    monkeypatch.chdir(tmp_path)
    code, out, err = run("tariffs", "template")
    assert code == 3 and out == ""
    assert err.startswith("takstskema.xlsx: fejl: takstskema.xlsx findes allerede i arbejdsmappen")
    assert (tmp_path / "takstskema.xlsx").read_bytes() == b"a filled-in skema"
    assert run("tariffs", "template", "--out", "takstskema.xlsx")[0] == 0  # named: overwritten
    assert (tmp_path / "takstskema.xlsx").read_bytes()[:2] == b"PK"


# ------------------------------------------------------------------------------- item 5: the pages' contents list


def test_the_web_editions_contents_say_punkt_once(run: Run, tmp_path: Path) -> None:
    """Each entry says its number (KKR: "2.1. …"; DAS: "Punkt 1. …") itself; a numbered list (<ol>), also the
    one under a group's heading, would show "1. 2.1. …". KKR's profile has the contents list and groups (DAS's
    published layout has none)."""
    import re

    kkr = EXAMPLE.parent / "2024-06-21-kkr-nordjylland"
    code, _, err = run("build", kkr, "--format", "html", "--out", tmp_path)
    assert code == 0, err
    html = (tmp_path / "dagsorden.html").read_text(encoding="utf-8")
    nav = html[html.index('<nav class="indhold'):html.index("</nav>", html.index('<nav class="indhold'))]
    assert "<ol" not in nav and "<ul>" in nav
    assert re.search(r"nav\.indhold ul \{ list-style: none;", html)  # no bullets either, nested lists too
    assert '<li><a href="#punkt-1">1. Godkendelse af dagsorden</a></li>' in nav
    assert re.search(r'<li>2\. Sager til beslutning og drøftelse<ul>\s*<li><a href="#punkt-2\.1">2\.1\. Status', nav)


# ------------------------------------------------------------------------------------- item 5: one plural function


def test_the_live_preview_says_one_warning_in_the_singular(tmp_path: Path) -> None:
    from starlette.testclient import TestClient

    from conftest import write_meeting
    from referat.app.serve import create_app

    folder = write_meeting(tmp_path / "møde", {"a.yaml": "titel: Orientering\nsagsfremstilling: '[Skriv]'\n"})
    with TestClient(create_app(folder, "t0k3n", watch=False), base_url="http://127.0.0.1") as client:
        page = client.get("/", params={"token": "t0k3n"})
        state = client.get("/api/tilstand").json()
    assert [m["alvor"] for m in state["beskeder"]] == ["advarsel"]
    assert state["opsummering"] == "0 fejl, 1 advarsel"
    assert '<p id="opsummering">0 fejl, 1 advarsel</p>' in page.text
    js = (ROOT / "templates" / "live" / "live.js").read_text(encoding="utf-8")
    assert "advarsler" not in js  # the script shows the server's words, it does not count in words of its own


@pytest.mark.skipif(not hasattr(__import__("os"), "openpty"), reason="ingen pseudoterminaler (Windows)")
def test_the_packet_progress_says_one_page_in_the_singular(tmp_path: Path) -> None:
    from test_progress import run_on_terminal

    code, _, terminal = run_on_terminal("packet", str(EXAMPLE), "--dokument", "referat", "--out", str(tmp_path))
    assert code == 0
    assert "sættes ind (1 side)" in terminal  # the stand-in bilag are one page each
    assert "(1 sider)" not in terminal


# ---------------------------------------------------------------------- item 5: certificate fields named in Danish


@pytest.mark.usefixtures("cert_password")
def test_the_self_signed_refusal_names_the_certificates_fields_in_danish(run: Run, minutes: Path, pki: Pki,
                                                                          tmp_path: Path) -> None:
    signed = tmp_path / "selv.pdf"
    assert run("sign", minutes, "--cert", pki.selvsigneret, "--out", signed)[0] == 0
    code, _, err = run("archive", "add", EXAMPLE, signed, "--arkiv", tmp_path / "arkiv")
    assert code == 1
    assert "er lavet med et selvsigneret certifikat (navn: Søren Selvsigneret, land: DK); det accepteres kun" in err
    assert "Common Name" not in err and "Country" not in err


def test_every_field_asn1crypto_names_is_said_in_danish() -> None:
    from asn1crypto import x509

    from referat.archive.checks import danish_name

    subject = x509.Name.build({"common_name": "Henrik Aarup-Kristensen", "organization_name": "Sekretariat, Aalborg",
                               "organizational_unit_name": "Social", "country_name": "DK",
                               "email_address": "formand@example.dk", "locality_name": "Aalborg"}).human_friendly
    # asn1crypto separates the fields by "; " when a value holds a comma
    assert danish_name(subject) == ("e-mail: formand@example.dk; navn: Henrik Aarup-Kristensen; afdeling: Social; "
                                    "organisation: Sekretariat, Aalborg; by: Aalborg; land: DK")


# ---------------------------------------------------------------------------- item 5: "mente du" for commands, files


def test_a_mistyped_command_is_named_with_mente_du(capsys: pytest.CaptureFixture[str]) -> None:
    from referat.cli import main

    for args, wanted in ((["buld", "x"], "ugyldigt valg: 'buld'; mente du 'build'?"),
                         (["archive", "lst"], "ugyldigt valg: 'lst'; mente du 'list'?"),
                         (["build", "x", "--dokument", "refrat"], "ugyldigt valg: 'refrat'; mente du 'referat'?")):
        with pytest.raises(SystemExit) as done:
            main(args)
        assert done.value.code == 2
        err = capsys.readouterr().err
        assert "referat: fejl: argument " in err and wanted in err, err


@pytest.mark.parametrize(("written", "on_disk"), [
    ("03-bilag-afdaekning.pdf", "03-bilag-afdækning.pdf"),  # æ written ae
    ("03-bilag-afdækning.pdf", "03-bilag-afdaekning.pdf"),  # and the other way round
    ("05-sundhedstjek-paa-botilbud.pdf", "05-sundhedstjek-på-botilbud.pdf"),  # å written aa
    ("06-bilag-oekonomi.pdf", "06-Bilag-Økonomi.pdf"),  # ø written oe, other case
    ("07-bilag-plann.pdf", "07-bilag-plan.pdf"),  # a typo
])
def test_a_missing_bilag_gets_mente_du_for_a_near_name(make_meeting, written: str, on_disk: str) -> None:
    from conftest import tiny_pdf
    from referat.validate import validate_folder as check_meeting

    folder = make_meeting({"a.yaml": f"titel: T\nbilag:\n  - titel: Bilag 1. Notat\n    fil: {written}\n"},
                          bilag={on_disk: tiny_pdf(), "andet.pdf": tiny_pdf()})
    _, report = check_meeting(folder)
    [error] = report.errors
    assert error.message == f"bilagsfilen bilag/{written} findes ikke; mente du '{on_disk}'?"


def test_a_key_that_lost_its_indentation_is_named_as_such(make_meeting) -> None:
    from conftest import base, edited
    from referat.validate import validate_folder as check_meeting

    text = edited(base(), ('næste_møde: {dato: 2026-05-22, start: "12.00", slut: "16.00", form: fysisk}',
                           'næste_møde:\n  dato: 2026-05-22\n  start: "12.00"\n  slut: "16.00"\nform: fysisk'))
    folder = make_meeting({"a.yaml": "titel: T\n"}, meeting=text)
    _, report = check_meeting(folder)
    [error] = report.errors
    assert error.message == ("ukendt nøgle 'form'; den hører vist under 'næste_møde' længere oppe: ryk den ind "
                             "(indrykning), så den står på linje med nøglerne i 'næste_møde'")


# ------------------------------------------------------------------------------------- item 5: likely slips


def _future(text: str) -> str:
    from conftest import edited

    return edited(text, ("dato: 2026-02-23", "dato: 2099-03-02"), ("næste_møde: {dato: 2026-05-22", "næste_møde: {dato: 2099-05-22"))


def test_new_with_a_date_in_the_past_warns(run: Run, tmp_path: Path) -> None:
    code, out, err = run("new", tmp_path / "møde", "--dato", "2020-01-06")
    assert code == 0 and "oprettede" in out
    assert err.startswith("--dato 2020-01-06: advarsel: datoen ligger før i dag (")
    code, _, err = run("new", tmp_path / "andet", "--dato", "2099-01-05")
    assert code == 0 and "advarsel" not in err


def test_new_from_a_place_with_a_line_break_names_the_previous_meetings_file(run: Run, tmp_path: Path) -> None:
    import shutil

    previous = tmp_path / "2026-02-23-das-social"
    shutil.copytree(EXAMPLE, previous)
    yaml = previous / "møde.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace('  form: fysisk', '  form: fysisk\n  sted: "Rådhuset\\nLokale 3"'),
                    encoding="utf-8")
    code, out, err = run("new", tmp_path / "næste", "--fra", previous)
    assert code == 1 and out == ""
    line = next(n for n, text in enumerate(yaml.read_text(encoding="utf-8").splitlines(), 1) if "Rådhuset" in text)
    assert err.startswith(f"{yaml}:{line}:9: fejl: stedet indeholder et linjeskift eller kontroltegn"), err
    assert "--sted må ikke" not in err


def test_to_minutes_before_the_meeting_warns(run: Run, make_meeting) -> None:
    from conftest import base

    folder = make_meeting({"a.yaml": "titel: T\n"}, meeting=_future(base(items="a.yaml")))
    code, _, err = run("to-minutes", folder)
    assert code == 0
    assert f"{folder / 'møde.yaml'}:3:7: advarsel: mødet er først den 02.03.2099; referatet skrives vist før mødet" in err


@pytest.mark.usefixtures("cert_password")
def test_sign_before_the_meeting_warns(run: Run, make_meeting, pki: Pki, tmp_path: Path) -> None:
    from conftest import base

    folder = make_meeting({"a.yaml": "titel: T\nbeslutning: Godkendt\n"}, meeting=_future(base("referat")))
    assert run("build", folder, "--format", "pdf", "--out", tmp_path / "ud")[0] == 0
    code, _, err = run("sign", tmp_path / "ud" / "referat.pdf", "--cert", pki.formand, "--out", tmp_path / "s.pdf")
    assert code == 0
    assert (f"{tmp_path / 'ud' / 'referat.pdf'}: advarsel: PDF'en er dateret 02.03.2099 (referatets mødedato), efter i "
            "dag; underskrives referatet, før mødet er holdt?") in err
    held = minutes_pdf(tmp_path)  # a meeting already held: no warning
    code, _, err = run("sign", held, "--cert", pki.formand, "--out", tmp_path / "t.pdf")
    assert code == 0 and "PDF'en er dateret" not in err


def minutes_pdf(tmp_path: Path) -> Path:
    from conftest import build_minutes

    return build_minutes(EXAMPLE, tmp_path / "eksempel")


# ------------------------------------------------------------------- item 5: progress when sign or verify is slow

SLOW = """
import sys, time
from referat.progress import progress
with progress("Arbejde: {detail}", 0, delay=float(sys.argv[1])) as shown:
    shown.step("første trin")
    time.sleep(float(sys.argv[2]))
    shown.step("andet trin")
    time.sleep(0.2)
"""


@pytest.mark.skipif(not hasattr(__import__("os"), "openpty"), reason="ingen pseudoterminaler (Windows)")
@pytest.mark.parametrize(("delay", "work", "shown"), [(0.5, 1.5, True), (2.0, 0.1, False)])
def test_a_delayed_progress_line_appears_only_when_the_work_takes_longer(tmp_path: Path, delay: float, work: float,
                                                                         shown: bool) -> None:
    import sys

    from test_progress import run_on_terminal_argv

    script = tmp_path / "langsom.py"
    script.write_text(SLOW, encoding="utf-8")
    code, _, terminal = run_on_terminal_argv([sys.executable, str(script), str(delay), str(work)])
    assert code == 0
    assert ("Arbejde: første trin" in terminal) is shown, terminal  # shown in the middle of the long step


@pytest.mark.skipif(not hasattr(__import__("os"), "openpty"), reason="ingen pseudoterminaler (Windows)")
def test_sign_shows_progress_on_a_terminal_while_a_timestamp_server_is_slow(minutes: Path, pki: Pki,
                                                                           tmp_path: Path) -> None:
    import threading
    import time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from pki import PASSWORD
    from test_progress import run_on_terminal

    class Slow(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            time.sleep(3)
            self.send_error(503)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/tsa"
    try:
        code, _, terminal = run_on_terminal("sign", str(minutes), "--cert", str(pki.formand), "--out",
                                            str(tmp_path / "s.pdf"), "--tidsstempel", url, "--niveau", "B-T",
                                            REFERAT_CERT_PASSWORD=PASSWORD)
    finally:
        server.shutdown()
    assert code != 0  # the server never stamps
    assert f"Underskrift: PDF'en underskrives og tidsstemples ({url})" in terminal, terminal



# ------------------------------------------------------------------------ item 5: the revised packet, dates


def test_the_revised_packet_is_titled_revideret(run: Run, make_meeting) -> None:
    from pypdf import PdfReader

    folder = make_meeting({"01-dagsorden.yaml": "titel: Godkendelse af dagsorden\ntype: standard\n",
                           "02-botilbud.yaml": "titel: Nye botilbud\nsagsfremstilling: To nye botilbud.\n"})
    assert run("send", folder)[0] == 0
    item = folder / "punkter" / "02-botilbud.yaml"
    item.write_text(item.read_text(encoding="utf-8").replace("To nye", "Tre nye"), encoding="utf-8")
    code, _, err = run("send", folder)
    assert code == 0, err
    first, second = sorted((folder / "udsendt").iterdir())
    assert PdfReader(first / "dagsordenspakke.pdf").metadata.title == "Dagsordenspakke – DAS Social – 23. februar 2026"
    assert PdfReader(second / "dagsordenspakke.pdf").metadata.title == \
        "Dagsordenspakke – DAS Social – 23. februar 2026 – Revideret"
    assert PdfReader(second / "dagsorden.pdf").metadata.title == "Dagsorden – DAS Social – 23. februar 2026 – Revideret"


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from referat.cli import main

    out = tmp_path_factory.mktemp("datoer")
    assert main(["build", str(EXAMPLE), "--format", "pdf,docx,html,txt", "--out", str(out)]) == 0
    return out


def test_a_document_prints_its_dates_long_and_never_wrapped(editions: Path) -> None:
    """'23. februar 2026' in running text, its spaces no-break spaces (the date stays on one line)."""
    from docx import Document
    from pypdf import PdfReader

    long_dates = ["Mødet den 23.\u00a0februar\u00a02026, kl. 12.00 - 16.00",
                  "Næste møde finder sted d. 22.\u00a0maj\u00a02026 i tidsrummet 12.00-16.00."]
    pdf = "\n".join(p.extract_text() for p in PdfReader(editions / "referat.pdf").pages)
    word = "\n".join([p.text for p in Document(str(editions / "referat.docx")).paragraphs]
                     + [c.text for t in Document(str(editions / "referat.docx")).tables for r in t.rows for c in r.cells])
    html = (editions / "referat.html").read_text(encoding="utf-8")
    text = (editions / "referat.txt").read_text(encoding="utf-8")
    for name, shown in (("pdf", pdf), ("docx", word), ("html", html), ("txt", text)):
        for line in long_dates:  # (a date the secretariat typed into an item is printed as typed)
            assert line in shown, (name, line)
            assert line.replace("\u00a0", " ") not in shown, (name, line)


def test_tables_and_lists_print_dates_short(run: Run, tmp_path: Path) -> None:
    """The site's decision register (a table) and follow-up's list: 23.02.2026, not 2026-02-23."""
    import re

    assert run("publish", "--site", tmp_path / "site", EXAMPLE)[0] == 0
    register = (tmp_path / "site" / "beslutninger.html").read_text(encoding="utf-8")
    assert "<tr><td>23.02.2026</td><td>DAS Social</td>" in register
    assert not re.search(r"<td>\d{4}-\d{2}-\d{2}</td>", register)


# ----------------------------------------------------------------------------- item 6: a save and its undo


def test_a_save_too_large_to_undo_is_not_made(tmp_path: Path) -> None:
    """A 3 MB paste into a decision is refused (nothing written), so the file stays one the page can save and
    undo; before, it was written and its undo then refused as too large."""
    import hashlib
    import shutil

    from starlette.testclient import TestClient

    from referat.app.serve import create_app

    folder = tmp_path / "møde"
    shutil.copytree(EXAMPLE, folder)
    item = folder / "punkter" / "03-planer-ungehjemmet-bifrost.yaml"
    before = item.read_bytes()
    sha = hashlib.sha256(before).hexdigest()
    with TestClient(create_app(folder, "t0k3n", watch=False), base_url="http://127.0.0.1") as client:
        assert client.get("/skriv", params={"token": "t0k3n"}).status_code == 200
        headers = {"X-Referat-Token": "t0k3n"}
        big = client.post("/api/gem/beslutning", headers=headers,
                          json={"fil": item.name, "tekst": "x" * (3 * 1024 * 1024), "sha256": sha})
        assert big.status_code >= 400
        assert "3,0 MB, større end de 2 MB, der kan gemmes herfra; intet er gemt" in str(big.json())
        assert item.read_bytes() == before
        small = client.post("/api/gem/beslutning", headers=headers,
                            json={"fil": item.name, "tekst": "Godkendt", "sha256": sha})
        assert small.status_code == 200 and small.json()["gemt"] is True
        undo = client.post("/api/gem/beslutning", headers=headers,  # and back again: the undo
                           json={"fil": item.name, "tekst": "Godkendt med ændringer", "sha256": small.json()["sha256"]})
        assert undo.status_code == 200
