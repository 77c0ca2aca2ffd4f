"""The small edges a newcomer hits (issue 24): where commands write, what their messages say."""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import pytest

from conftest import EXAMPLE, ROOT, Run
from pki import Pki

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
    """Each entry says "Punkt 1. …" itself; a numbered list (<ol>) would show "1. Punkt 1. …"."""
    import re

    code, _, err = run("build", EXAMPLE, "--format", "html", "--out", tmp_path)
    assert code == 0, err
    html = (tmp_path / "referat.html").read_text(encoding="utf-8")
    nav = html[html.index('<nav class="indhold"'):html.index("</nav>", html.index('<nav class="indhold"'))]
    assert "<ol" not in nav and "<ul>" in nav
    assert re.search(r"nav\.indhold ul \{ list-style: none;", html)  # no bullets either
    assert '<li><a href="#punkt-1">Punkt 1. Godkendelse af dagsorden</a></li>' in nav


# ------------------------------------------------------------------------------------- item 5: one plural function


def test_the_live_preview_says_one_warning_in_the_singular(tmp_path: Path) -> None:
    from starlette.testclient import TestClient

    from conftest import write_meeting
    from referat.live.app import create_app

    folder = write_meeting(tmp_path / "møde", {"a.yaml": "titel: Orientering\nsagsfremstilling: '[Skriv]'\n"})
    with TestClient(create_app(folder, "t0k3n", watch=False), base_url="http://127.0.0.1") as client:
        page = client.get("/", params={"token": "t0k3n"})
        state = client.get("/api/tilstand").json()
    assert [m["alvor"] for m in state["beskeder"]] == ["advarsel"]
    assert state["opsummering"] == "0 fejl, 1 advarsel"
    assert '<p id="opsummering">0 fejl, 1 advarsel</p>' in page.text
    js = (ROOT / "templates" / "live" / "live.js").read_text(encoding="utf-8")
    assert "advarsler" not in js  # the script shows the server's words, it does not count in words of its own


def test_the_packet_progress_says_one_page_in_the_singular() -> None:
    from referat.diagnostics import count

    assert count(1, "side", "sider") == "1 side" and count(2, "side", "sider") == "2 sider"
    source = (ROOT / "src" / "referat" / "packet" / "assemble.py").read_text(encoding="utf-8")
    assert "sider)" not in source.replace("'sider')", "")


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
