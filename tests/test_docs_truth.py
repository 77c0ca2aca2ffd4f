"""The docs say only what is true (task s4-docs).

README.md and docs/*.md are read as a user and a new developer read them, and checked against the program itself:
every `referat …` command they show exists, by its English name, with the options shown; the README's command table
lists every command and option; every YAML example is valid in its schema and format.md's key tables list every
key; every repository file they name exists; every relative link and anchor resolves; every exit code they name is
one of `referat/errors.py`; the README's map of the code lists exactly the modules that exist; and the two set-up
commands are there. A doc that drifts from the program fails here, naming the file and line (the command, link and
exit-code checks also have a test that feeds them a drifted doc). The last tests cover the program fixes the audit
made.
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from referat import errors
from referat.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = [README, *sorted((ROOT / "docs").glob("*.md"))]
SRC = ROOT / "src" / "referat"

# ---------------------------------------------------------------------------------------------------------------
# Reading the docs


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _blank_code_blocks(text: str) -> str:
    """The text with fenced code blocks blanked out (line numbers kept)."""
    return re.sub(r"```.*?```", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.DOTALL)


def code_fragments(path: Path) -> Iterator[tuple[int, str]]:
    """(line, text) of every inline code span and every line of every fenced code block of a Markdown file (a shell
    line continued with a backslash is one line)."""
    text = _text(path)
    for block in re.finditer(r"```[^\n]*\n(.*?)```", text, re.DOTALL):
        first = text[:block.start()].count("\n") + 2
        lines = block.group(1).split("\n")
        offset = 0
        while offset < len(lines):
            start, line = offset, lines[offset]
            while line.endswith("\\") and offset + 1 < len(lines):
                offset += 1
                line = line[:-1] + " " + lines[offset].strip()
            yield first + start, line
            offset += 1
    prose = _blank_code_blocks(text)
    for span in re.finditer(r"`([^`\n]+)`", prose):
        yield prose[:span.start()].count("\n") + 1, span.group(1)


COMMAND_LINE = re.compile(r"\s*(?:\$\s+)?(?:\.venv/bin/)?referat\s")
INVOCATION = re.compile(r"(?<![\w/.-])(?:\.venv/bin/)?referat\s+(?:[a-z][a-z-]*|--help|--version)\b")


def invocations(path: Path) -> Iterator[tuple[int, list[str]]]:
    """Every `referat WORD …` a doc shows as code: the words after `referat`, up to the next `referat`, `;` or `&&`.

    Only a code span, or a part of a shell line between `;`/`&&`, that *starts* with the command counts, with every
    further `referat …` on it ("referat new M   referat send M"); a YAML line or Danish prose that merely holds the
    word ("det underskrevne referat er …") is not a command."""
    for line, fragment in code_fragments(path):
        code = fragment.replace("\\|", "|").rstrip("\\").split(" #")[0]  # a table's \|, a continuation, a comment
        for part in re.split(r";|&&", code):
            if not COMMAND_LINE.match(part):
                continue
            starts = [m.start() for m in INVOCATION.finditer(part)]
            for start, end in zip(starts, [*starts[1:], len(part)], strict=True):
                yield line, part[start:end].split()[1:]


# ---------------------------------------------------------------------------------------------------------------
# Reading the parser


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _options(parser: argparse.ArgumentParser) -> set[str]:
    return {option for action in parser._actions for option in action.option_strings}


def _name(parser: argparse.ArgumentParser) -> str:
    """A (sub)command's own name: the last word of its prog, whatever name (or alias) it was reached by."""
    return parser.prog.split()[-1]


PARSER = build_parser()


def commands() -> dict[tuple[str, ...], argparse.ArgumentParser]:
    """Every command and subcommand by its English name: ("build",), ("tariffs", "render"), …"""
    out: dict[tuple[str, ...], argparse.ArgumentParser] = {}
    for word, parser in _subcommands(PARSER).items():
        if word != _name(parser):
            continue  # an alias
        subs = _subcommands(parser)
        if not subs:
            out[(word,)] = parser
        for sub_word, sub in subs.items():
            if sub_word == _name(sub):
                out[(word, sub_word)] = sub
    return out


