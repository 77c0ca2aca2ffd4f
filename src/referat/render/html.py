"""The HTML writer: the document view as one self-contained, accessible web page (the accessible publication).

The page layout lives in a jinja2 template (`templates/html/dokument.html.j2`) the secretariat may restyle. It is
loaded only from the project's templates folder (the one that holds the committee profile) or the bundled copy,
rendered in a sandbox with autoescaping, so text from YAML — `<script>`, `{{ }}`, `&` — prints literally.
No JavaScript; the stylesheet (screen and print) is inline, so the page needs no other file to be read.

Like the Typst and Word writers, this one places what the typed `DocumentView` says and words nothing itself: the
page's own words ("Gå til indholdet", "Sagsnummer {nummer}", "Kl. {tid}") and an item's anchor ("punkt-{nummer}")
come from the view's `labels` (`view/labels.py`), filled in by the template's `fill` filter.
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from pathlib import Path

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from ..diagnostics import Location, ReferatError
from ..errors import TemplateError
from ..view.types import Block, DocumentView, Inline, ItemView

TEMPLATE = "dokument.html.j2"


@lru_cache(maxsize=8)
def _environment(folder: str) -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(loader=FileSystemLoader(folder), autoescape=True,
                                        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                                        keep_trailing_newline=True)
    env.filters["inlines"] = inlines_html
    env.filters["blocks"] = blocks_html
    env.filters["fill"] = fill
    env.filters["css_string"] = css_string
    env.filters["page_number"] = page_number_css
    return env


def fill(pattern: str, **values: str) -> str:
    """A label with its values in place: `fill("Kl. {tid}", tid="10.00")`. Each `{name}` is replaced as text (as
    the Typst template does), so a value holding braces is never read as a pattern."""
    for name, value in values.items():
        pattern = pattern.replace("{" + name + "}", str(value))
    return pattern


class AnchoredItem(ItemView):
    """An item as the template receives it: the view's item and its anchor in the page."""

    anchor: str


def css_string(text: str) -> Markup:
    """`text` as a CSS string literal: every character but letters, digits and spaces as a CSS escape, so that
    nothing in it can end the string or the style element ("</style>", quotes, backslashes)."""
    out = []
    for c in str(text):
        out.append(c if (c.isascii() and c.isalnum()) or c == " " else f"\\{ord(c):06x}")
    return Markup('"' + "".join(out) + '"')


def page_number_css(pattern: str) -> Markup:
    """The print edition's page number in the profile's wording ("Side {x} af {y}") as an @page margin box."""
    parts = []
    for piece in re.split(r"(\{x\}|\{y\})", str(pattern)):
        if piece == "{x}":
            parts.append("counter(page)")
        elif piece == "{y}":
            parts.append("counter(pages)")
        elif piece:
            parts.append(str(css_string(piece)))
    return Markup("@bottom-right { content: " + " ".join(parts) + "; }")


def template_folder(word_template: Path) -> Path:
    """templates/html beside the profile's templates folder (where templates/word is)."""
    return word_template.parent.parent / "html"


def write_html(view: DocumentView, folder: Path, links: dict[str, str] | None = None,
               logo: Path | None = None) -> bytes:
    """The page for one document. `links` maps a bilag id ("3.1") to the file it is published as."""
    if not (folder / TEMPLATE).is_file():
        raise TemplateError("HTML-skabelonen findes ikke", Location(folder / TEMPLATE))
    try:
        template = _environment(str(folder)).get_template(TEMPLATE)
        items = [_with_anchor(item, view["labels"]["anchor"]) for item in view["items"]]
        text = template.render(doc=view, items=items, links=links or {}, logo=_logo_uri(logo))
    except ReferatError:
        raise
    except Exception as exc:  # noqa: BLE001 - a restyled template with an error: name the file, no traceback
        line = getattr(exc, "lineno", None)
        raise TemplateError(f"HTML-skabelonen kan ikke bruges: {exc}", Location(folder / TEMPLATE, line)) from None
    return text.encode("utf-8")


def _with_anchor(item: ItemView, anchor: str) -> AnchoredItem:
    return {**item, "anchor": fill(anchor, nummer=item["number"])}


def _logo_uri(logo: Path | None) -> str | None:
    if logo is None or not logo.is_file():
        return None
    kind = {".png": "image/png", ".svg": "image/svg+xml", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}.get(
        logo.suffix.lower())
    if kind is None:
        return None
    return f"data:{kind};base64," + base64.b64encode(logo.read_bytes()).decode("ascii")


_SAFE_SCHEMES = ("http://", "https://", "mailto:")


def inlines_html(inlines: list[Inline]) -> Markup:
    out: list[str] = []
    for node in inlines:
        if node["type"] == "text":
            out.append(str(escape(node["v"])))
        elif node["type"] == "code":
            out.append(f"<code>{escape(node['v'])}</code>")
        elif node["type"] == "br":
            out.append("<br>")
        elif node["type"] == "strong":
            out.append(f"<strong>{inlines_html(node['c'])}</strong>")
        elif node["type"] == "emph":
            out.append(f"<em>{inlines_html(node['c'])}</em>")
        elif node["type"] == "link":
            url = node["url"]
            inner = inlines_html(node["c"])
            if url.lower().startswith(_SAFE_SCHEMES):
                out.append(f'<a href="{escape(url)}">{inner}</a>')
            else:  # javascript:, data:, relative paths: the text only
                out.append(str(inner))
    return Markup("".join(out))


def blocks_html(blocks: list[Block], level: int = 4) -> Markup:
    out: list[str] = []
    for block in blocks:
        if block["type"] == "par":
            out.append(f"<p>{inlines_html(block['inlines'])}</p>")
        elif block["type"] == "heading":
            out.append(f"<h{level}>{inlines_html(block['inlines'])}</h{level}>")
        elif block["type"] == "list":
            if block["ordered"]:
                start = block["start"]
                tag, attrs = "ol", (f' start="{int(start)}"' if start != 1 else "")
            else:
                tag, attrs = "ul", ""
            items = "".join(f"<li>{blocks_html(item, level)}</li>" for item in block["items"])
            out.append(f"<{tag}{attrs}>{items}</{tag}>")
        elif block["type"] == "table":
            parts = ["<table>"]
            if block["header"]:
                cells = "".join(f'<th scope="col">{inlines_html(c)}</th>' for c in block["header"])
                parts.append(f"<thead><tr>{cells}</tr></thead>")
            parts.append("<tbody>")
            for row in block["rows"]:
                parts.append("<tr>" + "".join(f"<td>{inlines_html(c)}</td>" for c in row) + "</tr>")
            parts.append("</tbody></table>")
            out.append("".join(parts))
    return Markup("\n".join(out))
