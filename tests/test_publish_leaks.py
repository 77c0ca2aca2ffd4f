"""Proven safe: every public output of the demonstration meeting, and the site, holds none of the hidden text."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from referat.cli import main
from referat.publish.leaks import channels

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "agendas" / "demo-2026-06-15-das-social"
# what the demonstration meeting hides from the public: a redacted span with a CPR number, a closed item's
# sections, its bilag's title, the text inside the non-public bilag and the closed item's bilag, bilag file names
HIDDEN = ["Demo Borgersen", "010190-1234", "0101901234", "Eksempelvej 7", "Demo Kandidatsen", "14 ansøgere",
          "Ansættelsesudvalget indstiller", "Indstilling fra ansættelsesudvalget", "FORTROLIGT-BILAGSINDHOLD",
          "02-bilag-2-klage", "03-bilag-1-indstilling", "ansaettelse"]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("leak")
    assert main(["build", str(DEMO), "--format", "pdf,docx,txt,html", "--offentlig", "--out", str(out / "b")]) == 0
    assert main(["packet", str(DEMO), "--offentlig", "--out", str(out / "b")]) == 0
    assert main(["publish", "--site", str(out / "site"), str(DEMO)]) == 0
    return out


def _flat(text: str) -> str:
    return "".join(text.split()).casefold()


def _everything(path: Path) -> str:
    parts = [f"{name}: {text}" for name, text in channels(path.name, path.read_bytes())]
    if path.suffix == ".pdf":  # independently of the checker: text, info, XMP, outline, annotations, attachments
        reader = PdfReader(path)
        parts += [p.extract_text() or "" for p in reader.pages]
        parts.append(str(dict(reader.metadata or {})))
        parts.append(str(reader.trailer["/Root"].get_object().get("/Metadata", {}) and
                         reader.trailer["/Root"]["/Metadata"].get_object().get_data()))
        parts.append(str(reader.outline))
        parts += [str(a.get_object()) for p in reader.pages for a in (p.get("/Annots") or [])]
        parts += list(reader.attachments)
    if path.suffix == ".docx":
        with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as z:
            parts += [z.read(n).decode("utf-8", "replace") for n in z.namelist()]
    return "\n".join(parts)


def _public_files(outputs: Path) -> list[Path]:
    build = outputs / "b"
    public = [p for p in build.iterdir() if "offentlig" in p.name]
    page = (build / "referat-offentlig.html").read_text(encoding="utf-8")
    public += [p for p in build.glob("bilag-*.pdf") if f'href="{p.name}"' in page]
    return sorted(public) + sorted(p for p in (outputs / "site").rglob("*") if p.is_file())


def test_no_hidden_text_in_any_public_output(outputs: Path) -> None:
    files = _public_files(outputs)
    names = {p.name for p in files}
    assert {"referat-offentlig.pdf", "referat-offentlig.docx", "referat-offentlig.txt", "referat-offentlig.html",
            "referat-med-bilag-offentlig.pdf", "dagsordenspakke-offentlig.pdf", "index.html", "beslutninger.html",
            "feed.atom", "moeder.ics", "bilag-2-1.pdf"} <= names
    assert "bilag-2-2.pdf" not in {p.name for p in (outputs / "site").rglob("*")}  # the non-public bilag
    assert "bilag-3-1.pdf" not in {p.name for p in (outputs / "site").rglob("*")}  # the closed item's bilag
    found = [(str(p.relative_to(outputs)), h) for p in files for h in HIDDEN
             if _flat(h) in _flat(str(p.relative_to(outputs)) + _everything(p))]
    assert found == []


def test_the_public_edition_visibly_differs(outputs: Path) -> None:
    """The check above can fail: the internal editions do hold the hidden text, the public ones the marks."""
    internal = _everything(outputs / "b" / "referat.pdf") + _everything(outputs / "b" / "referat-med-bilag.pdf"
                                                                        if (outputs / "b" / "referat-med-bilag.pdf").exists()
                                                                        else outputs / "b" / "referat.html")
    for secret in ("Demo Borgersen", "010190-1234", "Demo Kandidatsen", "14 ansøgere"):
        assert _flat(secret) in _flat(internal), secret
    public = _everything(outputs / "b" / "referat-offentlig.pdf")
    assert "[…]" in public and "Lukket punkt. Grundlag: Offentlighedslovens § 30, nr. 1" in " ".join(public.split())


def test_kontrol_txt_says_what_was_checked(outputs: Path) -> None:
    text = (outputs / "b" / "referat-offentlig-kontrol.txt").read_text(encoding="utf-8")
    assert "Kontrolleret i: tekstlag, metadata (Info og XMP), bogmærker, linkmål, vedhæftede filer, filnavne" in text
    assert "Resultat: intet af det skjulte og ingen CPR-numre blev fundet." in text
    assert not any(_flat(h) in _flat(text) for h in HIDDEN)  # the report names no secret


def test_site_is_the_same_bytes_twice(outputs: Path, tmp_path: Path) -> None:
    assert main(["publish", "--site", str(tmp_path / "igen"), str(DEMO)]) == 0
    first = {p.relative_to(outputs / "site"): p.read_bytes() for p in (outputs / "site").rglob("*") if p.is_file()}
    again = {p.relative_to(tmp_path / "igen"): p.read_bytes() for p in (tmp_path / "igen").rglob("*") if p.is_file()}
    assert first == again


def test_the_checker_finds_hidden_text_in_every_channel_of_internal_files(outputs: Path) -> None:
    from referat.load.meeting import load_meeting
    from referat.publish.leaks import find_leaks, hidden_texts

    meeting, _ = load_meeting(DEMO)
    assert meeting is not None
    build = outputs / "b"
    files = {name: (build / name).read_bytes() for name in ("referat.pdf", "referat.docx", "referat.html",
                                                            "referat.txt")}
    files["02-bilag-2-klage.pdf"] = (build / "bilag-2-2.pdf").read_bytes()  # a leaked file name
    leaks = find_leaks(files, hidden_texts(meeting))
    where = {(leak.file, leak.channel) for leak in leaks}
    assert {("referat.pdf", "tekstlag"), ("referat.docx", "Word-filens dele"), ("referat.html", "tekst og HTML"),
            ("referat.txt", "tekst og HTML"), ("02-bilag-2-klage.pdf", "filnavne")} <= where
    assert any(leak.hidden.why == "CPR-nummer" for leak in leaks)
