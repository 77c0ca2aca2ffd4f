"""A meeting checked by every rule, and its documents rendered in memory.

This module sits at the level of the feature packages (packet, takster, archive, signing): it passes their bilag
checks down to validation (a takstbilag's own rules, the archive's lookup of signed minutes), which imports none of
them. The application layer (`referat.app`) and the feature packages that need a checked meeting use it; writing
files is the application's job.
"""

from __future__ import annotations

import os
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Self

from .diagnostics import Location, ReferatError, Report
from .errors import TemplateError
from .model.meeting import Meeting
from .progress import progress
from .render.text import write_text
from .validate import BilagChecks, Context
from .validate import check_meeting as _check_meeting
from .validate import order as order_of
from .validate.privacy import check_public
from .view import labels as L
from .view.document import document_view
from .view.types import DocumentView

FORMATS = ("docx", "pdf", "txt", "html")
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
    assert requested is not None
    return [requested]


def render_documents(meeting: Meeting, kinds: list[str], formats: list[str], public_editions: list[bool],
                     engine: str = "typst") -> dict[str, bytes]:
    """File name → bytes for every requested document; nothing is written here."""
    # Each writer's libraries are loaded only where its format is made (Typst for PDF; docxtpl, jinja2 and
    # python-docx for Word): `validate` and `build --format pdf` start without them (issue 17, start-up).
    files: dict[str, bytes] = {}
    template = meeting.profile.word_template_path()
    logo = meeting.profile.logo_path()
    if logo is not None and not logo.is_file():
        raise TemplateError("logoet i udvalgsprofilen findes ikke", Location(logo))
    views = {(kind, public): document_view(meeting, kind, public) for kind in kinds for public in public_editions}
    pdfs = _PdfsBeside(meeting, views, logo, formats, engine)
    shown = progress("Dokumenter {n}/{total}: {detail}", len(views))
    with shown, pdfs:
        for (kind, public), view in views.items():
            shown.step(f"{L.file_stem(kind, public)} ({', '.join(formats)})")
            files.update(_render_one(meeting, view, kind, public, formats, engine, template, logo, files, pdfs))
    return files


def jobs() -> int:
    """How many things are made at once: `REFERAT_JOBS` (1 forces one at a time, 2 or more allows overlap), else 2
    when there are two cores or more and one of them is free (the load average below the cores less one): on a
    machine already busy the overlap only adds switching (measured: no gain with a load of 8 on 2 cores)."""
    value = os.environ.get("REFERAT_JOBS", "").strip()
    if value.isdigit() and int(value) >= 1:
        return int(value)
    cores = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # Windows has no load average
        load = 0.0
    return 2 if cores >= 2 and load < cores - 1 else 1


class _PdfsBeside:
    """The Typst PDFs of a build, compiled in one background thread while this thread writes Word, text and web
    editions (issue 17, item 7).

    The Typst engine releases the GIL while it compiles, so the two overlap on two cores; the Word writer is
    Python and keeps the main thread (its template timeout is a SIGALRM, which only the main thread gets). Each
    PDF is taken when the serial order reaches it, so the files, their order and the first error raised are those
    of a serial build. Used only when there is Python work to overlap (a Word, text or web edition) and
    `jobs()` > 1; otherwise each PDF is compiled where it is needed, as before.
    """

    def __init__(self, meeting: Meeting, views: dict[tuple[str, bool], DocumentView], logo: Path | None,
                 formats: list[str], engine: str) -> None:
        self.futures: dict[tuple[str, bool], Future[bytes]] = {}
        self.pool: ThreadPoolExecutor | None = None
        overlap = any(f in formats for f in ("docx", "txt", "html"))
        if engine != "typst" or "pdf" not in formats or not overlap or jobs() < 2:
            return
        from .render.pdf import write_pdf

        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="referat-pdf")
        for key, view in views.items():
            self.futures[key] = self.pool.submit(write_pdf, view, meeting.date, logo)

    def get(self, key: tuple[str, bool], view: DocumentView, meeting: Meeting, logo: Path | None) -> bytes:
        future = self.futures.get(key)
        if future is not None:
            return future.result()
        from .render.pdf import write_pdf

        return write_pdf(view, meeting.date, logo)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


def _render_one(meeting: Meeting, view: DocumentView, kind: str, public: bool, formats: list[str], engine: str,
                template: Path, logo: Path | None, before: dict[str, bytes], pdfs: _PdfsBeside) -> dict[str, bytes]:
    """The files of one document in one edition (`before`: the files made so far, which the web edition's bilag
    are compared with)."""
    files: dict[str, bytes] = {}
    stem = L.file_stem(kind, public)
    docx: bytes | None = None
    if "docx" in formats or ("pdf" in formats and engine == "libreoffice"):
        if not template.is_file():
            raise TemplateError("Word-skabelonen findes ikke", Location(template))
        from .render.word import write_docx

        docx = write_docx(view, template, meeting.date, logo)
        if "docx" in formats:
            files[f"{stem}.docx"] = docx
    if "pdf" in formats:
        if engine == "libreoffice":
            assert docx is not None
            from .files.libreoffice import docx_to_pdf

            files[f"{stem}.pdf"] = docx_to_pdf(docx, stem, meeting.folder)
        else:
            files[f"{stem}.pdf"] = pdfs.get((kind, public), view, meeting, logo)
    if "txt" in formats:
        files[f"{stem}.txt"] = write_text(view).encode("utf-8")
    if "html" in formats:
        files.update(_html_edition(meeting, view, stem, public, {**before, **files}))
    return files


def _html_edition(meeting: Meeting, view: DocumentView, stem: str, public: bool,
                  files: dict[str, bytes]) -> dict[str, bytes]:
    """The web page and, beside it, each bilag it links to as a clean PDF named by its number."""
    from .publish.bilag import published_bilag
    from .render.html import template_folder, write_html

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
    from .publish.leaks import find_leaks, hidden_texts, report_text

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

