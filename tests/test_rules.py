"""Every validation rule: a failing input (exact location, Danish message, severity) and a passing one.

Rules are called one at a time on a loaded meeting, so "no message" means no message from *that* rule.
Where a rule was motivated by a real defect in the published DAS Social documents, the test uses the seed
text itself (copied line by line into tests/fixtures/seeds/, so the quote is exact) and cites file and line.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest

from conftest import EXAMPLE, SEEDS, base, edited, located, only, tiny_pdf
from referat.app.pipeline import bilag_checks
from referat.diagnostics import Diagnostic, Location, Report
from referat.load.meeting import load_meeting
from referat.validate import RULES, Context, attendance, bilag, content, structure

SEED_002 = "002_f01f6cdfddf04c04.txt"
SEED_003 = "003_e8a73d86b494ce0e.txt"


def seed_line(name: str, number: int) -> str:
    """Line `number` (1-based) of a seed file, without the PDF extraction's trailing space or list bullet.

    The fixture holds only the quoted lines, each as its line number in the seed, a tab, and the text as extracted.
    """
    lines = dict(row.split("\t", 1) for row in (SEEDS / name).read_text(encoding="utf-8").splitlines()
                 if not row.startswith("#"))
    return lines[str(number)].strip().removeprefix("-").strip("\u00a0 ")


def apply(rule, folder: Path, **context) -> Report:  # type: ignore[no-untyped-def]
    """Load `folder` (which must load without errors) and run one rule on it (with `context=`, if given)."""
    meeting, loaded = load_meeting(folder)
    assert meeting is not None and not loaded.errors, loaded.lines()
    report = Report()
    rule(meeting, report, **context)
    return report


def with_archive() -> dict[str, Context]:
    """The validation context that looks archived minutes up (the archive package passes it down)."""
    return {"context": Context(bilag_checks())}


def meeting_diagnostic(make_meeting, rule, needle: str,  # type: ignore[no-untyped-def]
                       *edits: tuple[str, str], severity: str = "fejl") -> tuple[Diagnostic, Path]:
    """Run `rule` on a one-item meeting whose møde.yaml is the base one with `edits` (old, new): its one
    diagnostic containing `needle`, checked to be of `severity`, and the path of møde.yaml."""
    folder = make_meeting({"a.yaml": "titel: T\n"}, meeting=edited(base(), *edits))
    d = only(apply(rule, folder), needle)
    assert d.severity == severity
    return d, folder / "møde.yaml"


# --------------------------------------------------------------------------------------------------
# Every rule has a test here (guards against a new rule without one)

COVERED = {
    "case_numbers", "meeting_times", "decisions_match_phase", "empty_sections", "item_types",
    "members_known", "members_once", "substitutes", "partial_attendance", "presenters_attend",
    "bilag_files", "duplicate_files", "previous_minutes", "archived_minutes",
    "back_references", "impossible_dates", "placeholders", "internal_notes", "attached_without_bilag",
    "recommendation_addressee", "bilag_titles", "control_characters", "unprintable_in_pdf",
    "redaction_spans", "closed_reasons",  # privacy.py: tested in tests/test_privacy.py
    "partial_members",  # fremmøde.delvis: tested in tests/test_live_edit.py
    "folder_date", "task_deadlines",  # slips met in use (issue 24)
    "item_ids", "links_out",  # issue 22: items with identity, no link out of the meeting
    "item_groups", "free_sections",  # issue 27: hierarchical numbering, free sections (also tests/test_layout.py)
}


def test_every_rule_is_covered_by_this_file():
    assert {rule.__name__ for rule in RULES} == COVERED


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.__name__)
def test_real_example_passes_every_rule_except_its_known_seed_defects(rule):
    """The transcribed 23.02.2026 referat keeps four real defects on purpose (002 L77–79, L646 and L1053)."""
    report = apply(rule, EXAMPLE)
    # … and 002 L1053, the lead-in addressed to another body, kept as item 15's own indstilling_indledning
    expected = {"bilag_titles": 2, "back_references": 1, "recommendation_addressee": 1}.get(rule.__name__, 0)
    assert len(report.items) == expected, report.lines()
    assert not report.errors


# --------------------------------------------------------------------------------------------------
# structure.py

KKR_MEETING = base().replace("udvalg: das-social", "udvalg: kkr-nordjylland").replace("sagsnummer: 2026-005746\n", "")


def test_a_group_is_numbered_only_where_the_profile_numbers_hierarchically(make_meeting):
    """KKR numbers 2.1, 2.3 … (001 L1219, L1385); DAS numbers on, its group an unnumbered heading."""
    items = {"a.yaml": "titel: A\n", "b.yaml": "titel: B\ngruppe: Sager til beslutning\n"}
    das = make_meeting(items, meeting=base(items="a.yaml, b.yaml"))
    kkr = make_meeting(items, meeting=KKR_MEETING.replace("punkter: [a.yaml]", "punkter: [a.yaml, b.yaml]"),
                       name="kkr")
    for folder, numbers in ((das, ["1", "2"]), (kkr, ["1", "2.1"])):
        meeting, _ = load_meeting(folder)
        assert meeting is not None and [i.number for i in meeting.items] == numbers
        assert not apply(structure.item_groups, folder).items


def test_a_group_split_by_another_item_is_an_error(make_meeting):
    items = {"a.yaml": "titel: A\ngruppe: Sager\n", "b.yaml": "titel: B\n", "c.yaml": "titel: C\ngruppe: Sager\n"}
    folder = make_meeting(items, meeting=KKR_MEETING.replace("punkter: [a.yaml]", "punkter: [a.yaml, b.yaml, c.yaml]"))
    meeting, _ = load_meeting(folder)
    assert meeting is not None and [i.number for i in meeting.items] == ["1.1", "2", "3.1"]
    d = only(apply(structure.item_groups, folder), "gruppen 'Sager' er allerede sluttet")
    located(d, folder / "punkter" / "c.yaml", 2, 9)


def test_a_free_section_without_text_is_warned_about(make_meeting):
    folder = make_meeting({"a.yaml": "titel: T\nafsnit:\n  - overskrift: Økonomi\n    tekst: ''\n"})
    d = only(apply(structure.free_sections, folder), "afsnittet har ingen tekst")
    assert d.severity == "advarsel"
    located(d, folder / "punkter" / "a.yaml", 4, 5)
    ok = make_meeting({"a.yaml": "titel: T\nafsnit:\n  - tekst: Tekst uden overskrift.\n"}, name="ok")
    assert not apply(structure.free_sections, ok).items


def test_case_number_of_meeting_must_match_pattern(make_meeting):
    d, path = meeting_diagnostic(make_meeting, structure.case_numbers,
                                 "sagsnummeret '2026-5746' har ikke den rigtige form, fx 2026-005746",
                                 ("sagsnummer: 2026-005746", "sagsnummer: 2026-5746"))
    located(d, path, 7, 13)


def test_case_number_that_yaml_could_read_as_a_date_is_checked_as_text(make_meeting):
    d, path = meeting_diagnostic(make_meeting, structure.case_numbers, "sagsnummeret '2026-01-05'",
                                 ("sagsnummer: 2026-005746", "sagsnummer: 2026-01-05"))
    located(d, path, 7, 13)


def test_case_number_of_item_must_match_pattern(make_meeting):
    folder = make_meeting({"a.yaml": "titel: T\nsagsnummer: 26-5746\n"})
    d = only(apply(structure.case_numbers, folder), "sagsnummeret '26-5746' har ikke den rigtige form")
    assert d.severity == "fejl"
    located(d, folder / "punkter" / "a.yaml", 2, 13)


def test_case_numbers_pass(make_meeting):
    """002 L40: "2026-005746"."""
    folder = make_meeting({"a.yaml": "titel: T\nsagsnummer: 2026-005746\n"})
    assert apply(structure.case_numbers, folder).items == []


def test_meeting_end_before_start(make_meeting):
    d, path = meeting_diagnostic(make_meeting, structure.meeting_times,
                                 "mødet slutter kl. 11.30, før det begynder kl. 12.00",
                                 ('slut: "16.00"\nsted', 'slut: "11.30"\nsted'))
    located(d, path, 5, 7)


def test_meeting_end_equal_to_start_is_an_error(make_meeting):
    meeting_diagnostic(make_meeting, structure.meeting_times, "før det begynder",
                       ('slut: "16.00"\nsted', 'slut: "12.00"\nsted'))


def test_next_meeting_not_after_this_one(make_meeting):
    d, path = meeting_diagnostic(make_meeting, structure.meeting_times,
                                 "næste møde (23.02.2026) ligger ikke efter dette møde (23.02.2026)",
                                 ("næste_møde: {dato: 2026-05-22", "næste_møde: {dato: 2026-02-23"))
    located(d, path, 16, 20)


def test_next_meeting_ends_before_it_starts(make_meeting):
    d, path = meeting_diagnostic(make_meeting, structure.meeting_times,
                                 "næste møde slutter, før det begynder",
                                 ('næste_møde: {dato: 2026-05-22, start: "12.00", slut: "16.00"',
                                  'næste_møde: {dato: 2026-05-22, start: "12.00", slut: "10.00"'))
    located(d, path, 16, 54)


def test_meeting_without_place_or_online_is_a_warning(make_meeting):
    d, path = meeting_diagnostic(make_meeting, structure.meeting_times,
                                 "mødet har hverken 'sted' eller 'online: true'",
                                 ("sted: Mødelokale 1, Aalborg\n", ""), severity="advarsel")
    located(d, path, 1, 1)


def test_meeting_times_pass(make_meeting):
    folder = make_meeting({"a.yaml": "titel: T\n"})
    assert apply(structure.meeting_times, folder).items == []
    online = make_meeting({"a.yaml": "titel: T\n"}, name="online",
                          meeting=edited(base(), ("sted: Mødelokale 1, Aalborg", "online: ja")))
    assert apply(structure.meeting_times, online).items == []


def test_a_folder_named_by_another_date_is_a_warning(make_meeting):
    """Issue 24: a meeting folder copied from the previous meeting, its dato changed and its name not."""
    folder = make_meeting({"a.yaml": "titel: T\n"}, name="2025-11-17-das-social")
    d = only(apply(structure.folder_date, folder), "mødet er den 23.02.2026, men mappen '2025-11-17-das-social' er "
                                                   "navngivet efter den 17.11.2025")
    assert d.severity == "advarsel"
    located(d, folder / "møde.yaml", 3, 7)


def test_folder_date_pass(make_meeting):
    for name in ("2026-02-23-das-social", "demo-2026-02-23", "møde", "2026-02-31-forkert"):
        assert apply(structure.folder_date, make_meeting({"a.yaml": "titel: T\n"}, name=name)).items == [], name


def test_a_task_due_before_its_meeting_is_a_warning(make_meeting):
    """Issue 24: a frist typed with last year's year."""
    folder = make_meeting({"a.yaml": "titel: T\nbeslutning: Godkendt\nopfølgning:\n"
                                     "  - {opgave: Notat, ansvarlig: Sekretariatet, frist: 2025-03-31}\n"}, fase="referat")
    d = only(apply(structure.task_deadlines, folder), "fristen 31.03.2025 for opgaven 'Notat' ligger før mødet den "
                                                      "23.02.2026; er årstallet rigtigt?")
    assert d.severity == "advarsel"
    located(d, folder / "punkter" / "a.yaml", 4, 54)


