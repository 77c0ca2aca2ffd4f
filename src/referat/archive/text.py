"""The minutes as text: each item's title and decision, and the item-by-item comparison with a PDF's text."""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import unicodedata
from dataclasses import dataclass

from pypdf import PdfReader

from ..diagnostics import count
from ..model.meeting import Meeting
from ..text.danish import long_date
from ..text.richtext import plain_text
from ..view import labels as L
from ..view.document import document_view
from .layout import Layout


@dataclass
class ItemText:
    """An item as the archive records it."""

    number: str
    label: str
    title: str
    decision: str
    closed: bool
    case_number: str | None
    source: str  # the item's file, for messages


def item_texts(meeting: Meeting) -> list[ItemText]:
    """Every item of the minutes with its decision as plain text (Markdown rendered as the PDF shows it)."""
    view = document_view(meeting, "referat")
    out = []
    for item, shown in zip(meeting.items, view["items"], strict=True):
        decision = next((plain_text(s["blocks"]) for s in shown["sections"]
                         if s["type"] == "blocks" and s["key"] == "beslutning"), "")
        out.append(ItemText(item.number, shown["label"], shown["title"], decision, item.closed,
                            shown["case_number"], str(item.file) if item.file else ""))
    return out


def page_line(label: str) -> re.Pattern[str]:
    """A page's number as the footer prints it with the label ("Side {x} af {y}")."""
    return re.compile("^" + re.escape(label).replace(r"\{x\}", r"\d+").replace(r"\{y\}", r"\d+") + "$")


PAGE_LINE = page_line(L.PAGE)
ACCESS = (L.OPEN, L.CLOSED)  # the line printed above every item's heading in the minutes


@dataclass
class Expected:
    """An item as the minutes must print it: from the meeting (add) or from the manifest (verify)."""

    number: str
    label: str
    title: str
    decision: str
    closed: bool
    case_number: str | None = None
    text: str | None = None  # the item's whole text after its heading, as the manifest records it (search)


def _first_lines(pdf: bytes) -> list[str]:
    return [p[0] for p in _page_lines(pdf) if p]


@functools.lru_cache(maxsize=4)
def _page_lines(pdf: bytes) -> tuple[tuple[str, ...], ...]:
    """Every page's non-empty text lines (remembered: a check reads the same file's text several times)."""
    pages = []
    for page in PdfReader(io.BytesIO(pdf), strict=False).pages:
        pages.append(tuple(line.strip() for line in (page.extract_text() or "").splitlines() if line.strip()))
    return tuple(pages)


def pdf_lines(pdf: bytes, header: str | None = None, page: str = L.PAGE) -> list[str]:
    """The text lines of every page, without the running header and the 'Side X af Y' footer (`page`).

    The running header is the given one, or else the one found from the PDF itself (`running_header`), so a
    stored manifest cannot make a line of the minutes disappear. Only a page's first line is taken as its header;
    a header printed on every page ends in the access word of the item the page is in ("… DAS Social Åben").
    """
    pages = _page_lines(pdf)
    if header is None:
        header = running_header(pdf)
    headers = {header, *(f"{header} {a}" for a in ACCESS)} if header else set()
    footer = PAGE_LINE if page == L.PAGE else page_line(page)
    lines: list[str] = []
    for shown in pages:
        for n, line in enumerate(shown):
            if (n == 0 and line in headers) or footer.match(line):
                continue
            lines.append(line)
    return lines


def pdf_text(pdf: bytes, header: str | None = None, page: str = L.PAGE) -> str:
    """The text of every page, without the running header and the 'Side X af Y' footer."""
    return "\n".join(pdf_lines(pdf, header, page))


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


SIGNS = frozenset("%§+=<>€$£")  # symbols that change what a text says, kept in the comparison
# A decimal comma, a thousands point or a time's colon between two digits: part of the number it is in. A line
# never breaks there (Unicode line breaking: infix separators between digits), so both texts have it.
NUMBER_MARKS = frozenset(",.:")
DASHES = frozenset("-\u2212\u2010\u2011\u2012\u2013")  # a minus (Typst prints '-5' as '−5') or a hyphen


