"""The text writer: the document view as plain UTF-8 text (for e-mail, diffs and quick reading)."""

from __future__ import annotations

import textwrap

from ..text.richtext import inline_text, row_texts
from ..view.types import Block, DocumentView

WIDTH = 100


def write_text(view: DocumentView) -> str:
    layout = view["layout"]
    out: list[str] = [line["text"] for line in layout["title"]] + [""]
    for row in view["front"]:
        lines = list(row["lines"]) + [_block_lines(b, 0) for b in row.get("blocks", [])]
        indent = " " * (len(row["label"]) + 2)
        body = "\n".join(_wrap(line, "", 0, indent) if len(line) + len(indent) > WIDTH else line
                         for line in lines)
        out.append((f"{row['label']}: " + body.replace("\n", "\n" + indent)).rstrip())
    if layout["toc"] != "none":
        out += ["", RULE] if layout["toc"] == "page" else [""]
        out.append(view["labels"]["toc"])
        for item in view["items"]:
            if item["opens_group"] and item["group"]:
                out.append(f"  {item['group']['bookmark']}")
            out.append(("    " if item["group"] else "  ") + item["bookmark"])
    for item in view["items"]:
        out += ["", RULE]
        if layout["header"] == "every_page":  # each item is a page of its own here: its header names its access
            out += [view["header"] + item["access"].rjust(WIDTH - len(view["header"])), ""]
        else:
            out += [view["header"], ""]
        if item["opens_group"] and item["group"]:
            out += [item["group"]["bookmark"], ""]
        out += [item["access"], item["label"], item["title"]]
        if item["case_number"]:
            out.append(item["case_number"])
        if item["time_slot"]:
            out.append(item["time_slot"])
        if item["notice"]:
            out += ["", item["notice"]]
        for section in item["sections"]:
            out.append("")
            if section["heading"]:
                out += [section["heading"], ""]
            if section["type"] == "points":
                if section["lead_in"]:
                    out.append(_wrap(section["lead_in"], ""))
                for n, point in enumerate(section["points"], start=1):
                    out.append(_wrap(point["text"], f"{n}. " if layout["points"] == "numbered" else "• "))
                    out += [_wrap(s, "   – " if layout["points"] == "bullets" else "   • ") for s in point["sub"]]
            elif section["type"] == "bilag":
                out += [_wrap(b["title"], "- ") for b in section["bilag"]]
            else:
                out += [_block_lines(b, 0) for b in section["blocks"]]
    return "\n".join(out).rstrip() + "\n"


RULE = "=" * WIDTH


def _wrap(text: str, prefix: str, indent: int = 0, hang: str | None = None) -> str:
    lead = " " * indent + prefix
    return textwrap.fill(text, WIDTH - (len(hang) if hang is not None else 0), initial_indent=lead,
                         subsequent_indent=" " * len(lead), break_long_words=False,
                         break_on_hyphens=False) or lead.rstrip()


def _block_lines(block: Block, indent: int) -> str:
    """A block laid out as text: paragraphs wrapped, list items under their marker, nested lists indented."""
    if block["type"] == "par":
        return _wrap(inline_text(block["inlines"]), "", indent) + "\n"
    if block["type"] == "heading":
        return " " * indent + inline_text(block["inlines"]).upper() + "\n"
    if block["type"] == "list":
        lines = []
        for n, item in enumerate(block["items"], start=block["start"]):
            marker = f"{n}. " if block["ordered"] else "• "
            for k, sub in enumerate(item):
                if sub["type"] == "par":
                    text = inline_text(sub["inlines"])
                    lines.append(_wrap(text, marker if k == 0 else " " * len(marker), indent))
                else:
                    lines.append(_block_lines(sub, indent + len(marker)).rstrip("\n"))
        return "\n".join(lines) + "\n"
    return "\n".join(" " * indent + row for row in row_texts(block)) + "\n"
