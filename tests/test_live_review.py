"""`referat serve` reviewed against issue 16 as a minute-taker uses it in a meeting room (task s4-live).

What the other live tests do not reach: the failure paths a meeting room has (the meeting folder deleted or
renamed while serving, an item file made invalid YAML while the page is open, a read-only disk at save time, a
save while a reload runs), each answered with a Danish message naming the file, and the server going on; hostile
text (`<script>`, `{{ }}`, a right-to-left override, zero-width characters) shown literally on both pages and in
the preview; and, in a real browser, that choosing the disk's version of one item leaves what is typed in another
alone, and that the pages say what went wrong.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

import test_live_browser as live_browser
from conftest import example_among_meetings
from referat.app.serve import create_app
from referat.live.app import visible

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "agendas" / "2026-02-23-das-social"
TOKEN = "review-token-8c1e"
ITEM = "03-planer-ungehjemmet-bifrost.yaml"
FIRST = "01-godkendelse-af-dagsorden.yaml"
GONE = "slettet eller omdøbt"


def sha_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def meeting(tmp_path: Path) -> Path:
    return example_among_meetings(tmp_path)


@pytest.fixture
def client(meeting: Path) -> Iterator[TestClient]:
    with TestClient(create_app(meeting, TOKEN, watch=False), base_url="http://127.0.0.1",
                    raise_server_exceptions=False) as c:
        assert c.get("/", params={"token": TOKEN}).status_code == 200  # the cookie for what follows
        yield c


def post(client: TestClient, what: str, body: dict[str, object]) -> Any:
    return client.post(f"/api/gem/{what}", json=body, headers={"X-Referat-Token": TOKEN})


def break_yaml(path: Path) -> None:
    """A hand edit that leaves the file invalid YAML: an unclosed `[` on the title's line (3), which the parser
    finds on line 4."""
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[2].startswith("titel:")
    path.write_text(text.replace("titel:", "titel: [", 1), encoding="utf-8")


# ------------------------------------------------------------------------------------------- an invalid item file


def test_an_item_made_invalid_yaml_is_on_the_page_with_its_message_and_a_save_names_file_and_line(
        client: TestClient, meeting: Path) -> None:
    path = meeting / "punkter" / ITEM
    loaded = sha_of(path)
    break_yaml(path)
    broken = path.read_bytes()
    page = client.get("/skriv").text
    # the item is still on the minute-taking page, with the message that says why it cannot be written in
    start = page.index(f'data-fil="{ITEM}"')
    section = page[start:page.index("</section>", start)]
    assert "ulaest" in page[page.rindex("<section", 0, start):start]
    assert "kan ikke læses" in section and "ret den i en editor" in section
    assert f"punkter/{ITEM}:4:" in section and "YAML-syntaksfejl" in section
    assert f">{ITEM}</h2>" in section  # named by its file: its title and number cannot be read
    # the other items can be written in as before
    assert 'data-fil="04-nyt-takstskema.yaml" data-nummer="4" data-sha256=' in page
    # the page still holding the file as it was loaded: a conflict with both versions, nothing written
    stale = post(client, "beslutning", {"fil": ITEM, "tekst": "Godkendt", "sha256": loaded})
    assert stale.status_code == 409 and stale.json()["disk"] == broken.decode("utf-8")
    # "Gem min udgave" against the broken file: refused, naming the file and the line, nothing written
    refused = post(client, "beslutning", {"fil": ITEM, "tekst": "Godkendt", "sha256": stale.json()["sha256"]})
    assert refused.status_code == 422
    assert refused.json()["fejl"].startswith(f"punkter/{ITEM}:4:")
    assert "YAML" in refused.json()["fejl"] and "ret den i en editor" in refused.json()["fejl"]
    assert path.read_bytes() == broken
    other = meeting / "punkter" / FIRST
    ok = post(client, "beslutning", {"fil": FIRST, "tekst": "Godkendt", "sha256": sha_of(other)})
    assert ok.status_code == 200 and "beslutning: Godkendt\n" in other.read_text(encoding="utf-8")


def test_a_meeting_file_made_invalid_says_why_on_the_minutes_page(client: TestClient, meeting: Path) -> None:
    path = meeting / "møde.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("fase: referat", "fase: [referat", 1),
                    encoding="utf-8")
    page = client.get("/skriv").text
    assert '<p class="fejl" id="kan-ikke-indlaeses">Mødet kan ikke indlæses' in page  # not hidden
    general = page[page.index('<section id="moedet"'):page.index("</section>")]
    assert "møde.yaml:" in general and "YAML-syntaksfejl" in general
    state = client.get("/api/tilstand", params={"skriv": 1}).json()
    assert state["skriv"] == {"klar": False} and any(m["punkt"] == "" for m in state["beskeder"])
    # loaded again, the notice is hidden
    path.write_text((EXAMPLE / "møde.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    assert '<p class="fejl" id="kan-ikke-indlaeses" hidden>' in client.get("/skriv").text


# ------------------------------------------------------------------------------------------- the folder gone


def test_the_meeting_folder_deleted_while_serving_is_said_in_danish_and_nothing_is_written(
        client: TestClient, meeting: Path) -> None:
    item_sha = sha_of(meeting / "punkter" / ITEM)
    shutil.rmtree(meeting)
    state = client.get("/api/tilstand", params={"skriv": 1}).json()
    assert state["fejl"] and state["skriv"] == {"klar": False}
    [gone] = state["beskeder"]
    assert GONE in gone["tekst"] and gone["punkt"] == ""
    for page in ("/", "/skriv"):
        response = client.get(page)
        assert response.status_code == 200 and GONE in response.text
    saved = post(client, "beslutning", {"fil": ITEM, "tekst": "Godkendt", "sha256": item_sha})
    assert saved.status_code == 422 and GONE in saved.json()["fejl"] and "Intet kan gemmes" in saved.json()["fejl"]
    assert not meeting.exists()  # a save did not make the folder again
    blocked = client.get("/dokument/referat/intern.html")
    assert blocked.status_code == 409 and "Traceback" not in blocked.text
    # put back: served as before
    shutil.copytree(EXAMPLE, meeting)
    assert not client.get("/api/tilstand").json()["fejl"]
    assert post(client, "beslutning", {"fil": ITEM, "tekst": "Godkendt", "sha256": item_sha}).status_code == 200


def _wait(check: Callable[[], bool], what: str, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} skete ikke inden for {seconds} s")
        time.sleep(0.05)


@pytest.mark.parametrize("how", ["renamed", "deleted"])
def test_the_watcher_tells_the_pages_when_the_folder_goes_and_watches_it_again_when_it_is_back(
        meeting: Path, how: str) -> None:
    """Without any request from a page: the state is what the event stream announces to every open page."""
    from referat.app.serve import Background

    with Background(meeting) as running:
        state = running._app.live.state
        aside = meeting.with_name("flyttet")
        if how == "renamed":
            meeting.rename(aside)
        else:
            shutil.rmtree(meeting)
        _wait(lambda: any(GONE in d.message for d in state.current.report.items), "beskeden om den forsvundne mappe")
        if how == "renamed":
            aside.rename(meeting)
        else:
            shutil.copytree(EXAMPLE, meeting)
        _wait(lambda: state.current.meeting is not None and not state.current.report.has_errors, "genindlæsningen")
        path = meeting / "punkter" / ITEM
        path.write_text(path.read_text(encoding="utf-8").replace("titel: Godkendelse", "titl: Godkendelse", 1),
                        encoding="utf-8")
        _wait(lambda: any("titl" in d.message for d in state.current.report.items),
              "beskeden efter en ændring i den genskabte mappe (overvågningen går videre)")


# ------------------------------------------------------------------------------------------- a read-only disk


def test_a_read_only_disk_at_save_time_is_said_with_the_file_and_the_server_goes_on(
        client: TestClient, meeting: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk becomes read-only (a USB stick's switch, a network share gone read-only) between loading the
    page and saving. Run as root here, so chmod cannot make it so: the rename the save ends with fails as the
    kernel fails it (EROFS)."""
    import referat.fileio

    path = meeting / "punkter" / ITEM
    before = path.read_bytes()
    real = os.replace

    def read_only(src: Any, dst: Any) -> None:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(dst))

    monkeypatch.setattr(referat.fileio.os, "replace", read_only)
    refused = post(client, "beslutning", {"fil": ITEM, "tekst": "Godkendt", "sha256": sha_of(path)})
    assert refused.status_code == 422
    message = refused.json()["fejl"]
    assert message.startswith(f"punkter/{ITEM}: ") and "skrivebeskyttet" in message and "urørt" in message
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir() if p.name.startswith(".")) == []  # no temporary file left
    monkeypatch.setattr(referat.fileio.os, "replace", real)
    again = post(client, "beslutning", {"fil": ITEM, "tekst": "Godkendt", "sha256": sha_of(path)})
    assert again.status_code == 200 and "beslutning: Godkendt\n" in path.read_text(encoding="utf-8")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="chmod hindrer ikke root i at skrive")