def test_task_deadlines_pass(make_meeting):
    folder = make_meeting({"a.yaml": "titel: T\nbeslutning: Godkendt\nopfølgning:\n"
                                     "  - {opgave: Notat, ansvarlig: Sekretariatet, frist: 2026-02-23}\n"}, fase="referat")
    assert apply(structure.task_deadlines, folder).items == []


def test_an_invalid_date_does_not_hide_the_times(make_meeting):
    """Issue 24: 'dato' wrong and the meeting ending before it starts: both are said at once."""
    from referat.validate import validate_folder as check_meeting

    folder = make_meeting({"a.yaml": "titel: T\n"}, meeting=edited(base(), ("dato: 2026-02-23", "dato: 2026-02-30"),
                                                                   ('slut: "16.00"\nsted', 'slut: "11.00"\nsted')))
    _, report = check_meeting(folder)
    messages = [d.message for d in report.errors]
    assert any("'2026-02-30' er ikke en gyldig dato" in m for m in messages), messages
    assert "mødet slutter kl. 11.00, før det begynder kl. 12.00" in messages


def test_minutes_item_without_decision_is_an_error(make_meeting):
    folder = make_meeting({"a.yaml": "titel: Eventuelt\ntype: standard\n"}, fase="referat")
    d = only(apply(structure.decisions_match_phase, folder), "punkt 1 mangler en beslutning (mødet er i fasen 'referat')")
    assert d.severity == "fejl"
    located(d, folder / "punkter" / "a.yaml", 1, 1)


def test_minutes_item_with_blank_decision_is_an_error_at_the_decision(make_meeting):
    folder = make_meeting({"a.yaml": "titel: Eventuelt\ntype: standard\nbeslutning: \"  \"\n"}, fase="referat")
    d = only(apply(structure.decisions_match_phase, folder), "punkt 1 mangler en beslutning")
    assert d.severity == "fejl"
    located(d, folder / "punkter" / "a.yaml", 3, 13)


def test_agenda_item_with_decision_is_a_warning(make_meeting):
    folder = make_meeting({"a.yaml": "titel: Eventuelt\ntype: standard\nbeslutning: |\n  Godkendt\n"})
    d = only(apply(structure.decisions_match_phase, folder), "punkt 1 har en beslutning, men mødet er i fasen 'dagsorden'")
    assert d.severity == "advarsel"
    located(d, folder / "punkter" / "a.yaml", 3, 1)


def test_decisions_match_phase_pass(make_meeting):
    """002 L14: "Godkendt" under Beslutning in the minutes; no decision on an agenda."""
    minutes = make_meeting({"a.yaml": "titel: T\nbeslutning: |\n  Godkendt\n"}, fase="referat", name="referat")
    assert apply(structure.decisions_match_phase, minutes).items == []
    agenda = make_meeting({"a.yaml": "titel: T\n"}, name="dagsorden")
    assert apply(structure.decisions_match_phase, agenda).items == []


@pytest.mark.parametrize("key", ["resumé", "baggrund", "sagsfremstilling"])
def test_empty_section_is_a_warning(make_meeting, key):
    folder = make_meeting({"a.yaml": f"titel: T\n{key}: \"\"\n"})
    d = only(apply(structure.empty_sections, folder), f"afsnittet '{key}' er tomt")
    assert d.severity == "advarsel"
    located(d, folder / "punkter" / "a.yaml", 2, 1)


def test_empty_literal_section_is_a_warning(make_meeting):
    folder = make_meeting({"a.yaml": "titel: T\nresumé: |\nsagsfremstilling: Tekst\n"})
    d = only(apply(structure.empty_sections, folder), "afsnittet 'resumé' er tomt")
    located(d, folder / "punkter" / "a.yaml", 2, 1)


def test_recommendation_without_points_is_a_warning(make_meeting):
    folder = make_meeting({"a.yaml": "titel: T\nindstilling: []\n"})
    d = only(apply(structure.empty_sections, folder), "indstillingen har ingen punkter")
    assert d.severity == "advarsel"
    located(d, folder / "punkter" / "a.yaml", 2, 1)


def test_empty_recommendation_point_is_an_error(make_meeting):
    folder = make_meeting({"a.yaml": "titel: T\nindstilling:\n  - Godkender dagsordenen\n  - \"\"\n"})
    d = only(apply(structure.empty_sections, folder), "et indstillingspunkt er tomt")
    assert d.severity == "fejl"
    located(d, folder / "punkter" / "a.yaml", 4, 5)


