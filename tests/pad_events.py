"""A pad's front-end events, as the browser sends them, and which widgets a pad leaves open.

Shared by the pad's tests (``test_pad``, ``test_page_canvas``, ``test_collect``,
``test_inside``); nothing here needs ipycanvas, so the page canvas's tests run without it.
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from contextlib import contextmanager

from ipywidgets import Widget

from mnist_lesson.pad.widget import DrawingPad

ONE = [(140.0, 40.0 + 5 * step) for step in range(41)]  # a vertical bar, 40 → 240
BAR = [(60.0 + 4 * step, 140.0) for step in range(41)]  # a horizontal bar


def send(pad: DrawingPad, event: str, *points: tuple[float, float], touch: bool = False):
    """Deliver a front-end event to the pad's canvas as the comm message a browser sends."""
    content: dict = {"event": event}
    if touch:
        content["touches"] = [{"x": x, "y": y} for x, y in points]
    elif points:
        content["x"], content["y"] = points[0]
    message = {"content": {"data": {"method": "custom", "content": content}}, "buffers": []}
    pad.canvas._handle_msg(message)  # what the kernel calls with the browser's message


def mouse_stroke(pad: DrawingPad, points: list[tuple[float, float]]) -> None:
    send(pad, "mouse_down", points[0])
    for point in points[1:]:
        send(pad, "mouse_move", point)
    send(pad, "mouse_up", points[-1])


# Which widgets the pad makes, through ipywidgets' public hook (the same in 7 and 8). A widget
# is open, known to the kernel and sent to every page that opens, while it has a comm.
_recorders: list[weakref.WeakSet] = []
Widget.on_widget_constructed(lambda widget: [made.add(widget) for made in _recorders])


@contextmanager
def widgets_made() -> Iterator[weakref.WeakSet]:
    """Collect every widget constructed inside the block (weakly: closed ones may go)."""
    made: weakref.WeakSet = weakref.WeakSet()
    _recorders.append(made)
    try:
        yield made
    finally:
        _recorders.remove(made)


def still_open(widgets) -> list[Widget]:
    """Return the widgets among ``widgets`` that are still open, after a garbage collection."""
    gc.collect()
    return [widget for widget in list(widgets) if widget.comm is not None]
