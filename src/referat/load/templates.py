"""Where committee profiles and templates are looked up (see `load.profile`), without loading the model: `publish`
hashes those folders to tell whether a meeting's inputs changed (issue 28)."""

from __future__ import annotations

from pathlib import Path

PROFILE_DIR = "udvalg"
TEMPLATES_DIR = "templates"


def bundled_templates() -> list[Path]:
    """The templates that ship with the program (the wheel's copy, or the repository's in an editable install)."""
    dirs: list[Path] = []
    bundled = Path(__file__).resolve().parent.parent / "_templates"
    if bundled.is_dir():
        dirs.append(bundled)
    repo = Path(__file__).resolve().parents[3] / TEMPLATES_DIR  # editable install: the repository's folder
    if (repo / PROFILE_DIR).is_dir() and repo not in dirs:
        dirs.append(repo)
    return dirs


def inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def project_templates(meeting: Path | None = None, cwd: Path | None = None) -> Path | None:
    """The project's templates/ folder (see the module docstring), or None."""
    start = (cwd or Path.cwd()).resolve()
    home = meeting.resolve() if meeting is not None else None
    for parent in [start, *start.parents]:
        candidate = parent / TEMPLATES_DIR
        if not (candidate / PROFILE_DIR).is_dir():
            continue
        if home is not None and (inside(parent, home) or parent == home.parent):
            continue  # shipped with (or beside) the meeting: content, not configuration
        return candidate
    return None


def template_dirs(meeting: Path | None = None, extra: list[Path] | None = None, cwd: Path | None = None) -> list[Path]:
    """Where profiles and Word templates are looked up, in order: --skabeloner, the project, the bundled copy."""
    dirs = [Path(d) for d in extra or []]
    project = project_templates(meeting, cwd)
    if project is not None and project not in dirs:
        dirs.append(project)
    for bundled in bundled_templates():
        if bundled not in dirs:
            dirs.append(bundled)
    return dirs
