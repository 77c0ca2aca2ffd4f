"""JSON Schemas generated from the models, for editors and for `referat schema`."""

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


def json_schema(kind: str) -> dict[str, Any]:
    schema = SCHEMAS[kind].model_json_schema(by_alias=True, mode="validation")
    schema["title"] = TITLES[kind]
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def schema_text(kind: str) -> str:
    return json.dumps(json_schema(kind), ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def schema_file_name(kind: str) -> str:
    return f"{kind}.schema.json"
