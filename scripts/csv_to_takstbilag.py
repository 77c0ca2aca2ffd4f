"""Turn a transcribed tariff table (CSV, see agendas/2023-03-31-das-social/data/README.md) into takstbilag YAML.

Usage: python scripts/csv_to_takstbilag.py data.csv out.yaml --år 2023 --driftsherre "Aalborg Kommune" --seed 003
Rows stay in source order; each row carries a comment with its seed line.
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path


def q(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def num(text: str) -> str | None:
    text = text.strip()
    if not text:
        return None
    value = float(text)
    return str(int(value)) if value.is_integer() else str(value)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("csv")
    parser.add_argument("out")
    parser.add_argument("--år", type=int, required=True)
    parser.add_argument("--driftsherre", required=True)
    parser.add_argument("--titel")
    parser.add_argument("--seed", default="003")
    args = parser.parse_args()
    with Path(args.csv).open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    out = [
        "# yaml-language-server: $schema=../../../schemas/takstbilag.schema.json",
        f"# Transskriberet fra shared/seeds ({args.seed}) via {Path(args.csv).name}; kolonnerne 'Gammel' står under 'tidligere'.",
        f"år: {args.år}",
    ]
    if args.titel:
        out.append(f"titel: {q(args.titel)}")
    out += [
        "# Kilden angiver ikke årets P/L-indeks; reglen om P/L + 2 procentpoint kontrolleres derfor ikke.",
        "pl_indeks:",
        "  kommune: null",
        "  region: null",
        "driftsherrer:",
        f"  - navn: {q(args.driftsherre)}",
        "    type: kommune",
        "    tilbud:",
    ]
    current = None
    for row in rows:
        if row["tilbud"] != current:
            current = row["tilbud"]
            out.append(f"      - navn: {q(current)}")
            out.append("        rækker:")
        out.append(f"          - ydelse: {q(row['ydelse'])}  # {args.seed} L{row['kilde_linje']}")
        fields = [("lovgrundlag", q(row["lovgrundlag"]) if row["lovgrundlag"] else None),
                  ("antal_pladser", num(row["antal_pladser"])),
                  ("takstenhed", q(row["takstenhed"])),
                  ("belægning_pct", num(row["belaegning_pct"])),
                  ("budget", num(row["budget_ny"])),
                  ("takst", num(row["takst_ny"])),
                  ("ændring_pct", num(row["aendring_pct_ny"])),
                  ("forklaring", q(row["forklaring"]) if row["forklaring"] else None)]
        for key, value in fields:
            if value is not None:
                out.append(f"            {key}: {value}")
        earlier = [("budget", num(row["budget_gammel"])), ("takst", num(row["takst_gammel"])),
                   ("ændring_pct", num(row["aendring_pct_gammel"]))]
        if any(v is not None for _, v in earlier):
            out.append("            tidligere:")
            out += [f"              {k}: {v}" for k, v in earlier if v is not None]
    Path(args.out).write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"skrev {args.out} ({len(rows)} rækker)")


if __name__ == "__main__":
    main()