def check_invocation(words: list[str]) -> list[str]:
    """What is wrong with `referat WORDS…` as a doc shows it: an unknown command, an alias, an unknown option."""
    if words[0].startswith("--"):
        return [] if words[0] in _options(PARSER) else [f"'referat {words[0]}' is not an option of referat"]
    parser = _subcommands(PARSER).get(words[0])
    if parser is None:
        return [f"'referat {words[0]}' is not a command"]
    problems = [] if _name(parser) == words[0] else [
        f"'referat {words[0]}' is an alias; name the command by its English name '{_name(parser)}'"]
    rest = words[1:]
    subs = _subcommands(parser)
    if subs and rest and re.fullmatch(r"[a-zæøåé-]+(\|[a-zæøåé-]+)*", rest[0]):
        alternatives = rest[0].split("|")  # `correction build|archive`
        for alt in alternatives:
            sub = subs.get(alt)
            if sub is None:
                problems.append(f"'referat {words[0]} {alt}' is not a command")
            elif _name(sub) != alt:
                problems.append(f"'referat {words[0]} {alt}' is an alias; name it '{_name(sub)}'")
        known = [subs[a] for a in alternatives if a in subs]
        options = set().union(*(_options(s) for s in known)) if known else _options(parser)
        rest = rest[1:]
    else:
        options = _options(parser)
    for word in rest:
        for option in re.findall(r"(?:^|\[)(--[a-zæøå][a-zæøå-]*)", word):
            if option not in options:
                problems.append(f"'{option}' is not an option of 'referat {' '.join(words[:2] if subs else words[:1])}'")
    return problems


# ---------------------------------------------------------------------------------------------------------------
# 1. Commands and options


def test_the_docs_show_many_commands() -> None:
    """The scan finds the commands (a scan that found nothing would pass every check below)."""
    found = {path.name: sum(1 for _ in invocations(path)) for path in DOCS}
    assert found["README.md"] >= 20 and found["archive.md"] >= 10 and found["lifecycle.md"] >= 15, found
    assert sum(found.values()) >= 100, found


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_every_command_in_the_docs_exists_with_the_options_shown(path: Path) -> None:
    problems = [f"{path.name}:{line}: {problem}  (in: referat {' '.join(words)})"
                for line, words in invocations(path) for problem in check_invocation(words)]
    assert problems == []


@pytest.mark.parametrize(("words", "problem"), [
    (["bygge", "DIR"], "'referat bygge' is not a command"),
    (["til-referat", "DIR"], "is an alias; name the command by its English name 'to-minutes'"),
    (["build", "DIR", "[--offentliggør]"], "'--offentliggør' is not an option of 'referat build'"),
    (["tariffs", "opsummering", "FIL"], "'referat tariffs opsummering' is an alias; name it 'summary'"),
    (["correction", "build|arkivér", "DIR"], "'referat correction arkivér' is an alias; name it 'archive'"),
    (["archive", "verify", "--antal", "3"], "'--antal' is not an option of 'referat archive verify'"),
])
def test_the_command_check_fails_on_a_drifted_doc(words: list[str], problem: str) -> None:
    assert any(problem in p for p in check_invocation(words)), check_invocation(words)


def _readme_table() -> dict[tuple[str, ...], str]:
    """The README's command table: (command, subcommand) → the row's first cell."""
    rows: dict[tuple[str, ...], str] = {}
    for cell in re.findall(r"^\| `(referat [^`]+)` \|", _text(README), re.MULTILINE):
        words = cell.replace("\\|", "|").split()
        parser = _subcommands(PARSER)[words[1]]
        if _subcommands(parser):
            for alt in words[2].split("|"):
                rows[(words[1], alt)] = cell
        else:
            rows[(words[1],)] = cell
    return rows


