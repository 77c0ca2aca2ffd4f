"""Finding and reading committee profiles (templates/udvalg/ID.yaml) and the Word template they name.

Profiles and Word templates are configuration, not meeting content: a meeting folder may come by e-mail from
anyone, so nothing in it (or beside it, as a mailed zip unpacks) is ever used as a template. They are looked up,
in this order, in

1. the folders given with ``--skabeloner`` (each holds ``udvalg/`` and the Word templates),
2. the project's ``templates/``: the working directory or its nearest ancestor that has ``templates/udvalg/``,
   skipping any such folder that lies at or inside the meeting folder or directly beside it (in the folder
   that holds the meeting, which is where a mailed zip puts its own ``templates/``),
3. the copy bundled with the installed program.

A committee is named by its id (``das-social``), never by a path.
"""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath, PureWindowsPath

from ..diagnostics import Location, Report
from ..model.base import COMMITTEE_ID as _COMMITTEE_ID_PATTERN
from ..model.profile import Committee
from .messages import did_you_mean
from .parse import parse_model
from .templates import PROFILE_DIR, TEMPLATES_DIR, bundled_templates, inside, project_templates, template_dirs

COMMITTEE_ID = re.compile(_COMMITTEE_ID_PATTERN)
__all__ = ["COMMITTEE_ID", "PROFILE_DIR", "TEMPLATES_DIR", "available_profiles", "bundled_templates",
           "ignored_templates", "load_profile", "missing_profile", "profile_path", "project_templates", "read_profile",
           "template_dirs"]


def ignored_templates(meeting: Path, dirs: list[Path]) -> list[tuple[Path, str]]:
    """templates/ folders shipped inside or beside the meeting folder that are not used, each with the warning."""
    used = {d.resolve() for d in dirs if d.exists()}
    found: list[tuple[Path, str]] = []
    for candidate, where in ((meeting / TEMPLATES_DIR, "i mødemappen"),
                             (meeting.parent / TEMPLATES_DIR, "ved siden af mødemappen (som når en zip-fil pakkes ud)")):
        try:
            if candidate.is_dir() and candidate.resolve() not in used:
                found.append((candidate, IGNORED.format(where=where)))
        except OSError:
            continue
    return found


IGNORED = ("mappen bruges ikke, fordi den ligger {where}: udvalgsprofiler og Word-skabeloner, der følger med et "
           "møde, kan komme fra hvem som helst, så de hentes kun fra projektets templates/, fra --skabeloner og fra "
           "programmets egne; læg møderne i en undermappe af projektet (fx agendas/), eller brug --skabeloner "
           "MAPPE, hvis du stoler på mappen")


def available_profiles(dirs: list[Path]) -> list[str]:
    names: set[str] = set()
    for d in dirs:
        names.update(p.stem for p in (d / PROFILE_DIR).glob("*.yaml") if COMMITTEE_ID.fullmatch(p.stem))
    return sorted(names)


def profile_path(committee_id: str, dirs: list[Path]) -> Path | None:
    """The file of the profile `committee_id` (an id, checked by the caller) in the first folder that has it."""
    for d in dirs:
        path = d / PROFILE_DIR / f"{committee_id}.yaml"
        if path.is_file():
            return path
    return None


def missing_profile(committee_id: str, dirs: list[Path]) -> str:
    """What to say when there is no profile `committee_id`, with the near names."""
    known = available_profiles(dirs)
    hint = did_you_mean(committee_id, known) or (f"; kendte profiler: {', '.join(known)}" if known else "")
    return f"udvalgsprofilen '{committee_id}' findes ikke i templates/udvalg/{hint}"


def load_profile(committee_id: str, dirs: list[Path], where: Location, report: Report) -> Committee | None:
    """Read the profile `committee_id`; report (at `where`) if the id is not an id, or is missing or invalid."""
    if not COMMITTEE_ID.fullmatch(committee_id):
        report.error(where, bad_committee_id(committee_id))
        return None
    path = profile_path(committee_id, dirs)
    if path is not None:
        return read_profile(path, report)
    report.error(where, missing_profile(committee_id, dirs))
    return None


def bad_committee_id(value: str) -> str:
    from .messages import short

    return (f"'{short(value)}' er ikke et udvalgs-id; skriv profilens navn uden sti (højst 64 små bogstaver, tal "
            "og bindestreger), fx das-social")


def read_profile(path: Path, report: Report) -> Committee | None:
    profile = parse_model(path, Committee, report, "en udvalgsprofil skal være en afbildning med nøgler")
    if profile is None:
        return None
    profile.locate(path.stem, path.parent)
    templates = path.parent.parent
    ok = _check_inside(profile, ("word_skabelon",), profile.word_template, templates, report)
    if profile.look.logo is not None:
        ok &= _check_inside(profile, ("udseende", "logo"), profile.look.logo, templates, report, path.parent)
    for i, name in enumerate(profile.trust_roots):
        ok &= _check_inside(profile, ("rodcertifikater", i), name, templates, report, path.parent)
    return profile if ok else None


def _check_inside(profile: Committee, key: tuple[str | int, ...], name: str, templates: Path, report: Report,
                  base: Path | None = None) -> bool:
    """A file named in a profile stays inside the templates folder that holds the profile (no '..', no absolute
    path, no symlink out): a profile can only point at what was installed beside it."""
    smap = getattr(profile, "_source", None)
    where = smap.at(key) if smap is not None else Location(Path(name))
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if (not name.strip() or PurePosixPath(name).is_absolute() or PureWindowsPath(name).is_absolute()
            or PureWindowsPath(name).drive or ".." in parts or "\x00" in name):
        report.error(where, f"'{name}' skal være et filnavn inde i skabelonmappen {templates.name}/ "
                            "(ingen '..' og ingen absolut sti)")
        return False
    target = (base or templates) / name
    try:
        real, root = Path(os.path.realpath(target)), Path(os.path.realpath(templates))
    except (OSError, ValueError):
        return True
    if not inside(real, root):
        report.error(where, f"'{name}' peger (via et symbolsk link) ud af skabelonmappen {templates.name}/")
        return False
    return True
