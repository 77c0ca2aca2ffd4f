"""The layers of `referat` point one way: a module never imports from a layer above its own (issue 13).

model → load → validate → view → writers → feature packages → application → cli. Every import is read with `ast`
(also those inside functions and under `if TYPE_CHECKING:`), relative ones resolved, and each module mapped to a
layer by the longest matching prefix in LAYERS. A new module lands in its package's layer; a new top-level module
must be placed here, or the test fails and says so.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = SRC / "referat"

# Lowest first. A module may import from its own layer and the ones listed before it.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("grundlag", (
        "referat", "referat.diagnostics", "referat.errors", "referat.fileio", "referat.csvcell", "referat.fold",
        "referat.progress", "referat.pool",
        # Text helpers (Danish dates and numbers, the Markdown subset of rich text and its typed nodes, the
        # control-character pictures, the bundled fonts) and file inspectors (a PDF's, a workbook's, an image's
        # header; finding and running LibreOffice): validation and every writer use them.
        "referat.text", "referat.files",
    )),
    ("model", ("referat.model",)),
    ("load", ("referat.load",)),
    ("validate", ("referat.validate",)),
    ("view", ("referat.view",)),
    ("writers", ("referat.render",)),
    ("features", ("referat.packet", "referat.takster", "referat.archive", "referat.signing",
                  "referat.schema", "referat.lifecycle", "referat.publish",
                  # Live work on a meeting folder (issue 16): saves from the browser; only cli/app import it.
                  "referat.live")),
    ("application", ("referat.app",)),
    ("cli", ("referat.cli", "referat.__main__")),
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module: str) -> int | None:
    best: tuple[int, int] | None = None  # (prefix length, layer index)
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), index)
    if best is None or (best[0] == len("referat") and module != "referat"):
        return None  # only the package itself is matched by the bare prefix: a new top-level module must be placed
    return best[1]


def imports_of(source: str, module: str, is_package: bool = False) -> list[tuple[str, int]]:
    """Every `referat` module `source` (the text of `module`) imports, with the line; `from . import x` counts as
    importing `pkg.x`."""
    package = module if is_package else module.rpartition(".")[0]
    found: list[tuple[str, int]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names if alias.name.split(".")[0] == "referat"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "referat":
                continue
            if node.module is None:  # from . import a, b: each is a module (or a name of the package)
                found += [(f"{target}.{alias.name}", node.lineno) for alias in node.names]
            else:
                found.append((target, node.lineno))
    return found


def imports(path: Path) -> list[tuple[str, int]]:
    return imports_of(path.read_text(encoding="utf-8"), module_name(path), path.name == "__init__.py")


def upward(module: str, found: list[tuple[str, int]]) -> list[str]:
    own = layer_of(module)
    assert own is not None, f"{module} has no layer"
    return [f"{line}: {module} ({LAYERS[own][0]}) importerer {target} ({LAYERS[theirs][0]})"
            for target, line in found if (theirs := layer_of(target)) is not None and theirs > own]


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_every_module_has_a_layer() -> None:
    unplaced = [module_name(p) for p in _modules() if layer_of(module_name(p)) is None]
    assert not unplaced, f"put these modules in a layer in tests/test_layers.py: {unplaced}"


def test_no_module_imports_from_a_layer_above_its_own() -> None:
    found = [f"{path.relative_to(SRC)}:{line}" for path in _modules() for line in upward(module_name(path), imports(path))]
    assert not found, "imports that point up:\n" + "\n".join(found)


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every group of modules that import each other round, of any length (Tarjan's strongly connected
    components), each sorted, the groups sorted; a module importing itself counts."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:  # iterative would be longer; the graph is ~150 modules deep at most
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in graph:
                continue
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group: list[str] = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                group.append(top)
                if top == node:
                    break
            if len(group) > 1 or node in graph.get(node, ()):
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def _graph() -> dict[str, set[str]]:
    """Module → the modules it imports; `from pkg import name` counts as importing `pkg.name` when that is a
    module, else `pkg`."""
    modules = {module_name(p) for p in _modules()}
    graph: dict[str, set[str]] = {}
    for path in _modules():
        own = module_name(path)
        targets = set()
        for target, _ in imports(path):
            while target not in modules and "." in target:
                target = target.rpartition(".")[0]
            if target in modules and target != own and not (own.startswith(target + ".") and
                                                            target == own.rpartition(".")[0]):
                targets.add(target)
        graph[own] = targets
    return graph


def test_no_modules_import_each_other_round() -> None:
    rings = cycles(_graph())
    assert not rings, "modules that import each other round (every import counts, also inside functions):\n" + \
        "\n".join(" → ".join(ring) for ring in rings)


def test_a_ring_of_three_is_found() -> None:
    """The cycle check must see rings longer than two: `meetings → publish.bilag → packet.sources → meetings`
    passed the earlier pairs-only check."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}, "f": {"g"}, "g": set()}
    assert cycles(graph) == [["a", "b", "c"], ["e"]]
    assert cycles({"x": {"y"}, "y": set()}) == []