def test_a_folder_without_write_access_is_said_with_the_file(client: TestClient, meeting: Path) -> None:
    items = meeting / "punkter"
    path = items / ITEM
    before = path.read_bytes()
    items.chmod(0o555)
    try:
        refused = post(client, "beslutning", {"fil": ITEM, "tekst": "Godkendt", "sha256": sha_of(path)})
    finally:
        items.chmod(0o755)
    assert refused.status_code == 422 and refused.json()["fejl"].startswith("punkter")
    assert "skriveadgang" in refused.json()["fejl"] and path.read_bytes() == before


# ------------------------------------------------------------------------------------------- saves and reloads


def test_a_save_while_a_reload_runs_waits_for_it_and_answers_with_its_own_messages(
        client: TestClient, meeting: Path) -> None:
    """A reload (the watcher's, after a hand edit) is running when the minute-taker's save comes: the save is
    written, waits for the reload, and its answer and the state are those of the file with the save in it."""
    live = client.app.live  # type: ignore[attr-defined]
    state = live.state
    path = meeting / "punkter" / ITEM
    loaded = sha_of(path)
    real = state.pipeline.load
    answers: list[Any] = []

    def reload_during_which_a_save_comes(folder: Path, templates: Any) -> Any:
        state.pipeline = replace(state.pipeline, load=real)  # once: the save's own reload is an ordinary one
        result = real(folder, templates)  # the folder as it was: the reload's view is already out of date …
        saver = threading.Thread(target=lambda: answers.append(
            post(client, "beslutning", {"fil": ITEM, "tekst": "Gemt under genindlæsning", "sha256": loaded})))
        saver.start()
        _wait(lambda: sha_of(path) != loaded, "gemningen")  # … when the save has written the file
        return result

    state.pipeline = replace(state.pipeline, load=reload_during_which_a_save_comes)
    path.with_name("ny-bilag.txt").write_text("x", encoding="utf-8")  # a change that makes the reload run
    reloader = threading.Thread(target=state.refresh)
    reloader.start()
    reloader.join(30)
    state.pipeline = replace(state.pipeline, load=real)
    _wait(lambda: bool(answers), "svaret på gemningen")
    [answer] = answers
    assert answer.status_code == 200, answer.text
    assert answer.json()["sha256"] == sha_of(path)
    current = state.current
    assert current.meeting is not None
    [item] = [it for it in current.meeting.items if it.file is not None and it.file.name == ITEM]
    assert item.decision == "Gemt under genindlæsning"  # the state is not the reload's older one
    assert answer.json()["version"] == current.version