def test_empty_sections_pass(make_meeting):
    folder = make_meeting({"a.yaml": """\
        titel: T
        resumé: Kort resumé.
        baggrund: |
          Baggrund.
        sagsfremstilling: |
          Sagen.
        indstilling:
          - Godkender dagsordenen
          - tekst: "Træffer beslutning om:"
            underpunkter: [a, b]
        """})
    assert apply(structure.empty_sections, folder).items == []


def test_substantive_item_without_any_case_number_is_a_warning(make_meeting):
    folder = make_meeting({"a.yaml": "# punkt\ntitel: Nyt takstskema\n"},
                          meeting=edited(base(), ("sagsnummer: 2026-005746\n", "")))
    d = only(apply(structure.item_types, folder), "punktet har intet sagsnummer, og mødet har heller intet")
    assert d.severity == "advarsel"
    located(d, folder / "punkter" / "a.yaml", 2, 8)


def test_two_items_with_one_id(make_meeting):
    """Issue 22: an item file copied to start a new item keeps the original's id; the copy is named."""
    folder = make_meeting({"a.yaml": "id: sag\ntitel: A\n", "b.yaml": "titel: B\nid: sag\n"})
    d = only(apply(structure.item_ids, folder), "punktet har samme id 'sag' som punkt 1 (punkter/a.yaml)")
    assert d.severity == "fejl"
    located(d, folder / "punkter" / "b.yaml", 2, 5)


def test_item_ids_pass(make_meeting):
    folder = make_meeting({"a.yaml": "id: sag\ntitel: A\n", "b.yaml": "titel: B\nid: sag-2\n", "c.yaml": "titel: C\n"})
    assert apply(structure.item_ids, folder).items == []


def test_item_types_pass(make_meeting):
    """Standard items have no case number (002 L1–17); a substantive item inherits the meeting's."""
    no_meeting_number = edited(base(items="a.yaml, b.yaml"), ("sagsnummer: 2026-005746\n", ""))
    folder = make_meeting({"a.yaml": "titel: Godkendelse af dagsorden\ntype: standard\n",
                           "b.yaml": "titel: Nyt takstskema\nsagsnummer: 2026-005746\n"}, meeting=no_meeting_number)
    assert apply(structure.item_types, folder).items == []
    inherited = make_meeting({"a.yaml": "titel: Nyt takstskema\n"}, name="arver")
    assert apply(structure.item_types, inherited).items == []


# --------------------------------------------------------------------------------------------------
# attendance.py

ROSTER = [
    # id, rule, the edit of møde.yaml, the whole message, line and column it points at
    pytest.param(attendance.members_known, ("til_stede: [Anne Andersen]", "til_stede: [Anne Andersn]"),
                 "'Anne Andersn' står ikke på medlemslisten; mente du 'Anne Andersen'?", 12, 15,
                 id="name-not-on-roster-suggests-the-member"),
    pytest.param(attendance.members_known, ("fraværende: [Bo Bertelsen]", "fraværende: [Bo Bertelsen, Xerxes Zyl]"),
                 "'Xerxes Zyl' står ikke på medlemslisten", 13, 30,  # the whole message: no 'mente du'
                 id="name-far-from-roster-has-no-suggestion"),
    pytest.param(attendance.members_known, ("til_stede: [Anne Andersen]", "til_stede: [Anne Andersen, Anne Andersen]"),
                 "'Anne Andersen' står to gange under til_stede", 12, 30, id="member-listed-twice-as-present"),
    pytest.param(attendance.members_once, ("til_stede: [Anne Andersen]", "til_stede: [Anne Andersen, Bo Bertelsen]"),
                 "'Bo Bertelsen' står både som til stede og fraværende", 13, 16,
                 id="member-both-present-and-absent"),
]


@pytest.mark.parametrize(("rule", "edit", "message", "line", "col"), ROSTER)
def test_attendance_error_points_at_the_name(make_meeting, rule, edit, message, line, col):
    d, path = meeting_diagnostic(make_meeting, rule, message, edit)
    assert d.message == message
    located(d, path, line, col)


def test_members_known_pass(make_meeting):
    folder = make_meeting({"a.yaml": "titel: T\n"})
    assert apply(attendance.members_known, folder).items == []


def test_member_in_neither_list_in_minutes_is_an_error(make_meeting):
    meeting = edited(base(fase="referat"), ("fraværende: [Bo Bertelsen]", "fraværende: []"),
                     (", i_stedet_for: Bo Bertelsen", ""))
    folder = make_meeting({"a.yaml": "titel: T\nbeslutning: Godkendt\n"}, meeting=meeting)
    d = only(apply(attendance.members_once, folder), "medlemmet 'Bo Bertelsen' står hverken som til stede eller fraværende")
    assert d.severity == "fejl"
    located(d, folder / "møde.yaml", 11, 1)


def test_member_in_neither_list_on_an_agenda_is_fine(make_meeting):
    """Before the meeting the secretariat may not know yet who comes."""
    meeting = edited(base(), ("fraværende: [Bo Bertelsen]", "fraværende: []"), (", i_stedet_for: Bo Bertelsen", ""))
    folder = make_meeting({"a.yaml": "titel: T\n"}, meeting=meeting)
    assert apply(attendance.members_once, folder).items == []


def test_members_once_pass(make_meeting):
    folder = make_meeting({"a.yaml": "titel: T\nbeslutning: Godkendt\n"}, fase="referat")
    assert apply(attendance.members_once, folder).items == []


def test_substitute_for_a_member_who_is_not_absent(make_meeting):
    d, path = meeting_diagnostic(
        make_meeting, attendance.substitutes,
        "'Carl Clausen' deltager i stedet for 'Bo Bertelsen', men 'Bo Bertelsen' står ikke som fraværende",
        ("til_stede: [Anne Andersen]", "til_stede: [Anne Andersen, Bo Bertelsen]"),
        ("fraværende: [Bo Bertelsen]", "fraværende: []"))
    located(d, path, 15, 90)


def test_substitute_for_someone_not_on_the_roster_suggests_the_member(make_meeting):
    d, path = meeting_diagnostic(make_meeting, attendance.substitutes,
                                 "som ikke er medlem; mente du 'Bo Bertelsen'?",
                                 ("i_stedet_for: Bo Bertelsen", "i_stedet_for: Bo Bertelson"))
    located(d, path, 15, 90)


def test_member_listed_under_others(make_meeting):
    d, path = meeting_diagnostic(
        make_meeting, attendance.substitutes,
        "'Anne Andersen' er medlem og skal stå under til_stede eller fraværende, ikke under øvrige",
        ("navn: Carl Clausen", "navn: Anne Andersen"))
    located(d, path, 15, 14)


def test_two_substitutes_for_one_member_is_a_warning(make_meeting):
    second = "\n    - {navn: Dorte Dahl, i_stedet_for: Bo Bertelsen}"
    d, path = meeting_diagnostic(make_meeting, attendance.substitutes,
                                 "2 deltagere står i stedet for 'Bo Bertelsen'",
                                 ("i_stedet_for: Bo Bertelsen}", "i_stedet_for: Bo Bertelsen}" + second),
                                 severity="advarsel")
    located(d, path, 14, 3)


def test_substitutes_pass(make_meeting):
    """"(i stedet for Dorte Juul Hansen)": a substitute for an absent member (DOMAIN.md §2)."""
    folder = make_meeting({"a.yaml": "titel: T\n"})
    assert apply(attendance.substitutes, folder).items == []


def test_partial_attendance_for_a_missing_item(make_meeting):
    meeting = edited(base(items="a.yaml, b.yaml"), ("i_stedet_for: Bo Bertelsen}", "i_stedet_for: Bo Bertelsen, punkter: [3]}"))
    folder = make_meeting({"a.yaml": "titel: T\n", "b.yaml": "titel: U\n"}, meeting=meeting)
    d = only(apply(attendance.partial_attendance, folder), "'Carl Clausen' deltager i punkt 3, men mødet har kun punkt 1–2")
    assert d.severity == "fejl"
    located(d, folder / "møde.yaml", 15, 114)


