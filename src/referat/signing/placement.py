"""Where a visible signature goes: side by side in the free space under the text of the last page."""

from __future__ import annotations

import io

from pypdf import PdfReader, mult

from ..diagnostics import Location
from ..errors import SignatureError

WIDTH, HEIGHT, GAP = 215.0, 62.0, 12.0
FOOTER_SHARE = 0.1  # text in the bottom tenth of the page is the footer ("Side X af Y")


def stamp_box(pdf: bytes, slot: int, where: Location | None = None) -> tuple[int, int, int, int]:
    """The rectangle (x1, y1, x2, y2) for the `slot`-th visible signature on the last page."""
    page = PdfReader(io.BytesIO(pdf), strict=False).pages[-1]
    box = page.mediabox
    left, bottom, right, top = float(box.left), float(box.bottom), float(box.right), float(box.top)
    lines: list[tuple[float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: object) -> None:
        if text.strip():
            matrix = mult(tm, cm)
            lines.append((float(matrix[4]), float(matrix[5])))

    page.extract_text(visitor_text=visit)
    footer = bottom + (top - bottom) * FOOTER_SHARE
    body = [(x, y) for x, y in lines if y > footer]
    margin = min((x for x, _ in body), default=left + 70)
    content_bottom = min((y for _, y in body), default=top - 70)
    per_row = max(1, int((right - 2 * margin + GAP) // (WIDTH + GAP)))
    row, col = divmod(slot, per_row)
    x1 = margin + col * (WIDTH + GAP)
    y2 = content_bottom - 2 * GAP - row * (HEIGHT + GAP)
    if y2 - HEIGHT < footer:
        raise SignatureError("der er ikke plads til endnu en synlig underskrift på referatets sidste side; "
                           "underskriv uden --synlig", where)
    return round(x1), round(y2 - HEIGHT), round(x1 + WIDTH), round(y2)
