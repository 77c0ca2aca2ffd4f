"""One public filter (issue 22, item 5): one test per case of "the public edition is filtered in some outputs and
not others" — each failed before the filter was one walk over the model, the CPR pattern took any space or dash,
misspelt markers were errors, and the leak check covered packets and the site (with its manifest)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from conftest import Run, absolute_run, dedent, replace_in, text_pdf, write_meeting
from readback import files_below, flat, readable


@pytest.fixture
def run(run: Run) -> Run:
    """These tests name files as `f"{path}: fejl: …"`: paths in the output absolute, wherever the clone sits."""
    return absolute_run(run)

PLACE, GUEST, NEXT_PLACE = "Hemmelighusvej 7", "Clausenhemmelig", "Skjultstedvej 12"

SPANS_MEETING = """\
udvalg: das-social
fase: referat
dato: 2026-02-23
start: "12.00"
slut: "16.00"
sted: "Borgerens hjem, [[skjul: Hemmelighusvej 7 | Offentlighedslovens § 30, nr. 1]]"
sagsnummer: 2026-005746
medlemmer:
  - {navn: Anne Andersen, titel: Socialdirektør, organisation: Aalborg Kommune}
  - {navn: Bo Bertelsen, titel: Socialdirektør, organisation: Rebild Kommune}
fremmøde:
  til_stede: [Anne Andersen]
  fraværende: [Bo Bertelsen]
  øvrige:
    - navn: "Carl [[skjul: Clausenhemmelig | § 30]]"
      titel: Konsulent
      organisation: Rebild Kommune
      i_stedet_for: Bo Bertelsen
næste_møde:
  dato: 2026-05-22
  start: "12.00"
  slut: "16.00"
  form: fysisk
  sted: "[[skjul: Skjultstedvej 12 | privat adresse]]"
punkter: [01-dagsorden.yaml]
"""

AGENDA_ITEM = "titel: Godkendelse af dagsorden\ntype: standard\nbeslutning: Godkendt\n"


def agenda_meeting(item: str, date: str = "2026-02-23") -> str:
    """SPANS_MEETING before the meeting (fase: dagsorden) with the one item `item`."""
    return (dedent(SPANS_MEETING).replace("fase: referat", "fase: dagsorden").replace("dato: 2026-02-23", f"dato: {date}")
            .replace("punkter: [01-dagsorden.yaml]", f"punkter: [{item}]"))


def _public(folder: Path) -> list[Path]:
    return [p for p in files_below(folder) if "offentlig" in p.name or p.parent != folder]


def test_spans_in_place_guest_and_next_meeting_stay_out_of_every_public_output(run: Run, tmp_path: Path) -> None:
    folder = write_meeting(tmp_path / "møde", {"01-dagsorden.yaml": AGENDA_ITEM}, SPANS_MEETING)
    out = tmp_path / "ud"
    code, _, err = run("build", folder, "--offentlig", "--format", "txt,html,pdf,docx", "--out", out)
    assert code == 0, err
    code, _, err = run("publish", "--site", tmp_path / "site", folder)
    assert code == 0, err
    public = [p for p in files_below(out) if "offentlig" in p.name and not p.name.endswith("kontrol.txt")]
    assert {p.name for p in public} >= {"referat-offentlig.txt", "referat-offentlig.html", "referat-offentlig.pdf",
                                        "referat-offentlig.docx"}
    site = files_below(tmp_path / "site")
    assert {p.name for p in site} >= {"moeder.ics", "index.html", "feed.atom", "beslutninger.html"}
    found = [(p.name, secret) for p in public + site for secret in (PLACE, GUEST, NEXT_PLACE)
             if flat(secret) in flat(readable(p))]
    assert found == []
    # … where the public edition marks the spans, and the internal one prints them (so the check above can fail)
    text = (out / "referat-offentlig.txt").read_text("utf-8")
    assert "Borgerens hjem, […]" in text and "Carl […], Konsulent" in text
    assert "LOCATION:[…]" in (tmp_path / "site" / "moeder.ics").read_text("utf-8")
    internal = (out / "referat.txt").read_text("utf-8")
    assert PLACE in internal and GUEST in internal


MISSPELT = """\
titel: Sag
sagsfremstilling: |
  Borgeren [[skjul Jens Hansen]] har klaget.
  Naboen [skjul: Anne Andersen] har klaget.
  Sønnen [[skjul; Bo Berg | § 30]] har klaget.
  Datteren {{skjul: Dorte Dam}} har klaget.
  Korrekt: [[skjul: Eva Eriksen | § 30]].
