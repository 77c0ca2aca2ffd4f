"""Content checks taken from real defects in published DAS Social documents (DOMAIN.md §2).

The texts a rule reads are found by walking the model (`model.texts`), not listed by hand: a presenter, a task,
a guest or a field added later is checked as the sections are.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections import defaultdict
from typing import Any

from ..diagnostics import Report
from ..fold import loose_fold
from ..model.item import Item
from ..model.meeting import Meeting
from ..model.source import PathKey, SourceMap
from ..model.texts import all_texts, text_fields
from ..text.chars import picture
from ..text.fonts import REPLACEMENT, uncovered

MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
          "oktober", "november", "december")
_WORD_DATE = re.compile(r"\b(\d{1,2})\.\s*(" + "|".join(MONTHS) + r")\s+(\d{4})\b", re.IGNORECASE)
_NUM_DATE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})\b")
_PAST = re.compile(
    r"\b(behandlede|godkendte|besluttede|drøftede|tiltrådte|vedtog|anbefalede|orienterede|"
    r"(?:blev|er|har|havde)\s+(?:\w+\s+)?(?:behandlet|godkendt|besluttet|drøftet|tiltrådt|vedtaget))\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-ZÆØÅ\"“])|\n")
_PLACEHOLDERS = [
    (re.compile(r"\[\s*(skriv|indsæt|tekst|udfyld|navn|dato)[^\]]*\]", re.IGNORECASE), "pladsholder"),
    (re.compile(r"(?<![\w-])XX+(?![\w-])"), "pladsholder"),
    (re.compile(r"\b(TODO|FIXME|TBD)\b"), "huskenote"),
    (re.compile(r"\?\?\?+"), "pladsholder"),
    (re.compile(r"\b(xx\.xx\.xxxx|dd\.mm\.(åååå|yyyy))\b", re.IGNORECASE), "pladsholder"),
]
_INTERNAL = re.compile(r"\((?:aftalt med|spørg|tjek|husk|obs|nb)\b[^)]*\)", re.IGNORECASE)
_ATTACHED = re.compile(
    r"\b(vedlagt som bilag|vedlægges som bilag|vedlagte bilag|fremgår af (?:vedlagte )?bilag|se bilag|jf\. bilag|"
    r"vedlagt dagsordenen|er vedlagt)\b",
    re.IGNORECASE,
)
_LEAD_IN = re.compile(r"\bdet indstilles,?\s+at\s+(?:den\s+)?([A-ZÆØÅa-zæøå][\w\- ]{1,60})", re.IGNORECASE)
_BILAG_NO = re.compile(r"^\s*(\w{4,6})\s*(\d+)\s*[.:]", re.IGNORECASE)
TEXT_KEYS = ("resumé", "baggrund", "sagsfremstilling", "indstilling", "indstilling_indledning", "afsnit")


def _item_texts(item: Item) -> list[tuple[PathKey, str]]:
    """Every text of an item with its path in the file, found by walking the model (`model.texts`): the title, the
    sections, presenters, tasks, bilag titles and any field added later."""
    return [(path, text) for path, text in text_fields(item) if text]


def _every_text(meeting: Meeting) -> list[tuple[SourceMap, PathKey, str]]:
    """The texts of møde.yaml, then of each item, with the source map that locates them (`model.texts.all_texts`)."""
    return [(source, path, text) for source, path, text in all_texts(meeting) if text]


def _sentences(text: str) -> list[tuple[int, str]]:
    """Sentences with their offsets; '17. november' does not end a sentence."""
    out, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        out.append((start, text[start:m.end()]))
        start = m.end()
    out.append((start, text[start:]))
    return out


def _dates(text: str) -> list[tuple[int, dt.date | None, str]]:
    """Full dates in running text: (offset, date or None if impossible, as written)."""
    found: list[tuple[int, dt.date | None, str]] = []
    for m in _WORD_DATE.finditer(text):
        found.append((m.start(), _date(int(m[3]), _month(m[2]), int(m[1])), _flat(m[0])))
    for m in _NUM_DATE.finditer(text):
        year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
        found.append((m.start(), _date(year, int(m[2]), int(m[1])), _flat(m[0])))
    return found


def _flat(text: str) -> str:
    """Matched text on one line: a message is one output line even when the match spans a line break."""
    return " ".join(text.split())


def _month(word: str) -> int:
    """The month number of a name the pattern matched (case-insensitively, so also 'ſeptember' or 'MAJ')."""
    return next(i for i, name in enumerate(MONTHS, start=1) if re.fullmatch(name, word, re.IGNORECASE))


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def back_references(meeting: Meeting, report: Report) -> None:
    """'… godkendte den 17. november 2026 …' in a February 2026 item cannot be a past event (002 L646)."""
    for item in meeting.items:
        for path, text in _item_texts(item):
            if path[0] == "beslutning":
                continue
            for start, sentence in _sentences(text):
                if not _PAST.search(sentence):
                    continue
                for offset, date, written in _dates(sentence):
                    if date is not None and date > meeting.date:
                        report.warning(
                            item.source.in_text(path, start + offset, text),
                            f"tilbagehenvisningen '{written}' ligger efter mødet den "
                            f"{meeting.date:%d.%m.%Y}; er årstallet forkert?",
                        )


def impossible_dates(meeting: Meeting, report: Report) -> None:
    """A date in the text that does not exist (31. april) is a typo."""
    for source, path, text in _every_text(meeting):
        for offset, date, written in _dates(text):
            if date is None:
                report.warning(source.in_text(path, offset, text), f"datoen '{written}' findes ikke")


def placeholders(meeting: Meeting, report: Report) -> None:
    """Placeholders left in a published packet ('[Skriv]', 003 L267; 'XX')."""
    for source, path, text in _every_text(meeting):
        for pattern, what in _PLACEHOLDERS:
            for m in pattern.finditer(text):
                report.warning(source.in_text(path, m.start(), text), f"{what} '{_flat(m[0])}' står stadig i teksten")


def internal_notes(meeting: Meeting, report: Report) -> None:
    """An internal note such as '(Aftalt med Helene)' (003 L238) must not reach the members."""
    for source, path, text in _every_text(meeting):
        for m in _INTERNAL.finditer(text):
            report.warning(source.in_text(path, m.start(), text), f"intern note '{_flat(m[0])}' står i teksten")


def attached_without_bilag(meeting: Meeting, report: Report) -> None:
    """Text that says something is attached when the item lists no bilag."""
    for item in meeting.items:
        if item.bilag:
            continue
        for path, text in _item_texts(item):
            if path[0] not in TEXT_KEYS:
                continue
            m = _ATTACHED.search(text)
            if m:
                report.warning(item.source.in_text(path, m.start(), text),
                               f"teksten siger '{_flat(m[0])}', men punktet har ingen bilag")


def recommendation_addressee(meeting: Meeting, report: Report) -> None:
    """The recommendation is addressed to this committee (002 L1053 addressed 'forretningsudvalget')."""
    own = [loose_fold(n) for n in meeting.profile.names()]
    others = {loose_fold(n): n for n in meeting.profile.other_bodies}
    for item in meeting.items:
        for i, point in enumerate(item.recommendation or []):
            head = loose_fold(point.text.strip())
            if head.startswith("det indstilles"):
                report.warning(item.source.at(("indstilling", i, "tekst")),
                               "skriv kun selve punktet; indledningen 'Det indstilles, at …' kommer fra udvalgsprofilen "
                               "(eller fra punktets indstilling_indledning)")
            for key, name in others.items():
                if head.startswith(key + " "):
                    report.warning(item.source.at(("indstilling", i, "tekst")),
                                   f"indstillingspunktet er rettet til '{name}', men punktet behandles i {meeting.profile.name}")
        for path, text in _item_texts(item):
            for m in _LEAD_IN.finditer(text):
                body = loose_fold(m[1])
                if any(body.startswith(o.removeprefix("den ")) for o in own):
                    continue
                # only a body the profile names: "Det indstilles, at det godkendes" addresses nobody
                found = next((k for k in others if body == k or body.startswith(k + " ")), None)
                if found is None:
                    continue
                named = m[1][: len(found)] if loose_fold(m[1][: len(found)]) == found else others[found]
                report.warning(item.source.in_text(path, m.start(), text),
                               f"'{_flat(m[0])}' er rettet til '{named}', men punktet behandles i {meeting.profile.name}")


def bilag_titles(meeting: Meeting, report: Report) -> None:
    """Bilag titles are unique, numbered once each, and spelled right ('Bialg 2.', two 'Bilag 1.', 002 L77–79)."""
    for item in meeting.items:
        titles: dict[str, int] = {}
        numbers: dict[str, int] = defaultdict(int)
        for i, b in enumerate(item.bilag):
            where = item.source.at(("bilag", i, "titel"))
            key = " ".join(b.title.split()).lower()
            if key in titles:
                report.warning(where, f"to bilag har titlen '{b.title}'")
            titles[key] = i
            m = _BILAG_NO.match(b.title)
            if not m:
                continue
            word, number = m[1], m[2]
            if word.lower() != "bilag" and _near_bilag(word):
                report.warning(where, f"'{word} {number}' er vist en stavefejl for 'Bilag {number}'")
            if word.lower() == "bilag" or _near_bilag(word):
                numbers[number] += 1
                if numbers[number] == 2:
                    report.warning(where, f"to bilag er nummereret 'Bilag {number}.' under punkt {item.number}")


def _near_bilag(word: str) -> bool:
    w = word.lower()
    return w != "bilag" and len(w) == 5 and sorted(w) == sorted("bilag")


# Characters that reorder the text that follows them (bidi embeddings, overrides and isolates): "U+202E fdp.exe"
# displays as "exe.pdf". In a document they can make a decision read otherwise than it is written, so they are an
# error in every text, public or closed (members read closed items too).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def control_characters(meeting: Meeting, report: Report) -> None:
    """Control characters cannot be printed; they are shown as visible symbols (␂) in the documents. Characters
    that reorder text (U+202E) are errors; other invisible format characters (U+200B, U+2060, U+FEFF, a soft
    hyphen) are warnings: they cannot be seen, but change search, copying and line breaks. Items and the texts of
    møde.yaml that are printed (place, other information, names) alike."""
    for source, path, text in _every_text(meeting):
        _scan(source, path, text, report)


# Format characters (category Cf) as code-point ranges, per Unicode version of `unicodedata` (Python 3.11: 14.0,
# 3.12: 15.0, 3.13: 15.1); another version scans every code point once (~0.3 s) so the class always agrees with
# unicodedata. Control characters (Cc) are fixed by the standard: U+0000-001F and U+007F-009F.
_FORMAT_CHARACTERS_14 = ((0xAD, 0xAD), (0x600, 0x605), (0x61C, 0x61C), (0x6DD, 0x6DD), (0x70F, 0x70F), (0x890, 0x891),
                         (0x8E2, 0x8E2), (0x180E, 0x180E), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x2064),
                         (0x2066, 0x206F), (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB), (0x110BD, 0x110BD),
                         (0x110CD, 0x110CD), (0x13430, 0x13438), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
                         (0xE0001, 0xE0001), (0xE0020, 0xE007F))
_FORMAT_CHARACTERS_15 = tuple((a, 0x1343F if a == 0x13430 else b) for a, b in _FORMAT_CHARACTERS_14)
_FORMAT_CHARACTERS = {"14.0.0": _FORMAT_CHARACTERS_14, "15.0.0": _FORMAT_CHARACTERS_15,
                      "15.1.0": _FORMAT_CHARACTERS_15}


@functools.lru_cache(maxsize=1)
def _hidden_pattern() -> re.Pattern[str]:
    """Every character `_scan` looks at (control characters but newline and tab, format characters) as one
    character class: a regex finds them in a 5 MB field at C speed, where a category lookup per character took
    seconds (issue 17, item 6)."""
    ranges = _FORMAT_CHARACTERS.get(unicodedata.unidata_version)
    if ranges is None:
        points = [c for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"]
        ranges = tuple((c, c) for c in points)
    bmp = "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in ranges if b <= 0xFFFF)
    astral = "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges if b > 0xFFFF)
    # sre tests a class with characters beyond U+FFFF range by range (0.8 s on 5 MB); the BMP part with one
    # catch-all range above it is quick (0.2 s), and the exact class is checked only on what that finds.
    return re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{bmp}\\U00010000-\\U0010ffff]"
                      f"(?<=[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{bmp}{astral}])")


def _scan(source: Any, path: tuple[str | int, ...], text: str, report: Report) -> None:
    control = invisible = bidi = False
    for match in _hidden_pattern().finditer(text):
        if control and invisible and bidi:
            break
        offset, ch = match.start(), match.group()
        if ch <= "\x9f":  # a control character (Cc): the class holds no other below U+00AD
            if not control:
                control = True
                report.warning(source.in_text(path, offset, text),
                               f"teksten indeholder kontroltegnet U+{ord(ch):04X}; det vises som '{picture(ch)}'")
        elif ch in BIDI_CONTROLS:
            if not bidi:
                bidi = True
                report.error(source.in_text(path, offset, text),
                             f"teksten indeholder retningstegnet U+{ord(ch):04X} ({_name(ch)}), som vender "
                             "den følgende tekst om, så der kan stå noget andet, end læseren ser; slet det")
        elif not invisible and not _joins_emoji(text, offset):
            invisible = True
            report.warning(source.in_text(path, offset, text),
                           f"teksten indeholder det usynlige tegn U+{ord(ch):04X} ({_name(ch)}); det kan "
                           "ikke ses, men ændrer søgning, kopiering og linjeskift; slet det")


_NAMES = {
    "\u00ad": "blød bindestreg", "\u200b": "mellemrum uden bredde", "\u200c": "adskiller uden bredde",
    "\u200d": "sammenbinder uden bredde", "\u200e": "venstre-mod-højre-mærke", "\u200f": "højre-mod-venstre-mærke",
    "\u2060": "ordsammenbinder", "\ufeff": "byte-rækkefølgemærke", "\u202a": "venstre-mod-højre-indlejring",
    "\u202b": "højre-mod-venstre-indlejring", "\u202c": "afslut retning", "\u202d": "venstre-mod-højre-tvang",
    "\u202e": "højre-mod-venstre-tvang", "\u2066": "venstre-mod-højre-isolering",
    "\u2067": "højre-mod-venstre-isolering", "\u2068": "første stærke isolering", "\u2069": "afslut isolering",
}


def _name(ch: str) -> str:
    return _NAMES.get(ch, "usynligt formattegn")


def _joins_emoji(text: str, offset: int) -> bool:
    """A zero-width joiner inside an emoji sequence (👩‍💻) is part of the emoji, not a hidden character."""
    if text[offset] != "\u200d" or offset == 0 or offset + 1 >= len(text):
        return False
    before, after = text[offset - 1], text[offset + 1]
    return unicodedata.category(after) == "So" and (unicodedata.category(before) in ("So", "Mn", "Sk")
                                                     or before == "\ufe0f")


def unprintable_in_pdf(meeting: Meeting, report: Report) -> None:
    """A character no bundled font has (some scripts, new emoji) prints as '�' in the PDF: say so."""
    for source, path, text in _every_text(meeting):
        missing = uncovered(text)
        if missing:
            shown = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in missing[:5])
            report.warning(source.in_text(path, text.index(missing[0]), text),
                           f"{shown} findes ikke i PDF-skrifttyperne og vises som '{REPLACEMENT}' i PDF'en")


RULES = [back_references, impossible_dates, placeholders, internal_notes, attached_without_bilag,
         recommendation_addressee, bilag_titles, control_characters, unprintable_in_pdf]
