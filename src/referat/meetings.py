"""A meeting checked by every rule, and its documents rendered in memory.

This module sits at the level of the feature packages (packet, takster, archive, signing): it passes their bilag
checks down to validation (a takstbilag's own rules, the archive's lookup of signed minutes), which imports none of
them. The application layer (`referat.app`) and the feature packages that need a checked meeting use it; writing
files is the application's job.
"""

from __future__ import annotations

from pathlib import Path

from .diagnostics import Location, ReferatError, Report
from .errors import TemplateError
from .model.meeting import Meeting
from .render import labels as L
from .render.libreoffice import docx_to_pdf
from .render.pdf import write_pdf
from .render.text import write_text
from .render.view import document_view
from .render.word import write_docx
from .validate import BilagChecks, Context
from .validate import check_meeting as _check_meeting

FORMATS = ("docx", "pdf", "txt")
KINDS = ("dagsorden", "referat")


def _takstbilag(path: Path, meeting: Meeting) -> Report:
    from .takster.annex import check_file  # a takstbilag: its own rules, its own file and lines

    return check_file(path, meeting.profile.tariff_tolerance_pct)[2]


def _archived(folder: Path, reference: str, where: Location) -> dict[str, object]:
    from .archive.store import find_archived

    return dict(find_archived(folder, reference, where)[1])


def bilag_checks() -> BilagChecks:
    """The checks the feature packages add to validation."""
    return BilagChecks(files={".yaml": _takstbilag, ".yml": _takstbilag}, archived=_archived)


def check_meeting(folder: Path, templates: list[Path] | None = None) -> tuple[Meeting | None, Report]:
    """Load and validate a meeting folder with every check: the model (if it loaded) and every problem."""
    return _check_meeting(folder, templates, context=Context(bilag_checks()))


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
    assert requested is not None
    return [requested]


def render_documents(meeting: Meeting, kinds: list[str], formats: list[str], public_editions: list[bool],
                     engine: str = "typst") -> dict[str, bytes]:
    """File name → bytes for every requested document; nothing is written here."""
    files: dict[str, bytes] = {}
    template = meeting.profile.word_template_path()
    logo = meeting.profile.logo_path()
    if logo is not None and not logo.is_file():
        raise TemplateError("logoet i udvalgsprofilen findes ikke", Location(logo))
    for kind in kinds:
        for public in public_editions:
            view = document_view(meeting, kind, public)
            stem = L.file_stem(kind, public)
            docx: bytes | None = None
            if "docx" in formats or ("pdf" in formats and engine == "libreoffice"):
                if not template.is_file():
                    raise TemplateError("Word-skabelonen findes ikke", Location(template))
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