def _digit_follows(text: str, i: int) -> bool:
    """Whether the next character after position `i`, spaces and line breaks skipped, is a digit: a dash
    there is a minus or part of a number ('2026-005746'), not a hyphenation point."""
    for c in text[i + 1:i + 4]:
        if not c.isspace():
            return c.isdigit()
    return False


class Keyed:
    """Text reduced to its letters and digits (and the signs that change meaning: %, §, +, =, <, >, currency,
    a minus before a digit), case-folded, with the way back to the original text.

    Line breaks, hyphenation at line ends, ligatures and spacing differ between a PDF's text and the YAML;
    the letters do not. Both sides are reduced the same way, and then compared as whole texts.
    """

    def __init__(self, text: str) -> None:
        self.text = _norm(text)
        chars, where = [], []
        for i, c in enumerate(self.text):
            if c.isalnum():
                for folded in c.casefold():
                    chars.append(folded)
                    where.append(i)
            elif c in NUMBER_MARKS and 0 < i < len(self.text) - 1 and self.text[i - 1].isdigit() \
                    and self.text[i + 1].isdigit():
                chars.append(c)  # "1,5 mio." is not "15 mio.", "1.500" not "15,00" (no line breaks there)
                where.append(i)
            elif c in SIGNS or (c in DASHES and _digit_follows(self.text, i)):
                chars.append("-" if c in DASHES else c)  # "5 %" is not "5", "−5" is not "5"
                where.append(i)
        self.key = "".join(chars)
        self.where = where

    def words_from(self, start: int, count: int = 6) -> str:
        """About `count` words of the original text from the word holding key position `start`."""
        if start >= len(self.where):
            return ""
        at = self.where[start]
        while at > 0 and not self.text[at - 1].isspace():
            at -= 1
        words = self.text[at:].split()
        return " ".join(words[:count]) + ("…" if len(words) > count else "")

    def words_before(self, start: int, count: int = 5) -> str:
        """About `count` words of the original text before the word holding key position `start`."""
        if not self.where or start == 0:
            return ""
        at = len(self.text)
        if start < len(self.where):
            at = self.where[start]
            while at > 0 and not self.text[at - 1].isspace():
                at -= 1
        words = self.text[:at].split()
        return ("…" if len(words) > count else "") + " ".join(words[-count:])


def first_difference(found: str, expected: str) -> tuple[str, str, str] | None:
    """None when both texts are the same after normalisation; else (the words before the first difference,
    the PDF's words from there, the expected words from there)."""
    a, b = Keyed(found), Keyed(expected)
    if a.key == b.key:
        return None
    n = 0
    limit = min(len(a.key), len(b.key))
    while n < limit and a.key[n] == b.key[n]:
        n += 1
    # back to the start of the word, on both sides, so the message shows whole words
    return b.words_before(n), a.words_from(n) or "(intet)", b.words_from(n) or "(intet)"


@dataclass
class PdfItem:
    """An item as found in a PDF's text: the access line above its heading, and its lines from the label on."""

    number: str
    access: str
    lines: list[str]


def split_items(lines: list[str], layout: Layout) -> tuple[list[str], list[PdfItem]]:
    """The text before the first item (front page, contents) and every item: an item begins where an
    'Åben'/'Lukket' line is followed by a line beginning with the item label ('Punkt 3.'); the contents
    list has no such lines."""
    pattern = layout.label_pattern()
    starts = [i for i in range(len(lines) - 1) if lines[i] in ACCESS and pattern.match(lines[i + 1])]
    items = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        match = pattern.match(lines[start + 1])
        assert match is not None
        items.append(PdfItem(match[1], lines[start], lines[start + 1:end]))
    return lines[:starts[0]] if starts else lines, items


def _heading_end(item: PdfItem, heading: str) -> int | None:
    """The number of lines that hold exactly the item's label and title, or None."""
    want = Keyed(heading).key
    key = ""
    for n, line in enumerate(item.lines):
        key += Keyed(line).key
        if key == want:
            return n + 1
        if not want.startswith(key):
            return None
    return None


def _shown(item: PdfItem, lines: int = 3) -> str:
    return " ".join(" ".join(item.lines[:lines]).split())


