"""`referat import SAG.docx… --til MØDEMAPPE`: contributions from Word become item files of a meeting.

Each document is read by `load.word` (nothing in it is trusted or executed); each item it holds is written as a
new file in `punkter/` (the next free number) with the `yaml-language-server` modeline, its pictures and the
files its Bilag section names are put in `bilag/`, and `møde.yaml`'s `punkter:` gets the new names at the end or
after item N, every other byte of the file kept. All files are written together or not at all.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import Location, Report
from ..errors import InputError, SealedMinutes
from ..fileio import read_input, write_all
from ..files.libreoffice import check_word_size
from ..fold import loose_fold
from ..load import yamledit
from ..load.meeting import BILAG_DIR, ITEMS_DIR, MEETING_FILE
from ..load.profile import load_profile, template_dirs
from ..load.word import Contribution, Options, read_word
from ..load.yamledit import entry, key
from ..model.item import Access, Bilag, Item, ItemType
from ..model.meeting import Meeting
from ..view import labels
from .scaffold import modeline, schema_dir_for, slug

_NUMBERED = re.compile(r"^(\d+)-")
_EXTENSION = re.compile(r"\.(pdf|docx|xlsx|png|jpe?g|yaml)$", re.IGNORECASE)


@dataclass
class Imported:
    """What the command did: the files written and a line for each place a part of a document went."""

    written: list[Path] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    report: Report = field(default_factory=Report)


def import_word(documents: list[Path], folder: Path, after: int | None = None, bilag: list[Path] | None = None,
                accept_changes: bool = False, templates: list[Path] | None = None) -> Imported:
    """Import `documents` into the meeting in `folder` (see the module's docstring)."""
    meeting_file = folder / MEETING_FILE
    if not meeting_file.is_file():
        raise InputError("mappen har ingen møde.yaml; opret mødet med 'referat new' først", Location(folder))
    try:
        meeting_text = read_input(meeting_file).decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("møde.yaml er ikke UTF-8; gem den som UTF-8", Location(meeting_file)) from None
    data = yamledit.load(meeting_text, meeting_file)
    if not isinstance(data, dict) or not isinstance(data.get(ITEM_LIST, []), list):
        raise InputError(f"møde.yaml har ingen liste '{ITEM_LIST}:', som de nye punkter kan sættes ind i",
                           Location(meeting_file))
    _refuse_sealed(folder, data, meeting_file)
    order: list[str] = [str(name) for name in data.get(ITEM_LIST) or []]
    if after is not None and not 0 <= after <= len(order):
        raise InputError(f"--efter {after}: mødet har {len(order)} punkter; brug et tal fra 0 til {len(order)}",
                           Location(meeting_file))
    report = Report()
    profile = load_profile(str(data.get(key(Meeting, "committee_id"), "")), template_dirs(folder, templates),
                           Location(meeting_file, 1), report)
    if profile is None:
        raise InputError(report)
    options = Options(heading_words=profile.section_words(), lead_in=profile.lead_in,
                      committee_names=profile.names(), item_label=profile.item_label,
                      generated=[labels.NEXT_MEETING], running_header=profile.running_header,
                      group_label=profile.layout.group_label)
    meeting_case = str(data.get(key(Meeting, "case_number")) or "") or None
    result = Imported(report=report)
    files: dict[Path, bytes | str] = {}
    taken_numbers = _numbers(folder, order)
    new_names: list[str] = []
    bilag_dir = folder / BILAG_DIR
    schemas = _schemas(folder, files)
    for document in documents:
        if document.is_file():
            check_word_size(document)  # a file over the bound is refused before it is read into memory
        raw = read_input(document, "Word-filen")
        reading = read_word(document, raw, options, accept_changes)
        for warning in reading.warnings:
            report.warning(Location(document), warning)
        candidates = _candidates(document, bilag or [], bilag_dir, set(documents))
        found_files = _bilag_files(reading.items, candidates, bilag or [], document, report)
        for index, contribution in enumerate(reading.items):
            number = max(taken_numbers, default=0) + 1
            taken_numbers.add(number)
            name = f"{number:02d}-{slug(contribution.title)}.yaml"
            path = folder / ITEMS_DIR / name
            for warning in contribution.warnings:
                report.warning(Location(document), f"«{_short(contribution.title)}»: {warning}")
            item, missing, lines = _item_data(contribution, number, meeting_case, found_files[index], bilag_dir,
                                              files, document, report)
            try:
                Item.model_validate(item)
            except Exception as exc:  # noqa: BLE001 - a contribution the model refuses: name the document
                raise InputError(f"«{_short(contribution.title)}» kan ikke blive et gyldigt punkt ({exc})",
                                   Location(document)) from None
            header = modeline(path, schemas, "punkt")
            files[path] = item_yaml(item, missing, document.name, path, header)
            new_names.append(name)
            result.lines.append(f"{path} ← {document.name}: «{_short(contribution.title)}» "
                                f"(titel fra {contribution.title_from})")
            result.lines.extend("  " + line for line in [*contribution.placements, *lines])
    if not new_names:
        raise InputError("dokumenterne indeholder intet, der kan blive et punkt", Location(documents[0]))
    position = len(order) if after is None else after
    files[meeting_file] = insert_items(meeting_text, meeting_file, new_names, position)
    for path in files:
        if path.exists() and path.parent.name == ITEMS_DIR:
            raise InputError("filen findes allerede; intet er skrevet", Location(path))
    write_all(files)
    result.written = list(files)
    where = "sidst" if after is None or after == len(order) else f"efter punkt {after}"
    result.lines.append(f"møde.yaml: {len(new_names)} punkt{'er' if len(new_names) > 1 else ''} sat ind {where}")
    return result


def _refuse_sealed(folder: Path, data: dict[str, Any], meeting_file: Path) -> None:
    """No item is put into a meeting whose signed minutes are archived (as `build` refuses a changed folder)."""
    from .state import CORRECTION_HINT, archive_of, sealed_version

    root = archive_of(folder)
    committee, date = data.get(key(Meeting, "committee_id")), data.get(key(Meeting, "date"))
    if root is None or not isinstance(committee, str) or date is None:
        return
    version = sealed_version(root, folder, committee, str(date))
    if version is not None:
        raise SealedMinutes(f"mødets referat er underskrevet og arkiveret ({version.relative}); der sættes ingen "
                            f"punkter ind; {CORRECTION_HINT}", Location(meeting_file))


def _short(text: str, n: int = 70) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _schemas(folder: Path, files: dict[Path, bytes | str]) -> Path:
    """Where the item files' modeline points: the project's schemas/, else the meeting's own .schema/ (written
    now when it is missing, as `referat new` does for a meeting outside a project)."""
    from ..schema import schema_file_name, schema_text

    found = schema_dir_for(folder)
    if found is not None:
        return found
    own = folder / ".schema"
    if not (own / schema_file_name("punkt")).is_file():
        files[own / schema_file_name("punkt")] = schema_text("punkt")
    return own


def _numbers(folder: Path, order: list[str]) -> set[int]:
    """The numbers item files already use (in møde.yaml's list and in punkter/)."""
    names = list(order)
    items = folder / ITEMS_DIR
    if items.is_dir():
        names += [p.name for p in items.iterdir()]
    return {int(m.group(1)) for name in names if (m := _NUMBERED.match(name))}


def _candidates(document: Path, given: list[Path], bilag_dir: Path, documents: set[Path]) -> list[Path]:
    """Files a Bilag section may name: those given with --bilag, those beside the document, those already in the
    meeting's bilag/ folder."""
    out: list[Path] = []
    for path in given:
        if not path.is_file():
            raise InputError("bilagsfilen findes ikke" if not path.exists() else "--bilag skal være en fil",
                               Location(path))
        out.append(path)
    for folder in (document.parent, bilag_dir):
        if folder.is_dir():
            out += sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith((".", "~$"))
                          and p not in documents and p.resolve() != document.resolve())
    return out


