"""The drawing pad: draw a digit with the mouse or a finger and watch the model read it.

    pad = DrawingPad(model)
    display(pad)
    pad.prediction          # the latest reading (Prediction) or None while the pad is empty

The strokes are recorded in Python from the canvas's mouse and touch events (``Strokes``)
and rasterised in Python, so the browser never sends pixels back; the canvas only shows
them, at most once a frame. The pad reads the drawing at most ten times a second while you
draw, and at pen-up: ``strokes_to_mnist``, then ``predict_probabilities`` (with
``inside=True``, ``layer_outputs``, whose last layer is the reading).
"""

from __future__ import annotations

import asyncio
import time
from functools import partial

from ipywidgets import Button, HBox, Layout, VBox

from mnist_lesson.ink import PAD_SIZE, PEN_WIDTH
from mnist_lesson.model_insides import layer_outputs
from mnist_lesson.pad.canvas_choice import make_canvas
from mnist_lesson.pad.inside import InsideView
from mnist_lesson.pad.prediction_view import Prediction, PredictionView
from mnist_lesson.pad.strokes import Strokes
from mnist_lesson.pad.touch import DrawingFinger
from mnist_lesson.pad.widget_tree import close_widget_tree, release, replace_live
from mnist_lesson.predict import check_network, predict_probabilities

FRAME_SECONDS = 1 / 60  # the pen's moves are sent to the browser at most this often
READ_SECONDS = 1 / 10  # while the pen is down, the pad reads the drawing at most this often


