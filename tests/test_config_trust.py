"""Templates and profiles are configuration, not meeting content (issue 11, item 1).

A meeting folder may come by e-mail from anyone. A `templates/` folder inside it (or beside it, as a mailed zip
unpacks) is never used: the profile and the Word template come from --skabeloner, the project's templates/ and
the bundled copy only, and `udvalg` is an id, never a path.
"""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from pathlib import Path

import docx
import pytest

from referat.diagnostics import Location
from referat.load.profile import project_templates, template_dirs

ROOT = Path(__file__).resolve().parents[1]
REAL_PROFILE = ROOT / "templates" / "udvalg" / "das-social.yaml"
REAL_WORD = ROOT / "templates" / "word" / "dokument.docx"
EVIL = "ONDSINDET PROFIL"
EVIL_WORD = "FALSK SKABELON"


def shown(path: Path) -> str:
    """A path as messages print it."""
    return Location(path).format()


def _evil_word_template() -> bytes:
    """The real Word template with a visible marker and a Jinja expression that would run a command."""
    out = io.BytesIO()
    with zipfile.ZipFile(REAL_WORD) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":  # beside each front-page label
                data = data.replace(b"{{ r.label }}", b"{{ r.label }} " + EVIL_WORD.encode()
                                    + b" {{ cycler.__init__.__globals__.os.getcwd() }}")
            dst.writestr(info, data)
    return out.getvalue()


def _ship_templates(folder: Path) -> Path:
    """A templates/ folder as an attacker would ship it: an evil profile and an evil Word template."""
    templates = folder / "templates"
    (templates / "udvalg").mkdir(parents=True)
    (templates / "word").mkdir()
    profile = REAL_PROFILE.read_text("utf-8").replace("kortnavn: DAS Social", f"kortnavn: {EVIL}")
    profile = profile.replace("navn: Den Administrative Styregruppe\n", f"navn: {EVIL}\n", 1)
    (templates / "udvalg" / "das-social.yaml").write_text(profile, "utf-8")
    (templates / "word" / "dokument.docx").write_bytes(_evil_word_template())
    return templates


def _docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs]
    return "\n".join(parts)


def _assert_real_templates_used(out: Path) -> None:
    text = (out / "dagsorden.txt").read_text("utf-8")
    assert "DAS Social" in text and EVIL not in text  # the real profile's kortnavn (title block, running header)
    word = _docx_text(out / "dagsorden.docx")
    assert "\nTid\n" in word, "the real Word template was not used"
    assert EVIL_WORD not in word and EVIL not in word


@pytest.mark.parametrize("cwd", ["meeting", "beside", "project"])
def test_templates_shipped_inside_a_meeting_folder_are_ignored(make_meeting, run, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch, cwd: str) -> None:
    folder = make_meeting()
    _ship_templates(folder)
    out = tmp_path / "out"
    monkeypatch.chdir({"meeting": folder, "beside": folder.parent, "project": ROOT}[cwd])
    code, _, err = run("build", folder, "--format", "txt,docx", "--out", out)
    assert code == 0, err
    _assert_real_templates_used(out)
    assert "templates: advarsel: mappen bruges ikke" in err


@pytest.mark.parametrize("cwd", ["zip", "meeting"])
def test_a_mailed_zip_with_templates_beside_the_meeting_is_not_trusted(make_meeting, run, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch,
                                                                      cwd: str) -> None:
    """The zip unpacks to pakke/{templates,møde}; standing in either folder uses the real templates."""
    folder = make_meeting(name="pakke/møde")
    _ship_templates(folder.parent)
    out = tmp_path / "out"
    monkeypatch.chdir(folder.parent if cwd == "zip" else folder)
    code, _, err = run("build", folder, "--format", "txt,docx", "--out", out)
    assert code == 0, err
    _assert_real_templates_used(out)
    warned = [line for line in err.splitlines() if "advarsel: mappen bruges ikke" in line]
    assert len(warned) == 1 and warned[0].split(":")[0].endswith("templates")
    assert "fordi den ligger ved siden af mødemappen (som når en zip-fil pakkes ud)" in warned[0]