def test_the_readme_table_lists_every_command_with_every_option() -> None:
    """`referat --help` and the README's table agree: each command is a row, and the row shows each of its options
    (`--skabeloner`, which many commands share, is said once under the table)."""
    table = _readme_table()
    problems = [f"'referat {' '.join(key)}' has no row in README.md's command table" for key in commands()
                if key not in table]
    for key, parser in commands().items():
        if key not in table:
            continue
        shown = set(re.findall(r"--[a-zæøå][a-zæøå-]*", table[key]))
        missing = sorted(o for o in _options(parser) if o.startswith("--") and o not in {"--help", "--skabeloner"}
                         and o not in shown)
        if missing:
            problems.append(f"README.md: the row of 'referat {' '.join(key)}' does not show {', '.join(missing)}")
    assert problems == []


def test_the_readme_names_exactly_the_commands_that_take_skabeloner() -> None:
    sentence = re.search(r"The commands that read a meeting folder \((.*?)\) also take `--skabeloner MAPPE`",
                         _text(README), re.DOTALL)
    assert sentence, "README.md no longer says which commands take --skabeloner"
    named = set(re.findall(r"`([a-z-]+(?: [a-z]+)?)`", sentence.group(1)))
    taking = {" ".join(key) for key, parser in commands().items() if "--skabeloner" in _options(parser)}
    # a command named once covers its subcommands that all take the option (`correction`)
    covered = {name for name in taking if name in named or name.split()[0] in named}
    assert covered == taking, sorted(taking - covered)
    assert all(any(t == n or t.startswith(n + " ") for t in taking) for n in named), sorted(named)


def test_every_command_says_what_it_does_in_its_help() -> None:
    """`referat CMD --help` starts with what the command does (a subparser without `description` shows nothing)."""
    missing = [" ".join(key) for key, parser in commands().items() if not parser.description]
    assert missing == []


def test_messages_name_commands_by_their_english_name() -> None:
    """A message or file the program writes that tells the user to run `referat …` names a command that exists, by
    its English name (aliases keep working, but a user should learn the names `--help` shows)."""
    problems = []
    files = [*SRC.rglob("*.py"), *(p for p in (ROOT / "templates").rglob("*") if p.suffix in {".yaml", ".j2", ".js"})]
    for file in files:
        text = _text(file)
        strings = ([node.value for node in ast.walk(ast.parse(text)) if isinstance(node, ast.Constant)
                    and isinstance(node.value, str)] if file.suffix == ".py" else [text])
        for string in strings:
            for match in re.finditer(r"'referat ([a-zæøå-]+(?: [a-zæøå-]+)?)", string):
                words = match.group(1).split()
                found = [p for p in check_invocation(words) if "option" not in p]
                problems += [f"{file.relative_to(ROOT)}: {p}" for p in found]
    assert problems == []


