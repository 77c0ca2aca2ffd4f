"""Reading one YAML file into plain data plus the position of every key and value."""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import Any

from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError

from ..diagnostics import Location
from ..errors import InputError
from ..fileio import read_reason
from ..model.source import SourceMap
from .nodes import NodeError, build
from .nodes import compose as _compose

MAX_BYTES = 20 * 1024 * 1024


def read_yaml(path: Path) -> tuple[Any, SourceMap]:
    """Parse `path`; raise InputError with a located Danish message if it cannot be read."""
    return parse_yaml(_read_bytes(path), path)


def parse_yaml(raw: bytes, path: Path) -> tuple[Any, SourceMap]:
    """Parse the bytes of a YAML file (`path`: where they were read, for the messages) as `read_yaml` does: a
    sent version's or an archived meeting's data gets the same located Danish messages as the folder's files."""
    text = _decode(raw, path)
    try:
        node = _compose(text)
    except NodeError as exc:  # nested too deeply to compose
        raise _error(path, exc.mark, exc.message) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise _error(path, mark, _syntax_message(exc, text)) from None
    except ReaderError as exc:
        pos = min(exc.position, len(text))
        line = text.count("\n", 0, pos) + 1
        col = pos - (text.rfind("\n", 0, pos) + 1) + 1
        raise InputError(
            f"kontroltegn U+{exc.character:04X} er ikke tilladt i YAML; skriv det som \"\\x{exc.character:02x}\" "
            "i dobbelte anførselstegn eller slet det",
            Location(path, line, col),
        ) from None
    except YAMLError as exc:
        raise InputError(f"filen kan ikke læses som YAML: {exc}", Location(path)) from None
    except RecursionError:
        raise InputError("filen er for dybt indlejret til at kunne læses", Location(path)) from None
    smap = SourceMap(path)
    if node is None:
        return None, smap
    try:
        return build(node, (), smap, set()), smap
    except NodeError as exc:
        raise _error(path, exc.mark, exc.message) from None
    except RecursionError:
        raise InputError("filen er for dybt indlejret til at kunne læses", Location(path)) from None


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise InputError("filen findes ikke", Location(path))
    if path.is_dir():
        raise InputError("er en mappe, ikke en fil", Location(path))
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(
                f"filen er {size // (1024 * 1024)} MB; en YAML-fil må højst fylde {MAX_BYTES // (1024 * 1024)} MB",
                Location(path),
            )
        raw = path.read_bytes()
    except PermissionError:
        raise InputError("ingen adgang til at læse filen", Location(path)) from None
    except OSError as exc:
        raise InputError(f"filen kan ikke læses ({read_reason(exc)})", Location(path)) from None
    return raw


def _decode(raw: bytes, path: Path) -> str:
    if len(raw) > MAX_BYTES:
        raise InputError(f"filen er {len(raw) // (1024 * 1024)} MB; en YAML-fil må højst fylde "
                         f"{MAX_BYTES // (1024 * 1024)} MB", Location(path))
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise InputError("filen er gemt som UTF-16/UTF-32; gem den som UTF-8", Location(path, 1, 1))
    if _looks_utf16(raw):
        raise InputError("filen ser ud til at være gemt som UTF-16 (uden BOM); gem den som UTF-8",
                         Location(path, 1, 1))
    raw = raw.removeprefix(codecs.BOM_UTF8)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        hint = " (den ser ud til at være gemt som Latin-1/Windows-1252)" if _looks_latin1(raw) else ""
        raise InputError(
            f"filen er ikke gyldig UTF-8{hint}; gem den som UTF-8", Location(path, line, col)
        ) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise InputError("filen indeholder NUL-tegn; er det en binær fil?", Location(path, line, None))
    return text