def _tokens(text: str) -> list[str]:
    return [t for t in re.split(r"[^0-9a-z]+", loose_fold(text)) if t]


_GENERIC = {"bilag", "notat", "dokument", "sag", "punkt", "pdf", "docx", "xlsx", "og", "af", "for", "til", "om", "i"}


def _same_word(file_word: str, line_words: list[str]) -> bool:
    """A word of a file name found among a Bilag line's words: the same word, a shortened one ("herberg" for
    "herbergsområdet"), a year written short ("25" for "2025") or a slip of one letter ("Bialg")."""
    from difflib import SequenceMatcher

    for word in line_words:
        if word == file_word:
            return True
        if file_word.isdigit() or word.isdigit():
            if file_word.isdigit() and word.isdigit() and min(len(word), len(file_word)) >= 2 and (
                    file_word.endswith(word) or word.endswith(file_word)):
                return True
            continue
        if min(len(word), len(file_word)) >= 4 and (word.startswith(file_word) or file_word.startswith(word)):
            return True
        if min(len(word), len(file_word)) >= 5 and SequenceMatcher(None, word, file_word).ratio() >= 0.8:
            return True
    return False


def match_bilag(names: list[str], candidates: list[Path]) -> dict[int, Path]:
    """Which file each Bilag line names (by index): the same file name with its extension, else the file whose
    name's words (a leading item number "03-" left out) are nearly all in the line; best matches first, each file
    and each line used once."""
    out: dict[int, Path] = {}
    used: set[Path] = set()
    for i, name in enumerate(names):
        wanted = unicodedata.normalize("NFC", name).casefold()
        for path in candidates:
            if path not in used and unicodedata.normalize("NFC", path.name).casefold() in wanted:
                out[i] = path
                used.add(path)
                break
    scored: list[tuple[float, int, int, Path]] = []
    for i, name in enumerate(names):
        if i in out:
            continue
        words = _tokens(name)
        for path in candidates:
            stem = _tokens(path.stem)
            if len(stem) > 1 and stem[0].isdigit():
                stem = stem[1:]
            found = [w for w in stem if _same_word(w, words)]
            if not stem or not any(not w.isdigit() and w not in _GENERIC for w in found):
                continue
            share = len(found) / len(stem)
            if share >= 0.75:
                scored.append((share, len(found), i, path))
    for _share, _count, i, path in sorted(scored, key=lambda s: (-s[0], -s[1], s[2], str(s[3]))):
        if i not in out and path not in used:
            out[i] = path
            used.add(path)
    return out