def test_partial_attendance_pass(make_meeting):
    """"(pkt. 3)": Martin Bjørn Jensen attends item 3 only (002 L61; the example's møde.yaml)."""
    meeting = edited(base(items="a.yaml, b.yaml"), ("i_stedet_for: Bo Bertelsen}", "i_stedet_for: Bo Bertelsen, punkter: [2]}"))
    folder = make_meeting({"a.yaml": "titel: T\n", "b.yaml": "titel: U\n"}, meeting=meeting)
    assert apply(attendance.partial_attendance, folder).items == []


def test_presenter_not_attending_suggests_a_participant(make_meeting):
    folder = make_meeting({"a.yaml": "titel: T\nfremlæggere: [Carl Clausn]\n"})
    d = only(apply(attendance.presenters_attend, folder),
             "fremlæggeren 'Carl Clausn' står ikke som deltager i mødet; mente du 'Carl Clausen'?")
    assert d.severity == "fejl"
    located(d, folder / "punkter" / "a.yaml", 2, 15)


def test_absent_member_cannot_present(make_meeting):
    folder = make_meeting({"a.yaml": "titel: T\nfremlæggere:\n  - Anne Andersen\n  - Bo Bertelsen\n"})
    d = only(apply(attendance.presenters_attend, folder), "fremlæggeren 'Bo Bertelsen' står ikke som deltager i mødet")
    located(d, folder / "punkter" / "a.yaml", 4, 5)


def test_presenter_attending_only_other_items(make_meeting):
    meeting = edited(base(items="a.yaml, b.yaml"), ("i_stedet_for: Bo Bertelsen}", "i_stedet_for: Bo Bertelsen, punkter: [1]}"))
    folder = make_meeting({"a.yaml": "titel: T\n", "b.yaml": "titel: U\nfremlæggere: [Carl Clausen]\n"}, meeting=meeting)
    d = only(apply(attendance.presenters_attend, folder), "fremlæggeren 'Carl Clausen' deltager kun i punkt 1")
    assert d.severity == "fejl"
    located(d, folder / "punkter" / "b.yaml", 2, 15)


def test_presenters_attend_pass(make_meeting):
    """Martin Bjørn Jensen presents item 3, which he attends (002 L61, L73)."""
    meeting = edited(base(items="a.yaml, b.yaml"), ("i_stedet_for: Bo Bertelsen}", "i_stedet_for: Bo Bertelsen, punkter: [2]}"))
    folder = make_meeting({"a.yaml": "titel: T\nfremlæggere: [Anne Andersen]\n",
                           "b.yaml": "titel: U\nfremlæggere: [Anne Andersen, Carl Clausen]\n"}, meeting=meeting)
    assert apply(attendance.presenters_attend, folder).items == []


# --------------------------------------------------------------------------------------------------
# bilag.py

def _bilag_item(fil: str, title: str = "Bilag 1. Plan") -> dict[str, str]:
    return {"a.yaml": f"titel: T\nbilag:\n  - titel: {title}\n    fil: {fil}\n"}


def _encrypted_pdf(user: str, owner: str | None = None) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password=user, owner_password=owner)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _bilag_error(make_meeting, fil: str, **kw) -> Diagnostic:  # type: ignore[no-untyped-def]
    folder = make_meeting(_bilag_item(fil), **kw)
    report = apply(bilag.bilag_files, folder)
    assert len(report.items) == 1, report.lines()
    d = report.items[0]
    assert d.severity == "fejl"
    located(d, folder / "punkter" / "a.yaml", 4, 10)
    return d


def test_bilag_file_missing(make_meeting):
    d = _bilag_error(make_meeting, "03-bilag-1-plan.pdf")
    assert d.message == "bilagsfilen bilag/03-bilag-1-plan.pdf findes ikke"


def test_bilag_is_a_folder(make_meeting, tmp_path):
    folder = make_meeting(_bilag_item("mappe.pdf"))
    (folder / "bilag" / "mappe.pdf").mkdir()
    d = only(apply(bilag.bilag_files, folder), "bilag/mappe.pdf er en mappe, ikke en fil")
    assert d.severity == "fejl"
    located(d, folder / "punkter" / "a.yaml", 4, 10)


def test_bilag_zero_bytes(make_meeting):
    d = _bilag_error(make_meeting, "tom.pdf", bilag={"tom.pdf": b""})
    assert d.message == "bilag/tom.pdf er tom (0 byte)"


def test_bilag_unsupported_extension(make_meeting):
    d = _bilag_error(make_meeting, "noter.txt", bilag={"noter.txt": b"hej"})
    assert "bilag/noter.txt: filtypen '.txt' understøttes ikke; brug" in d.message
    assert ".pdf" in d.message and ".docx" in d.message and ".xlsx" in d.message


def test_bilag_without_extension(make_meeting):
    d = _bilag_error(make_meeting, "noter", bilag={"noter": b"hej"})
    assert "filtypen '(ingen)' understøttes ikke" in d.message


@pytest.mark.parametrize("fil", ["../x.pdf", "../møde.yaml", "/etc/hostname"])
def test_bilag_path_escaping_the_bilag_folder(make_meeting, fil):
    folder = make_meeting(_bilag_item(fil))
    (folder / "x.pdf").write_bytes(tiny_pdf())
    report = apply(bilag.bilag_files, folder)
    d = only(report, f"bilagsfilen '{fil}' ligger uden for mødets bilag/-mappe")
    assert d.severity == "fejl"
    located(d, folder / "punkter" / "a.yaml", 4, 10)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_bilag_symlink_out_of_the_meeting(make_meeting, tmp_path):
    folder = make_meeting(_bilag_item("link.pdf"))
    outside = tmp_path / "hemmelig.pdf"
    outside.write_bytes(tiny_pdf())
    (folder / "bilag" / "link.pdf").symlink_to(outside)
    assert only(apply(bilag.bilag_files, folder), "ligger uden for mødets bilag/-mappe").severity == "fejl"


def test_bilag_corrupt_pdf(make_meeting):
    garbage = b"%PDF-1.7\n" + bytes((i * 7919 + 13) % 256 for i in range(4000))
    d = _bilag_error(make_meeting, "beskadiget.pdf", bilag={"beskadiget.pdf": garbage})
    assert d.message.startswith("bilag/beskadiget.pdf: er beskadiget og kan ikke åbnes")


def test_bilag_truncated_pdf(make_meeting):
    d = _bilag_error(make_meeting, "halv.pdf", bilag={"halv.pdf": tiny_pdf()[:200]})
    assert d.message.startswith("bilag/halv.pdf: er beskadiget og kan ikke åbnes")


def test_bilag_pdf_without_pdf_header(make_meeting):
    d = _bilag_error(make_meeting, "word.pdf", bilag={"word.pdf": b"PK\x03\x04 not a pdf"})
    assert d.message == "bilag/word.pdf: er ikke en PDF-fil (mangler PDF-hovedet)"


def test_bilag_pdf_encrypted_with_a_password(make_meeting):
    d = _bilag_error(make_meeting, "krypteret.pdf", bilag={"krypteret.pdf": _encrypted_pdf("hemmelig")})
    assert d.message == "bilag/krypteret.pdf: er krypteret med adgangskode; gem en version uden adgangskode"


def test_bilag_pdf_encrypted_with_empty_user_password_is_accepted(make_meeting):
    """Many published PDFs are 'encrypted' only to restrict printing/copying: they open without a password."""
    folder = make_meeting(_bilag_item("beskyttet.pdf"), bilag={"beskyttet.pdf": _encrypted_pdf("", "ejer")})
    assert apply(bilag.bilag_files, folder).items == []


