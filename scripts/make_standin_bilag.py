"""Create small stand-in PDFs for the example meetings' bilag (the real attachments are not in the seeds).

Usage: python scripts/make_standin_bilag.py agendas/2026-02-23-das-social
Each PDF says plainly that it is an example, names the real attachment's title and the seed it comes from.
Existing files are left alone; output is byte-identical on every run.

`write_missing_bilag` is shared with scripts/make_demo_bilag.py (the demonstration meeting's made-up bilag).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import typst

from referat.load.meeting import load_meeting
from referat.model import Bilag, Item
from referat.text.fonts import FONT_DIR

TEMPLATE = """
#let d = json(bytes(sys.inputs.data))
#set document(title: d.title, author: "referat ({author})")
#set text(font: "Liberation Sans", lang: "da", size: 11pt)
#set page(paper: "a4", margin: 2.5cm)
#text(size: 9pt, fill: rgb("#9c0006"), weight: "bold")[{banner}]
#v(1cm)
#text(size: 16pt, weight: "bold", d.title)
#v(0.6cm)
#d.note
"""


def write_missing_bilag(folder: Path, author: str, banner: str, note: Callable[[Item, Bilag], str]) -> None:
    """Write a one-page PDF (title and `note`, under a red `banner`) for every file bilag of the meeting in
    `folder` that does not exist yet; the same meeting gives the same bytes."""
    meeting, report = load_meeting(folder)
    if meeting is None:
        sys.exit("\n".join(report.lines()))
    source = TEMPLATE.format(author=author, banner=banner).encode()
    for item in meeting.items:
        for b in item.bilag:
            assert b.path is not None
            if b.file is None or b.path.exists():
                continue
            data = json.dumps({"title": b.title, "note": note(item, b)}, ensure_ascii=False)
            pdf = typst.compile(source, font_paths=[str(FONT_DIR)], ignore_system_fonts=True,
                                sys_inputs={"data": data}, timestamp=0)
            b.path.parent.mkdir(parents=True, exist_ok=True)
            b.path.write_bytes(pdf)  # type: ignore[arg-type]
            print(f"skrev {b.path}")


def _note(item: Item, _bilag: Bilag) -> str:
    return (f"Stand-in for bilaget til punkt {item.number} «{item.title}». Det rigtige bilag er ikke "
            f"offentliggjort sammen med det dokument, eksemplet er skrevet af efter. Filen findes, så "
            f"eksemplet kan bygges og pakkes.")


def main(folder: Path) -> None:
    write_missing_bilag(folder, "eksempel", "EKSEMPEL – ikke det originale bilag", _note)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
