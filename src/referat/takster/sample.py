"""A realistic full-size takstbilag for tests and benchmarks: 11 driftsherrer, ~600 rows, and messy workbooks.

`sample_owners()` gives the data; `write_workbook(path, messy=…)` writes it as takstskemaer (one sheet per
driftsherre). The messy workbook holds the same values typed the ways real submissions do (1.234.567,
1,234,567, decimal commas, percent-formatted cells, 'kr.' and '%' suffixes) plus bad cells where the clean
one is blank ('x', an Excel #DIV/0! error); it returns the exact messages the importer must give for them.
Deterministic: the same seed gives the same files.
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
          "Specialbørnehaven Mælkebøtten", "Misbrugscenter Vest", "Botilbud Bakkehuset"]
LAWS = ["SEL § 107", "SEL § 108", "ABL § 105", "SEL § 104", "BL § 43, stk. 1, nr. 6", "SEL § 101", "FSL § 20"]


def sample_owners(seed: int = 2026, rows_per_owner: int = 55) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    owners = []
    for name, kind in OWNERS:
        offers: dict[str, list[dict[str, Any]]] = {}
        count = 0
        for offer in rng.sample(OFFERS, len(OFFERS)):
            if count >= rows_per_owner:
                break
            law = rng.choice(LAWS)
            unit = "Dag" if offer.startswith(("Dagtilbud", "Værested", "Special")) else "Døgn"
            places = rng.randint(4, 40)
            occupancy = rng.choice([95, 96, 97, 98, 98, 98, 99])
            tariff = rng.randint(900, 6500)
            budget = round(tariff * places * occupancy / 100 * 365)
            change = rng.choice([1.8, 2.5, 3.1, 3.4, 4.0, -1.2, 7.9])
            main: dict[str, Any] = {
                "ydelse": "Hovedydelse", "lovgrundlag": law, "antal_pladser": places, "takstenhed": unit,
                "belægning_pct": occupancy, "budget": budget, "overhead_pct": rng.choice([4.5, 5.5, 6.2]),
                "takst": round(budget / (places * occupancy / 100 * 365)),
                "ændring_pct": change,
            }
            if change > 6 and rng.random() < 0.5:
                main["forklaring"] = "Ekstra nattevagt fra 1. januar; normeringen er øget."
            rows = [main]
            for level in range(1, rng.randint(2, 7)):
                rows.append({"ydelse": f"Boniveau {level}", "lovgrundlag": law, "takstenhed": unit,
                             "takst": main["takst"] + 150 * level, "ændring_pct": round(change + rng.uniform(-0.5, 0.5), 2),
                             "overhead_pct": main["overhead_pct"]})
            if rng.random() < 0.3:
                rows.append({"ydelse": "Tillægsydelse pr. time", "lovgrundlag": law, "takstenhed": "Time",
                             "takst": 316, "overhead_pct": main["overhead_pct"]})
            offers[offer] = rows
            count += len(rows)
        owners.append({"navn": name, "type": kind, "overhead_pct": rng.choice([4.5, 5.5, 6.2]), "tilbud": offers})
    return owners


_KEYS = [key for key, _, _, _ in COLUMNS]


def _messy_number(value: float, rng: random.Random) -> Any:
    if float(value).is_integer():
        n = int(value)
        english = f"{n:,}" if n >= 1_000_000 else str(n)  # '2,406' would be a Danish decimal comma
        return rng.choice([n, f"{n:,}".replace(",", "."), english, f"{n} kr." if n < 100000 else str(n)])
    return rng.choice([value, f"{value}".replace(".", ","), f"{value}"])


def write_workbook(path: Path, owners: list[dict[str, Any]], year: int = 2026, messy: bool = False,
                   seed: int = 7) -> list[str]:
    """Write the takstskemaer; returns the messages the importer must give (empty for the clean one)."""
    rng = random.Random(seed)
    wb = Workbook()
    wb.remove(wb.active)
    expected: list[str] = []
    for owner in owners:
        ws = wb.create_sheet(owner["navn"][:31])
        ws["A2"], ws["B2"] = "Driftsherre:", owner["navn"]
        ws["A3"], ws["B3"] = "Driftsherretype (kommune/region):", owner["type"]
        ws["A4"], ws["B4"] = "Takstår:", year
        ws["A5"], ws["B5"] = "Generel overheadprocent:", owner["overhead_pct"]
        for col, (_, header, _, _) in enumerate(COLUMNS, start=1):
            ws.cell(row=HEADER_ROW, column=col, value=header)
        r = HEADER_ROW
        for offer, rows in owner["tilbud"].items():
            for k, row in enumerate(rows):
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
                        cell.value = _messy_number(value, rng)
                    else:
                        cell.value = value
                if messy and k == 0 and rng.random() < 0.15:
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
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return expected
