"""Issue 12: the takstbilag as driftsherrer really submit it — block headers and sub-rows, sum rows, headings,
closed offers, variants, missing cells, '-' versus blank, notes, lovgrundlag as written, mixed number formats —
and the flags that matter (formula tolerance, explained versus unexplained, the per-driftsherre overview).

Rows are seed 003 rows (revised tariffs 2023, L2383–2905) laid out the 2026 way; the fixture
`fixtures/takster/alle-strukturer.yaml` has every structure with its numbers right.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT
from referat.takster.annex import check_file
from referat.takster.model import Role

FIXTURE = ROOT / "tests" / "fixtures" / "takster" / "alle-strukturer.yaml"

# 003 L2617 and L2627–2633: Attruphøj's block header and its Boniveau rows ('-' in the budget column).
HEADER = {"ydelse": "Attruphøj", "lovgrundlag": "ABL § 105", "antal_pladser": 28, "takstenhed": "Døgn",
          "belægning_pct": 98, "budget": 50151733}
SUBS = [{"ydelse": f"Boniveau {n}", "budget": "-", "takst": t, "ændring_pct": c}
        for n, t, c in ((4, 2823, 3.77), (5, 3114, 3.39), (6, 3462, 2.99), (7, 3928, 2.59))]
# 003 L2474 and L2609 as two takstgrupper of one offer.
GROUP_1 = {"ydelse": "Takstgruppe 1", "antal_pladser": 16, "budget": 17337720, "takst": 3029, "ændring_pct": 2.5}
GROUP_2 = {"ydelse": "Takstgruppe 2", "antal_pladser": 12, "budget": 29476775, "takst": 6867, "ændring_pct": 3.0}
TOTAL = {"ydelse": "Botilbud i alt", "lovgrundlag": "SEL § 107", "antal_pladser": 28, "takstenhed": "Døgn",
         "belægning_pct": 98, "budget": 46814495}
# 003 L2764: an ordinary row.
SONJAVEJ = {"ydelse": "Sonjavej A-C Huse", "lovgrundlag": "ABL § 105", "antal_pladser": 22, "takstenhed": "Døgn",
            "belægning_pct": 98, "budget": 17698460, "takst": 2249, "ændring_pct": -1.52}


def annex(tmp_path: Path, offers: dict[str, list[dict[str, Any]]], owner: dict[str, Any] | None = None,
          **extra: Any) -> Path:
    """A takstbilag with one driftsherre (general overhead 5 %) and the given offers; P/L 2026 (DOMAIN §4)."""
    data = {"år": 2026, "pl_indeks": {"kommune": 3.1, "region": 2.46}, **extra,
            "driftsherrer": [{"navn": "Aalborg Kommune", "type": "kommune", "overhead_pct": 5, **(owner or {}),
                              "tilbud": [{"navn": n, "rækker": r} for n, r in offers.items()]}]}
    path = tmp_path / "takster.yaml"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def lines(path: Path, tolerance: float | None = None) -> list[str]:
    return check_file(path, tolerance)[2].lines()


def one(found: list[str], needle: str) -> str:
    hits = [line for line in found if needle in line]
    assert len(hits) == 1, found
    return hits[0]


def roles(path: Path) -> list[tuple[str, Role]]:
    tb = check_file(path)[0]
    assert tb is not None
    return [(r.name, r.kind) for _, _, r in tb.rows()]


# --- 1. Block header + sub-rows ---------------------------------------------------------------------------

def test_block_header_and_sub_rows_validate_without_a_message(tmp_path: Path) -> None:
    path = annex(tmp_path, {"Botilbud Attruphøj": [HEADER, *SUBS]})
    assert lines(path) == []
    assert roles(path) == [("Attruphøj", Role.BLOCK)] + [(s["ydelse"], Role.SUB) for s in SUBS]


def test_sub_rows_inherit_places_occupancy_overhead_and_law_from_their_header(tmp_path: Path) -> None:
    # No general overhead: the header's overhead speaks for the sub-rows; the law and unit are the header's too.
    path = annex(tmp_path, {"Botilbud Attruphøj": [{**HEADER, "overhead_pct": 5.5}, *SUBS]},
                 owner={"overhead_pct": None})
    assert lines(path) == []
    tb = check_file(path)[0]
    assert tb is not None
    sub = tb.owners[0].offers[0].rows[1]
    assert (sub.inherited("places"), sub.inherited("occupancy_pct"), sub.inherited("overhead_pct"),
            sub.inherited("legal_basis"), sub.inherited("unit").value) == (28, 98, 5.5, "ABL § 105", "Døgn")
    assert (sub.places, sub.budget) == (None, None)  # printed as submitted, not filled in


def test_sub_rows_are_checked_on_their_headers_payment_days(tmp_path: Path) -> None:
    """A dagtilbud's header says 250 payment days; its takstgrupper, which do not repeat it, were checked on 365:
    a takst a third too low for 250 days passed, one right for them was put down to fewer opening days."""
    header = {"ydelse": "Dagtilbud", "lovgrundlag": "SEL § 104", "antal_pladser": 8, "takstenhed": "Dag",
              "belægning_pct": 98, "budget": 2000000, "betalingsdage": 250}
    groups = [{"ydelse": f"Gruppe {g}", "antal_pladser": 4, "budget": 1000000, "takst": 1020.41} for g in "AB"]
    assert lines(annex(tmp_path, {"Dagtilbud": [header, *groups]})) == []
    tb = check_file(annex(tmp_path, {"Dagtilbud": [header, *groups]}))[0]
    assert tb is not None and [r.days for r in tb.owners[0].offers[0].rows] == [250, 250, 250]
    on_365 = [{**g, "takst": 698.93} for g in groups]  # 1.000.000 / (4 × 0,98 × 365)
    found = lines(annex(tmp_path, {"Dagtilbud": [header, *on_365]}))
    assert [f.split(": advarsel: ", 1)[1] for f in found] == [
        f"Aalborg Kommune › Dagtilbud › Gruppe {g}: taksten 698,93 kr. passer ikke med budget/(pladser × belægning × "
        "250 dage) = 1.020,41 kr. (afvigelse 31,50 %; tolerance 2 %)" for g in "AB"]


def test_a_low_occupancy_on_the_header_is_flagged_once_not_per_sub_row(tmp_path: Path) -> None:
    path = annex(tmp_path, {"Botilbud Attruphøj": [{**HEADER, "belægning_pct": 90}, *SUBS]})
    assert one(lines(path), "belægningsprocenten 90 % er under 95 % uden begrundelse")


def test_overhead_missing_only_when_row_header_and_driftsherre_all_lack_it(tmp_path: Path) -> None:
    offers = {"Botilbud Attruphøj": [HEADER, *SUBS], "Botilbud Sonjavej": [SONJAVEJ]}
    found = lines(annex(tmp_path, offers, owner={"overhead_pct": None}))
    assert one(found, "overheadprocenten mangler: hverken en generel procent")
    found = lines(annex(tmp_path, {**offers, "Botilbud Sonjavej": [{**SONJAVEJ, "overhead_pct": 4}]},
                        owner={"overhead_pct": None}))
    assert len([f for f in found if "overheadprocenten mangler" in f]) == len(SUBS)  # Attruphøj's rows only
    assert all("Attruphøj" in f for f in found if "overheadprocenten mangler" in f)


# --- 2. Summary rows ---------------------------------------------------------------------------------------

def test_sum_row_above_its_takstgrupper_is_checked_not_reported_as_missing_a_takst(tmp_path: Path) -> None:
    path = annex(tmp_path, {"Botilbud Studievej": [TOTAL, GROUP_1, GROUP_2]})
    assert lines(path) == []
    assert roles(path)[0] == ("Botilbud i alt", Role.SUM)


def test_a_wrong_sum_is_a_finding_naming_both_numbers(tmp_path: Path) -> None:
    found = lines(annex(tmp_path, {"Botilbud Studievej": [{**TOTAL, "antal_pladser": 30, "rolle": "sum"},
                                                          GROUP_1, GROUP_2]}))
    line = one(found, "summen passer ikke")
    assert "takstgrupperne giver 28 pladser, sumrækken siger 30" in line and ": advarsel: " in line
    found = lines(annex(tmp_path, {"Botilbud Studievej": [{**TOTAL, "budget": 46814000, "rolle": "sum"},
                                                          GROUP_1, GROUP_2]}))
    assert "46.814.495 kr., sumrækken siger 46.814.000 kr." in one(found, "summen passer ikke")


def test_sum_row_below_its_groups(tmp_path: Path) -> None:
    path = annex(tmp_path, {"Botilbud Studievej": [{**GROUP_1, **{k: TOTAL[k] for k in ("takstenhed", "belægning_pct", "lovgrundlag")}},
                                                   {**GROUP_2, **{k: TOTAL[k] for k in ("takstenhed", "belægning_pct", "lovgrundlag")}},
                                                   {**TOTAL, "ydelse": "I alt"}]})
    assert lines(path) == []
    assert [k for _, k in roles(path)] == [Role.SUB, Role.SUB, Role.SUM]


# --- 3. Headings and closed offers -----------------------------------------------------------------------

def test_heading_with_only_a_name_and_a_closed_offer_give_no_message(tmp_path: Path) -> None:
    closed = {"ydelse": "Døgnophold", "lovgrundlag": "SEL § 107", "antal_pladser": 0, "takstenhed": "Døgn",
              "forklaring": "Lukket 1/11-2024"}
    path = annex(tmp_path, {"Botilbud Attruphøj": [{"ydelse": "Hovedydelse"}, HEADER, *SUBS],
                            "Bostedet Kastanjen": [closed]})
    assert lines(path) == []
    assert roles(path)[0] == ("Hovedydelse", Role.HEADING)
    # a row with a unit but neither a takst nor a closing text is a missing takst: marked, not refused (issue 23)
    missing = {k: v for k, v in closed.items() if k not in ("antal_pladser", "forklaring")} | {"belægning_pct": 98}
    assert ": advarsel: " in one(lines(annex(tmp_path, {"Bostedet Kastanjen": [missing]})), "taksten mangler")
    # 0 pladser alone closes nothing (issue 23): without 'Lukket …' or status udgår the takst is missing
    assert one(lines(annex(tmp_path, {"Bostedet Kastanjen": [{**closed, "forklaring": "-"}]})), "taksten mangler")


# --- 4. Variants and duplicates ------------------------------------------------------------------------------

def test_same_ydelse_with_other_numbers_is_a_variant_and_the_same_numbers_a_duplicate(tmp_path: Path) -> None:
    day = {"ydelse": "Beskyttet beskæftigelse", "lovgrundlag": "SEL § 103", "takstenhed": "Dag", "takst": 512}
    assert lines(annex(tmp_path, {"Dagtilbud": [day, {**day, "takst": 689}]})) == []
    line = one(lines(annex(tmp_path, {"Dagtilbud": [day, dict(day)]})), "rækken står to gange (Dag) med de samme tal")
    assert ": advarsel: " in line  # marked on the second row, the annex still renders (issue 23)


# --- 5. Missing cells ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("key, needle", [("takstenhed", "takstenheden mangler"), ("ydelse", "ydelsen mangler")])
def test_a_missing_unit_or_service_is_a_warning_on_that_row(tmp_path: Path, key: str, needle: str, run) -> None:
    row = {k: v for k, v in SONJAVEJ.items() if k != key}
    path = annex(tmp_path, {"Botilbud Sonjavej": [row, {**SONJAVEJ, "ydelse": "Hus D"}]})
    found = lines(path)
    assert ": advarsel: " in one(found, needle)
    assert not any("er ikke en gyldig værdi" in f or "None" in f for f in found)
    code, _, _ = run("takster", "validate", path)
    assert code == 0


def test_explicit_null_unit_is_a_warning_not_none_is_not_a_valid_value(tmp_path: Path) -> None:
    path = annex(tmp_path, {"Botilbud Sonjavej": [{**SONJAVEJ, "takstenhed": None}]})
    found = lines(path)
    assert one(found, "takstenheden mangler") and not any("'None'" in f for f in found)


# --- 6. '-' versus blank -----------------------------------------------------------------------------------

def test_dash_and_blank_are_kept_apart(tmp_path: Path) -> None:
    path = annex(tmp_path, {"Botilbud Attruphøj": [HEADER, SUBS[0], {k: v for k, v in SUBS[1].items() if k != "budget"}]})
    tb = check_file(path)[0]
    assert tb is not None
    dash, blank = tb.owners[0].offers[0].rows[1:]
    assert dash.dashes == frozenset({"budget"}) and blank.dashes == frozenset()
    assert dash.budget is None and blank.budget is None


def test_a_dash_for_the_takst_is_a_missing_takst(tmp_path: Path) -> None:
    """Issue 23: a row with a unit and '-' (or nothing) for its takst is marked 'takst mangler' — a warning, and the
    annex prints '-' there (test_issue23_annex.py reads it back)."""
    row = {**SONJAVEJ, "takst": "-", "ændring_pct": "-"}
    assert ": advarsel: " in one(lines(annex(tmp_path, {"Botilbud Sonjavej": [row]})), "taksten mangler")


# --- 7. Notes ---------------------------------------------------------------------------------------------

def test_forklaringer_that_point_at_notes_need_the_notes(tmp_path: Path) -> None:
    row = {**SONJAVEJ, "forklaring": "#Se bemærkninger nedenfor"}
    found = lines(annex(tmp_path, {"Botilbud Sonjavej": [row]}))
    assert ": advarsel: " in one(found, "forklaringen henviser til 'Se bemærkninger nedenfor'")
    note = {"titel": "Note til Botilbud Sonjavej", "tekst": "Husene A-C har fået ny normering."}
    assert lines(annex(tmp_path, {"Botilbud Sonjavej": [row]}, owner={"noter": [note]})) == []
    row = {**SONJAVEJ, "forklaring": "Ny normering, se medsendt notat (Bilag A)."}
    found = lines(annex(tmp_path, {"Botilbud Sonjavej": [row]}, owner={"noter": [note]}))
    assert one(found, "henviser til Bilag A, men takstbilaget har ingen note, hvis titel begynder med 'Bilag A'")
    annex_note = {"titel": "Bilag A: notat om normeringen", "tekst": "…"}
    assert lines(annex(tmp_path, {"Botilbud Sonjavej": [row]}, noter=[annex_note])) == []


# --- 8. Lovgrundlag as written ------------------------------------------------------------------------------

@pytest.mark.parametrize("basis", ["SEL § 107/108", "SEL §104", "Barnets lov § 43", "ABL § 105 / SEL § 85",
                                   "SEL §§ 107-108", "SEL § 107 og § 108"])
def test_legal_basis_as_written_in_real_submissions(tmp_path: Path, basis: str) -> None:
    assert lines(annex(tmp_path, {"Botilbud Sonjavej": [{**SONJAVEJ, "lovgrundlag": basis}]})) == []


# --- 9. Mixed number formats ------------------------------------------------------------------------------

def test_mixed_number_formats_in_one_annex(tmp_path: Path) -> None:
    rows = [{**SONJAVEJ, "budget": "17.698.460", "belægning_pct": "98 %", "overhead_pct": "6,2",
             "ændring_pct": "-1.52 %"},
            {**SONJAVEJ, "ydelse": "Hus D", "budget": "17,698,460", "ændring_pct": "2.61 %", "takst": "2.249"}]
    path = annex(tmp_path, {"Botilbud Sonjavej": rows})
    assert lines(path) == []
    tb = check_file(path)[0]
    assert tb is not None
    a, b = tb.owners[0].offers[0].rows
    assert (a.budget, a.occupancy_pct, a.overhead_pct, a.change_pct) == (17698460, 98, 6.2, -1.52)
    assert (b.budget, b.change_pct, b.tariff) == (17698460, 2.61, 2249)


def test_an_ambiguous_comma_is_read_as_the_formula_says_and_else_names_the_cell_and_both_readings(tmp_path: Path) -> None:
    # Issue 23: budget/(pladser × belægning × 365) = 2.249,02 agrees with the English reading: read so, no message
    path = annex(tmp_path, {"Botilbud Sonjavej": [{**SONJAVEJ, "takst": "2,249"}]})
    assert lines(path) == []
    tb = check_file(path)[0]
    assert tb is not None and tb.owners[0].offers[0].rows[0].tariff == 2249
    # a takstgruppe's '2,249' with no budget of its own, and nothing else in the section to go by: a warning
    path = annex(tmp_path, {"Botilbud Attruphøj": [HEADER, {"ydelse": "Boniveau 4", "takst": "2,249"}]})
    line = one(lines(path), "kan læses som")
    assert "'2,249' i Takst kan læses som 2,249 (komma som decimaltegn) eller 2.249 (komma som tusindtalsseparator)" in line
    assert "læst på dansk som 2,249" in line
    text = path.read_text("utf-8").splitlines()
    assert '"takst": "2,249"' in text[int(line.split(":")[1]) - 1]  # the line of the cell


# --- Flags: formula tolerance, explained deviations ---------------------------------------------------------

def test_formula_tolerance_is_two_percent_by_default_and_the_profiles(tmp_path: Path) -> None:
    # 17.698.460 / (22 × 0,98 × 365) = 2.249,02: 1,7 % off is rounding (issue 12); 2,5 % off is a finding.
    assert lines(annex(tmp_path, {"Botilbud Sonjavej": [{**SONJAVEJ, "takst": 2211}]})) == []
    line = one(lines(annex(tmp_path, {"Botilbud Sonjavej": [{**SONJAVEJ, "takst": 2193}]})), "passer ikke")
    assert "taksten 2.193 kr." in line and "= 2.249,02 kr." in line and "afvigelse 2,49 %; tolerance 2 %" in line
    assert one(lines(annex(tmp_path, {"Botilbud Sonjavej": [{**SONJAVEJ, "takst": 2211}]}), tolerance=1.0),
               "tolerance 1 %")
    assert lines(annex(tmp_path, {"Botilbud Sonjavej": [{**SONJAVEJ, "takst": 2193}]}, tærskler={"tolerance_pct": 3})) == []


def test_profile_field_holds_the_tolerance() -> None:
    from referat.diagnostics import Report
    from referat.load.profile import read_profile

    profile = read_profile(ROOT / "templates" / "udvalg" / "das-social.yaml", Report())
    assert profile is not None and profile.tariff_tolerance_pct == 2.0


def test_fewer_opening_days_and_a_stated_regulation_are_explained(tmp_path: Path) -> None:
    day = {"ydelse": "Dagtilbud", "lovgrundlag": "SEL § 104", "antal_pladser": 10, "takstenhed": "Dag",
           "belægning_pct": 98, "budget": 1000000, "takst": 408}
    regulated = {**SONJAVEJ, "budget": 10731000, "antal_pladser": 10, "takst": 3369,
                 "forklaring": "Der er indregnet et underskud fra 2024 svarende til 369 kr."}
    path = annex(tmp_path, {"Dagtilbud": [day], "Botilbud": [regulated]})
    assert lines(path) == []
    explained = [f for f in check_file(path)[1] if f.explained]
    assert len(explained) == 2 and all(f.highlight and f.category == "formel" for f in explained)
    assert "ca. 250 åbningsdage" in explained[0].message
    unexplained = lines(annex(tmp_path, {"Botilbud": [{**regulated, "forklaring": None}]}))
    assert one(unexplained, "passer ikke")


def test_validate_prints_the_overview_and_lists_explained_ones_only_with_alle(run) -> None:
    code, out, err = run("takster", "validate", FIXTURE)
    assert code == 0 and "advarsel" not in err, err
    assert "Frederikshavn Kommune: 2 takster; Ændring over P/L + 2 pp: 1 forklaret; Belægning under 95 %: 1 forklaret; " \
           "Afvigelse fra formlen: 1 forklaret; Ændrede pladser: 1 forklaret" in out
    assert "Aalborg Kommune: 13 takster" in out
    assert "forklaret: " not in out.replace("1 forklaret", "") and "--alle" in out
    code, out, _ = run("takster", "validate", FIXTURE, "--alle")
    assert code == 0
    listed = [line for line in out.splitlines() if ": forklaret: " in line]
    assert len(listed) == 5 and all(line.startswith(str(FIXTURE.relative_to(ROOT))) or "alle-strukturer.yaml:" in line
                                    for line in listed)


def test_opsummering_writes_the_markdown_table(run, tmp_path: Path) -> None:
    code, out, err = run("takster", "opsummering", FIXTURE)
    assert code == 0, err
    table = [line for line in out.splitlines() if line.startswith("|")]
    assert table[0] == ("| Driftsherre | Takster | Ændring over P/L + 2 pp | Belægning under 95 % | "
                        "Afvigelse fra formlen | Ændrede pladser | Andre markeringer | Største stigninger | Største fald |")
    assert table[2].startswith("| Aalborg Kommune | 13 | – | – | 1 forklaret | – | ")
    assert "Frederikshavn Krisecenter, Krisecenterophold: +8,33 %" in table[3]
    assert table[2].endswith("| Botilbud Sonjavej, Sonjavej A-C Huse: -1,52 % |")  # issue 23: the falls too
    assert table[-1].startswith("| I alt | 15 |")
    code, _, _ = run("takster", "opsummering", FIXTURE, "--out", tmp_path / "oversigt.md")
    assert code == 0 and (tmp_path / "oversigt.md").read_text("utf-8") == out


def test_markdown_prints_yaml_text_literally(tmp_path: Path, run) -> None:
    path = annex(tmp_path, {"Botilbud *fed* | [link](x)": [{**SONJAVEJ, "ændring_pct": 9.0, "forklaring": "Ja."}]},
                 owner={"navn": "Kommune <b>#1</b>"})
    code, out, _ = run("takster", "opsummering", path)
    assert code == 0
    assert "Botilbud \\*fed\\* \\| \\[link\\](x)" in out
    # what a reader sees once the table is pasted into an item: the names exactly as typed (Python-Markdown reads
    # no '\\<' or '\\#' escape mid-line, so escaping them printed the backslashes)
    from referat.text.richtext import parse, plain_text

    shown = plain_text(parse(out[out.index("| Driftsherre"):]))
    assert "Kommune <b>#1</b>" in shown and "Botilbud *fed* | [link](x)" in shown, shown


# --- The whole annex -----------------------------------------------------------------------------------------

def test_every_structure_validates_with_exit_0_and_no_warning(run) -> None:
    code, _, err = run("takster", "validate", FIXTURE)
    assert code == 0 and "advarsel" not in err and "fejl" not in err, err
    kinds = {k for _, k in roles(FIXTURE)}
    assert kinds == set(Role)


def test_old_files_stay_valid_and_a_wrong_role_is_named(tmp_path: Path) -> None:
    assert check_file(ROOT / "agendas" / "2023-03-31-das-social" / "bilag" / "07-takster-2023-revideret.yaml")[2].errors == []
    path = annex(tmp_path, {"Botilbud": [{**SONJAVEJ, "rolle": "hoved"}]})
    line = one(lines(path), "'hoved' er ikke en gyldig værdi")
    assert "overskrift" in line and "blokhoved" in line and "underrække" in line


def test_a_header_with_its_own_average_takst_also_heads_its_levels(tmp_path: Path) -> None:
    """003 L2764–2766: 'Sonjavej A-C Huse' with pladser, budget and an average takst, then Boniveau rows with only a
    takst: the levels inherit the header's overhead and law; the header's own takst is checked like any row."""
    levels = [{"ydelse": "Boniveau 2", "budget": "-", "takst": 1436, "ændring_pct": -0.52}]
    header = {**SONJAVEJ, "overhead_pct": 5.5}
    path = annex(tmp_path, {"Botilbud Sonjavej": [header, *levels]}, owner={"overhead_pct": None})
    assert lines(path) == []
    assert roles(path) == [("Sonjavej A-C Huse", Role.BLOCK), ("Boniveau 2", Role.SUB)]
    found = lines(annex(tmp_path, {"Botilbud Sonjavej": [{**header, "takst": 2400}, *levels]}))
    assert one(found, "taksten 2.400 kr. passer ikke")


def test_a_wrong_sum_over_takstgrupper_is_a_finding_without_rolle(tmp_path: Path) -> None:
    """Without `rolle`, a total whose groups do not add up is still read as a sum (the groups' names say so):
    the wrong sum is a warning, not a missing takst."""
    found = lines(annex(tmp_path, {"Botilbud Studievej": [{**TOTAL, "ydelse": "Botilbud", "antal_pladser": 30},
                                                          GROUP_1, GROUP_2]}))
    assert one(found, "summen passer ikke") and not any("taksten mangler" in f for f in found)


def test_a_negotiated_takst_is_not_missing(tmp_path: Path) -> None:
    row = {k: v for k, v in SONJAVEJ.items() if k not in ("takst", "antal_pladser", "budget")}
    assert lines(annex(tmp_path, {"Botilbud": [{**row, "forklaring": "Taksten fastsættes individuelt."}]})) == []
    assert one(lines(annex(tmp_path, {"Botilbud": [row]})), "taksten mangler")


@pytest.mark.parametrize("profile, code", [("nope", 2), ("../../templates/udvalg/das-social", 2), ("kkr-nordjylland", 0)])
def test_the_profile_is_named_by_id(run, profile: str, code: int) -> None:
    got, _out, err = run("takster", "validate", FIXTURE, "--udvalg", profile)
    assert got == code, err
    if code:
        assert "Traceback" not in err and ("findes ikke" in err or "er ikke et profil-id" in err)


def test_a_stated_change_allows_for_rounded_tariffs(tmp_path: Path) -> None:
    """A tillægsydelse of 316 kr. (DOMAIN §4) last year 307 kr.: 2,93 % from the rounded tariffs; the driftsherre
    computed 3,1 % before rounding. A 0,5 pp gap is still a finding."""
    row = {"ydelse": "Tillægsydelse pr. time", "lovgrundlag": "SEL § 85", "takstenhed": "Time", "takst": 316,
           "takst_sidste_år": 307, "ændring_pct": 3.1}
    assert lines(annex(tmp_path, {"Bostøtte": [row]})) == []
    assert one(lines(annex(tmp_path, {"Bostøtte": [{**row, "ændring_pct": 3.6}]})), "angivet ændring 3,6 %")


def test_explicit_roles_win_and_a_sub_row_without_header_is_named(tmp_path: Path) -> None:
    sub = {**SUBS[0], "rolle": "underrække", "lovgrundlag": "ABL § 105", "takstenhed": "Døgn"}
    found = lines(annex(tmp_path, {"Botilbud Attruphøj": [sub]}))
    assert ": advarsel: " in one(found, "rækken er en underrække, men der står intet blokhoved eller sumrække over den")
    # 'rolle: blokhoved' on a row with a takst of its own makes the rows under it its sub-rows
    path = annex(tmp_path, {"Botilbud Sonjavej": [{**SONJAVEJ, "rolle": "blokhoved"},
                                                  {"ydelse": "Boniveau 2", "takst": 1436, "rolle": "underrække"}]})
    assert lines(path) == [] and [k for _, k in roles(path)] == [Role.BLOCK, Role.SUB]


@pytest.mark.parametrize("written, unit", [("døgn", "Døgn"), ("Døgn (24 timer)", "Døgn"), ("pr. time", "Time"),
                                           ("md.", "Måned"), ("-", None)])
def test_the_unit_as_secretariats_write_it(tmp_path: Path, written: str, unit: str | None) -> None:
    tb = check_file(annex(tmp_path, {"Botilbud Sonjavej": [{**SONJAVEJ, "takstenhed": written}]}))[0]
    assert tb is not None
    got = tb.owners[0].offers[0].rows[0].unit
    assert (got.value if got else None) == unit


def test_a_pl_flag_on_a_change_nobody_stated_says_it_is_computed(tmp_path: Path) -> None:
    """The P/L warning named a change the submission never stated ('ændringen 13,00 % er mere end …') as if the
    driftsherre had written it; the overview marks such a change '(beregnet)', and so does the warning now."""
    row = {k: v for k, v in SONJAVEJ.items() if k != "ændring_pct"} | {"takst": 2249, "takst_sidste_år": 1990}
    found = one(lines(annex(tmp_path, {"Botilbud Sonjavej": [row]})), "er mere end 2 procentpoint over P/L")
    assert "ændringen 13,02 % (beregnet ud fra taksten og sidste års takst; ingen ændring er angivet) er mere end" \
        in found, found
