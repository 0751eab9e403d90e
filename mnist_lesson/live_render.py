"""Drawing for the live plots: one figure updated in place, a time throttle, and where it shows.

- ``CurvesRenderer`` turns a ``TrainingHistory`` into one matplotlib figure (a chart per
  metric) whose lines are updated in place, never re-created.
- ``Throttle`` says when the next redraw may happen: at most every ``min_interval`` seconds,
  and never more than ``max_share`` of the time, however slow a redraw is.
- ``NotebookOutput`` shows the figure as a PNG in one notebook display that is updated in
  place (``display(..., display_id=True)`` then ``update``): JupyterLab, Notebook 7, VS Code
  and Colab all honour it, and the last image stays in the saved notebook.
  ``TerminalOutput`` writes the progress line to a terminal and the figure to a PNG file.

The figure is built without pyplot on the Agg canvas (``mnist_lesson.figures``), so no
window ever opens and Jupyter's inline backend never shows a second copy of it.
"""

from __future__ import annotations

import io
import math
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO

from mnist_lesson.live_history import VALIDATION_PREFIX, TrainingHistory


def is_unit_metric(name: str) -> bool:
    """Return whether a metric lives in 0–1 (accuracies), so its axis is fixed to 0–1."""
    return name.endswith("accuracy") or name.endswith("acc")


class CurvesRenderer:
    """Draw a ``TrainingHistory`` as one figure: per metric, training and validation curves.

    Args:
        metrics: the metric names, one chart each (e.g. ``("loss", "accuracy")``).
        figsize: the figure size in inches.
        dpi: pixels per inch of the PNG; lower is quicker to draw and send.
    """

    def __init__(
        self,
        metrics: Iterable[str] = ("loss", "accuracy"),
        figsize: tuple[float, float] = (10.0, 3.6),
        dpi: int = 80,
    ) -> None:
        from mnist_lesson.figures import new_figure

        self.metrics = tuple(metrics)
        self.figure = new_figure(figsize, dpi=dpi)
        axes = self.figure.subplots(1, len(self.metrics), squeeze=False)[0]
        self.axes = dict(zip(self.metrics, axes, strict=True))
        self.train_lines, self.validation_lines = {}, {}
        for metric, ax in self.axes.items():
            ax.set_title(metric)
            ax.set_xlabel("epoch")
            ax.grid(alpha=0.3)
            (self.train_lines[metric],) = ax.plot([], [], color="C0", label=metric)
            (self.validation_lines[metric],) = ax.plot(
                [], [], "o-", color="C1", label=VALIDATION_PREFIX + metric
            )
            if is_unit_metric(metric):
                ax.set_ylim(0.0, 1.0)
        self.figure.subplots_adjust(left=0.07, right=0.98, bottom=0.15, top=0.9, wspace=0.2)
        self.draws = 0

    def update(self, history: TrainingHistory) -> None:
        """Put the history's numbers into the existing lines and rescale the axes."""
        last_x = float(history.epochs or 1)
        for metric, ax in self.axes.items():
            train_x, train_y = history.batch_curve(metric)
            self.train_lines[metric].set_data(train_x, train_y)
            val_x, val_y = history.epoch_curve(VALIDATION_PREFIX + metric)
            self.validation_lines[metric].set_data(val_x, val_y)
            if val_x and ax.get_legend() is None:
                ax.legend(loc="best")
            last_x = max([last_x, *train_x[-1:], *val_x[-1:]])
            ax.set_xlim(0.0, last_x)
            # A diverging run reports inf or NaN: scale to the finite values, never crash fit.
            values = [value for value in train_y + val_y if math.isfinite(value)]
            if values and not is_unit_metric(metric):
                low, high = min(values), max(values)
                pad = 0.05 * (high - low) or 0.05 * abs(high) or 0.05
                ax.set_ylim(min(0.0, low - pad), high + pad)

    def png(self) -> bytes:
        """Draw the figure and return it encoded as PNG."""
        buffer = io.BytesIO()
        self.figure.canvas.print_png(buffer)
        self.draws += 1
        return buffer.getvalue()

    def save(self, path: str | Path) -> Path:
        """Write the figure to a PNG file (parent folders created) and return its path."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(self.png())
        return path


class Throttle:
    """Say when a costly action (a redraw) may run again.

    Args:
        min_interval: the least time in seconds between the starts of two actions.
        max_share: the most of the wall time the actions may take; a slow action waits
            ``cost / max_share`` before the next one.
        clock: the time source in seconds (tests pass a fake one).
    """

    def __init__(
        self,
        min_interval: float = 1.0,
        max_share: float = 0.02,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        if min_interval < 0 or not 0 < max_share <= 1:
            raise ValueError(
                f"min_interval must be >= 0 seconds and max_share in (0, 1]; got "
                f"min_interval={min_interval!r}, max_share={max_share!r}."
            )
        self.min_interval, self.max_share, self.clock = min_interval, max_share, clock
        self._next_start = -float("inf")
        self.starts: list[float] = []  # when each action started (for tests and curiosity)

    def ready(self) -> bool:
        """Return whether the action may run now."""
        return self.clock() >= self._next_start

    def hold(self) -> None:
        """Let the next action wait ``min_interval`` from now (e.g. while training warms up)."""
        self._next_start = self.clock() + self.min_interval

    def run(self, action: Callable[[], object]) -> None:
        """Run ``action`` now and work out when the next one may start."""
        start = self.clock()
        action()
        cost = self.clock() - start
        self.starts.append(start)
        self._next_start = start + max(self.min_interval, cost / self.max_share)


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

        text = {"text/plain": line}
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

    def finish(self, renderer: CurvesRenderer, line: str) -> None:
        """Show the final figure and line; save the figure to ``path`` when one was given."""
        png = renderer.png()
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

    def finish(self, renderer: CurvesRenderer, line: str) -> None:
        """Write the final figure to the PNG file, when there is one.

        The final line was already left by ``end_epoch``, so it is not written again.
        """
        if self.path is not None:
            renderer.save(self.path)
