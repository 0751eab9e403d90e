"""The pad's page canvas: an anywidget canvas whose page draws the pen's ink itself.

The pad uses it where ipycanvas does not draw (Colab: colab-cdn-widget-manager #24, ipycanvas
#292) or is not installed, or when ``MNIST_LESSON_CANVAS=page`` (see ``choose_canvas``).

The page (``page_canvas.js``, shipped in ``_esm``: no CDN) draws the ink as the pen moves, so
the ink never waits for the kernel (``draws_own_ink``), and sends the kernel the events
ipycanvas's front end sends, with the same content: ``mouse_*`` with ``x`` and ``y``,
``touch_*`` with every listed touch, and ``client_ready``; moves come batched, at most once a
frame. ``paint`` sends the whole drawing as strokes and the page draws it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import anywidget
import traitlets
from ipywidgets import CallbackDispatcher

from mnist_lesson.ink import PAD_SIZE, PEN_WIDTH

if TYPE_CHECKING:
    from mnist_lesson.pad.strokes import Strokes

MOUSE_EVENTS = ("mouse_down", "mouse_move", "mouse_up", "mouse_out")
TOUCH_EVENTS = ("touch_start", "touch_move", "touch_end", "touch_cancel")


class PageCanvas(anywidget.AnyWidget):
    """A 280 × 280 canvas whose page draws the ink; the pad's ``PadCanvas`` API.

    Register handlers with ``on_mouse_down(callback)`` (called ``callback(x, y)``),
    ``on_touch_move(callback)`` (called with a list of ``(x, y)``), ``on_client_ready`` and so
    on, each with ``remove=True`` to take one back, as in ipycanvas.
    """

    _esm = (Path(__file__).with_name("page_canvas.js")).read_text(encoding="utf-8")
    width = traitlets.Int(PAD_SIZE).tag(sync=True)
    height = traitlets.Int(PAD_SIZE).tag(sync=True)
    pen_width = traitlets.Float(PEN_WIDTH).tag(sync=True)

    draws_own_ink = True  # the page draws the pen's moves: the pad need not send them

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._callbacks: dict[str, CallbackDispatcher] = {
            event: CallbackDispatcher() for event in (*MOUSE_EVENTS, *TOUCH_EVENTS, "client_ready")
        }
        self.on_msg(self._receive)

    # Handlers, as ipycanvas's Canvas registers them.
    def _register(self, event: str, callback: Callable, remove: bool) -> None:
        self._callbacks[event].register_callback(callback, remove=remove)

    def on_mouse_down(self, callback: Callable, remove: bool = False) -> None:
        self._register("mouse_down", callback, remove)

    def on_mouse_move(self, callback: Callable, remove: bool = False) -> None:
        self._register("mouse_move", callback, remove)

    def on_mouse_up(self, callback: Callable, remove: bool = False) -> None:
        self._register("mouse_up", callback, remove)

    def on_mouse_out(self, callback: Callable, remove: bool = False) -> None:
        self._register("mouse_out", callback, remove)

    def on_touch_start(self, callback: Callable, remove: bool = False) -> None:
        self._register("touch_start", callback, remove)

    def on_touch_move(self, callback: Callable, remove: bool = False) -> None:
        self._register("touch_move", callback, remove)

    def on_touch_end(self, callback: Callable, remove: bool = False) -> None:
        self._register("touch_end", callback, remove)

    def on_touch_cancel(self, callback: Callable, remove: bool = False) -> None:
        self._register("touch_cancel", callback, remove)

    def on_client_ready(self, callback: Callable, remove: bool = False) -> None:
        self._register("client_ready", callback, remove)

    def _receive(self, _widget, content, _buffers) -> None:
        """Call the handlers of one message from the page (a batch: of each event in it)."""
        if not isinstance(content, dict):
            return
        if content.get("event") == "batch":
            for event in content.get("events", []):
                self._receive(_widget, event, _buffers)
            return
        event = content.get("event")
        if event in MOUSE_EVENTS:
            self._callbacks[event](content["x"], content["y"])
        elif event in TOUCH_EVENTS:
            self._callbacks[event]([(touch["x"], touch["y"]) for touch in content["touches"]])
        elif event == "client_ready":
            self._callbacks[event]()

    # Drawing: the page draws the pen; the kernel sends it only whole drawings.
    @contextmanager
    def hold(self) -> Iterator[PageCanvas]:
        """Nothing to batch (``paint`` is one message already); here for ``PadCanvas``'s API."""
        yield self

    def paint(self, strokes: Strokes) -> None:
        """Show the whole drawing afresh, in one message: the page draws the strokes."""
        self.pen_width = strokes.pen_width
        self.send(
            {
                "command": "paint",
                "strokes": [[[float(x), float(y)] for x, y in s] for s in strokes.strokes],
            }
        )

    def clear(self) -> None:
        """Blank the canvas (black paper) on every page that shows it."""
        self.send({"command": "clear"})
