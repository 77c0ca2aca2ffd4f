"""Rendering untrusted text and templates: only safe links are live, Word templates run sandboxed, and
over-long words still give a correct PDF.

Item texts and Word templates may come by e-mail from anyone (docs/format.md); what they hold is data.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from pypdf import PdfReader

from conftest import MEETING, dedent
from referat.text.richtext import parse, safe_url

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
    assert not [n for b in parse(f"[x]({url})") for n in b.get("inlines", []) if n["type"] == "link"]


@pytest.mark.parametrize("url", [*SAFE, "HTTPS://EKSEMPEL.DK", "mailto:a@b.dk?subject=Møde"])
def test_safe_addresses(url: str) -> None:
    assert safe_url(url)


# --- Word templates are rendered in Jinja's sandbox --------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]


def _templates_with(tmp: Path, field: str) -> Path:
    """A templates folder whose profile 'fjendtlig' uses a copy of the real Word template with `field` added
    as the first paragraph (one run, as typed in Word)."""
    templates = tmp / "skabeloner"
    (templates / "udvalg").mkdir(parents=True)
    (templates / "word").mkdir()
    profile = (ROOT / "templates" / "udvalg" / "das-social.yaml").read_text("utf-8")
    (templates / "udvalg" / "fjendtlig.yaml").write_text(profile, encoding="utf-8")
    document = docx.Document(str(ROOT / "templates" / "word" / "dokument.docx"))
    document.paragraphs[0].insert_paragraph_before(field)
    document.save(str(templates / "word" / "dokument.docx"))
    return templates


def _build_with(make_meeting: Callable[..., Path], run: Callable[..., tuple[int, str, str]], tmp: Path, field: str,
                formats: str = "docx") -> tuple[int, str, str]:
    """`referat build` of a small meeting of the committee 'fjendtlig', whose Word template has `field` (above)."""
    templates = _templates_with(tmp, field)
    folder = make_meeting()
    meeting_file = folder / "møde.yaml"
    meeting_file.write_text(meeting_file.read_text("utf-8").replace("udvalg: das-social", "udvalg: fjendtlig"), "utf-8")
    return run("build", folder, "--format", formats, "--out", tmp / "ud", "--skabeloner", templates)


@pytest.mark.parametrize("exploit", [
    "{{ cycler.__init__.__globals__.os.system('touch ' ~ marker) }}",
    "{{ self.__init__.__globals__.__builtins__.__import__('os').system('touch ' ~ marker) }}",
    "{{ titel.__class__.__mro__[1].__subclasses__() }}",
    "{{ lipsum.__globals__['os'].popen('touch ' ~ marker).read() }}",
])
def test_a_template_cannot_run_commands(make_meeting, run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        exploit: str) -> None:
    monkeypatch.chdir(tmp_path)  # the message names the template relative to the working directory
    marker = tmp_path / "SKET"
    code, out, err = _build_with(make_meeting, run, tmp_path, exploit.replace("marker", f"'{marker}'"), "docx,pdf")
    assert not marker.exists(), "skabelonen kørte en kommando"
    assert code == 1, err
    assert "skabeloner/word/dokument.docx: fejl: Word-skabelonen bruger «" in err, err
    assert "som en skabelon ikke må bruge; en skabelon kan kun bruge felterne organisation, udvalg" in err
    assert "Traceback" not in err + out
    assert not (tmp_path / "ud").exists()  # nothing written


def test_a_template_with_a_broken_field_is_named_with_its_paragraph(make_meeting, run, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = _build_with(make_meeting, run, tmp_path, "Mødets titel: {{ titel titel }}")
    assert code == 1, err
    line = next(line for line in err.splitlines() if ": fejl: " in line)
    assert line.startswith("skabeloner/word/dokument.docx: fejl: Word-skabelonen har et felt ({{ … }} eller {% … %}), "
                           "der ikke kan læses i afsnittet «Mødets titel: {{ titel titel }}"), line


def test_a_template_that_loops_forever_is_stopped(make_meeting, run, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The sandbox bounds what a template touches, not its run time: 10⁵ × 10⁵ loops are stopped by a timer
    (20 s in use; 2 s here) with a message naming the template."""
    import signal

    from referat.render.word import writer

    if not hasattr(signal, "setitimer"):
        pytest.skip("no interval timers on this platform (Windows): templates are not time-limited there")
    monkeypatch.setattr(writer, "TEMPLATE_SECONDS", 2.0)
    monkeypatch.chdir(tmp_path)
    code, _, err = _build_with(make_meeting, run, tmp_path, "{% for i in range(100000) %}{% for j in range(100000) %}"
                                                            "{% endfor %}{% endfor %}")
    assert code == 1, err
    assert ("skabeloner/word/dokument.docx: fejl: Word-skabelonen blev ikke færdig på 2 sekunder; den gentager vist "
            "en løkke ({% for … %}) for mange gange") in err, err
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)  # the timer is off again
    assert not (tmp_path / "ud").exists()


