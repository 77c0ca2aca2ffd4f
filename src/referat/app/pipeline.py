"""The one way from a meeting folder to bytes: check → state → edition → view → writers.

Every command that reads a meeting is a client of this module (`build`, `packet`, `send`, `diff`, `publish`,
`serve`, `correction`, `archive add`, `to-minutes`); none assembles its own chain. What the lower layers need from
here is passed down as arguments: the bilag checks of the feature packages to validation (`BilagChecks`), and the
minutes of earlier meetings, made by this same pipeline, to the packet and the web edition's bilag (`Earlier`).

- `check_folder`: load and validate with every check (a takstbilag's rules, archived minutes looked up); never
  raises for the input's problems, every one is in the report (`validate`, `serve`).
- `load`: the same, as a `Checked` meeting with its `MeetingState` (sent versions, signed and archived minutes);
  a ReferatError with every problem when there are errors; `public` adds the public edition's checks.
- `Checked.edition`: the meeting as one edition sees it, made once (`view.edition`, the one public filter: every
  text of the model with its redaction spans resolved, closed items reduced to what their public edition prints);
  every view, packet, web edition and site page of that edition is made from it.
- `documents`: file name → bytes of each requested document, format and edition; the minutes of a meeting whose
  signed minutes are archived are sealed (see `app.state`): the folder must not differ from the archived data, and
  the internal PDF is the signed file itself.
- `control_reports` / `packet_control_reports` / `leak_check`: the leak check over every public file a command
  writes (the meeting's hidden texts, and those of the earlier minutes its bilag carry), before anything is written.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Self

from ..diagnostics import Location, Report
from ..errors import ArchiveError, InputError, SealedMinutes, TemplateError
from ..model.meeting import Meeting
from ..packet.earlier import Earlier
from ..pool import jobs_setting
from ..progress import progress
from ..render.text import write_text
from ..validate import BilagChecks, Context, order, validate_folder
from ..validate.privacy import check_public
from ..view import labels as L
from ..view.document import document_view
from ..view.edition import edition
from ..view.types import DocumentView
from .state import MeetingState, meeting_state, seal_report

if TYPE_CHECKING:
    from ..publish.leaks import Hidden

FORMATS = ("docx", "pdf", "txt", "html")
KINDS = ("dagsorden", "referat")

__all__ = ["FORMATS", "KINDS", "Checked", "EarlierMinutes", "bilag_checks", "check_folder", "control_reports",
           "documents", "earlier", "jobs", "kinds_for", "leak_check", "load", "packet_control_reports", "public_files",
           "render", "settle", "view_of", "views", "web_page", "write_view"]


# ---- checking ---------------------------------------------------------------------------------------------------

def _takstbilag(path: Path, meeting: Meeting) -> Report:
    from ..takster.annex import check_file  # a takstbilag: its own rules, its own file and lines

    return check_file(path, meeting.profile.tariff_tolerance_pct)[2]


def _archived(folder: Path, reference: str, where: Location) -> dict[str, object]:
    from ..archive.store import find_archived

    return dict(find_archived(folder, reference, where)[1])


def bilag_checks() -> BilagChecks:
    """The checks the feature packages add to validation."""
    return BilagChecks(files={".yaml": _takstbilag, ".yml": _takstbilag}, archived=_archived)


def check_folder(folder: Path, templates: list[Path] | None = None) -> tuple[Meeting | None, Report]:
    """Load and validate a meeting folder with every check: the model (if it loaded) and every problem."""
    return validate_folder(folder, templates, context=Context(bilag_checks()))


@dataclass(frozen=True)
class Checked:
    """A meeting folder that loaded without errors: the model, its report (warnings) and its state."""

    meeting: Meeting
    report: Report
    state: MeetingState
    templates: tuple[Path, ...] = ()

    @property
    def folder(self) -> Path:
        return self.meeting.folder

    def edition(self, public: bool) -> Meeting:
        """The meeting as the internal or the public edition sees it, made once (`view.edition`)."""
        key = f"_edition_{public}"
        made = self.__dict__.get(key)
        if made is None:
            made = self.__dict__[key] = edition(self.meeting, public)
        return made

    @cached_property
    def seal(self) -> Report:
        """How the folder's minutes differ from the archived, signed ones (empty when they are not archived)."""
        return seal_report(self.meeting, self.state)


