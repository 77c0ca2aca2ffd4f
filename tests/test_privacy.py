"""Closed items with a reason, redaction spans, and the privacy lint of public editions (issue 15)."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from referat.text.richtext import broken_spans, resolve_spans
from referat.validate.privacy import cpr_numbers

OPEN = """\
titel: Orientering om en sag
type: orientering
sagsfremstilling: |
  Første linje er ren.
  Borgeren har CPR 010190-1234 og bor i byen.
"""


def test_cpr_needs_a_valid_date_and_not_modulus_11() -> None:
    assert [w for _, w in cpr_numbers("CPR 010190-1234")] == ["010190-1234"]  # fails modulus 11: still found
    assert [w for _, w in cpr_numbers("CPR 0101901234 og 311299-0000")] == ["0101901234", "311299-0000"]
    assert list(cpr_numbers("sagsnummer 2026-005746, dato 320190-1234, 011390-1234")) == []  # day 32, month 13
    assert list(cpr_numbers("nummer 12010190-12345")) == []  # inside a longer number
    assert list(cpr_numbers("Borgeren [[skjul: 010190-1234 | CPR]] klager")) == []  # inside a redaction span


def test_spans_resolve_per_edition() -> None:
    text = "Borgeren [[skjul: Jens Hansen | § 30, nr. 1]] og [[SKJUL:Anne]] klager"
    assert resolve_spans(text, public=False) == "Borgeren Jens Hansen og Anne klager"
    assert resolve_spans(text, public=True) == "Borgeren […] og […] klager"
    assert broken_spans("a [[skjul: uden slut") == [2]
    assert broken_spans("a [[skjul: x | y | z]] b") == [2]


def test_cpr_in_open_sagsfremstilling_stops_a_public_build_naming_the_line(make_meeting, run, tmp_path: Path) -> None:
    folder = make_meeting({"01-sag.yaml": OPEN})
    code, _, err = run("build", folder, "--offentlig", "--format", "txt", "--out", tmp_path / "ud")
    assert code == 1
    assert "punkter/01-sag.yaml:5:" in err and "fejl: '010190-1234' ligner et CPR-nummer" in err
    assert "[[skjul:" in err  # the message suggests the redaction syntax
    assert not (tmp_path / "ud").exists()
    # the internal edition alone is not stopped (the number never reaches the public)
    code, _, err = run("build", folder, "--format", "txt", "--out", tmp_path / "intern")
    assert code == 0, err


def test_email_and_phone_are_warnings(make_meeting, run) -> None:
    item = "titel: Sag\ntype: orientering\nresumé: |\n  Kontakt anne@example.dk eller tlf. 98 12 34 56.\n"
    folder = make_meeting({"01-sag.yaml": item})
    code, _, err = run("validate", folder, "--offentlig")
    assert code == 0
    assert "01-sag.yaml:4:" in err
    assert "advarsel: e-mailadressen 'anne@example.dk' kommer med i den offentlige udgave" in err
    assert "advarsel: telefonnummeret '98 12 34 56' kommer med" in err
    code, _, err = run("validate", folder)
    assert code == 0 and "e-mailadressen" not in err  # only when a public edition is asked for


def test_unterminated_span_is_an_error(make_meeting, run) -> None:
    folder = make_meeting({"01-sag.yaml": "titel: Sag\nresumé: |\n  Navnet er [[skjul: Jens Hansen\n"})
    code, _, err = run("validate", folder)
    assert code == 1 and "01-sag.yaml:3:" in err and "'[[skjul:' mangler sin afslutning ']]'" in err


CLOSED = """\
titel: Personalesag
adgang: lukket
{reason}resumé: |
  Hemmelig personsag.
beslutning: |
  Hemmelig beslutning.
offentlig_beslutning: |
  Styregruppen har ansat en ny leder.
"""


def test_closed_item_needs_a_reason_for_a_public_edition(make_meeting, run, tmp_path: Path) -> None:
    folder = make_meeting({"01-lukket.yaml": CLOSED.format(reason="")}, fase="referat")
    code, _, err = run("validate", folder)
    assert code == 0 and "advarsel: et lukket punkt bør have 'lukket_grundlag'" in err
    code, _, err = run("build", folder, "--offentlig", "--format", "txt", "--out", tmp_path / "ud")
    assert code == 1 and "01-lukket.yaml:2:" in err and "fejl: et lukket punkt skal have 'lukket_grundlag'" in err


def test_reason_outside_the_profile_list_is_a_warning(make_meeting, run) -> None:
    folder = make_meeting({"01-lukket.yaml": CLOSED.format(reason="lukket_grundlag: fordi\n")}, fase="referat")
    code, _, err = run("validate", folder)
    assert code == 0 and "'fordi' er ikke et af udvalgets grundlag" in err and "Offentlighedslovens § 30, nr. 1" in err


@pytest.mark.parametrize("fmt", ["txt", "pdf", "docx", "html"])
def test_public_referat_prints_reason_and_public_decision(make_meeting, run, tmp_path: Path, fmt: str) -> None:
    reason = "lukket_grundlag: Offentlighedslovens § 30, nr. 1 (private forhold)\n"
    folder = make_meeting({"01-lukket.yaml": CLOSED.format(reason=reason)}, fase="referat")
    code, _, err = run("build", folder, "--offentlig", "--format", fmt, "--out", tmp_path / "ud")
    assert code == 0, err
    text = _text(tmp_path / "ud" / f"referat-offentlig.{fmt}")
    assert "Lukket punkt. Grundlag: Offentlighedslovens § 30, nr. 1 (private forhold)" in text
    assert "Styregruppen har ansat en ny leder." in text
    assert "Hemmelig" not in text
    internal = _text(tmp_path / "ud" / f"referat.{fmt}")
    assert "Hemmelig beslutning." in internal and "Styregruppen har ansat" not in internal
    agenda = _text(tmp_path / "ud" / f"dagsorden-offentlig.{fmt}")
    assert "Grundlag: Offentlighedslovens" in agenda and "Styregruppen har ansat" not in agenda


def _text(path: Path) -> str:
    if path.suffix == ".pdf":
        return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(path).pages)
    if path.suffix == ".docx":
        return "\n".join(p.text for p in Document(str(path)).paragraphs)
    text = path.read_text(encoding="utf-8")
    return " ".join(text.split()) if path.suffix == ".html" else text
