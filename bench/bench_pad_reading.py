"""What a reading costs the kernel while the pen moves: the pad alone, and with the inside view.

The pad reads the drawing ten times a second while the pen is down (``READ_SECONDS``), and
``DrawingPad(model, inside=True)`` also redraws every layer's output at each reading. This
times, in the kernel's thread, the handling of one ``mouse_move`` message of the browser:

- **bare widget message**: an ``HTML`` widget's value set, one message packed (the reference);
- **ink only**: a move that is drawn on the canvas but not read;
- **pad reading**: a move that is read, the one way the pad reads: ``strokes_to_mnist`` of
  every stroke, ``predict_probabilities``, the bars, headline and 28 × 28 image set (target:
  median ≤ 10 ms, so that 10 readings a second take at most a tenth of the kernel);
- **pad + inside view**: ``layer_outputs`` in place of ``predict_probabilities``, plus the
  map pictures and one pixel's arithmetic (target: median ≤ 25 ms);

and, in the same run, one ``model.predict`` call on one digit, the way the lesson never asks.
The CPU time of the kernel's process is printed beside the wall time: on a busy machine the
wall time grows with the other work, the CPU time much less.
Every widget message is packed as ipykernel packs it (``jupyter_client.Session.serialize``:
JSON and its signature), so the cost of sending the pictures counts; only the socket is
missing. The network is the lesson's CNN, freshly built (a reading costs the same whatever
the weights), or ``--model saved.keras``.

    python bench/bench_pad_reading.py [--model saved.keras] [--moves 300]
"""

from __future__ import annotations

import argparse
import time

import common  # noqa: F401  (puts this checkout first on sys.path, quiets TensorFlow)
import numpy as np

POINTS = 300  # moves of the one long stroke each pad is timed on


class PackingComm:
    """Install a comm that packs each widget message as ipykernel does; count the bytes."""

    def __init__(self) -> None:
        import comm
        from comm.base_comm import BaseComm
        from jupyter_client.session import Session

        session = Session(key=b"benchmark")
        counter = self
        self.messages = self.bytes = 0

        class Packing(BaseComm):
            def publish_msg(self, msg_type, data=None, metadata=None, buffers=None, **keys):
                content = {"data": data or {}, "comm_id": self.comm_id, **keys}
                message = session.msg(msg_type, content, metadata=metadata or {})
                frames = session.serialize(message)
                counter.messages += 1
                counter.bytes += sum(map(len, frames)) + sum(len(b) for b in buffers or [])

        comm.create_comm = Packing


def send(widget, content: dict) -> None:
    """Deliver ``content`` to a widget as the browser's comm message."""
    message = {"content": {"data": {"method": "custom", "content": content}}, "buffers": []}
    widget._handle_msg(message)


def stroke(points: int) -> np.ndarray:
    """Return a long wavy stroke across the pad: a digit being drawn, slowly."""
    t = np.linspace(0, 1, points)
    return np.stack([70 + 140 * t, 140 + 80 * np.sin(6 * t)], axis=1)


def time_moves(pad, points: np.ndarray, read: bool, packing: PackingComm) -> tuple:
    """Clear the pad, send a pen-down and the moves; time each move, each one drawn at once
    (as when the pen moves slower than 60 points a second) and read or not."""
    pad.clear()
    send(pad.canvas, {"event": "mouse_down", "x": points[0, 0], "y": points[0, 1]})
    timings, cpu, sent = [], [], []
    for x, y in points[1:]:
        pad._last_read = -np.inf if read else np.inf  # read at this move, or not at all
        pad._last_flush = -np.inf  # and draw it on the canvas now
        before = packing.bytes
        started, cpu_started = time.perf_counter(), time.process_time()
        send(pad.canvas, {"event": "mouse_move", "x": x, "y": y})
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
        sent.append(packing.bytes - before)
    pad._last_read = 0.0
    send(pad.canvas, {"event": "mouse_up", "x": points[-1, 0], "y": points[-1, 1]})
    kilobytes = float(np.median(sent[10:])) / 1000
    return np.array(timings[10:]) * 1000, np.array(cpu[10:]) * 1000, kilobytes


def time_bare(count: int, packing: PackingComm) -> tuple:
    """Time setting an ``HTML`` widget's value: the least a kernel does for a widget."""
    from ipywidgets import HTML

    label = HTML()
    timings, cpu, sent = [], [], []
    for index in range(count):
        before = packing.bytes
        started, cpu_started = time.perf_counter(), time.process_time()
        label.value = f"move {index}"
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
        sent.append(packing.bytes - before)
    label.close()
    return np.array(timings) * 1000, np.array(cpu) * 1000, float(np.median(sent)) / 1000


def main() -> None:
    """Time moves that are only drawn, read, and read with the inside view; print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="a saved .keras model (default: a fresh build_model())")
    parser.add_argument("--moves", type=int, default=POINTS, help="moves timed per case")
    args = parser.parse_args()
    packing = PackingComm()
    from mnist_lesson.model import build_model
    from mnist_lesson.networks import load_model
    from mnist_lesson.pad.widget import READ_SECONDS, DrawingPad

    network = load_model(args.model) if args.model else build_model()
    plain = DrawingPad(network, name="plain")
    inside = DrawingPad(network, name="inside", inside=True)
    points = stroke(args.moves + 11)
    results = {}
    for _ in range(2):  # the first round warms up (tracing); the second is kept
        results = {
            "bare widget message": time_bare(args.moves, packing),
            "ink only": time_moves(plain, points, False, packing),
            "pad reading": time_moves(plain, points, True, packing),
            "pad + inside view": time_moves(inside, points, True, packing),
        }
    digit = np.zeros((1, 28, 28, 1), np.float32)
    network.predict(digit, verbose=0)
    predict_ms = []
    for _ in range(20):
        started = time.perf_counter()
        network.predict(digit, verbose=0)
        predict_ms.append((time.perf_counter() - started) * 1000)
    predict = float(np.median(predict_ms))

    print(f"one mouse_move message handled, {args.moves} moves per case, messages packed")
    print(
        f"{'case':24} {'median ms':>10} {'90th pct':>9} {'CPU ms':>7} {'sent kB':>8} "
        f"{'share at 10/s':>14}"
    )
    for name, (timings, cpu, kilobytes) in results.items():
        median = float(np.median(timings))
        share = median / 1000 / READ_SECONDS if "reading" in name or "inside" in name else 0
        print(
            f"{name:24} {median:10.2f} {np.percentile(timings, 90):9.2f} "
            f"{np.median(cpu):7.2f} {kilobytes:8.1f} {share:13.1%}"
        )
    bare = float(np.median(results["bare widget message"][0]))
    reading = float(np.median(results["pad reading"][0]))
    with_inside = float(np.median(results["pad + inside view"][0]))
    print(f"one model.predict on one digit: {predict:.2f} ms (median of 20)")
    print(f"ratio pad reading / bare widget message:   {reading / bare:7.1f}")
    print(f"ratio inside view / bare widget message:   {with_inside / bare:7.1f}")
    print(f"ratio pad reading / model.predict:         {reading / predict:7.2f}")
    print(f"ratio pad reading / 10 ms target:          {reading / 10:7.2f} (target <= 1)")
    print(f"ratio inside view / 25 ms target:          {with_inside / 25:7.2f} (target <= 1)")
    plain.close()
    inside.close()


if __name__ == "__main__":
    main()
