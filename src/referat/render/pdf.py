"""The PDF writer: the document view as JSON into a Typst template (embedded engine, bundled fonts)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import typst

from ..diagnostics import Location, ReferatError
from .fonts import FONT_DIR, coverable

TEMPLATE_DIR = Path(__file__).resolve().parent / "typst"
PDF_STANDARDS = ["a-2b"]


def compile_typst(template: str, data: dict[str, Any], when: dt.date, root: Path = TEMPLATE_DIR) -> bytes:
    """Compile a template of ours with `data`; the same data and date give the same bytes."""
    payload = json.dumps(coverable(data), ensure_ascii=False, sort_keys=True)
    stamp = dt.datetime(when.year, when.month, when.day, 12, 0, tzinfo=dt.timezone.utc)
    try:
        pdf = typst.compile(
            str(root / template),
            root=str(root),
            font_paths=[str(FONT_DIR)],
            ignore_system_fonts=True,
            sys_inputs={"data": payload},
            pdf_standards=PDF_STANDARDS,
            timestamp=stamp,
        )
    except typst.TypstError as exc:  # a bug of ours, not of the user's: say so plainly
        raise ReferatError(f"PDF-motoren fejlede: {exc.message}", Location(root / template)) from None
    assert isinstance(pdf, bytes)
    return pdf


def write_pdf(view: dict[str, Any], when: dt.date) -> bytes:
    return compile_typst("document.typ", view, when)
