"""A realistic full-size takstbilag for tests and benchmarks: 11 driftsherrer, ~600 rows, and messy workbooks.

`sample_owners()` gives the data, laid out as real 2026 submissions are (issue 12): block headers with
sub-rows ("Indsats 1 … n", "Takst 1 … n"), sum rows over their takstgrupper, "Hovedydelse" headings, closed
offers, two rows of one ydelse with different numbers, "-" cells, lovgrundlag as written, Dag rows budgeted on
fewer opening days, a stated regulation, and notes per driftsherre and for the whole annex. Each row that
should be flagged carries `_flag: (category, explained)`; nothing else is flagged (the tests hold the rules to
that: every flag found, no false alarm). `annex_notes()` gives the annex's notes.

`write_workbook(path, owners, messy=…)` writes the takstskemaer (one sheet per driftsherre). The messy
workbook holds the same values typed the ways real submissions do — each driftsherre in its own convention
(1.234.567 and 3,77 in one sheet; 1,234,567 and 3.77 in another, where a takst of 3,738 means 3.738 kr.),
percent-formatted cells, 'kr.' and '%' suffixes — plus bad cells where the clean one is blank ('x', an Excel
#DIV/0! error); it returns the exact messages the importer must give for them. Deterministic: the same seed
gives the same files.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from .columns import COLUMNS
from .template import HEADER_ROW

OWNERS = [("Aalborg Kommune", "kommune"), ("Brønderslev Kommune", "kommune"), ("Frederikshavn Kommune", "kommune"),
          ("Hjørring Kommune", "kommune"), ("Jammerbugt Kommune", "kommune"), ("Mariagerfjord Kommune", "kommune"),
          ("Morsø Kommune", "kommune"), ("Rebild Kommune", "kommune"), ("Thisted Kommune", "kommune"),
          ("Vesthimmerland Kommune", "kommune"), ("Region Nordjylland", "region")]
OFFERS = ["Botilbud Kastanjen", "Bostedet Lyngen", "Dagtilbud Syrenhuset", "Bofællesskabet Egebakken",
          "Autismecenter Nord", "Værestedet Havnen", "Botilbud Solsikken", "Aflastning Skovly", "Ungehuset Fjorden",
          "Specialbørnehaven Mælkebøtten", "Misbrugscenter Vest", "Botilbud Bakkehuset", "Krisecenter Nord",
          "Bostedet Fyrreparken", "Beskæftigelse Værkstedet"]
LAWS = ["SEL § 107", "SEL § 108", "ABL § 105", "SEL § 104", "BL § 43, stk. 1, nr. 6", "SEL § 101", "FSL § 20",
        "SEL § 107/108", "SEL §104", "Barnets lov § 43", "ABL § 105 / SEL § 85"]
PL = {"kommune": 3.1, "region": 2.46}  # 2026 (DOMAIN §4)
EXPLAIN_RISE = "Ekstra nattevagt fra 1. januar; normeringen er øget."
EXPLAIN_OCCUPANCY = "Akut- og aflastningspladser; forventet belægning som sidste år."
EXPLAIN_PLACES = "To pladser er omlagt til aflastning."
ANNEX_NOTES = [{"titel": "Bilag A", "tekst": "notat om takstberegningen for krisecentrene i Nordjylland"}]


def annex_notes() -> list[dict[str, str]]:
    return [dict(n) for n in ANNEX_NOTES]


def _tariff(budget: float, places: float, occupancy: float, days: int = 365) -> int:
    return round(budget / (places * occupancy / 100 * days))


def _change(rng: random.Random, kind: str, flag_rate: float = 0.12) -> tuple[float, tuple[str, bool] | None]:
    """A change against last year; now and then above P/L + 2 pp (with or without a forklaring)."""
    if rng.random() < flag_rate:
        return rng.choice([7.9, 8.4, 9.6]), ("pl", rng.random() < 0.6)
    return round(rng.uniform(PL[kind] - 4.5, PL[kind] + 1.8), 2), None


def _offer_rows(rng: random.Random, offer: str, kind: str, owner_note: bool) -> list[dict[str, Any]]:
    law = rng.choice(LAWS)
    unit = "Dag" if offer.startswith(("Dagtilbud", "Værested", "Special", "Beskæftigelse")) else "Døgn"
    overhead = rng.choice([4.5, 5.5, 6.2])
    layout = rng.choices(["blok", "sum", "ordinær", "dag250", "lukket", "varianter"], [5, 2, 3, 1, 1, 1])[0]
    if unit == "Dag" and layout in ("blok", "sum"):
        layout = rng.choice(["dag250", "varianter", "ordinær"])
    if unit == "Døgn" and layout in ("dag250", "varianter"):
        layout = "ordinær"
    rows: list[dict[str, Any]] = []
    if layout == "blok":  # a block header and its sub-rows with only a takst (2026: 'Indsats 1 … 70')
        if rng.random() < 0.5:
            rows.append({"ydelse": "Hovedydelse"})
        places, occupancy = rng.randint(8, 40), rng.choice([95, 96, 97, 98, 98, 99])
        header: dict[str, Any] = {"ydelse": offer.split()[-1], "lovgrundlag": law, "antal_pladser": places,
                                  "takstenhed": unit, "belægning_pct": occupancy,
                                  "budget": rng.randint(8, 60) * 1_000_000 + rng.randint(0, 999_999),
                                  "overhead_pct": overhead}
        if rng.random() < 0.15:  # a low occupancy on the header: once, not per sub-row
            header["belægning_pct"] = 90
            explained = rng.random() < 0.5
            if explained:
                header["forklaring"] = EXPLAIN_OCCUPANCY
            header["_flag"] = ("belægning", explained)
        rows.append(header)
        label = rng.choice(["Indsats", "Takst", "Boniveau"])
        base = rng.randint(900, 3000)
        for n in range(1, rng.randint(4, 14)):
            change, flag = _change(rng, kind, 0.06)
            sub: dict[str, Any] = {"ydelse": f"{label} {n}", "takst": base + 137 * n, "ændring_pct": change}
            if rng.random() < 0.3:
                sub["budget"] = "-"  # as printed in 003 L2464
            if flag:
                if flag[1]:
                    sub["forklaring"] = EXPLAIN_RISE
                sub["_flag"] = (flag[0], flag[1] or "forklaring" in header)  # the header's forklaring covers the block
            rows.append(sub)
    elif layout == "sum":  # a total whose pladser and budget are the sums of its takstgrupper
        groups = []
        for n in range(1, rng.randint(3, 5)):
            places, occupancy = rng.randint(4, 16), 98
            budget = rng.randint(3, 20) * 1_000_000 + rng.randint(0, 999_999)
            change, flag = _change(rng, kind, 0.1)
            group: dict[str, Any] = {"ydelse": f"Takstgruppe {n}", "antal_pladser": places, "budget": budget,
                                     "takst": _tariff(budget, places, occupancy), "ændring_pct": change}
            if flag:
                if flag[1]:
                    group["forklaring"] = EXPLAIN_RISE
                group["_flag"] = flag
            groups.append(group)
        total: dict[str, Any] = {"ydelse": "I alt", "lovgrundlag": law, "takstenhed": unit, "belægning_pct": 98,
                                 "antal_pladser": sum(g["antal_pladser"] for g in groups),
                                 "budget": sum(g["budget"] for g in groups), "overhead_pct": overhead}
        if rng.random() < 0.5:
            total["rolle"] = "sum"
        rows += [total, *groups]
    elif layout == "lukket":
        rows.append({"ydelse": "Døgnophold", "lovgrundlag": law, "antal_pladser": 0, "pladser_sidste_år": 12,
                     "takstenhed": unit, "forklaring": "Lukket 1/11-2024", "_flag": ("pladser", True)})
    elif layout == "dag250":  # a Dag rate budgeted on 250 opening days: explained, not an error
        places, budget = rng.randint(10, 30), rng.randint(2, 9) * 1_000_000
        rows.append({"ydelse": "Dagtilbud", "lovgrundlag": law, "antal_pladser": places, "takstenhed": "Dag",
                     "belægning_pct": 98, "budget": budget, "overhead_pct": overhead,
                     "takst": _tariff(budget, places, 98, 250), "ændring_pct": round(PL[kind], 2),
                     "_flag": ("formel", True)})
    elif layout == "varianter":  # one ydelse twice with different numbers: a second Dag rate
        takst = rng.randint(400, 900)
        for extra, text in ((0, None), (rng.randint(60, 200), "Med kørsel.")):
            row: dict[str, Any] = {"ydelse": "Beskyttet beskæftigelse", "lovgrundlag": "SEL § 103", "takstenhed": "Dag",
                                   "takst": takst + extra, "ændring_pct": round(PL[kind], 2), "overhead_pct": overhead}
            if text:
                row["forklaring"] = text
            rows.append(row)
    else:  # an ordinary row, perhaps with last year's places, a regulation, or a formula slip
        places, occupancy = rng.randint(4, 40), rng.choice([95, 96, 97, 98, 98, 99])
        budget = rng.randint(3, 40) * 1_000_000 + rng.randint(0, 999_999)
        change, flag = _change(rng, kind)
        row = {"ydelse": "Hovedydelse" if rng.random() < 0.5 else "Døgnophold", "lovgrundlag": law,
               "antal_pladser": places, "takstenhed": unit, "belægning_pct": occupancy, "budget": budget,
               "overhead_pct": overhead, "takst": _tariff(budget, places, occupancy), "ændring_pct": change}
        roll = rng.random()
        if flag:
            if flag[1]:
                row["forklaring"] = EXPLAIN_RISE + (" #Se bemærkninger nedenfor." if owner_note else "")
            row["_flag"] = flag
        elif roll < 0.12:
            row["pladser_sidste_år"] = places + 2
            explained = rng.random() < 0.5
            if explained:
                row["forklaring"] = EXPLAIN_PLACES
            row["_flag"] = ("pladser", explained)
        elif roll < 0.2:  # an underskud from 2024 regulated in (as '… svarende til 369 kr.'): explained
            regulation = max(369, round(row["takst"] * 0.05))
            row["takst"] += regulation
            row["forklaring"] = f"Der er indregnet et underskud fra 2024 svarende til {regulation} kr.; se bilag A."
            row["_flag"] = ("formel", True)
        elif roll < 0.25:  # a slip: 3 % off the formula, no forklaring
            row["takst"] = round(row["takst"] * 1.03)
            row["_flag"] = ("formel", False)
        rows.append(row)
        if rng.random() < 0.3:
            rows.append({"ydelse": "Tillægsydelse pr. time", "lovgrundlag": law, "takstenhed": "Time",
                         "takst": 316, "overhead_pct": overhead})
    return rows


def sample_owners(seed: int = 2026, rows_per_owner: int = 55) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    owners = []
    for name, kind in OWNERS:
        offers: dict[str, list[dict[str, Any]]] = {}
        count = 0
        owner_note = rng.random() < 0.5
        for offer in rng.sample(OFFERS, len(OFFERS)):
            if count >= rows_per_owner:
                break
            rows = _offer_rows(rng, offer, kind, owner_note)
            offers[offer] = rows
            count += len(rows)
        owner: dict[str, Any] = {"navn": name, "type": kind, "overhead_pct": rng.choice([4.5, 5.5, 6.2]),
                                 "tilbud": offers}
        if owner_note:
            owner["noter"] = [{"titel": f"Note til {name}",
                               "tekst": "Normeringen er øget med en nattevagt på de tilbud, der er markeret."}]
        owners.append(owner)
    return owners


def data_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows as the takstbilag holds them: without the generator's `_flag` marks."""
    return [{k: v for k, v in row.items() if not k.startswith("_")} for row in rows]


