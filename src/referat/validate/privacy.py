"""Privacy for public editions: closed items with a stated reason, well-formed redaction spans, and a lint for
personal data (CPR numbers, e-mail addresses, phone numbers) in the text that reaches a public edition.

`RULES` run on every validation; `check_public` runs whenever a public edition is requested (`build
--offentlig`, `packet --offentlig`, `publish`, `validate --offentlig`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from ..diagnostics import Report
from ..model.meeting import Meeting
from ..text.richtext import SPAN, broken_spans

HINT = "skriv [[skjul: … | grund]] om det, så det kun står i de interne udgaver"

# ddmmåå-xxxx, with or without the dash; never inside a longer run of digits. The date part is checked; the
# modulus-11 rule is not (CPR numbers issued since 2007 need not satisfy it).
_CPR = re.compile(r"(?<![\d-])(\d{2})(\d{2})(\d{2})[-\u2010\u2011\u2013]?(\d{4})(?![\d-])")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])")
# Danish numbers: eight digits, first 2-9, optionally +45/0045, written together or as 2-2-2-2 or 4-4
_PHONE = re.compile(r"(?<![\w+.,/-])(?:(?:\+|00)45[ ]?)?(?:[2-9]\d(?: \d{2}){3}|[2-9]\d{3} \d{4}|[2-9]\d{7})"
                    r"(?![\w/-]|[.,]\d)")


def _valid_date(dd: str, mm: str, yy: str) -> bool:
    for century in (1900, 2000):
        try:
            dt.date(century + int(yy), int(mm), int(dd))
            return True
        except ValueError:
            continue
    return False


def cpr_numbers(text: str) -> Iterator[tuple[int, str]]:
    """(offset, as written) of every CPR-like number outside redaction spans."""
    hidden = _hidden(text)
    for m in _CPR.finditer(text):
        if _valid_date(m[1], m[2], m[3]) and not _inside(m.start(), hidden):
            yield m.start(), m[0]


def _hidden(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in SPAN.finditer(text)] if "[[" in text else []


def _inside(offset: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= offset < b for a, b in spans)


def _contacts(text: str) -> Iterator[tuple[int, str, str]]:
    hidden = _hidden(text)
    cprs = [(m.start(), m.end()) for m in _CPR.finditer(text)]
    for m in _EMAIL.finditer(text):
        if not _inside(m.start(), hidden):
            yield m.start(), "e-mailadressen", m[0]
    for m in _PHONE.finditer(text):
        if not _inside(m.start(), hidden) and not _inside(m.start(), cprs):
            yield m.start(), "telefonnummeret", m[0]


def public_texts(meeting: Meeting) -> Iterator[tuple[Any, tuple[str | int, ...], str]]:
    """(source map, path, text) of every piece of free text that a public edition prints."""
    for path, text in _meeting_texts(meeting):
        yield meeting.source, path, text
    for item in meeting.items:
        if item.closed:
            shown: list[tuple[tuple[str | int, ...], str]] = [(("titel",), item.title)]
            shown += [((key,), text) for key, text in (("lukket_grundlag", item.closed_reason),
                                                        ("offentlig_beslutning", item.public_decision)) if text]
        else:
            shown = item.texts() + [(("fremlæggere", i), name) for i, name in enumerate(item.presenters)]
            shown = [(p, t) for p, t in shown if p[0] not in ("lukket_grundlag", "offentlig_beslutning")]
        for path, text in shown:
            yield item.source, path, text


def _meeting_texts(meeting: Meeting) -> list[tuple[tuple[str | int, ...], str]]:
    out: list[tuple[tuple[str | int, ...], str]] = []
    for key, value in (("sted",), meeting.place), (("øvrige_oplysninger",), meeting.other_information):
        if value:
            out.append((key, value))
    att = meeting.attendance
    for i, guest in enumerate(att.others):
        out += [(("fremmøde", "øvrige", i, key), value) for key, value in
                (("navn", guest.name), ("titel", guest.title), ("organisation", guest.organisation)) if value]
    return out


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
            report.error(source.in_text(path, offset, text),
                         f"'{written}' ligner et CPR-nummer, som ikke må stå i en offentlig udgave "
                         f"(CPR-lovens § 54, stk. 3); {HINT}")
        for offset, what, written in _contacts(text):
            report.warning(source.in_text(path, offset, text),
                           f"{what} '{written}' kommer med i den offentlige udgave; {HINT}")


def redaction_spans(meeting: Meeting, report: Report) -> None:
    """A '[[skjul:' that is not closed by ']]' would print its secret in the public edition: an error."""
    sources = [(meeting.source, path, text) for path, text in _meeting_texts(meeting)]
    sources += [(item.source, path, text) for item in meeting.items for path, text in item.texts()]
    for source, path, text in sources:
        for offset in broken_spans(text):
            report.error(source.in_text(path, offset, text),
                         "'[[skjul:' mangler sin afslutning ']]' (eller har mere end én '|'); skriv "
                         "[[skjul: tekst]] eller [[skjul: tekst | grund]]")


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
