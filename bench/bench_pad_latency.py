"""Kernel-side latency of the pad: from the pen-up message to the probabilities in the widgets.

Draws many strokes on a ``DrawingPad`` by sending it the browser's own canvas messages; times
each ``mouse_up`` message's handling (stroke ends → canvas flush → rasterise → ``to_mnist`` →
model → bars, headline and image set). Prints the median against one ``model.predict`` call on
one digit measured in the same run. Target: median ≤ 10 ms.

    python bench/bench_pad_latency.py [--model saved.keras] [--strokes 200]
"""

from __future__ import annotations

import time

import common
import numpy as np

STROKES = 200  # strokes timed (after 5 warm-up strokes)
POINTS = 60  # mouse moves per stroke


def send(canvas, content: dict) -> None:
    """Deliver ``content`` to the canvas as the browser's comm message."""
    message = {"content": {"data": {"method": "custom", "content": content}}, "buffers": []}
    canvas._handle_msg(message)


def main() -> None:
    """Time pen-up → probabilities shown, and one ``model.predict``, in the same run."""
    args = common.parse_model_args(__doc__.splitlines()[0])
    from mnist_lesson.pad.widget import DrawingPad

    data, model = common.load_data_and_model(args)
    pad = DrawingPad(model)
    rng = np.random.default_rng(0)
    timings = []
    for stroke in range(STROKES + 5):
        if stroke % 3 == 0:
            pad.clear()
        centre = rng.uniform(80, 200, size=2)
        radius = rng.uniform(30, 70)
        angles = np.linspace(0, rng.uniform(3, 6), POINTS) + rng.uniform(0, 6)
        points = centre + radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)
        send(pad.canvas, {"event": "mouse_down", "x": points[0, 0], "y": points[0, 1]})
        for x, y in points[1:]:
            send(pad.canvas, {"event": "mouse_move", "x": x, "y": y})
        started = time.perf_counter()
        send(pad.canvas, {"event": "mouse_up", "x": points[-1, 0], "y": points[-1, 1]})
        if pad.prediction is None or pad.view.bars[pad.prediction.digit].value <= 0:
            raise RuntimeError("the pad did not show a reading after the stroke")
        timings.append(time.perf_counter() - started)
    timings = np.array(timings[5:]) * 1000

    digit = data.split("test")[0][:1].astype(np.float32) / 255.0
    model.predict(digit, verbose=0)  # warm up
    predict_times = []
    for _ in range(20):
        started = time.perf_counter()
        model.predict(digit, verbose=0)
        predict_times.append(time.perf_counter() - started)
    predict_ms = float(np.median(predict_times)) * 1000
    median = float(np.median(timings))
    print(f"pen-up → probabilities shown, {STROKES} strokes of {POINTS} points:")
    print(f"  median {median:.2f} ms, 90th percentile {np.percentile(timings, 90):.2f} ms")
    print(f"  one model.predict on one digit: {predict_ms:.2f} ms (median of 20)")
    print(f"  ratio pad / predict: {median / predict_ms:.2f} (target: median ≤ 10 ms)")
    pad.close()


if __name__ == "__main__":
    main()