def test_bilag_files_pass(make_meeting, monkeypatch):
    """Upper-case extensions and every supported kind are accepted (images: only the first bytes are looked at;
    Word and Excel: the zip directory and more). LibreOffice counts as installed (its absence is a warning)."""
    from openpyxl import Workbook

    workbook, buf = Workbook(), io.BytesIO()
    workbook.active.append(["Tilbud", "Takst"])
    workbook.save(buf)
    monkeypatch.setattr(bilag, "find_soffice", lambda: "/usr/bin/soffice")
    from docx import Document

    document, word = Document(), io.BytesIO()
    document.add_paragraph("Notat")
    document.save(word)
    items = {"a.yaml": """\
        titel: T
        bilag:
          - {titel: A, fil: plan.PDF}
          - {titel: B, fil: notat.docx}
          - {titel: C, fil: takster.xlsx}
          - {titel: D, fil: kort.png}
        """}
    folder = make_meeting(items, bilag={"plan.PDF": tiny_pdf(), "notat.docx": word.getvalue(),
                                        "takster.xlsx": buf.getvalue(), "kort.png": b"\x89PNG\r\n\x1a\n"})
    assert apply(bilag.bilag_files, folder).items == []


def test_same_bilag_file_twice_is_a_warning(make_meeting):
    items = {"a.yaml": "titel: T\nbilag:\n  - titel: A\n    fil: a.pdf\n  - titel: B\n    fil: a.pdf\n"}
    folder = make_meeting(items, bilag={"a.pdf": tiny_pdf()})
    d = only(apply(bilag.duplicate_files, folder), "bilag/a.pdf er vedhæftet to gange under punktet")
    assert d.severity == "advarsel"
    located(d, folder / "punkter" / "a.yaml", 6, 10)


def test_duplicate_files_pass(make_meeting):
    """The same file under two different items is fine (e.g. a takstbilag discussed twice)."""
    items = {"a.yaml": "titel: T\nbilag: [{titel: A, fil: a.pdf}]\n", "b.yaml": "titel: U\nbilag: [{titel: A, fil: a.pdf}]\n"}
    folder = make_meeting(items, bilag={"a.pdf": tiny_pdf()})
    assert apply(bilag.duplicate_files, folder).items == []


def test_a_file_in_bilag_linked_out_of_the_meeting_is_an_error(make_meeting, tmp_path):
    """Issue 22: `send` and `diff` hash every file in bilag/; one that leads out of the meeting is refused, and
    validation says so first, at the file (a bilag an item names is `bilag_files`' message)."""
    outside = tmp_path / "privat.pdf"
    outside.write_bytes(tiny_pdf())
    folder = make_meeting({"a.yaml": "titel: T\nbilag: [{titel: A, fil: a.pdf}]\n"}, bilag={"a.pdf": tiny_pdf()})
    (folder / "bilag" / "privat.pdf").symlink_to(outside)
    (folder / "bilag" / "inde.pdf").symlink_to(folder / "bilag" / "a.pdf")  # a link inside the folder is fine
    d = only(apply(bilag.links_out, folder), "bilag/privat.pdf peger (via et symbolsk link) ud af mødemappen")
    assert d.severity == "fejl"
    located(d, folder / "bilag" / "privat.pdf", None)


def test_links_out_pass(make_meeting):
    folder = make_meeting({"a.yaml": "titel: T\nbilag: [{titel: A, fil: a.pdf}]\n"}, bilag={"a.pdf": tiny_pdf()})
    assert apply(bilag.links_out, folder).items == []


# --------------------------------------------------------------------------------------------------
# content.py

def test_back_reference_dated_after_the_meeting(make_meeting):
    """002_f01f6cdfddf04c04.txt L646: "Den Administrative Styregruppe godkendte den 17. november 2026
    takstbilaget …" in an item of the 23.02.2026 meeting (the approval was 17.11.2025)."""
    sentence = seed_line(SEED_002, 646)
    assert "godkendte den 17. november 2026" in sentence
    folder = make_meeting({"a.yaml": f"titel: Reviderede takster\nsagsfremstilling: |\n  Indledning.\n  {sentence}\n"})
    d = only(apply(content.back_references, folder), "tilbagehenvisningen '17. november 2026' ligger efter mødet den 23.02.2026")
    assert d.severity == "advarsel"
    assert "er årstallet forkert?" in d.message
    located(d, folder / "punkter" / "a.yaml", 4)


def test_back_reference_in_numeric_form(make_meeting):
    folder = make_meeting({"a.yaml": "titel: T\nresumé: \"Punktet blev behandlet den 17.11.26 i DAS.\"\n"})
    d = only(apply(content.back_references, folder), "tilbagehenvisningen '17.11.26'")
    located(d, folder / "punkter" / "a.yaml", 2, 9)


def test_back_references_pass(make_meeting):
    """The same sentence with the right year, a future date without a past-tense verb, and a decision."""
    fixed = seed_line(SEED_002, 646).replace("2026", "2025")
    folder = make_meeting({"a.yaml": f"""\
        titel: T
        sagsfremstilling: |
          {fixed}
          Næste møde afholdes den 22. maj 2026. Punktet behandles den 27. februar 2026.
        beslutning: |
          Den Administrative Styregruppe godkendte den 1. marts 2026 at vende tilbage.
        """})
    assert apply(content.back_references, folder).items == []


def test_impossible_date(make_meeting):
    folder = make_meeting({"a.yaml": "titel: T\nsagsfremstilling: |\n  Fristen er den 31. april 2026.\n"})
    d = only(apply(content.impossible_dates, folder), "datoen '31. april 2026' findes ikke")
    assert d.severity == "advarsel"
    located(d, folder / "punkter" / "a.yaml", 3)


def test_impossible_numeric_date_in_title(make_meeting):
    folder = make_meeting({"a.yaml": "titel: Møde den 30.02.2026\n"})
    d = only(apply(content.impossible_dates, folder), "datoen '30.02.2026' findes ikke")
    located(d, folder / "punkter" / "a.yaml", 1, 8)


def test_date_wrapped_over_two_lines_is_quoted_on_one_line(make_meeting):
    """A hand-wrapped `|` block: the message quotes the date on one line, so the output stays one line per message."""
    folder = make_meeting({"a.yaml": "titel: T\nsagsfremstilling: |\n  Fristen er den 31. april\n  2026.\n"})
    d = only(apply(content.impossible_dates, folder), "datoen '31. april 2026' findes ikke")
    located(d, folder / "punkter" / "a.yaml", 3)


def test_month_name_matched_case_insensitively_does_not_crash(make_meeting):
    """'ſ' (long s) matches 's' case-insensitively; looking the month up with .lower() used to raise ValueError."""
    folder = make_meeting({"a.yaml": "titel: T\nresumé: \"DAS godkendte den 1. ſeptember 2026, og fristen er 31. JUNI 2026\"\n"})
    located(only(apply(content.back_references, folder), "tilbagehenvisningen '1. ſeptember 2026'"), folder / "punkter" / "a.yaml", 2, 9)
    assert [d.message for d in apply(content.impossible_dates, folder).items] == ["datoen '31. JUNI 2026' findes ikke"]


def test_impossible_dates_pass(make_meeting):
    folder = make_meeting({"a.yaml": "titel: T\nsagsfremstilling: |\n  Den 30. april 2026, 29.02.2024 og 1. MAJ 2026.\n"})
    assert apply(content.impossible_dates, folder).items == []


def test_placeholder_skriv_from_the_2023_packet(make_meeting):
    """003_e8a73d86b494ce0e.txt L267: "[Skriv]" left under "Opsamling" in the published agenda packet."""
    placeholder = seed_line(SEED_003, 267)
    assert placeholder == "[Skriv]"
    folder = make_meeting({"a.yaml": f"titel: T\nsagsfremstilling: |\n  Opsamling\n  {placeholder}\n"})
    d = only(apply(content.placeholders, folder), "pladsholder '[Skriv]' står stadig i teksten")
    assert d.severity == "advarsel"
    located(d, folder / "punkter" / "a.yaml", 4)


