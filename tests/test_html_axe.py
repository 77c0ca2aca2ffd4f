"""Every generated web page, opened in headless Chromium and checked by axe-core: 0 violations at WCAG 2.1 A/AA.

Needs Chromium and chromedriver (Debian: chromium chromium-driver) and axe-core from npm in .ci/node
(`.ci/run` installs all three); without them the tests skip and say why.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / ".ci" / "node" / "node_modules" / "axe-core" / "axe.min.js"
DEMO = ROOT / "agendas" / "demo-2026-06-15-das-social"
EXAMPLE = ROOT / "agendas" / "2026-02-23-das-social"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _missing() -> str | None:
    if not AXE.is_file():
        return "axe-core mangler: kør `npm install --prefix .ci/node axe-core@4.10.2` (eller .ci/run)"
    if shutil.which("chromium") is None and shutil.which("chromium-browser") is None:
        return "Chromium mangler: `apt-get install chromium chromium-driver` (eller .ci/run)"
    if shutil.which("chromedriver") is None:
        return "chromedriver mangler: `apt-get install chromium-driver` (eller .ci/run)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium mangler: pip install -e '.[test]'"
    return None


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    reason = _missing()
    if reason:
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="referat-chromium-")
    options = webdriver.ChromeOptions()
    for flag in [*FLAGS, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    assert binary is not None
    options.binary_location = binary
    driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def _axe(driver, page: Path) -> list[dict]:  # type: ignore[no-untyped-def,type-arg]
    driver.get(page.resolve().as_uri())
    assert driver.execute_script("return document.documentElement.lang") == "da"
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})"
        ".then(r => done(JSON.stringify(r.violations))).catch(e => done(JSON.stringify([{id: 'axe-error', "
        "help: String(e), nodes: []}])));", TAGS)
    return json.loads(result)


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    from referat.cli import main

    out = tmp_path_factory.mktemp("html")
    assert main(["build", str(DEMO), "--format", "html", "--offentlig", "--out", str(out / "demo")]) == 0
    assert main(["build", str(EXAMPLE), "--format", "html", "--offentlig", "--out", str(out / "eks")]) == 0
    assert main(["publish", "--site", str(out / "site"), str(DEMO), str(EXAMPLE)]) == 0
    found = sorted(out.rglob("*.html"))
    assert len(found) >= 8 + 4  # 4 editions per meeting, 2 meeting pages, index and decision register
    return found


def test_every_generated_page_has_no_wcag_21_aa_violations(browser, pages: list[Path]) -> None:  # type: ignore[no-untyped-def]
    report = {}
    for page in pages:
        violations = _axe(browser, page)
        if violations:
            report[str(page)] = [(v["id"], v["help"], [n.get("target") for n in v["nodes"]][:3]) for v in violations]
    assert report == {}


def test_axe_does_find_a_violation_in_a_broken_page(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The harness is real: a page without lang, title and alt text fails."""
    page = tmp_path / "brudt.html"
    page.write_text('<!DOCTYPE html><html lang="da"><head></head><body><img src="x.png"><a href="#"></a></body></html>',
                    encoding="utf-8")
    ids = {v["id"] for v in _axe(browser, page)}
    assert {"image-alt", "document-title", "link-name"} <= ids
