"""Privacy for public editions: closed items with a stated reason, well-formed redaction spans, and a lint for
personal data (CPR numbers, e-mail addresses, phone numbers) in the text that reaches a public edition.

`RULES` run on every validation; `check_public` runs whenever a public edition is requested (`build
--offentlig`, `packet --offentlig`, `publish`, `validate --offentlig`). Every text of the model is read, found by
walking its fields (`model.texts`): the place, guests, the next meeting, tasks and any field added later.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from pathlib import Path

from ..diagnostics import Location, Report
from ..model.meeting import Meeting
from ..model.source import PathKey, SourceMap
from ..model.texts import all_texts, printed_texts, text_fields
from ..text.cpr import CPR as _CPR
from ..text.cpr import cpr_numbers
from ..text.richtext import broken_spans, near_spans
from ..text.spans import hidden_spans as _hidden
from ..text.spans import inside as _inside

HINT = "skriv [[skjul: … | grund]] om det, så det kun står i de interne udgaver"

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])")
# Danish numbers: eight digits, first 2-9, optionally +45/0045, written together or as 2-2-2-2 or 4-4
_PHONE = re.compile(r"(?<![\w+.,/-])(?:(?:\+|00)45[ ]?)?(?:[2-9]\d(?: \d{2}){3}|[2-9]\d{3} \d{4}|[2-9]\d{7})"
                    r"(?![\w/-]|[.,]\d)")


def _contacts(text: str) -> Iterator[tuple[int, str, str]]:
    hidden = _hidden(text)
    cprs = [(m.start(), m.end()) for m in _CPR.finditer(text)]
    for m in _EMAIL.finditer(text):
        if not _inside(m.start(), hidden):
            yield m.start(), "e-mailadressen", m[0]
    for m in _PHONE.finditer(text):
        if not _inside(m.start(), hidden) and not _inside(m.start(), cprs):
            yield m.start(), "telefonnummeret", m[0]


def public_texts(meeting: Meeting) -> Iterator[tuple[SourceMap, PathKey, str]]:
    """(source map, path, text) of every text that may reach a public edition: every text of møde.yaml (place,
    other information, members, guests, the next meeting, …) and of the open items, and what a closed item's
    public edition prints (title, reason, public decision). Found by walking the model, so a new field is in."""
    for path, text in text_fields(meeting):
        if text:
            yield meeting.source, path, text
    for item in meeting.items:
        for path, text in printed_texts(item):
            if text:
                yield item.source, path, text


@functools.lru_cache(maxsize=64)
def _lines(path: Path, stamp: tuple[int, int]) -> tuple[str, ...]:
    return tuple(path.read_text("utf-8-sig").splitlines())


def _file_lines(path: Path) -> tuple[str, ...] | None:
    try:
        info = path.stat()
        return _lines(path, (info.st_mtime_ns, info.st_size))
    except (OSError, UnicodeDecodeError):
        return None


def text_at(source: SourceMap, path: PathKey, offset: int, text: str, written: str = "") -> Location:
    """Where character `offset` of a text stands in its file, with its column: the line from the source map (exact
    for `|` blocks), the column found by reading that line of the file; the value's own position when the file
    no longer says the same."""
    where = source.in_text(path, offset, text)
    lines = _file_lines(source.path)
    if where.line is None or lines is None:
        return where
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    piece = text[start:len(text) if end == -1 else end]
    needle = written or piece[offset - start:offset - start + 12]
    first = where.line - 1
    for number in range(first, min(len(lines), first + 1 + text.count("\n") + 1)):
        line = lines[number]
        from_col = (where.col - 1) if number == first and where.col else 0
        at = line.find(piece, from_col) if piece.strip() else -1
        if at != -1:
            return Location(source.path, number + 1, at + offset - start + 1)
        at = line.find(needle, from_col) if needle.strip() else -1
        if at != -1:
            return Location(source.path, number + 1, at + 1)
    return where


def check_public(meeting: Meeting, report: Report) -> None:
    """The checks a public edition needs: CPR numbers are errors, contact details warnings; a closed item
    without lukket_grundlag is an error (the public edition prints the reason)."""
    for item in meeting.items:
        if item.closed and not (item.closed_reason or "").strip():
            report.error(item.source.at(("adgang",)),
                         "et lukket punkt skal have 'lukket_grundlag' (fx \"Offentlighedslovens § 30, nr. 1\"), "
                         "før en offentlig udgave kan bygges; grundlaget trykkes i stedet for punktet")
    for source, path, text in public_texts(meeting):
        for offset, written in cpr_numbers(text):
            report.error(text_at(source, path, offset, text, written),
                         f"'{written}' ligner et CPR-nummer, som ikke må stå i en offentlig udgave "
                         f"(CPR-lovens § 54, stk. 3); {HINT}")
        for offset, what, written in _contacts(text):
            report.warning(text_at(source, path, offset, text, written),
                           f"{what} '{written}' kommer med i den offentlige udgave; {HINT}")


def redaction_spans(meeting: Meeting, report: Report) -> None:
    """A '[[skjul:' that is not closed by ']]' would print its secret in the public edition: an error. So is a
    marker that is almost a span ('[[skjul Navn]]', '[skjul: Navn]', '[[skjul; Navn]]'): it prints as written."""
    for source, path, text in all_texts(meeting):
        for offset in broken_spans(text):
            report.error(text_at(source, path, offset, text, "[[skjul"),
                         "'[[skjul:' mangler sin afslutning ']]' (eller har mere end én '|'); skriv "
                         "[[skjul: tekst]] eller [[skjul: tekst | grund]]")
        for offset, written in near_spans(text):
            report.error(text_at(source, path, offset, text, written),
                         f"'{written}' ligner en skjul-markering, men er ikke skrevet som en, så teksten kommer med "
                         "i de offentlige udgaver, som den står; skriv [[skjul: tekst]] eller "
                         "[[skjul: tekst | grund]] (to firkantede parenteser, kolon)")


def _reference(entry: str) -> str:
    """'Offentlighedslovens § 30, nr. 1 (private forhold)' → 'offentlighedslovens § 30, nr. 1'."""
    return " ".join(entry.split(" (")[0].split()).casefold()


def closed_reasons(meeting: Meeting, report: Report) -> None:
    """lukket_grundlag belongs to closed items and names one of the profile's grounds; offentlig_beslutning too."""
    allowed = list(meeting.profile.closed_reasons)
    for item in meeting.items:
        reason = (item.closed_reason or "").strip()
        if not item.closed:
            for key, value in (("lukket_grundlag", item.closed_reason), ("offentlig_beslutning", item.public_decision)):
                if value:
                    report.warning(item.source.at((key,)),
                                   f"'{key}' bruges kun på lukkede punkter ('adgang: lukket'); punktet er åbent")
            continue
        if not reason:
            report.warning(item.source.at(("adgang",)),
                           "et lukket punkt bør have 'lukket_grundlag' (fx \"Offentlighedslovens § 30, nr. 1\"); "
                           "uden det kan der ikke bygges en offentlig udgave")
        elif allowed and not any(" ".join(reason.split()).casefold().startswith(_reference(a)) for a in allowed):
            report.warning(item.source.at(("lukket_grundlag",)),
                           f"'{reason}' er ikke et af udvalgets grundlag; begynd med et af: "
                           + "; ".join(a.split(" (")[0] for a in allowed))


RULES = [redaction_spans, closed_reasons]
