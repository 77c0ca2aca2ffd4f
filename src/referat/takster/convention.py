"""How a submission writes its numbers — `1.234.567,5` (Danish) or `1,234,567.5` (English) — decided from the
evidence its own cells give (issue 23).

A cell such as `1,234` or `1.234` reads two ways: one thousand two hundred and thirty-four, or one point two
three four. Its section (a driftsherre of a YAML annex, a driftsherre's workbook on import) settles it:

1. the tariff formula: a takst whose one reading agrees with budget ÷ (pladser × belægning × dage) and whose
   other does not (they are a thousand times apart, so at most one can);
2. the unambiguous cells of the same column (`12,345,678` and `1.234,5` have two separators; `12,5` and `2.61`
   have a separator followed by other than three digits);
3. failing those, the unambiguous cells of the columns of the same kind (kroner, counts, percentages), then of
   the whole section.

A percentage of a thousand or more is no reading (a `1,234 %` is 1,234 %). Where the evidence at the level that
decides points both ways, the majority wins and the section gets one warning; where there is none, the cell
keeps the Danish reading and gets a warning and a marker of its own.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum


class Convention(str, Enum):
    DANISH = "dansk"  # 1.234.567,5
    ENGLISH = "engelsk"  # 1,234,567.5

    @property
    def example(self) -> str:
        return "1.234.567,5" if self is Convention.DANISH else "1,234,567.5"

    @property
    def thousands(self) -> str:
        return "." if self is Convention.DANISH else ","


_SUFFIX = re.compile(r"(?i)\s*(kr\.?|dkk|%)\s*$")
# One separator with exactly three digits after it, and a first group that could be thousands.
_AMBIGUOUS = re.compile(r"^-?[1-9]\d{0,2}[.,]\d{3}$")
_NUMBER = re.compile(r"^-?\d[\d.,]*$")

KINDS = {"budget": "kr", "takst": "kr", "takst_sidste_år": "kr", "basistakst": "kr", "regulering_kr": "kr",
         "antal_pladser": "antal", "pladser_sidste_år": "antal",
         "belægning_pct": "pct", "overhead_pct": "pct", "ændring_pct": "pct"}
PERCENT_LIMIT = 1000.0  # a percentage this large is no reading of what was meant


def core(text: str) -> str:
    """The digits and separators of a cell: without 'kr.', '%' and spaces (also non-breaking ones)."""
    return _SUFFIX.sub("", text.strip()).replace("\u00a0", "").replace(" ", "")


def ambiguous(text: str) -> bool:
    """'1,234' or '1.234': one separator with three digits after it — thousands or decimals?"""
    return bool(_AMBIGUOUS.match(core(text)))


def evidence(text: str) -> Convention | None:
    """The convention a cell's text proves; None for one that proves none (an integer, an ambiguous number)."""
    c = core(text)
    if not _NUMBER.match(c) or _AMBIGUOUS.match(c):
        return None
    commas, points = c.count(","), c.count(".")
    if commas and points:  # '1.234,5' / '1,234.5': the last separator is the decimal one
        return Convention.DANISH if c.rfind(",") > c.rfind(".") else Convention.ENGLISH
    if commas >= 2:
        return Convention.ENGLISH
    if points >= 2:
        return Convention.DANISH
    if commas:  # '12,5', '0,125', '1234,567': a decimal comma
        return Convention.DANISH
    if points:  # '2.61', '0.125': a decimal point
        return Convention.ENGLISH
    return None


def reading(text: str, convention: Convention) -> float:
    """An ambiguous cell read in `convention` ('1,234': 1234 in English, 1.234 in Danish)."""
    c = core(text)
    sep = "," if "," in c else "."
    digits = c.replace(sep, "")
    return float(digits) if sep == convention.thousands else float(c.replace(sep, "."))


def decimals(text: str, convention: Convention | None = None) -> int:
    """How many decimals the cell was written with: '1.234,50' 2, '12,345,678' 0, '1,234' 3 in Danish, 0 in
    English (`convention` decides an ambiguous cell; without it, the Danish reading)."""
    c = core(text)
    own = evidence(c)
    if own is None:
        if not _AMBIGUOUS.match(c):
            return 0
        own = convention or Convention.DANISH
    decimal = "," if own is Convention.DANISH else "."
    return len(c) - c.rfind(decimal) - 1 if decimal in c else 0


def readings(text: str) -> tuple[float, float]:
    """(the Danish reading, the English reading) of an ambiguous cell."""
    return reading(text, Convention.DANISH), reading(text, Convention.ENGLISH)


def agrees(expected: float | None, text: str) -> Convention | None:
    """The convention whose reading of an ambiguous takst agrees with the formula's `expected` takst: within a
    factor of two (the two readings are a thousand times apart, so at most one can)."""
    if not expected or expected <= 0:
        return None
    fits = [c for c in Convention if 0.5 <= reading(text, c) / expected <= 2.0]
    return fits[0] if len(fits) == 1 else None


@dataclass(frozen=True)
class Written:
    """A number cell as written: its column, its text and what it belongs to (a row, an imported record)."""

    key: str
    text: str
    owner: Hashable


@dataclass
class Decision:
    """How one ambiguous cell was read, and why."""

    convention: Convention | None  # None: no evidence; the Danish reading was kept
    source: str  # what settled it, in words for the run's summary ('takstformlen', …; 'ingen')
    conflict: bool = False
    evidence: tuple[str, ...] = ()  # where the conflict lies: the columns whose cells were counted


