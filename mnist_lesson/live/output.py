"""When and where the live plots show: a time throttle, a notebook output and a terminal one.

- ``Throttle`` says when the next redraw may happen: at most every ``min_interval`` seconds,
  at most ``max_share`` of the time while redraws are slow, at least every ``max_interval``.
- ``NotebookOutput`` shows the figure as a PNG in one notebook display updated in place
  (``display(..., display_id=True)`` then ``update``), so the last image stays in the saved
  notebook; the progress line goes as HTML too (``line_html``).
- ``TerminalOutput`` writes the progress line to a terminal and the figure to a PNG file.
"""

from __future__ import annotations

import html
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO


def running_in_notebook() -> bool:
    """Return whether this code runs in a Jupyter kernel (Lab, Notebook, VS Code, Colab)."""
    if "IPython" not in sys.modules:
        return False
    from IPython import get_ipython

    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


class Throttle:
    """Say when a costly action (a redraw) may run again.

    After an action that took ``cost`` seconds the next may start ``cost / max_share``
    later, but never sooner than ``min_interval`` nor later than ``max_interval``: a cheap
    action runs every ``min_interval``, a slow one keeps to ``max_share`` of the time while
    it can, and however slow it is, it still runs every ``max_interval``.

    Args:
        min_interval: the least time in seconds between the starts of two actions.
        max_share: the share of the wall time the actions should take at most.
        max_interval: the most time in seconds between the starts of two actions (asked
            for by ``ready``; it runs at the first chance after that).
        clock: the time source in seconds (tests pass a fake one).
    """

    def __init__(
        self,
        min_interval: float = 1.0,
        max_share: float = 0.05,
        max_interval: float = 1.25,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        if not 0 <= min_interval <= max_interval or not 0 < max_share <= 1:
            raise ValueError(
                f"Need 0 <= min_interval <= max_interval seconds and max_share in (0, 1]; got "
                f"min_interval={min_interval!r}, max_interval={max_interval!r}, "
                f"max_share={max_share!r}."
            )
        self.min_interval, self.max_share, self.clock = min_interval, max_share, clock
        self.max_interval = max_interval
        self._next_start = -float("inf")

    def ready(self) -> bool:
        """Return whether the action may run now."""
        return self.clock() >= self._next_start

    def run(self, action: Callable[[], object]) -> None:
        """Run ``action`` now and work out when the next one may start."""
        start = self.clock()
        action()
        cost = self.clock() - start
        wait = min(max(self.min_interval, cost / self.max_share), self.max_interval)
        self._next_start = start + wait


def line_html(line: str) -> str:
    """The progress line as HTML that wraps only between its `` · ``-separated parts.

    Plain text may break mid-number on a narrow page. Each part is kept whole
    (``white-space: pre``, kept in saved, untrusted outputs too), in monospace so the bar
    does not jitter as it fills.
    """
    parts = (
        f'<span style="white-space: pre">{html.escape(part)}</span>' for part in line.split(" · ")
    )
    return f'<div style="font-family: monospace">{" · ".join(parts)}</div>'


class NotebookOutput:
    """Show the figure and the progress line in two notebook displays updated in place.

    Args:
        path: where to save the final figure as PNG too; ``None`` saves nothing.
    """

    wants_figure = True

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = None if path is None else Path(path)
        self._image = None
        self._line = None

    def show(self, png: bytes | None, line: str) -> None:
        """Show a new figure (if ``png``) and progress line, replacing the previous ones."""
        from IPython.display import Image, display

        text = {"text/plain": line, "text/html": line_html(line)}
        if self._line is None:
            self._line = display(text, raw=True, display_id=True)
        else:
            self._line.update(text, raw=True)
        if png is not None and self._image is None:
            self._image = display(Image(data=png, format="png"), display_id=True)
        elif png is not None:
            self._image.update(Image(data=png, format="png"))

    def end_epoch(self, line: str) -> None:
        """Show the epoch's final progress line."""
        self.show(None, line)

    def finish(self, png: bytes, line: str) -> None:
        """Show the final figure and line; save the figure to ``path`` when one was given."""
        self.show(png, line)
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_bytes(png)


class TerminalOutput:
    """Write the progress line to a terminal (rewritten in place on a TTY) and PNGs to a file.

    Args:
        path: where to keep the figure as PNG; ``None`` draws no figure at all.
        stream: where the progress line goes; ``None`` for silence.
    """

    def __init__(self, path: str | Path | None = None, stream: TextIO | None = sys.stdout) -> None:
        self.path = None if path is None else Path(path)
        self.stream = stream
        self._tty = bool(stream is not None and getattr(stream, "isatty", lambda: False)())
        self._width = 0

    @property
    def wants_figure(self) -> bool:
        """Whether drawing the figure is worth its time (only when it is saved)."""
        return self.path is not None

    def show(self, png: bytes | None, line: str) -> None:
        """Rewrite the progress line (TTY only) and write the figure to the PNG file."""
        if png is not None and self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_bytes(png)
        if self._tty:
            self.stream.write("\r" + line.ljust(self._width))
            self.stream.flush()
            self._width = len(line)

    def end_epoch(self, line: str) -> None:
        """Leave the epoch's final progress line in the terminal or log."""
        if self.stream is not None:
            self.stream.write(("\r" if self._tty else "") + line.ljust(self._width) + "\n")
            self.stream.flush()
            self._width = 0

    def finish(self, png: bytes, line: str) -> None:
        """Write the final figure to the PNG file, when there is one.

        The final line was already left by ``end_epoch``, so it is not written again.
        """
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_bytes(png)
