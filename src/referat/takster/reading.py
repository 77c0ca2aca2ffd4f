"""Reading a takstbilag's numbers in the convention each driftsherre wrote them in (see `convention`).

Each driftsherre's section is one submission: its text cells are the evidence, its ambiguous cells (`1,234`,
`1.234`) are read as that evidence decides, and the rows' roles are read again where a count or a budget
changed with it.
"""

from __future__ import annotations

from .convention import SectionReading, Written, agrees, ambiguous, decide
from .model import Owner, Takstbilag
from .row import Row

_INPUTS = ("budget", "antal_pladser", "belægning_pct")  # a formula on an ambiguous budget proves nothing


def read_section(owner: Owner) -> SectionReading:
    """Decide the section's convention and read its ambiguous cells in it; returns what was decided."""
    cells: list[Written] = []
    formula = {}
    row_of: dict[Written, Row] = {}
    for offer in owner.offers:
        for row in offer.rows:
            for key, text in row.written.items():
                cell = Written(key, text, id(row))
                cells.append(cell)
                row_of[cell] = row
                if key == "takst" and ambiguous(text) and not any(ambiguous(row.written.get(k, "")) for k in _INPUTS):
                    convention = agrees(row.expected_tariff(), text)
                    if convention is not None:
                        formula[cell] = convention
    section = decide(cells, formula)
    unresolved: dict[int, tuple[Row, set[str]]] = {}
    for cell, decision in section.decisions.items():
        row = row_of[cell]
        if decision.convention is None:
            unresolved.setdefault(id(row), (row, set()))[1].add(cell.key)
        else:
            row.read_as(cell.key, decision.convention)
    for row, keys in unresolved.values():
        row.leave_unresolved(frozenset(keys))
    if any(c.key in ("antal_pladser", "budget") for c in section.decisions):
        for offer in owner.offers:  # a count or a budget read anew may make (or unmake) a total
            offer.resolve()
    owner.read_numbers(section)
    return section


def read_numbers(tb: Takstbilag) -> None:
    """Read every section of the annex."""
    for owner in tb.owners:
        read_section(owner)
