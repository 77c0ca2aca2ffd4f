"""`referat serve` over HTTP (issue 16), with Starlette's TestClient on a copy of the example meeting: the token
guard, messages after an edit on disk, the preview, saves that round-trip, conflicts (409), nothing written outside
the folder, item ids that try to leave it; and a whole meeting's minutes taken through the API, then built, signed
and archived with the existing commands."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from starlette.testclient import TestClient  # needs httpx2 (or httpx, older starlette), in the [test] extra

from conftest import example_among_meetings, tree
from referat.app.serve import create_app

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "agendas" / "2026-02-23-das-social"
TOKEN = "test-token-3f9a"
ITEM = "03-planer-ungehjemmet-bifrost.yaml"



@pytest.fixture
def meeting(tmp_path: Path) -> Path:
    return example_among_meetings(tmp_path)


@pytest.fixture
def client(meeting: Path) -> Iterator[TestClient]:
    app = create_app(meeting, TOKEN, watch=False)
    with TestClient(app, base_url="http://127.0.0.1") as c:
        yield c


def authed(client: TestClient) -> TestClient:
    assert client.get("/", params={"token": TOKEN}).status_code == 200  # sets the cookie
    return client


def post(client: TestClient, what: str, body: dict[str, object], token: str | None = TOKEN):  # type: ignore[no-untyped-def]
    headers = {"X-Referat-Token": token} if token is not None else {}
    return client.post(f"/api/gem/{what}", json=body, headers=headers)


# ---------------------------------------------------------------------------------------------------- the guard


def test_without_the_token_every_page_is_refused_in_danish(client: TestClient) -> None:
    for path in ["/", "/skriv", "/api/tilstand", "/events", "/dokument/referat/intern.html",
                 "/dokument/referat/intern.pdf", "/static/live.js", "/findes-ikke"]:
        response = client.get(path)
        assert response.status_code == 403, path
        assert "Adgang nægtet" in response.text and 'lang="da"' in response.text
    assert client.get("/", params={"token": TOKEN + "x"}).status_code == 403
    assert client.get("/", params={"token": ""}).status_code == 403
    client.cookies.set("referat-000000000000", TOKEN)  # another server's cookie
    assert client.get("/").status_code == 403


def test_the_token_in_the_url_sets_a_cookie_that_admits_the_next_requests(client: TestClient) -> None:
    first = client.get("/", params={"token": TOKEN})
    assert first.status_code == 200
    cookie = first.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert client.get("/api/tilstand").status_code == 200  # the cookie alone, as the page's own requests
    assert client.get("/dokument/dagsorden/intern.html").status_code == 200


def test_a_save_needs_the_token_in_the_header_not_only_the_cookie(client: TestClient, meeting: Path) -> None:
    authed(client)
    before = tree(meeting)
    sha = hashlib.sha256((meeting / "punkter" / ITEM).read_bytes()).hexdigest()
    body = {"fil": ITEM, "tekst": "Godkendt", "sha256": sha}
    assert post(client, "beslutning", body, token=None).status_code == 403  # a cross-site form post
    assert post(client, "beslutning", body, token="forkert").status_code == 403
    assert tree(meeting) == before


# ---------------------------------------------------------------------------------------------------- preview


def test_the_preview_lists_the_items_and_shows_the_document(client: TestClient) -> None:
    page = authed(client).get("/").text
    assert "Godkendelse af planer for kommunikation" in page  # an item title in the sidebar
    assert "punkter/03-planer-ungehjemmet-bifrost.yaml:23:12" in page  # a message with fil:linje beside it
    assert 'src="/dokument/referat/intern.html' in page
    document = client.get("/dokument/referat/intern.html")
    assert document.status_code == 200
    assert "Henrik Aarup-Kristensen indledte med at fortælle om baggrunden" in document.text
    assert "script-src" not in document.headers["content-security-policy"]  # no script in the document
    public = client.get("/dokument/dagsorden/offentlig.html")
    assert public.status_code == 200 and "offentlig" in public.text.lower()


def test_the_real_pdf_is_served_from_memory(client: TestClient, meeting: Path) -> None:
    before = tree(meeting)
    response = authed(client).get("/dokument/referat/intern.pdf")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    import io

    text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Ungehjemmet Bifrost" in text
    assert tree(meeting) == before  # nothing written in the folder
    assert not (meeting.parent / "output").exists() and not (ROOT / "output" / "moeder").exists()


def test_messages_follow_an_edit_on_disk(client: TestClient, meeting: Path) -> None:
    authed(client)
    first = client.get("/api/tilstand").json()
    assert not first["fejl"]
    path = meeting / "punkter" / ITEM
    path.write_text(path.read_text(encoding="utf-8").replace("titel: Godkendelse", "titl: Godkendelse", 1),
                    encoding="utf-8")
    state = client.get("/api/tilstand").json()
    assert state["fejl"] and state["version"] > first["version"]
    [wrong] = [m for m in state["beskeder"] if "titl" in m["tekst"]]
    assert wrong["punkt"] == ITEM and wrong["sted"].startswith(f"punkter/{ITEM}:")
    assert "mente du" in wrong["tekst"]
    page = client.get("/").text
    assert "titl" in page
    # a meeting with errors: the document says why instead of a stale page
    blocked = client.get("/dokument/referat/intern.html")
    assert blocked.status_code == 409 and "mødet har fejl" in blocked.text


def test_the_public_edition_shows_its_own_checks(client: TestClient, meeting: Path) -> None:
    path = meeting / "punkter" / ITEM
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("beslutning: |\n", "beslutning: |\n  Borgeren med CPR 010203-1234 er orienteret.\n", 1),
                    encoding="utf-8")
    authed(client)
    internal = client.get("/api/tilstand").json()
    assert not internal["fejl"] and not any("CPR" in m["tekst"] for m in internal["beskeder"])
    public = client.get("/api/tilstand", params={"udgave": "offentlig"}).json()
    [cpr] = [m for m in public["beskeder"] if "CPR-nummer" in m["tekst"]]
    assert public["fejl"] and cpr["alvor"] == "fejl" and cpr["punkt"] == ITEM
    assert "010203-1234" in client.get("/", params={"dokument": "referat", "udgave": "offentlig"}).text
    blocked = client.get("/dokument/referat/offentlig.html")
    assert blocked.status_code == 409 and "offentlige udgave har fejl" in blocked.text
    assert client.get("/dokument/referat/intern.html").status_code == 200


def test_yaml_text_is_printed_literally_in_the_pages(client: TestClient, meeting: Path) -> None:
    path = meeting / "punkter" / ITEM
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    [at] = [i for i, line in enumerate(lines) if line.startswith("titel:")]
    lines[at] = "titel: \"<script>alert(1)</script> {{ 7*7 }} & planer\"\n"
    path.write_text("".join(lines), encoding="utf-8")
    for page in ("/", "/skriv"):
        text = authed(client).get(page).text
        assert "<script>alert(1)</script>" not in text
        assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} &amp; planer" in text


def test_unknown_documents_are_not_found(client: TestClient) -> None:
    authed(client)
    assert client.get("/dokument/../intern.html").status_code == 404
    assert client.get("/dokument/referat/hemmelig.html").status_code == 404
    assert client.get("/dokument/referat/intern.docx").status_code == 404
    assert client.get("/static/..%2Fforhaandsvisning.html.j2").status_code == 404


def test_help_and_validate_do_not_import_the_server_libraries() -> None:
    code = ("import sys\nfrom referat.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            f"main(['validate', {str(EXAMPLE)!r}])\n"
            "print(sorted(m for m in ('starlette', 'uvicorn', 'watchfiles') if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=ROOT)
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stderr


# ---------------------------------------------------------------------------------------------------- saves


def sha_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_decision_saved_from_the_page_lands_in_the_yaml_with_the_rest_byte_identical(
        client: TestClient, meeting: Path) -> None:
    authed(client)
    path = meeting / "punkter" / ITEM
    before_text = path.read_text(encoding="utf-8")
    others = {k: v for k, v in tree(meeting).items() if k != f"punkter/{ITEM}"}
    data = client.get("/api/tilstand", params={"skriv": 1}).json()["skriv"]
    [item] = [it for it in data["punkter"] if it["fil"] == ITEM]
    assert item["sha256"] == sha_of(path) and item["indstilling"]
    response = post(client, "beslutning", {"fil": ITEM, "tekst": "Godkendt.\n\nMed <b>tilføjelse</b> & {{ x }}",
                                           "sha256": item["sha256"]})
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["gemt"] and answer["sha256"] == sha_of(path) and answer["fil"] == f"punkter/{ITEM}"
    after = path.read_text(encoding="utf-8")
    start = before_text.index("beslutning:")
    assert after[:start] == before_text[:start]  # everything before the key, comments and quoting included
    assert "Med <b>tilføjelse</b> & {{ x }}" in after
    assert {k: v for k, v in tree(meeting).items() if k != f"punkter/{ITEM}"} == others
    # validated like a hand edit, and the preview shows it
    state = client.get("/api/tilstand", params={"skriv": 1}).json()
    [item] = [it for it in state["skriv"]["punkter"] if it["fil"] == ITEM]
    assert item["beslutning"].startswith("Godkendt.\n\nMed <b>tilføjelse</b>")
    assert "Med &lt;b&gt;tilføjelse&lt;/b&gt; &amp; {{ x }}" in client.get("/dokument/referat/intern.html").text
    # the next save with the sha256 the answer gave succeeds; saving the same again changes nothing
    again = post(client, "beslutning", {"fil": ITEM, "tekst": "Godkendt", "sha256": answer["sha256"]})
    assert again.status_code == 200 and "beslutning: Godkendt\n" in path.read_text(encoding="utf-8")


def test_a_stale_save_is_a_conflict_with_both_versions_and_nothing_is_written(
        client: TestClient, meeting: Path) -> None:
    authed(client)
    path = meeting / "punkter" / ITEM
    loaded = sha_of(path)
    path.write_text(path.read_text(encoding="utf-8") + "# rettet i en editor\n", encoding="utf-8")
    on_disk = path.read_bytes()
    response = post(client, "beslutning", {"fil": ITEM, "tekst": "Min tekst", "sha256": loaded})
    assert response.status_code == 409
    answer = response.json()
    assert answer["fejl"] == "konflikt" and "ændret på disken" in answer["besked"]
    assert answer["disk"].endswith("# rettet i en editor\n") and answer["sha256"] == sha_of(path)
    assert path.read_bytes() == on_disk  # nothing overwritten
    # the user chooses to keep theirs: saved against the disk's version
    kept = post(client, "beslutning", {"fil": ITEM, "tekst": "Min tekst", "sha256": answer["sha256"]})
    assert kept.status_code == 200
    text = path.read_text(encoding="utf-8")
    assert "Min tekst" in text and text.endswith("# rettet i en editor\n")


@pytest.mark.parametrize("name", ["../møde.yaml", "../../x.yaml", "/etc/passwd", "..", "punkter/" + ITEM,
                                  "..\\møde.yaml", "findes-ikke.yaml", "%2e%2e%2fmøde.yaml", ""])
def test_item_ids_that_leave_the_list_or_the_folder_are_refused(client: TestClient, meeting: Path,
                                                                name: str) -> None:
    authed(client)
    before = tree(meeting)
    outside = sorted(p.name for p in meeting.parent.iterdir())
    response = post(client, "beslutning", {"fil": name, "tekst": "x", "sha256": sha_of(meeting / "møde.yaml")})
    assert response.status_code in (400, 422)
    assert "punktlisten" in response.json()["fejl"] or "mangler" in response.json()["fejl"]
    assert tree(meeting) == before and sorted(p.name for p in meeting.parent.iterdir()) == outside


def test_bad_requests_are_answered_in_danish_without_writing(client: TestClient, meeting: Path) -> None:
    authed(client)
    before = tree(meeting)
    r = client.post("/api/gem/beslutning", content=b"{ikke json", headers={"X-Referat-Token": TOKEN})
    assert r.status_code == 400 and "JSON" in r.json()["fejl"]
    assert post(client, "beslutning", {"fil": ITEM, "tekst": "x"}).status_code == 400  # no sha256
    assert post(client, "slet-alt", {"sha256": "x"}).status_code == 404
    assert tree(meeting) == before


def test_tasks_attendance_and_guests_round_trip(client: TestClient, meeting: Path) -> None:
    authed(client)
    data = client.get("/api/tilstand", params={"skriv": 1}).json()["skriv"]
    [item] = [it for it in data["punkter"] if it["fil"] == ITEM]
    tasks = [{"opgave": "Sekretariatet sender planen ud", "ansvarlig": "Sekretariatet", "frist": "2026-03-31",
              "status": "åben"}]
    r = post(client, "opfoelgning", {"fil": ITEM, "opgaver": tasks, "sha256": item["sha256"]})
    assert r.status_code == 200, r.text
    members = data["medlemmer"]
    r = post(client, "fremmoede", {"til_stede": members[1:], "fravaerende": members[:1],
                                   "sha256": data["moede_sha256"]})
    assert r.status_code == 200, r.text
    r = post(client, "delvis", {"delvis": [{"navn": members[1], "fra_punkt": 3}, {"navn": members[2], "til_punkt": 10}],
                                "sha256": r.json()["sha256"]})
    assert r.status_code == 200, r.text
    r = post(client, "gaest", {"navn": "Anna Stedfortræder", "titel": "Afdelingschef",
                               "organisation": "Aalborg Kommune", "i_stedet_for": members[0],
                               "sha256": r.json()["sha256"]})
    assert r.status_code == 200, r.text
    r = post(client, "gaest-punkter", {"navn": "Anna Stedfortræder", "punkter": [3, 4],
                                       "sha256": r.json()["sha256"]})
    assert r.status_code == 200, r.text
    state = client.get("/api/tilstand", params={"skriv": 1}).json()
    assert not state["fejl"], state["beskeder"]
    minutes = state["skriv"]
    [item] = [it for it in minutes["punkter"] if it["fil"] == ITEM]
    assert item["opfoelgning"] == tasks
    assert minutes["fravaerende"] == members[:1] and minutes["til_stede"] == members[1:]
    assert minutes["delvis"] == {members[1]: {"fra_punkt": 3, "til_punkt": None},
                                 members[2]: {"fra_punkt": None, "til_punkt": 10}}
    [anna] = [g for g in minutes["oevrige"] if g["navn"] == "Anna Stedfortræder"]
    assert anna["punkter"] == ["3", "4"] and anna["i_stedet_for"] == members[0]
    text = client.get("/dokument/referat/intern.html").text
    assert "Anna Stedfortræder, Afdelingschef, Aalborg Kommune" in text  # on the front page of the minutes


# ---------------------------------------------------------------------------------------------------- the walk


def test_a_meetings_minutes_taken_in_the_browser_are_built_signed_and_archived(
        run, tmp_path: Path, pki, cert_password: None) -> None:  # type: ignore[no-untyped-def]
    folder, outdir, archive = tmp_path / "2027-03-01-das", tmp_path / "output", tmp_path / "arkiv"
    assert run("new", folder, "--dato", "2027-03-01", "--sted", "Aalborg")[0] == 0
    assert run("to-minutes", folder)[0] == 0  # the command that moves a meeting to minutes; no hand edit
    before = tree(folder)
    with TestClient(create_app(folder, TOKEN, watch=False), base_url="http://127.0.0.1") as client:
        authed(client)
        data = client.get("/api/tilstand", params={"skriv": 1}).json()["skriv"]
        assert data["punkter"]
        decisions = {}
        for item in data["punkter"]:
            text = f"{item['standard']}.\n\nPunkt {item['nummer']} blev drøftet på mødet."
            r = post(client, "beslutning", {"fil": item["fil"], "tekst": text, "sha256": item["sha256"]})
            assert r.status_code == 200, r.text
            decisions[item["nummer"]] = text
        members = data["medlemmer"]
        r = post(client, "fremmoede", {"til_stede": members[:-1], "fravaerende": members[-1:],
                                       "sha256": data["moede_sha256"]})
        assert r.status_code == 200, r.text
        state = client.get("/api/tilstand").json()
        assert not state["fejl"], state["beskeder"]
    assert set(tree(folder)) == set(before)  # the same files, nothing beside them

    code, _, err = run("build", folder, "--dokument", "referat", "--format", "pdf", "--out", outdir)
    assert code == 0, err
    minutes = outdir / "referat.pdf"
    shown = "\n".join(page.extract_text() or "" for page in PdfReader(minutes).pages)
    assert "blev drøftet på mødet" in shown and members[-1] in shown
    signed = tmp_path / "referat-underskrevet.pdf"
    code, _, err = run("sign", minutes, "--cert", pki.formand, "--out", signed, "--rolle", "formand")
    assert code == 0, err
    code, _, err = run("archive", "add", folder, signed, "--rodcertifikat", pki.root_pem, "--arkiv", archive)
    assert code == 0, err
    code, listing, _ = run("archive", "list", "--arkiv", archive)
    assert code == 0 and "2027-03-01" in listing


# ---------------------------------------------------------------------------------------------------- the command


# `python -m referat`, with Ctrl+C set as a terminal's foreground command has it, or ignored as a shell's background
# job has it: the child inherits how SIGINT is handled, and pytest itself may have been started as a background job.
_RUN_REFERAT = ("import runpy, signal, sys; signal.signal(signal.SIGINT, signal.{}); "
                "runpy.run_module('referat', run_name='__main__', alter_sys=True)")


def _start(meeting: Path, *extra: str, interrupt: str = "default_int_handler",
           ) -> tuple[subprocess.Popen[str], str, list[str]]:
    process = subprocess.Popen([sys.executable, "-c", _RUN_REFERAT.format(interrupt), "serve", str(meeting),
                                "--ingen-browser", *extra],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=meeting.parent)
    assert process.stdout is not None
    lines = [process.stdout.readline() for _ in range(2 if not extra else 3)]
    [line] = [entry for entry in lines if entry.startswith("Åbn ")]
    return process, line.removeprefix("Åbn ").strip(), lines


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT til en underproces er POSIX")
def test_serve_prints_the_address_refuses_without_the_token_and_ctrl_c_exits_130(meeting: Path) -> None:
    import signal
    import urllib.error
    import urllib.request

    process, address, _ = _start(meeting)
    try:
        base, _, token = address.partition("/?token=")
        assert base.startswith("http://127.0.0.1:") and len(token) >= 32
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(base + "/api/tilstand", timeout=30)
        assert refused.value.code == 403
        with urllib.request.urlopen(address, timeout=30) as page:
            assert page.status == 200 and "Forhåndsvisning" in page.read().decode("utf-8")
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    assert process.returncode == 130, err
    assert "afbrudt" in err and "Traceback" not in err


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT til en underproces er POSIX")
def test_serve_started_with_ctrl_c_ignored_keeps_serving_through_it_and_stops_on_sigterm(meeting: Path) -> None:
    """A shell starts `referat serve DIR &` with SIGINT ignored; uvicorn would stop on it anyway and exit 0."""
    import signal
    import time
    import urllib.request

    process, address, _ = _start(meeting, interrupt="SIG_IGN")
    try:
        with urllib.request.urlopen(address, timeout=30) as page:  # answered: uvicorn runs, its handlers are set
            assert page.status == 200
        process.send_signal(signal.SIGINT)
        time.sleep(2)  # uvicorn stops within about a second, had it taken the signal
        assert process.poll() is None
        with urllib.request.urlopen(address, timeout=30) as page:
            assert page.status == 200
    finally:
        process.terminate()
        _, err = process.communicate(timeout=30)
    assert process.returncode == 143, err
    assert "Traceback" not in err


def test_serve_on_all_addresses_warns_and_still_needs_the_token(meeting: Path) -> None:
    process, address, lines = _start(meeting, "--host", "0.0.0.0")
    assert lines[0].startswith("advarsel: serveren kan nås fra andre maskiner")
    try:
        import urllib.error
        import urllib.request

        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(address.partition("/?")[0] + "/", timeout=30)
        assert refused.value.code == 403
    finally:
        process.terminate()
        _, err = process.communicate(timeout=30)
    assert process.returncode == 143, err


def test_serve_without_a_meeting_folder_is_a_danish_error(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run("serve", tmp_path / "findes-ikke", "--ingen-browser")
    assert code == 1 and "mødemappen findes ikke" in err
    with pytest.raises(SystemExit) as usage:  # argparse's own exit, as for every command
        run("serve", tmp_path, "--ingen-browser", "--port", "99999")
    assert usage.value.code == 2


def test_a_bug_is_reported_as_one_without_a_traceback_to_the_page(meeting: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    from referat.live import state

    def broken(*args: object) -> bytes:
        raise ZeroDivisionError("simuleret fejl")

    monkeypatch.setattr(state.LiveState, "_render", broken)
    with TestClient(create_app(meeting, TOKEN, watch=False), base_url="http://127.0.0.1",
                    raise_server_exceptions=False) as client:
        response = authed(client).get("/dokument/referat/intern.html")
    assert response.status_code == 500
    assert "intern fejl (ZeroDivisionError)" in response.text and "Traceback" not in response.text
    assert "ikke i dine filer" in capsys.readouterr().err