@pytest.mark.parametrize(("text", "message"), [
    ("Mødet holdes den XX. marts.", "pladsholder 'XX' står stadig i teksten"),
    ("Beløbet er XXX kr.", "pladsholder 'XXX' står stadig i teksten"),
    ("TODO: indsæt tal", "huskenote 'TODO' står stadig i teksten"),
    ("Datoen er ???.", "pladsholder '???' står stadig i teksten"),
    ("Svarfrist xx.xx.xxxx", "pladsholder 'xx.xx.xxxx' står stadig i teksten"),
    ("Kontakt [indsæt navn]", "pladsholder '[indsæt navn]' står stadig i teksten"),
])
def test_placeholders(make_meeting, text, message):
    folder = make_meeting({"a.yaml": f"titel: T\nresumé: \"{text}\"\n"})
    d = only(apply(content.placeholders, folder), message)
    assert d.severity == "advarsel"
    located(d, folder / "punkter" / "a.yaml", 2, 9)


def test_placeholder_in_a_multiline_recommendation_point_is_located_on_its_line(make_meeting):
    """A point written as a `|` block: the message points at the line of the placeholder, not the '- |'."""
    folder = make_meeting({"a.yaml": "titel: T\nindstilling:\n  - |\n    godkender planen\n    for [Skriv]\n"})
    d = only(apply(content.placeholders, folder), "pladsholder '[Skriv]'")
    located(d, folder / "punkter" / "a.yaml", 5)


def test_placeholder_spanning_a_line_break_is_quoted_on_one_line(make_meeting):
    folder = make_meeting({"a.yaml": "titel: T\nsagsfremstilling: |\n  Se [Skriv\n  her].\n"})
    d = only(apply(content.placeholders, folder), "pladsholder '[Skriv her]' står stadig i teksten")
    located(d, folder / "punkter" / "a.yaml", 3)


def test_placeholders_pass(make_meeting):
    folder = make_meeting({"a.yaml": "titel: T\nsagsfremstilling: |\n  Tøj i XXL-størrelse; se [1] og pkt. 3.\n"})
    assert apply(content.placeholders, folder).items == []


def test_internal_note_from_the_2023_packet(make_meeting):
    """003_e8a73d86b494ce0e.txt L238: "KDK mødet (Aftalt med Helene)" printed in the members' packet."""
    line = seed_line(SEED_003, 238)
    assert line.endswith("(Aftalt med Helene)")
    folder = make_meeting({"a.yaml": f"titel: T\nsagsfremstilling: |\n  Tidsplan:\n\n  {line}\n"})
    d = only(apply(content.internal_notes, folder), "intern note '(Aftalt med Helene)' står i teksten")
    assert d.severity == "advarsel"
    located(d, folder / "punkter" / "a.yaml", 5)


@pytest.mark.parametrize("note", ["(husk bilag)", "(NB: tjek tal)", "(spørg Helene)"])
def test_internal_notes_other_forms(make_meeting, note):
    folder = make_meeting({"a.yaml": f"titel: T\nbaggrund: \"Tekst {note} mere.\"\n"})
    d = only(apply(content.internal_notes, folder), f"intern note '{note}'")
    located(d, folder / "punkter" / "a.yaml", 2, 11)


def test_internal_notes_pass(make_meeting):
    folder = make_meeting({"a.yaml": "titel: T\nsagsfremstilling: \"Efter SEL § 107 (pkt. 3) og (jf. aftalen).\"\n"})
    assert apply(content.internal_notes, folder).items == []


def test_attached_without_bilag_on_the_real_item(example_copy):
    """002_f01f6cdfddf04c04.txt L282: "datatræk, som er vedlagt som bilag, …" — here with the bilag removed."""
    assert "vedlagt som bilag" in seed_line(SEED_002, 282)
    path = example_copy / "punkter" / "05-sundhedstjek-paa-botilbud.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index("bilag:")
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith((" ", "#")))
    path.write_text("\n".join(lines[:start] + lines[end:]) + "\n", encoding="utf-8")
    line = next(i for i, text in enumerate(lines, 1) if "som er vedlagt som bilag" in text)
    report = apply(content.attached_without_bilag, example_copy)
    d = only(report, "men punktet har ingen bilag")
    assert d.message == "teksten siger 'er vedlagt', men punktet har ingen bilag"  # "som er vedlagt som bilag"
    assert d.severity == "advarsel"
    located(d, path, line)


def test_attached_without_bilag_pass(make_meeting, example_copy):
    """The real item 5 lists its bilag; and the phrase in a decision ("vedlægges referatet", 002 L95) is fine."""
    assert apply(content.attached_without_bilag, example_copy).items == []
    folder = make_meeting({"a.yaml": "titel: T\nbeslutning: Se bilag, som vedlægges referatet.\n"})
    assert apply(content.attached_without_bilag, folder).items == []


def test_recommendation_lead_in_addressed_to_fu_in_text(make_meeting):
    """002_f01f6cdfddf04c04.txt L1053: "Det indstilles, at forretningsudvalget" on a DAS item."""
    lead_in = seed_line(SEED_002, 1053)
    assert lead_in == "Det indstilles, at forretningsudvalget"
    folder = make_meeting({"a.yaml": f"titel: T\nsagsfremstilling: |\n  Sagen.\n\n  {lead_in}\n"})
    report = apply(content.recommendation_addressee, folder)
    d = only(report, f"'{lead_in}' er rettet til")
    assert d.severity == "advarsel"
    assert "forretningsudvalget" in d.message.lower()
    assert "men punktet behandles i Den Administrative Styregruppe" in d.message
    located(d, folder / "punkter" / "a.yaml", 5)


def test_recommendation_point_addressed_to_fu(make_meeting):
    """002 L1053 + L1055 as the secretariat would type it: a point starting "forretningsudvalget tager …"."""
    point = "forretningsudvalget " + seed_line(SEED_002, 1055).removeprefix("1. ")
    assert point == "forretningsudvalget tager orienteringen til efterretning"
    folder = make_meeting({"a.yaml": f"titel: T\nindstilling:\n  - Godkender dagsordenen\n  - {point}\n"})
    d = only(apply(content.recommendation_addressee, folder), "indstillingspunktet er rettet til")
    assert d.severity == "advarsel"
    assert "'forretningsudvalget'" in d.message.lower()
    assert d.message.endswith("men punktet behandles i Den Administrative Styregruppe")
    located(d, folder / "punkter" / "a.yaml", 4, 5)


def test_recommendation_lead_in_wrapped_over_two_lines(make_meeting):
    folder = make_meeting({"a.yaml": "titel: T\nsagsfremstilling: |\n  Det indstilles,\n  at forretningsudvalget godkender.\n"})
    d = only(apply(content.recommendation_addressee, folder), "'Det indstilles, at forretningsudvalget godkender' er rettet til")
    assert "\n" not in d.message
    located(d, folder / "punkter" / "a.yaml", 3)


def test_recommendation_point_repeating_the_lead_in(make_meeting):
    folder = make_meeting({"a.yaml": "titel: T\nindstilling:\n  - tekst: Det indstilles, at Den Administrative Styregruppe godkender\n"})
    d = only(apply(content.recommendation_addressee, folder), "skriv kun selve punktet; indledningen 'Det indstilles, at …'")
    assert d.severity == "advarsel"
    located(d, folder / "punkter" / "a.yaml", 3, 12)


def test_recommendation_addressee_pass(make_meeting):
    """The profile's own names in running text, and ordinary points (002 L173–182 style)."""
    folder = make_meeting({"a.yaml": """\
        titel: T
        sagsfremstilling: |
          Det indstilles, at Den Administrative Styregruppe godkender planen.
          Det indstilles, at DAS Social drøfter sagen.
        indstilling:
          - tager orienteringen til efterretning
          - tekst: "Træffer beslutning om:"
            underpunkter: [Man ønsker at ibrugtage den nye takstskabelon]
        """})
    assert apply(content.recommendation_addressee, folder).items == []


