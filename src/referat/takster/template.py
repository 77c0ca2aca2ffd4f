"""The blank takstskema (templates/takstskema.xlsx) the driftsherrer fill in; `referat takster import` reads it."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from .columns import COLUMNS
from .model import Unit

HEADER_ROW = 7
GUIDE = [
    "Udfyld én række pr. takst (ydelse/takstniveau). Tilbuddets navn kan stå på første række alene.",
    "Tal skrives som i Excel (celler med tal), eller som tekst: 1.234.567, 1234567 og 12,5 læses alle.",
    "Procenter: 98 eller 98 % (celleformat procent læses også).",
    "Efterlad tomme felter tomme, eller skriv '-'. Skriv aldrig 'x' eller 0 for et ukendt tal.",
    "Takstenhed: Døgn, Dag, Time, Styk eller Måned. Betalingsdage: 365 (standard) eller 250.",
    "En ændring over P/L + 2 procentpoint, en belægning under 95 % og ændrede pladser skal forklares.",
    "Strukturændring (ny takstmodel, ny enhed): skriv ja, og forklar ændringen.",
    "Blokhoved og underrækker: skriv pladser, budget, belægning og overhead på tilbuddets første række (uden takst)",
    "  og kun ydelse og takst på rækkerne under den; underrækkerne arver resten. Rækketype kan stå tom.",
    "Sumrække: en række 'I alt' med de samlede pladser og det samlede budget over (eller under) takstgrupperne.",
    "Overskrift: en række med kun et navn (fx Hovedydelse). Lukket tilbud: 0 pladser og fx 'Lukket 1/11-2024' i forklaringen.",
    "Noter: skriv en note på en linje for sig under tabellen, fx '#Note til Krisecentret: …';",
    "  et notat til hele takstbilaget skrives 'Bilag A: notat om …'. En forklaring kan henvise til det ('se bilag A').",
]


def blank_workbook(year: int | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Takstskema"
    ws["A1"] = "Takstskema – Nordjysk Socialaftale"
    ws["A1"].font = Font(bold=True, size=14)
    for row, (label, value) in enumerate([("Driftsherre:", ""), ("Driftsherretype (kommune/region):", "kommune"),
                                          ("Takstår:", year or ""), ("Generel overheadprocent:", "")], start=2):
        ws.cell(row=row, column=1, value=label).font = Font(bold=True)
        ws.cell(row=row, column=2, value=value)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for col, (_, header, _, _) in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=HEADER_ROW, column=col, value=header)
        cell.font = Font(bold=True)
        cell.fill = fill
        ws.column_dimensions[cell.column_letter].width = 14 if header != "Forklaring" else 50
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    letters = {key: ws.cell(row=HEADER_ROW, column=i).column_letter for i, (key, _, _, _) in enumerate(COLUMNS, start=1)}
    last = HEADER_ROW + 1000
    units = DataValidation(type="list", formula1='"' + ",".join(u.value for u in Unit) + '"', allow_blank=True)
    units.add(f"{letters['takstenhed']}{HEADER_ROW + 1}:{letters['takstenhed']}{last}")
    status = DataValidation(type="list", formula1='"udgår,udskudt"', allow_blank=True)
    status.add(f"{letters['status']}{HEADER_ROW + 1}:{letters['status']}{last}")
    yes_no = DataValidation(type="list", formula1='"ja,nej"', allow_blank=True)
    yes_no.add(f"{letters['strukturændring']}{HEADER_ROW + 1}:{letters['strukturændring']}{last}")
    roles = DataValidation(type="list", formula1='"overskrift,blokhoved,underrække,sum,takst"', allow_blank=True)
    roles.add(f"{letters['rolle']}{HEADER_ROW + 1}:{letters['rolle']}{last}")
    for validation in (units, status, yes_no, roles):
        ws.add_data_validation(validation)
    guide = wb.create_sheet("Vejledning")
    guide["A1"] = "Sådan udfyldes takstskemaet"
    guide["A1"].font = Font(bold=True, size=13)
    for row, text in enumerate(GUIDE, start=3):
        guide.cell(row=row, column=1, value=text)
    guide.column_dimensions["A"].width = 110
    stamp = dt.datetime(2026, 1, 1, 12, 0)
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.creator = "referat"
    out = io.BytesIO()
    wb.save(out)
    return stable_xlsx(out.getvalue(), stamp)


def stable_xlsx(data: bytes, stamp: dt.datetime) -> bytes:
    """Same workbook → same bytes: openpyxl stamps 'modified' with the clock and the zip with the time of day."""
    import re
    import zipfile

    from ..render.word.writer import _normalise_zip

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                                 rb"\g<1>" + stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\g<2>", content)
            dst.writestr(info.filename, content)
    return _normalise_zip(out.getvalue(), stamp)
