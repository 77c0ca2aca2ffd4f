"""The PDF writer: the document view as JSON into a Typst template (embedded engine, bundled fonts)."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any, Literal

import typst

from ..diagnostics import Location, ReferatError
from .fonts import FONT_DIR, coverable

TEMPLATE_DIR = Path(__file__).resolve().parent / "typst"
PDF_STANDARD: Literal["a-2b"] = "a-2b"


def compile_typst(template: str, data: dict[str, Any], when: dt.date, assets: list[Path] | None = None) -> bytes:
    """Compile a template of ours with `data`; the same data and date give the same bytes.

    `assets` (a logo) must be readable by Typst, which only reads below its root: the root becomes the
    folder common to the templates and the assets, and the template gets their paths from there.
    """
    root = _root(assets or [])
    payload = json.dumps(coverable(data), ensure_ascii=False, sort_keys=True)
    stamp = dt.datetime(when.year, when.month, when.day, 12, 0, tzinfo=dt.UTC)
    try:
        pdf = typst.compile(
            str(TEMPLATE_DIR / template),
            root=str(root),
            font_paths=[str(FONT_DIR)],
            ignore_system_fonts=True,
            sys_inputs={"data": payload},
            pdf_standards=PDF_STANDARD,
            timestamp=stamp,
        )
    except typst.TypstError as exc:  # a bug of ours, not of the user's: say so plainly
        raise ReferatError(f"PDF-motoren fejlede: {exc.message}", Location(TEMPLATE_DIR / template)) from None
    assert isinstance(pdf, bytes)
    return pdf


def _root(assets: list[Path]) -> Path:
    return Path(os.path.commonpath([TEMPLATE_DIR, *(a.resolve().parent for a in assets)]))


def write_pdf(view: dict[str, Any], when: dt.date, logo: Path | None = None) -> bytes:
    if logo is None:
        return compile_typst("document.typ", view, when)
    view = {**view, "logo": "/" + logo.resolve().relative_to(_root([logo])).as_posix()}
    return compile_typst("document.typ", view, when, [logo])
