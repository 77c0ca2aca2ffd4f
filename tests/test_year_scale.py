"""Speed at a year's scale (issue 28): an incremental `publish --site` is the full rebuild's bytes, and the process
pool (`--jobs`) gives what one process gives — files, output and errors, in the same order.

The meetings are small and made on the fly (two or three, one carrying the earlier one's minutes as a bilag), so
that each publish takes seconds; the benchmark (benchmarks/history.py) runs the same at 4, 16 and 64 meetings.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EXAMPLE, Pki, Run, replace_in, text_pdf
from referat.diagnostics import Location

BILAG_ITEM = "titel: Sag om et tilbud\ntype: orientering\nbilag:\n  - titel: Notat\n    fil: notat.pdf\n"
CLOSED_ITEM = ("titel: Lukket sag om en person\nadgang: lukket\nlukket_grundlag: Offentlighedslovens § 30, nr. 1\n"
               "sagsfremstilling: Drøftelse af HEMMELIG-PERSON.\nbeslutning: Taget til efterretning.\n")
EARLIER_ITEM = ("titel: Godkendelse af referat\ntype: standard\nbeslutning: Godkendt.\nbilag:\n"
                "  - titel: Referat af forrige møde\n    referat: ../2026-02-23-das-social\n")


@pytest.fixture
def history(make_meeting: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[Path]:
    """Three meetings in minutes, the third carrying the first one's public minutes; a private cache."""
    monkeypatch.setenv("REFERAT_CACHE", str(tmp_path / "cache"))
    folders = []
    for n, (date, items) in enumerate((("2026-02-23", {"01-sag.yaml": BILAG_ITEM, "02-lukket.yaml": CLOSED_ITEM}),
                                       ("2026-04-06", {"01-sag.yaml": BILAG_ITEM}),
                                       ("2026-05-18", {"01-referat.yaml": EARLIER_ITEM}))):
        items = {name: text + ("beslutning: Godkendt.\n" if "beslutning" not in text else "")
                 for name, text in items.items()}
        folder = make_meeting(items, fase="referat", name=f"{date}-das-social",
                              bilag={"notat.pdf": text_pdf(f"Notat nummer {n + 1}.")})
        replace_in(folder / "møde.yaml", "dato: 2026-02-23", f"dato: {date}")
        folders.append(folder)
    return folders


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _said(text: str, tmp_path: Path) -> str:
    return text.replace(str(tmp_path), "TMP")


