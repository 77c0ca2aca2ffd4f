"""Every generated web page, opened in headless Chromium and checked by axe-core: 0 violations at WCAG 2.1 A/AA.

Needs Chromium and chromedriver (Debian: chromium chromium-driver) and axe-core from npm in .ci/node
(`.ci/run` installs all three; tests/browser.py starts them); without them the tests skip and say why.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from browser import axe_violations, chromium, summary
from conftest import EXAMPLE, ROOT

DEMO = ROOT / "agendas" / "demo-2026-06-15-das-social"
KKR = ROOT / "agendas" / "2024-06-21-kkr-nordjylland"  # another layout: contents on the front page, groups


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from chromium(axe=True)


def _axe(driver: Any, page: Path) -> list[dict[str, Any]]:
    driver.get(page.resolve().as_uri())
    assert driver.execute_script("return document.documentElement.lang") == "da"
    return axe_violations(driver)


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    from referat.cli import main

    out = tmp_path_factory.mktemp("html")
    assert main(["build", str(DEMO), "--format", "html", "--offentlig", "--out", str(out / "demo")]) == 0
    assert main(["build", str(EXAMPLE), "--format", "html", "--offentlig", "--out", str(out / "eks")]) == 0
    assert main(["build", str(KKR), "--format", "html", "--offentlig", "--out", str(out / "kkr")]) == 0
    assert main(["publish", "--site", str(out / "site"), str(DEMO), str(EXAMPLE)]) == 0
    found = sorted(out.rglob("*.html"))
    assert len(found) >= 8 + 2 + 4  # 4 editions per DAS meeting, KKR's 2, 2 meeting pages, index and register
    return found


def test_every_generated_page_has_no_wcag_21_aa_violations(browser, pages: list[Path]) -> None:  # type: ignore[no-untyped-def]
    report = {}
    for page in pages:
        violations = _axe(browser, page)
        if violations:
            report[str(page)] = summary(violations)
    assert report == {}


def test_axe_does_find_a_violation_in_a_broken_page(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The harness is real: a page without lang, title and alt text fails."""
    page = tmp_path / "brudt.html"
    page.write_text('<!DOCTYPE html><html lang="da"><head></head><body><img src="x.png"><a href="#"></a></body></html>',
                    encoding="utf-8")
    ids = {v["id"] for v in _axe(browser, page)}
    assert {"image-alt", "document-title", "link-name"} <= ids
