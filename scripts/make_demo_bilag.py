"""Create the bilag of the demonstration meeting (agendas/demo-…): small PDFs marked as made up.

Usage: python scripts/make_demo_bilag.py agendas/demo-2026-06-15-das-social
The non-public bilag and the closed item's bilag carry text that must never reach a public edition (the
leak test looks for it). Existing files are left alone; output is byte-identical on every run.
"""

from __future__ import annotations

import sys
from pathlib import Path

from make_standin_bilag import write_missing_bilag  # the sibling script (its folder is on sys.path when run)

from referat.model import Bilag, Item


def _note(item: Item, bilag: Bilag) -> str:
    if item.closed or not bilag.public:
        return (f"Fortroligt demonstrationsindhold til punkt {item.number}: FORTROLIGT-BILAGSINDHOLD. "
                "Denne tekst må aldrig stå i en offentlig udgave.")
    return f"Offentligt demonstrationsbilag til punkt {item.number}: ventetider pr. kvartal (opdigtede tal)."


def main(folder: Path) -> None:
    write_missing_bilag(folder, "demonstration", "DEMONSTRATION – opdigtet bilag", _note)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
