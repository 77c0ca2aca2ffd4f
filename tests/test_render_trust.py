"""Rendering untrusted text and templates: only safe links are live, Word templates run sandboxed, and
over-long words still give a correct PDF.

Item texts and Word templates may come by e-mail from anyone (docs/format.md); what they hold is data.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from pypdf import PdfReader

from conftest import MEETING, dedent
from referat.render.richtext import parse, safe_url

ITEM = "01-punkt.yaml"

SAFE = ["https://www.nordjysksocialaftale.dk/styringsaftale", "http://eksempel.dk/a?b=1#c", "mailto:sekretariat@eksempel.dk"]
UNSAFE = [  # (as typed in the YAML block, the address, what a reader sees instead)
    ("[klik](javascript:alert(1))", "javascript:alert(1)", "[klik](javascript:alert(1))"),
    ("[Klik](JavaScript:alert(2))", "JavaScript:alert(2)", "[Klik](JavaScript:alert(2))"),
    ("[vb](vbscript:msgbox(1))", "vbscript:msgbox(1)", "[vb](vbscript:msgbox(1))"),
    ("[data](data:text/html;base64,PHNjcmlwdD4=)", "data:text/html;base64,PHNjcmlwdD4=",
     "[data](data:text/html;base64,PHNjcmlwdD4=)"),
    ("[fil](file:///etc/passwd)", "file:///etc/passwd", "[fil](file:///etc/passwd)"),
    ("<file:///C:/Windows/system32/calc.exe>", "file:///C:/Windows/system32/calc.exe",
     "<file:///C:/Windows/system32/calc.exe>"),
    ("[unc](\\\\\\\\server\\\\share)", "\\\\server\\share", "[unc](\\\\server\\share)"),
    ("[unc2](//server/share/fil.exe)", "//server/share/fil.exe", "[unc2](//server/share/fil.exe)"),
    ("[relativ](../møde.yaml)", "../møde.yaml", "[relativ](../møde.yaml)"),
]


def _case() -> str:
    lines = [f"Sikker {n}: [link {n}]({url})" for n, url in enumerate(SAFE)]
    lines += [f"Usikker {n}: {typed}" for n, (typed, _, _) in enumerate(UNSAFE)]
    return "\n\n".join(lines)


def _build(tmp: Path, case: str, formats: str = "txt,docx,pdf") -> Path:
    from referat.cli import main

    folder = tmp / "møde"
    (folder / "punkter").mkdir(parents=True)
    (folder / "bilag").mkdir()
    block = "".join(f"  {line}\n" if line else "\n" for line in case.splitlines())
    (folder / "punkter" / ITEM).write_text("titel: Links\nsagsfremstilling: |\n" + block, encoding="utf-8")
    (folder / "møde.yaml").write_text(dedent(MEETING.format(fase="dagsorden", items=ITEM)), encoding="utf-8")
    out = tmp / "out"
    assert main(["build", str(folder), "--format", formats, "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("links"), _case())


def _pdf_actions(path: Path) -> list[tuple[str, str | None]]:
    """(action type, URI) of every link annotation's action in the PDF."""
    found = []
    for page in PdfReader(path).pages:
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            action = annot.get("/A")
            if action is not None:
                action = action.get_object()
                found.append((str(action.get("/S")), str(action["/URI"]) if "/URI" in action else None))
    return found


def test_only_http_https_and_mailto_are_live_in_the_pdf(linked: Path) -> None:
    actions = _pdf_actions(linked / "dagsorden.pdf")
    uris = sorted(uri for kind, uri in actions if kind == "/URI")
    assert uris == sorted(SAFE)
    assert {kind for kind, _ in actions} <= {"/URI", "/GoTo"}  # no /Launch, /GoToR, /JavaScript
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(linked / "dagsorden.pdf").pages).split())
    for _, _, shown in UNSAFE:
        assert shown in text, shown


def test_only_http_https_and_mailto_are_live_in_word(linked: Path) -> None:
    document = docx.Document(str(linked / "dagsorden.docx"))
    targets = sorted(rel.target_ref for rel in document.part.rels.values() if rel.reltype == RT.HYPERLINK)
    assert targets == sorted(SAFE)
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    for _, _, shown in UNSAFE:
        assert shown in paragraphs, shown
    assert "link 0" in paragraphs and "[link 0]" not in paragraphs  # a safe link shows its text only


def test_text_edition_prints_unsafe_links_as_typed(linked: Path) -> None:
    text = (linked / "dagsorden.txt").read_text("utf-8")
    for _, _, shown in UNSAFE:
        assert shown in text, shown


@pytest.mark.parametrize("url", ["javascript:alert(1)", " javascript:alert(1)", "jAvAsCrIpT:x", "vbscript:x",
                                 "data:text/html,x", "file:///etc/passwd", "\\\\server\\share", "//server/share",
                                 "http:\\\\server\\share", "https://bruger@evil.dk", "https://", "www.eksempel.dk",
                                 "bilag/a.pdf", "https://eksempel.dk/a b", "mailto:"])
def test_unsafe_addresses(url: str) -> None:
    assert not safe_url(url)
    assert not [n for b in parse(f"[x]({url})") for n in b.get("inlines", []) if n["t"] == "link"]


@pytest.mark.parametrize("url", [*SAFE, "HTTPS://EKSEMPEL.DK", "mailto:a@b.dk?subject=Møde"])
def test_safe_addresses(url: str) -> None:
    assert safe_url(url)
