"""`referat serve` in a real browser (issue 16): headless Chromium drives the preview and the minute-taking page of
a server running in a thread on a free port, on a copy of the example meeting.

Needs Chromium and chromedriver (Debian: chromium chromium-driver; `.ci/run` installs them) and selenium (the
[test] extra), and axe-core for the axe checks (tests/browser.py); without them the tests skip and say why.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from browser import axe_violations, chromium, summary

ITEM = "03-planer-ungehjemmet-bifrost.yaml"
WAIT = 20.0  # seconds a page has to show a change (far above the ~0.3 s it takes; the machine may be busy)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from chromium(extra_flags=["--window-size=1400,1000"])


@pytest.fixture
def meeting(example_copy: Path) -> Path:
    """A copy of the example meeting (conftest's example_copy) for the server to serve."""
    return example_copy


@pytest.fixture
def server(meeting: Path) -> Iterator[Any]:
    from referat.app.serve import Background

    with Background(meeting) as running:
        yield running


def wait_for(check: Callable[[], Any], what: str) -> Any:
    deadline = time.monotonic() + WAIT
    while True:
        try:
            value = check()
        except Exception:  # noqa: BLE001 - a page in the middle of an update: look again
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"siden viste ikke {what} inden for {WAIT} s")
        time.sleep(0.05)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def connected(driver: Any) -> None:
    wait_for(lambda: "Forbundet" in driver.find_element("id", "status").text, "at den er forbundet")


def test_a_request_without_the_token_is_refused(browser: Any, server: Any) -> None:
    browser.delete_all_cookies()
    browser.get(server.base + "/")
    assert "Adgang nægtet" in browser.find_element("tag name", "h1").text
    browser.get(server.base + "/skriv?token=forkert")
    assert "Adgang nægtet" in browser.find_element("tag name", "h1").text


def test_the_preview_shows_a_message_after_an_edit_on_disk(browser: Any, server: Any, meeting: Path) -> None:
    browser.get(server.url)
    assert browser.execute_script("return document.documentElement.lang") == "da"
    connected(browser)
    sidebar = browser.find_element("css selector", "aside.punkter").text
    assert "Godkendelse af planer for kommunikation" in sidebar
    # the document itself, in the frame
    browser.switch_to.frame("dokument")
    wait_for(lambda: "Ungehjemmet Bifrost" in browser.find_element("tag name", "body").text, "dokumentet")
    browser.switch_to.default_content()
    path = meeting / "punkter" / ITEM
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("adgang: åben", "adgang: halvåben", 1), encoding="utf-8")
    group = f'#beskeder .gruppe[data-punkt="{ITEM}"] ul.beskeder'
    shown = wait_for(lambda: "halvåben" in browser.find_element("css selector", group).text and
                     browser.find_element("css selector", group).text, "beskeden om 'halvåben'")
    assert f"punkter/{ITEM}:" in shown and "fejl" in shown
    # fixed again: the message goes, the document comes back
    path.write_text(text, encoding="utf-8")
    wait_for(lambda: "halvåben" not in browser.find_element("css selector", group).text, "at fejlen forsvandt")


def test_a_typed_decision_lands_in_the_yaml_with_the_rest_unchanged(browser: Any, server: Any,
                                                                    meeting: Path) -> None:
    path = meeting / "punkter" / ITEM
    before = path.read_text(encoding="utf-8")
    browser.get(server.url.replace("/?", "/skriv?"))
    connected(browser)
    area = browser.find_element("css selector", f'section[data-fil="{ITEM}"] textarea')
    area.clear()
    area.send_keys("Godkendt med bemærkning: <b>ikke fed</b> & {{ x }}")
    wait_for(lambda: "Godkendt med bemærkning: <b>ikke fed</b> & {{ x }}" in path.read_text(encoding="utf-8"),
             "beslutningen gemt i filen")
    wait_for(lambda: "Gemt" in browser.find_element("css selector", f'section[data-fil="{ITEM}"] .gemt').text,
             "'Gemt'")
    after = path.read_text(encoding="utf-8")
    start = before.index("beslutning:")
    assert after[:start] == before[:start]  # every byte before the edited key
    assert after.endswith("beslutning: 'Godkendt med bemærkning: <b>ikke fed</b> & {{ x }}'\n") or \
        "Godkendt med bemærkning" in after[start:]
    # a standard phrase from the profile, with a button
    section = browser.find_element("css selector", 'section[data-fil="01-godkendelse-af-dagsorden.yaml"]')
    section.find_element("css selector", 'button.frase[data-frase="Taget til efterretning"]').click()
    first = meeting / "punkter" / "01-godkendelse-af-dagsorden.yaml"
    wait_for(lambda: "Taget til efterretning" in first.read_text(encoding="utf-8"), "standardformuleringen gemt")


def test_a_conflict_is_reported_with_both_versions(browser: Any, server: Any, meeting: Path) -> None:
    path = meeting / "punkter" / ITEM
    browser.get(server.url.replace("/?", "/skriv?"))
    connected(browser)
    selector = f'section[data-fil="{ITEM}"]'
    area = browser.find_element("css selector", selector + " textarea")
    area.click()
    edited = path.read_text(encoding="utf-8").replace("beslutning:", "# rettet i editoren\nbeslutning:", 1)
    path.write_bytes(edited.encode("utf-8"))  # the file changes behind the page's back …
    area.send_keys(" og min tilføjelse")  # … while the user types: a field being typed in is not replaced
    conflict = wait_for(lambda: browser.find_element("css selector", selector + " .konflikt").is_displayed() and
                        browser.find_element("css selector", selector + " .konflikt"), "konflikten")
    assert "Konflikt" in conflict.text and "Din udgave" in conflict.text and "På disken nu" in conflict.text
    assert "# rettet i editoren" in conflict.find_element("css selector", "pre.disk").text
    assert "og min tilføjelse" in conflict.find_element("css selector", "pre.din").text
    assert path.read_text(encoding="utf-8") == edited  # nothing overwritten silently
    conflict.find_element("css selector", "button.behold-min").click()  # the user chooses theirs
    wait_for(lambda: "og min tilføjelse" in path.read_text(encoding="utf-8"), "den valgte udgave gemt")
    assert "# rettet i editoren" in path.read_text(encoding="utf-8")