def test_the_table_names_only_modules_that_exist() -> None:
    modules = {module_name(p) for p in _modules()}
    missing = [prefix for _, prefixes in LAYERS for prefix in prefixes
               if prefix not in modules and not any(m.startswith(prefix + ".") for m in modules)]
    assert not missing, f"LAYERS names modules or packages that do not exist: {missing}"


def test_each_package_sits_in_one_layer() -> None:
    """A folder per layer: every module of a package is in the layer of the package itself."""
    mixed = sorted({module_name(p) for p in _modules() if p.name != "__init__.py" and p.parent != PACKAGE
                    and layer_of(module_name(p)) != layer_of(module_name(p.parent / "__init__.py"))})
    assert not mixed, f"modules whose layer differs from their package's: {mixed}"


# The check itself must be able to fail: each kind of upward import, placed in a made-up module, is caught.
@pytest.mark.parametrize(("source", "module"), [
    ("from ..render.pdf import write_pdf\n", "referat.validate.bad"),  # a writer from validation
    ("def f():\n    from ..takster.annex import check_file\n", "referat.validate.bad"),  # inside a function
    ("import referat.app.build\n", "referat.archive.bad"),  # absolute, application from a feature
    ("from .. import cli\n", "referat.model.bad"),  # `from .. import module`
    ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..load.parse import x\n", "referat.model.bad"),
])
def test_the_check_catches_an_upward_import(source: str, module: str) -> None:
    assert upward(module, imports_of(source, module))


def test_a_new_top_level_module_must_be_placed() -> None:
    assert layer_of("referat.newthing") is None
    assert layer_of("referat.render.newwriter") == [name for name, _ in LAYERS].index("writers")


# Inversion: validation imports neither takster nor archive; their checks reach it through the context.
ITEM_WITH_TAKSTBILAG = "titel: Takster 2023\nbilag:\n  - titel: Bilag 1. Takstbilag\n    fil: takster.yaml\n"


def test_the_takstbilag_check_is_passed_down_not_imported(make_meeting) -> None:  # type: ignore[no-untyped-def]
    from referat.app.pipeline import check_folder as full
    from referat.validate import validate_folder as plain

    folder = make_meeting({"a.yaml": ITEM_WITH_TAKSTBILAG}, bilag={"takster.yaml": b"\xc3\xa5r: 2023\nukendt: 1\n"})
    bilag = folder / "bilag" / "takster.yaml"
    _, without = plain(folder)
    assert not [d for d in without.items if d.location.path == bilag]  # validation alone does not know takstbilag
    _, checked = full(folder)
    assert [d for d in checked.errors if d.location.path == bilag and d.location.line == 2], checked.lines()


def test_a_ring_of_previous_minutes_ends_without_module_state(make_meeting) -> None:  # type: ignore[no-untyped-def]
    import referat.validate.bilag as bilag_rules
    from referat.app.pipeline import check_folder as check_meeting

    item = "titel: Referat\nbeslutning: Godkendt.\nbilag:\n  - titel: Bilag 1. Referat\n    referat: ../{other}\n"
    one = make_meeting({"a.yaml": item.format(other="to")}, fase="referat", name="en")
    make_meeting({"a.yaml": item.format(other="en")}, fase="referat", name="to")
    for _ in range(2):  # the same answer twice: nothing is left behind between runs
        _, report = check_meeting(one)
        assert any("henvisningerne går i ring" in d.message for d in report.errors), report.lines()
    # the meetings being followed live in the validation's Context, not in a module-level set
    assert not [name for name, value in vars(bilag_rules).items() if isinstance(value, set)]
