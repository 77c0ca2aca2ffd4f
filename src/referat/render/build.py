"""`referat build`: validate, render every requested document in memory, then write them atomically."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Location, ReferatError, Report
from ..fileio import write_all
from ..model.meeting import Meeting
from ..validate import check_meeting
from . import labels as L
from .libreoffice import docx_to_pdf
from .pdf import write_pdf
from .text import write_text
from .view import document_view
from .word import write_docx

FORMATS = ("docx", "pdf", "txt")
KINDS = ("dagsorden", "referat")


@dataclass
class BuildResult:
    written: list[Path]
    report: Report


def output_dir(folder: Path, out: Path | None) -> Path:
    return out if out is not None else Path("output") / folder.resolve().name


def load_valid(folder: Path, templates: list[Path] | None = None) -> tuple[Meeting, Report]:
    """The meeting, or a ReferatError with every problem when it has errors."""
    meeting, report = check_meeting(folder, templates)
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
    return files


def build(folder: Path, kind: str | None = None, formats: list[str] | None = None, public: bool = False,
          out: Path | None = None, engine: str = "typst", templates: list[Path] | None = None) -> BuildResult:
    meeting, report = load_valid(folder, templates)
    kinds = kinds_for(meeting, kind)
    editions = [False, True] if public else [False]
    files = render_documents(meeting, kinds, list(formats or ("docx", "pdf")), editions, engine)
    target = output_dir(folder, out)
    written = [target / name for name in files]
    write_all(dict(zip(written, files.values(), strict=True)))
    return BuildResult(written, report)
