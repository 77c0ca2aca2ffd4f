"""Finding and reading committee profiles (templates/udvalg/ID.yaml)."""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import Location, Report
from ..model.profile import Committee
from .messages import suggest
from .parse import parse_model

PROFILE_DIR = "udvalg"


def template_dirs(start: Path | None = None, extra: list[Path] | None = None) -> list[Path]:
    """Where templates are looked up: explicit folders, a `templates/` above `start`, the installed copy."""
    dirs = list(extra or [])
    if start is not None:
        for parent in [start.resolve(), *start.resolve().parents]:
            candidate = parent / "templates"
            if (candidate / PROFILE_DIR).is_dir():
                dirs.append(candidate)
                break
    bundled = Path(__file__).resolve().parent.parent / "_templates"
    if bundled.is_dir():
        dirs.append(bundled)
    repo = Path(__file__).resolve().parents[3] / "templates"  # editable install: the repository's folder
    if repo.is_dir() and repo not in dirs:
        dirs.append(repo)
    return dirs


def available_profiles(dirs: list[Path]) -> list[str]:
    names: set[str] = set()
    for d in dirs:
        names.update(p.stem for p in (d / PROFILE_DIR).glob("*.yaml"))
    return sorted(names)


def load_profile(committee_id: str, dirs: list[Path], where: Location, report: Report) -> Committee | None:
    """Read the profile `committee_id`; report (at `where`) if it is missing or invalid."""
    for d in dirs:
        path = d / PROFILE_DIR / f"{committee_id}.yaml"
        if path.is_file():
            return read_profile(path, report)
    known = available_profiles(dirs)
    guess = suggest(committee_id, known)
    hint = f"; mente du '{guess}'?" if guess else (f"; kendte profiler: {', '.join(known)}" if known else "")
    report.error(where, f"udvalgsprofilen '{committee_id}' findes ikke i templates/udvalg/{hint}")
    return None


def read_profile(path: Path, report: Report) -> Committee | None:
    profile = parse_model(path, Committee, report, "en udvalgsprofil skal være en afbildning med nøgler")
    if profile is None:
        return None
    profile._id = path.stem
    profile._folder = path.parent
    return profile
