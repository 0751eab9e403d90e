"""What do LivePlot's Pause and Stop buttons cost, and how soon does a click act? Targets:
polling ≤ 2% of fit time (ratio ≤ 1.02); a click takes effect within 0.5 s.

Starts a kernel as JupyterLab does (``JPY_SESSION_NAME`` set), and in it fits the lesson's
CNN on the sample's 8,461 training digits, alternating LivePlot without the buttons
(``controls=False``, the reference) and with them (``controls=True``), after a warm-up fit.
Prints the fastest of each and their ratio, the median of the paired ratios, and the time
spent inside the controls' per-batch hook (its own cost, free of the machine's noise).
Then, in one more fit, it sends the kernel the message a browser sends when a button is
clicked, Pause and Resume by turns, and times each click from sending to the moment the
kernel changed state (the same machine's clock on both sides).
Run: ``python bench/bench_fit_controls.py [--epochs 1] [--repeats 3] [--clicks 6]``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from common import sample_folder

from tests.lab_kernel import LabKernel

SETUP = """\
import json, time
import keras
from mnist_lesson.data.mnist import MnistData
from mnist_lesson.live.callback import LivePlot
from mnist_lesson.live.controls import FitControls
from mnist_lesson.model import build_model, compile_model

data = MnistData({folder!r}, seed=0).load()
train, test = data.dataset("train", 64), data.dataset("test", 512)
inside, changes = [0.0], []
between_batches = FitControls.between_batches
def timed(self):
    started = time.perf_counter()
    held = between_batches(self)
    inside[0] += time.perf_counter() - started - held  # a pause is not the hook's cost
    return held
FitControls.between_batches = timed
polls = [0]
poll_once = FitControls._poll
def counted(self, now):
    polls[0] += 1
    poll_once(self, now)
FitControls._poll = counted
changed = LivePlot._controls_changed
def noted(self):
    changes.append(time.time())
    changed(self)
LivePlot._controls_changed = noted

def fit(controls, epochs):
    keras.utils.set_random_seed(0)
    model = compile_model(build_model())
    live = LivePlot(batch_size=64, controls=controls)
    inside[0], polls[0] = 0.0, 0
    changes.clear()
    started = time.perf_counter()
    model.fit(train, validation_data=test, epochs=epochs, verbose=0, callbacks=[live])
    seconds = time.perf_counter() - started
    print("FIT " + json.dumps([seconds, inside[0], polls[0], live.history.epochs_done]))
"""


def main() -> None:
    """Time the fits and the clicks; print the ratios and the latencies."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-folder", help="the MNIST sample (default: ../shared)")
    parser.add_argument("--epochs", type=int, default=1, help="epochs per timed fit")
    parser.add_argument("--repeats", type=int, default=3, help="timed fits of each kind")
    parser.add_argument("--clicks", type=int, default=6, help="clicks to time (even: P, R, …)")
    arguments = parser.parse_args()
    arguments.clicks += arguments.clicks % 2  # end resumed, so the fit can finish

    kernel = LabKernel("bench.ipynb")
    try:
        kernel.run(SETUP.format(folder=str(sample_folder(arguments.data_folder))))
        kernel.run("fit(True, 1)")  # warm-up: tracing, the first figure, the first buttons
        results = {False: [], True: []}
        for _ in range(arguments.repeats):
            for controls in (False, True):
                out = kernel.run(f"fit({controls}, {arguments.epochs})", timeout=600)
                results[controls].append(json.loads(out.split("FIT ", 1)[1]))
        latencies = time_clicks(kernel, arguments.clicks)
    finally:
        kernel.close()

    without = [r[0] for r in results[False]]
    with_controls = [r[0] for r in results[True]]
    print(f"fit without the buttons: {', '.join(f'{t:.2f}' for t in without)} s")
    print(f"fit with the buttons:    {', '.join(f'{t:.2f}' for t in with_controls)} s")
    polls = [r[2] for r in results[True]]
    shares = [r[1] / r[0] for r in results[True]]
    print(f"polls per fit: {polls}; time in the controls' hook: "
          f"{', '.join(f'{s:.3%}' for s in shares)} of each fit")  # fmt: skip
    paired = statistics.median(w / wo for w, wo in zip(with_controls, without, strict=True))
    print(f"ratio, fastest with / fastest without: {min(with_controls) / min(without):.3f}")
    print(f"ratio, median of paired fits: {paired:.3f}")
    print(f"ratio, 1 + the largest share of a fit spent in the hook: {1 + max(shares):.4f}")
    print(f"click → state changed in the kernel: median {statistics.median(latencies):.3f} s, "
          f"max {max(latencies):.3f} s over {len(latencies)} clicks: "
          f"{', '.join(f'{t:.3f}' for t in latencies)}")  # fmt: skip
    print("targets: ratio <= 1.02; click <= 0.5 s")


def time_clicks(kernel: LabKernel, clicks: int) -> list[float]:
    """Click Pause, Resume, ... a second apart during a fit; return each click's delay."""
    pause, sent = [None, 0.0], []  # the Pause button's comm, and when it appeared

    def tick(message) -> None:
        state = (message or {}).get("content", {}).get("data", {}).get("state", {})
        if message and message["msg_type"] == "comm_open" and state.get("description") == "Pause":
            pause[:] = message["content"]["comm_id"], time.time()
        # The first click a second after the buttons show (the first batch comes by then).
        if pause[0] and len(sent) < clicks and time.time() - (sent or pause[1:])[-1] > 1.0:
            sent.append(kernel.click(pause[0]))

    kernel.run("fit(True, 3)", timeout=600, tick=tick)
    changes = json.loads(kernel.run("print(json.dumps(changes))"))
    return [changed - clicked for clicked, changed in zip(sent, changes, strict=False)]


if __name__ == "__main__":
    main()