def _seed_bilag_titles() -> list[str]:
    return [seed_line(SEED_002, n) for n in (77, 78, 79)]


def test_bilag_titles_from_the_2026_minutes(make_meeting):
    """002_f01f6cdfddf04c04.txt L77–79: "Bilag 1. …", "Bialg 2. …", "Bilag 1. …" under one item."""
    first, typo, again = _seed_bilag_titles()
    assert typo.startswith("Bialg 2.") and first.startswith("Bilag 1.") and again.startswith("Bilag 1.")
    item = "titel: T\nbilag:\n" + "".join(f"  - titel: \"{t}\"\n    fil: {n}.pdf\n" for n, t in enumerate((first, typo, again)))
    folder = make_meeting({"a.yaml": item}, bilag={f"{n}.pdf": tiny_pdf() for n in range(3)})
    report = apply(content.bilag_titles, folder)
    assert len(report.items) == 2, report.lines()
    typo_d = only(report, "'Bialg 2' er vist en stavefejl for 'Bilag 2'")
    assert typo_d.severity == "advarsel"
    located(typo_d, folder / "punkter" / "a.yaml", 5, 12)
    dup = only(report, "to bilag er nummereret 'Bilag 1.' under punkt 1")
    assert dup.severity == "advarsel"
    located(dup, folder / "punkter" / "a.yaml", 7, 12)


def test_two_bilag_with_the_same_title(make_meeting):
    item = "titel: T\nbilag:\n  - {titel: Takstbilag 2026, fil: a.pdf}\n  - {titel: \"takstbilag  2026\", fil: b.pdf}\n"
    folder = make_meeting({"a.yaml": item}, bilag={"a.pdf": tiny_pdf(), "b.pdf": tiny_pdf()})
    d = only(apply(content.bilag_titles, folder), "to bilag har titlen 'takstbilag  2026'")
    assert d.severity == "advarsel"
    located(d, folder / "punkter" / "a.yaml", 4, 13)


def test_bilag_titles_pass(make_meeting):
    """The seed titles corrected: Bilag 1., 2., 3. and an unnumbered Sagsbeskrivelse (002 L75)."""
    first, typo, again = _seed_bilag_titles()
    titles = ["Sagsbeskrivelse - Godkendelse af planer", first, typo.replace("Bialg", "Bilag"), again.replace("Bilag 1.", "Bilag 3.")]
    item = "titel: T\nbilag:\n" + "".join(f"  - titel: \"{t}\"\n    fil: {n}.pdf\n" for n, t in enumerate(titles))
    folder = make_meeting({"a.yaml": item}, bilag={f"{n}.pdf": tiny_pdf() for n in range(4)})
    assert apply(content.bilag_titles, folder).items == []


def test_control_character_in_text(make_meeting):
    folder = make_meeting({"a.yaml": "titel: T\nsagsfremstilling: \"Tekst\\x02mere\\x03\"\n"})
    d = only(apply(content.control_characters, folder), "teksten indeholder kontroltegnet U+0002; det vises som '␂'")
    assert d.severity == "advarsel"
    located(d, folder / "punkter" / "a.yaml", 2, 19)


def test_control_character_in_title_and_bilag_title(make_meeting):
    item = "titel: \"Klokke\\a\"\nbilag:\n  - titel: \"Slet\\x7f\"\n    fil: a.pdf\n"
    folder = make_meeting({"a.yaml": item}, bilag={"a.pdf": tiny_pdf()})
    report = apply(content.control_characters, folder)
    located(only(report, "U+0007; det vises som '␇'"), folder / "punkter" / "a.yaml", 1, 8)
    located(only(report, "U+007F; det vises som '␡'"), folder / "punkter" / "a.yaml", 3, 12)


def test_control_characters_pass(make_meeting):
    """Tabs and line breaks are ordinary text; so are '#', '[', '{{', '<b>' and '&' (format.md)."""
    folder = make_meeting({"a.yaml": "titel: T\nsagsfremstilling: |\n  a\tb\n  # [x] {{ y }} <b> &\n"})
    assert apply(content.control_characters, folder).items == []


TASK = "opfølgning:\n  - {{opgave: \"{task}\", ansvarlig: Sekretariatet, frist: 2026-03-01}}\n"


def test_content_rules_read_every_text_of_the_model_not_a_hand_made_list(make_meeting):
    """The rules read the texts a hand-made list named (sections, recommendation, bilag titles; of møde.yaml the
    place, members and guests): a text-reversing character in a presenter's name or a task, a placeholder in a
    task or the meeting's place, and a character the fonts lack in the next meeting's place passed without a
    word, and all of them print. The rules now walk the model, as the privacy checks do."""
    item = ("titel: T\nfremlæggere: [\"Anne \u202eAndersen\"]\nbeslutning: Godkendt.\n"
            + TASK.format(task="Notat sendes [indsæt dato] \\u202e"))
    meeting = edited(base(), ("form: fysisk}", "form: fysisk, sted: \"Mødelokale \u6F22\"}"),
                     ("sted: Mødelokale 1, Aalborg", "sted: \"[indsæt lokale], Aalborg\""))
    folder = make_meeting({"a.yaml": item}, meeting=meeting)
    item_file, meeting_file = folder / "punkter" / "a.yaml", folder / "møde.yaml"
    report = apply(content.control_characters, folder)
    reversing = [d for d in report.items if "U+202E" in d.message]
    assert [(d.severity, d.location.line) for d in reversing] == [("fejl", 2), ("fejl", 5)], report.lines()
    assert reversing[0].location.path == reversing[1].location.path == item_file
    placeholders = apply(content.placeholders, folder)
    found = [only(placeholders, "pladsholder '[indsæt dato]'"), only(placeholders, "pladsholder '[indsæt lokale]'"),
             only(apply(content.unprintable_in_pdf, folder), "'漢' (U+6F22) findes ikke i PDF-skrifttyperne")]
    assert [(d.location.path, d.location.line) for d in found] == [(item_file, 5), (meeting_file, 6),
                                                                   (meeting_file, 16)]


def test_character_missing_from_the_pdf_fonts(make_meeting):
    folder = make_meeting({"a.yaml": "titel: T\nsagsfremstilling: |\n  Dansk tekst.\n  Ordet 漢字 og 🦜.\n"})
    d = only(apply(content.unprintable_in_pdf, folder), "findes ikke i PDF-skrifttyperne og vises som '\ufffd' i PDF'en")
    assert d.severity == "advarsel"
    assert "'漢' (U+6F22)" in d.message and "'🦜' (U+1F99C)" in d.message
    located(d, folder / "punkter" / "a.yaml", 4)


def test_unprintable_in_pdf_pass(make_meeting):
    """Danish letters and the typography of the seeds (§, –, „“, …, €, ½) are in the bundled fonts."""
    folder = make_meeting({"a.yaml": "titel: Æbler, Øer og Åer\nsagsfremstilling: \"SEL § 107 – „tekst“ … 5 € ½ • é\"\n"})
    assert apply(content.unprintable_in_pdf, folder).items == []


# --------------------------------------------------------------------------------------------------
# `referat validate` on the command line

LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+)(?::(?P<col>\d+))?: (?P<sev>fejl|advarsel): (?P<msg>.+)$")


def test_cli_exit_1_when_any_error(run, make_meeting):
    folder = make_meeting({"a.yaml": "titel: T\nsagsfremstilling: \"[Skriv]\"\nbilag:\n  - titel: Plan\n    fil: mangler.pdf\n"})
    code, out, err = run("validate", folder)
    assert code == 1
    lines = err.splitlines()
    expected = f"{Location(folder / 'punkter' / 'a.yaml', 5, 10).format()}: fejl: bilagsfilen bilag/mangler.pdf findes ikke"
    assert expected in lines
    assert f"{Location(folder / 'punkter' / 'a.yaml', 2, 19).format()}: advarsel: pladsholder '[Skriv]' står stadig i teksten" in lines
    assert lines[-1] == "1 fejl, 1 advarsel"
    assert all(LINE.match(line) for line in lines[:-1]), lines
    assert "gyldig" not in out


