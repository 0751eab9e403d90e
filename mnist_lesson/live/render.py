"""Drawing for the live plots: one figure updated in place, made into a PNG quickly.

``CurvesRenderer`` turns a ``TrainingHistory`` into one matplotlib figure (a chart per
metric) whose lines are updated in place, never re-created; when and where the PNG shows is
``mnist_lesson.live.output``'s job.

The figure is built without pyplot on the Agg canvas (``mnist_lesson.pictures``), so no
window ever opens and Jupyter's inline backend never shows a second copy of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np

from mnist_lesson.live.history import VALIDATION_PREFIX, TrainingHistory, smooth


def is_unit_metric(name: str) -> bool:
    """Return whether a metric lives in 0–1 (accuracies), so its axis is fixed to 0–1."""
    return name.endswith("accuracy") or name.endswith("acc")


def column_envelope(x: np.ndarray, y: np.ndarray, columns: int) -> tuple[np.ndarray, np.ndarray]:
    """Return a line with the same look as ``(x, y)`` but at most two points per pixel column.

    With more points than pixels, a line is drawn as a vertical stroke from the lowest to the
    highest value in each column; keeping just those two per column (lowest first, then
    highest) draws nearly the same pixels, much quicker (docs/training.md). Non-finite values
    are left out.

    Args:
        x: increasing positions, e.g. epochs.
        y: the values.
        columns: how many pixel columns the x range spans.
    """
    keep = np.isfinite(y)
    x, y = np.asarray(x, dtype=float)[keep], np.asarray(y, dtype=float)[keep]
    if len(x) <= 2 * columns:
        return x, y
    span = (x[-1] - x[0]) or 1.0
    column = np.minimum(((x - x[0]) / span * columns).astype(int), columns - 1)
    starts = np.r_[0, np.flatnonzero(np.diff(column)) + 1]
    low, high = np.minimum.reduceat(y, starts), np.maximum.reduceat(y, starts)
    return np.repeat(x[starts], 2), np.column_stack([low, high]).ravel()


class CurvesRenderer:
    """Draw a ``TrainingHistory`` as one figure: per metric, training and validation curves.

    Each chart has three lines: every batch's own value (faint), the same smoothed over
    recent batches (bold), and validation once per epoch (dots). Redraws are cheap: the
    axes, ticks and labels are drawn once and kept as a bitmap, and only the lines are drawn
    over a copy of it, until the axes' limits or legend change.

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
        from mnist_lesson.pictures import new_figure

        self.metrics = tuple(metrics)
        self.figure = new_figure(figsize, dpi=dpi)
        axes = self.figure.subplots(1, len(self.metrics), squeeze=False)[0]
        self.axes = dict(zip(self.metrics, axes, strict=True))
        self.train_lines, self.smooth_lines, self.validation_lines = {}, {}, {}
        for metric, ax in self.axes.items():
            ax.set_title(metric)
            ax.set_xlabel("epoch")
            ax.grid(alpha=0.3)
            (self.train_lines[metric],) = ax.plot(
                [], [], color="C0", alpha=0.35, linewidth=0.8, label="each batch"
            )
            (self.smooth_lines[metric],) = ax.plot(
                [], [], color="C0", linewidth=2.0, label="smoothed"
            )
            (self.validation_lines[metric],) = ax.plot(
                [], [], "o-", color="C1", label="validation"
            )
            if is_unit_metric(metric):
                ax.set_ylim(0.0, 1.0)
        self.figure.subplots_adjust(left=0.07, right=0.98, bottom=0.15, top=0.9, wspace=0.2)
        self._background = None
        self._background_key = None

    def update(self, history: TrainingHistory) -> None:
        """Put the history's numbers into the existing lines and rescale the axes."""
        last_x = float(history.epochs or 1)
        for metric, ax in self.axes.items():
            train_x, train_y = history.batch_curve(metric)
            columns = max(1, round(ax.bbox.width))  # the chart's width in pixels
            self.train_lines[metric].set_data(*column_envelope(train_x, train_y, columns))
            smooth_y = smooth(train_y, history.smoothing_span)
            self.smooth_lines[metric].set_data(*column_envelope(train_x, smooth_y, columns))
            val_x, val_y = history.epoch_curve(VALIDATION_PREFIX + metric)
            self.validation_lines[metric].set_data(val_x, val_y)
            # The legend is there from the start (changing it costs a full redraw); its
            # validation entry goes if the first epoch ends without validation figures.
            shown = [self.train_lines[metric], self.smooth_lines[metric]]
            shown += [self.validation_lines[metric]] if val_x or not history.epochs_done else []
            legend = ax.get_legend()
            if len(shown) != (0 if legend is None else len(legend.texts)):
                loc = "lower right" if is_unit_metric(metric) else "upper right"
                ax.legend(handles=shown, loc=loc, fontsize="small")
            last_x = max([last_x, *train_x[-1:], *val_x[-1:]])
            ax.set_xlim(0.0, last_x)
            # A diverging run reports inf or NaN: scale to the finite values, never crash fit.
            values = np.concatenate([train_y, val_y])
            values = values[np.isfinite(values)]
            if values.size and not is_unit_metric(metric):
                # From 0 (or the lowest value, if below), so the limits change, and the
                # axes must be drawn again, only when a value passes the highest so far.
                low, high = min(0.0, float(values.min())), float(values.max())
                pad = 0.05 * (high - low) or 0.05
                ax.set_ylim(low - pad if low < 0 else 0.0, high + pad)

    def png(self, text: Mapping[str, str] | None = None) -> bytes:
        """Draw the figure and return it encoded as PNG, with ``text`` as tEXt chunks."""
        from mnist_lesson.pictures import png

        canvas = self.figure.canvas
        key = self._layout()
        if key != self._background_key:
            self._draw_background()
            self._background_key = key
        canvas.restore_region(self._background)
        for metric, ax in self.axes.items():
            for lines in (self.train_lines, self.smooth_lines, self.validation_lines):
                ax.draw_artist(lines[metric])
        return png(np.asarray(canvas.buffer_rgba()), text=text)

    def _layout(self) -> tuple:
        """What the kept bitmap depends on: the size, each chart's limits and legend."""
        charts = tuple(
            (ax.get_xlim(), ax.get_ylim(), ax.get_legend() and len(ax.get_legend().texts))
            for ax in self.axes.values()
        )
        return self.figure.canvas.get_width_height(), charts

    def _draw_background(self) -> None:
        """Draw the figure without its lines and keep the bitmap."""
        lines = [*self.train_lines.values(), *self.smooth_lines.values()]
        lines += self.validation_lines.values()
        for line in lines:
            line.set_visible(False)
        try:
            self.figure.canvas.draw()
        finally:
            for line in lines:
                line.set_visible(True)
        self._background = self.figure.canvas.copy_from_bbox(self.figure.bbox)

    def save(self, path: str | Path) -> Path:
        """Write the figure to a PNG file (parent folders created) and return its path."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(self.png())
        return path