def test_template_fields_still_fill_in(make_meeting, run, tmp_path: Path) -> None:
    """The sandbox changes nothing for an honest template: its fields are filled, values stay text."""
    code, _, err = _build_with(make_meeting, run, tmp_path,
                               "Til {{ kortnavn }}: {{ titel }} {{ '<b>' }} {{ forside|length > 0 }}")
    assert code == 0, err
    first = docx.Document(str(tmp_path / "ud" / "dagsorden.docx")).paragraphs[0].text
    assert first.startswith("Til DAS Social: ") and first.endswith(" <b> True"), first


# --- very long words ---------------------------------------------------------------------------------------

def _word(n: int) -> str:
    """A 'word' of n letters with no break opportunity in it (a pasted hash or a key held down)."""
    return ("Referatørbogstavrække" * (n // 21 + 1))[:n]


def _page_texts(path: Path) -> list[str]:
    """The text of each page, without the running header, the page footer and all white space."""
    import re

    pages = []
    for page in PdfReader(path).pages:
        kept = [line for line in page.extract_text().splitlines()
                if line.strip() != "Mødet den 23.02.2026 DAS Social" and not re.fullmatch(r"\s*Side \d+ af \d+\s*", line)]
        pages.append(re.sub(r"[\s\u200b]", "", "".join(kept)))
    return pages


def _pdf_text(path: Path) -> str:
    return "".join(_page_texts(path))


@pytest.mark.parametrize("size", [40_000, 100_000])
def test_a_very_long_word_builds_a_pdf_with_all_its_text(make_meeting, run, tmp_path: Path, size: int) -> None:
    """40.000 characters made Typst panic and 100.000 blamed our own template; now the word wraps across lines
    (and pages) in the PDF, in an item title, a Markdown sub-heading and a paragraph, and the text edition
    keeps it unbroken."""
    word = _word(size)
    small = size == 40_000  # the 100.000 case only in a paragraph: reading ~100 pages back with pypdf takes long
    title = word if small else "Langt ord"
    heading = f"### {word}\n\n" if small else ""
    folder = make_meeting({ITEM: f"titel: {title}\nsagsfremstilling: |\n  Indledning.\n\n  {heading}  {word} slut.\n"})
    code, _, err = run("build", folder, "--format", "pdf,txt", "--out", tmp_path / "ud")
    assert code == 0, err
    text = _pdf_text(tmp_path / "ud" / "dagsorden.pdf")
    assert f"Punkt1.{title.replace(' ', '')}" in text  # the title: its heading and its continuation
    assert f"Indledning.{word if small else ''}{word}slut." in text
    edition = (tmp_path / "ud" / "dagsorden.txt").read_text("utf-8")
    assert "\u200b" not in edition
    # title and paragraph (DAS' profile prints no table of contents); the text edition prints sub-headings in
    # capitals
    assert edition.count(word) == (2 if small else 1) and (word.upper() in edition) == small


def test_break_opportunities_only_in_long_words_and_never_in_addresses() -> None:
    from referat.render.pdf import BREAK_EVERY, LONG_WORD, breakable

    normal = "Socialtilsynsbekendtgørelsen og Styringsaftalen " + "x" * LONG_WORD
    assert breakable(normal) == normal
    long = "y" * (LONG_WORD + 1)
    assert breakable(f"a {long} b") == f"a {'y' * BREAK_EVERY}\u200b{'y' * BREAK_EVERY}\u200by b"
    url = "https://eksempel.dk/" + "z" * 100
    link = {"type": "link", "url": url, "c": [{"type": "text", "v": url}]}
    assert breakable(link)["url"] == url and "\u200b" in breakable(link)["c"][0]["v"]
    assert breakable({"logo": "/" + "p" * 100}) == {"logo": "/" + "p" * 100}


def test_a_very_long_bilag_title_keeps_its_cover_to_one_page(make_meeting, run, tmp_path: Path) -> None:
    """The packet's cover showed the whole title and ran onto a second page, which broke the packet's page
    numbering (Typst failed); the cover now cuts a title over 300 characters with '…' (the full title stays in
    the document's bilag list)."""
    from conftest import tiny_pdf

    word = _word(40_000)
    folder = make_meeting({ITEM: f"titel: Punkt med bilag\nbilag:\n  - titel: {word}\n    fil: b.pdf\n"},
                          bilag={"b.pdf": tiny_pdf()})
    code, _, err = run("packet", folder, "--out", tmp_path / "ud")
    assert code == 0, err
    pages = _page_texts(tmp_path / "ud" / "dagsordenspakke.pdf")
    covers = [n for n, text in enumerate(pages) if text.startswith("1" + word.upper()[:200])]
    assert len(covers) == 1, covers
    assert "…" in pages[covers[0]] and covers[0] == len(pages) - 2  # the cover, then the one-page bilag
    assert word in "".join(pages[: covers[0]])  # the document's bilag list has it all
