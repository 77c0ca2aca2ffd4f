"""Reading a takstbilag YAML file into the model, with positions for every row and its numbers read in the
convention each driftsherre wrote them in."""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import Report
from ..load.parse import parse_model
from .model import Takstbilag
from .reading import read_numbers


def load_takstbilag(path: Path) -> tuple[Takstbilag | None, Report]:
    report = Report()
    tb = parse_model(path, Takstbilag, report,
                     "et takstbilag skal være en afbildning med nøgler (år, pl_indeks, driftsherrer)")
    if tb is None:
        return None, report
    smap = tb.source_map
    assert smap is not None  # parse_model gives every model it reads its file's positions
    for i, owner in enumerate(tb.owners):
        for j, offer in enumerate(owner.offers):
            for k, row in enumerate(offer.rows):
                row.read_from(smap, ("driftsherrer", i, "tilbud", j, "rækker", k))
    read_numbers(tb)
    return tb, report
