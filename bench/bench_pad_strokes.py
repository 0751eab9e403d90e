"""Do Undo and the pen-up reading stay flat as strokes pile up? Target: 2,000 / 10 strokes < 2.

Draws strokes on a ``DrawingPad`` by sending it the browser's own messages (as
``tests/test_pad.py`` does), up to 10, 100, 1,000 and 2,000 strokes of 20 points. At each
count it times, many times over, the handling of one pen-up message (stroke ends → canvas
flush → rasterise → ``to_mnist`` → network → bars set) and of one click message on Undo
(stroke removed → canvas repainted → the rest read again), each time drawing one stroke more
and taking it back. One pad per count, timed in turn, so a change in the machine's load falls
on every count. It prints the medians and, for each, the ratio of the 2,000-stroke time to
the 10-stroke time, both measured in this run.

The network is the lesson's CNN, freshly built (``build_model()``, untrained: a reading
costs the same whatever the weights), or ``--model saved.keras``.

    python bench/bench_pad_strokes.py [--model saved.keras] [--repeats 40]
"""

from __future__ import annotations

import argparse
import time

import common  # noqa: F401  (puts this checkout first on sys.path, quiets TensorFlow)
import numpy as np

COUNTS = (10, 100, 1_000, 2_000)  # strokes on the pad when a pen-up or an Undo is timed
POINTS = 20  # mouse positions per stroke


def send(widget, content: dict) -> None:
    """Deliver ``content`` to a widget as the browser's comm message."""
    message = {"content": {"data": {"method": "custom", "content": content}}, "buffers": []}
    widget._handle_msg(message)


def random_stroke(rng: np.random.Generator) -> np.ndarray:
    """Return a short arc of ``POINTS`` points somewhere on the 280 × 280 pad."""
    centre = rng.uniform(60, 220, size=2)
    radius = rng.uniform(10, 50)
    angles = np.linspace(0, rng.uniform(1, 4), POINTS) + rng.uniform(0, 6)
    return centre + radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)


def draw_until_pen_up(pad, points: np.ndarray) -> None:
    """Send a pen-down and the moves of a stroke, not yet its pen-up."""
    send(pad.canvas, {"event": "mouse_down", "x": points[0, 0], "y": points[0, 1]})
    for x, y in points[1:]:
        send(pad.canvas, {"event": "mouse_move", "x": x, "y": y})


def pen_up(pad, points: np.ndarray) -> float:
    """Send the stroke's pen-up message; return the seconds it took to handle."""
    started = time.perf_counter()
    send(pad.canvas, {"event": "mouse_up", "x": points[-1, 0], "y": points[-1, 1]})
    return time.perf_counter() - started


def undo(pad) -> float:
    """Send a click on Undo; return the seconds it took to handle."""
    started = time.perf_counter()
    send(pad.undo_button, {"event": "click"})
    return time.perf_counter() - started


def main() -> None:
    """Time a pen-up and an Undo at 10, 100, 1,000 and 2,000 strokes; print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="a saved .keras model (default: a fresh build_model())")
    parser.add_argument("--repeats", type=int, default=40, help="timings per stroke count")
    args = parser.parse_args()
    from mnist_lesson.model import build_model
    from mnist_lesson.networks import load_model
    from mnist_lesson.pad.widget import DrawingPad

    network = load_model(args.model) if args.model else build_model()
    rng = np.random.default_rng(0)
    pads = {count: DrawingPad(network, name=f"bench-{count}") for count in COUNTS}
    for count, pad in pads.items():
        while len(pad.strokes) < count:
            points = random_stroke(rng)
            draw_until_pen_up(pad, points)
            pen_up(pad, points)
    # Round robin over the pads, so that the machine's changing load falls on every count.
    timings = {count: ([], []) for count in COUNTS}  # pen-ups, Undos
    for repeat in range(args.repeats + 3):  # the first 3 rounds are warm-up
        for count, pad in pads.items():
            points = random_stroke(rng)
            draw_until_pen_up(pad, points)
            pen_up_seconds, undo_seconds = pen_up(pad, points), undo(pad)
            if len(pad.strokes) != count or pad.prediction is None:
                raise RuntimeError(f"the pad holds {len(pad.strokes)} strokes, not {count}")
            if repeat >= 3:
                timings[count][0].append(pen_up_seconds)
                timings[count][1].append(undo_seconds)
    medians = {count: [np.median(times) * 1000 for times in timings[count]] for count in COUNTS}
    for count, (pen_up_ms, undo_ms) in medians.items():
        print(f"{count:>6,} strokes: pen-up {pen_up_ms:6.2f} ms, Undo {undo_ms:6.2f} ms (medians)")
    (first_pen_up, first_undo), (last_pen_up, last_undo) = medians[COUNTS[0]], medians[COUNTS[-1]]
    print(
        f"ratio {COUNTS[-1]:,} / {COUNTS[0]:,} strokes (target < 2): "
        f"pen-up {last_pen_up / first_pen_up:.2f}, Undo {last_undo / first_undo:.2f}"
    )
    for pad in pads.values():
        pad.close()


if __name__ == "__main__":
    main()