def test_attendance_is_saved_from_the_panel(browser: Any, server: Any, meeting: Path) -> None:
    from selenium.webdriver.support.select import Select

    path = meeting / "møde.yaml"
    before = path.read_text(encoding="utf-8")
    browser.get(server.url.replace("/?", "/skriv?"))
    connected(browser)
    row = browser.find_element("css selector", '#fremmoede tr[data-navn="Socialdirektør, Læsø Kommune"]')
    row.find_element("css selector", 'input[value="fravaerende"]').click()
    wait_for(lambda: "fraværende:\n    - Socialdirektør, Læsø Kommune" in path.read_text(encoding="utf-8")
             or "fraværende: [Socialdirektør, Læsø Kommune]" in path.read_text(encoding="utf-8"),
             "fraværet gemt")
    wait_for(lambda: "Gemt" in browser.find_element("css selector", "#fremmoede .gemt").text, "'Gemt'")
    row = browser.find_element("css selector", '#fremmoede tr[data-navn="Socialdirektør, Morsø Kommune"]')
    Select(row.find_element("css selector", 'select[name="fra_punkt"]')).select_by_visible_text("4")
    wait_for(lambda: "fra_punkt: 4" in path.read_text(encoding="utf-8"), "delvis deltagelse gemt")
    after = path.read_text(encoding="utf-8")
    assert after.split("fremmøde:")[0] == before.split("fremmøde:")[0]  # the lines before the section
    assert after.split("næste_møde:")[1] == before.split("næste_møde:")[1]  # and after it


def test_two_tabs_see_each_others_saves(browser: Any, server: Any, meeting: Path) -> None:
    path = meeting / "punkter" / ITEM
    browser.get(server.url.replace("/?", "/skriv?"))
    connected(browser)
    first = browser.current_window_handle
    browser.switch_to.new_window("tab")
    browser.get(server.base + "/skriv")  # the cookie from the first tab admits it
    connected(browser)
    second = browser.current_window_handle
    area = browser.find_element("css selector", f'section[data-fil="{ITEM}"] textarea')
    area.clear()
    area.send_keys("Besluttet i den anden fane")
    area.send_keys("\t")  # leaves the field: saved at once
    wait_for(lambda: "Besluttet i den anden fane" in path.read_text(encoding="utf-8"), "gemt fra den anden fane")
    browser.switch_to.window(first)
    wait_for(lambda: browser.find_element("css selector", f'section[data-fil="{ITEM}"] textarea')
             .get_property("value") == "Besluttet i den anden fane", "den anden fanes beslutning")
    browser.switch_to.window(second)
    browser.close()
    browser.switch_to.window(first)


@pytest.mark.parametrize("page", ["/", "/skriv"])
def test_the_pages_pass_axe(browser: Any, server: Any, page: str) -> None:
    """The preview and the minute-taking page: 0 axe-core violations at WCAG 2.1 A/AA (like the web edition)."""
    browser.get(server.url.replace("/?", page + "?"))
    connected(browser)
    violations = axe_violations(browser)
    assert violations == [], summary(violations)


def test_a_phrase_button_replaces_its_phrase_and_keeps_typed_text(browser: Any, server: Any, meeting: Path) -> None:
    """Issue 24, item 6: a standard phrase replaces an empty decision or the phrase a button put there; text the
    secretary typed stays, the phrase after it; the browser's undo (Ctrl+Z) takes a click back."""
    from selenium.webdriver.common.keys import Keys

    path = meeting / "punkter" / ITEM
    browser.get(server.url.replace("/?", "/skriv?"))
    connected(browser)
    section = browser.find_element("css selector", f'section[data-fil="{ITEM}"]')
    area = section.find_element("css selector", "textarea")
    phrases = [b.get_attribute("data-frase") for b in section.find_elements("css selector", "button.frase")]
    assert len(phrases) >= 2, phrases
    first, second = phrases[0], phrases[1]

    def click(phrase: str) -> None:
        section.find_element("css selector", f'button.frase[data-frase="{phrase}"]').click()

    def saved(text: str) -> None:
        from ruamel.yaml import YAML

        wait_for(lambda: YAML(typ="safe").load(path.read_text(encoding="utf-8")).get("beslutning", "").rstrip("\n")
                 == text, f"beslutningen {text!r} gemt")

    area.clear()
    click(first)
    assert area.get_attribute("value") == first
    saved(first)
    click(second)  # the phrase it put there is replaced, not appended to
    assert area.get_attribute("value") == second
    saved(second)
    area.send_keys(Keys.CONTROL, "z")  # undo: the phrase before
    wait_for(lambda: area.get_attribute("value") == first, "fortrydelsen")
    area.clear()
    area.send_keys("Drøftet indgående.")
    click(first)  # typed text is kept; the phrase follows it
    assert area.get_attribute("value") == "Drøftet indgående.\n\n" + first
    click(second)  # and the phrase after it is replaced by the next one
    assert area.get_attribute("value") == "Drøftet indgående.\n\n" + second
    saved("Drøftet indgående.\n\n" + second)
