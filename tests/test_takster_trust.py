"""Issue 11, in the takstbilag: the approval line only for an approving decision, and numbers a YAML file can
hold but a table cannot (1e308, .nan, .inf) refused with a located Danish message — never a traceback."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from referat.takster.annex import approval_line, approves

DAY = dt.date(2025, 11, 17)


@pytest.mark.parametrize("decision", [
    "Godkendt", "Godkendt.", "Taksterne godkendes.", "Den Administrative Styregruppe godkendte takstbilaget.",
    "Henrik Aarup-Kristensen indledte. Der var ikke spørgsmål.\nTaksterne godkendes.",
    "Takstbilaget blev tiltrådt.",
])
def test_an_approving_decision_gives_the_line(decision: str) -> None:
    assert approval_line(decision, "Den Administrative Styregruppe", DAY) == \
        "Godkendt af Den Administrative Styregruppe den 17.\u00a0november\u00a02025"  # a date never wrapped


@pytest.mark.parametrize("decision", [
    "Taksterne godkendes ikke", "Taksterne godkendes ikke.", "Takstbilaget blev ikke godkendt.", "Ikke godkendt",
    "Godkendes ej.", "Taksterne godkendes ikke, men sendes tilbage til driftsherren.",
    "Godkendt med undtagelse af taksterne vedr. Attruphøj.",  # 003 L2403: a partial approval is no approval line
    "Taksterne godkendes. Dog ikke for Attruphøj.", "Taksterne godkendes, når Aalborg har genberegnet dem.",
    "Punktet blev udsat. Taksterne godkendes på næste møde.", "Det blev besluttet ikke at godkende taksterne.",
    "Drøftet.", "Taget til efterretning.", "", None,
])
def test_a_negated_partial_or_conditional_decision_gives_no_line(decision: str | None) -> None:
    assert approval_line(decision, "DAS", DAY) is None
    assert not approves(decision)


def test_the_packet_prints_no_approval_line_for_a_refusal(make_meeting, run, tmp_path: Path) -> None:
    from pypdf import PdfReader

    annex = ("år: 2026\npl_indeks: {kommune: 3.1}\ndriftsherrer:\n  - navn: Aalborg Kommune\n    overhead_pct: 5\n"
             "    tilbud:\n      - navn: T\n        rækker:\n          - {ydelse: A, lovgrundlag: SEL § 107, "
             "takstenhed: Døgn, takst: 100}\n")
    for n, (decision, expected) in enumerate((("Taksterne godkendes ikke.", False), ("Taksterne godkendes.", True))):
        item = f"titel: Takster 2026\nbilag:\n  - titel: Takstbilag 2026\n    fil: takster.yaml\nbeslutning: {decision}\n"
        folder = make_meeting({"01-takster.yaml": item}, bilag={"takster.yaml": annex.encode()}, fase="referat",
                              name=f"møde{n}")
        code, _, err = run("packet", folder, "--dokument", "referat", "--out", tmp_path / f"ud{n}")
        assert code == 0, err
        text = " ".join(p.extract_text() for p in PdfReader(tmp_path / f"ud{n}" / "referat-med-bilag.pdf").pages)
        assert ("Godkendt af" in text) is expected, decision


@pytest.mark.parametrize("value, needle", [
    ("1e308", "1e+308 er urimeligt stort (over 1.000.000.000.000); ret tallet"),
    (".nan", "'nan' er ikke et endeligt tal"), (".inf", "'inf' er ikke et endeligt tal"),
    ("-.inf", "'-inf' er ikke et endeligt tal"), ('"1e400"', "'1e400' er ikke et tal"),
])
@pytest.mark.parametrize("key", ["budget", "takst", "antal_pladser"])
def test_numbers_a_table_cannot_hold_are_refused_at_their_line(run, tmp_path: Path, key: str, value: str,
                                                                needle: str) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("år: 2026\npl_indeks: {kommune: 3.1}\ndriftsherrer:\n  - navn: A\n    overhead_pct: 5\n"
                    "    tilbud:\n      - navn: B\n        rækker:\n          - ydelse: C\n"
                    "            lovgrundlag: SEL § 107\n            takstenhed: Døgn\n"
                    f"            {key}: {value}\n", "utf-8")
    for command in ("validate", "render"):
        code, _, err = run("takster", command, path, "--out", tmp_path) if command == "render" else \
            run("takster", command, path)
        assert code == 1 and "Traceback" not in err
        line = next(line for line in err.splitlines() if needle in line)
        assert re.match(r"^\S*t\.yaml:12:\d+: fejl: ", line), line  # the file and the line of the value
    assert not list(tmp_path.glob("*.pdf"))


@pytest.mark.parametrize("where", ["pl_indeks: {kommune: .nan}", "tærskler: {belægning_min: .inf}"])
def test_non_finite_thresholds_are_refused(run, tmp_path: Path, where: str) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(f"år: 2026\n{where}\n" + ("pl_indeks: {kommune: 3.1}\n" if "pl_" not in where else "")
                    + "driftsherrer:\n  - navn: A\n    overhead_pct: 5\n    tilbud:\n      - navn: B\n        rækker:\n"
                    "          - {ydelse: C, lovgrundlag: SEL § 107, takstenhed: Døgn, takst: 100}\n", "utf-8")
    code, _, err = run("takster", "validate", path)
    assert code == 1 and "t.yaml:2:" in err and "er ikke et endeligt tal" in err


def test_a_negative_count_is_refused_in_danish(run, tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("år: 2026\npl_indeks: {kommune: 3.1}\ndriftsherrer:\n  - navn: A\n    overhead_pct: 5\n"
                    "    tilbud:\n      - navn: B\n        rækker:\n          - {ydelse: C, lovgrundlag: SEL § 107, "
                    "takstenhed: Døgn, takst: 100, antal_pladser: -2}\n", "utf-8")
    code, _, err = run("takster", "validate", path)
    assert code == 1 and "t.yaml:9:" in err and "-2 kan ikke være negativ" in err and "Input should" not in err
