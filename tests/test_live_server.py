"""`referat serve` over HTTP (issue 16), with Starlette's TestClient on a copy of the example meeting: the token
guard, messages after an edit on disk, the preview, saves that round-trip, conflicts (409), nothing written outside
the folder, item ids that try to leave it; and a whole meeting's minutes taken through the API, then built, signed
and archived with the existing commands."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from starlette.testclient import TestClient  # needs httpx, in the [test] extra

from referat.live.app import create_app

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "agendas" / "2026-02-23-das-social"
TOKEN = "test-token-3f9a"
ITEM = "03-planer-ungehjemmet-bifrost.yaml"



def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def meeting(tmp_path: Path) -> Path:
    folder = tmp_path / "moeder" / EXAMPLE.name
    shutil.copytree(EXAMPLE, folder)
    return folder


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
