"""Watch a model learn: ``LivePlot`` draws loss and accuracy while ``fit`` runs.

    from mnist_lesson import LivePlot
    model.fit(train, validation_data=test, epochs=10, verbose=0, callbacks=[LivePlot()])

The Python twin of tfjs-vis's ``fitCallbacks``: training curves per batch, validation points
per epoch, x in epochs. The callback only forwards Keras's ``logs`` to the other
``mnist_lesson.live`` modules (see the package's docstring).
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

import keras

from mnist_lesson.live.controls import ControlButtons, FitControls, start_controls
from mnist_lesson.live.history import TrainingHistory
from mnist_lesson.live.output import NotebookOutput, TerminalOutput, Throttle, running_in_notebook
from mnist_lesson.live.render import CurvesRenderer


class LivePlot(keras.callbacks.Callback):
    """Plot training curves live, with a progress line: epoch k of n, percent, speed, figures.

    In a notebook the figure is one output updated in place, so the saved notebook keeps the
    final curves as a static image. Elsewhere nothing is drawn on screen: the progress line
    goes to ``stream`` and the figure to ``save_path`` (if given). Pass ``verbose=0`` to
    ``fit`` so Keras's own progress bar stays out of the way.

    Args:
        metrics: the names Keras reports, one chart each; their ``val_`` twins join them
            when ``fit`` has validation data. Accuracy-like charts span 0–1.
        min_interval: the least seconds between two redraws of the figure.
        save_path: where to write the figure as PNG (kept current outside a notebook,
            written once at the end inside one); ``None`` writes no file.
        batch_size: digits per batch, for the digits/s figure; ``None`` reports batches/s.
        notebook: force notebook (``True``) or terminal (``False``) output; ``None`` guesses.
        max_share: the share of the training time redraws should take at most (0–1); a
            slow redraw waits ``cost / max_share``, up to ``max_interval``.
        progress_interval: the least seconds between two updates of the progress line.
        stream: where the progress line goes outside a notebook; ``None`` for silence.
        figsize: the figure size in inches.
        max_interval: the most seconds between two redraws while batches come in, so the
            chart keeps up with the progress line even when a redraw is slow.
        controls: show Pause / Resume and Stop buttons that work while ``fit`` runs:
            ``None`` shows them in JupyterLab and Notebook 7 (not in an unattended run),
            ``True`` in any notebook kernel that can take clicks mid-cell (ipykernel 6, or
            7.4 and newer), ``False`` never. Stop ends ``fit`` after the batch in progress.
    """

    # Keras may then run batch-end hooks on a worker thread (JAX, PyTorch; not TensorFlow),
    # so training never waits for a redraw; a lock keeps those calls one at a time.
    # Batch-begin hooks, where clicks are taken in, always run on the main thread.
    async_safe = True

    def __init__(
        self,
        metrics: Iterable[str] = ("loss", "accuracy"),
        min_interval: float = 1.0,
        save_path: str | Path | None = None,
        batch_size: int | None = None,
        notebook: bool | None = None,
        max_share: float = 0.05,
        progress_interval: float = 0.25,
        stream: TextIO | None = sys.stdout,
        figsize: tuple[float, float] = (10.0, 3.6),
        max_interval: float = 1.25,
        controls: bool | None = None,
    ) -> None:
        super().__init__()
        self.history = TrainingHistory(metrics)
        self.renderer = CurvesRenderer(self.history.metrics, figsize=figsize)
        notebook = running_in_notebook() if notebook is None else notebook
        self.output = NotebookOutput(save_path) if notebook else TerminalOutput(save_path, stream)
        self.figure_throttle = Throttle(min_interval, max_share, max(min_interval, max_interval))
        self.line_throttle = Throttle(progress_interval, max_share, max(progress_interval, 1.0))
        self.batch_size = batch_size
        self._lock = threading.Lock()
        self._epoch_start = self._last_batch_end = time.perf_counter()
        self._in_fit = False
        self._validation_batches: int | None = None  # batches scored, while validating
        self._validated = False  # whether this fit has begun scoring its validation digits
        self._controls_setting = controls
        self.controls: FitControls | None = None  # made when fit begins, where they can work
        self.buttons: ControlButtons | None = None

    @property
    def figure(self):
        """The matplotlib figure the curves are drawn on."""
        return self.renderer.figure

    def on_train_begin(self, logs=None):
        """Note the planned epochs and batches; show the empty charts at once."""
        if self.history.latest:
            raise RuntimeError(
                "This LivePlot already drew a training run, and its figure lives in that cell. "
                "Create a new LivePlot() for each call of fit."
            )
        self.history.start(self.params.get("epochs"), self.params.get("steps"))
        self._in_fit = True
        if isinstance(self.output, NotebookOutput):
            self.controls, self.buttons = start_controls(
                self._controls_setting, self._controls_changed
            )
        # The empty axes show at once, so the learner sees where the curves will come.
        self._refresh(force=True)

    def on_epoch_begin(self, epoch, logs=None):
        """Note the new epoch and start its clock."""
        self.history.begin_epoch(epoch)
        self._epoch_start = self._last_batch_end = time.perf_counter()

    def on_train_batch_begin(self, batch, logs=None):
        """Take in Pause and Stop clicks (on the main thread: Keras calls it there)."""
        if self.controls is not None:
            self._obey_controls()

    def on_test_begin(self, logs=None):
        """Before the fit's first validation, bring the chart up to the progress line.

        Keras traces the validation step the first time it runs, which holds Python (and so
        the chart) still for a second or more; one draw here, once a fit, keeps up.
        """
        if not self._in_fit or self._validated:
            return
        with self._lock:
            self._validated = True
            self._refresh(force=True)

    def on_test_batch_begin(self, batch, logs=None):
        """Take in clicks while ``fit`` scores the validation digits, too."""
        if self.controls is not None and self._in_fit:
            self._obey_controls()

    def on_train_batch_end(self, batch, logs=None):
        """Record the batch's figures; redraw if the throttle allows."""
        with self._lock:
            self.history.add_batch(self.history.epoch, batch, logs or {})
            self._last_batch_end = time.perf_counter()
            self._refresh()

    def on_test_batch_end(self, batch, logs=None):
        """While ``fit`` scores the validation digits, keep the line and the chart moving."""
        if not self._in_fit:
            return
        with self._lock:
            self._validation_batches = batch + 1
            self._refresh()

    def on_epoch_end(self, epoch, logs=None):
        """Record the epoch's (and validation) figures; print its final line; maybe redraw."""
        with self._lock:
            self._validation_batches = None
            self.history.end_epoch(epoch, logs or {})
            self.output.end_epoch(self._line())
            if self.output.wants_figure and self.figure_throttle.ready():
                self.figure_throttle.run(self._draw)

    def on_train_end(self, logs=None):
        """Draw the final figure, whatever the throttle says, show it and save it."""
        with self._lock:
            self._in_fit = False
            if self.buttons is not None:
                self.controls.finish()
                self.buttons.finish()
            self.renderer.update(self.history)
            line = self._line()
            self.output.finish(self._png(line), line)

    def _line(self) -> str:
        seconds = max(self._last_batch_end - self._epoch_start, 1e-9)
        speed = self.history.batches_done / seconds
        if self.batch_size:
            line = self.history.progress_line(speed * self.batch_size, "digits/s")
        else:
            line = self.history.progress_line(speed, "batches/s")
        if self._validation_batches is not None:
            # Batches, not digits: validation batches need not be training-sized.
            count = self._validation_batches
            line += f" · validating: {count:,} test batch{'es' if count != 1 else ''} scored"
        if self.controls is not None and self.controls.stop_requested:
            line += " · stopping after this batch" if self._in_fit else " · stopped by you"
        elif self.controls is not None and self.controls.paused:
            line += " · paused: click Resume to go on"
        return line

    def _obey_controls(self) -> None:
        held = self.controls.between_batches()
        if held:
            with self._lock:  # a pause is not training time: the speed leaves it out
                self._epoch_start += held
        if self.controls.stop_requested:
            self.model.stop_training = True

    def _controls_changed(self) -> None:
        self.buttons.refresh()
        with self._lock:
            self.output.show(None, self._line())

    def _refresh(self, force: bool = False) -> None:
        if self.output.wants_figure and (force or self.figure_throttle.ready()):
            self.figure_throttle.run(self._draw)
        elif force or self.line_throttle.ready():
            self.line_throttle.run(lambda: self.output.show(None, self._line()))

    def _draw(self) -> None:
        self.renderer.update(self.history)
        line = self._line()
        self.output.show(self._png(line), line)

    def _png(self, line: str) -> bytes:
        # The PNG says which progress it shows, so a browser test can compare chart and line.
        text = {"Progress": line, "Epochs": f"{self.history.position:.4f}"}
        return self.renderer.png(text)
