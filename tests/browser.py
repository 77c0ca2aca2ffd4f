"""Headless Chromium and axe-core for the browser tests (tests/test_html_axe.py, tests/test_live_browser.py).

Needs Chromium and chromedriver (Debian: chromium chromium-driver), selenium (the [test] extra) and, for the axe-core
checks, axe-core from npm in .ci/node (`.ci/run` installs them all); without them the tests skip and say why.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / ".ci" / "node" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]  # WCAG 2.1 A and AA
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AXE_MISSING = "axe-core mangler: kør `npm install --prefix .ci/node axe-core@4.10.2` (eller .ci/run)"


def missing(*, axe: bool = False) -> str | None:
    """Why the browser (and, with `axe`, axe-core) cannot run here, or None when it can."""
    if axe and not AXE.is_file():
        return AXE_MISSING
    if shutil.which("chromium") is None and shutil.which("chromium-browser") is None:
        return "Chromium mangler: `apt-get install chromium chromium-driver` (eller .ci/run)"
    if shutil.which("chromedriver") is None:
        return "chromedriver mangler: `apt-get install chromium-driver` (eller .ci/run)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium mangler: pip install -e '.[test]'"
    return None


def chromium(*, extra_flags: Sequence[str] = (), axe: bool = False) -> Iterator[Any]:
    """A headless Chromium driven by selenium, with a throwaway profile, for a module's `browser` fixture
    (`yield from chromium()`); skips the tests, saying what is missing, where it cannot run."""
    reason = missing(axe=axe)
    if reason:
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="referat-chromium-")
    options = webdriver.ChromeOptions()
    for flag in [*FLAGS, *extra_flags, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    assert binary is not None
    options.binary_location = binary
    driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def axe_violations(driver: Any) -> list[dict[str, Any]]:
    """axe-core's violations at WCAG 2.1 A/AA on the page the browser shows now (an axe error is one violation)."""
    if not AXE.is_file():
        pytest.skip(AXE_MISSING)
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})"
        ".then(r => done(JSON.stringify(r.violations))).catch(e => done(JSON.stringify([{id: 'axe-error', "
        "help: String(e), nodes: []}])));", TAGS)
    violations = json.loads(result)
    assert isinstance(violations, list)
    return violations


def summary(violations: list[dict[str, Any]]) -> list[tuple[str, str, list[Any]]]:
    """Each violation as (rule, help, the first three elements it names): what a failing test shows."""
    return [(v["id"], v["help"], [n.get("target") for n in v["nodes"]][:3]) for v in violations]
