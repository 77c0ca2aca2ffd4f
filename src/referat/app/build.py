"""`referat build` and `referat packet`: the pipeline's documents and packets, written atomically."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Report
from ..fileio import write_all
from . import pipeline
from .pipeline import Checked

__all__ = ["BuildResult", "build", "output_dir", "packet"]


@dataclass
class BuildResult:
    written: list[Path]
    report: Report
    checked: Checked


def output_dir(folder: Path, out: Path | None) -> Path:
    return out if out is not None else Path("output") / folder.resolve().name


def build(folder: Path, kind: str | None = None, formats: list[str] | None = None, public: bool = False,
          out: Path | None = None, engine: str = "typst", templates: list[Path] | None = None,
          archive: Path | None = None) -> BuildResult:
    checked = pipeline.load(folder, templates, public, archive)
    kinds = pipeline.kinds_for(checked.meeting, kind)
    editions = [False, True] if public else [False]
    views = pipeline.views(checked, kinds, editions)
    earlier = pipeline.earlier(checked)
    files = pipeline.documents(checked, views, list(formats or ("docx", "pdf")), engine, earlier)
    if public:  # kontrol.txt per public edition; a leak of hidden text stops the build
        files.update(pipeline.control_reports(checked.meeting, kinds, files, earlier))
    target = output_dir(folder, out)
    written = [target / name for name in files]
    write_all(dict(zip(written, files.values(), strict=True)))
    return BuildResult(written, checked.report, checked)


def packet(folder: Path, kind: str | None = None, public: bool = False, out: Path | None = None,
           templates: list[Path] | None = None,
           before_writing: Callable[[Report], None] | None = None, archive: Path | None = None) -> BuildResult:
    """The documents as PDF and the packets (every bilag behind its cover); with `public`, also the public ones,
    each checked for leaks (`…-offentlig-kontrol.txt`). The report is complete before anything is written;
    `before_writing` gets it then (the CLI prints it, so that it shows even when writing fails)."""
    from ..packet.assemble import write_packets  # pikepdf: only when a packet is made (issue 17, start-up)

    checked = pipeline.load(folder, templates, public, archive)
    kinds = pipeline.kinds_for(checked.meeting, kind)
    editions = [False, True] if public else [False]
    earlier = pipeline.earlier(checked)
    views = pipeline.views(checked, kinds, editions)
    files = pipeline.documents(checked, views, ["pdf"], earlier_minutes=earlier)
    files.update(write_packets(checked.meeting, list(views.values()), earlier, checked.report, documents=files,
                               editions=checked.edition, jobs=pipeline.jobs()))
    if public:  # the leak check of every public packet and document; a find stops the command, nothing written
        files.update(pipeline.packet_control_reports(checked.meeting, kinds, files, earlier))
    if before_writing is not None:
        before_writing(checked.report)
    target = output_dir(folder, out)
    written = [target / name for name in files]
    write_all(dict(zip(written, files.values(), strict=True)))
    return BuildResult(written, checked.report, checked)
