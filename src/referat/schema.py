"""JSON Schemas generated from the models, for editors and for `referat schema`.

The schema says what the loader accepts: every value the loader accepts is valid, and every value it refuses is
invalid where a schema can say it (what it cannot say — a time slot that ends before it starts, a member who is
not on the roster — the loader and `referat validate` check; docs/format.md lists those). Titles and
descriptions are Danish: they are the hover help in an editor.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from .model.item import Item
from .model.meeting import Meeting
from .model.profile import Committee
from .takster.model import Takstbilag

SCHEMAS: dict[str, type[BaseModel]] = {"møde": Meeting, "punkt": Item, "profil": Committee, "takstbilag": Takstbilag}
TITLES = {"møde": "Møde (møde.yaml)", "punkt": "Dagsordenspunkt", "profil": "Udvalgsprofil",
          "takstbilag": "Takstbilag"}

# Title and description of every object and choice in the schemas, by the class that defines it. The classes'
# docstrings are developer notes in English; these are what a secretary sees when hovering over a key.
DANISH: dict[str, tuple[str, str]] = {
    "Meeting": ("Møde", "Et møde i udvalget: dato, tid, sted, fremmøde, næste møde og punkternes rækkefølge."),
    "Item": ("Dagsordenspunkt", ("Et punkt på dagsordenen: titel, adgang, afsnit, indstilling, bilag og "
                                "(i referatet) beslutning.")),
    "Committee": ("Udvalgsprofil", "Alt, hvad udvalget selv ejer af ordlyd og udseende i dokumenterne."),
    "Takstbilag": ("Takstbilag", "Årets takster pr. driftsherre og tilbud, med P/L-indeks og tærskler."),
    "Attendance": ("Fremmøde", "Hvem deltog: medlemmer til stede og fraværende, og øvrige deltagere."),
    "PartialAttendance": ("Delvis deltagelse", ("Et medlem til stede under en del af mødet: kom under punkt "
                                                 "'fra_punkt' og/eller gik efter punkt 'til_punkt'.")),
    "Guest": ("Øvrig deltager", "En deltager, der ikke er medlem: en stedfortræder, en fremlægger, sekretariatet."),
    "Member": ("Medlem", "Et medlem af udvalget, som på medlemslisten."),
    "NextMeeting": ("Næste møde", "Det næste møde, som det meddeles under sidste punkt."),
    "MeetingForm": ("Mødeform", "fysisk eller virtuel (store og små bogstaver er ligegyldige)."),
    "Phase": ("Fase", "dagsorden (før mødet) eller referat (efter mødet); store og små bogstaver er ligegyldige."),
    "Access": ("Adgang", "åben eller lukket; store og små bogstaver er ligegyldige."),
    "FollowUp": ("Opfølgning", "En opgave, som beslutningen giver: opgave, ansvarlig, frist og evt. status."),
    "TaskStatus": ("Status", "åben (standard) eller udført."),
    "ItemType": ("Punkttype", ("standard, beslutning, drøftelse eller orientering; store og små bogstaver er "
                              "ligegyldige.")),
    "Recommendation": ("Indstillingspunkt", ("Et nummereret punkt i indstillingen: en tekst, eller "
                                            "{tekst, underpunkter} når punktet har underpunkter.")),
    "Bilag": ("Bilag", ("Et bilag til punktet: en fil i bilag/, et tidligere mødes referat eller et arkiveret, "
                       "underskrevet referat.")),
    "Look": ("Udseende", "Udvalgets farve, skrifttype og logo i dokumenterne."),
    "FreeSection": ("Afsnit", ("Et afsnit ud over udvalgets faste: tekst med eller uden overskrift, placeret "
                               "efter et af punktets afsnit (efter) eller under titlen (efter: start).")),
    "SectionPlace": ("Placering af afsnit", ("start (under titlen) eller det afsnit, det står efter: resumé, "
                                             "baggrund, sagsfremstilling, indstilling, bilag eller beslutning.")),
    "Layout": ("Opsætning", ("Dokumenternes opsætning: forside, sidehoved, sidetal, nummerering, indstillingens "
                            "punkter og bilagenes forsideblade.")),
    "FrontPage": ("Forside", ("Forsidens titelblok, hvilke linjer den viser og i hvilken rækkefølge, navne i "
                             "løbende tekst eller én pr. linje, tomme linjer og indholdsfortegnelsens plads.")),
    "FrontField": ("Forsidelinje", ("tid, sted, fraværende, til_stede, øvrige_deltagere eller "
                                    "øvrige_oplysninger.")),
    "Names": ("Navne", "en_pr_linje (et navn pr. linje) eller løbende (adskilt af komma)."),
    "TocPlacement": ("Indholdsfortegnelse", "forside, egen_side eller ingen."),
    "HeaderPlacement": ("Sidehovedets placering", ("hver_side (sidehoved og adgangslinje på hver side) eller "
                                                   "punktstart (kun hvor et punkt begynder).")),
    "Numbering": ("Nummerering", ("løbende (1, 2, 3 …) eller hierarkisk (2.1, 2.2 … under en nummereret "
                                 "gruppeoverskrift).")),
    "PointStyle": ("Indstillingens punkter", "nummereret (1., 2. …) eller punkttegn (•)."),
    "SectionHeading": ("Overskrift", ("Et afsnits overskrift i dagsordenen og i referatet, og om den står, når "
                                     "afsnittet er tomt (vis_tom).")),
    "StandardItem": ("Standardpunkt", "Et punkt, som 'referat new' sætter på enhver ny dagsorden."),
    "Placement": ("Placering", "start (før sagerne) eller slut (efter sagerne)."),
    "Unit": ("Takstenhed", "Døgn, Dag, Time, Styk eller Måned."),
    "OwnerType": ("Driftsherretype", "kommune eller region (bestemmer P/L-indekset)."),
    "Status": ("Status", "udgår (tilbuddet lukker) eller udskudt (taksten kommer senere)."),
    "Direction": ("Retning", "Hvilke ændringer P/L-reglen ser på: op, ned eller begge."),
    "Earlier": ("Tidligere indmeldt", "Det, der blev indmeldt før en revision (kolonnerne 'Gammel')."),
    "Role": ("Rækketype", ("Hvordan rækken står i tabellen: overskrift (kun et navn), blokhoved (pladser, budget, "
                          "belægning og overhead for underrækkerne), underrække, sum eller takst.")),
    "Note": ("Note eller notat", "En note fra driftsherren (\"#Note til …\") eller et notat til hele takstbilaget (\"Bilag A\")."),
    "Row": ("Takstrække", "Én takst: en ydelse i et tilbud med pladser, belægning, budget og takst."),
    "Offer": ("Tilbud", "Et tilbud og dets takstrækker."),
    "Owner": ("Driftsherre", "En kommune eller regionen med sin generelle overhead og sine tilbud."),
    "Thresholds": ("Tærskler", "Styringsaftalens grænser og kontrollernes tolerancer."),
}


def json_schema(kind: str) -> dict[str, Any]:
    model = SCHEMAS[kind]
    schema = model.model_json_schema(by_alias=True, mode="validation")
    for name, definition in schema.get("$defs", {}).items():
        _danish(definition, name)
    _danish(schema, model.__name__)
    schema["title"] = TITLES[kind]
    _field_titles(schema)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def _danish(definition: dict[str, Any], name: str) -> None:
    title, description = DANISH[name]  # a KeyError here: add the new class to DANISH
    for member in definition.get("anyOf", []):  # a point written as text or as an object: one title on top
        member.pop("title", None)
        member.pop("description", None)
    definition["title"], definition["description"] = title, description


def _field_titles(node: Any) -> None:
    """Every key's title is the key itself as a heading ("til_stede" → "Til stede"), never an English name."""
    if isinstance(node, dict):
        for key, prop in (node.get("properties") or {}).items():
            if isinstance(prop, dict):
                prop["title"] = key.replace("_", " ")[:1].upper() + key.replace("_", " ")[1:]
        for value in node.values():
            _field_titles(value)
    elif isinstance(node, list):
        for value in node:
            _field_titles(value)


def schema_text(kind: str) -> str:
    return json.dumps(json_schema(kind), ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def schema_file_name(kind: str) -> str:
    return f"{kind}.schema.json"
