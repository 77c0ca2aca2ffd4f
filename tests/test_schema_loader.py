"""The JSON Schemas agree with the loader (issue 10, item 6): every value the loader accepts is valid in the
schema, every value it refuses is invalid where a schema can say it, and the help an editor shows is Danish."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pydantic import BaseModel, ValidationError

from referat.app.scaffold import new_meeting
from referat.load.yamlfile import read_yaml
from referat.schema import DANISH, SCHEMAS, json_schema, schema_file_name

ROOT = Path(__file__).resolve().parents[1]
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$", re.MULTILINE)


def validator(kind: str) -> jsonschema.Draft202012Validator:
    schema = json_schema(kind)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def kind_of(path: Path) -> str:
    """The schema a file names in its yaml-language-server modeline (what the editor uses)."""
    match = MODELINE.search(path.read_text("utf-8"))
    assert match, f"{path} has no yaml-language-server modeline"
    target = (path.parent / match[1]).resolve()
    assert target.is_file(), f"{path}: the modeline points at {target}, which does not exist"
    kinds = {schema_file_name(k): k for k in SCHEMAS}
    assert target.name in kinds
    return kinds[target.name]


def repo_yaml() -> list[Path]:
    return sorted([*ROOT.glob("agendas/**/*.yaml"), *ROOT.glob("templates/**/*.yaml"), *ROOT.glob("tests/fixtures/**/*.yaml")])


def schema_errors(kind: str, data: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(kind).iter_errors(data)]


def test_the_repository_has_yaml_files_to_check() -> None:
    names = {p.name for p in repo_yaml()}
    assert {"møde.yaml", "das-social.yaml", "07-takster-2023-revideret.yaml"} <= names and len(names) > 25


@pytest.mark.parametrize("path", repo_yaml(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_yaml_file_in_the_repository_is_valid_in_its_schema(path: Path) -> None:
    kind = kind_of(path)
    data, _ = read_yaml(path)
    assert schema_errors(kind, data) == []
    SCHEMAS[kind].model_validate(data)  # and the loader accepts it too


def test_what_referat_new_writes_is_valid_in_the_schemas(tmp_path: Path) -> None:
    root = ROOT / "templates"
    for committee in sorted(p.stem for p in (root / "udvalg").glob("*.yaml")):
        folder = tmp_path / committee / "møde"
        written = new_meeting(folder, committee, dt.date(2027, 3, 1), "09.30", "12:00", None, [root])
        assert written
        for path in written:
            kind = kind_of(path)
            data, _ = read_yaml(path)
            assert schema_errors(kind, data) == [], path
            SCHEMAS[kind].model_validate(data)


def _item(extra: str) -> str:
    return "titel: Et punkt\n" + textwrap.dedent(extra)


def _meeting(extra: str = "", **replace: str) -> str:
    text = textwrap.dedent("""\
        udvalg: das-social
        fase: dagsorden
        dato: 2026-02-23
        start: "12.00"
        slut: "16.00"
        punkter: [a.yaml]
        """)
    for key, value in replace.items():
        text = re.sub(rf"^{key}: .*$", f"{key}: {value}", text, flags=re.MULTILINE)
    return text + textwrap.dedent(extra)


def _profile(extra: str) -> str:
    return "kortnavn: X\nnavn: Udvalget X\nindstilling_indledning: Det indstilles, at\n" + textwrap.dedent(extra)


# (kind, YAML, does the loader accept it?) — the schema must say the same.
CASES: list[tuple[str, str, bool]] = [
    ("punkt", _item("indstilling:\n  - godkender planen\n  - tekst: noterer\n    underpunkter: [a, b]\n"), True),
    ("punkt", _item("indstilling:\n  - 7\n"), False),
    ("punkt", _item("indstilling:\n  - {tekst: a, ekstra: b}\n"), False),
    ("punkt", _item("adgang: Åben\ntype: Orientering\n"), True),
    ("punkt", _item("adgang: LUKKET\n"), True),
    ("punkt", _item("adgang: halvåben\n"), False),
    ("punkt", _item("type: sag\n"), False),
    ("punkt", _item("bilag:\n  - {titel: B, fil: b.pdf, offentlig: nej}\n"), True),
    ("punkt", _item("bilag:\n  - {titel: B, fil: b.pdf, offentlig: Ja}\n"), True),
    ("punkt", _item("bilag:\n  - {titel: B, fil: b.pdf, offentlig: false}\n"), True),
    ("punkt", _item("bilag:\n  - {titel: B, fil: b.pdf, offentlig: måske}\n"), False),
    ("punkt", _item("bilag:\n  - {titel: B, fil: b.pdf, offentlig: 1}\n"), False),
    ("punkt", _item("bilag:\n  - {titel: B, fil: b.pdf, ofentlig: nej}\n"), False),
    ("punkt", _item("tidspunkt: 09.00-10.00\n"), True),
    ("punkt", _item("tidspunkt: 9:00 – 10:30\n"), True),
    ("punkt", _item("tidspunkt: 09.00-25.00\n"), False),
    ("punkt", _item("tidspunkt: om formiddagen\n"), False),
    ("punkt", _item("resume: x\n"), False),
    ("punkt", "titel: ''\n", False),
    ("punkt", "titel: 2026\n", False),
    ("punkt", _item("fremlæggere: Anne\n"), False),
    ("møde", _meeting(), True),
    ("møde", _meeting(slut="16.00"), True),
    ("møde", _meeting(slut="16"), True),
    ("møde", _meeting(slut="'16:30'"), True),
    ("møde", _meeting(slut="'25.00'"), False),
    ("møde", _meeting(slut="24.5"), False),
    ("møde", _meeting(slut="'kl. 16'"), False),
    ("møde", _meeting(fase="Referat"), True),
    ("møde", _meeting(fase="udkast"), False),
    ("møde", _meeting(dato="2026-2-3"), False),
    ("møde", _meeting(dato="23.02.2026"), False),
    ("møde", _meeting(dato="20260223"), False),
    ("møde", _meeting(udvalg="../x"), False),
    ("møde", _meeting(udvalg="Das-Social"), False),
    ("møde", _meeting(udvalg="kkr-nordjylland"), True),
    ("møde", _meeting(punkter="[]"), False),
    ("møde", _meeting("online: ja\n"), True),
    ("møde", _meeting("online: JA\n"), True),
    ("møde", _meeting("online: yes\n"), False),
    ("møde", _meeting("næste_møde: {dato: 2026-05-22, form: Virtuel, start: 12.30}\n"), True),
    ("møde", _meeting("næste_møde: {dato: 2026-05-22, form: hybrid}\n"), False),
    ("møde", _meeting("næste_møde: {start: '12.00'}\n"), False),
    ("møde", _meeting("fremmøde: {til_stede: [A], øvrige: [{navn: B, punkter: [3, '4']}]}\n"), True),
    ("møde", _meeting("fremmøde: {tilstede: [A]}\n"), False),
    ("profil", _profile(""), True),
    ("profil", _profile("overskrifter: {resumé: Kort fortalt}\n"), True),
    ("profil", _profile("overskrifter: {konklusion: K}\n"), False),
    ("profil", _profile("rækkefølge: [resumé, baggrund, sagsfremstilling, indstilling, bilag, beslutning]\n"), True),
    ("profil", _profile("rækkefølge: [resumé, baggrund, sagsfremstilling, indstilling, bilag]\n"), False),
    ("profil", _profile("rækkefølge: [resumé, resumé, sagsfremstilling, indstilling, bilag, beslutning]\n"), False),
    ("profil", _profile("standardpunkter:\n  - {titel: Eventuelt, placering: Slut}\n"), True),
    ("profil", _profile("standardpunkter:\n  - {titel: Eventuelt, placering: midt}\n"), False),
    ("profil", _profile("udseende: {farve: '#12AB9f'}\n"), True),
    ("profil", _profile("udseende: {farve: rød}\n"), False),
]


@pytest.mark.parametrize("kind, text, accepted", CASES, ids=[f"{k}-{i}" for i, (k, _, _) in enumerate(CASES)])
def test_schema_and_loader_agree(tmp_path: Path, kind: str, text: str, accepted: bool) -> None:
    path = tmp_path / "fil.yaml"
    path.write_text(text, "utf-8")
    data, _ = read_yaml(path)
    model: type[BaseModel] = SCHEMAS[kind]
    try:
        model.model_validate(data)
        loader = True
    except ValidationError:
        loader = False
    assert loader is accepted, f"the loader {'refuses' if accepted else 'accepts'}:\n{text}"
    errors = schema_errors(kind, data)
    assert (errors == []) is accepted, errors or f"the schema accepts what the loader refuses:\n{text}"


def _objects(node: Any, path: str = "#") -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(node, dict):
        if node.get("type") == "object" or "properties" in node or "anyOf" in node and "title" in node:
            found.append((path, node))
        for key, value in node.items():
            found += _objects(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _objects(value, f"{path}/{i}")
    return found


ENGLISH = re.compile(r"\b(the|of|and|with|who|what|an?|is|one|every|meeting|item|attendance|committee)\b")


@pytest.mark.parametrize("kind", list(SCHEMAS))
def test_every_object_and_field_has_danish_help(kind: str) -> None:
    schema = json_schema(kind)
    class_names = set(DANISH) | {m.__name__ for m in SCHEMAS.values()}
    for where, obj in _objects(schema):
        if "title" in obj or where == "#" or "/$defs/" in where and where.count("/") == 2:
            assert obj.get("title") and obj["title"] not in class_names - {"Bilag", "Status", "Takstbilag"}, where
            assert obj.get("description") and not ENGLISH.search(obj["description"]), (where, obj.get("description"))
        for key, prop in (obj.get("properties") or {}).items():
            assert prop.get("title", "").lower().replace(" ", "_") == key.lower(), (where, key, prop.get("title"))
            assert prop.get("description"), f"{where}/properties/{key} has no description"
            assert not ENGLISH.search(prop["description"]), (where, key, prop["description"])
