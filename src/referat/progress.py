"""Progress on a terminal for work that can take seconds (issue 17, item 8): a bar on stderr, Danish labels.

`progress("Bilag {n}/{total}: {detail}", 25)` gives a `Progress`; each `step(detail)` says what is being done now
("Bilag 12/25: 03-notat.docx konverteres"), and leaving the `with` block clears the line. Numbers are written the
Danish way ("Takster: 4.000/30.000 rækker"). Only when stderr is a terminal is anything shown, and only then is
tqdm imported (it costs about 0.1 s to import); piped or redirected output, and every test that captures it, sees
not one byte. `REFERAT_PROGRESS=0` turns it off on a terminal too.

tqdm (not rich): it draws one self-clearing line at a bounded rate, adapts to the terminal's width, and imports
in a fraction of rich's time; nothing else of rich would be used.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any, Self


def enabled() -> bool:
    """Whether progress is shown: stderr is a terminal and the user did not turn it off."""
    if os.environ.get("REFERAT_PROGRESS", "") == "0" or os.environ.get("TERM") == "dumb":
        return False
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # replaced or closed stderr
        return False


def danish(n: int) -> str:
    """4000 → "4.000"."""
    return f"{n:,}".replace(",", ".")


class Progress:
    """One task's progress; does nothing at all when `bar` is None (not a terminal)."""

    def __init__(self, template: str, total: int, bar: Any = None) -> None:
        self.template, self.total, self.n, self._bar = template, total, 0, bar
        self._detail = ""
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()

    def appear_after(self, delay: float, make: Callable[[], Any]) -> None:
        """Show the line (made by `make`) once `delay` seconds have passed, unless the work is done by then."""
        self._timer = threading.Timer(delay, self._appear, (make,))
        self._timer.daemon = True
        self._timer.start()

    def _appear(self, make: Callable[[], Any]) -> None:
        """The line, shown only now (the work has taken longer than the delay), at the step reached."""
        with self._lock:
            if self._timer is None:  # already finished
                return
            self._bar = make()
            self._bar.update(self.n)
            self._bar.set_description_str(self.label(self._detail), refresh=True)

    def label(self, detail: str = "") -> str:
        return self.template.format(n=danish(self.n), total=danish(self.total), detail=detail).rstrip(": ")

    def step(self, detail: str = "", n: int = 1) -> None:
        """`n` more done (or starting: the count shown is of the item now being worked on); what is done now."""
        with self._lock:
            self.n = min(self.n + n, self.total) if self.total else self.n + n
            self._detail = detail
            if self._bar is not None:  # steps are coarse (a bilag, a document, a sheet): each is shown at once
                self._bar.update(n)
                self._bar.set_description_str(self.label(detail), refresh=True)

    def grow(self, k: int) -> None:
        """`k` more steps to do than was known (a workbook's rows, learnt when it is opened)."""
        self.total += k
        if self._bar is not None:
            self._bar.total = self.total
            self._bar.bar_format = "{desc} {bar:20} {elapsed}"

    def at(self, n: int, detail: str = "") -> None:
        """The count is now `n`."""
        self.step(detail, n - self.n)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            if self._bar is not None:
                self._bar.close()


def progress(template: str, total: int, delay: float = 0.0) -> Progress:
    """A progress bar for `total` steps labelled by `template` (with `{n}`, `{total}` and `{detail}`); with
    `delay`, shown only once the work has taken that many seconds (also in the middle of one long step)."""
    if not enabled():
        return Progress(template, total)

    def make() -> Any:
        from tqdm import tqdm

        try:  # a terminal that reports no width (a fresh pseudo-terminal) gets 80 columns, not an empty line
            width = os.get_terminal_size(sys.stderr.fileno()).columns
        except (OSError, ValueError):
            width = 0
        return tqdm(total=total or None, file=sys.stderr, leave=False, mininterval=0.5,
                    **({"dynamic_ncols": True} if width else {"ncols": 80}),
                    bar_format="{desc} {bar:20} {elapsed}" if total else "{desc} {elapsed}")

    if delay > 0:
        shown = Progress(template, total)
        shown.appear_after(delay, make)
        return shown
    bar = make()
    shown = Progress(template, total, bar)
    bar.set_description_str(shown.label(), refresh=True)
    return shown
