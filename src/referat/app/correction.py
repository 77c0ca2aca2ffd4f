"""`referat correction build|archive`: a correction to signed minutes, made from the archived version it corrects."""

from __future__ import annotations

from pathlib import Path

from ..archive.correction import StoredCorrection, archive_correction, correction_document
from ..archive.store import Version
from . import pipeline


def _folder_meeting(folder: Path, templates: list[Path] | None) -> pipeline.Checked:
    """The meeting folder names the meeting (committee and date); it is read with every check, but its minutes
    are not compared with the archived ones: a correction is how a difference is recorded."""
    return pipeline.load(folder, templates)


def build(folder: Path, correction_path: Path, root: Path, templates: list[Path] | None = None
          ) -> tuple[dict[str, bytes], Version, str, pipeline.Checked]:
    """rettelse.pdf and rettelse.docx, the version they correct, that file's sha256, and the checked folder."""
    checked = _folder_meeting(folder, templates)
    view, base, original, sha = correction_document(checked.meeting, correction_path, root, templates)
    return pipeline.write_view(base, view, "rettelse"), original, sha, checked


def archive(folder: Path, correction_path: Path, signed: Path, root: Path, roots: list[Path],
            allow_self_signed: bool, templates: list[Path] | None = None) -> StoredCorrection:
    files, original, sha, checked = build(folder, correction_path, root, templates)
    return archive_correction(root, checked.meeting, correction_path, signed, roots, allow_self_signed,
                              (files, original, sha))
