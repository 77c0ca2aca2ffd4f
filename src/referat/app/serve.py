"""`referat serve`: the live pages, with the pipeline handed down to them (`referat.live` sits below this layer).

The preview and the minute-taking page load, check and render the meeting through the same pipeline as `build`:
every check, the public edition's checks and filter, and the meeting's state: once the minutes are signed and
archived they are sealed, the differences of the folder are errors on the preview, and the minute-taking page is
read-only with the state's line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TextIO

from ..diagnostics import ReferatError, Report
from ..live.state import Load, Pipeline
from ..validate import order
from ..view import labels as L
from . import pipeline

__all__ = ["Background", "create_app", "live_pipeline", "serve"]


def live_pipeline(archive: Path | None = None) -> Pipeline:
    def load(folder: Path, templates: list[Path] | None) -> Load:
        meeting, report = pipeline.check_folder(folder, templates)
        if meeting is None or report.has_errors:
            return Load(meeting, report)
        try:
            checked = pipeline.settle(meeting, report, templates, archive=archive)
            seal = checked.seal
        except ReferatError as exc:  # an archived version that does not match its manifest
            return Load(meeting, Report([*report.items, *exc.report.items]))
        sealed = checked.state.describe() if checked.state.sealed else None
        if seal.items:
            report = Report([*report.items, *seal.items])
            report.items.sort(key=order(meeting))
        return Load(meeting, report, sealed, checked)

    def render(handle: Any, kind: str, public: bool, fmt: str) -> bytes:
        checked: pipeline.Checked = handle
        view = pipeline.view_of(checked, kind, public)
        if fmt == "pdf":
            return pipeline.documents(checked, {(kind, public): view}, ["pdf"])[f"{L.file_stem(kind, public)}.pdf"]
        return pipeline.web_page(checked, view)

    def public_report(handle: Any) -> Report:
        checked: pipeline.Checked = handle
        report = Report(list(checked.report.items))
        pipeline.public_checks(checked.meeting, report)
        return report

    return Pipeline(load, render, public_report)


def create_app(folder: Path, token: str, templates: list[Path] | None = None, watch: bool = True,
               archive: Path | None = None) -> Any:
    from ..live.app import create_app as live_app

    return live_app(folder, token, live_pipeline(archive), templates, watch)


def serve(folder: Path, host: str = "127.0.0.1", port: int = 0, open_browser: bool = True,
          templates: list[Path] | None = None, out: TextIO | None = None, archive: Path | None = None) -> None:
    from ..live.server import serve as live_serve

    live_serve(folder, live_pipeline(archive), host, port, open_browser, templates, out)


def Background(folder: Path, token: str | None = None, templates: list[Path] | None = None,
               archive: Path | None = None) -> Any:
    """The server in a thread of this process (tests, the benchmark): `referat.live.server.Background`."""
    from ..live.server import Background as LiveBackground

    return LiveBackground(folder, live_pipeline(archive), token, templates)