"""


def test_misspelt_markers_are_located_errors(run: Run, tmp_path: Path) -> None:
    meeting = agenda_meeting("01-sag.yaml").replace(
        'sted: "Borgerens hjem, [[skjul: Hemmelighusvej 7 | Offentlighedslovens § 30, nr. 1]]"',
        'sted: "Lokale [skjul: 7]"')
    folder = write_meeting(tmp_path / "møde", {"01-sag.yaml": MISSPELT}, meeting)
    code, _, err = run("validate", folder)
    assert code == 1
    item = folder / "punkter" / "01-sag.yaml"
    message = ("ligner en skjul-markering, men er ikke skrevet som en, så teksten kommer med i de offentlige "
               "udgaver, som den står")
    for line, col, written in ((3, 12, "[[skjul Jens Hansen]]"), (4, 10, "[skjul: Anne Andersen]"),
                               (5, 10, "[[skjul; Bo Berg | § 30]]"), (6, 12, "{{skjul: Dorte Dam}}")):
        assert f"{item}:{line}:{col}: fejl: '{written}' {message}" in err, err
    assert f"{folder / 'møde.yaml'}:6:15: fejl: '[skjul: 7]' {message}" in err, err
    assert "Eva Eriksen" not in err  # the well-formed span is not a message
    code, _, err = run("build", folder, "--offentlig", "--format", "txt", "--out", tmp_path / "ud")
    assert code == 1 and not (tmp_path / "ud").exists()


CPRS = """\
titel: Sag
type: orientering
sagsfremstilling: |
  Mellemrum: 010190 1234.
  Hårdt mellemrum: 010190\u00a01234.
  Tankestreg: 010190\u20141234.
  Minus: 010190\u22121234.
  Bindestreg med luft: 010190 - 1234.
  Ikke CPR: sagsnummer 2026-005746, dato 320190 1234, 12010190 12345.
