"""Property tests: whatever the secretariat types, `referat validate` answers with located messages, never a traceback."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLE, MEETING
from referat.cli import main
from referat.diagnostics import Location
from referat.load.meeting import load_meeting
from referat.validate import validate_meeting

ITEM_NAMES = sorted(p.name for p in (EXAMPLE / "punkter").glob("*.yaml"))
ORIGINAL = {name: (EXAMPLE / "punkter" / name).read_text(encoding="utf-8") for name in ITEM_NAMES}

# What a slip of the keyboard (or a bad copy-paste from Word/PDF) puts into a YAML file.
CHARS = [":", "-", " ", "\t", '"', "'", "[", "{", "#", "\n", "\x00", "æ", "\x01",
         "]", "}", ",", "|", ">", "*", "&", "!", "%", "?", "<", "@", "`", "\\", "\r", "\ufeff", "\x85", "\u2028", "\x7f"]

DIAGNOSTIC = re.compile(r"^(?P<path>.+?)(?::(?P<line>\d+)(?::(?P<col>\d+))?)?: (?P<sev>fejl|advarsel): (?P<msg>.+)$")
SUMMARY = re.compile(r"^\d+ fejl, (1 advarsel|(?:0|[2-9]|\d{2,}) advarsler)$")

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@st.composite
def mutated_item(draw: st.DrawFn) -> tuple[str, str]:
    """One real item file with one to three edits: delete/insert a character, swap or duplicate a line."""
    name = draw(st.sampled_from(ITEM_NAMES))
    text = ORIGINAL[name]
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["delete", "insert", "swap", "duplicate"]))
        if kind == "delete" and text:
            i = draw(st.integers(0, len(text) - 1))
            text = text[:i] + text[i + 1:]
        elif kind == "insert":
            i = draw(st.integers(0, len(text)))
            text = text[:i] + draw(st.sampled_from(CHARS)) + text[i:]
        else:
            lines = text.split("\n")
            i = draw(st.integers(0, len(lines) - 1))
            if kind == "swap":
                j = draw(st.integers(0, len(lines) - 1))
                lines[i], lines[j] = lines[j], lines[i]
            else:
                lines.insert(i, lines[i])
            text = "\n".join(lines)
    return name, text


def _validate(folder: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["validate", str(folder)])
    return code, out.getvalue(), err.getvalue()


@SETTINGS
@given(mutated_item())
def test_mutated_real_item_never_crashes_and_every_error_is_located(case):
    name, text = case
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / EXAMPLE.name
        shutil.copytree(EXAMPLE, folder)
        item = folder / "punkter" / name
        item.write_bytes(text.encode("utf-8"))
        code, out, err = _validate(folder)
        assert code in (0, 1), err
        lines = err.splitlines()
        diagnostics = [DIAGNOSTIC.match(line) for line in lines[:-1]]
        # one message per line, each `path[:line[:col]]: fejl|advarsel: text`, then the summary
        assert all(diagnostics), lines
        if lines:
            assert SUMMARY.match(lines[-1]), lines
        errors = [m for m in diagnostics if m and m["sev"] == "fejl"]
        if code == 1:
            assert errors, lines
            # the real example is valid, so every error is in the one file that was edited
            shown = Location(item).format()
            assert all(m["path"] == shown for m in errors), lines  # type: ignore[index]
            assert "gyldig" not in out
        else:
            assert not errors
            assert "gyldig" in out


def yaml_double_quoted(text: str) -> str:
    """`text` as a YAML 1.2 double-quoted scalar that reads back exactly (one physical line)."""
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif 0x20 <= code <= 0x7E or (0xA0 <= code <= 0xD7FF and code not in (0x2028, 0x2029)) \
                or (0xE000 <= code <= 0xFFFD and code != 0xFEFF) or code >= 0x10000:
            out.append(ch)
        elif code <= 0xFF:
            out.append(f"\\x{code:02x}")
        else:
            out.append(f"\\u{code:04x}")
    out.append('"')
    return "".join(out)


def test_yaml_double_quoted_escaper_examples():
    assert yaml_double_quoted('a "b" \\ c\nd\te\x00\u2028') == '"a \\"b\\" \\\\ c\\x0ad\\x09e\\x00\\u2028"'


@SETTINGS
@given(st.text())
def test_any_text_as_sagsfremstilling_loads_and_validates(text):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "møde"
        (folder / "punkter").mkdir(parents=True)
        (folder / "bilag").mkdir()
        (folder / "møde.yaml").write_text(MEETING.format(fase="dagsorden", items="a.yaml"), encoding="utf-8")
        item = f"titel: Tekst\nsagsfremstilling: {yaml_double_quoted(text)}\n"
        (folder / "punkter" / "a.yaml").write_text(item, encoding="utf-8")
        meeting, report = load_meeting(folder)
        assert meeting is not None and report.items == [], report.lines()
        assert meeting.items[0].case == text
        validate_meeting(meeting, report)  # every content rule runs on the text without raising
        assert not report.errors, report.lines()
        assert all(d.location.path == folder / "punkter" / "a.yaml" for d in report.items)
        code, _, err = _validate(folder)
        assert code == 0, err
