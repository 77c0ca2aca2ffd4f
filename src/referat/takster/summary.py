"""The secretariat's overview of a takstbilag: per driftsherre the number of takster, the flags (explained /
unexplained) and the largest rises and falls. Printed by `tariffs validate`, written by `tariffs summary` as
Markdown for the takst item's sagsfremstilling, and set in the annex's front matter."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..diagnostics import count
from ..text.danish import number
from ..text.richtext import printable
from ..text.tomarkdown import escape
from .model import Takstbilag
from .rules import CATEGORIES, Finding, effective_change, is_tariff, offer_name

LARGEST = 3
# A change the driftsherre did not state, computed from its takst and last year's: the overview says so (issue 23:
# nothing printed as submitted that the submission did not state; the annex's table leaves such a change blank).
COMPUTED = " (beregnet)"
COMPUTED_NOTE = ("En ændring i oversigten mærket (beregnet) har driftsherren ikke angivet; den er beregnet ud fra "
                 "taksten og sidste års takst.")


@dataclass
class OwnerSummary:
    name: str
    tariffs: int = 0
    counts: dict[str, list[int]] = field(default_factory=lambda: {k: [0, 0] for k in CATEGORIES})  # [forklaret, uforklaret]
    other: int = 0  # the other marked cells: takst mangler, overhead, sums, lovgrundlag, import, ambiguous numbers …
    rises: list[str] = field(default_factory=list)  # the largest rises, largest first
    falls: list[str] = field(default_factory=list)  # the largest falls, largest first
    computed: bool = False  # a rise or fall listed is computed, not stated (marked COMPUTED)


def summarise(tb: Takstbilag, findings: list[Finding]) -> list[OwnerSummary]:
    out = []
    for owner in tb.owners:
        s = OwnerSummary(owner.name)
        changes = []
        for offer in owner.offers:
            for row in offer.rows:
                if is_tariff(row) and row.tariff is not None:
                    s.tariffs += 1
                    change = effective_change(row)
                    if change is not None and not row.structure_change:
                        stated = row.change_pct is not None
                        places = row.decimals("ændring_pct") if stated else 2
                        changes.append((change, f"{offer_name(offer, row)}, {row.name}", places, not stated))
        rises = sorted((c for c in changes if c[0] > 0), key=lambda c: (-c[0], c[1]))[:LARGEST]
        falls = sorted((c for c in changes if c[0] < 0), key=lambda c: (c[0], c[1]))[:LARGEST]
        s.rises = [f"{name}: +{number(change, places)} %{COMPUTED if computed else ''}"
                   for change, name, places, computed in rises]
        s.falls = [f"{name}: {number(change, places)} %{COMPUTED if computed else ''}"
                   for change, name, places, computed in falls]
        s.computed = any(c[3] for c in rises + falls)
        out.append(s)
    by_name = {s.name: s for s in out}
    for f in findings:
        if f.owner not in by_name:
            continue
        if f.category in CATEGORIES:
            by_name[f.owner].counts[f.category][0 if f.explained else 1] += 1
        elif f.highlight:
            by_name[f.owner].other += 1
    return out


HEADER = ["Driftsherre", "Takster", *CATEGORIES.values(), "Andre markeringer", "Største stigninger", "Største fald"]


def cell(pair: list[int]) -> str:
    """'2 forklaret, 1 uforklaret', or '–' for none."""
    explained, unexplained = pair
    if not explained and not unexplained:
        return "–"
    parts = []
    if explained:
        parts.append(f"{explained} forklaret")
    if unexplained:
        parts.append(f"{unexplained} uforklaret")
    return ", ".join(parts)


def table(summary: list[OwnerSummary]) -> list[list[str]]:
    rows = [[s.name, str(s.tariffs), *(cell(s.counts[k]) for k in CATEGORIES), str(s.other) if s.other else "–",
             "; ".join(s.rises) or "–", "; ".join(s.falls) or "–"] for s in summary]
    total = [sum(s.counts[k][i] for s in summary) for k in CATEGORIES for i in (0, 1)]
    other = sum(s.other for s in summary)
    rows.append(["I alt", str(sum(s.tariffs for s in summary)),
                 *(cell(total[2 * n:2 * n + 2]) for n in range(len(CATEGORIES))), str(other) if other else "–", "", ""])
    return rows


def _md(text: str) -> str:
    """Text prints literally in a Markdown table's cell (`text.tomarkdown.escape`, pipes too)."""
    return escape(" ".join(printable(text).split()), line_start=False, pipes=True)


def markdown(tb: Takstbilag, findings: list[Finding]) -> str:
    """The overview as a Markdown table to paste into the takst item."""
    summary = summarise(tb, findings)
    rows = table(summary)
    lines = [f"Oversigt over {tb.display_title}:", "", "| " + " | ".join(HEADER) + " |",
             "|" + "|".join(["---"] + ["---:"] + ["---"] * (len(HEADER) - 2)) + "|"]
    lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows]
    lines += ["", ("Forklaret: driftsherren har forklaret afvigelsen; den skal godkendes. "
                  "Uforklaret: forklaringen mangler.")]
    if any(s.computed for s in summary):
        lines.append(COMPUTED_NOTE)
    return "\n".join(lines) + "\n"


def text_lines(summary: list[OwnerSummary]) -> list[str]:
    """The overview for the terminal, one line per driftsherre."""
    out = []
    for s in summary:
        flags = "; ".join([f"{label}: {cell(s.counts[k])}" for k, label in CATEGORIES.items() if any(s.counts[k])]
                          + ([f"andre markeringer: {s.other}"] if s.other else []))
        out.append(f"  {s.name}: {count(s.tariffs, 'takst', 'takster')}" + (f"; {flags}" if flags else "; ingen markeringer"))
    return out