def load(folder: Path, templates: list[Path] | None = None, public: bool = False,
         archive: Path | None = None) -> Checked:
    """The checked meeting with its state, or a ReferatError with every problem when it has errors; with `public`,
    also the checks of a public edition (CPR numbers, contact details, closed items' reasons). `archive`: where the
    signed minutes are archived (default: the first `arkiv/` in or above the meeting folder)."""
    meeting, report = check_folder(folder, templates)
    return settle(meeting, report, templates, public, archive)


def public_checks(meeting: Meeting, report: Report) -> None:
    """The checks of a public edition (CPR numbers, contact details, closed items' reasons) added to `report`, in
    the order the meeting's messages are printed."""
    check_public(meeting, report)
    report.items.sort(key=order(meeting))


def settle(meeting: Meeting | None, report: Report, templates: list[Path] | None = None, public: bool = False,
           archive: Path | None = None) -> Checked:
    """`load` for a command that looked at `check_folder`'s answer first (e.g. to refuse a phase)."""
    if meeting is not None and public and not report.has_errors:
        public_checks(meeting, report)
    if meeting is None or report.has_errors:
        raise InputError(report)
    return Checked(meeting, report, meeting_state(meeting, archive), tuple(templates or ()))


def kinds_for(meeting: Meeting, requested: str | None) -> list[str]:
    if requested in (None, "alle"):
        return list(KINDS) if meeting.is_minutes else ["dagsorden"]
    if requested == "referat" and not meeting.is_minutes:
        raise InputError("mødet står i fasen 'dagsorden'; sæt 'fase: referat' og skriv beslutningerne, før "
                           "referatet bygges", meeting.source.at(("fase",)))
    assert requested is not None
    return [requested]


# ---- views and documents ----------------------------------------------------------------------------------------

def view_of(checked: Checked, kind: str, public: bool) -> DocumentView:
    """The typed view of one document in one edition. The minutes of an archived meeting are checked against the
    archived data first (a ReferatError naming each changed field when the folder differs); so is its agenda when
    the folder's phase was set back to 'dagsorden' (then the folder is not the meeting's minutes any more)."""
    if checked.seal.has_errors and (kind == "referat" or not checked.meeting.is_minutes):
        raise SealedMinutes(checked.seal)
    return document_view(checked.edition(public), kind, public)


def views(checked: Checked, kinds: list[str], public_editions: list[bool]) -> dict[tuple[str, bool], DocumentView]:
    """(kind, public) → the view of every requested document and edition."""
    return {(kind, public): view_of(checked, kind, public) for kind in kinds for public in public_editions}


def _signed_pdf(checked: Checked, kind: str, public: bool) -> bytes | None:
    """The signed, archived minutes, when this document is the internal edition of sealed minutes."""
    archived = checked.state.archived
    if kind != "referat" or public or archived is None:
        return None
    return archived.pdf


def documents(checked: Checked, views: dict[tuple[str, bool], DocumentView], formats: list[str],
              engine: str = "typst", earlier_minutes: Earlier | None = None) -> dict[str, bytes]:
    """File name → bytes of every view (`views`) in every format; nothing is written here."""
    # Each writer's libraries are loaded only where its format is made (Typst for PDF; docxtpl, jinja2 and
    # python-docx for Word): `validate` and `build --format pdf` start without them (issue 17, start-up).
    meeting = checked.meeting
    files: dict[str, bytes] = {}
    template = meeting.profile.word_template_path()
    logo = meeting.profile.logo_path()
    if logo is not None and not logo.is_file():
        raise TemplateError("logoet i udvalgsprofilen findes ikke", Location(logo))
    signed = {key: pdf for key in views if (pdf := _signed_pdf(checked, *key)) is not None}
    pdfs = _PdfsBeside(meeting, {k: v for k, v in views.items() if k not in signed}, logo, formats, engine)
    shown = progress("Dokumenter {n}/{total}: {detail}", len(views))
    earlier_minutes = earlier_minutes or earlier(checked)  # one for all the views: each earlier minutes made once
    with shown, pdfs:
        for (kind, public), view in views.items():
            shown.step(f"{L.file_stem(kind, public)} ({', '.join(formats)})")
            files.update(_render_one(checked, view, kind, public, formats, engine, template, logo, files, pdfs,
                                     signed.get((kind, public)), earlier_minutes))
    return files


def render(checked: Checked, kinds: list[str], formats: list[str], public_editions: list[bool],
           engine: str = "typst") -> dict[str, bytes]:
    """`views` and `documents` at once: file name → bytes of every kind, format and edition."""
    return documents(checked, views(checked, kinds, public_editions), formats, engine)