def test_a_reload_that_fails_after_a_save_does_not_make_the_save_look_failed(
        client: TestClient, meeting: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The file is written before the reload: were the answer an error, the page would keep the old sha256 and
    then conflict with its own save."""
    state = client.app.live.state  # type: ignore[attr-defined]
    path = meeting / "punkter" / ITEM

    def broken(folder: Path, templates: Any) -> Any:
        raise ZeroDivisionError("simuleret fejl i genindlæsningen")

    state.pipeline = replace(state.pipeline, load=broken)
    answer = post(client, "beslutning", {"fil": ITEM, "tekst": "Godkendt", "sha256": sha_of(path)})
    assert answer.status_code == 200 and answer.json()["sha256"] == sha_of(path)
    assert "intern fejl (ZeroDivisionError)" in capsys.readouterr().err


def test_a_file_that_vanishes_while_it_is_read_is_a_message_not_a_bug(client: TestClient, meeting: Path) -> None:
    state = client.app.live.state  # type: ignore[attr-defined]

    def vanished(folder: Path, templates: Any) -> Any:
        raise FileNotFoundError(errno.ENOENT, "No such file or directory", str(folder / "punkter" / ITEM))

    state.pipeline = replace(state.pipeline, load=vanished)
    assert state.refresh(force=True)
    [message] = state.messages()
    assert message["alvor"] == "fejl" and message["sted"] == f"punkter/{ITEM}"
    assert "kunne ikke læses" in message["tekst"]
    assert client.get("/skriv").status_code == 200


# ------------------------------------------------------------------------------------------- hostile text


HOSTILE = "<script>alert(1)</script> {{ 7*7 }} \u202eFDP.exe\u202c og\u200busynlig"
SHOWN = "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} [U+202E]FDP.exe[U+202C] og[U+200B]usynlig"


def test_visible_writes_out_what_cannot_be_seen_and_keeps_emoji_sequences() -> None:
    assert visible("a\u202eb\u200bc\u2066d\ufeffe\x07f") == "a[U+202E]b[U+200B]c[U+2066]d[U+FEFF]e[U+0007]f"
    assert visible("linje\nlinje\tfane") == "linje\nlinje\tfane"
    assert visible("👩\u200d💻 og a\u200db") == "👩\u200d💻 og a[U+200D]b"


def test_hostile_text_is_shown_literally_on_both_pages_and_invisible_characters_are_written_out(
        client: TestClient, meeting: Path) -> None:
    path = meeting / "punkter" / ITEM
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    [at] = [i for i, line in enumerate(lines) if line.startswith("titel:")]
    lines[at] = "titel: \"" + HOSTILE.replace("\u202e", "\\u202E").replace("\u202c", "\\u202C").replace(
        "\u200b", "\\u200B") + "\"\n"
    path.write_text("".join(lines), encoding="utf-8")
    for page in ("/", "/skriv"):
        text = client.get(page).text
        assert SHOWN in text, page
        assert "<script>alert" not in text and "\u202e" not in text and "\u200b" not in text
    # the override is an error, so the preview says so instead of showing the document
    blocked = client.get("/dokument/referat/intern.html")
    assert blocked.status_code == 409 and "mødet har fejl" in blocked.text
    messages = client.get("/api/tilstand").json()["beskeder"]
    assert any("U+202E" in m["tekst"] and m["punkt"] == ITEM and m["alvor"] == "fejl" for m in messages)


def test_hostile_text_without_an_override_is_printed_literally_in_the_preview(client: TestClient,
                                                                              meeting: Path) -> None:
    path = meeting / "punkter" / ITEM
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    [at] = [i for i, line in enumerate(lines) if line.startswith("titel:")]
    lines[at] = "titel: \"<script>alert(1)</script> {{ 7*7 }} & <img src=x onerror=alert(2)>\"\n"
    path.write_text("".join(lines), encoding="utf-8")
    document = client.get("/dokument/referat/intern.html")
    assert document.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} &amp; &lt;img src=x onerror=alert(2)&gt;" in document.text
    assert "<script" not in document.text and "<img src=x" not in document.text
    assert "script-src" not in document.headers["content-security-policy"]


def test_a_hostile_guest_name_is_saved_as_typed_and_shown_written_out(client: TestClient, meeting: Path) -> None:
    name = "Eve \u202eevE <b>x</b>"
    saved = post(client, "gaest", {"navn": name, "sha256": sha_of(meeting / "møde.yaml")})
    assert saved.status_code == 200, saved.text
    data = client.get("/api/tilstand", params={"skriv": 1}).json()["skriv"]
    assert name in [g["navn"] for g in data["oevrige"]]  # as typed: the page's script writes it out
    page = client.get("/skriv").text
    assert 'data-navn="Eve \u202eevE &lt;b&gt;x&lt;/b&gt;"' in page  # the value the page sends back, exact
    assert '<span class="navn">Eve [U+202E]evE &lt;b&gt;x&lt;/b&gt;</span>' in page


# ------------------------------------------------------------------------------------------- in a real browser
# Chromium, chromedriver and selenium as in tests/test_live_browser.py (whose fixture and helpers these reuse);
# without them the tests skip and say why.

browser = live_browser.browser  # the fixture: headless Chromium, or a skip that says what is missing
connected, wait_for = live_browser.connected, live_browser.wait_for


@pytest.fixture
def served(meeting: Path) -> Iterator[Any]:
    from referat.app.serve import Background

    with Background(meeting) as running:
        yield running


def _minutes(browser: Any, served: Any) -> None:
    browser.get(served.url.replace("/?", "/skriv?"))
    connected(browser)


def _section(browser: Any, name: str) -> Any:
    return browser.find_element("css selector", f'section[data-fil="{name}"]')


def _conflict(browser: Any, meeting: Path, name: str, typed: str) -> Any:
    """The file changes on disk while the user types in its decision: the page shows the conflict."""
    path = meeting / "punkter" / name
    area = _section(browser, name).find_element("css selector", "textarea")
    area.click()
    path.write_text(path.read_text(encoding="utf-8").replace("beslutning:", "# rettet i editoren\nbeslutning:", 1),
                    encoding="utf-8")
    area.send_keys(typed)
    return wait_for(lambda: _section(browser, name).find_element("css selector", ".konflikt").is_displayed() and
                    _section(browser, name).find_element("css selector", ".konflikt"), f"konflikten i {name}")


def test_taking_the_disks_version_of_one_item_leaves_what_is_typed_in_another(browser: Any, served: Any,
                                                                              meeting: Path) -> None:
    _minutes(browser, served)
    _conflict(browser, meeting, ITEM, " og min tilføjelse til punkt 3")
    first = meeting / "punkter" / FIRST
    box = _conflict(browser, meeting, FIRST, " og min tilføjelse til punkt 1")
    disk_first = first.read_text(encoding="utf-8")
    box.find_element("css selector", "button.brug-disk").click()
    wait_for(lambda: "Diskens udgave er indlæst" in _section(browser, FIRST).find_element(
        "css selector", ".gemt").text, "at diskens udgave er indlæst")
    assert "og min tilføjelse til punkt 1" not in _section(browser, FIRST).find_element(
        "css selector", "textarea").get_property("value")
    # item 3 still holds what was typed there, and still shows its conflict: nothing taken over silently
    third = _section(browser, ITEM)
    assert "og min tilføjelse til punkt 3" in third.find_element("css selector", "textarea").get_property("value")
    assert third.find_element("css selector", ".konflikt").is_displayed()
    assert first.read_text(encoding="utf-8") == disk_first  # choosing the disk's version writes nothing
    third.find_element("css selector", "button.behold-min").click()
    wait_for(lambda: "og min tilføjelse til punkt 3" in (meeting / "punkter" / ITEM).read_text(encoding="utf-8"),
             "punkt 3 gemt")


def test_an_item_made_invalid_while_the_page_is_open_shows_its_message_there(browser: Any, served: Any,
                                                                             meeting: Path) -> None:
    _minutes(browser, served)
    path = meeting / "punkter" / ITEM
    good = path.read_text(encoding="utf-8")
    break_yaml(path)
    shown = wait_for(lambda: browser.find_element("css selector", f'section.ulaest[data-fil="{ITEM}"]').text,
                     "punktet med fejlen")
    assert "kan ikke læses" in shown and f"punkter/{ITEM}:4:" in shown and "YAML-syntaksfejl" in shown
    connected(browser)
    path.write_text(good, encoding="utf-8")  # fixed in the editor: the item can be written in again
    wait_for(lambda: _section(browser, ITEM).find_element("css selector", "textarea"), "punktet igen")
    assert not browser.find_elements("css selector", "section.ulaest")


def test_the_folder_renamed_while_the_preview_is_open_is_said_there(browser: Any, served: Any,
                                                                    meeting: Path) -> None:
    browser.get(served.url)
    connected(browser)
    general = '#beskeder .gruppe[data-punkt=""] ul.beskeder'
    aside = meeting.with_name("omdøbt")
    meeting.rename(aside)
    try:
        shown = wait_for(lambda: GONE in browser.find_element("css selector", general).text and
                         browser.find_element("css selector", general).text, "beskeden om mappen")
        assert "fejl" in shown
    finally:
        aside.rename(meeting)
    wait_for(lambda: GONE not in browser.find_element("css selector", general).text, "at mappen er tilbage")


def test_a_read_only_disk_at_save_time_is_said_beside_the_item(browser: Any, served: Any, meeting: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import referat.fileio

    real = os.replace

    def read_only(src: Any, dst: Any) -> None:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(dst))

    _minutes(browser, served)
    path = meeting / "punkter" / ITEM
    before = path.read_bytes()
    monkeypatch.setattr(referat.fileio.os, "replace", read_only)
    area = _section(browser, ITEM).find_element("css selector", "textarea")
    area.send_keys(" skrevet på et skrivebeskyttet drev")
    note = wait_for(lambda: "Ikke gemt" in _section(browser, ITEM).find_element("css selector", ".gemt").text and
                    _section(browser, ITEM).find_element("css selector", ".gemt").text, "'Ikke gemt'")
    assert f"punkter/{ITEM}:" in note and "skrivebeskyttet" in note
    assert path.read_bytes() == before
    assert "skrevet på et skrivebeskyttet drev" in area.get_property("value")  # the text is not lost
    monkeypatch.setattr(referat.fileio.os, "replace", real)
    area.send_keys(".")  # the disk writable again: the next keystroke saves
    wait_for(lambda: "skrevet på et skrivebeskyttet drev." in path.read_text(encoding="utf-8"), "gemt igen")


def test_a_guest_name_with_an_override_is_written_out_by_the_page_script(browser: Any, served: Any,
                                                                         meeting: Path) -> None:
    _minutes(browser, served)
    browser.find_element("css selector", "#fremmoede details summary").click()
    field = browser.find_element("css selector", '#ny-gaest input[name="navn"]')
    browser.execute_script("arguments[0].value = arguments[1];", field, "Eve \u202eevE <b>x</b>")
    browser.find_element("css selector", '#ny-gaest button[type="submit"]').click()
    guest = wait_for(lambda: browser.find_element("css selector", '#gaester li.gaest[data-navn^="Eve"]'),
                     "den nye deltager")
    text = guest.find_element("css selector", ".navn").text
    assert text == "Eve [U+202E]evE <b>x</b>" and "\u202e" not in text
    from ruamel.yaml import YAML

    data = YAML(typ="safe").load((meeting / "møde.yaml").read_text(encoding="utf-8"))
    assert "Eve \u202eevE <b>x</b>" in [g["navn"] for g in data["fremmøde"]["øvrige"]]  # saved as typed


# ------------------------------------------------------------------------------------------- a guest taken out


def test_a_guest_added_by_mistake_is_taken_out_from_the_page_with_every_other_line_unchanged(
        client: TestClient, meeting: Path) -> None:
    path = meeting / "møde.yaml"
    before = path.read_text(encoding="utf-8")
    added = post(client, "gaest", {"navn": "Anna Stedfortrædr", "i_stedet_for": "Socialdirektør, Læsø Kommune",
                                   "sha256": sha_of(path)})
    assert added.status_code == 200, added.text
    removed = post(client, "gaest-fjern", {"navn": "Anna Stedfortrædr", "sha256": added.json()["sha256"]})
    assert removed.status_code == 200, removed.text
    assert path.read_text(encoding="utf-8") == before  # byte for byte as before the mistake
    # a guest of the file itself, between comments: only its own lines go
    lines = before.splitlines(keepends=True)
    at = lines.index("    - navn: Martin Bjørn Jensen          # L61\n")
    assert lines[at + 3] == "      punkter: [3]\n"
    removed = post(client, "gaest-fjern", {"navn": "Martin Bjørn Jensen", "sha256": sha_of(path)})
    assert removed.status_code == 200, removed.text
    assert path.read_text(encoding="utf-8") == "".join(lines[:at] + lines[at + 4:])
    names = [g["navn"] for g in client.get("/api/tilstand", params={"skriv": 1}).json()["skriv"]["oevrige"]]
    assert "Martin Bjørn Jensen" not in names and "Henrik Aarup-Kristensen" in names
    # one that is not there: refused in Danish, nothing written
    after = path.read_bytes()
    refused = post(client, "gaest-fjern", {"navn": "Findes Ikke", "sha256": sha_of(path)})
    assert refused.status_code == 422 and refused.json()["fejl"] == (
        "møde.yaml: 'Findes Ikke' står ikke under fremmøde.øvrige")
    assert path.read_bytes() == after


@pytest.mark.parametrize("text, index, expected", [
    ("a: 1\nl:\n  # om x\n  - x  # x\n  # om y\n  - y\nb: 2\n", 0, "a: 1\nl:\n  # om x\n  # om y\n  - y\nb: 2\n"),
    ("l:\n- navn: x\n  punkter: [1]\n- navn: y\n", 1, "l:\n- navn: x\n  punkter: [1]\n"),
    ("l: [x, y, z]\nb: 2\n", 1, "l: [x, z]\nb: 2\n"),
    ("l:\r\n  - x\r\n  - y\r\n", 1, "l:\r\n  - x\r\n"),
    ("\ufeffl:\n  - |\n    x\n    z\n\n  - y\n", 0, "\ufeffl:\n\n  - y\n"),
])
def test_remove_entry_takes_out_exactly_the_entrys_lines(text: str, index: int, expected: str) -> None:
    from referat.load.yamledit import remove_entry

    assert remove_entry(text, Path("x.yaml"), ("l",), index) == expected


def test_a_guest_is_taken_out_in_the_browser(browser: Any, served: Any, meeting: Path) -> None:
    path = meeting / "møde.yaml"
    _minutes(browser, served)
    guest = browser.find_element("css selector", '#gaester li.gaest[data-navn="Peter Hvid Paulsen"]')
    guest.find_element("css selector", "button.fjern-gaest").click()
    browser.switch_to.alert.accept()
    wait_for(lambda: "Peter Hvid Paulsen" not in path.read_text(encoding="utf-8"), "deltageren fjernet i filen")
    wait_for(lambda: not browser.find_elements("css selector", '#gaester li.gaest[data-navn="Peter Hvid Paulsen"]'),
             "deltageren fjernet på siden")
    assert "Gemt i møde.yaml" in browser.find_element("css selector", "#fremmoede .gemt").text


# ------------------------------------------------------------------------------------------- two tabs, tasks


def test_attendance_set_in_one_tab_reaches_the_other_even_with_a_button_focused_there(
        browser: Any, served: Any, meeting: Path) -> None:
    first_name, second_name = "Socialdirektør, Læsø Kommune", "Socialdirektør, Rebild Kommune"
    row = '#fremmoede tr[data-navn="{}"] input[value="fravaerende"]'
    _minutes(browser, served)
    first = browser.current_window_handle
    browser.find_element("css selector", row.format(first_name)).click()  # the focus stays on that button
    path = meeting / "møde.yaml"
    wait_for(lambda: "Gemt" in browser.find_element("css selector", "#fremmoede .gemt").text, "'Gemt'")
    browser.switch_to.new_window("tab")
    browser.get(served.base + "/skriv")
    connected(browser)
    second = browser.current_window_handle
    assert browser.find_element("css selector", row.format(first_name)).is_selected()
    browser.find_element("css selector", row.format(second_name)).click()
    wait_for(lambda: "fraværende:\n    - Socialdirektør, Læsø Kommune\n    - Socialdirektør, Rebild Kommune"
             in path.read_text(encoding="utf-8"), "det andet fravær gemt")
    browser.switch_to.window(first)
    wait_for(lambda: browser.find_element("css selector", row.format(second_name)).is_selected(),
             "den anden fanes fravær i den første")
    browser.switch_to.window(second)
    browser.close()
    browser.switch_to.window(first)


def test_a_task_being_filled_in_survives_a_change_to_its_file_from_elsewhere(browser: Any, served: Any,
                                                                             meeting: Path) -> None:
    _minutes(browser, served)
    section = _section(browser, ITEM)
    section.find_element("css selector", "details.opgaver summary").click()
    section.find_element("css selector", "button.ny-opgave").click()
    task = section.find_element("css selector", 'tr.opgave input[name="opgave"]')
    task.send_keys("Sekretariatet sender planen ud")
    task.send_keys("\t")  # to 'ansvarlig': a save, without the incomplete task
    browser.find_element("css selector", "h1").click()  # and out of the item altogether
    state = served._app.live.state
    before = state.current.version
    path = meeting / "punkter" / ITEM
    path.write_text(path.read_text(encoding="utf-8") + "# en kommentar fra en editor\n", encoding="utf-8")
    wait_for(lambda: state.current.version > before, "genindlæsningen på serveren")
    wait_for(lambda: int(browser.execute_script("return Number(document.body.dataset.version)")) >=
             state.current.version, "opdateringen på siden")
    wait_for(lambda: _section(browser, ITEM).find_element("css selector", 'tr.opgave input[name="opgave"]')
             .get_property("value") == "Sekretariatet sender planen ud", "opgaven stadig på siden")
    assert "Sekretariatet sender planen ud" not in path.read_text(encoding="utf-8")  # not complete: not saved


# ------------------------------------------------------------------------------------------- --host


def test_shared_on_the_network_the_address_for_the_others_is_printed_and_needs_the_token(meeting: Path) -> None:
    import subprocess
    import sys
    import urllib.error
    import urllib.request

    from referat.live.server import network_addresses

    if not network_addresses("0.0.0.0"):
        pytest.skip("maskinen har ingen netværksadresse (kun 127.0.0.1)")
    process = subprocess.Popen([sys.executable, "-m", "referat", "serve", str(meeting), "--ingen-browser",
                                "--host", "0.0.0.0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        lines = []
        while not lines or not lines[-1].startswith("Stop med Ctrl+C"):
            lines.append(process.stdout.readline())
            assert lines[-1], lines
        assert lines[0].startswith("advarsel: serveren kan nås fra andre maskiner")
        [local] = [line.removeprefix("Åbn ").strip() for line in lines if line.startswith("Åbn ")]
        [other] = [line.removeprefix("Fra en anden maskine: ").strip() for line in lines
                   if line.startswith("Fra en anden maskine: ")]
        assert other.partition("/?token=")[2] == local.partition("/?token=")[2]  # the same token
        assert not other.startswith("http://127.")
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(other.partition("?")[0], timeout=30)
        assert refused.value.code == 403
        with urllib.request.urlopen(other, timeout=30) as page:
            assert page.status == 200 and "Forhåndsvisning" in page.read().decode("utf-8")
    finally:
        process.terminate()
        _, err = process.communicate(timeout=30)
    assert process.returncode == 143 and "Traceback" not in err


def test_a_websocket_without_the_token_is_refused_too(client: TestClient) -> None:
    from starlette.websockets import WebSocketDisconnect

    client.cookies.clear()
    with pytest.raises(WebSocketDisconnect) as refused, client.websocket_connect("/events"):
        pass
    assert refused.value.code == 1008
    for path in ("/events", "/", "/static/live.js", "/dokument/referat/intern.pdf", "/api/tilstand",
                 "/favicon.ico"):
        assert client.get(path).status_code == 403, path
        assert client.head(path).status_code == 403, path


def test_what_is_typed_just_before_leaving_the_page_is_saved(browser: Any, served: Any, meeting: Path) -> None:
    """The minute-taker types the last words and goes straight to the preview (or closes the tab) within the
    600 ms the page waits after the last key."""
    _minutes(browser, served)
    path = meeting / "punkter" / ITEM
    area = _section(browser, ITEM).find_element("css selector", "textarea")
    area.send_keys(" Sidste ord før siden forlades.")
    browser.get(served.url)  # at once, with the save still waiting for its timer
    wait_for(lambda: "Sidste ord før siden forlades." in path.read_text(encoding="utf-8"), "den sidste tekst gemt")
