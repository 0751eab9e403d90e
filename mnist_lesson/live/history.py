"""The numbers behind the live plots: training points per batch, validation points per epoch.

``TrainingHistory`` is plain Python: ``LivePlot`` feeds it Keras's ``logs`` and the renderer
reads it, so both can be tested (and reused) without training a model. It keeps what Keras
reports (per batch, the running mean since the epoch began) and works out, when read, each
batch's own value and a smoothing of those that does not reset at epoch boundaries::

    history = TrainingHistory(("loss", "accuracy"))
    history.start(epochs=2, steps_per_epoch=100)
    history.add_batch(0, 0, {"loss": 2.3, "accuracy": 0.1})   # x = 0.01 epochs
    history.end_epoch(0, {"loss": 0.4, "accuracy": 0.9, "val_loss": 0.3, "val_accuracy": 0.92})
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import numpy as np

VALIDATION_PREFIX = "val_"


def smooth(values: np.ndarray, span: int) -> np.ndarray:
    """Return the exponential moving average of ``values`` over about ``span`` recent ones.

    The newest value weighs ``2 / (span + 1)``; the start is corrected, as Adam corrects its
    moments, so the average begins at the first value rather than at 0. A non-finite value
    (a diverging loss) adds nothing: the average holds its last finite level.
    """
    weight = 2.0 / (span + 1)
    average = total = 0.0  # the weighted sum so far, and the weight it carries
    out = []
    for value in np.asarray(values, dtype=float).tolist():  # a plain loop is quick enough here
        if math.isfinite(value):
            average = (1 - weight) * average + weight * value
            total = (1 - weight) * total + weight
        out.append(average / total if total else math.nan)
    return np.array(out)


class TrainingHistory:
    """What a training run has reported so far, as numbers (no Keras, no drawing).

    Args:
        metrics: the names to keep, as Keras spells them in ``logs`` (``"loss"``,
            ``"accuracy"``, ...); their ``val_`` twins are kept too.
    """

    def __init__(self, metrics: Iterable[str] = ("loss", "accuracy")) -> None:
        self.metrics = tuple(metrics)
        if not self.metrics or any(not isinstance(name, str) or not name for name in self.metrics):
            raise ValueError(f"metrics must be one or more metric names; got {metrics!r}.")
        self.epochs: int | None = None  # epochs planned, when known
        self.steps_per_epoch: int | None = None  # batches per epoch, when known
        self.epoch = 0  # the epoch in progress, counted from 0
        self.batches_done = 0  # batches finished in the epoch in progress
        self.latest: dict[str, float] = {}  # the newest value of every kept name
        # Per batch: (epoch, batches finished in it, value); x is worked out when read, so
        # an unknown epoch length can be learnt from the first epoch.
        self._batch_points: dict[str, list[tuple[int, int, float]]] = {m: [] for m in self.metrics}
        # Per epoch: (epochs done, fractional if cut short, value), each metric and val_ twin.
        names = [*self.metrics, *(VALIDATION_PREFIX + m for m in self.metrics)]
        self._epoch_points: dict[str, list[tuple[float, float]]] = {n: [] for n in names}
        self._longest_epoch = 0
        self.epochs_done = 0  # epochs finished

    def start(self, epochs: int | None = None, steps_per_epoch: int | None = None) -> None:
        """Note how many epochs and batches per epoch the run plans (either may be unknown)."""
        self.epochs = epochs
        self.steps_per_epoch = steps_per_epoch

    def begin_epoch(self, epoch: int) -> None:
        """Note that epoch ``epoch`` (counted from 0) has started."""
        self.epoch = epoch
        self.batches_done = 0

    def add_batch(self, epoch: int, batch: int, logs: Mapping[str, float]) -> None:
        """Record the training figures Keras reported after batch ``batch`` of ``epoch``."""
        if epoch != self.epoch:
            self.epoch, self.batches_done = epoch, 0
        # Keras may report batches from worker threads, so a late one must not count back.
        self.batches_done = max(self.batches_done, batch + 1)
        self._longest_epoch = max(self._longest_epoch, batch + 1)
        missing = [m for m in self.metrics if m not in logs]
        if missing and not any(self._batch_points.values()):
            raise ValueError(
                f"The model reports {sorted(logs)} after each batch, not {missing}. Pass the "
                f"names it reports, e.g. metrics=('loss', 'accuracy'), and compile the model "
                f"with metrics=['accuracy'] to get accuracy."
            )
        for metric in self.metrics:
            if metric in logs:
                value = float(logs[metric])
                self._batch_points[metric].append((epoch, batch + 1, value))
                self.latest[metric] = value

    def end_epoch(self, epoch: int, logs: Mapping[str, float]) -> None:
        """Record the figures of a finished epoch, validation ones included when present.

        An epoch cut short (``fit`` stopped mid-epoch) has its points where it stopped.
        """
        self._longest_epoch = max(self._longest_epoch, self.batches_done)
        self.epochs_done += 1
        x = epoch + 1.0
        if self.steps_per_epoch and epoch == self.epoch:
            x = epoch + min(1.0, self.batches_done / self.steps_per_epoch)
        for name, points in self._epoch_points.items():
            if name in logs:
                points.append((x, float(logs[name])))
                self.latest[name] = float(logs[name])

    def _epoch_length(self) -> int:
        return self.steps_per_epoch or max(self._longest_epoch, 1)

    def batch_curve(self, metric: str) -> tuple[np.ndarray, np.ndarray]:
        """Return ``(x, y)``: each batch's own value, x in epochs, fractional.

        Keras reports after each batch the *running mean* since the epoch began (weighted by
        batch size). A batch's own value is worked back when read, ``k * mean_k - (k - 1) *
        mean_(k-1)``, so batches reported out of order (from worker threads) still pair up.
        A missing batch makes the next point the mean of those in between; a smaller last
        batch (Keras does not say its size) lands between its own value and the mean before it.
        """
        points = np.array(sorted(self._batch_points[metric]), dtype=float).reshape(-1, 3)
        epoch, count, mean = points.T
        first = np.r_[True, epoch[1:] != epoch[:-1]]  # the first batch reported in its epoch
        total = count * mean
        previous_count = np.where(first, 0.0, np.r_[0.0, count[:-1]])
        previous_total = np.where(first, 0.0, np.r_[0.0, total[:-1]])
        with np.errstate(invalid="ignore"):  # inf - inf when the loss diverged
            own = (total - previous_total) / (count - previous_count)
        return epoch + count / self._epoch_length(), own

    @property
    def smoothing_span(self) -> int:
        """How many recent batches the smoothed curve averages: a tenth of an epoch, ≥ 10."""
        return max(10, self._epoch_length() // 10)

    def smooth_curve(self, metric: str) -> tuple[np.ndarray, np.ndarray]:
        """Return ``(x, y)``: the batches' own values smoothed over ``smoothing_span`` batches.

        See ``smooth``: the average carries on across epochs, it never resets.
        """
        x, own = self.batch_curve(metric)
        return x, smooth(own, self.smoothing_span)

    def epoch_curve(self, name: str) -> tuple[list[float], list[float]]:
        """Return ``(x, y)`` of one value per finished epoch (e.g. ``"val_loss"``)."""
        points = self._epoch_points[name]
        return [float(e) for e, _ in points], [v for _, v in points]

    @property
    def has_validation(self) -> bool:
        """Whether any validation figure has been recorded."""
        return any(self._epoch_points[VALIDATION_PREFIX + m] for m in self.metrics)

    @property
    def position(self) -> float:
        """How far training has got, in epochs (2.5: half-way through the third epoch)."""
        return self.epoch + self.batches_done / self._epoch_length()

    @property
    def epoch_fraction(self) -> float:
        """How much of the epoch in progress is done, 0–1 (0 when its length is unknown)."""
        if self.steps_per_epoch:
            return min(1.0, self.batches_done / self.steps_per_epoch)
        return 0.0

    def progress_line(
        self, speed: float | None = None, unit: str = "digits/s", bar_width: int = 20
    ) -> str:
        """Return one line: epoch k of n, a bar and percent of the epoch, speed, latest figures.

        Args:
            speed: how fast training goes, in ``unit``; ``None`` leaves it out.
            unit: what ``speed`` counts, e.g. ``"digits/s"`` or ``"batches/s"``.
            bar_width: characters in the progress bar; 0 for no bar.
        """
        of = f" of {self.epochs}" if self.epochs else ""
        parts = [f"epoch {self.epoch + 1}{of}"]
        if self.steps_per_epoch:
            done = round(bar_width * self.epoch_fraction)
            bar = f"[{'#' * done}{'.' * (bar_width - done)}] " if bar_width else ""
            parts[0] += f" {bar}{100 * self.epoch_fraction:3.0f}%"
        else:
            parts[0] += f", batch {self.batches_done}"
        if speed is not None:
            parts.append(f"{speed:,.0f} {unit}")
        names = [*self.metrics, *(VALIDATION_PREFIX + m for m in self.metrics)]
        parts += [f"{name} {self.latest[name]:.4f}" for name in names if name in self.latest]
        return " · ".join(parts)
