"""One YAML file into one model: read, check it holds keys, validate, and keep its positions."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from ..diagnostics import Location, ReferatError, Report
from .messages import report_validation_error
from .yamlfile import read_yaml

M = TypeVar("M", bound=BaseModel)
NOT_A_MAPPING = "filen skal indeholde nøgler og værdier (nøgle: værdi), ikke en liste eller en tekst"


def parse_model(path: Path, model: type[M], report: Report, not_a_mapping: str = NOT_A_MAPPING) -> M | None:
    """The model read from `path` (its `_source` set to the file's SourceMap), or None with the reasons in `report`."""
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
    except ValidationError as exc:
        report_validation_error(exc, smap, model, report)
        return None
    obj._source = smap  # type: ignore[attr-defined]
    return obj
