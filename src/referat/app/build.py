"""`referat build` and `referat packet`: validate, render every requested file in memory, then write them atomically."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Report
from ..fileio import write_all
from ..meetings import FORMATS, KINDS, check_meeting, control_reports, kinds_for, load_valid, render_documents

__all__ = ["FORMATS", "KINDS", "BuildResult", "build", "check_meeting", "kinds_for", "load_valid", "output_dir",
           "packet", "render_documents"]


@dataclass
class BuildResult:
    written: list[Path]
    report: Report


def output_dir(folder: Path, out: Path | None) -> Path:
    return out if out is not None else Path("output") / folder.resolve().name


def build(folder: Path, kind: str | None = None, formats: list[str] | None = None, public: bool = False,
          out: Path | None = None, engine: str = "typst", templates: list[Path] | None = None) -> BuildResult:
    meeting, report = load_valid(folder, templates, public)
    kinds = kinds_for(meeting, kind)
    editions = [False, True] if public else [False]
    files = render_documents(meeting, kinds, list(formats or ("docx", "pdf")), editions, engine)
    if public:  # kontrol.txt per public edition; a leak of hidden text stops the build
        files.update(control_reports(meeting, kinds, files))
    target = output_dir(folder, out)
    written = [target / name for name in files]
    write_all(dict(zip(written, files.values(), strict=True)))
    return BuildResult(written, report)


def packet(folder: Path, kind: str | None = None, public: bool = False, out: Path | None = None,
           templates: list[Path] | None = None,
           before_writing: Callable[[Report], None] | None = None) -> BuildResult:
    """The documents as PDF and the packets (every bilag behind its cover). The report is complete before anything
    is written; `before_writing` gets it then (the CLI prints it, so that it shows even when writing fails)."""
    from ..packet.assemble import write_packets  # pypdf: only when a packet is made (issue 17, start-up)

    meeting, report = load_valid(folder, templates, public)
    kinds = kinds_for(meeting, kind)
    editions = [False, True] if public else [False]
    files = render_documents(meeting, kinds, ["pdf"], editions)
    files.update(write_packets(meeting, kinds, editions, report, documents=files))
    if before_writing is not None:
        before_writing(report)
    target = output_dir(folder, out)
    written = [target / name for name in files]
    write_all(dict(zip(written, files.values(), strict=True)))
    return BuildResult(written, report)
