"""Why validate/bilag.py has no control-character check of its own: no bilag file name holding a control or
invisible character reaches it. The model's FileName refuses every such character when an item is loaded (the
CLI side, one message per name: tests/test_office_bilag.py), so validation only sees names without them."""

from __future__ import annotations

import sys
import unicodedata

import pytest
from pydantic import ValidationError

from referat.model import Bilag

REFUSED = [chr(c) for c in range(sys.maxunicode + 1)
           if unicodedata.category(chr(c)) in ("Cc", "Cf", "Zl", "Zp") and not 0xD800 <= c <= 0xDFFF]


def test_every_control_and_format_character_is_refused_in_a_bilag_file_name() -> None:
    assert len(REFUSED) > 150  # Cc, Cf, Zl and Zp of the running Python's Unicode
    for c in REFUSED:
        with pytest.raises(ValidationError) as caught:
            Bilag.model_validate({"titel": "B", "fil": f"a{c}b.pdf"})
        assert f"filnavnet indeholder det usynlige tegn U+{ord(c):04X}" in str(caught.value), hex(ord(c))


def test_an_ordinary_name_is_kept() -> None:
    assert Bilag.model_validate({"titel": "B", "fil": "bilag/æøå 1.pdf"}).file == "bilag/æøå 1.pdf"