@dataclass
class SectionReading:
    """What a section's cells said about its number convention, and how each ambiguous cell was read."""

    votes: dict[str, Counter[Convention]] = field(default_factory=dict)  # column → unambiguous cells
    formula: Counter[Convention] = field(default_factory=Counter)  # takst cells the formula decided
    decisions: dict[Written, Decision] = field(default_factory=dict)

    @property
    def read_any(self) -> bool:
        """Whether any of the section's numbers was typed as text with a separator (else there was nothing to read
        in one convention or the other)."""
        return bool(self.votes or self.decisions)

    @property
    def conflicts(self) -> list[str]:
        """The columns whose cells, counted to decide an ambiguous number, pointed both ways (the section's one
        warning names them)."""
        return sorted({key for d in self.decisions.values() if d.conflict for key in d.evidence})

    @property
    def conflicted(self) -> list[str]:
        """The columns whose ambiguous numbers were decided on evidence that pointed both ways."""
        return sorted({w.key for w, d in self.decisions.items() if d.conflict})

    @property
    def unresolved(self) -> list[Written]:
        return [w for w, d in self.decisions.items() if d.convention is None]

    def used(self) -> dict[str, Convention]:
        """Column → the convention its cells were read in (the ambiguous cells' decisions, else the evidence)."""
        out: dict[str, Convention] = {}
        for key, votes in self.votes.items():
            if votes:
                out[key] = votes.most_common(1)[0][0]
        decided: dict[str, Counter[Convention]] = {}
        for w, d in self.decisions.items():
            if d.convention is not None:
                decided.setdefault(w.key, Counter())[d.convention] += 1
        for key, votes in decided.items():
            out[key] = votes.most_common(1)[0][0]
        return out

    def summary(self, labels: Mapping[str, str] | None = None) -> str:
        """One Danish line: which convention the section was read in ('dansk (1.234.567,5)', per column where
        the columns differ, named by `labels`), what decided its ambiguous cells, and how many stayed open."""
        labels = labels or {}
        used = self.used()
        if not used:
            text = "ingen entydige tal at gå efter" if self.decisions else "ingen tal skrevet med tusindtals- eller decimaltegn"
        elif len(set(used.values())) == 1:
            convention = next(iter(used.values()))
            text = f"{convention.value} ({convention.example})"
        else:
            by: dict[Convention, list[str]] = {}
            for key, convention in sorted(used.items()):
                by.setdefault(convention, []).append(labels.get(key, key))
            text = "; ".join(f"{', '.join(keys)}: {c.value} ({c.example})" for c, keys in by.items())
        settled = [d for d in self.decisions.values() if d.convention is not None]
        if settled:
            how = Counter(d.source for d in settled)
            text += " — tvetydige tal afgjort af " + ", ".join(f"{source} ({n})" for source, n in sorted(how.items()))
        if self.unresolved:
            n = len(self.unresolved)
            text += f"; {n} {'tvetydigt tal' if n == 1 else 'tvetydige tal'} uden holdepunkt, læst på dansk"
        return text


def decide(cells: Iterable[Written], formula: Mapping[Written, Convention] | None = None) -> SectionReading:
    """Read a section: `cells` are its number cells as written (text cells only; YAML or Excel numbers prove
    nothing), `formula` the ambiguous takst cells the tariff formula settles."""
    formula = formula or {}
    section = SectionReading()
    open_cells: list[Written] = []
    for w in cells:
        proof = evidence(w.text)
        if proof is not None:
            section.votes.setdefault(w.key, Counter())[proof] += 1
        elif ambiguous(w.text):
            open_cells.append(w)
    for w, convention in formula.items():
        section.formula[convention] += 1
        section.votes.setdefault(w.key, Counter())[convention] += 1
    for w in open_cells:
        section.decisions[w] = _decide_one(section, w, formula.get(w))
    return section


def _decide_one(section: SectionReading, w: Written, by_formula: Convention | None) -> Decision:
    if by_formula is not None:
        return Decision(by_formula, "takstformlen")
    kind = KINDS.get(w.key, w.key)
    if kind == "pct":  # of the two readings, the one under a thousand per cent
        plausible = [c for c in Convention if abs(reading(w.text, c)) < PERCENT_LIMIT]
        if len(plausible) == 1:
            return Decision(plausible[0], "procentens størrelse")
    levels = [("kolonnens øvrige tal", [w.key]),
              ("entydige tal i kolonner af samme slags", [k for k in section.votes if KINDS.get(k, k) == kind]),
              ("driftsherrens øvrige entydige tal", list(section.votes))]
    for source, keys in levels:
        votes: Counter[Convention] = Counter()
        for key in keys:
            votes.update(section.votes.get(key, Counter()))
        if not votes:
            continue
        ranked = votes.most_common()
        if len(ranked) == 1:
            return Decision(ranked[0][0], source)
        counted = tuple(k for k in keys if section.votes.get(k))
        if ranked[0][1] > ranked[1][1]:
            return Decision(ranked[0][0], source, conflict=True, evidence=counted)
        return Decision(None, source, conflict=True, evidence=counted)  # as many each way: no reading is supported
    return Decision(None, "ingen")
