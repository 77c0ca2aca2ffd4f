"""The archive cannot be made to lie (issue 11, items 4, 5, 7, 8): it records only what was signed, re-derives
what its manifests and index say from the signed PDFs, and answers read-only commands without writing."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from pki import PASSWORD, Pki, make_pki
from referat.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "agendas" / "2026-02-23-das-social"
ITEMS = EXAMPLE / "punkter"
Run = Callable[..., tuple[int, str, str]]


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="module", autouse=True)
def password() -> Iterator[None]:
    old = os.environ.get("REFERAT_CERT_PASSWORD")
    os.environ["REFERAT_CERT_PASSWORD"] = PASSWORD
    yield
    if old is None:
        del os.environ["REFERAT_CERT_PASSWORD"]
    else:
        os.environ["REFERAT_CERT_PASSWORD"] = old


def build_minutes(folder: Path, out: Path) -> Path:
    assert main(["build", str(folder), "--dokument", "referat", "--format", "pdf", "--out", str(out)]) == 0
    return out / "referat.pdf"


def sign(pdf: Path, pki: Pki, out: Path) -> Path:
    assert main(["sign", str(pdf), "--cert", str(pki.formand), "--out", str(out), "--rolle", "formand"]) == 0
    return out


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory, pki: Pki) -> Path:
    """The example minutes as built, signed by the chair."""
    folder = tmp_path_factory.mktemp("signed")
    return sign(build_minutes(EXAMPLE, folder / "ud"), pki, folder / "underskrevet.pdf")


def meeting_copy(tmp_path: Path, edit: Callable[[Path], None]) -> Path:
    folder = tmp_path / "møde"
    shutil.copytree(EXAMPLE, folder)
    edit(folder)
    return folder


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


def signed_from(tmp_path: Path, pki: Pki, edit: Callable[[Path], None]) -> Path:
    """Minutes built from an edited copy of the example meeting, then signed: what a chair might have signed."""
    folder = meeting_copy(tmp_path, edit)
    return sign(build_minutes(folder, tmp_path / "ud"), pki, tmp_path / "underskrevet-andet.pdf")


def add(run: Run, archive: Path, pdf: Path, pki: Pki, folder: Path = EXAMPLE) -> tuple[int, str, str]:
    return run("archive", "add", folder, pdf, "--arkiv", archive, "--rodcertifikat", pki.root_pem)


# --- 1. the archive records only what was signed ------------------------------------------------------------


def test_signed_not_approved_against_approved_is_refused(run: Run, pki: Pki, tmp_path: Path) -> None:
    """Issue 11 item 4: the PDF says 'Ikke godkendt', the meeting 'Godkendt' – a substring, not the same text."""
    pdf = signed_from(tmp_path, pki, lambda f: replace_in(f / "punkter" / "01-godkendelse-af-dagsorden.yaml",
                                                          "  Godkendt\n", "  Ikke godkendt\n"))
    archive = tmp_path / "arkiv"
    code, _, err = add(run, archive, pdf, pki)
    assert code == 1
    assert ("underskrevet-andet.pdf: fejl: punkt 1 'Godkendelse af dagsorden': beslutningen afviger fra "
            "begyndelsen: PDF'en har »Ikke godkendt«, mødet har »Godkendt«") in err
    assert not (archive / "das-social").exists()


def test_an_inserted_word_is_named(run: Run, pki: Pki, tmp_path: Path) -> None:
    pdf = signed_from(tmp_path, pki, lambda f: replace_in(
        f / "punkter" / "03-planer-ungehjemmet-bifrost.yaml", "baggrunden for punktet", "baggrunden ikke for punktet"))
    code, _, err = add(run, tmp_path / "arkiv", pdf, pki)
    assert code == 1
    assert "punkt 3 'Godkendelse af planer" in err
    assert ("beslutningen afviger efter »…med at fortælle om baggrunden«: PDF'en har »ikke for punktet, samt at "
            "punktet…«, mødet har »for punktet, samt at punktet behandles…«") in err


def test_a_decision_with_an_added_sentence_at_the_end_is_refused(run: Run, pki: Pki, tmp_path: Path) -> None:
    pdf = signed_from(tmp_path, pki, lambda f: replace_in(f / "punkter" / "01-godkendelse-af-dagsorden.yaml",
                                                          "  Godkendt\n", "  Godkendt\n\n  Dog ikke punkt 4.\n"))
    code, _, err = add(run, tmp_path / "arkiv", pdf, pki)
    assert code == 1
    assert "punkt 1 'Godkendelse af dagsorden': beslutningen afviger efter »Godkendt«: PDF'en har »Dog ikke " \
           "punkt 4.«, mødet har »(intet)«" in err


def _swap_5_and_6(folder: Path) -> None:
    replace_in(folder / "møde.yaml", "  - 05-sundhedstjek-paa-botilbud.yaml\n  - 06-paedagogdimensionering-2026.yaml",
               "  - 06-paedagogdimensionering-2026.yaml\n  - 05-sundhedstjek-paa-botilbud.yaml")
    replace_in(folder / "møde.yaml", "punkter: [5]", "punkter: [6]")
    replace_in(folder / "møde.yaml", "punkter: [6]\nnæste", "punkter: [5]\nnæste")


def test_swapped_items_are_refused(run: Run, pki: Pki, tmp_path: Path) -> None:
    pdf = signed_from(tmp_path, pki, _swap_5_and_6)
    code, _, err = add(run, tmp_path / "arkiv", pdf, pki)
    assert code == 1
    assert ("fejl: punkt nr. 5 i den underskrevne PDF er »Punkt 5. Pædagogdimensionering 2026" in err
            and "men mødets punkt nr. 5 er »Punkt 5. Status på sundhedstjek på botilbud«" in err)


def test_an_extra_item_is_refused(run: Run, pki: Pki, tmp_path: Path) -> None:
    def extra(folder: Path) -> None:
        (folder / "punkter" / "18-ekstra.yaml").write_text(
            "titel: Et ekstra punkt\nbeslutning: Vedtaget uden for dagsordenen\n", "utf-8")
        replace_in(folder / "møde.yaml", "  - 17-naeste-moede.yaml", "  - 17-naeste-moede.yaml\n  - 18-ekstra.yaml")

    pdf = signed_from(tmp_path, pki, extra)
    code, _, err = add(run, tmp_path / "arkiv", pdf, pki)
    assert code == 1
    assert "den underskrevne PDF har 18 punkter, mødet har 17; PDF'ens punkt nr. 18 er »Punkt 18. Et ekstra punkt" in err


def test_a_closed_item_signed_as_open_is_refused(run: Run, pki: Pki, tmp_path: Path) -> None:
    pdf = signed_from(tmp_path, pki, lambda f: replace_in(f / "punkter" / "01-godkendelse-af-dagsorden.yaml",
                                                          "adgang: åben", "adgang: lukket"))
    code, _, err = add(run, tmp_path / "arkiv", pdf, pki)
    assert code == 1 and "punkt 1 'Godkendelse af dagsorden' står som 'Lukket' i den underskrevne PDF, men som 'Åben'" in err


def test_the_honest_minutes_pass_both_routes(run: Run, signed: Path, pki: Pki, tmp_path: Path) -> None:
    archive = tmp_path / "arkiv"
    code, _, err = add(run, archive, signed, pki)
    assert code == 0, err
    day = archive / "das-social" / "2026-02-23"
    assert json.loads((day / "udgave-1" / "manifest.json").read_text("utf-8"))["sammenligning"] == "byte-identisk"
    # re-saved by another program: not byte-identical, but the text matches item by item
    writer = PdfWriter(clone_from=PdfReader(build_minutes(EXAMPLE, tmp_path / "ud")))
    writer.add_metadata({"/Producer": "Et andet program"})
    resaved = tmp_path / "gemt-igen.pdf"
    with resaved.open("wb") as fh:
        writer.write(fh)
    code, _, err = add(run, archive, sign(resaved, pki, tmp_path / "gemt-igen-underskrevet.pdf"), pki)
    assert code == 0, err
    manifest = json.loads((day / "udgave-2" / "manifest.json").read_text("utf-8"))
    assert manifest["sammenligning"] == "tekst punkt for punkt"
    assert manifest["punkter"][0]["beslutning"] == "Godkendt"
    assert run("archive", "verify", "--arkiv", archive)[0] == 0