def _bilag_files(items: list[Contribution], candidates: list[Path], given: list[Path], document: Path,
                 report: Report) -> list[dict[int, Path]]:
    """Per item, the file each of its Bilag lines names (by the line's index). Lines that name no file by its
    name are paired with the files given with --bilag that no line named, in order, when there are exactly as
    many of each (the user said these files belong to the document); each pairing is a warning to check."""
    flat = [(i, k, name) for i, item in enumerate(items) for k, name in enumerate(item.bilag_names)]
    matches = match_bilag([name for _, _, name in flat], candidates)
    out: list[dict[int, Path]] = [{} for _ in items]
    for n, path in matches.items():
        out[flat[n][0]][flat[n][1]] = path
    left_lines = [n for n in range(len(flat)) if n not in matches]
    used = {p.resolve() for p in matches.values()}
    left_given = [p for p in given if p.resolve() not in used]
    if left_lines and len(left_lines) == len(left_given):
        for n, path in zip(left_lines, left_given, strict=True):
            out[flat[n][0]][flat[n][1]] = path
            report.warning(Location(document), f"bilaget «{_short(flat[n][2])}» er parret med {path.name}, som blev "
                                               "givet med --bilag, selv om navnene ikke ligner hinanden; se efter, "
                                               "at det er den rigtige fil")
    return out