def _as_loaded(value: Any) -> Any:
    """YAML as referat's loader sees it: dates stay text (the safe loader makes them `date`s)."""
    if isinstance(value, dict):
        return {k: _as_loaded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_loaded(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def yaml_examples() -> Iterator[tuple[str, str, Any]]:
    """(where, schema kind, data) of every ```yaml example of the docs that is a meeting, an item or a takstbilag."""
    from ruamel.yaml import YAML

    for path in DOCS:
        text = _text(path)
        for block in re.finditer(r"```yaml\n(.*?)```", text, re.DOTALL):
            data = _as_loaded(YAML(typ="safe").load(block.group(1)))
            where = f"{path.name}:{text[:block.start()].count(chr(10)) + 1}"
            if not isinstance(data, dict):
                continue
            if "udvalg" in data or set(data) == {"fremmøde"}:
                yield where, "møde", data
            elif "driftsherrer" in data:
                yield where, "takstbilag", data
            elif set(data) & {"titel", "adgang", "beslutning", "opfølgning", "bilag", "indstilling"}:
                yield where, "punkt", data


def test_the_docs_yaml_examples_are_valid_in_their_schema() -> None:
    """Every key and value a YAML example shows is one the schema (and so the loader) accepts; examples are excerpts,
    so a missing required key is not counted."""
    import jsonschema

    from referat.schema import json_schema

    examples = list(yaml_examples())
    assert {kind for _, kind, _ in examples} == {"møde", "punkt", "takstbilag"} and len(examples) >= 8, examples
    problems = [f"{where}: {'/'.join(map(str, e.absolute_path))}: {e.message[:200]}"
                for where, kind, data in examples
                for e in jsonschema.Draft202012Validator(json_schema(kind)).iter_errors(data)
                if e.validator != "required"]
    assert problems == []


@pytest.mark.parametrize(("kind", "heading"), [("møde", "## `møde.yaml`"), ("punkt", "## An item: ")])
def test_the_key_tables_of_format_md_list_every_key(kind: str, heading: str) -> None:
    from referat.schema import json_schema

    text = _text(ROOT / "docs" / "format.md")
    section = text[text.index(heading):]
    section = section[:section.index("\n## ", 4)]
    listed = {key for row in re.findall(r"^\| (`[^|]+) \|", section, re.MULTILINE)
              for key in re.findall(r"`([^`]+)`", row)}
    assert set(json_schema(kind)["properties"]) <= listed, sorted(set(json_schema(kind)["properties"]) - listed)


TOP_FOLDERS = ("src/", "tests/", "scripts/", "benchmarks/", "templates/", "schemas/", "agendas/", "docs/", ".ci/")
GENERATED = {".ci/node"}  # made by `npm install --prefix .ci/node`, as the docs say


def named_files(path: Path) -> Iterator[tuple[int, str, list[Path]]]:
    """(line, name, where it may be) of every repository path a doc names as code: `tests/test_x.py`,
    `templates/udvalg/…`, and the modules of the code (`view/document.py`, `referat/csvcell.py`). Placeholders
    (`<udvalg>`, `…`, `*`, `ID`, `NN-titel`) are not paths."""
    for line, fragment in code_fragments(path):
        for match in re.finditer(r"(?<![\w/.<-])((?:[\w.æøå-]+/)+[\w.æøå-]*)", fragment):
            name = match.group(1).rstrip(".")
            if re.search(r"[<>…*]|\b[A-ZÆØÅ]{2,}\b", fragment[match.start():match.end() + 1]) or name in GENERATED:
                continue
            if name.startswith(TOP_FOLDERS):
                yield line, name, [ROOT / name]
            elif name.endswith(".py"):
                yield line, name, [SRC / name, ROOT / "src" / name, ROOT / name]


def test_every_file_the_docs_name_exists() -> None:
    named = [(path, *found) for path in DOCS for found in named_files(path)]
    assert len(named) >= 100, len(named)
    missing = [f"{path.name}:{line}: {name}" for path, line, name, places in named
               if not any(p.exists() for p in places)]
    assert missing == []


# ---------------------------------------------------------------------------------------------------------------
# 2. Links


def _slug(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation (but `-` and `_`) dropped, spaces as hyphens."""
    heading = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("`", "")
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    return {_slug(h) for h in re.findall(r"^#{1,6}\s+(.*)$", _blank_code_blocks(_text(path)), re.MULTILINE)}


def broken_links(path: Path, text: str | None = None) -> list[str]:
    prose = _blank_code_blocks(_text(path) if text is None else text)
    problems = []
    for match in re.finditer(r"\]\(([^)\s]+)\)", prose):
        target = match.group(1)
        if re.match(r"[a-z][a-z0-9+.-]*:", target):
            continue  # https:, mailto:
        line = prose[:match.start()].count("\n") + 1
        file, _, fragment = target.partition("#")
        dest = (path.parent / file).resolve() if file else path
        if not dest.exists():
            problems.append(f"{path.name}:{line}: {target}: {file} does not exist")
        elif fragment and dest.suffix == ".md" and fragment not in anchors(dest):
            problems.append(f"{path.name}:{line}: {target}: {dest.name} has no heading '#{fragment}'")
    return problems


def test_the_docs_link_to_each_other() -> None:
    links = sum(len(re.findall(r"\]\((?![a-z]+:)[^)\s]+\)", _text(p))) for p in DOCS)
    assert links >= 20, links


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_every_relative_link_and_anchor_resolves(path: Path) -> None:
    assert broken_links(path) == []


def test_a_broken_link_or_anchor_is_found() -> None:
    text = _text(README)
    assert broken_links(README, text + "\n[x](docs/findes-ikke.md)\n") == [
        f"README.md:{text.count(chr(10)) + 2}: docs/findes-ikke.md: docs/findes-ikke.md does not exist"]
    assert broken_links(README, text + "\n[x](docs/lifecycle.md#findes-ikke)\n") == [
        (f"README.md:{text.count(chr(10)) + 2}: docs/lifecycle.md#findes-ikke: lifecycle.md has no heading "
        "'#findes-ikke'")]


def test_anchors_are_githubs() -> None:
    assert _slug("Follow-up: `opfølgning:` and `referat follow-up [MAPPE …] [--arkiv DIR] [--csv]`") == \
        "follow-up-opfølgning-and-referat-follow-up-mappe----arkiv-dir---csv"
    assert _slug("Corrections after signing: `referat correction build|archive`") == \
        "corrections-after-signing-referat-correction-buildarchive"


# ---------------------------------------------------------------------------------------------------------------
# 3. Exit codes

CODES = {errors.EXIT_OK, errors.EXIT_INVALID, errors.EXIT_USAGE, errors.EXIT_OUTPUT, errors.EXIT_INTERNAL,
         errors.EXIT_INTERRUPTED, errors.EXIT_TERMINATED}


def test_the_exit_codes_of_errors_py_are_the_documented_ones() -> None:
    assert set(errors.EXIT_CODES.values()) <= CODES
    assert CODES == {0, 1, 2, 3, 70, 130, 143}


def test_the_readme_lists_every_exit_code() -> None:
    paragraph = re.search(r"^Exit codes: (.*?)\n\n", _text(README), re.DOTALL | re.MULTILINE)
    assert paragraph, "README.md has no 'Exit codes:' paragraph"
    assert {int(c) for c in re.findall(r"`(\d+)`", paragraph.group(1))} == CODES


def test_the_robustness_table_of_exit_codes_is_errors_py() -> None:
    text = _text(ROOT / "docs" / "robustness.md")
    table = text[text.index("| exit code | meaning |"):]
    table = table[:table.index("\n\n")]
    assert {int(c) for c in re.findall(r"^\| *(\d+) *\|", table, re.MULTILINE)} == CODES


def named_exit_codes(text: str) -> set[int]:
    """The numbers a text gives as exit codes: "exit 1", "exits with 130", "exit code 2", "(exit 3", and every
    cell of a table's `exit` column ("1", "0 / 1")."""
    found = {int(n) for n in re.findall(r"\bexit(?:s| code)?(?: with)? `?(\d+)", text)}
    column = None
    for line in text.splitlines():
        if not line.startswith("|"):
            column = None
            continue
        cells = [c.strip() for c in line.replace("\\|", "¦").strip().strip("|").split("|")]  # `\|` is text
        if column is None:
            column = cells.index("exit") if "exit" in cells else -1
        elif column >= 0 and column < len(cells):
            found |= {int(n) for n in re.findall(r"\d+", cells[column])}
    return found


def test_the_docs_name_exit_codes() -> None:
    assert {0, 1, 2, 3, 130, 143} <= set().union(*(named_exit_codes(_text(p)) for p in DOCS))


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_every_exit_code_the_docs_name_is_documented(path: Path) -> None:
    assert named_exit_codes(_text(path)) <= CODES, sorted(named_exit_codes(_text(path)) - CODES)


def test_an_undocumented_exit_code_is_found() -> None:
    assert named_exit_codes("refused at once, exit 4: `…`") == {4}
    assert named_exit_codes("| input | exit | test |\n|---|---:|---|\n| x | 0 / 5 | t |\n") == {0, 5}


# ---------------------------------------------------------------------------------------------------------------
# 4. The map of the code and the two set-up commands


def _readme_map() -> str:
    text = _text(README)
    start = text.index("```\nsrc/referat/\n")
    return text[start:text.index("```", start + 3)]


def test_the_readme_map_lists_every_module_and_nothing_else() -> None:
    block = _readme_map()
    listed = set(re.findall(r"^[├└]── ([\w]+/|[\w]+\.py)\s", block, re.MULTILINE))
    exist = {p.name + "/" for p in SRC.iterdir() if p.is_dir() and ((p / "__init__.py").exists() or p.name == "fonts")}
    exist |= {p.name for p in SRC.glob("*.py") if p.name != "__init__.py"}
    assert listed == exist, (sorted(exist - listed), sorted(listed - exist))


def test_the_readme_gives_two_set_up_commands() -> None:
    text = _text(README)
    section = text[text.index("## Two commands"):]
    section = section[:section.index("\n## ", 4)]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.DOTALL)
    assert len(blocks) == 2, blocks
    build, tests = (b.strip() for b in blocks)
    assert build.count("\n") == 0 and tests.count("\n") == 0
    # the locked versions (issue 24, item 8): hashed requirements first, then referat itself without dependencies
    # (pip installs no editable requirement in hash-checking mode)
    assert build.startswith("python3 -m venv .venv && .venv/bin/pip install -r requirements/referat.txt && "
                            ".venv/bin/pip install --no-deps -e . && .venv/bin/referat build ")
    meeting = build.split()[-2] if build.endswith("--offentlig") else build.split()[-1]
    assert (ROOT / meeting / "møde.yaml").is_file()
    assert f"output/{Path(meeting).name}/" in section
    assert tests == ("python3 -m venv .venv && .venv/bin/pip install -r requirements/test.txt && "
                     ".venv/bin/pip install --no-deps -e . && .venv/bin/python -m pytest")
    for lock in ("requirements/referat.txt", "requirements/test.txt"):
        assert (ROOT / lock).is_file()
    ci = [line.replace(" -q ", " ") for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    assert tests in ci  # ".ci/run runs the second command" (quietly)


# ---------------------------------------------------------------------------------------------------------------
# 5. What the audit fixed in the program


def _help(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    with pytest.raises(SystemExit) as exit_:
        main([*args, "--help"])
    assert exit_.value.code == 0
    return capsys.readouterr().out


def test_tariffs_and_correction_subcommands_say_what_they_do(capsys: pytest.CaptureFixture[str]) -> None:
    assert "Kontrollér et takstbilag mod Styringsaftalens regler." in _help(capsys, "tariffs", "validate")
    assert "Gengiv takstbilaget som PDF, Word, CSV og/eller Excel." in _help(capsys, "tariffs", "render")
    assert "(standard: takstskema.xlsx i arbejdsmappen;" in " ".join(_help(capsys, "tariffs", "template").split())
    assert "Byg dokumentet 'Rettelse til referat af …'" in _help(capsys, "correction", "build")
    assert "rodcertifikat (kan gentages)" in _help(capsys, "correction", "archive")
    assert "takstbilag" in _help(capsys, "schema").split("argumenter:")[0]


def test_publish_shows_that_it_needs_a_meeting_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Its usage said `[MØDEMAPPE ...]` (optional), and the command then refused to run without one."""
    assert " ".join(_help(capsys, "publish").split()).startswith(
        "brug: referat publish [-h] --site MAPPE [--fuld] [--jobs N] [--arkiv MAPPE] MØDEMAPPE [MØDEMAPPE ...]")
    with pytest.raises(SystemExit) as exit_:
        main(["publish", "--site", str(tmp_path / "site")])
    assert exit_.value.code == errors.EXIT_USAGE
    assert "referat: fejl: disse argumenter mangler: MØDEMAPPE" in capsys.readouterr().err
    assert not (tmp_path / "site").exists()


def test_sign_without_a_password_names_the_certificate(tmp_path: Path) -> None:
    """Without REFERAT_CERT_PASSWORD and without a terminal to ask at, the message names the certificate file
    (it named '.')."""
    (tmp_path / "referat.pdf").write_bytes(b"%PDF-1.7\n")
    env = {k: v for k, v in os.environ.items() if k != "REFERAT_CERT_PASSWORD"}
    done = subprocess.run([sys.executable, "-m", "referat", "sign", "referat.pdf", "--cert", "formand.p12", "--out",
                           "u.pdf"], cwd=tmp_path, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == errors.EXIT_INVALID
    assert done.stderr.startswith("formand.p12: fejl: adgangskoden til certifikatet mangler; sæt miljøvariablen "
                                  "REFERAT_CERT_PASSWORD"), done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "u.pdf").exists()


def _takstskema(path: Path) -> Path:
    """A filled-in takstskema of one row, made from the blank one the project ships."""
    from openpyxl import load_workbook

    wb = load_workbook(ROOT / "templates" / "takstskema.xlsx")
    ws = wb["Takstskema"]
    ws["B2"], ws["B3"], ws["B4"], ws["B5"] = "Aalborg Kommune", "kommune", 2026, 5
    column = {c.value: c.column for c in ws[7] if c.value}
    row = {"Tilbud": "Botilbud Attruphøj", "Ydelse": "Døgnophold", "Lovgrundlag": "SEL § 107",
           "Antal pladser": 28, "Takstenhed": "Døgn", "Budg. bel. pct.": 98, "Budget": 50151733, "Takst": 5006}
    for header, value in row.items():
        ws.cell(row=8, column=column[header], value=value)
    wb.save(path)
    return path


def test_an_imported_takstbilag_points_at_the_schema_from_where_it_is_written(run, tmp_path: Path) -> None:
    """`tariffs import` wrote `$schema=../../schemas/…` wherever the file went (from a meeting's bilag/ that is
    `agendas/schemas/`, which does not exist); it now points at the project's schemas/ from the file's folder."""
    project = tmp_path / "projekt"
    (project / "schemas").mkdir(parents=True)
    for kind in ("punkt", "takstbilag"):
        (project / "schemas" / f"{kind}.schema.json").write_text("{}", encoding="utf-8")
    bilag = project / "agendas" / "2026-05-22-das-social" / "bilag"
    bilag.mkdir(parents=True)
    skema = _takstskema(tmp_path / "skema.xlsx")
    code, out, err = run("tariffs", "import", skema, "--out", bilag / "takster.yaml")
    assert code == 0, err
    assert out.strip() == f"skrev {bilag / 'takster.yaml'} (1 række)"  # was "(1 rækker)"
    lines = (bilag / "takster.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../../../schemas/takstbilag.schema.json"
    assert (bilag / lines[0].split("$schema=")[1]).resolve() == (project / "schemas" / "takstbilag.schema.json")
    assert lines[1].startswith("# Importeret med 'referat tariffs import'.")
    # outside a project there is no schemas/ to point at: no modeline rather than a wrong one
    code, _, err = run("tariffs", "import", skema, "--out", tmp_path / "løs.yaml")
    assert code == 0, err
    text = (tmp_path / "løs.yaml").read_text(encoding="utf-8")
    assert "yaml-language-server" not in text and text.startswith("# Importeret med 'referat tariffs import'.")
    code, _, err = run("tariffs", "validate", tmp_path / "løs.yaml")
    assert code == 0, err


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc, where no folder can be created")
def test_a_folder_that_cannot_be_created_is_explained_in_danish(run) -> None:
    """The operating system's reason is given in Danish for the common causes (it was "No such file or directory")."""
    code, _, err = run("schema", "--skriv", "/proc/referat-findes-ikke/skemaer")
    assert code == errors.EXIT_OUTPUT
    assert err.splitlines()[0] == ("/proc/referat-findes-ikke/skemaer: fejl: mappen kan ikke oprettes eller skrives i "
                                   "(en del af stien findes ikke og kan ikke oprettes)")


def test_a_file_that_cannot_be_read_is_explained_in_danish(tmp_path: Path) -> None:
    """A symbolic-link loop (any reason the OS gives for not reading a file) is told in Danish; it was "Too many
    levels of symbolic links"."""
    try:
        (tmp_path / "a.pdf").symlink_to(tmp_path / "b.pdf")
        (tmp_path / "b.pdf").symlink_to(tmp_path / "a.pdf")
    except OSError as exc:  # Windows without the privilege
        pytest.skip(f"symbolic links cannot be made here: {exc}")
    env = {**os.environ, "REFERAT_CERT_PASSWORD": "x"}
    done = subprocess.run([sys.executable, "-m", "referat", "sign", "a.pdf", "--cert", "c.p12", "--out", "u.pdf"],
                          cwd=tmp_path, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == errors.EXIT_INVALID
    assert done.stderr.splitlines()[0] == "a.pdf: fejl: filen kan ikke læses (stien er en løkke af symbolske links)"
