"""Every error a user can cause is a named kind (issue 22, item 9): no module raises the base `ReferatError` itself,
no kind is chosen by reading a message's text, and every exit code comes from the kind's class."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from referat import errors
from referat.diagnostics import ReferatError

SRC = Path(__file__).resolve().parent.parent / "src" / "referat"
# Where a message's text may be read: the PDF engine's own words (typst.TypstError), turned into a kind right there.
READS_FOREIGN_MESSAGES = {"render/pdf.py"}


def _calls_of_the_base(tree: ast.AST) -> list[int]:
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "ReferatError"]


def _message_reads(tree: ast.AST) -> list[int]:
    """`… in x.message`: deciding something by the words of a message."""
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Compare) and any(isinstance(op, ast.In | ast.NotIn) for op in node.ops)
            and any(isinstance(c, ast.Attribute) and c.attr == "message" for c in node.comparators)]


def _modules() -> list[tuple[str, ast.AST]]:
    return [(p.relative_to(SRC).as_posix(), ast.parse(p.read_text("utf-8"))) for p in sorted(SRC.rglob("*.py"))]


def test_no_module_raises_the_base_class_itself() -> None:
    found = [f"{name}:{line}" for name, tree in _modules() for line in _calls_of_the_base(tree)]
    assert not found, "raise a named kind from referat.errors instead of ReferatError: " + ", ".join(found)


def test_no_kind_is_chosen_by_reading_a_message() -> None:
    found = [f"{name}:{line}" for name, tree in _modules() if name not in READS_FOREIGN_MESSAGES
             for line in _message_reads(tree)]
    assert not found, "a kind must say what happened, not the words of a message: " + ", ".join(found)


@pytest.mark.parametrize("source", [
    "def f():\n    raise ReferatError('x')\n",
    "def f():\n    return ReferatError('x')\n",
])
def test_the_scan_finds_the_base_class_raised(source: str) -> None:
    assert _calls_of_the_base(ast.parse(source))


def test_the_scan_finds_a_kind_chosen_by_words() -> None:
    assert _message_reads(ast.parse("if 'findes ikke' in exc.message:\n    pass\n"))
    assert _message_reads(ast.parse("x = any('y' in d.message for d in r)\n"))


def test_every_kind_takes_its_exit_code_from_its_class() -> None:
    for kind in errors.KINDS:
        assert errors.EXIT_CODES[kind] == kind.exit_code  # type: ignore[attr-defined]
        assert issubclass(kind, ReferatError) or kind is errors.InternalError
    assert errors.EXIT_CODES[errors.SealedMinutes] == errors.EXIT_INVALID
    assert errors.EXIT_CODES[errors.UsageError] == errors.EXIT_USAGE
    assert errors.EXIT_CODES[errors.OutputError] == errors.EXIT_OUTPUT
