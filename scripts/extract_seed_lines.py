"""Copy the seed lines the rule tests quote into tests/fixtures/seeds/, so the tests need nothing outside the repo.

Usage: python scripts/extract_seed_lines.py SEED_DIR [OUT_DIR]

SEED_DIR holds the text extracted from the published DAS Social PDFs (the project's research material, not
part of the repository). Each output file keeps the cited lines exactly as extracted (trailing spaces and
bullets included), each prefixed with its line number in the seed and a tab, under a header that names the seed
file and the published document it was extracted from.
"""

from __future__ import annotations

import sys
from pathlib import Path

# seed file → (what it is, the lines tests/test_rules.py quotes)
LINES: dict[str, tuple[str, list[int]]] = {
    "002_f01f6cdfddf04c04.txt": ("the minutes (referat) of DAS Social, 23.02.2026",
                                 [77, 78, 79, 282, 646, 1053, 1055]),
    "003_e8a73d86b494ce0e.txt": ("the agenda packet (dagsorden) of DAS Social, 31.03.2023", [238, 267]),
}


def main(seeds: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, (what, numbers) in LINES.items():
        lines = (seeds / name).read_text(encoding="utf-8").splitlines()
        text = [f"# Lines of seed {name}: {what}, as text extracted from the published PDF.",
                "# Each line: its line number in the seed, a tab, then the line exactly as extracted.",
                "# Made by scripts/extract_seed_lines.py; read by tests/test_rules.py (seed_line)."]
        text += [f"{n}\t{lines[n - 1]}" for n in numbers]
        (out / name).write_text("\n".join(text) + "\n", encoding="utf-8")
        print(f"skrev {out / name}")


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    root = Path(__file__).resolve().parents[1]
    main(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) == 3 else root / "tests" / "fixtures" / "seeds")
