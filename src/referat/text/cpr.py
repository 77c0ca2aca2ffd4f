"""CPR numbers in a text (ddmmåå-xxxx), outside redaction spans: validation refuses them in public text and the leak
check finds them in every public file."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from .spans import hidden_spans, inside

# ddmmåå-xxxx: the 6 and the 4 digits together or with up to three spaces (any kind: no-break, narrow, thin,
# zero-width), hyphens or dashes between them, on one line; never inside a longer run of digits. The date part is
# checked, which keeps false alarms down; the modulus-11 rule is not (CPR numbers issued since 2007 need not
# satisfy it).
DASHES = "\\-\u00ad\u2010-\u2015\u2212\ufe58\ufe63\uff0d"
CPR_GAP = rf"(?:[^\S\r\n\u2028\u2029\u0085\x0b\x0c]|[\u200b\u2060{DASHES}]){{0,3}}"
CPR = re.compile(rf"(?<![\d{DASHES}])(\d{{2}})(\d{{2}})(\d{{2}}){CPR_GAP}(\d{{4}})(?![\d{DASHES}])")


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
    hidden = hidden_spans(text)
    for m in CPR.finditer(text):
        if _valid_date(m[1], m[2], m[3]) and not inside(m.start(), hidden):
            yield m.start(), m[0]
