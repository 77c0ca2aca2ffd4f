"""`referat build`: validate, render every requested document in memory, then write them atomically."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Location, ReferatError, Report
from ..fileio import write_all
from ..model.meeting import Meeting
from ..validate import check_meeting
from ..validate import order as order_of
from ..validate.privacy import check_public
from . import labels as L
from .libreoffice import docx_to_pdf
from .pdf import write_pdf
from .text import write_text
from .view import document_view
from .viewtypes import DocumentView
from .word import write_docx

FORMATS = ("docx", "pdf", "txt", "html")
KINDS = ("dagsorden", "referat")


@dataclass
class BuildResult:
    written: list[Path]
    report: Report


def output_dir(folder: Path, out: Path | None) -> Path:
    return out if out is not None else Path("output") / folder.resolve().name


def load_valid(folder: Path, templates: list[Path] | None = None, public: bool = False) -> tuple[Meeting, Report]:
    """The meeting, or a ReferatError with every problem when it has errors; with `public`, also the privacy
    checks of a public edition (CPR numbers, contact details, closed items' reasons)."""
    meeting, report = check_meeting(folder, templates)
    if meeting is not None and public and not report.has_errors:
        check_public(meeting, report)
        report.items.sort(key=order_of(meeting))
    if meeting is None or report.has_errors:
        raise ReferatError(report)
    return meeting, report


def kinds_for(meeting: Meeting, requested: str | None) -> list[str]:
    if requested in (None, "alle"):
        return list(KINDS) if meeting.is_minutes else ["dagsorden"]
    if requested == "referat" and not meeting.is_minutes:
        raise ReferatError("mødet står i fasen 'dagsorden'; sæt 'fase: referat' og skriv beslutningerne, før "
                           "referatet bygges", meeting.source.at(("fase",)))
    return [requested]


def render_documents(meeting: Meeting, kinds: list[str], formats: list[str], public_editions: list[bool],
                     engine: str = "typst") -> dict[str, bytes]:
    """File name → bytes for every requested document; nothing is written here."""
    files: dict[str, bytes] = {}
    template = meeting.profile.word_template_path()
    logo = meeting.profile.logo_path()
    if logo is not None and not logo.is_file():
        raise ReferatError("logoet i udvalgsprofilen findes ikke", Location(logo))
    for kind in kinds:
        for public in public_editions:
            view = document_view(meeting, kind, public)
            stem = L.file_stem(kind, public)
            docx: bytes | None = None
            if "docx" in formats or ("pdf" in formats and engine == "libreoffice"):
                if not template.is_file():
                    raise ReferatError("Word-skabelonen findes ikke", Location(template))
                docx = write_docx(view, template, meeting.date, logo)
                if "docx" in formats:
                    files[f"{stem}.docx"] = docx
            if "pdf" in formats:
                if engine == "libreoffice":
                    assert docx is not None
                    files[f"{stem}.pdf"] = docx_to_pdf(docx, stem, meeting.folder)
                else:
                    files[f"{stem}.pdf"] = write_pdf(view, meeting.date, logo)
            if "txt" in formats:
                files[f"{stem}.txt"] = write_text(view).encode("utf-8")
            if "html" in formats:
                files.update(_html_edition(meeting, view, stem, public, files))
    return files


def _html_edition(meeting: Meeting, view: DocumentView, stem: str, public: bool,
                  files: dict[str, bytes]) -> dict[str, bytes]:
    """The web page and, beside it, each bilag it links to as a clean PDF named by its number."""
    from ..publish.bilag import published_bilag
    from .html import template_folder, write_html

    out: dict[str, bytes] = {}
    links: dict[str, str] = {}
    for bid, (name, data) in published_bilag(meeting, public).items():
        if name in files and files[name] != data:  # a public bilag that differs (a previous meeting's minutes)
            name = name.removesuffix(".pdf") + "-offentlig.pdf"
        out[name] = data
        links[bid] = name
    folder = template_folder(meeting.profile.word_template_path())
    out[f"{stem}.html"] = write_html(view, folder, links, meeting.profile.logo_path())
    return out


def public_files(kind: str, files: dict[str, bytes]) -> dict[str, bytes]:
    """The files of one public edition: `kind-offentlig.*` and the bilag its web page links to."""
    stem = f"{kind}-offentlig."
    out = {name: data for name, data in files.items() if name.startswith(stem)}
    page = out.get(f"{kind}-offentlig.html")
    if page is not None:
        text = page.decode("utf-8")
        out.update({name: data for name, data in files.items()
                    if name.startswith("bilag-") and f'href="{name}"' in text})
    return out


def control_reports(meeting: Meeting, kinds: list[str], files: dict[str, bytes]) -> dict[str, bytes]:
    """`kind-offentlig-kontrol.txt` per public edition: the leak check's report; a leak stops the build."""
    from ..publish.leaks import find_leaks, hidden_texts, report_text

    hidden = hidden_texts(meeting)
    out: dict[str, bytes] = {}
    for kind in kinds:
        edition_files = public_files(kind, files)
        leaks = find_leaks(edition_files, hidden)
        if leaks:
            raise ReferatError("den offentlige udgave indeholder skjult tekst og er ikke skrevet: " + "; ".join(
                f"{leak.file} ({leak.channel}): {leak.hidden.why}" for leak in leaks[:5]), Location(meeting.folder))
        out[f"{kind}-offentlig-kontrol.txt"] = report_text(f"{kind}-offentlig", sorted(edition_files), hidden,
                                                            leaks).encode("utf-8")
    return out


def build(folder: Path, kind: str | None = None, formats: list[str] | None = None, public: bool = False,
          out: Path | None = None, engine: str = "typst", templates: list[Path] | None = None) -> BuildResult:
    meeting, report = load_valid(folder, templates, public)
    kinds = kinds_for(meeting, kind)
    editions = [False, True] if public else [False]
    files = render_documents(meeting, kinds, list(formats or ("docx", "pdf")), editions, engine)
    if public:
        files.update(control_reports(meeting, kinds, files))
    target = output_dir(folder, out)
    written = [target / name for name in files]
    write_all(dict(zip(written, files.values(), strict=True)))
    return BuildResult(written, report)