"""


def test_cpr_numbers_with_any_space_or_dash_are_found(run: Run, tmp_path: Path) -> None:
    folder = write_meeting(tmp_path / "møde", {"01-sag.yaml": CPRS}, agenda_meeting("01-sag.yaml"))
    code, _, err = run("validate", folder, "--offentlig")
    assert code == 1
    item = folder / "punkter" / "01-sag.yaml"
    for line, col, written in ((4, 14, "010190 1234"), (5, 20, "010190\u00a01234"), (6, 15, "010190\u20141234"),
                               (7, 10, "010190\u22121234"), (8, 24, "010190 - 1234")):
        assert f"{item}:{line}:{col}: fejl: '{written}' ligner et CPR-nummer" in err, (written, err)
    assert err.count("ligner et CPR-nummer") == 5, err  # no false alarm in the last line
    assert run("validate", folder)[0] == 0  # only a public edition is stopped


def _with_bilag(tmp_path: Path, pdf: bytes) -> Path:
    item = "titel: Sag\ntype: orientering\nbilag:\n  - titel: Notat fra kommunen\n    fil: notat.pdf\n"
    return write_meeting(tmp_path / "møde", {"01-sag.yaml": item}, agenda_meeting("01-sag.yaml"),
                         bilag={"notat.pdf": pdf})


def test_a_public_packet_is_leak_checked_like_the_web_edition(run: Run, tmp_path: Path) -> None:
    """A public bilag holding a CPR number (written with a space) is refused by the packet as by the web edition."""
    folder = _with_bilag(tmp_path, text_pdf("Borgerens CPR-nummer er 010190 1234."))
    code, _, err = run("packet", folder, "--dokument", "dagsorden", "--offentlig", "--out", tmp_path / "pakke")
    assert code == 1
    assert "den offentlige udgave indeholder skjult tekst og er ikke skrevet" in err
    assert "dagsordenspakke-offentlig.pdf (tekstlag): CPR-nummer" in err
    assert not (tmp_path / "pakke").exists()
    code, _, err = run("build", folder, "--dokument", "dagsorden", "--format", "html", "--offentlig",
                       "--out", tmp_path / "web")
    assert code == 1 and "bilag-1-1.pdf (tekstlag): CPR-nummer" in err
    # the internal packet alone is not stopped
    assert run("packet", folder, "--dokument", "dagsorden", "--out", tmp_path / "intern")[0] == 0


def test_a_clean_public_packet_gets_its_control_report(run: Run, tmp_path: Path) -> None:
    folder = _with_bilag(tmp_path, text_pdf("Et notat uden personoplysninger."))
    code, _, err = run("packet", folder, "--dokument", "dagsorden", "--offentlig", "--out", tmp_path / "pakke")
    assert code == 0, err
    report = (tmp_path / "pakke" / "dagsordenspakke-offentlig-kontrol.txt").read_text("utf-8")
    assert "Filer: dagsorden-offentlig.pdf, dagsordenspakke-offentlig.pdf" in report
    assert "Resultat: intet af det skjulte og ingen CPR-numre blev fundet." in report


# ---- the site: every page leak-checked, and what is no longer linked removed ----------------------------------

OPEN_WITH_BILAG = "titel: Sag om et tilbud\ntype: orientering\nbilag:\n  - titel: Notat\n    fil: notat.pdf\n"


def _site_meeting(tmp_path: Path, name: str = "møde", date: str = "2026-02-23") -> Path:
    return write_meeting(tmp_path / name, {"01-sag.yaml": OPEN_WITH_BILAG}, agenda_meeting("01-sag.yaml", date),
                         bilag={"notat.pdf": text_pdf("Notat om tilbuddet.")})


def _manifest(site: Path) -> dict[str, object]:
    data = json.loads((site / ".referat-site.json").read_text("utf-8"))
    assert isinstance(data, dict)
    return data


def test_republishing_removes_the_bilag_of_an_item_closed_since(run: Run, tmp_path: Path) -> None:
    folder = _site_meeting(tmp_path)
    site = tmp_path / "site"
    assert run("publish", "--site", site, folder)[0] == 0
    bilag = site / "das-social" / "2026-02-23" / "bilag-1-1.pdf"
    assert bilag.is_file()
    files = _manifest(site)["filer"]
    assert isinstance(files, dict)
    assert files["das-social/2026-02-23/bilag-1-1.pdf"] == hashlib.sha256(bilag.read_bytes()).hexdigest()
    foreign = site / "das-social" / "2026-02-23" / "egen-note.txt"  # a file referat did not write
    foreign.write_text("skrevet af webmasteren", "utf-8")
    replace_in(folder / "punkter" / "01-sag.yaml", "type: orientering",
               "type: orientering\nadgang: lukket\nlukket_grundlag: Offentlighedslovens § 30, nr. 1")
    code, out, err = run("publish", "--site", site, folder)
    assert code == 0, err
    assert not bilag.exists()
    assert f"slettede {bilag} (hører ikke længere til webstedet)" in out
    assert foreign.read_text("utf-8") == "skrevet af webmasteren"
    assert "das-social/2026-02-23/bilag-1-1.pdf" not in _manifest(site)["filer"]  # type: ignore[operator]
    assert "tidligere" not in _manifest(site)


def test_a_meeting_no_longer_published_goes_and_a_changed_file_stays(run: Run, tmp_path: Path) -> None:
    first, second = _site_meeting(tmp_path, "a"), _site_meeting(tmp_path, "b", "2026-03-30")
    site = tmp_path / "site"
    assert run("publish", "--site", site, first, second)[0] == 0
    meeting = site / "das-social" / "2026-03-30"
    assert (meeting / "bilag-1-1.pdf").is_file()
    changed = site / "das-social" / "2026-02-23" / "bilag-1-1.pdf"
    code, _, err = run("publish", "--site", site, second)
    assert code == 0, err
    assert changed.exists() is False and (site / "das-social" / "2026-02-23").exists() is False  # folder gone too
    assert (meeting / "bilag-1-1.pdf").is_file()
    # a file referat wrote and someone changed since is left, with a warning
    assert run("publish", "--site", site, first, second)[0] == 0
    changed.write_bytes(changed.read_bytes() + b"\n% rettet i haanden\n")
    code, _, err = run("publish", "--site", site, second)
    assert code == 0
    assert changed.exists()
    assert f"{changed}: advarsel: filen hører ikke længere til webstedet, men er ændret, efter referat skrev den" in err


def test_the_manifest_never_removes_a_file_outside_the_site(run: Run, tmp_path: Path) -> None:
    folder = _site_meeting(tmp_path)
    site = tmp_path / "site"
    assert run("publish", "--site", site, folder)[0] == 0
    outside = tmp_path / "udenfor.txt"
    outside.write_text("må ikke slettes", "utf-8")
    (tmp_path / "andet").mkdir()
    linked = tmp_path / "andet" / "fil.txt"
    linked.write_text("heller ikke denne", "utf-8")
    (site / "link").symlink_to(tmp_path / "andet")
    data = _manifest(site)
    digest = hashlib.sha256(outside.read_bytes()).hexdigest()
    data["filer"] = {**data["filer"], "../udenfor.txt": digest, str(outside): digest,  # type: ignore[dict-item]
                     "link/fil.txt": hashlib.sha256(linked.read_bytes()).hexdigest()}
    (site / ".referat-site.json").write_text(json.dumps(data), "utf-8")
    code, _, err = run("publish", "--site", site, folder)
    assert code == 0, err
    assert outside.exists() and linked.exists()
    assert "'../udenfor.txt' er ikke en fil i webstedets mappe og slettes ikke" in err


def test_every_page_of_the_site_is_leak_checked(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The site's own pages (index, register, calendar, feed) are checked like the editions: a page that held a
    closed item's text or a CPR number stops `publish` before anything is written."""
    closed = ("titel: Personalesag\nadgang: lukket\nlukket_grundlag: Offentlighedslovens § 30, nr. 1\n"
              "resumé: |\n  Ansættelsesudvalget indstiller Kandidat Hemmeligsen.\n")
    folder = write_meeting(tmp_path / "møde", {"01-lukket.yaml": closed}, agenda_meeting("01-lukket.yaml"))
    from referat.app import publish

    real = publish.site_pages  # the site's own pages, from every meeting (issue 28: also when a meeting is kept)
    for page, added in (("feed.atom", "Ansættelsesudvalget indstiller Kandidat Hemmeligsen."),
                        ("moeder.ics", "010190 1234"), ("beslutninger.html", "Hemmelighusvej 7")):
        def leaky(site: Path, entries: list[object], page: str = page, added: str = added) -> dict[Path, bytes]:
            out = real(site, entries)  # type: ignore[arg-type]
            out[site / page] += added.encode()
            return out

        monkeypatch.setattr(publish, "site_pages", leaky)
        code, _, err = run("publish", "--site", tmp_path / "site", folder)
        assert code == 1, page
        assert f"{page} (tekst og HTML)" in err, err
        assert not (tmp_path / "site").exists()
    monkeypatch.setattr(publish, "site_pages", real)
    assert run("publish", "--site", tmp_path / "site", folder)[0] == 0


