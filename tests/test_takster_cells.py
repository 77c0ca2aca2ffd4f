"""A takstskema's cells read as Excel shows them (issue 23: every number printed as the driftsherre wrote it):
a '%' in quotes or after a backslash is text, not a percent format; a number shows the decimals its format gives
it; a number typed as text keeps the decimals it was typed with."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from referat.takster.importer import import_workbooks
from test_takster_import_structures import KEYS, _sheet

ROW = {"tilbud": "Botilbud Sonjavej", "ydelse": "Sonjavej A-C Huse", "lovgrundlag": "ABL § 105", "antal_pladser": 22,
       "takstenhed": "Døgn"}


def _formatted(path: Path, values: dict[str, tuple[Any, str]], overhead: tuple[Any, str] | None = None) -> Path:
    """A takstskema with one row whose cells hold `values` (key → (value, number format)); the general overhead
    (B5) likewise."""
    _sheet(path, [ROW | {key: value for key, (value, _) in values.items()}],
           overhead=overhead[0] if overhead else 5)
    wb = load_workbook(path)
    ws = wb["Takstskema"]
    for key, (_, code) in values.items():
        ws.cell(row=8, column=KEYS.index(key) + 1).number_format = code
    if overhead:
        ws["B5"].number_format = overhead[1]
    wb.save(path)
    return path


def _row(path: Path) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    result = import_workbooks([path])
    assert result.data is not None, result.report.lines()
    owner = result.data["driftsherrer"][0]
    return owner, owner["tilbud"][0]["rækker"][0], result.report.lines()


@pytest.mark.parametrize("code", ['0.0" %"', '0" %"', '0.0\\ \\%', '#,##0.0 "%"', '[$%-406]0.0', '0.0"%";-0.0"%"'])
def test_a_quoted_or_escaped_percent_sign_is_no_percent_format(tmp_path: Path, code: str) -> None:
    """Excel shows 5.5 in '0.0" %"' as '5,5 %' (the quoted % does not scale); it was read as 550."""
    path = _formatted(tmp_path / "skema.xlsx", {"belægning_pct": (98, code), "overhead_pct": (5.5, code),
                                                "ændring_pct": (3.1, code), "takst": (2249, "#,##0")},
                      overhead=(6.5, code))
    owner, row, lines = _row(path)
    assert lines == []
    assert (owner["overhead_pct"], row["belægning_pct"], row["overhead_pct"], row["ændring_pct"]) == (6.5, 98, 5.5, 3.1)


@pytest.mark.parametrize("code", ["0.0%", '0.0%" "', '"ca. "0.0%', "0.0%;-0.0%"])
def test_an_unquoted_percent_sign_scales_as_in_excel(tmp_path: Path, code: str) -> None:
    path = _formatted(tmp_path / "skema.xlsx", {"belægning_pct": (0.98, code), "overhead_pct": (0.055, code),
                                                "ændring_pct": (0.031, code)}, overhead=(0.065, code))
    owner, row, lines = _row(path)
    assert lines == []
    assert (owner["overhead_pct"], row["belægning_pct"], row["overhead_pct"], row["ændring_pct"]) == (6.5, 98, 5.5, 3.1)


def test_the_section_for_negative_numbers_decides_for_a_negative_change(tmp_path: Path) -> None:
    """'0.0%;-0.0" %"': a fall is shown as typed (−2,5 %), a rise × 100."""
    path = _formatted(tmp_path / "skema.xlsx", {"ændring_pct": (-2.5, '0.0%;-0.0" %"')})
    assert _row(path)[1]["ændring_pct"] == -2.5
