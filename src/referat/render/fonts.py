"""The bundled fonts: the PDF is set with these only, so it is identical on every machine."""

from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
