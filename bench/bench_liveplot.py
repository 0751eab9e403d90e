"""How much does LivePlot slow ``fit`` down? Target: at most 5% (ratio <= 1.05).

Fits the lesson's CNN on the 8,461-digit sample the same way with and without ``LivePlot``,
alternating (without, with, without, with, ...) after a warm-up fit, and compares the fastest
of each. LivePlot runs as outside a notebook but still draws the figure and writes it as a
PNG at every redraw (what a notebook costs, less the message to the browser), and writes its
progress line. Run: ``python bench/bench_liveplot.py``.
"""

from __future__ import annotations

import argparse
import io
import tempfile
import time
from pathlib import Path

from common import sample_folder


def main() -> None:
    """Time the fits and print the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-folder", help="the MNIST sample (default: ../shared)")
    parser.add_argument("--epochs", type=int, default=5, help="epochs per timed fit")
    parser.add_argument("--repeats", type=int, default=3, help="timed fits of each kind")
    parser.add_argument("--min-interval", type=float, default=1.0, help="LivePlot's throttle")
    arguments = parser.parse_args()

    import keras

    from mnist_lesson.data import MnistData
    from mnist_lesson.live import LivePlot
    from mnist_lesson.model import build_model, compile_model

    data = MnistData(sample_folder(arguments.data_folder), seed=0).load()
    train, test = data.dataset("train", 64), data.dataset("test", 512)
    folder = Path(tempfile.mkdtemp())

    def fit(with_plot: bool, epochs: int) -> tuple[float, LivePlot | None]:
        keras.utils.set_random_seed(0)
        model = compile_model(build_model())
        callbacks = []
        if with_plot:
            live = LivePlot(
                min_interval=arguments.min_interval,
                save_path=folder / "curves.png",
                notebook=False,
                stream=io.StringIO(),
                batch_size=64,
            )
            live.output.path = folder / "curves.png"  # draw and save during training too
            callbacks = [live]
        started, cpu = time.perf_counter(), time.process_time()
        model.fit(train, validation_data=test, epochs=epochs, verbose=0, shuffle=False,
                  callbacks=callbacks)  # fmt: skip
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        return seconds, cpu, (callbacks or [None])[0]

    fit(True, 1)  # warm-up: library loading, first tracing, first figure
    times = {False: [], True: []}
    cpu_times = {False: [], True: []}
    draws = []
    for _ in range(arguments.repeats):
        for with_plot in (False, True):
            seconds, cpu, live = fit(with_plot, arguments.epochs)
            times[with_plot].append(seconds)
            cpu_times[with_plot].append(cpu)
            if live is not None:
                draws.append(live.renderer.draws)
    for with_plot, name in ((False, "without"), (True, "with   ")):
        walls = ", ".join(f"{t:.2f}" for t in times[with_plot])
        cpus = ", ".join(f"{t:.1f}" for t in cpu_times[with_plot])
        print(f"fit {name} LivePlot: {walls} s wall; {cpus} s CPU")
    print(f"redraws per fit: {draws} (min_interval {arguments.min_interval} s)")
    wall_ratio = min(times[True]) / min(times[False])
    cpu_ratio = min(cpu_times[True]) / min(cpu_times[False])
    print(f"ratio, fastest with / fastest without: {wall_ratio:.3f} wall, {cpu_ratio:.3f} CPU")
    print("target: <= 1.05")


if __name__ == "__main__":
    main()
