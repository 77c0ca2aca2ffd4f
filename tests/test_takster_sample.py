"""Issue 12 on the full-size generated annex (`referat.takster.sample`, 11 driftsherrer, ~600 rows): it holds every
structure, imports from its workbook without a message, validates with no error, and the rules find exactly
the flags the generator planted — every one, explained or not, and no false alarm."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from referat.takster.annex import check_file
from referat.takster.importer import import_workbooks
from referat.takster.model import Role
from referat.takster.rules import Finding
from referat.takster.sample import annex_notes, sample_owners, write_workbook


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Finding]]:
    tmp = tmp_path_factory.mktemp("sample")
    write_workbook(tmp / "skema.xlsx", sample_owners())
    result = import_workbooks([tmp / "skema.xlsx"])
    assert result.report.items == [] and result.text is not None
    path = tmp / "takster.yaml"
    path.write_text(result.text.replace("kommune: null", "kommune: 3.1").replace("region: null", "region: 2.46"),
                    "utf-8")
    tb, findings, report = check_file(path)
    assert tb is not None and report.errors == [], report.lines()
    return path, findings


def test_the_sample_holds_every_structure(imported: tuple[Path, list[Finding]]) -> None:
    tb = check_file(imported[0])[0]
    assert tb is not None
    rows = [r for _, _, r in tb.rows()]
    assert len(tb.owners) == 11 and 550 <= len(rows) <= 650
    kinds = Counter(r.kind for r in rows)
    assert set(kinds) == set(Role) and kinds[Role.SUB] > 100 and kinds[Role.SUM] >= 3 and kinds[Role.HEADING] >= 3
    assert any(r.closed and r.places == 0 for r in rows)
    assert any("budget" in r.dashes for r in rows)
    assert sum(1 for o in tb.owners if o.notes) >= 3
    assert [(n.title, n.text) for n in tb.notes] == [(n["titel"], n["tekst"]) for n in annex_notes()]
    bases = {r.legal_basis for r in rows}
    assert {"SEL § 107/108", "SEL §104", "Barnets lov § 43", "ABL § 105 / SEL § 85"} <= bases
    variants = Counter((o.name, t.name, r.service) for o, t, r in tb.rows() if r.service == "Beskyttet beskæftigelse")
    assert variants and all(n == 2 for n in variants.values())
    # the sum rows' groups add up and the block headers carry what their sub-rows inherit
    for row in rows:
        if row.kind is Role.SUM:
            assert row.places == sum(m.places or 0 for m in row.members)
        if row.kind is Role.SUB and row.parent is not None and row.parent.kind is Role.BLOCK:
            assert row.places is None and row.inherited("places") == row.parent.places


def test_every_planted_flag_is_found_and_nothing_else(imported: tuple[Path, list[Finding]]) -> None:
    _, findings = imported
    planted = Counter((o["navn"], offer, r["ydelse"], *r["_flag"]) for o in sample_owners()
                      for offer, rows in o["tilbud"].items() for r in rows if "_flag" in r)
    found = Counter((f.owner, f.offer, f.service, f.category, f.explained) for f in findings if f.category)
    assert found == planted
    explained = Counter(category for *_, category, ok in planted.elements() if ok)
    unexplained = Counter(category for *_, category, ok in planted.elements() if not ok)
    assert set(explained) == {"pl", "belægning", "formel", "pladser"} and set(unexplained) >= {"pl", "formel"}


def test_only_the_unexplained_are_warnings(imported: tuple[Path, list[Finding]], run) -> None:
    path, findings = imported
    code, out, err = run("takster", "validate", path)
    assert code == 0
    warnings = [line for line in err.splitlines() if ": advarsel: " in line]
    assert len(warnings) == sum(1 for f in findings if f.severity == "advarsel")
    assert all("forklaret" not in w.split(": advarsel: ")[1].split(":")[0] for w in warnings)
    assert out.count(" takster") == 11
    code, out_all, _ = run("takster", "validate", path, "--alle")
    assert sum(1 for line in out_all.splitlines() if ": forklaret: " in line) == sum(1 for f in findings if f.explained and f.highlight)