def test_validate_names_the_ignored_templates_folder(make_meeting, run) -> None:
    folder = make_meeting()
    _ship_templates(folder)
    code, out, err = run("validate", folder)
    assert code == 0 and "gyldig (med advarsler)" in out, err
    line = next(line for line in err.splitlines() if "mappen bruges ikke" in line)
    assert line.startswith(shown(folder / "templates") + ": advarsel: ")
    assert "--skabeloner" in line and "fordi den ligger i mødemappen" in line
    assert "1 advarsel" in err


def test_the_projects_templates_are_found_from_the_working_directory(make_meeting, run, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A project (templates/ + agendas/…) run from its root or from a meeting inside it uses its own profile."""
    project = tmp_path / "projekt"
    (project / "templates" / "udvalg").mkdir(parents=True)
    shutil.copytree(ROOT / "templates" / "word", project / "templates" / "word")
    profile = REAL_PROFILE.read_text("utf-8").replace("kortnavn: DAS Social\n", "kortnavn: Projektets Styregruppe\n", 1)
    (project / "templates" / "udvalg" / "das-social.yaml").write_text(profile, "utf-8")
    folder = make_meeting(name="projekt/agendas/møde")
    for cwd in (project, folder, project / "agendas"):
        monkeypatch.chdir(cwd)
        assert project_templates(folder) == (project / "templates").resolve()
        out = tmp_path / "out" / cwd.name
        code, _, err = run("build", folder, "--format", "txt", "--out", out)
        assert code == 0, err
        assert "Projektets Styregruppe" in (out / "dagsorden.txt").read_text("utf-8")
        assert "mappen bruges ikke" not in err
    # --skabeloner comes first, the bundled copy last
    monkeypatch.chdir(project)
    extra = tmp_path / "ekstra"
    dirs = template_dirs(folder, [extra])
    assert dirs[0] == extra and dirs[1] == (project / "templates").resolve()
    assert all((d / "udvalg").is_dir() for d in dirs[2:]) and len(dirs) >= 3


@pytest.mark.parametrize("value", ["../x", "../../../../etc/evil", "/tmp/evil", "das-social/../../x", "Das Social",
                                   "..", "das_social", "-x", "a" * 300])
def test_udvalg_is_an_id_not_a_path(make_meeting, run, value: str) -> None:
    folder = make_meeting()
    meeting = folder / "møde.yaml"
    meeting.write_text(meeting.read_text("utf-8").replace("udvalg: das-social", f'udvalg: "{value}"'), "utf-8")
    code, _, err = run("validate", folder)
    assert code == 1
    shown_value = value if len(value) <= 80 else value[:77] + "…"
    expected = f"{shown(meeting)}:1:9: fejl: '{shown_value}' er ikke et udvalgs-id"
    assert expected in err, err


def test_a_profile_named_by_a_path_is_never_read(make_meeting, run, tmp_path: Path) -> None:
    """`udvalg: ../../…/evil` must not load a profile that exists at that path."""
    evil = tmp_path / "evil.yaml"
    evil.write_text(REAL_PROFILE.read_text("utf-8").replace("kortnavn: DAS Social", f"kortnavn: {EVIL}"), "utf-8")
    folder = make_meeting()
    meeting = folder / "møde.yaml"
    rel = os.path.relpath(tmp_path / "evil", ROOT / "templates" / "udvalg")
    meeting.write_text(meeting.read_text("utf-8").replace("udvalg: das-social", f'udvalg: "{rel}"'), "utf-8")
    code, _, err = run("build", folder, "--format", "txt", "--out", tmp_path / "out")
    assert code == 1 and "er ikke et udvalgs-id" in err
    assert not (tmp_path / "out").exists()


def _profile_folder(tmp_path: Path, extra: str) -> Path:
    templates = tmp_path / "skabeloner"
    (templates / "udvalg").mkdir(parents=True)
    shutil.copytree(ROOT / "templates" / "word", templates / "word")
    text = REAL_PROFILE.read_text("utf-8") + extra
    (templates / "udvalg" / "das-social.yaml").write_text(text, "utf-8")
    return templates


@pytest.mark.parametrize("extra, key", [
    ("word_skabelon: ../../evil.docx\n", "word_skabelon"),
    ("word_skabelon: /etc/passwd\n", "word_skabelon"),
    ("word_skabelon: 'C:\\\\evil.docx'\n", "word_skabelon"),
    ("rodcertifikater: [../../rod.pem]\n", "rodcertifikater"),
])
def test_files_named_in_a_profile_stay_in_its_templates_folder(make_meeting, run, tmp_path: Path, extra: str,
                                                                key: str) -> None:
    templates = _profile_folder(tmp_path, extra)
    profile = templates / "udvalg" / "das-social.yaml"
    line = profile.read_text("utf-8").splitlines().index(extra.rstrip("\n")) + 1
    code, _, err = run("validate", make_meeting(), "--skabeloner", templates)
    assert code == 1
    assert f"{shown(profile)}:{line}:" in err and "skal være et filnavn inde i skabelonmappen" in err, err


def test_a_word_template_symlinked_out_of_the_templates_folder_is_refused(make_meeting, run, tmp_path: Path) -> None:
    outside = tmp_path / "udenfor.docx"
    outside.write_bytes(_evil_word_template())
    templates = _profile_folder(tmp_path, "word_skabelon: word/link.docx\n")
    try:
        (templates / "word" / "link.docx").symlink_to(outside)
    except (OSError, NotImplementedError):
        pytest.skip("symbolske links kan ikke oprettes på dette filsystem")
    code, _, err = run("build", make_meeting(), "--format", "docx", "--skabeloner", templates,
                       "--out", tmp_path / "out")
    assert code == 1 and "peger (via et symbolsk link) ud af skabelonmappen" in err, err
    assert not (tmp_path / "out").exists()


def test_new_refuses_a_committee_path(run, tmp_path: Path) -> None:
    code, _, err = run("new", tmp_path / "nyt", "--udvalg", "../../x")
    assert code == 2 and "er ikke et udvalgs-id" in err
    assert not (tmp_path / "nyt").exists()


def test_new_warns_when_the_templates_beside_the_new_meeting_are_not_used(run, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A meeting made directly beside templates/ (as in an unpacked zip) is not made with that profile."""
    _ship_templates(tmp_path)
    monkeypatch.chdir(tmp_path)
    code, out, err = run("new", "møde", "--dato", "2027-03-01", "--sted", "Lokale 1")
    assert code == 0, err
    assert err.startswith("templates: advarsel: mappen bruges ikke, fordi den ligger ved siden af mødemappen")
    assert (tmp_path / "møde" / "møde.yaml").is_file() and "oprettede" in out
    code, _, err = run("validate", "møde")
    assert code == 0 and "mappen bruges ikke" in err
    code, _, err = run("build", "møde", "--format", "txt", "--out", "ud")
    assert code == 0, err
    text = (tmp_path / "ud" / "dagsorden.txt").read_text("utf-8")
    assert "DAS Social" in text and EVIL not in text


def test_meeting_files_symlinked_out_of_the_meeting_folder_are_not_read(make_meeting, run, tmp_path: Path) -> None:
    """A zip may carry symbolic links: an item or møde.yaml that points elsewhere is refused, never read."""
    secret = tmp_path / "hemmelig.yaml"
    secret.write_text("titel: Fortroligt punkt fra et andet sted\n", "utf-8")
    folder = make_meeting({"a.yaml": "titel: T\n"})
    item = folder / "punkter" / "a.yaml"
    item.unlink()
    try:
        item.symlink_to(secret)
    except (OSError, NotImplementedError):
        pytest.skip("symbolske links kan ikke oprettes på dette filsystem")
    code, _, err = run("build", folder, "--format", "txt", "--out", tmp_path / "out")
    assert code == 1 and "punktfilen punkter/a.yaml peger (via et symbolsk link) ud af mødemappen" in err, err
    assert not (tmp_path / "out").exists()
    meeting = folder / "møde.yaml"
    (tmp_path / "møde-andetsteds.yaml").write_text(meeting.read_text("utf-8"), "utf-8")
    meeting.unlink()
    meeting.symlink_to(tmp_path / "møde-andetsteds.yaml")
    code, _, err = run("validate", folder)
    assert code == 1 and f"{shown(meeting)}: fejl: møde.yaml peger (via et symbolsk link) ud af mødemappen" in err