def write_view(meeting: Meeting, view: DocumentView, stem: str, formats: tuple[str, ...] = ("pdf", "docx")
               ) -> dict[str, bytes]:
    """A view made by a command itself (a revised agenda, a tillægsdagsorden, a correction) in PDF and Word."""
    from ..render.pdf import write_pdf

    logo = meeting.profile.logo_path()
    out: dict[str, bytes] = {}
    if "pdf" in formats:
        out[f"{stem}.pdf"] = write_pdf(view, meeting.date, logo)
    if "docx" in formats:
        from ..render.word import write_docx

        template = meeting.profile.word_template_path()
        if not template.is_file():
            raise TemplateError("Word-skabelonen findes ikke", Location(template))
        out[f"{stem}.docx"] = write_docx(view, template, meeting.date, logo)
    return out


def jobs() -> int:
    """How many things are made at once: `REFERAT_JOBS` (1 forces one at a time, 2 or more allows overlap), else 2
    when there are two cores or more and one of them is free (the load average below the cores less one): on a
    machine already busy the overlap only adds switching (measured: no gain with a load of 8 on 2 cores)."""
    setting = jobs_setting()
    if setting is not None:
        return setting
    cores = os.cpu_count() or 1
    try:
        load_now = os.getloadavg()[0]
    except (AttributeError, OSError):  # Windows has no load average
        load_now = 0.0
    return 2 if cores >= 2 and load_now < cores - 1 else 1


class _PdfsBeside:
    """The Typst PDFs of a build, compiled in one background thread while this thread writes Word, text and web
    editions (issue 17, item 7).

    The Typst engine releases the GIL while it compiles, so the two overlap on two cores; the Word writer is
    Python and keeps the main thread (its template timeout is a SIGALRM, which only the main thread gets). Each
    PDF is taken when the serial order reaches it, so the files, their order and the first error raised are those
    of a serial build. Used only when `jobs()` > 1 and there is Python work to overlap (a Word, text or web
    edition) or several PDFs and nothing else (`packet`'s documents: then they compile side by side, issue 28);
    otherwise each PDF is compiled where it is needed, as before.
    """

    def __init__(self, meeting: Meeting, views: dict[tuple[str, bool], DocumentView], logo: Path | None,
                 formats: list[str], engine: str) -> None:
        self.futures: dict[tuple[str, bool], Future[bytes]] = {}
        self.pool: ThreadPoolExecutor | None = None
        overlap = any(f in formats for f in ("docx", "txt", "html"))
        workers = jobs()
        if engine != "typst" or "pdf" not in formats or workers < 2 or not views or not (overlap or len(views) > 1):
            return
        from ..render.pdf import write_pdf

        # beside the Python work of this thread, one PDF at a time; with nothing else to make (PDF only, as the
        # packet's documents), the PDFs side by side
        workers = 1 if overlap else min(workers, len(views))
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="referat-pdf")
        for key, view in views.items():
            self.futures[key] = self.pool.submit(write_pdf, view, meeting.date, logo)

    def get(self, key: tuple[str, bool], view: DocumentView, meeting: Meeting, logo: Path | None) -> bytes:
        future = self.futures.get(key)
        if future is not None:
            return future.result()
        from ..render.pdf import write_pdf

        return write_pdf(view, meeting.date, logo)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


def _render_one(checked: Checked, view: DocumentView, kind: str, public: bool, formats: list[str], engine: str,
                template: Path, logo: Path | None, before: dict[str, bytes], pdfs: _PdfsBeside,
                signed: bytes | None, earlier_minutes: Earlier) -> dict[str, bytes]:
    """The files of one document in one edition (`before`: the files made so far, which the web edition's bilag
    are compared with; `signed`: the archived, signed PDF that is this document's PDF)."""
    meeting = checked.meeting
    files: dict[str, bytes] = {}
    stem = L.file_stem(kind, public)
    docx: bytes | None = None
    typst_pdf: bytes | None = None
    if "pdf" in formats and signed is None and engine != "libreoffice":
        # before the Word edition: its contents list takes the items' pages from this compile (render.pdf keeps
        # them), instead of laying the document out once more (Typst keeps what it laid out: twice the memory)
        typst_pdf = pdfs.get((kind, public), view, meeting, logo)
    if "docx" in formats or ("pdf" in formats and engine == "libreoffice" and signed is None):
        if not template.is_file():
            raise TemplateError("Word-skabelonen findes ikke", Location(template))
        from ..render.word import write_docx

        docx = write_docx(view, template, meeting.date, logo)
        if "docx" in formats:
            files[f"{stem}.docx"] = docx
    if "pdf" in formats:
        if signed is not None:
            files[f"{stem}.pdf"] = signed
        elif engine == "libreoffice":
            assert docx is not None
            from ..files.libreoffice import docx_to_pdf

            files[f"{stem}.pdf"] = docx_to_pdf(docx, stem, meeting.folder)
        else:
            assert typst_pdf is not None
            files[f"{stem}.pdf"] = typst_pdf
    if "txt" in formats:
        files[f"{stem}.txt"] = write_text(view).encode("utf-8")
    if "html" in formats:
        files.update(_html_edition(meeting, view, stem, public, {**before, **files}, earlier_minutes))
    return files


