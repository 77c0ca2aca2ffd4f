"""A takstbilag file end to end: load, check, and render in the requested formats."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from ..diagnostics import ReferatError, Report
from ..render.danish import long_date
from . import render
from .load import load_takstbilag
from .model import Takstbilag
from .rules import Finding, check_takstbilag, findings_report
from .view import table_view

FORMATS = ("pdf", "docx", "csv", "xlsx")
_APPROVED = re.compile(r"\bgodkend(t|te|es|er)\b", re.IGNORECASE)
_NOT_APPROVED = re.compile(r"\b(ikke|ej)\s+(\w+\s+)?godkend", re.IGNORECASE)


def check_file(path: Path) -> tuple[Takstbilag | None, list[Finding], Report]:
    tb, report = load_takstbilag(path)
    if tb is None:
        return None, [], report
    findings = check_takstbilag(tb)
    findings_report(tb, findings, report)
    return tb, findings, report


def approval_line(decision: str | None, committee: str, date: dt.date) -> str | None:
    """'Godkendt af … den …' only when the meeting's decision says the item was approved."""
    if not decision or not _APPROVED.search(decision) or _NOT_APPROVED.search(decision):
        return None
    return f"Godkendt af {committee} den {long_date(date)}"


def render_annex(path: Path, formats: list[str], approval: str | None = None,
                 when: dt.date | None = None) -> dict[str, bytes]:
    """File suffix → bytes; refuses a takstbilag with errors (the warnings are shaded in the table)."""
    tb, findings, report = check_file(path)
    if tb is None or report.has_errors:
        raise ReferatError(report)
    when = when or dt.date(tb.year, 1, 1)
    view = table_view(tb, findings, approval)
    out: dict[str, bytes] = {}
    for fmt in formats:
        if fmt == "pdf":
            out[fmt] = render.pdf(view, when)
        elif fmt == "docx":
            out[fmt] = render.docx(view, when)
        elif fmt == "csv":
            out[fmt] = render.csv_bytes(view)
        elif fmt == "xlsx":
            out[fmt] = render.xlsx(view, when)
    return out