def compare_items(lines: list[str], expected: list[Expected], layout: Layout) -> str | None:
    """None when the PDF's items are the expected ones, in order, each with the same title, the same
    access (Åben/Lukket) and the same decision as a whole text; else a Danish sentence naming the first
    difference (item, expected and found words)."""
    _, found = split_items(lines, layout)
    for n, (want, got) in enumerate(zip(expected, found, strict=False), start=1):
        heading = f"{want.label} {want.title}"
        end = _heading_end(got, heading)
        if got.number != want.number or end is None:
            return (f"punkt nr. {n} i den underskrevne PDF er »{_shown(got)}«, men mødets punkt nr. {n} er "
                    f"»{heading}« (ændret titel eller rækkefølge?)")
        access = L.CLOSED if want.closed else L.OPEN
        if got.access != access:
            return f"punkt {want.number} '{want.title}' står som '{got.access}' i den underskrevne PDF, men som '{access}'"
        problem = (_case_problem(got.lines[end:], want) or _decision_problem(got.lines[end:], want, layout)
                   or _text_problem(got.lines[end:], want))
        if problem:
            return problem
    if len(found) != len(expected):
        return (f"den underskrevne PDF har {count(len(found), 'punkt', 'punkter')}, mødet har {len(expected)}"
                + (f"; PDF'ens punkt nr. {len(expected) + 1} er »{_shown(found[len(expected)])}«"
                   if len(found) > len(expected) else
                   f"; punkt {expected[len(found)].number} '{expected[len(found)].title}' mangler i PDF'en"))
    return None


def _case_problem(body: list[str], want: Expected) -> str | None:
    """The case number is printed on the line under the title; an item without one has no such line (a lone
    token with a digit there would be one)."""
    first = body[0] if body else ""
    if want.case_number:
        if Keyed(first).key != Keyed(want.case_number).key:
            return (f"punkt {want.number} '{want.title}': sagsnummeret er »{first or '(intet)'}« i den underskrevne "
                    f"PDF, men »{want.case_number}«")
    elif len(first.split()) == 1 and any(c.isdigit() for c in first):
        return f"punkt {want.number} '{want.title}': den underskrevne PDF har sagsnummeret »{first}«, men intet"
    return None


def _decision_problem(body: list[str], want: Expected, layout: Layout) -> str | None:
    """The decision is the text after a line holding only the decision heading, up to a following section's
    heading or the end of the item — compared as a whole with the expected decision."""
    candidates = [i for i, line in enumerate(body) if line == layout.decision]
    if not candidates:
        if not want.decision.strip():
            return None
        return f"punkt {want.number} '{want.title}': beslutningen findes ikke i den underskrevne PDF"
    regions = []
    for c in candidates:
        end = next((i for i in range(c + 1, len(body)) if body[i] in layout.after), len(body))
        regions.append("\n".join(body[c + 1:end]))
    if any(first_difference(r, want.decision) is None for r in regions):
        return None
    diff = first_difference(regions[-1], want.decision)
    assert diff is not None
    before, theirs, ours = diff
    where = f"efter »{before}«" if before else "fra begyndelsen"
    return (f"punkt {want.number} '{want.title}': beslutningen afviger {where}: PDF'en har »{theirs}«, "
            f"mødet har »{ours}«")


def _text_problem(body: list[str], want: Expected) -> str | None:
    """The item's whole text (recorded for search) is the text the PDF prints after the item's heading."""
    if want.text is None:
        return None
    diff = first_difference("\n".join(body), want.text)
    if diff is None:
        return None
    before, theirs, ours = diff
    where = f"efter »{before}«" if before else "fra begyndelsen"
    return f"punkt {want.number} '{want.title}': teksten afviger {where}: PDF'en har »{theirs}«, mødet har »{ours}«"


def item_bodies(pdf: bytes, layout: Layout, headings: list[tuple[str, str]]) -> list[str | None]:
    """Each item's text after its heading (sections, bilag titles, decision) as the PDF prints it, a line per
    line, for the search index; `headings`: each item's number and "label title". None for an item whose
    heading is not found (the PDF was compared item by item before, so that does not happen for a stored one)."""
    _, found = split_items(pdf_lines(pdf), layout)
    out: list[str | None] = []
    for n, (number, heading) in enumerate(headings):
        got = found[n] if n < len(found) else None
        end = _heading_end(got, heading) if got is not None and got.number == number else None
        out.append("\n".join(got.lines[end:]) if got is not None and end is not None else None)
    return out


