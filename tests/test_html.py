"""The HTML writer (`build --format html`): structure a screen reader relies on, literal text, safe templates."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent

ITEM = """\
titel: "Plan <script>alert(1)</script> & {{ 7*7 }}"
type: orientering
resumé: |
  Et afsnit med **fed** tekst og et [farligt link](javascript:alert) og et [godt link](https://example.dk).

  - første punkt
  - andet punkt

  | Kolonne A | Kolonne B |
  |---|---|
  | 1 | 2 |
indstilling:
  - tager orienteringen til efterretning
bilag:
  - titel: Bilag 1. Offentligt notat
    fil: notat.pdf
  - titel: Bilag 2. Internt notat
    fil: internt.pdf
    offentlig: false
"""


class Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(path: Path) -> Outline:
    outline = Outline()
    outline.feed(path.read_text(encoding="utf-8"))
    return outline


def built(make_meeting, run, tmp_path: Path, *extra: str) -> Path:  # type: ignore[no-untyped-def]
    from conftest import text_pdf

    folder = make_meeting({"01-dagsorden.yaml": "titel: Godkendelse af dagsorden\ntype: standard\n", "02-plan.yaml": ITEM},
                          bilag={"notat.pdf": text_pdf("offentligt notat"), "internt.pdf": text_pdf("internt")})
    code, _, err = run("build", folder, "--format", "html", "--offentlig", "--out", tmp_path / "ud", *extra)
    assert code == 0, err
    return tmp_path / "ud"


def test_page_structure(make_meeting, run, tmp_path: Path) -> None:
    out = built(make_meeting, run, tmp_path)
    page = parse(out / "dagsorden.html")
    tags = [t for t, _ in page.tags]
    attrs = dict(page.tags)
    assert attrs["html"]["lang"] == "da"
    assert tags.count("h1") == 1 and "script" not in tags
    assert {"header", "main", "footer"} <= set(tags)
    assert "nav" not in tags  # DAS' profile has no table of contents (tests/test_layout.py has one)
    ids = [a["id"] for t, a in page.tags if t == "h2" and a.get("id", "").startswith("punkt-")]
    assert ids == ["punkt-1", "punkt-2"]
    assert {"h3", "ol", "ul", "table", "th", "strong"} <= set(tags)
    assert [a["scope"] for t, a in page.tags if t == "th"] == ["col", "col"]


def test_text_prints_literally_and_unsafe_links_are_text(make_meeting, run, tmp_path: Path) -> None:
    out = built(make_meeting, run, tmp_path)
    html = (out / "dagsorden.html").read_text(encoding="utf-8")
    assert "Plan &lt;script&gt;alert(1)&lt;/script&gt; &amp; {{ 7*7 }}" in html
    assert 'href="javascript' not in html and "farligt link" in html
    assert 'href="https://example.dk"' in html and "farligt link" in html


def test_bilag_are_linked_beside_the_page_and_public_edition_links_only_public_ones(make_meeting, run,
                                                                                      tmp_path: Path) -> None:
    out = built(make_meeting, run, tmp_path)
    internal = [a["href"] for t, a in parse(out / "dagsorden.html").tags if t == "a" and "bilag-" in (a.get("href") or "")]
    public = [a["href"] for t, a in parse(out / "dagsorden-offentlig.html").tags
              if t == "a" and "bilag-" in (a.get("href") or "")]
    assert internal == ["bilag-2-1.pdf", "bilag-2-2.pdf"] and public == ["bilag-2-1.pdf"]
    assert "offentligt" in PdfReader(out / "bilag-2-1.pdf").pages[0].extract_text()
    assert "Bilag 2. Internt notat (ikke offentligt bilag)" in (out / "dagsorden-offentlig.html").read_text("utf-8")
    assert PdfReader(out / "bilag-2-1.pdf").metadata["/Title"] == "Bilag 2.1 Bilag 1. Offentligt notat"


def test_same_bytes_twice(make_meeting, run, tmp_path: Path) -> None:
    out = built(make_meeting, run, tmp_path)
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    code, _, err = run("build", out.parent / "møde", "--format", "html", "--offentlig", "--out", tmp_path / "igen")
    assert code == 0, err
    assert first == {p.name: p.read_bytes() for p in (tmp_path / "igen").iterdir()}


def _templates(tmp_path: Path) -> Path:
    copy = tmp_path / "skabeloner"
    shutil.copytree(ROOT / "templates", copy)
    return copy


def test_a_restyled_template_is_used(make_meeting, run, tmp_path: Path) -> None:
    templates = _templates(tmp_path)
    page = templates / "html" / "dokument.html.j2"
    page.write_text(page.read_text(encoding="utf-8").replace("<main id=\"indhold\">", "<main id=\"indhold\" class=\"omstylet\">"),
                    encoding="utf-8")
    out = built(make_meeting, run, tmp_path, "--skabeloner", str(templates))
    assert 'class="omstylet"' in (out / "dagsorden.html").read_text(encoding="utf-8")


def test_a_template_cannot_reach_python_and_errors_name_the_file(make_meeting, run, tmp_path: Path) -> None:
    from conftest import tiny_pdf

    templates = _templates(tmp_path)
    page = templates / "html" / "dokument.html.j2"
    folder = make_meeting({"01-plan.yaml": ITEM}, bilag={"notat.pdf": tiny_pdf(), "internt.pdf": tiny_pdf()})
    for body, words in (("{{ ''.__class__.__mro__[1].__subclasses__() }}", "kan ikke bruges"),
                        ("{% for x in %}", "kan ikke bruges")):
        page.write_text(body, encoding="utf-8")
        code, _, err = run("build", folder, "--format", "html", "--out", tmp_path / "ud",
                           "--skabeloner", str(templates))
        assert code == 1 and "dokument.html.j2" in err and words in err and "Traceback" not in err
    assert not (tmp_path / "ud").exists()


def test_the_writer_itself_never_links_an_unsafe_url() -> None:
    from referat.render.html import inlines_html

    for node in ({"type": "link", "url": "javascript:alert(1)", "c": [{"type": "text", "v": "x<y"}]},
                 {"type": "link", "url": "data:text/html,hi", "c": [{"type": "text", "v": "x<y"}]}):
        assert str(inlines_html([node])) == "x&lt;y"
    ok = {"type": "link", "url": "https://example.dk/?a=1&b=\"2\"", "c": [{"type": "text", "v": "ok"}]}
    assert str(inlines_html([ok])) == '<a href="https://example.dk/?a=1&amp;b=&#34;2&#34;">ok</a>'


@pytest.mark.parametrize("anchor", [None, "emne-{nummer}"])
def test_the_sites_decision_register_links_to_anchors_the_page_has(run, tmp_path: Path, anchor: str | None,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The item anchor has one source, the view's label: the register's links land on the page's headings, also
    when the label changes."""
    from referat.view import labels

    if anchor is not None:
        monkeypatch.setattr(labels, "ITEM_ANCHOR", anchor)
    code, _, err = run("publish", "--site", tmp_path / "site", ROOT / "agendas" / "demo-2026-06-15-das-social")
    assert code == 0, err
    register = parse(tmp_path / "site" / "beslutninger.html")
    targets = [a["href"] for t, a in register.tags if t == "a" and "#" in (a.get("href") or "")]
    assert targets
    for target in targets:
        page_name, fragment = target.split("#")
        page = parse(tmp_path / "site" / page_name)
        assert fragment in {a.get("id") for _, a in page.tags}, target
        assert fragment.startswith((anchor or "punkt-{nummer}").split("{")[0])
