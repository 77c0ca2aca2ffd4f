"""The Word reader: a caseworker's .docx (or an item of referat's own Word edition) → item fields.

`read_word(path, data, options)` opens the file as a stranger's zip (`package`), refuses what must not come in
(macros, a password, a file that is not Word, tracked changes unless accepted), walks the body once (`walk`),
turns paragraphs into rich-text blocks (`blocks`) and the blocks into an item's fields by its headings
(`contribution`); Markdown is written by `text.tomarkdown`. The reader knows no profile and writes nothing: the
heading words, lead-in and labels come in as `Options`, and the application writes the item file.

The converter is this walker over python-docx's XML library (lxml) rather than mammoth or pandoc: measured on
the corpus in tests/fixtures/word/ (benchmarks/word_converters.py), both copy hidden text into their output and
drop the result of a simple field, mammoth accepts tracked changes silently and loses a list's start, and
pandoc is a separate program started per file; the importer must read the XML itself anyway to list tracked
changes with their authors, name the comments' authors and leave hidden text, field instructions and custom XML
out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ...diagnostics import Location, Report, count
from ...errors import InputError
from .changes import comment_authors, tracked_changes
from .contribution import Contribution, Options, contributions, heading_key
from .package import open_package
from .walk import Walker

__all__ = ["Contribution", "Options", "Reading", "heading_key", "read_word"]


@dataclass
class Reading:
    """What a document gave: its items and the warnings about the whole file."""

    items: list[Contribution]
    warnings: list[str] = field(default_factory=list)


def read_word(path: Path, data: bytes, options: Options, accept_changes: bool = False) -> Reading:
    """The items of a Word document, or a ReferatError naming the file (tracked changes: each with its author)."""
    package = open_package(path, data)
    warnings: list[str] = []
    changes = tracked_changes(package)
    if changes and not accept_changes:
        report = Report()
        report.error(Location(path), f"dokumentet har {count(len(changes), 'sporet ændring', 'sporede ændringer')}, "
                                     "som ikke er godkendt; acceptér eller afvis dem i Word (Gennemse › Accepter), "
                                     "eller importér med --accepter-ændringer, som accepterer dem alle")
        shown = changes[:20]
        for change in shown:
            report.error(Location(path, where=change.where), change.describe())
        if len(changes) > len(shown):
            report.error(Location(path), f"… og {len(changes) - len(shown)} ændringer mere")
        raise InputError(report)
    if changes:
        authors = sorted({c.author for c in changes})
        warnings.append(f"{count(len(changes), 'sporet ændring', 'sporede ændringer')} "
                        f"(af {', '.join(authors)}) er accepteret")
    commented = comment_authors(package)
    if commented is not None:
        comments, names = commented
        warnings.append(f"{count(comments, 'kommentar', 'kommentarer')} (af {', '.join(names) or 'ukendt'}) er "
                        "udeladt")
    walker = Walker(package)
    records = walker.body()
    items = contributions(records, package.title, path, options)
    warnings.extend(walker.warnings)
    return Reading(items=items, warnings=warnings)
