"""Which converter reads a contribution from Word: the measurement behind `load/word` (issue 26).

Runs three candidates over the corpus in tests/fixtures/word/ and over a generated 20-page contribution:
referat's own walker (`referat.load.word`, lxml over the package's XML), mammoth (its HTML output) and pandoc's
docx reader (through pypandoc-binary, Markdown output). mammoth and pypandoc are not dependencies of referat:
install them to run this (`pip install mammoth pypandoc-binary`); a missing one is skipped.

Checks, each on the corpus document that holds it:
- hidden text (Word's "skjult" font, direct and from a character style) stays out;
- a field's instruction stays out and its result comes through ("Aalborg Kommune");
- a list restarted at 4 by a numbering override starts at 4;
- tracked changes are reported with their authors (not accepted silently);
- merged table cells are kept apart from their neighbours (rowspan/colspan or flattened).

Usage: .venv/bin/python benchmarks/word_converters.py [--pages 20] [--repeat 5]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "fixtures" / "word"
sys.path.insert(0, str(ROOT / "scripts"))

SECRETS = ("HEMMELIG-SKJULT-TEKST-1111", "HEMMELIG-SKJULT-TYPOGRAFI-2222", "HEMMELIG-FELTKODE-3333")


def ours(path: Path) -> str:
    from referat.diagnostics import ReferatError
    from referat.load.word import Options, read_word
    from referat.model.profile import Committee

    profile = Committee(kortnavn="DAS Social", navn="Den Administrative Styregruppe",
                        indstilling_indledning="Det indstilles, at Den Administrative Styregruppe")
    try:
        reading = read_word(path, path.read_bytes(), Options(heading_words=profile.section_words(),
                                                             lead_in=profile.lead_in))
    except ReferatError as exc:
        return "AFVIST: " + "\n".join(exc.report.lines())
    return "\n".join(str(item.fields) for item in reading.items)


def mammoth_html(path: Path) -> str:
    import mammoth

    with path.open("rb") as fh:
        return str(mammoth.convert_to_html(fh).value)


def pandoc_md(path: Path) -> str:
    import pypandoc

    return str(pypandoc.convert_file(str(path), "markdown", extra_args=["--track-changes=accept"]))


CONVERTERS: dict[str, Callable[[Path], str]] = {"referat (lxml)": ours, "mammoth": mammoth_html,
                                                "pandoc": pandoc_md}


def checks(convert: Callable[[Path], str]) -> dict[str, bool]:
    hidden = convert(CORPUS / "skjult-indhold.docx")
    numbering = convert(CORPUS / "python-docx-nummerering.docx")
    changes = convert(CORPUS / "sporede-aendringer.docx")
    merged = convert(CORPUS / "billede-og-flettede-celler.docx")
    return {
        "skjult tekst holdes ude": not any(s in hidden for s in SECRETS[:2]),
        "feltkode holdes ude": SECRETS[2] not in hidden,
        "feltresultat kommer med": "Aalborg Kommune" in hidden,
        "liste genstartet ved 4": ("4. Evaluering" in numbering or 'start="4"' in numbering
                                   or "4.  Evaluering" in numbering),
        "sporede ændringer nævnes med forfatter": "Mette Sørensen" in changes,
        "flettede celler holdes adskilt": ("rowspan" in merged or "I alt" in merged),
    }


def twenty_pages(pages: int, out: Path | None = None) -> Path:
    """A generated contribution of about `pages` A4 pages (python-docx): headings, paragraphs, lists, tables
    (20 gives 21 pages when LibreOffice prints it)."""
    from docx import Document

    doc = Document()
    doc.core_properties.title = "Et langt bidrag"
    doc.add_heading("Resumé", 1)
    doc.add_paragraph("Et resumé af sagen. " * 10)
    doc.add_heading("Sagsfremstilling", 1)
    for page in range(pages):
        doc.add_heading(f"Afsnit {page + 1}", 2)
        for _ in range(4):
            doc.add_paragraph("Kapacitetsanalysen viser, at ventetiden på herbergerne er steget, og at flere borgere "
                              "kommer fra andre regioner end tidligere. " * 3)
        for n in range(4):
            doc.add_paragraph(f"Punkt {n + 1} om belægning og takster", style="List Bullet")
        table = doc.add_table(rows=5, cols=4)
        for r in range(5):
            for c in range(4):
                table.cell(r, c).text = f"{r * c}"
    doc.add_heading("Indstilling", 1)
    doc.add_paragraph("godkender analysen", style="List Number")
    buf = io.BytesIO()
    doc.save(buf)
    out = out or Path(__import__("tempfile").mkdtemp()) / f"bidrag-{pages}-sider.docx"
    out.write_bytes(buf.getvalue())
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    big = twenty_pages(args.pages)
    for name, convert in CONVERTERS.items():
        try:
            found = checks(convert)
        except ImportError as exc:
            print(f"{name}: ikke installeret ({exc.name})")
            continue
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            convert(big)
            times.append(time.perf_counter() - start)
        passed = sum(found.values())
        print(f"{name}: {passed}/{len(found)} kontroller, {args.pages} sider: {statistics.median(times) * 1000:.0f} ms "
              f"(median af {args.repeat}, i processen)")
        for check, ok in found.items():
            print(f"    {'ja ' if ok else 'NEJ'} {check}")


if __name__ == "__main__":
    main()