class DrawingPad:
    """A 280 × 280 canvas to draw a digit on, with Clear, Undo and the model's reading.

    Creating a pad closes the live pad of the same ``name``, so re-running a cell does not
    leave two copies of its pad; give each pad of a notebook its own name.

    Args:
        model: a Keras model for float32 ``(batch, 28, 28, 1)`` digits with 10 outputs
            (checked here: a clear ``ValueError`` otherwise).
        pen_width: the pen's diameter in canvas pixels.
        name: the pad's name; a new pad replaces the live pad of the same name (``None``:
            a pad inside another, which the outer one's name stands for).
        inside: show ``InsideView`` under the pad: each layer's output for the drawing, and
            one pixel of a feature map worked out by hand (needs a ``keras.Sequential``).
    """

    def __init__(
        self, model, pen_width: float = PEN_WIDTH, name: str | None = "pad", inside: bool = False
    ) -> None:
        if name is not None and (not isinstance(name, str) or not name):
            raise ValueError(f"name={name!r}: a pad's name must be a non-empty string")
        number = isinstance(pen_width, int | float) and not isinstance(pen_width, bool)
        if not number or not 1 <= pen_width <= PAD_SIZE / 4:
            raise ValueError(
                f"pen_width={pen_width!r}: the pen's width must be a number of pixels from 1 to "
                f"{PAD_SIZE // 4}; the lesson's pen is {PEN_WIDTH}."
            )
        check_network(model)
        self.inside = InsideView(model) if inside else None  # before the old pad is closed
        if name is not None:
            replace_live(name, self)
        self.name = name
        self.model = model
        self.strokes = Strokes(PAD_SIZE, pen_width)
        self.finger = DrawingFinger(PAD_SIZE)  # which listed touch draws (touch.py)
        self.prediction: Prediction | None = None
        self._pending: list[tuple[float, float]] = []  # moves not yet drawn on the canvas
        self._last_flush = self._last_read = 0.0
        self._timers: dict[str, asyncio.TimerHandle] = {}  # a pending flush and read
        size = f"{PAD_SIZE}px"
        self.canvas = make_canvas(  # ipycanvas's, or the page's where that cannot draw
            pen_width=pen_width,
            width=PAD_SIZE,
            height=PAD_SIZE,
            layout=Layout(width=size, height=size, min_width=size, flex="none"),
        )
        self.clear_button = Button(description="Clear", icon="eraser", tooltip="Erase all")
        self.undo_button = Button(description="Undo", icon="undo", tooltip="Remove last stroke")
        self.view = PredictionView()
        self.widget = HBox(
            [
                VBox([self.canvas, HBox([self.clear_button, self.undo_button])]),
                self.view.widget,
            ],
            layout=Layout(align_items="flex-start"),
        )
        if self.inside is not None:
            self.widget = VBox([self.widget, self.inside.widget])
        # Class names let a page (or a browser test) find the parts.
        self.widget.add_class("mnist-pad")
        self.canvas.add_class("mnist-pad-canvas")
        self._handlers = [
            (self.canvas.on_mouse_down, self._pen_down),
            (self.canvas.on_mouse_move, self._pen_move),
            (self.canvas.on_mouse_up, self._pen_up),
            (self.canvas.on_mouse_out, self._pen_up),  # the browser sends no mouse-up outside
            (self.canvas.on_touch_start, partial(self._touch, "touch_start")),
            (self.canvas.on_touch_move, partial(self._touch, "touch_move")),
            (self.canvas.on_touch_end, partial(self._touch, "touch_end")),
            (self.canvas.on_touch_cancel, partial(self._touch, "touch_cancel")),
            (self.canvas.on_client_ready, self._redraw),
            (self.clear_button.on_click, self.clear),
            (self.undo_button.on_click, self.undo),
        ]
        for register, handler in self._handlers:
            register(handler)
        # No drawing yet: commands sent before a page shows the canvas can be lost; the
        # canvas is painted when a view reports ready (on_client_ready above).
        self.view.show(None)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    # Pen events, from the mouse or the drawing finger.
    def _pen_down(self, x: float, y: float) -> None:
        if self.strokes.drawing:  # a pen-up went missing: end the stroke where it was
            self._pen_up(*self.strokes.strokes[-1][-1])
        self.strokes.begin(x, y)
        if not self.canvas.draws_own_ink:
            with self.canvas.hold():
                self.canvas.fill_circle(x, y, self.strokes.pen_width / 2)
        self._last_flush = time.perf_counter()

    def _pen_move(self, x: float, y: float) -> None:
        if not self.strokes.extend(x, y):
            return
        self._pending.append((float(x), float(y)))
        now = time.perf_counter()
        if now - self._last_flush >= FRAME_SECONDS:
            self._flush()
        else:
            self._later("flush", FRAME_SECONDS, self._flush)
        if now - self._last_read >= READ_SECONDS:
            self._read()
        else:  # the pen may stop here: read what it drew once the time has come
            self._later("read", READ_SECONDS - (now - self._last_read), self._read_if_drawing)

    def _pen_up(self, x: float, y: float) -> None:
        if not self.strokes.drawing:
            return
        if self.strokes.extend(x, y):  # the last point, drawn and read with the rest below
            self._pending.append((float(x), float(y)))
        self.strokes.end()
        self._flush()
        self._read()

    def _touch(self, event: str, touches: list[tuple[float, float]]) -> None:
        """Follow the drawing finger only: other fingers neither start nor end a stroke."""
        pen = {"down": self._pen_down, "move": self._pen_move, "up": self._pen_up}
        for action, (x, y) in self.finger.follow(event, touches):
            pen[action](x, y)

    # Drawing: the canvas shows the strokes; it is never read back.
    def _flush(self) -> None:
        """Draw the pen's pending moves as one polyline in one message."""
        self._last_flush = time.perf_counter()
        if not self._pending or not self.strokes.strokes or self.canvas.draws_own_ink:
            self._pending.clear()  # nothing to draw, or the page drew it already
            return
        stroke = self.strokes.strokes[-1]
        start = len(stroke) - len(self._pending) - 1
        with self.canvas.hold():
            self.canvas.stroke_lines(stroke[max(0, start) :])
        self._pending.clear()

    def _later(self, name: str, delay: float, action) -> None:
        """Run ``action`` after ``delay`` s unless one of that name waits (inside a kernel)."""
        if name in self._timers:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # no event loop (a script or a test): the moves are drawn and read at pen-up

        def run() -> None:
            del self._timers[name]
            action()

        self._timers[name] = loop.call_later(delay, run)

    def _read_if_drawing(self) -> None:
        if self.strokes.drawing and self.model is not None:
            self._read()

    def _redraw(self, *_) -> None:
        """Paint the whole drawing again (after Undo or Clear, or for a new browser view)."""
        self.canvas.paint(self.strokes)
        self._pending.clear()

    def _read(self) -> None:
        """Read the drawing with the model and show the result, or the error, in the panel."""
        self._last_read = time.perf_counter()
        outputs = None
        try:
            digit = self.strokes.model_input()
            if digit is None:
                self.prediction = None
            else:
                if self.inside is not None:  # every layer's output: the last is the reading
                    outputs = layer_outputs(self.model, digit)
                    probabilities = outputs[-1].values
                else:
                    probabilities = predict_probabilities(self.model, digit)
                self.prediction = Prediction(int(probabilities.argmax()), probabilities, digit)
        except Exception as error:  # an event handler's error would show nowhere a learner looks
            self.prediction = None
            self.view.show_error(error)
            return
        self.view.show(self.prediction, drawing=self.strokes.drawing)
        if self.inside is not None:
            self.inside.show(digit, outputs)

    # Buttons.
    def clear(self, *_) -> None:
        """Erase every stroke and show the hint to draw."""
        self.strokes.clear()
        self._redraw()
        self._read()

    def undo(self, *_) -> None:
        """Remove the last stroke and read what is left."""
        if self.strokes.undo():
            self._redraw()
            self._read()

    def close(self) -> None:
        """Detach the handlers, close the widgets and drop the model; the pad stops working."""
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()
        for register, handler in self._handlers:
            register(handler, remove=True)
        self._handlers = []
        close_widget_tree(self.widget, self.canvas, self.clear_button, self.undo_button)
        self.view.close()  # all it made, also what is not (or no longer) in the pad's tree
        if self.inside is not None:
            self.inside.close()
        self.model = None
        release(self.name, self)
