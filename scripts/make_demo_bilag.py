"""Create the bilag of the demonstration meeting (agendas/demo-…): small PDFs marked as made up.

Usage: python scripts/make_demo_bilag.py agendas/demo-2026-06-15-das-social
The non-public bilag and the closed item's bilag carry text that must never reach a public edition (the
leak test looks for it). Existing files are left alone; output is byte-identical on every run.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typst

from referat.load.meeting import load_meeting
from referat.render.fonts import FONT_DIR

TEMPLATE = """
#let d = json(bytes(sys.inputs.data))
#set document(title: d.title, author: "referat (demonstration)")
#set text(font: "Liberation Sans", lang: "da", size: 11pt)
#set page(paper: "a4", margin: 2.5cm)
#text(size: 9pt, fill: rgb("#9c0006"), weight: "bold")[DEMONSTRATION – opdigtet bilag]
#v(1cm)
#text(size: 16pt, weight: "bold", d.title)
#v(0.6cm)
#d.note
"""


def main(folder: Path) -> None:
    meeting, report = load_meeting(folder)
    if meeting is None:
        sys.exit("\n".join(report.lines()))
    for item in meeting.items:
        for b in item.bilag:
            assert b.path is not None
            if b.file is None or b.path.exists():
                continue
            if item.closed or not b.public:
                note = (f"Fortroligt demonstrationsindhold til punkt {item.number}: FORTROLIGT-BILAGSINDHOLD. "
                        "Denne tekst må aldrig stå i en offentlig udgave.")
            else:
                note = f"Offentligt demonstrationsbilag til punkt {item.number}: ventetider pr. kvartal (opdigtede tal)."
            data = json.dumps({"title": b.title, "note": note}, ensure_ascii=False)
            pdf = typst.compile(TEMPLATE.encode(), font_paths=[str(FONT_DIR)], ignore_system_fonts=True,
                                sys_inputs={"data": data}, timestamp=0)
            b.path.parent.mkdir(parents=True, exist_ok=True)
            b.path.write_bytes(pdf)  # type: ignore[arg-type]
            print(f"skrev {b.path}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