def _looks_utf16(raw: bytes) -> bool:
    """UTF-16 without a byte order mark: text whose every other byte is NUL (ASCII-heavy, as YAML keys are)."""
    head = raw[:400]
    if len(head) < 4:
        return False
    even, odd = head[0::2].count(0), head[1::2].count(0)
    return (odd >= len(head) // 6 and even == 0) or (even >= len(head) // 6 and odd == 0)


def _looks_latin1(raw: bytes) -> bool:
    return any(b in raw for b in (b"\xe6", b"\xf8", b"\xe5", b"\xc6", b"\xd8", b"\xc5", b"\xe9"))


def _error(path: Path, mark: Any, message: str) -> InputError:
    line = mark.line + 1 if mark is not None else None
    col = mark.column + 1 if mark is not None else None
    return InputError(message, Location(path, line, col))


_PROBLEMS = {
    "found character '\\t' that cannot start any token": "tabulator brugt til indrykning; brug mellemrum",
    "mapping values are not allowed": "kolon uventet her; sæt teksten i anførselstegn, hvis den indeholder ': '",
    "found a tab character": "tabulator brugt til indrykning; brug mellemrum",
    "could not find expected ':'": "mangler ':' efter en nøgle",
    "found unexpected end of stream": "filen slutter midt i en værdi (mangler et afsluttende anførselstegn?)",
    "did not find expected key": "forkert indrykning: en nøgle står ikke under den forrige",
    "did not find expected '-' indicator": "forkert indrykning i en liste: hvert punkt skal starte med '- '",
    "found undefined alias": "ukendt alias (*); sæt teksten i anførselstegn, hvis den starter med '*'",
    "that cannot start any token": "tegnet her kan ikke starte en værdi; sæt teksten i anførselstegn",
    "expected <block end>": "forkert indrykning: linjen står ikke på linje med nøglerne over den",
    "expected ',' or ']'": "mangler ',' eller ']' i en liste i kantede parenteser",
    "expected ',' or '}'": "mangler ',' eller '}' i en afbildning i krøllede parenteser",
    "found unknown escape character": "ukendt escape-sekvens med '\\' i tekst i dobbelte anførselstegn",
    "special characters are not allowed": "filen indeholder kontroltegn, som YAML ikke tillader",
    "but found another document": "filen indeholder mere end ét YAML-dokument (en linje med '---' eller '...'); "
                                  "skriv ét punkt pr. fil",
    "did not find expected node content": "en værdi mangler her (er en liste i [ ] eller en afbildning i { } "
                                          "ikke lukket?)",
    "block sequence entries are not allowed": "en liste ('- ') kan ikke starte på samme linje som en nøgle; "
                                              "skriv punkterne på linjerne under, indrykket",
    "mapping keys are not allowed": "en nøgle kan ikke stå her; sæt teksten i anførselstegn",
    "found unexpected ':'": "kolon uventet her; sæt teksten i anførselstegn",
    "found duplicate anchor": "ankeret (&) står to gange; giv det et andet navn",
    "found undefined tag handle": "ukendt type (!); sæt teksten i anførselstegn, hvis den starter med '!'",
    "found unexpected document indicator": "'---' eller '...' står midt i en tekst; sæt teksten i anførselstegn",
    "did not find expected comment or line break": "uventet tekst efter værdien; sæt hele teksten i anførselstegn",
    "did not find expected hexdecimal number": "ugyldig \\x-, \\u- eller \\U-escape i tekst i dobbelte "
                                               "anførselstegn",
    "found invalid Unicode character escape code": "ugyldig \\u- eller \\U-escape i tekst i dobbelte anførselstegn",
    "directive": "en linje, der starter med '%', skal stå i anførselstegn",
    "did not find expected <document start>": "en linje, der starter med '%', skal stå i anførselstegn",
    "did not find expected whitespace": "mangler et mellemrum efter '!', '&' eller '*'; sæt teksten i anførselstegn",
}


def _syntax_message(exc: MarkedYAMLError, text: str) -> str:
    problem = (exc.problem or "").strip()
    if "cannot start any token" in problem:  # the C parser does not name the character; look it up
        char = _char_at(text, exc.problem_mark)
        if char == "\t":
            return f"YAML-syntaksfejl: {_PROBLEMS['found a tab character']}"
        if char and char.isprintable() and not char.isspace():
            return f"YAML-syntaksfejl: tegnet '{char}' kan ikke starte en værdi; sæt teksten i anførselstegn"
    for said in (problem, exc.context or ""):  # the C parser sometimes names the problem in the context
        for needle, danish in _PROBLEMS.items():
            if needle in said:
                return f"YAML-syntaksfejl: {danish}"
    detail = problem or exc.context or ""
    return "YAML-syntaksfejl: filen kan ikke læses her" + (f" (parserens besked: {detail})" if detail else "")


def _char_at(text: str, mark: Any) -> str | None:
    if mark is None:
        return None
    line, column = int(mark.line), int(mark.column)
    lines = text.split("\n", line + 1)
    if line >= len(lines) or column >= len(lines[line]):
        return None
    return lines[line][column]
