"""Every problem at once, really (issue 10, item 7): a schema error in one file does not stop the checks of the
other files, and within a file the other keys are still checked."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from conftest import MEETING, dedent
from referat.diagnostics import Location, Report
from referat.load.meeting import ITEM_PLACEHOLDERS, MEETING_PLACEHOLDERS
from referat.load.parse import parse_model
from referat.model.item import Item
from referat.model.meeting import Meeting
from referat.validate import validate_folder as check_meeting

ROOT = Path(__file__).resolve().parents[1]


def lines(report) -> list[str]:  # type: ignore[no-untyped-def]
    return [f"{d.location.path.name}:{d.location.line}: {d.severity}: {d.message}" for d in report.items]


def has(report, file: str, line: int | None, needle: str) -> None:  # type: ignore[no-untyped-def]
    hits = [d for d in report.items
            if d.location.path.name == file and d.location.line == line and needle in d.message]
    assert len(hits) == 1, "\n".join(lines(report))


def test_a_misspelt_key_does_not_hide_the_other_checks_of_the_same_file(make_meeting) -> None:
    folder = make_meeting({"a.yaml": """\
        titel: Et punkt
        resume: x
        fremlæggere: [Ukendt Person]
        sagsfremstilling: Beløbet er XXX kr.
        """, "b.yaml": "titel: XXX\n"})
    _, report = check_meeting(folder)
    has(report, "a.yaml", 2, "ukendt nøgle 'resume'; mente du 'resumé'?")
    has(report, "a.yaml", 3, "fremlæggeren 'Ukendt Person' står ikke som deltager")
    has(report, "a.yaml", 4, "pladsholder")
    has(report, "b.yaml", 1, "pladsholder")


def test_a_bad_date_in_the_meeting_file_does_not_stop_the_rest(make_meeting) -> None:
    meeting = dedent(MEETING.format(fase="referat", items="a.yaml")).replace("dato: 2026-02-23", "dato: 2027-02-30")
    meeting = meeting.replace("til_stede: [Anne Andersen]", "til_stede: [Anne Andersen, Hans Hansen]")
    folder = make_meeting({"a.yaml": "titel: T\nresume: x\nbeslutning: Godkendt.\n"}, meeting=meeting)
    meeting_at, report = check_meeting(folder)
    assert meeting_at is not None and "dato" in meeting_at.broken
    has(report, "møde.yaml", 3, "'2027-02-30' er ikke en gyldig dato: 30. februar 2027 findes ikke")
    has(report, "møde.yaml", 12, "'Hans Hansen' står ikke på medlemslisten")
    has(report, "a.yaml", 2, "ukendt nøgle 'resume'")
    # a rule that needs the date is skipped, not run against a stand-in: no message about the next meeting
    assert not [d for d in report.items if "næste møde" in d.message], lines(report)


def test_missing_required_keys_of_the_meeting_file_do_not_stop_the_rest(make_meeting) -> None:
    meeting = dedent(MEETING.format(fase="dagsorden", items="a.yaml"))
    meeting = meeting.replace('start: "12.00"\n', "").replace("fase: dagsorden\n", "fase: udkast\n")
    folder = make_meeting({"a.yaml": "titel: T\nfremlæggere: [Nogen Andre]\n"}, meeting=meeting)
    _, report = check_meeting(folder)
    has(report, "møde.yaml", 2, "'udkast' er ikke en gyldig værdi")
    has(report, "møde.yaml", 1, "mangler den påkrævede nøgle 'start'")
    has(report, "a.yaml", 2, "fremlæggeren 'Nogen Andre' står ikke som deltager")
    assert not [d for d in report.items if "slutter" in d.message], lines(report)


def test_an_unknown_committee_does_not_stop_the_rest(make_meeting) -> None:
    meeting = dedent(MEETING.format(fase="dagsorden", items="a.yaml")).replace("udvalg: das-social",
                                                                                "udvalg: das-socal")
    meeting = meeting.replace("fraværende: [Bo Bertelsen]", "fraværende: [Bo Bertelsen, Bo Bertelsen]")
    folder = make_meeting({"a.yaml": "titel: T\ntidspunkt: 25.00-26.00\n"}, meeting=meeting)
    _, report = check_meeting(folder)
    has(report, "møde.yaml", 1, "udvalgsprofilen 'das-socal' findes ikke i templates/udvalg/; mente du 'das-social'?")
    # the meeting has its own roster, so the attendance rules still run
    has(report, "møde.yaml", 13, "'Bo Bertelsen' står to gange under fraværende")
    has(report, "a.yaml", 2, "'25.00' er et umuligt klokkeslæt")


def test_a_broken_profile_does_not_stop_the_meeting_checks(make_meeting, run, tmp_path: Path) -> None:
    templates = tmp_path / "skabeloner"
    (templates / "udvalg").mkdir(parents=True)
    profile = (ROOT / "templates" / "udvalg" / "das-social.yaml").read_text("utf-8") + "farve: rød\n"
    (templates / "udvalg" / "das-social.yaml").write_text(profile, "utf-8")
    folder = make_meeting({"a.yaml": "titel: T\nadgang: halvåben\n"})
    code, _, err = run("validate", folder, "--skabeloner", templates)
    assert code == 1
    assert "das-social.yaml:" in err and "ukendt nøgle 'farve'" in err
    assert "a.yaml:2:9: fejl: 'halvåben' er ikke en gyldig værdi" in err


def test_bad_list_entries_are_set_aside_and_later_entries_keep_their_lines(make_meeting) -> None:
    """A bad bilag or indstilling point is dropped; the messages about the next ones still name their own line."""
    folder = make_meeting({"a.yaml": """\
        titel: T
        indstilling:
          - [ikke, tekst]
          - Godkender XXX
          - tekst: Noterer
            underpunkter: [a, 7]
          - Tager TODO til efterretning
        bilag:
          - titel: Bilag 1
            ofentlig: false
          - titel: Bilag 2
            fil: mangler.pdf
        """})
    meeting, report = check_meeting(folder)
    assert meeting is not None
    has(report, "a.yaml", 3, "skal være")
    has(report, "a.yaml", 4, "pladsholder")
    has(report, "a.yaml", 6, "skal være tekst")
    has(report, "a.yaml", 7, "huskenote")
    has(report, "a.yaml", 10, "ukendt nøgle 'ofentlig'; mente du 'offentlig'?")
    has(report, "a.yaml", 9, "et bilag skal have enten 'fil'")  # found once the bad key is set aside
    has(report, "a.yaml", 12, "bilag/mangler.pdf findes ikke")
    item = meeting.items[0]
    points = item.recommendation or []
    assert [p.text for p in points] == ["Godkender XXX", "Noterer", "Tager TODO til efterretning"]
    assert points[1].subpoints == ["a"]
    assert [b.file for b in item.bilag] == ["mangler.pdf"]


def test_a_broken_item_list_is_reported_without_a_traceback(make_meeting, run) -> None:
    meeting = dedent(MEETING.format(fase="dagsorden", items="a.yaml")).replace("punkter: [a.yaml]",
                                                                                "punkter: a.yaml")
    meeting = meeting.replace("i_stedet_for: Bo Bertelsen", "i_stedet_for: Anne Andersen")
    folder = make_meeting({"a.yaml": "titel: T\n"}, meeting=meeting)
    code, _, err = run("validate", folder)
    assert code == 1
    shown = Location(folder / "møde.yaml").format()
    assert f"{shown}:17:10: fejl: skal være en liste" in err, err
    assert f"{shown}:15:90: fejl: " in err and "men 'Anne Andersen' står ikke som fraværende" in err


def test_a_meeting_read_only_in_part_is_never_built(make_meeting, run, tmp_path: Path) -> None:
    meeting = dedent(MEETING.format(fase="dagsorden", items="a.yaml")).replace("dato: 2026-02-23", "dato: 2026-13-01")
    folder = make_meeting({"a.yaml": "titel: [T]\n"}, meeting=meeting)
    code, _, err = run("build", folder, "--format", "txt", "--out", tmp_path / "out")
    assert code == 1
    assert "måned 13 findes ikke" in err and "a.yaml:1:8: fejl: skal være tekst" in err
    assert err.splitlines()[-1] == "2 fejl, 0 advarsler"
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------------------------------------------------------
# Setting bad values aside never fails and never hides an error: for any data of roughly the right shape, reading
# gives no exception, an error whenever the model refuses the data, and a model whose every value the model accepts.

_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 30), st.floats(-1, 30, allow_nan=False),
                     st.sampled_from(["", "x", "åben", "Lukket", "ja", "12.00", "2026-02-30", "2026-02-23",
                                      "09.00-10.00", "a.pdf", "a\x00b", "das-social", "../x", "referat"]))
_VALUES = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=3)
                       | st.dictionaries(st.sampled_from(["tekst", "titel", "fil", "navn", "x", "dato",
                                                          "underpunkter", "offentlig", "til_stede"]), inner,
                                         max_size=3), max_leaves=8)


def _data(model: type) -> st.SearchStrategy[dict]:  # type: ignore[type-arg]
    keys = [f.alias or name for name, f in model.model_fields.items()] + ["ukendt", "titlel"]
    return st.dictionaries(st.sampled_from(keys), _VALUES, max_size=8)


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(item=_data(Item), meeting=_data(Meeting))
def test_reading_never_fails_and_never_hides_an_error(tmp_path: Path, item: dict, meeting: dict) -> None:  # type: ignore[type-arg]
    for model, data, placeholders in ((Item, item, ITEM_PLACEHOLDERS), (Meeting, meeting, MEETING_PLACEHOLDERS)):
        path = tmp_path / "fil.yaml"
        path.write_text(json.dumps(data, ensure_ascii=False) or "{}", "utf-8")  # JSON is YAML
        report = Report()
        obj = parse_model(path, model, report, placeholders=placeholders)
        try:
            model.model_validate(data)
            valid = True
        except ValidationError:
            valid = False
        assert report.has_errors is not valid, report.lines()
        if obj is not None and not valid:
            assert obj._broken or report.errors  # read in part: what is missing is known
