"""`text.tomarkdown` writes rich-text blocks back as the project's Markdown subset: parse(to_markdown(parse(t)))
is parse(t), for every text of the example meetings and for generated texts full of Markdown's own characters."""

from __future__ import annotations

from hypothesis import assume, example, given
from hypothesis import strategies as st
from ruamel.yaml import YAML

from conftest import ROOT
from referat.text.richtext import inline_text, parse
from referat.text.tomarkdown import escape, to_markdown

FIELDS = ("resumé", "baggrund", "sagsfremstilling", "beslutning", "offentlig_beslutning")


def _texts() -> list[tuple[str, str]]:
    yaml = YAML(typ="safe")
    out = []
    for path in sorted((ROOT / "agendas").glob("*/punkter/*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"))
        out += [(f"{path.name}:{key}", data[key]) for key in FIELDS if data.get(key)]
    return out


def test_every_example_text_comes_back_from_its_markdown() -> None:
    texts = _texts()
    assert len(texts) > 50
    for name, text in texts:
        blocks = parse(text)
        assert parse(to_markdown(blocks)) == blocks, name


def test_text_that_looks_like_markup_is_escaped() -> None:
    for text in ("1. april 2026", "- ikke en liste", "# ikke en overskrift", "*ikke kursiv*", "[[skjul: x]]",
                 "snake_case og _kant_", "C:\\Temp\\x", "`kode`", "> citat", "2) punkt"):
        blocks = [{"type": "par", "inlines": [{"type": "text", "v": text}]}]
        assert parse(to_markdown(blocks)) == blocks, text  # type: ignore[arg-type]
    assert escape("1. april") == "1\\. april"


_ALPHABET = st.sampled_from(list("ab æø 12.)-*_#>[]`\\|!<&") + ["\n", "\n\n", "  \n", "- ", "1. ", "**", "    "])


def _has_empty(node: object) -> bool:
    """An empty paragraph or list item ("- ***", "- "): nothing to print, and the importer never makes one (it
    skips empty paragraphs), so the writer need not keep them; nor code blocks, nor emphasis nested in
    the same emphasis."""
    if isinstance(node, list):
        return any(_has_empty(n) for n in node)
    if isinstance(node, dict):
        if node.get("type") == "par" and not node.get("inlines"):
            return True
        if node.get("type") == "list" and any(not item for item in node.get("items", [])):
            return True
        if node.get("type") == "list" and "'code'" in repr(node):
            return True  # an indented code block in a list item: not kept (Word gives no code blocks)
        if node.get("type") == "code" and node["v"] != node["v"].strip():
            return True  # an indented code block (Word gives none): its blank lines are not kept exactly
        if node.get("type") in ("emph", "strong") and f"'type': '{node['type']}'" in repr(node.get("c")):
            return True  # emphasis inside the same emphasis: Word runs never give it
        if node.get("type") in ("emph", "strong") and (not inline_text(node["c"]).strip()
                                                        or "\n" in inline_text(node["c"])):
            return True  # emphasis around nothing but spaces, or across a line break (Word splits runs there)
        return any(_has_empty(v) for v in node.values())
    return False


def _edges(node: object) -> object:
    """Spaces at a paragraph's edges (the parser leaves one where an empty heading stood in a list item) print as
    nothing, and a paragraph from Word never has them."""
    if isinstance(node, list):
        return [_edges(n) for n in node]
    if isinstance(node, dict):
        out = {k: _edges(v) for k, v in node.items()}
        if node.get("type") == "par" and out["inlines"]:
            inl = [dict(n) for n in out["inlines"]]  # type: ignore[union-attr]
            while inl and inl[-1].get("type") == "br":
                inl.pop()  # a line break at a paragraph's end breaks nothing
            if not inl:
                return out
            if inl[0].get("type") == "text":
                inl[0]["v"] = inl[0]["v"].lstrip()
            if inl[-1].get("type") == "text":
                inl[-1]["v"] = inl[-1]["v"].rstrip()
            out["inlines"] = [n for n in inl if not (n.get("type") == "text" and not n["v"])]
        return out
    return node


@given(st.lists(_ALPHABET, min_size=1, max_size=40).map("".join))
@example("  \n|  \n|")  # a paragraph of two lines, each a pipe: its Markdown read back as a table
def test_generated_markdown_comes_back(text: str) -> None:
    blocks = parse(text)
    assume(not _has_empty(blocks))
    assert _edges(parse(to_markdown(blocks))) == _edges(blocks)
