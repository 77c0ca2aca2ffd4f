"""Where each value of a user's YAML file stands: the positions the loader records and every message points at."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Location

PathKey = tuple[str | int, ...]


@dataclass
class SourceMap:
    """Where each key and value of one YAML file stands, addressed by its path in the data."""

    path: Path
    keys: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    values: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    literal: set[PathKey] = field(default_factory=set)
    built: int = 0  # nodes built so far (aliases count each time they are expanded)

    def at(self, key: PathKey = (), *, on_key: bool = False) -> Location:
        """The location of a value (or its key); falls back to the nearest enclosing node."""
        table = self.keys if on_key else self.values
        probe = tuple(key)
        while probe:
            if probe in table:
                line, col = table[probe]
                return Location(self.path, line, col)
            if probe in self.keys:
                line, col = self.keys[probe]
                return Location(self.path, line, col)
            if probe in self.values:  # a list item has no key: point at the item itself
                line, col = self.values[probe]
                return Location(self.path, line, col)
            probe = probe[:-1]
        return Location(self.path, 1, 1)

    def in_text(self, key: PathKey, offset: int, text: str) -> Location:
        """The location of character `offset` inside a text value (exact for `|` block scalars)."""
        base = self.at(key)
        # The text may come from an enclosing node (a point written as a plain string becomes its 'tekst').
        probe = tuple(key)
        while probe and probe not in self.values:
            probe = probe[:-1]
        if probe in self.literal and base.line is not None:
            return Location(self.path, base.line + 1 + text.count("\n", 0, offset), None)
        return base
