"""The type of what the signature appearance's Typst template (`render/typst/signature.typ`) receives.

As `view/types.py` is for the documents: JSON-ready, handed to Typst as it is; the words come from
`view/labels.py`, the template places them.
"""

from __future__ import annotations

from typing import TypedDict

__all__ = ["SignatureData"]


class SignatureData(TypedDict):
    title: str  # the appearance's own PDF title: "Underskrift" (labels.SIGNATURE_TITLE)
    heading: str  # its first line, in bold: "Godkendt og underskrevet" (labels.SIGNATURE_HEADING)
    name: str  # who signed (the certificate's name)
    lines: list[str]  # below the name: the role, if any, and when ("23.02.2026 kl. 14.05 (CET)", labels.SIGNED_AT)
    width: int  # the box's size in points (the signature field's)
    height: int
    colour: str  # the frame's colour, "#RRGGBB"
