"""Characters a document cannot print, shown as visible pictures (cheap to import: no Markdown, no fonts).

Used by every writer (through `richtext.printable`) and by validation, which names the picture a control
character will be shown as.
"""

from __future__ import annotations

import re
import unicodedata


def printable(text: str) -> str:
    """Control characters shown as their Unicode pictures; CR/LF normalised; tabs kept."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _UNPRINTABLE.sub(lambda m: picture(m.group()), text)


# Categories Cc (but newline and tab), Cs and Co, and the noncharacters U+FFFE/U+FFFF, as one character class:
# a regex scan is linear and fast on a 10 MB field, where a per-character category lookup is not.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\ufffe\uffff"
                          "\U000f0000-\U000ffffd\U00100000-\U0010fffd]")


def picture(c: str) -> str:
    """The visible stand-in for a character no document may print: a control character's Unicode picture
    (U+2400…, ␡ for DEL), U+FFFD for C1 controls, surrogates, private use and noncharacters."""
    cat = unicodedata.category(c)
    if cat == "Cc":
        code = ord(c)
        return chr(0x2400 + code) if code < 0x20 else ("\u2421" if code == 0x7F else "\ufffd")
    if cat in ("Cs", "Co") or c in "\ufffe\uffff":
        return "\ufffd"
    return c