def web_page(checked: Checked, view: DocumentView) -> bytes:
    """The web edition's page of a view without its bilag beside it (the live preview)."""
    from ..render.html import template_folder, write_html

    profile = checked.meeting.profile
    return write_html(view, template_folder(profile.word_template_path()), {}, profile.logo_path())


def _html_edition(meeting: Meeting, view: DocumentView, stem: str, public: bool, files: dict[str, bytes],
                  earlier_minutes: Earlier) -> dict[str, bytes]:
    """The web page and, beside it, each bilag it links to as a clean PDF named by its number."""
    from ..publish.bilag import published_bilag
    from ..render.html import template_folder, write_html

    out: dict[str, bytes] = {}
    links: dict[str, str] = {}
    for bid, (name, data) in published_bilag(meeting, view, earlier_minutes).items():
        if name in files and files[name] != data:  # a public bilag that differs (a previous meeting's minutes)
            name = name.removesuffix(".pdf") + "-offentlig.pdf"
        out[name] = data
        links[bid] = name
    folder = template_folder(meeting.profile.word_template_path())
    out[f"{stem}.html"] = write_html(view, folder, links, meeting.profile.logo_path())
    return out


# ---- the minutes of earlier meetings, as bilag ---------------------------------------------------------------

@dataclass(frozen=True)
class EarlierMinutes(Earlier):
    """`Earlier` that keeps the other meetings whose public editions it made, for the leak check: what those
    meetings hide must not be in this meeting's public files either."""

    public_meetings: list[Meeting] = field(default_factory=list)

    def shown(self, meeting: Meeting) -> None:
        if not any(m is meeting for m in self.public_meetings):
            self.public_meetings.append(meeting)


def earlier(checked: Checked) -> EarlierMinutes:
    """How this meeting's bilag that are the minutes of other meetings become PDF pages: through this pipeline,
    so that the other meeting's state (its signed, archived minutes) and the public filter apply to them too.
    Each is made once for all the documents of a command (a meeting's agenda and minutes, internal and public, may
    all carry the same earlier minutes)."""
    templates = list(checked.templates)
    kept: dict[tuple[object, ...], bytes] = {}

    def once(key: tuple[object, ...], make: Callable[[], bytes]) -> bytes:
        if key not in kept:
            kept[key] = make()
        return kept[key]

    made = EarlierMinutes(
        folder_minutes=lambda folder, public, where: once(
            ("referat", folder.resolve(), public), lambda: _folder_minutes(folder, public, templates, made)),
        archived_minutes=lambda folder, ref, public, where: once(
            ("arkiv", folder.resolve(), ref, public),
            lambda: _archived_minutes(folder, ref, public, where, templates, made)))
    return made


def _folder_minutes(folder: Path, public: bool, templates: list[Path], made: EarlierMinutes) -> bytes:
    """`referat: ../forrige`: the earlier meeting's minutes (without their bilag) as this pipeline makes them; when
    they are signed and archived, the signed file itself (internal) or the public edition of the archived data."""
    other = load(folder, templates)
    signed = _signed_pdf(other, "referat", public)
    if signed is not None:
        return signed
    from ..render.pdf import write_pdf

    view = view_of(other, "referat", public)
    if public:
        made.shown(other.meeting)
    return write_pdf(view, other.meeting.date, other.meeting.profile.logo_path())