def test_cli_exit_0_with_only_warnings(run, make_meeting):
    folder = make_meeting({"a.yaml": "titel: T\nsagsfremstilling: |\n  Tekst.\n  TODO\n"})
    code, out, err = run("validate", folder)
    assert code == 0
    lines = err.splitlines()
    m = LINE.match(lines[0])
    assert m and m["sev"] == "advarsel" and m["line"] == "4" and m["col"] is None
    assert m["path"] == Location(folder / "punkter" / "a.yaml").format()
    assert lines[-1] == "0 fejl, 1 advarsel"
    assert out.strip() == f"{folder}: gyldig (med advarsler)"


def test_cli_exit_0_clean(run, make_meeting):
    folder = make_meeting()
    code, out, err = run("validate", folder)
    assert (code, err) == (0, "")
    assert out.strip() == f"{folder}: gyldig"


def test_cli_reports_every_problem_in_file_order(run, make_meeting):
    """All problems at once: møde.yaml first, then the items in meeting order, each by line."""
    meeting = edited(base(items="a.yaml, b.yaml"), ("til_stede: [Anne Andersen]", "til_stede: [Anne Andersn]"))
    folder = make_meeting({"a.yaml": "titel: T\nresumé: \"XX\"\nbaggrund: \"TODO\"\n",
                           "b.yaml": "titel: U\nsagsnummer: \"12\"\n"}, meeting=meeting)
    code, _, err = run("validate", folder)
    assert code == 1
    located_lines = [LINE.match(line) for line in err.splitlines()[:-1]]
    assert all(located_lines)
    order = [(Path(m["path"]).name, int(m["line"])) for m in located_lines]  # type: ignore[index]
    assert order == [("møde.yaml", 12), ("a.yaml", 2), ("a.yaml", 3), ("b.yaml", 2)]


# --------------------------------------------------------------------------------------------------
# bilag.py: previous minutes attached by reference (002 L26–27 "DAS Social referat (ekskl. bilag) den 17.11.25")

def test_previous_minutes_reference_must_be_a_meeting_in_phase_referat(make_meeting):
    make_meeting({"a.yaml": "titel: T\n"}, fase="dagsorden", name="forrige")
    item = "titel: T\nbilag:\n  - titel: Referat\n    referat: ../forrige\n"
    folder = make_meeting({"a.yaml": item}, name="nu")
    d = only(apply(bilag.previous_minutes, folder), "står stadig i fasen 'dagsorden'")
    assert d.severity == "fejl"
    located(d, folder / "punkter" / "a.yaml", 4, 14)


def test_previous_minutes_reference_to_valid_minutes_passes(make_meeting):
    make_meeting({"a.yaml": "titel: T\nbeslutning: Godkendt\n"}, fase="referat", name="forrige")
    item = "titel: T\nbilag:\n  - titel: Referat\n    referat: ../forrige\n"
    folder = make_meeting({"a.yaml": item}, name="nu")
    assert not apply(bilag.previous_minutes, folder).items


_ARCHIVED = "titel: Godkendelse af referat fra seneste møde\nbilag:\n  - titel: Referat\n    arkiv: {ref}\n"


def test_archived_minutes_without_an_archive(make_meeting):
    """002 L18–31: item 2 attaches the previous (signed) minutes; here there is no arkiv/ folder to take them from."""
    folder = make_meeting({"a.yaml": _ARCHIVED.format(ref="das-social/2025-11-17")})
    d = only(apply(bilag.archived_minutes, folder, **with_archive()),
             "der er ingen arkiv/-mappe i eller over mødets mappe, så 'das-social/2025-11-17' kan ikke findes")
    assert d.severity == "fejl"
    located(d, folder / "punkter" / "a.yaml", 4, 12)


def test_archived_minutes_not_in_the_archive(make_meeting, tmp_path):
    (tmp_path / "arkiv").mkdir()
    folder = make_meeting({"a.yaml": _ARCHIVED.format(ref="das-social/2025-11-17")})
    d = only(apply(bilag.archived_minutes, folder, **with_archive()), "har intet underskrevet referat 'das-social/2025-11-17'")
    assert d.severity == "fejl"
    located(d, folder / "punkter" / "a.yaml", 4, 12)


def test_archived_minutes_reference_in_the_wrong_form(make_meeting, tmp_path):
    (tmp_path / "arkiv").mkdir()
    folder = make_meeting({"a.yaml": _ARCHIVED.format(ref="das-social/17-11-2025")})
    d = only(apply(bilag.archived_minutes, folder, **with_archive()), "'das-social/17-11-2025' er ikke en arkivhenvisning; skriv udvalg/ÅÅÅÅ-MM-DD")
    assert d.severity == "fejl"
    located(d, folder / "punkter" / "a.yaml", 4, 12)


def test_archived_minutes_pass_without_archive_references(make_meeting):
    """Bilag given as files need no archive (a stored, signed version is exercised in test_sign_archive.py)."""
    folder = make_meeting({"a.yaml": "titel: T\nbilag: [{titel: Referat, fil: a.pdf}]\n"}, bilag={"a.pdf": tiny_pdf()})
    assert apply(bilag.archived_minutes, folder, **with_archive()).items == []


def test_previous_minutes_that_refer_to_each_other_are_a_ring(make_meeting):
    """Two meetings attaching each other's minutes must end in a message, not a recursion."""
    ref = "titel: T\nbeslutning: Godkendt\nbilag:\n  - titel: Referat\n    referat: ../{other}\n"
    make_meeting({"a.yaml": ref.format(other="b")}, fase="referat", name="a")
    folder = make_meeting({"a.yaml": ref.format(other="a")}, fase="referat", name="b")
    report = apply(bilag.previous_minutes, folder)
    assert report.errors and "henvisningerne går i ring" in report.errors[0].message


def test_lead_in_addressing_nobody_in_particular_is_not_flagged(make_meeting):
    """'Det indstilles, at det godkendes' names no body: no warning (only bodies the profile lists count)."""
    item = "titel: T\nsagsfremstilling: Det indstilles, at det godkendes.\n"
    assert not apply(content.recommendation_addressee, make_meeting({"a.yaml": item})).items
    item = "titel: T\nsagsfremstilling: Det indstilles, at forretningsudvalget godkender.\n"
    d = only(apply(content.recommendation_addressee, make_meeting({"a.yaml": item}, name="m2")), "er rettet til")
    assert "'forretningsudvalget'" in d.message  # spelled as in the text


@pytest.mark.parametrize(("name", "data", "needle"), [
    ("billede.png", b"GIF89a not a png", "er ikke en gyldig PNG-fil"),
    ("foto.jpg", b"\x89PNG\r\n\x1a\n", "er ikke en gyldig JPG-fil"),
    ("skema.xlsx", b"a;b;c\n1;2;3\n", "er ikke en gyldig XLSX-fil"),
    ("skema.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "krypteret med adgangskode eller gemt i det gamle"),
])
def test_bilag_that_is_not_what_its_name_says(make_meeting, name, data, needle):
    item = f"titel: T\nbilag:\n  - titel: B\n    fil: {name}\n"
    folder = make_meeting({"a.yaml": item}, bilag={name: data})
    d = only(apply(bilag.bilag_files, folder), needle)
    assert d.severity == "fejl"
    located(d, folder / "punkter" / "a.yaml", 4, 10)


def test_empty_case_number_means_none_and_is_not_flagged(make_meeting):
    """003 L2249–2251: a substantive item printed without a case number is written `sagsnummer: ""`."""
    folder = make_meeting({"a.yaml": 'titel: T\nsagsnummer: ""\n'})
    assert not apply(structure.case_numbers, folder).items
    assert not apply(structure.item_types, folder).items
    from referat.view.document import document_view

    meeting, _ = load_meeting(folder)
    assert document_view(meeting, "dagsorden")["items"][0]["case_number"] is None