_KEYS = [key for key, _, _, _ in COLUMNS]


def _messy_number(value: float, rng: random.Random, english: bool) -> Any:
    """The value as a driftsherre types it in its own convention: a number, or text with its thousands separator
    ('1.234.567' / '1,234,567', so a takst of '3,738' in an English sheet) or decimal sign ('3,77' / '3.77')."""
    if float(value).is_integer():
        n = int(value)
        grouped = f"{n:,}" if english else f"{n:,}".replace(",", ".")
        return rng.choice([n, grouped, str(n), f"{n} kr." if n < 100000 else str(n)])
    return rng.choice([value, f"{value}" if english else f"{value}".replace(".", ",")])


def write_workbook(path: Path, owners: list[dict[str, Any]], year: int = 2026, messy: bool = False,
                   seed: int = 7, notes: list[dict[str, str]] | None = None) -> list[str]:
    """Write the takstskemaer; returns the messages the importer must give (empty for the clean one).

    `notes` (default: the annex's notes, `annex_notes()`) go below the last driftsherre's table."""
    notes = annex_notes() if notes is None else notes
    rng = random.Random(seed)
    wb = Workbook()
    wb.remove(wb.active)
    expected: list[str] = []
    for n, owner in enumerate(owners):
        english = n % 3 == 1  # a third of the driftsherrer write 1,234,567.5
        ws = wb.create_sheet(owner["navn"][:31])
        ws["A2"], ws["B2"] = "Driftsherre:", owner["navn"]
        ws["A3"], ws["B3"] = "Driftsherretype (kommune/region):", owner["type"]
        ws["A4"], ws["B4"] = "Takstår:", year
        ws["A5"], ws["B5"] = "Generel overheadprocent:", owner["overhead_pct"]
        for col, (_, header, _, _) in enumerate(COLUMNS, start=1):
            ws.cell(row=HEADER_ROW, column=col, value=header)
        r = HEADER_ROW
        for offer, rows in owner["tilbud"].items():
            for k, row in enumerate(data_rows(rows)):
                r += 1
                if k == 0:
                    ws.cell(row=r, column=_KEYS.index("tilbud") + 1, value=offer)
                for key, value in row.items():
                    col = _KEYS.index(key) + 1
                    cell = ws.cell(row=r, column=col)
                    if messy and isinstance(value, (int, float)) and key in ("belægning_pct", "overhead_pct") and rng.random() < 0.3:
                        cell.value = value / 100
                        cell.number_format = "0.0%"
                    elif messy and isinstance(value, (int, float)) and key != "betalingsdage":
                        cell.value = _messy_number(value, rng, english)
                    else:
                        cell.value = value
                if messy and k == 0 and "pladser_sidste_år" not in row and rng.random() < 0.15:
                    col = _KEYS.index("pladser_sidste_år") + 1
                    ws.cell(row=r, column=col, value="x")
                    expected.append(f"{path.name}!{ws.title}!{ws.cell(row=r, column=col).coordinate}: "
                                    "Antal pladser sidste år: 'x' er ikke et tal; skriv tallet, eller lad feltet stå tomt")
                elif messy and k == 0 and rng.random() < 0.1:
                    col = _KEYS.index("takst_sidste_år") + 1
                    ws.cell(row=r, column=col, value="#DIV/0!")
                    expected.append(f"{path.name}!{ws.title}!{ws.cell(row=r, column=col).coordinate}: "
                                    "Takst sidste år: Excel-fejl #DIV/0! i cellen; ret formlen i skemaet")
                elif messy and rng.random() < 0.1:
                    ws.cell(row=r, column=_KEYS.index("status") + 1, value="-")  # a dash: empty, no message
        for note in owner.get("noter", []):  # below the table, a line of its own
            r += 2
            ws.cell(row=r, column=1, value=f"#{note['titel']}: {note['tekst']}")
    if notes:
        ws.cell(row=r + 2, column=1, value="".join(f"{n['titel']}: {n['tekst']}" for n in notes[:1]))
        for k, note in enumerate(notes[1:], start=3):
            ws.cell(row=r + k, column=1, value=f"{note['titel']}: {note['tekst']}")
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return expected
