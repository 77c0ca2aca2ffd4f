"""Review of the day's merged change (task s4-rv): defects found with fresh eyes, each with the test that found it.

- `referat serve` said why a file could not be read in the operating system's English ("Permission denied")
  inside a Danish message, both when the meeting is loaded (live/state.py, new today) and when a save reads the
  file (live/edit.py), while the command line says it in Danish since today (fileio.read_input). One Danish
  wording for reading (`fileio.read_reason`) serves all three.
- The same English reason was left where every YAML file is read (load/yamlfile.py: `validate`, `build`, every
  command) and where a Word bilag is read for `validate` (validate/bilag.py): today's change that made
  `read_input` Danish did not reach them.
"""

from __future__ import annotations

import errno
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import Run
from referat.app.serve import live_pipeline
from referat.diagnostics import ReferatError
from referat.fileio import read_input, read_reason
from referat.live import edit
from referat.live.state import LiveState

ENGLISH = ("Permission denied", "Operation not permitted", "No such file", "Too many levels", "Input/output")

UNREADABLE = [
    # id, the error the operating system gives, the Danish words for it
    pytest.param(PermissionError(errno.EACCES, "Permission denied"), "ingen læseadgang", id="no-access"),
    pytest.param(PermissionError(errno.EPERM, "Operation not permitted"), "ingen læseadgang", id="not-permitted"),
    pytest.param(OSError(errno.ELOOP, "Too many levels of symbolic links"), "stien er en løkke af symbolske links",
                 id="link-loop"),
    pytest.param(OSError(errno.EIO, "Input/output error"), "drevet svarer ikke (ind-/uddatafejl)", id="io-error"),
]


def test_read_reason_says_findes_ikke_for_a_vanished_file() -> None:
    """Not the words for writing ('en del af stien findes ikke og kan ikke oprettes'): a file read is not made."""
    assert read_reason(FileNotFoundError(errno.ENOENT, "No such file or directory")) == "findes ikke"


@pytest.mark.parametrize(("error", "danish"), UNREADABLE)
def test_the_live_page_says_in_danish_why_the_meeting_could_not_be_read(example_copy: Path, error: OSError,
                                                                      danish: str) -> None:
    """A file of the meeting that cannot be read while it is loaded (no access to punkter/, a disk that stops
    answering): the page's message names the file and says why in Danish."""
    where = example_copy / "punkter"
    error.filename = str(where)

    def loader(folder: Path, templates: list[Path] | None) -> tuple[None, None]:
        raise error

    state = LiveState(example_copy, replace(live_pipeline(), load=loader))  # type: ignore[arg-type]
    [message] = state.messages()
    assert message["alvor"] == "fejl"
    assert message["sted"] == "punkter"
    assert message["tekst"] == f"filen kunne ikke læses ({danish}); mødet indlæses igen ved næste ændring"
    assert not any(word in message["tekst"] for word in ENGLISH), message


@pytest.mark.parametrize(("error", "danish"), UNREADABLE)
def test_a_save_from_the_page_says_in_danish_why_the_file_could_not_be_read(
        example_copy: Path, monkeypatch: pytest.MonkeyPatch, error: OSError, danish: str) -> None:
    """The file a save must read first cannot be read: refused, nothing written, the reason in Danish."""
    path = example_copy / "møde.yaml"
    before = path.read_bytes()

    def refuse(self: Path) -> bytes:
        raise error

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(ReferatError) as refused:
        edit.snapshot(path)
    monkeypatch.undo()
    assert refused.value.message == f"filen kan ikke læses ({danish})"
    assert refused.value.report.errors[0].location.path == path
    assert path.read_bytes() == before


@pytest.mark.parametrize(("error", "danish"), UNREADABLE)
def test_read_input_keeps_its_danish_reasons(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: OSError,
                                             danish: str) -> None:
    """The command line's reading (fileio.read_input) now shares read_reason: the same words as before."""
    path = tmp_path / "certifikat.p12"
    path.write_bytes(b"x")

    def refuse(self: Path) -> bytes:
        raise error

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(ReferatError) as refused:
        read_input(path, "certifikatfilen")
    monkeypatch.undo()
    assert refused.value.message == f"certifikatfilen kan ikke læses ({danish})"


def _unreadable(monkeypatch: pytest.MonkeyPatch, path: Path, error: OSError) -> None:
    """`path` (only that file) cannot be read: reading its bytes raises `error`."""
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.resolve() == path.resolve():
            raise error
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)