def _item_data(contribution: Contribution, number: int, meeting_case: str | None, found_files: dict[int, Path],
               bilag_dir: Path, files: dict[Path, bytes | str], document: Path,
               report: Report) -> tuple[dict[str, Any], list[str], list[str]]:
    """The item's YAML data, the Bilag lines without a file, and lines for the printout."""
    item = entry(Item, title=contribution.title, access=Access.CLOSED if contribution.closed else Access.OPEN)
    if contribution.edition:
        case = contribution.case_number
        if case is None and meeting_case:
            item[key(Item, "type")] = ItemType.STANDARD  # referat prints no case number only on standard items
        elif case is not None and case != meeting_case:
            item[key(Item, "case_number")] = case
        if contribution.time_slot:
            item[key(Item, "time_slot")] = contribution.time_slot
        if contribution.group:
            item[key(Item, "group")] = contribution.group
    # the sections, as the reader keys them
    for field_name in ("summary", "background", "case", "free_sections", "lead_in", "recommendation"):
        section = key(Item, field_name)
        if section in contribution.fields:
            item[section] = contribution.fields[section]
    lines: list[str] = []
    entries: list[dict[str, Any]] = []
    missing: list[str] = []
    for index, name in enumerate(contribution.bilag_names):
        found = found_files.get(index)
        if found is None:
            missing.append(name)
            report.warning(Location(document), f"bilaget «{_short(name)}» er ikke fundet (hverken givet med --bilag, "
                                               "ved siden af dokumentet eller i mødets bilag/); læg filen i bilag/ og "
                                               "skriv den under bilag: i punktet")
            lines.append(f"bilag «{_short(name)}» → ikke fundet (skrevet som kommentar i punktet)")
            continue
        file_name = _place(found, found.read_bytes(), bilag_dir, number, files)
        entries.append(entry(Bilag, title=name, file=file_name))
        lines.append(f"bilag «{_short(name)}» → bilag/{file_name}")
    for k, (picture, title) in enumerate(contribution.pictures, start=1):
        kind = "billede" if picture.ext in ("png", "jpg") else "indlejret"
        file_name = f"{number:02d}-{kind}-{k}.{picture.ext}"
        files[bilag_dir / file_name] = picture.data
        entries.append(entry(Bilag, title=title, file=file_name))
        lines.append(f"{title} → bilag/{file_name}")
    if entries:
        item[key(Item, "bilag")] = entries
    decision = key(Item, "decision")
    if decision in contribution.fields:
        item[decision] = contribution.fields[decision]
    return item, missing, lines


def _place(source: Path, data: bytes, bilag_dir: Path, number: int, files: dict[Path, bytes | str]) -> str:
    """The name a bilag file has in the meeting's bilag/ folder: as it is when it is there already or the name is
    free, else with the item's number in front."""
    if source.parent.resolve() == bilag_dir.resolve():
        return source.name
    name = unicodedata.normalize("NFC", source.name)
    target = bilag_dir / name
    if (target.exists() and target.read_bytes() != data) or (target in files and files[target] != data):
        name = f"{number:02d}-{name}"
        target = bilag_dir / name
    files[target] = data
    return name


# ---------------------------------------------------------------------------------------------- YAML writing
# Through the project's one YAML writer (load/yamledit.py), with the model's keys.

ITEM_LIST = key(Meeting, "item_files")


def item_yaml(item: dict[str, Any], missing: list[str], source: str, path: Path, modeline_text: str = "") -> str:
    """A new item file's text: the modeline, a line naming the source, Markdown fields as literal blocks (`|`),
    every value written so that it loads back as given (the writer checks the file); Bilag lines that found no
    file as comments at the end."""
    head = modeline_text + f"# Importeret fra {yamledit.comment_text(source)} med 'referat import'\n"
    note = ("Bilag, som dokumentet nævner, men hvis fil ikke blev fundet (læg filen i bilag/, og skriv den under "
            "bilag:):")
    tail = [note, *(f"  - {name}" for name in missing)] if missing else []
    return yamledit.new_document(item, path, head=head, tail=tail)


def insert_items(text: str, path: Path, names: list[str], position: int) -> str:
    """møde.yaml's text with `names` in `punkter:` at `position` (0 = first, at most the list's length: the caller
    checked `--efter` against it), every other byte kept (a byte-order mark and Windows line breaks too)."""
    return yamledit.insert_entries(text, path, (ITEM_LIST,), position, list(names))
