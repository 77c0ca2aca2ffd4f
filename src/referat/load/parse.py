"""One YAML file into one model: read, check it holds keys, validate, and keep its positions.

A file with a schema error is not given up: every error is reported, the values in error are set aside (a bad
key, a bad list entry, a bad nested block) and the rest is validated again, so the other keys of the file, and
the rules across files, are still checked. A required value in error is replaced by a placeholder and its key
recorded in the model's ``_broken``, so the rules that need it are skipped (validate/__init__.py).
"""

from __future__ import annotations

import bisect
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from ..diagnostics import Location, ReferatError, Report
from ..model.base import Model
from ..model.source import PathKey, SourceMap
from .messages import report_errors
from .yamlfile import read_yaml

M = TypeVar("M", bound=Model)
NOT_A_MAPPING = "filen skal indeholde nøgler og værdier (nøgle: værdi), ikke en liste eller en tekst"
MAX_ROUNDS = 12

Placeholders = dict[str, tuple[Any, Any]]
"""Required top-level key → (a value that validates, the value the model holds instead, or ... to keep it)."""


def parse_model(path: Path, model: type[M], report: Report, not_a_mapping: str = NOT_A_MAPPING,
                placeholders: Placeholders | None = None) -> M | None:
    """The model read from `path` (it keeps the file's SourceMap), or None with the reasons in `report`.

    With `placeholders`, a file whose required keys are missing or in error still gives a model (its `broken`
    naming those keys) so that the rest of it can be checked; it is never rendered, because its errors are reported.
    """
    try:
        data, smap = read_yaml(path)
    except ReferatError as exc:
        report.extend(exc.report)
        return None
    if data is None:
        report.error(Location(path, 1, 1), "filen er tom")
        return None
    if not isinstance(data, dict):
        report.error(Location(path, 1, 1), not_a_mapping)
        return None
    try:
        obj = model.model_validate(data)
        broken: set[str] = set()
    except ValidationError as exc:
        salvaged = _salvage(data, smap, model, report, exc, placeholders or {})
        if salvaged is None:
            return None
        obj, broken = salvaged
    obj.read_from(smap, broken=frozenset(broken))
    return obj


def _salvage(data: dict[str, Any], smap: SourceMap, model: type[M], report: Report, exc: ValidationError,
             placeholders: Placeholders) -> tuple[M, set[str]] | None:
    """Report every error; set the bad values aside and validate again until the rest is valid."""
    data = _copy(data)
    seen: set[tuple[Any, ...]] = set()
    pruned: set[PathKey] = set()
    dropped_values: set[PathKey] = set()  # values in error (not unknown keys) that were set aside
    broken: set[str] = set()
    for _ in range(MAX_ROUNDS):
        errors = exc.errors(include_url=False)
        under_dropped = {path[:n] for path in dropped_values for n in range(len(path) + 1)}
        fresh = []
        for err in errors:
            loc = tuple(err["loc"])
            if err["type"] == "missing" and (loc in pruned or (len(loc) == 1 and loc[0] in broken)):
                continue  # a consequence of what was set aside, already reported
            if loc in under_dropped:
                continue  # e.g. "a bilag needs 'fil'" once its bad 'fil' was set aside
            key = (loc, err["type"], err["msg"])
            if key not in seen:
                seen.add(key)
                fresh.append(err)
        report_errors(fresh, smap, model, report)
        removals: set[PathKey] = set()
        for err in errors:
            loc = tuple(err["loc"])
            top = loc[0] if loc else None
            if isinstance(top, str) and top in placeholders and (len(loc) == 1 or top not in data
                                                                 or err["type"] == "missing"):
                data[top] = _copy(placeholders[top][0])
                broken.add(top)
                continue
            target = _data_path(data, loc[:-1] if err["type"] == "missing" else loc)
            if not target:
                return None  # the file as a whole is wrong; nothing to set aside
            if isinstance(target[0], str) and target[0] in placeholders and len(target) == 1:
                data[target[0]] = _copy(placeholders[target[0]][0])
                broken.add(target[0])
                continue
            removals.add(target)
            if err["type"] != "extra_forbidden":
                dropped_values.add(target)
        if removals:
            _remove(data, smap, removals)
            pruned |= removals
        elif not any(isinstance(loc[0], str) and loc[0] in broken for loc in (tuple(e["loc"]) for e in errors)
                     if loc):
            return None  # nothing could be set aside: stop rather than loop
        try:
            obj = model.model_validate(data)
        except ValidationError as again:
            exc = again
            continue
        for alias in broken:
            after = placeholders[alias][1]
            if after is not ...:
                name = next(n for n, f in model.model_fields.items() if (f.alias or n) == alias)
                setattr(obj, name, after)
        return obj, broken
    return None


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _data_path(data: Any, loc: tuple[Any, ...]) -> PathKey:
    """The longest prefix of an error's location that exists in the data (pydantic adds union member tags)."""
    out: list[str | int] = []
    current = data
    for part in loc:
        in_dict = isinstance(current, dict) and isinstance(part, str) and part in current
        in_list = isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)
        if in_dict or in_list:
            current = current[part]
        else:
            break
        out.append(part)
    return tuple(out)


def _remove(data: dict[str, Any], smap: SourceMap, removals: set[PathKey]) -> None:
    """Delete the values at `removals` (outermost first) and move the positions of later list entries up."""
    kept = [p for p in removals if not any(p[:n] in removals for n in range(1, len(p)))]
    resolved = [(_get(data, path[:-1]), path) for path in kept]  # before anything moves
    lists: dict[PathKey, list[int]] = {}
    containers: dict[PathKey, list[Any]] = {}
    for parent, path in resolved:
        last = path[-1]
        if isinstance(parent, dict) and isinstance(last, str):
            parent.pop(last, None)
        elif isinstance(parent, list) and isinstance(last, int):
            lists.setdefault(path[:-1], []).append(last)
            containers[path[:-1]] = parent
    for path, indices in lists.items():
        lists[path] = sorted(set(indices))
        for index in reversed(lists[path]):
            del containers[path][index]
    if lists:
        _shift(smap, lists)


def _get(data: Any, path: PathKey) -> Any:
    for part in path:
        data = data[part]
    return data


def _shift(smap: SourceMap, lists: dict[PathKey, list[int]]) -> None:
    """Renumber the positions under lists whose entries were removed, so later messages point at the right line."""
    gone = {path: set(indices) for path, indices in lists.items()}

    def moved(key: PathKey) -> PathKey | None:
        out: list[str | int] = []
        for i, part in enumerate(key):
            removed = lists.get(key[:i]) if isinstance(part, int) else None
            if removed is not None:
                assert isinstance(part, int)
                if part in gone[key[:i]]:
                    return None
                part -= bisect.bisect_left(removed, part)
            out.append(part)
        return tuple(out)

    for table in (smap.keys, smap.values):
        new = {}
        for key, pos in table.items():
            target = moved(key)
            if target is not None:
                new[target] = pos
        table.clear()
        table.update(new)
    literal = {m for m in (moved(k) for k in smap.literal) if m is not None}
    smap.literal.clear()
    smap.literal.update(literal)
