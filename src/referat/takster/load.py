"""Reading a takstbilag YAML file into the model, with positions for every row."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from ..diagnostics import Location, ReferatError, Report
from ..load.messages import report_validation_error
from ..load.yamlfile import read_yaml
from .model import Takstbilag


def load_takstbilag(path: Path) -> tuple[Takstbilag | None, Report]:
    report = Report()
    try:
        data, smap = read_yaml(path)
    except ReferatError as exc:
        report.extend(exc.report)
        return None, report
    if not isinstance(data, dict):
        report.error(Location(path, 1, 1), "et takstbilag skal være en afbildning med nøgler (år, pl_indeks, driftsherrer)")
        return None, report
    try:
        tb = Takstbilag.model_validate(data)
    except ValidationError as exc:
        report_validation_error(exc, smap, Takstbilag, report)
        return None, report
    tb._source = smap
    for i, owner in enumerate(tb.owners):
        for j, offer in enumerate(owner.offers):
            for k, row in enumerate(offer.rows):
                row._source = smap
                row._path = ("driftsherrer", i, "tilbud", j, "rækker", k)
    return tb, report