@pytest.mark.parametrize(("error", "danish"), [p for p in UNREADABLE if p.id in ("link-loop", "io-error")])
def test_an_item_file_that_cannot_be_read_is_named_in_danish_by_validate(
        make_meeting, run: Run, monkeypatch: pytest.MonkeyPatch, error: OSError, danish: str) -> None:  # type: ignore[no-untyped-def]
    folder = make_meeting({"a.yaml": "titel: Godkendelse af dagsorden\n"})
    path = folder / "punkter" / "a.yaml"
    _unreadable(monkeypatch, path, error)
    code, _, err = run("validate", folder)
    assert code == 1, err
    assert f"a.yaml: fejl: filen kan ikke læses ({danish})" in err, err
    assert not any(word in err for word in ENGLISH), err


@pytest.mark.parametrize(("error", "danish"), [p for p in UNREADABLE if p.id in ("link-loop", "io-error")])
def test_a_word_bilag_that_cannot_be_read_is_named_in_danish_by_validate(
        make_meeting, run: Run, monkeypatch: pytest.MonkeyPatch, error: OSError, danish: str) -> None:  # type: ignore[no-untyped-def]
    import io

    from docx import Document

    doc = Document()
    doc.add_paragraph("Notat")
    buf = io.BytesIO()
    doc.save(buf)
    folder = make_meeting({"a.yaml": "titel: T\nbilag:\n  - titel: Notat\n    fil: notat.docx\n"},
                          bilag={"notat.docx": buf.getvalue()})
    _unreadable(monkeypatch, folder / "bilag" / "notat.docx", error)
    code, _, err = run("validate", folder)
    assert code == 1, err
    assert f"fejl: bilag/notat.docx kan ikke læses ({danish})" in err, err
    assert not any(word in err for word in ENGLISH), err


# The last places that read a file and gave the OS's English reason (found by the same review, mended by the lead):
# the takstskema workbook, a sent version's file, an archived version's manifest and a signed correction.
@pytest.mark.parametrize(("error", "danish"), UNREADABLE)
def test_the_last_readers_say_in_danish_why_a_file_could_not_be_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                     error: OSError, danish: str) -> None:
    from referat.archive import recheck
    from referat.archive.store import Version
    from referat.lifecycle import versions
    from referat.takster import importer

    workbook = tmp_path / "takstskema.xlsx"
    workbook.write_bytes(b"PK\x03\x04")
    version = Version(tmp_path / "arkiv", "das-social", "2026-02-23", 1)
    version.folder.mkdir(parents=True)
    version.manifest.write_text("{}", encoding="utf-8")
    real_open, real_read = Path.open, Path.read_bytes

    def refused_open(self: Path, *args: object, **kwargs: object) -> object:
        if self == workbook:
            raise error
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    def refused_read(self: Path) -> bytes:
        if self in (workbook, version.manifest, tmp_path / "udgave.pdf"):
            raise error
        return real_read(self)

    monkeypatch.setattr(Path, "open", refused_open)
    monkeypatch.setattr(Path, "read_bytes", refused_read)
    assert importer._unreadable(workbook) == f"filen kan ikke læses ({danish})"
    with pytest.raises(ReferatError) as sent:
        versions._read(tmp_path / "udgave.pdf")
    assert str(sent.value.report.items[0].message) == f"filen kan ikke læses ({danish})"
    checked = recheck.load(version)
    messages = [d.message for d in checked.report.items]
    assert f"manifestet kan ikke læses ({danish})" in messages, messages
    assert not any(word in m for m in [*messages, importer._unreadable(workbook) or ""] for word in ENGLISH)


@pytest.mark.parametrize(("content", "danish"), [
    (b'{"format": ', "ugyldig JSON i linje 1, kolonne 12"),
    (b'{\n  "format": "x",\n  oops\n}', "ugyldig JSON i linje 3, kolonne 3"),
    (b'{"format": "\xff"}', "ikke UTF-8 ved byte 12"),
])
def test_a_damaged_manifest_says_in_danish_where(tmp_path: Path, content: bytes, danish: str) -> None:
    from referat.archive import manifest

    path = tmp_path / "manifest.json"
    path.write_bytes(content)
    with pytest.raises(ReferatError) as caught:
        manifest.load(path)
    [item] = caught.value.report.items
    assert item.message == f"manifestet kan ikke læses ({danish})"
    assert item.location.path == path


def test_a_send_that_cannot_make_its_lock_file_says_why_in_danish(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A meeting folder on a drive that has become read-only: the lock file of `send` cannot be made."""
    from referat.diagnostics import OutputError
    from referat.lifecycle import send

    def refused(*args: object, **kwargs: object) -> int:
        raise OSError(errno.EROFS, "Read-only file system", str(tmp_path / send.LOCK))

    monkeypatch.setattr(send.os, "open", refused)
    with pytest.raises(OutputError) as caught, send.sending(tmp_path):
        pass
    [item] = caught.value.report.items
    assert item.message == "låsefilen kan ikke oprettes (drevet er skrivebeskyttet); intet er udsendt"
