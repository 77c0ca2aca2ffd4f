"""Generate a full-size meeting for benchmarks and scale tests: the secretariat's worst evening.

19 items with realistic text (the sections of the real example meeting, reused and varied), decisions,
attendance, and 25 bilag PDFs of about 300 pages in all. Deterministic: the same arguments give the same
files.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import random
import shutil
from pathlib import Path

import typst

from referat.load.meeting import load_meeting
from referat.load.yamledit import new_document
from referat.text.fonts import FONT_DIR

ROOT = Path(__file__).resolve().parents[1]


def as_a_user() -> None:
    """Measure what a user's machine runs: with Python's bytecode cache. Where PYTHONDONTWRITEBYTECODE is set (it is
    on the machine these figures were first taken on), every command compiled referat's own modules from source
    again, 0.2–0.4 s of each figure that no user pays after the first run. The commands measured run without it,
    after one compile of the package."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    compileall.compile_dir(ROOT / "src" / "referat", quiet=1)


def options(doc: str | None, repeat: int, flags: dict[str, str]) -> argparse.Namespace:
    """The command line of a benchmark whose docstring is `doc`: `--repeat N` (default `repeat`), its on/off `flags`
    (name: help) and `--json FILE`; then set up as a user's machine runs (as_a_user)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0] if doc else None)
    parser.add_argument("--repeat", type=int, default=repeat)
    for flag, text in flags.items():
        parser.add_argument(f"--{flag}", action="store_true", help=text)
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args()
    as_a_user()
    return args


EXAMPLE = ROOT / "agendas" / "2026-02-23-das-social"

_BILAG_TEMPLATE = """
#let d = json(bytes(sys.inputs.data))
#set document(title: d.title)
#set text(font: "Liberation Sans", lang: "da", size: 10pt)
#set page(paper: "a4", margin: 2cm, numbering: "1")
#for n in range(d.pages) {
  if n > 0 { pagebreak() }
  heading(level: 1, d.title + " – side " + str(n + 1))
  for p in d.paragraphs { par(p) }
}
"""


def _bilag_pdf(title: str, pages: int, paragraphs: list[str]) -> bytes:
    data = json.dumps({"title": title, "pages": pages, "paragraphs": paragraphs}, ensure_ascii=False)
    pdf = typst.compile(_BILAG_TEMPLATE.encode(), font_paths=[str(FONT_DIR)], ignore_system_fonts=True,
                        sys_inputs={"data": data}, timestamp=0)
    assert isinstance(pdf, bytes)
    return pdf


def generate(folder: Path, items: int = 19, bilag: int = 25, bilag_pages: int = 300, seed: int = 7) -> Path:
    """Write the meeting into `folder` (replaced if it exists) and return it."""
    rng = random.Random(seed)
    example, _ = load_meeting(EXAMPLE)
    assert example is not None
    source = [i for i in example.items if i.case]
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "punkter").mkdir(parents=True)
    (folder / "bilag").mkdir()
    paragraphs = [p for i in source for p in (i.case or "").split("\n\n") if len(p) > 200][:12]
    per_bilag = [bilag_pages // bilag + (1 if n < bilag_pages % bilag else 0) for n in range(bilag)]
    bilag_iter = iter(range(bilag))
    names = []
    for n in range(1, items + 1):
        base = source[(n - 1) % len(source)]
        data: dict[str, object] = {"titel": f"{base.title} ({n})", "adgang": "lukket" if n == 12 else "åben"}
        for key in ("resumé", "baggrund", "sagsfremstilling"):
            text = base.section_text(key)
            if text:
                data[key] = text
        if base.recommendation:
            data["indstilling"] = [p.text for p in base.recommendation]
        files = []
        count = 1 if n <= bilag - items else (1 if n % 3 else 2) if n < items else 0
        for k in range(count if n > 0 else 0):
            b = next(bilag_iter, None)
            if b is None:
                break
            name = f"{n:02d}-bilag-{k + 1}.pdf"
            title = f"Bilag {k + 1}. Materiale til punkt {n}"
            (folder / "bilag" / name).write_bytes(_bilag_pdf(title, per_bilag[b], rng.sample(paragraphs, 3)))
            files.append({"titel": title, "fil": name})
        if files:
            data["bilag"] = files
        data["beslutning"] = base.decision or "Godkendt."
        name = f"{n:02d}-punkt.yaml"
        path = folder / "punkter" / name
        path.write_text(new_document(data, path), encoding="utf-8")
        names.append(name)
    for b in bilag_iter:  # any bilag left over go on the last item
        name = f"{items:02d}-ekstra-{b}.pdf"
        (folder / "bilag" / name).write_bytes(_bilag_pdf(f"Bilag {b}", per_bilag[b], rng.sample(paragraphs, 3)))
        last = folder / "punkter" / names[-1]
        text = last.read_text(encoding="utf-8")
        text += ("" if "bilag:" in text else "bilag:\n") + f"  - titel: Ekstra bilag {b}\n    fil: {name}\n"
        last.write_text(text, encoding="utf-8")
    meeting = (EXAMPLE / "møde.yaml").read_text(encoding="utf-8")
    head, _, _ = meeting.rpartition("\npunkter:")
    (folder / "møde.yaml").write_text(head + "\npunkter:\n" + "".join(f"  - {n}\n" for n in names), encoding="utf-8")
    return folder


if __name__ == "__main__":
    import sys

    print(generate(Path(sys.argv[1] if len(sys.argv) > 1 else "output/benchmark-meeting")))
