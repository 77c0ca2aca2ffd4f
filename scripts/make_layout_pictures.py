"""Draw the pictures of docs/layout.md: the example meetings' pages beside what the published documents show.

Usage: python scripts/make_layout_pictures.py [docs]

Needs poppler's `pdftoppm` (Debian: poppler-utils). Builds the example referat of DAS Social and KKR Nordjylland's
example agenda and packet with the installed `referat`, renders the pages shown to PNG, and sets them beside the
published lines: the published documents survive only as extracted text (the seed lines copied into
tests/fixtures/seeds/), so the left-hand column sets those lines in order, one under the other, in the bundled
font — their order and wording are the published ones, their type sizes and spacing are not known and not shown.
The same input gives the same pictures.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import typst

from referat.cli import main as referat
from referat.text.fonts import FONT_DIR

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "tests" / "fixtures" / "seeds"

SHEET = """
#let d = json(bytes(sys.inputs.data))
#set page(width: auto, height: auto, margin: 12pt, fill: white)
#set text(font: "Liberation Sans", size: 9pt, lang: "da")
#let published(lines, note) = box(width: 298pt, height: 421pt, stroke: 0.5pt + luma(150), inset: 18pt, {
  set text(size: 7.5pt)
  for l in lines { if l == "" { v(4pt) } else { block(above: 0pt, below: 3pt, l) } }
  place(bottom, text(size: 6.5pt, fill: luma(90), style: "italic", note))
})
#let shot(path) = box(stroke: 0.5pt + luma(150), image(path, width: 298pt))
#grid(columns: (auto,) * d.columns, column-gutter: 14pt, row-gutter: 8pt,
  ..d.heads.map(h => text(weight: "bold", h)),
  ..d.cells.map(c => if c.kind == "lines" { published(c.lines, c.note) } else { shot(c.path) }),
)
"""


def seed_lines(name: str, numbers: range | list[int]) -> list[str]:
    rows = (SEEDS / name).read_text("utf-8").splitlines()
    found = dict(row.split("\t", 1) for row in rows if not row.startswith("#"))
    # the extraction's private-use bullet (U+F0B7, Symbol font) as the bullet it stands for
    return [found.get(str(n), "").strip(" \u00a0").replace("\uf0b7", "•") for n in numbers]


def pages(pdf: Path, numbers: list[int], folder: Path, stem: str) -> list[str]:
    out = []
    for n in numbers:
        target = folder / f"{stem}-{n}"
        subprocess.run(["pdftoppm", "-png", "-r", "72", "-f", str(n), "-l", str(n), "-singlefile", str(pdf),
                        str(target)], check=True)
        out.append(f"/{target.name}.png")
    return out


def sheet(folder: Path, heads: list[str], cells: list[dict[str, object]], target: Path) -> None:
    data = json.dumps({"columns": len(heads), "heads": heads, "cells": cells}, ensure_ascii=False)
    (folder / "sheet.typ").write_text(SHEET, "utf-8")
    png = typst.compile(str(folder / "sheet.typ"), root=str(folder), font_paths=[str(FONT_DIR)],
                        ignore_system_fonts=True, format="png", ppi=110, sys_inputs={"data": data})
    assert isinstance(png, bytes)
    target.write_bytes(png)
    print(f"skrev {target}")


def build(args: list[str]) -> None:
    code = referat(args)
    if code != 0:
        sys.exit(f"referat {' '.join(args)}: exit {code}")


def das(folder: Path, docs: Path) -> None:
    build(["build", str(ROOT / "agendas" / "2026-02-23-das-social"), "--dokument", "referat", "--format", "pdf",
           "--out", str(folder / "das")])
    front, item = pages(folder / "das" / "referat.pdf", [1, 2], folder, "das")
    guide = [line for line in seed_lines("DOMAIN.md.txt", [29, 30, 31, 32])]
    published_item = seed_lines("002_f01f6cdfddf04c04.txt", range(1, 18))
    sheet(folder, ["Offentliggjort (tekst fra seed 002 / DOMAIN.md)", "referat (eksemplets PDF)"], [
        {"kind": "lines", "lines": ["Forsiden: ikke bevaret i nogen kilde.", "",
                                    "DOMAIN.md §2 (L29–32) beskriver forsiden på referatet fra 17.11.2025:", "",
                                    *guide, "", "Issue 27: titelblokken \"DAS Social\", navnene i løbende tekst",
                                    "adskilt af komma, ingen indholdsfortegnelse, ingen sidefod på forsiden."],
         "note": "En beskrivelse, ikke et billede af forsiden."},
        {"kind": "shot", "path": front},
        {"kind": "lines", "lines": published_item,
         "note": "Seed 002 L1–17 (punkt 1), linje for linje; skriftstørrelser og afstande kendes ikke."},
        {"kind": "shot", "path": item},
    ], docs / "layout-das-social.png")


def kkr(folder: Path, docs: Path) -> None:
    from pypdf import PdfReader

    meeting = ROOT / "agendas" / "2024-06-21-kkr-nordjylland"
    build(["packet", str(meeting), "--out", str(folder / "kkr")])
    packet = folder / "kkr" / "dagsordenspakke.pdf"
    texts = [page.extract_text() or "" for page in PdfReader(packet).pages]
    item = next(n for n, t in enumerate(texts, start=1) if n > 1 and "Taleinstituttet Aalborg" in t
                and "Baggrund" in t)
    cover = next(n for n, t in enumerate(texts, start=1) if t.startswith("2.1 Status fra KlimaNord"))
    front, item_png, cover_png = pages(packet, [1, item, cover], folder, "kkr")
    case = seed_lines("004_8c297e678f46b25c.txt", [945, 946, 948, 958, 960, 962, 964, 968, 970, 984, 996, 1040, 1076])
    sheet(folder, ["Offentliggjort (tekst fra seed 001 og 004)", "referat (eksemplets dagsorden og pakke)"], [
        {"kind": "lines", "lines": ["Dagsordenens forside: ikke bevaret i kilderne.", "",
                                    "Profilen vælger titelblok, linjer og indholdsfortegnelse på forsiden."],
         "note": "Ingen forside at sammenligne med."},
        {"kind": "shot", "path": front},
        {"kind": "lines", "lines": case,
         "note": "Seed 004 L945–1076, udvalgte linjer (overskrifter, indledning, punkter); orddelt som udtrukket, "
                 "punkttegnet (U+F0B7) som •."},
        {"kind": "shot", "path": item_png},
        {"kind": "lines", "lines": ["Forsideblade i bilagspakken (seed 001):", "",
                                    *seed_lines("001_3585adfe5f8acb0c.txt", [1219, 1385, 1437, 4023, 4304])],
         "note": "Hver linje står alene midt på sin side i kilden."},
        {"kind": "shot", "path": cover_png},
    ], docs / "layout-kkr-nordjylland.png")


def main(docs: Path) -> None:
    if shutil.which("pdftoppm") is None:
        sys.exit("pdftoppm mangler: installér poppler-utils")
    with tempfile.TemporaryDirectory() as tmp:
        das(Path(tmp), docs)
        kkr(Path(tmp), docs)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs")