def _publish(run: Run, site: Path, folders: list[Path], *options: str) -> tuple[str, str]:
    code, out, err = run("publish", "--site", site, *options, *folders)
    assert code == 0, err
    return out, err


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """The meetings whose documents were built (in this process: `--jobs 1`), by folder name."""
    from referat.app import pipeline

    seen: Counter[str] = Counter()
    original = pipeline.documents

    def counting(checked, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen[checked.folder.name] += 1
        return original(checked, *args, **kwargs)

    monkeypatch.setattr(pipeline, "documents", counting)
    return seen


# --- incremental publishing ----------------------------------------------------------------------------------------

def test_an_incremental_publish_is_the_full_rebuilds_bytes(run: Run, history: list[Path], tmp_path: Path,
                                                          built: Counter[str]) -> None:
    site = tmp_path / "site"
    _publish(run, site, history, "--jobs", "1")
    assert built == {f.name: 1 for f in history}
    first = tree(site)
    # the first meeting changes: it is rebuilt, and so is the third, whose bilag carries its minutes
    replace_in(history[0] / "punkter" / "01-sag.yaml", "beslutning: Godkendt.", "beslutning: Godkendt med ÆNDRING.")
    built.clear()
    out, _ = _publish(run, site, history, "--jobs", "1")
    assert built == {history[0].name: 1, history[2].name: 1}
    assert "uændret siden sidste udgivelse: das-social/2026-04-06" in out
    incremental = tree(site)
    assert incremental != first and "ÆNDRING".encode() in incremental["beslutninger.html"]
    built.clear()
    _publish(run, tmp_path / "fuld", history, "--jobs", "1", "--fuld")
    assert built == {f.name: 1 for f in history}
    assert tree(tmp_path / "fuld") == incremental  # every file, the manifest too


def test_a_rerun_with_nothing_changed_builds_nothing_and_rewrites_only_the_sites_own_pages(
        run: Run, history: list[Path], tmp_path: Path, built: Counter[str]) -> None:
    site = tmp_path / "site"
    _publish(run, site, history, "--jobs", "1")
    before = tree(site)
    stamps = {p: p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()}
    built.clear()
    out, _ = _publish(run, site, history, "--jobs", "1")
    assert built == {}
    assert tree(site) == before
    assert out.count("uændret siden sidste udgivelse") == 3
    written = {line.removeprefix("skrev ") for line in out.splitlines() if line.startswith("skrev ")}
    assert written == {str(site / name) for name in ("index.html", "beslutninger.html", "moeder.ics", "feed.atom",
                                                      ".referat-site.json")}
    untouched = [p for p in stamps if p.parent != site]
    assert untouched and all(p.stat().st_mtime_ns == stamps[p] for p in untouched)


def test_without_the_private_cache_a_kept_meeting_is_loaded_not_built(run: Run, history: list[Path], tmp_path: Path,
                                                                      built: Counter[str]) -> None:
    """The cache outside the site (what the site's pages and the leak check need of each meeting) may be gone: the
    meetings are then read again, but their documents are not built, and the bytes are the same."""
    site = tmp_path / "site"
    _publish(run, site, history, "--jobs", "1")
    before = tree(site)
    shutil.rmtree(tmp_path / "cache")
    built.clear()
    _publish(run, site, history, "--jobs", "1")
    assert built == {}
    assert tree(site) == before


def test_what_decides_a_rebuild_is_in_the_manifest_and_nothing_private(run: Run, history: list[Path],
                                                                      tmp_path: Path) -> None:
    site = tmp_path / "site"
    _publish(run, site, history, "--jobs", "1")
    manifest = json.loads((site / ".referat-site.json").read_text("utf-8"))
    for path in ("das-social/2026-02-23", "das-social/2026-04-06", "das-social/2026-05-18"):
        assert re.fullmatch(r"[0-9a-f]{64}", manifest["møder"][path]["inddata"])
    assert b"HEMMELIG" not in (site / ".referat-site.json").read_bytes()
    assert not any(b"HEMMELIG-PERSON" in data for data in tree(site).values())
    kept = list((tmp_path / "cache" / "kontrol").glob("udgivet-*/*.json"))  # the private cache: outside the site
    assert len(kept) == 3


@pytest.mark.parametrize("what", ["bilag", "the earlier meeting", "a file in the site", "a stray file of the folder"])
def test_a_change_anywhere_the_meeting_is_made_from_rebuilds_it(run: Run, history: list[Path], tmp_path: Path,
                                                                built: Counter[str], what: str) -> None:
    site = tmp_path / "site"
    _publish(run, site, history, "--jobs", "1")
    target = history[1]
    if what == "bilag":
        (target / "bilag" / "notat.pdf").write_bytes(text_pdf("Et andet notat."))
    elif what == "the earlier meeting":  # the third meeting carries the first one's minutes
        target = history[2]
        replace_in(history[0] / "punkter" / "02-lukket.yaml", "Taget til efterretning.", "Taget til efterretning!")
    elif what == "a file in the site":
        page = site / "das-social" / "2026-04-06" / "index.html"
        page.write_bytes(page.read_bytes().replace(b"Dokumenter", b"Dokumenterne"))
    else:
        (target / "noter.txt").write_text("en note", "utf-8")
    built.clear()
    _publish(run, site, history, "--jobs", "1")
    assert built[target.name] == 1
    _publish(run, tmp_path / "fuld", history, "--jobs", "1", "--fuld")
    assert tree(site) == tree(tmp_path / "fuld")


# --- the process pool ----------------------------------------------------------------------------------------------

def test_the_pool_publishes_what_one_process_publishes(run: Run, history: list[Path], tmp_path: Path) -> None:
    one = _publish(run, tmp_path / "en", history, "--jobs", "1")
    two = _publish(run, tmp_path / "to", history, "--jobs", "2")
    assert tree(tmp_path / "en") == tree(tmp_path / "to")
    assert [_said(t, tmp_path).replace("TMP/en", "SITE") for t in one] == \
           [_said(t, tmp_path).replace("TMP/to", "SITE") for t in two]


def test_an_error_in_the_pool_is_the_error_of_one_process(run: Run, history: list[Path], tmp_path: Path) -> None:
    """The first error in the folders' order, with its file and line and exit code, whatever process found it."""
    replace_in(history[1] / "punkter" / "01-sag.yaml", "type: orientering", "type: ukendt-type")
    (history[2] / "bilag" / "notat.pdf").write_bytes(b"%PDF-1.7\nikke en pdf")
    results = [run("publish", "--site", tmp_path / f"s{jobs}", "--jobs", jobs, *history) for jobs in ("1", "2")]
    assert results[0][0] == results[1][0] == 1
    assert results[0][1:] == results[1][1:]
    assert "01-sag.yaml:2:7: fejl:" in results[0][2]
    assert not (tmp_path / "s2").exists()


@pytest.mark.usefixtures("cert_password")
def test_verify_in_the_pool_reports_what_one_process_reports(run: Run, pki: Pki, tmp_path: Path) -> None:
    archive = tmp_path / "arkiv"
    signed = []
    for date in ("2026-02-23", "2026-04-06", "2026-05-18"):
        folder = tmp_path / date
        shutil.copytree(EXAMPLE, folder)
        replace_in(folder / "møde.yaml", "dato: 2026-02-23", f"dato: {date}")
        replace_in(folder / "møde.yaml", "dato: 2026-05-22", "dato: 2026-12-01")
        code, _, err = run("build", folder, "--dokument", "referat", "--format", "pdf", "--out", tmp_path / "ud" / date)
        assert code == 0, err
        pdf = tmp_path / "ud" / date / "referat-signeret.pdf"
        code, _, err = run("sign", tmp_path / "ud" / date / "referat.pdf", "--cert", pki.formand, "--out", pdf)
        assert code == 0, err
        code, _, err = run("archive", "add", folder, pdf, "--arkiv", archive, "--rodcertifikat", pki.root_pem)
        assert code == 0, err
        signed.append(pdf)
    one, two = run("archive", "verify", "--arkiv", archive, "--jobs", "1"), \
        run("archive", "verify", "--arkiv", archive, "--jobs", "2")
    assert one[0] == two[0] == 0, one[2]
    assert one == two
    assert one[1].count("ok  ") == 3
    stored = sorted(archive.rglob("referat-signeret.pdf"))[1]
    stored.chmod(0o644)
    stored.write_bytes(stored.read_bytes().replace(b"%%EOF", b"%%EOF\n% rettet\n", 1))
    one, two = run("archive", "verify", "--arkiv", archive, "--jobs", "1"), \
        run("archive", "verify", "--arkiv", archive, "--jobs", "2")
    assert one[0] == two[0] == 1
    assert one == two
    assert Location(stored).format() in one[2]  # as messages print it (relative where the clone sits beside)


def test_a_referat_error_crosses_processes_whole() -> None:
    import pickle

    from referat.diagnostics import Location
    from referat.errors import ArchiveError, InputError

    for error in (InputError("bilaget mangler", Location(Path("punkter/01.yaml"), 4, 10)),
                  ArchiveError("filen er ændret", Location(Path("arkiv/x.pdf")))):
        again = pickle.loads(pickle.dumps(error))
        assert type(again) is type(error) and again.exit_code == error.exit_code
        assert again.report.lines() == error.report.lines() and str(again) == str(error)


def test_jobs_must_be_a_whole_number_of_at_least_one(run: Run, history: list[Path], tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    for command in (["publish", "--site", tmp_path / "site", *history], ["archive", "verify", "--arkiv", tmp_path]):
        for bad in ("0", "to", "-1"):
            with pytest.raises(SystemExit) as exc:
                run(*command, "--jobs", bad)
            assert exc.value.code == 2
            assert "--jobs" in capsys.readouterr().err


def test_the_manifest_keeps_a_meetings_input_hash_per_meeting(run: Run, history: list[Path], tmp_path: Path) -> None:
    site = tmp_path / "site"
    _publish(run, site, history[:2], "--jobs", "1")
    first = json.loads((site / ".referat-site.json").read_text("utf-8"))["møder"]
    replace_in(history[0] / "punkter" / "01-sag.yaml", "beslutning: Godkendt.", "beslutning: Godkendt igen.")
    _publish(run, site, history[:2], "--jobs", "1")
    second = json.loads((site / ".referat-site.json").read_text("utf-8"))["møder"]
    assert first["das-social/2026-04-06"] == second["das-social/2026-04-06"]
    assert first["das-social/2026-02-23"]["inddata"] != second["das-social/2026-02-23"]["inddata"]
    digest = hashlib.sha256((site / "das-social" / "2026-04-06" / "index.html").read_bytes()).hexdigest()
    assert json.loads((site / ".referat-site.json").read_text("utf-8"))["filer"][
        "das-social/2026-04-06/index.html"] == digest


def test_word_and_excel_bilag_converted_side_by_side_give_the_serial_packet(
        make_meeting: Callable[..., Path], run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`Sources.ahead`: Word bilag (LibreOffice, a process each) and Excel bilag (Typst) are made in threads before
    the packet asks for them in order; the packet is the same bytes as one made one bilag at a time."""
    from test_office_bilag import FIXTURES, SOFFICE, _docx

    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) er ikke installeret: Word-bilag kan ikke konverteres i denne test")
    item = ("titel: Sag med bilag\ntype: orientering\nbilag:\n  - {titel: Notat et, fil: et.docx}\n"
            "  - {titel: Notat to, fil: to.docx}\n  - {titel: Regneark, fil: ark.xlsx}\n"
            "  - {titel: Regneark igen, fil: ark2.xlsx}\n")
    sheet = (FIXTURES / "bredt-ark.xlsx").read_bytes()
    folder = make_meeting({"01-sag.yaml": item}, bilag={"et.docx": _docx("Første notat."), "to.docx": _docx("Andet."),
                                                        "ark.xlsx": sheet, "ark2.xlsx": sheet})
    import threading

    from referat.files import libreoffice

    converted_in: list[str] = []
    real = libreoffice.docx_to_pdf

    def converting(*args, **kwargs):  # type: ignore[no-untyped-def]
        converted_in.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(libreoffice, "docx_to_pdf", converting)
    outputs = []
    for jobs in ("1", "2"):
        monkeypatch.setenv("REFERAT_JOBS", jobs)
        monkeypatch.setenv("REFERAT_CACHE", str(tmp_path / f"cache{jobs}"))  # converted anew each time
        code, _, err = run("packet", folder, "--out", tmp_path / f"ud{jobs}")
        assert code == 0, err
        outputs.append(((tmp_path / f"ud{jobs}" / "dagsordenspakke.pdf").read_bytes(), err))
    assert outputs[0] == outputs[1]
    # one at a time in this thread, then both side by side in the bilag threads
    assert [name.startswith("referat-bilag") for name in converted_in] == [False, False, True, True]


def test_the_leak_check_reads_the_text_layer_with_pdfium_and_with_pypdf_where_pdfium_cannot(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 28: the text layer of every public PDF is read with PDFium (four fifths of `publish` was pypdf's text
    extraction); a file PDFium cannot read is read with pypdf, and the hidden text is found either way."""
    import pypdfium2

    from referat.publish import leaks

    pdf = text_pdf("Referatet nævner HEMMELIG-OPLYSNING én gang")
    hidden = [leaks.Hidden("hemmelig-oplysning", "test")]
    read: list[str] = []
    real = pypdfium2.PdfDocument

    def reading(data: bytes) -> object:
        read.append("pdfium")
        return real(data)

    monkeypatch.setattr(pypdfium2, "PdfDocument", reading)
    leaks._read.clear()
    assert [(leak.file, leak.channel) for leak in leaks.find_leaks({"a.pdf": pdf}, hidden)] == [("a.pdf", "tekstlag")]
    assert read == ["pdfium"]
    leaks.find_leaks({"a.pdf": pdf}, hidden)  # the same file again: read once
    assert read == ["pdfium"]

    def broken(data: bytes) -> object:
        raise pypdfium2.PdfiumError("kan ikke læses")

    monkeypatch.setattr(pypdfium2, "PdfDocument", broken)
    leaks._read.clear()
    assert [(leak.file, leak.channel) for leak in leaks.find_leaks({"b.pdf": pdf}, hidden)] == [("b.pdf", "tekstlag")]
