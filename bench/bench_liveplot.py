"""How much does LivePlot slow ``fit`` down, and how often does it redraw? Target: ratio <= 1.05.

Fits the lesson's CNN on the 8,461-digit sample the same way with and without ``LivePlot``,
alternating (without, with, without, with, ...) after a warm-up fit, and compares the fastest
of each, and gives the median of the paired ratios (each fit with LivePlot against the fit
just before it without, which cancels slow drifts in the machine's load). It also adds up
the time spent inside LivePlot's hooks: that share of the fit is LivePlot's own cost, free
of the noise other programs add to the wall time.

LivePlot runs in notebook mode: it draws the PNG and hands it, with the progress line, to
IPython's ``display`` machinery, which turns it into the message a kernel would send (the
PNG base64-encoded in a display bundle). A stand-in for the kernel's publisher takes the
bundles and counts them instead of sending them to a browser. The redraw cadence is read
from LivePlot's throttle: the seconds between the starts of two redraws, and each one's cost.
Run: ``python bench/bench_liveplot.py``.
"""

from __future__ import annotations

import argparse
import statistics
import time

from common import sample_folder


class DisplaySink:
    """Stands in for a kernel's display publisher: keeps counts, sends nothing."""

    def __init__(self) -> None:
        self.messages = 0
        self.images = 0
        self.image_bytes = 0

    def publish(self, data, metadata=None, *, transient=None, update=False, **kwargs) -> None:
        """Count one display message (and the base64 PNG it carries, if any)."""
        self.messages += 1
        if "image/png" in data:
            self.images += 1
            self.image_bytes += len(data["image/png"])


def install_display_sink() -> DisplaySink:
    """Make IPython's ``display`` format bundles as in a kernel and give them to a sink."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    sink = DisplaySink()
    shell.display_pub.publish = sink.publish
    return sink


def main() -> None:
    """Time the fits and print the ratio and the cadence."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-folder", help="the MNIST sample (default: ../shared)")
    parser.add_argument("--epochs", type=int, default=5, help="epochs per timed fit")
    parser.add_argument("--repeats", type=int, default=3, help="timed fits of each kind")
    parser.add_argument(
        "--empty-hook", action="store_true", help="also time a callback that does nothing"
    )
    arguments = parser.parse_args()

    import keras
    import numpy as np

    from mnist_lesson.data.mnist import MnistData
    from mnist_lesson.live.callback import LivePlot
    from mnist_lesson.model import build_model, compile_model

    sink = install_display_sink()

    class TimedLivePlot(LivePlot):
        """LivePlot that adds up the seconds spent in its hooks, wall and CPU."""

        inside = inside_cpu = 0.0

        def _timed(name):
            def hook(self, *args, **kwargs):
                started, cpu = time.perf_counter(), time.thread_time()
                getattr(LivePlot, name)(self, *args, **kwargs)
                self.inside += time.perf_counter() - started
                # The CPU this thread used: the hook's own work, not its waits for the GIL.
                self.inside_cpu += time.thread_time() - cpu

            return hook

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.draws, self.starts, self.costs = 0, [], []  # each redraw's start and cost

        def _draw(self):
            started = time.perf_counter()
            super()._draw()
            self.draws += 1
            self.starts.append(started)
            self.costs.append(time.perf_counter() - started)

        on_train_begin = _timed("on_train_begin")
        on_epoch_begin = _timed("on_epoch_begin")
        on_train_batch_end = _timed("on_train_batch_end")
        on_epoch_end = _timed("on_epoch_end")
        on_train_end = _timed("on_train_end")

    class EmptyBatchHook(keras.callbacks.Callback):
        """Does nothing per batch: what any per-batch callback costs in Keras itself."""

        def on_train_batch_end(self, batch, logs=None):
            """Do nothing."""

    data = MnistData(sample_folder(arguments.data_folder), seed=0).load()
    train, test = data.dataset("train", 64), data.dataset("test", 512)

    def fit(with_plot: bool | None, epochs: int):
        keras.utils.set_random_seed(0)
        model = compile_model(build_model())
        callbacks = [EmptyBatchHook()] if with_plot is None else []
        if with_plot:
            callbacks = [TimedLivePlot(notebook=True, batch_size=64)]
        started, cpu = time.perf_counter(), time.process_time()
        model.fit(train, validation_data=test, epochs=epochs, verbose=0, shuffle=False,
                  callbacks=callbacks)  # fmt: skip
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        return seconds, cpu, (callbacks or [None])[0]

    fit(True, 1)  # warm-up: library loading, first tracing, first figure
    times = {False: [], True: [], None: []}
    cpu_times = {False: [], True: [], None: []}
    draws, shares, cpu_shares, gaps, costs = [], [], [], [], []
    images_before, bytes_before = sink.images, sink.image_bytes
    for _ in range(arguments.repeats):
        for with_plot in (False, True, None) if arguments.empty_hook else (False, True):
            seconds, cpu, live = fit(with_plot, arguments.epochs)
            times[with_plot].append(seconds)
            cpu_times[with_plot].append(cpu)
            if with_plot:
                draws.append(live.draws + 1)  # and the final figure, drawn at the end
                shares.append(live.inside / seconds)
                cpu_shares.append(live.inside_cpu / cpu)
                gaps.extend(np.diff(live.starts))
                costs.extend(live.costs)
    names = ((False, "without"), (True, "with   "), (None, "with an empty batch hook,"))
    for with_plot, name in names[: 3 if arguments.empty_hook else 2]:
        walls = ", ".join(f"{t:.2f}" for t in times[with_plot])
        cpus = ", ".join(f"{t:.1f}" for t in cpu_times[with_plot])
        print(f"fit {name} LivePlot: {walls} s wall; {cpus} s CPU")
    images = sink.images - images_before
    size = (sink.image_bytes - bytes_before) / max(images, 1) / 1024
    print(f"redraws per fit: {draws}; PNGs displayed: {images}, {size:.0f} KiB each as base64")
    print(
        f"seconds between redraws: median {np.median(gaps):.2f}, max {np.max(gaps):.2f}; "
        f"a redraw (update, draw, PNG, display): median {1000 * np.median(costs):.0f} ms, "
        f"max {1000 * np.max(costs):.0f} ms (the first of each fit draws the axes too)"
    )
    wall_ratio = min(times[True]) / min(times[False])
    cpu_ratio = min(cpu_times[True]) / min(cpu_times[False])
    paired = statistics.median(w / wo for w, wo in zip(times[True], times[False], strict=True))
    print(f"ratio, fastest with / fastest without: {wall_ratio:.3f} wall, {cpu_ratio:.3f} CPU")
    print(f"ratio, median of paired fits: {paired:.3f} wall")
    print(f"time inside LivePlot's hooks: {', '.join(f'{s:.1%}' for s in shares)} of each fit")
    cpu_text = ", ".join(f"{s:.1%}" for s in cpu_shares)
    print(f"CPU used by LivePlot's hooks: {cpu_text} of each fit's CPU time (its own cost)")
    if arguments.empty_hook:
        print(f"ratio, empty batch hook / without: {min(times[None]) / min(times[False]):.3f}")
    print("target: <= 1.05")


if __name__ == "__main__":
    main()