def printed_texts(pdf: bytes, meeting: Meeting) -> list[str | None]:
    """Each item's text as `pdf` (the minutes of `meeting`, compared item by item) prints it after its heading."""
    return item_bodies(pdf, Layout.of(meeting), [(i.number, f"{i.label} {i.title}") for i in item_texts(meeting)])


def front_difference(lines: list[str], name: str, date: dt.date, short: str | None = None,
                     keywords: str = "") -> str | None:
    """None when the front page names this meeting: 'Mødet den 23. februar 2026' and the committee — by its
    formal name, or by the short one a profile's title block may print alone ("DAS Social") when the PDF's
    keywords carry the formal name (as referat writes them)."""
    front, _ = split_front(lines)
    found = Keyed("\n".join(front)).key
    date_text = long_date(date)
    line = L.MEETING_LINE.split("{dato}")[0] + date_text
    formal = Keyed(name).key
    named = formal in found or (bool(short) and Keyed(short or "").key in found and formal in Keyed(keywords).key)
    if Keyed(line).key not in found or not named:
        return f"mødet er {name} den {date_text}, men PDF'ens forside nævner ikke det møde"
    return None


def pdf_keywords(pdf: bytes) -> str:
    """The PDF's /Keywords (referat writes the committee's short and formal name and the document type)."""
    info = PdfReader(io.BytesIO(pdf), strict=False).metadata
    value = info.get("/Keywords") if info is not None else None
    return str(value) if value else ""


def running_header(pdf: bytes) -> str | None:
    """The running header as found in the PDF itself: the line that begins the last page and at least one other
    (the header on every page); else the line that begins the most pages, at least two (a header printed only
    where an item starts). A header on every page ends in the access word of the page's item; it is left off."""
    pages = _page_lines(pdf)
    firsts = [_without_access(p[0]) for p in pages if p]
    if len(pages) >= 2 and pages[-1] and firsts.count(_without_access(pages[-1][0])) >= 2:
        return _without_access(pages[-1][0])
    counts = {line: firsts.count(line) for line in firsts}
    best = max(counts.items(), key=lambda kv: kv[1], default=None)
    return best[0] if best is not None and best[1] >= 2 else None


def _without_access(line: str) -> str:
    for access in ACCESS:
        if line.endswith(" " + access):
            return line[: -len(access) - 1]
    return line


def split_front(lines: list[str]) -> tuple[list[str], list[str]]:
    starts = [i for i in range(len(lines) - 1) if lines[i] in ACCESS]
    return (lines[:starts[0]], lines[starts[0]:]) if starts else (lines, [])


def expected_items(meeting: Meeting) -> list[Expected]:
    return [Expected(i.number, i.label, i.title, i.decision, i.closed, i.case_number) for i in item_texts(meeting)]


def text_difference(pdf: bytes, meeting: Meeting) -> str | None:
    """None when the PDF's text is these minutes: the meeting's date and committee on the front page, then
    every item — label, title, Åben/Lukket and decision as whole texts — in order, and no other item;
    else a Danish sentence naming the first difference."""
    view = document_view(meeting, "referat")
    lines = pdf_lines(pdf, view["header"], view["labels"]["page"])
    if front_difference(lines, meeting.profile.name, meeting.date, meeting.profile.short_name, pdf_keywords(pdf)) or \
            not any(_without_access(line) == view["header"] for line in _first_lines(pdf)):
        title = PdfReader(io.BytesIO(pdf), strict=False).metadata
        shown = f" (PDF'ens titel: '{title.title}')" if title and title.title else ""
        return (f"det underskrevne referat er ikke fra dette møde: mødet er {meeting.profile.short_name} "
                f"den {long_date(meeting.date)}, men PDF'en nævner ikke det møde{shown}")
    return compare_items(lines, expected_items(meeting), Layout.of(meeting))
