"""A takstbilag file end to end: load, check, and render in the requested formats."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Report
from ..errors import InputError
from ..progress import Progress, danish
from ..text.danish import long_date
from . import render, word
from .columns import LABELS
from .load import load_takstbilag
from .model import Takstbilag
from .rules import Finding, check_takstbilag, findings_report
from .view import table_view

FORMATS = ("pdf", "docx", "csv", "xlsx")
_APPROVES = re.compile(r"\b(godkend(t|te|tes|es|er)?|tiltr(æder|ådt|ådte|ædes)|vedt(ager|aget|oges|og))\b", re.IGNORECASE)
# Anything in the decision that takes the approval back or makes it partial or conditional.
_DENIES = re.compile(
    r"\b(ikke|ej|ingen|intet|aldrig|hverken|afvis\w*|forkast\w*|udsæt\w*|udsat|udskyd\w*|udskudt|"
    r"tilbagesend\w*|undtag\w*|bortset|forbehold\w*|betinge\w*|forudsat|såfremt|hvis|når|dog)\b", re.IGNORECASE)


# Anywhere in the decision: a negated approval, or a limit on it, takes the approval line away.
_DENIES_ANYWHERE = re.compile(
    r"\b(ikke|ej)\s+(\w+\s+){0,3}(godkend|tiltræd|vedt)\w*|\b(godkend|tiltræd|vedt)\w*\s+(\w+\s+){0,3}(ikke|ej)\b|"
    r"\b(undtag\w*|bortset|forbehold\w*|afvis\w*|forkast\w*|tilbagesend\w*|dog ikke|udsat|udsæt\w*|udskyd\w*|udskudt)\b",
    re.IGNORECASE)


def check_file(path: Path, tolerance_pct: float | None = None) -> tuple[Takstbilag | None, list[Finding], Report]:
    """Load and check a takstbilag; `tolerance_pct` is the committee profile's formula tolerance (default 2 %)."""
    tb, report = load_takstbilag(path)
    if tb is None:
        return None, [], report
    findings = check_takstbilag(tb, tolerance_pct)
    findings_report(tb, findings, report)
    return tb, findings, report


def approves(decision: str | None) -> bool:
    """Whether a decision approves, outright: some sentence says 'godkendt/godkendes/tiltrådt …' and no sentence
    negates, limits or conditions it ('godkendes ikke', 'ikke godkendt', 'med undtagelse af', 'forudsat', …)."""
    if not decision or not decision.strip():
        return False
    sentences = [s for s in re.split(r"(?<=[.!?;:])\s+|\n+", decision) if s.strip()]
    approving = [s for s in sentences if _APPROVES.search(s)]
    return (bool(approving) and not any(_DENIES.search(s) for s in approving)
            and not _DENIES_ANYWHERE.search(decision))


def approval_line(decision: str | None, committee: str, date: dt.date) -> str | None:
    """'Godkendt af … den …' only when the meeting's decision approved the item outright."""
    if not approves(decision):
        return None
    return f"Godkendt af {committee} den {long_date(date)}"


def number_readings(tb: Takstbilag) -> list[str]:
    """The run's summary of how each section's numbers were read: 'Aalborg Kommune: dansk (1.234.567,5)' (the
    sections whose numbers were all typed as plain numbers had nothing to read)."""
    return [f"{owner.name}: {owner.reading.summary(LABELS)}" for owner in tb.owners if owner.reading.read_any]


@dataclass
class Rendered:
    """A rendered annex: file suffix → bytes, the takstbilag as read and the check's messages (warnings only)."""

    files: dict[str, bytes]
    takstbilag: Takstbilag
    report: Report


def render_checked(path: Path, formats: list[str], approval: str | None = None, when: dt.date | None = None,
                   tolerance_pct: float | None = None, shown: Progress | None = None) -> Rendered:
    """Check and render the annex. Refuses only a file that cannot be read as a takstbilag: every row it holds
    renders, and what is wrong with a row is a marking on it (issue 23). `shown`: the progress line, told of the
    check and of each format."""
    if shown is not None:
        shown.step(f"{path.name} kontrolleres")
    tb, findings, report = check_file(path, tolerance_pct)
    if tb is None or report.has_errors:
        raise InputError(report)
    when = when or dt.date(tb.year, 1, 1)
    view = table_view(tb, findings, approval)
    out: dict[str, bytes] = {}
    for fmt in formats:
        if shown is not None:
            shown.step(f"{fmt} sættes ({danish(sum(len(o.offers) for o in tb.owners))} tilbud)")
        if fmt == "pdf":
            out[fmt] = render.pdf(view, when)
        elif fmt == "docx":
            out[fmt] = word.docx(view, when)
        elif fmt == "csv":
            out[fmt] = render.csv_bytes(view)
        elif fmt == "xlsx":
            out[fmt] = render.xlsx(view, when)
    return Rendered(out, tb, report)


def render_annex(path: Path, formats: list[str], approval: str | None = None,
                 when: dt.date | None = None, tolerance_pct: float | None = None,
                 shown: Progress | None = None) -> dict[str, bytes]:
    """File suffix → bytes (see render_checked)."""
    return render_checked(path, formats, approval, when, tolerance_pct, shown).files