def _archived_minutes(folder: Path, reference: str, public: bool, where: Location, templates: list[Path],
                      made: EarlierMinutes) -> bytes:
    """`arkiv: udvalg/dato`: the signed minutes exactly as archived; in a public edition, the public edition made
    from the data archived with them (the signed file shows what a public edition leaves out)."""
    from ..archive.snapshot import archived_meeting
    from ..archive.store import find_archived

    version, manifest, data = find_archived(folder, reference, where)
    if not public:
        return data
    meeting = archived_meeting(version, manifest, templates, where)
    if meeting is None:
        raise ArchiveError(f"det arkiverede referat {reference} er arkiveret uden mødets data, så dets offentlige "
                           "udgave kan ikke laves (den underskrevne fil viser det, en offentlig udgave udelader); "
                           "sæt 'offentlig: false' på bilaget", where)
    from ..validate.privacy import redaction_spans

    # archived before misspelt markers were errors, a '[[skjul Navn]]' would print as written: refused, located
    markers = Report()
    redaction_spans(meeting, markers)
    if markers.has_errors:
        first = markers.errors[0]
        raise ArchiveError(f"det arkiverede referat {reference} har en skjul-markering, der ikke er skrevet rigtigt "
                           f"({first.location.format()}: {first.message}), så dets offentlige udgave kan ikke "
                           "laves; sæt 'offentlig: false' på bilaget", where)
    from ..archive.text import text_difference

    # The data decides what the public edition leaves out, so it must be the data of the signed minutes: every
    # item's title, Åben/Lukket and decision as the signed file reads (not only as the manifest says).
    difference = text_difference(data, meeting)
    if difference:
        raise ArchiveError(f"det arkiverede referat {reference}: mødets data i arkivet passer ikke med den "
                           f"underskrevne PDF ({difference}), så dets offentlige udgave kan ikke laves; kør "
                           "'referat archive verify'", where)
    from ..render.pdf import write_pdf

    made.shown(meeting)
    return write_pdf(document_view(edition(meeting, True), "referat", True), meeting.date,
                     meeting.profile.logo_path())


# ---- the public edition's files ----------------------------------------------------------------------------------

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


def hidden_of(meeting: Meeting, others: Iterable[Meeting] = (), shown_by: Iterable[Meeting] = ()) -> list[Hidden]:
    """What the public files of `meeting` must not contain: its own hidden texts, and those of the other meetings
    whose public minutes its bilag carry (`others`), leaving out what any of them, or `shown_by`, prints."""
    from ..publish.leaks import hidden_texts
    from ..text.danish import long_date

    others = [m for m in others if m is not meeting]
    everyone = [meeting, *others, *shown_by]
    hidden = hidden_texts(meeting, [m for m in everyone if m is not meeting])
    for other in others:
        hidden += hidden_texts(other, [m for m in everyone if m is not other],
                               f"referatet fra {long_date(other.date)}: ")
    return hidden


def leak_check(name: str, files: dict[str, bytes], hidden: list[Hidden], where: Location) -> bytes:
    """The leak check of one public edition's files: its report (kontrol.txt), or a ReferatError naming every
    file and channel where hidden text or a CPR number was found (then nothing is written)."""
    from ..publish.leaks import find_leaks, refuse, report_text

    leaks = find_leaks(files, hidden)
    refuse(leaks, where)
    return report_text(name, sorted(files), hidden, leaks).encode("utf-8")


def control_reports(meeting: Meeting, kinds: list[str], files: dict[str, bytes],
                    earlier_minutes: EarlierMinutes | None = None) -> dict[str, bytes]:
    """`kind-offentlig-kontrol.txt` per public edition: the leak check's report; a leak stops the build."""
    hidden = hidden_of(meeting, earlier_minutes.public_meetings if earlier_minutes else ())
    return {f"{kind}-offentlig-kontrol.txt": leak_check(f"{kind}-offentlig", public_files(kind, files), hidden,
                                                         Location(meeting.folder))
            for kind in kinds}


def packet_control_reports(meeting: Meeting, kinds: list[str], files: dict[str, bytes],
                           earlier_minutes: EarlierMinutes | None = None) -> dict[str, bytes]:
    """`dagsordenspakke-offentlig-kontrol.txt` / `referat-med-bilag-offentlig-kontrol.txt`: the leak check of each
    public packet and the public document written beside it; a leak stops the command."""
    from ..packet.assemble import packet_name

    hidden = hidden_of(meeting, earlier_minutes.public_meetings if earlier_minutes else ())
    out: dict[str, bytes] = {}
    for kind in kinds:
        packet = packet_name(kind, True)
        names = [packet, f"{L.file_stem(kind, True)}.pdf"]
        stem = packet.removesuffix(".pdf")
        out[f"{stem}-kontrol.txt"] = leak_check(stem, {n: files[n] for n in names if n in files}, hidden,
                                                Location(meeting.folder))
    return out

