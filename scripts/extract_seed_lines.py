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

# The item header lines of the published DAS minutes (002): running header, Åben, "Punkt N.", the title, the case
# number — for each of its 17 items (tests/test_layout.py compares the example's referat with them).
_HEADERS_002 = [1, 3, 5, 7, 18, 20, 22, 24, 32, 34, 36, 38, 39, 41, 102, 104, 106, 108, 110, 239, 241, 243, 245, 247,
                330, 332, 334, 336, 338, 390, 392, 394, 396, 398, 490, 492, 494, 496, 498, 568, 570, 572, 574, 576,
                624, 626, 628, 630, 632, 718, 720, 722, 724, 726, 790, 792, 794, 796, 798, 871, 873, 875, 877, 879,
                945, 947, 949, 951, 952, 954, 1008, 1010, 1012, 1014, 1016, 1071, 1073, 1075, 1077, 1093, 1095, 1097,
                1099]

# seed file (or a file beside the seeds) → (what it is, the lines the tests quote)
LINES: dict[str, tuple[str, list[int]]] = {
    "002_f01f6cdfddf04c04.txt": ("the minutes (referat) of DAS Social, 23.02.2026",
                                 sorted({*_HEADERS_002, *range(9, 18), 77, 78, 79, 282, 646, 1053, 1055, 1101})),
    "003_e8a73d86b494ce0e.txt": ("the agenda packet (dagsorden) of DAS Social, 31.03.2023", [238, 267, 998, 999, 1000]),
    "001_3585adfe5f8acb0c.txt": ("the bilag packet of a KKR Nordjylland meeting, 2024 (covers of the bilag)",
                                 [1219, 1385, 1437, 4023, 4304]),
    "004_8c297e678f46b25c.txt": ("a KKR Nordjylland case of 2016 in an older item layout",
                                 [945, 946, 948, 958, 960, 962, 964, 968, 970, 984, 996, 1040, 1076]),
    # the guide to the seeds: the front page of a DAS referat, which no seed has kept (002 has none surviving)
    "../DOMAIN.md": ("the domain guide beside the seeds (shared/DOMAIN.md), its description of a referat's front page",
                     [29, 30, 31, 32]),
}


def main(seeds: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, (what, numbers) in LINES.items():
        lines = (seeds / name).read_text(encoding="utf-8").splitlines()
        seed = name.endswith(".txt")
        text = [f"# Lines of {'seed ' if seed else ''}{Path(name).name}: {what}"
                + (", as text extracted from the published PDF." if seed else "."),
                f"# Each line: its line number in the {'seed' if seed else 'file'}, a tab, then the line exactly as "
                + ("extracted." if seed else "written."),
                "# Made by scripts/extract_seed_lines.py; read by tests/test_rules.py and tests/test_layout.py."]
        text += [f"{n}\t{lines[n - 1]}" for n in numbers]
        target = out / (Path(name).name + ("" if seed else ".txt"))
        target.write_text("\n".join(text) + "\n", encoding="utf-8")
        print(f"skrev {target}")


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    root = Path(__file__).resolve().parents[1]
    main(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) == 3 else root / "tests" / "fixtures" / "seeds")
