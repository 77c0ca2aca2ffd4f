"""How the rows of an offer stand to each other as submitted: headings, block headers and their sub-rows, sum
rows and their takstgrupper — as written (`rolle`), else read from the layout.

A guess never makes a finding of its own (issue 23): a row read as the total of the rows around it must add up
to them, or the rows stay plain and the offer is marked as not recognised (one warning says so).
"""

from __future__ import annotations

import re

from .row import Role, Row

# Rows that read as the groups of a total (takstgrupper, niveauer, indsatser …).
_GROUP_NAME = re.compile(r"gruppe|niveau|indsats|pakke|modul|^takst\s*\d", re.IGNORECASE)
_SUM_NAME = re.compile(r"^\s*(i alt|total|samlet|sum)\b", re.IGNORECASE)


def _folded(text: str | None) -> str:
    return " ".join((text or "").split()).lower()


def _adds_up(total: Row, members: list[Row]) -> bool:
    places = [m.places for m in members if m.places is not None]
    budgets = [m.budget for m in members if m.budget is not None]
    return bool((places and total.places is not None and abs(sum(places) - total.places) < 0.01)
                or (budgets and total.budget is not None and abs(sum(budgets) - total.budget) <= 1))


def _under(row: Row) -> bool:
    """Can this row stand under a header: a takst (or a status), not a heading, not a header itself."""
    if row.role is Role.SUB:
        return True
    return row.role is None and not row.is_text() and (row.tariff is not None or row.status is not None)


def _fits(header: Row, row: Row) -> bool:
    """A row read as under a header shares its unit and law, or leaves them to the header (a 'Tillægsydelse pr.
    time' or another law's 'Beskyttet beskæftigelse' after a Dag row stands on its own), and is another ydelse:
    the same ydelse twice is two rows, each with its own forklaring (issue 23)."""
    if row.role is Role.SUB:
        return True
    if row.service is not None and _folded(row.service) == _folded(header.service):
        return False
    return (row.unit is None or header.unit is None or row.unit == header.unit) and (
        row.legal_basis is None or header.legal_basis is None
        or row.legal_basis.replace(" ", "").lower() == header.legal_basis.replace(" ", "").lower())


def _heading(rows: list[Row], i: int) -> bool:
    """A name only is a heading ('Hovedydelse'); a name with a forklaring is a plain row, unless rows that stand
    under a header follow it (issue 23)."""
    row = rows[i]
    if not row.is_text():
        return False
    if not row.has_explanation:
        return True
    return i + 1 < len(rows) and _under(rows[i + 1]) and rows[i + 1].places is None and rows[i + 1].budget is None


def resolve_roles(rows: list[Row]) -> bool:
    """Give each row of an offer its role and its header: as written (`rolle`), else read from the layout.
    Returns False when a guess did not hold (a total that does not add up): those rows stay plain.

    A row without takst that carries pladser or budget heads the rows under it: a block header when they carry
    only a takst, a sum row when they carry their own pladser/budget and these add up (or it is named 'I alt').
    A sum row with no rows under it totals the ordinary rows above it.
    """
    for row in rows:
        row.set_role(row.role or Role.TARIFF)
    recognised = True
    i = 0
    while i < len(rows):
        row = rows[i]
        explicit = row.role
        if explicit is None and _heading(rows, i):
            row.set_role(Role.HEADING)
            i += 1
            continue
        named_sum = explicit is None and bool(_SUM_NAME.match(row.name)) and row.tariff is None and row.has_numbers()
        carries = bool(row.places) or row.budget is not None  # 0 pladser head no rows (a closed or new place)
        averaged = explicit is None and row.tariff is not None and carries  # a header with its own (average) takst
        candidate = explicit in (Role.BLOCK, Role.SUM) or named_sum or averaged or (
            explicit is None and row.tariff is None and row.status is None and not row.closed and carries)
        if not candidate:
            i += 1
            continue
        j = i + 1
        while j < len(rows) and _under(rows[j]) and (explicit is not None or _fits(row, rows[j])):
            j += 1
        under = rows[i + 1:j]
        own = any(m.places is not None or m.budget is not None for m in under)
        if explicit is Role.BLOCK or (explicit is None and under and not own):
            kind = Role.BLOCK
        elif averaged:  # an ordinary row after all
            i += 1
            continue
        elif explicit is Role.SUM or named_sum or (explicit is None and own and (
                _adds_up(row, under) or all(_GROUP_NAME.search(m.name) for m in under))):
            kind = Role.SUM
        else:  # an ordinary row that lacks its takst: the rules say so
            i += 1
            continue
        if kind is Role.SUM and not under:  # the total below its groups
            k = i - 1
            while k >= 0 and rows[k].kind is Role.TARIFF and rows[k].parent is None and not rows[k].is_text():
                k -= 1
            under = rows[k + 1:i]
            j = i + 1
        if kind is Role.SUM and explicit is None and not _adds_up(row, under):
            recognised = False  # a guessed total must add up: else the rows stay as they are, plain
            i = max(j, i + 1)
            continue
        row.set_role(kind, row.parent, list(under))
        for m in under:
            m.set_role(Role.SUB, row, m.members)
        i = max(j, i + 1)
    return recognised