# ---- the walk itself --------------------------------------------------------------------------------------------


def test_the_walk_reads_text_and_leaves_data_alone(tmp_path: Path) -> None:
    """File names, clock times and the committee id are data (their types are marked NotText): the filter leaves
    them as they are; every other string is text. A copy keeps what the loader set (item number, bilag path)."""
    from referat.load.meeting import load_meeting
    from referat.model.texts import text_fields, with_texts

    item = ('titel: "Sag [[skjul: A | g]]"\ntidspunkt: 09.00-10.00\nbilag:\n  - titel: "Notat [[skjul: B | g]]"\n'
            '    fil: notat.pdf\nopfølgning:\n  - {opgave: "Ring til [[skjul: C | g]]", ansvarlig: D, frist: 2026-03-01}\n')
    folder = write_meeting(tmp_path / "møde", {"01-sag.yaml": item}, agenda_meeting("01-sag.yaml"),
                           bilag={"notat.pdf": text_pdf("x")})
    meeting, report = load_meeting(folder)
    assert meeting is not None and not report.has_errors, report.lines()
    keys = {path[0] for path, _ in text_fields(meeting)}
    assert {"sted", "fremmøde", "næste_møde", "medlemmer", "sagsnummer"} <= keys
    assert not keys & {"udvalg", "start", "slut", "punkter", "fase", "dato"}
    paths = {path for path, _ in text_fields(meeting.items[0])}
    assert {("titel",), ("bilag", 0, "titel"), ("opfølgning", 0, "opgave"), ("opfølgning", 0, "ansvarlig")} <= paths
    assert not any(p[-1] in ("fil", "tidspunkt", "frist", "status", "adgang") for p in paths)
    copy = with_texts(meeting.items[0], str.upper)
    assert copy.title == "SAG [[SKJUL: A | G]]" and copy.bilag[0].file == "notat.pdf"
    assert copy.number == meeting.items[0].number and copy.bilag[0].path == meeting.items[0].bilag[0].path
    assert meeting.items[0].title == "Sag [[skjul: A | g]]"  # the original is untouched


def test_a_closed_items_public_edition_holds_only_what_it_prints(tmp_path: Path) -> None:
    from referat.load.meeting import load_meeting
    from referat.model.texts import text_fields
    from referat.view.edition import edition

    closed = ("titel: Personalesag\nadgang: lukket\nlukket_grundlag: Offentlighedslovens § 30, nr. 1\n"
              "fremlæggere: [Anne Andersen]\nresumé: Hemmelig.\nbilag:\n  - {titel: Lønoversigt, fil: l.pdf}\n"
              "opfølgning:\n  - {opgave: Ring til kandidaten, ansvarlig: Anne Andersen, frist: 2026-03-01}\n")
    folder = write_meeting(tmp_path / "møde", {"01-lukket.yaml": closed}, agenda_meeting("01-lukket.yaml"),
                           bilag={"l.pdf": text_pdf("x")})
    meeting, _ = load_meeting(folder)
    assert meeting is not None
    public = edition(meeting, True)
    assert [p for p, _ in text_fields(public.items[0])] == [("titel",), ("lukket_grundlag",)]
    assert public.items[0].closed and public.items[0].number == "1"
    assert edition(public, True) is public  # made once: the pipeline's copy passes through unchanged
    internal = edition(meeting, False)
    assert internal.items[0].follow_up[0].task == "Ring til kandidaten"
