"""The pad's canvas: an ipycanvas ``Canvas`` that keeps drawing after a page reload.

ipycanvas sends drawing commands through a shared *canvas manager* that names its canvas
(``switchCanvas``) only when the canvas changes; a page opened later has a fresh manager
that knows no canvas, so its first command throws and jams every later one (ipycanvas #322).
So each ``PadCanvas`` has a manager of its own (closed with it), and ``hold()`` starts every
batch with ``switchCanvas``. A new page also reports ``client_ready``, and the pad repaints.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from ipycanvas import Canvas
from ipycanvas.canvas import _CanvasManager

if TYPE_CHECKING:
    from mnist_lesson.pad.strokes import Strokes

INK, PAPER = "white", "black"
# A drawing of more strokes or points than these is painted as one image (see paint).
REDRAW_STROKES, REDRAW_POINTS = 50, 2_000


class PadCanvas(Canvas):
    """A ``Canvas`` with its own manager whose batches each name the canvas they draw on.

    Draw inside ``with canvas.hold():``; commands sent outside a batch work as in ipycanvas.
    """

    draws_own_ink = False  # the kernel draws the pen's moves (PageCanvas's page draws its own)

    def __init__(self, **kwargs) -> None:
        if "_canvas_manager" in kwargs:
            raise ValueError(
                "PadCanvas makes its own canvas manager; do not pass _canvas_manager="
                f"{kwargs['_canvas_manager']!r}"
            )
        super().__init__(_canvas_manager=_CanvasManager(), **kwargs)

    @property
    def manager(self) -> _CanvasManager:
        """The canvas's own manager: the widget that carries its drawing commands to the page."""
        return self._canvas_manager

    @contextmanager
    def hold(self) -> Iterator[PadCanvas]:
        """Collect the drawing commands inside into one message that starts with this canvas."""
        manager = self.manager
        was_caching = manager._caching
        manager._current_canvas = None  # so the batch opens with switchCanvas (see above)
        manager._caching = True
        try:
            yield self
        finally:
            manager.flush()
            manager._caching = was_caching

    def paint(self, strokes: Strokes) -> None:
        """Paint the whole drawing afresh, in one batch: ink on paper, and the pen's style.

        A drawing of up to ``REDRAW_STROKES`` strokes and ``REDRAW_POINTS`` points is drawn
        stroke by stroke, as the browser drew it (anti-aliased); a bigger one is sent as the
        pad's own raster, ``strokes.image()``, one PNG of a few kB, so that Undo costs the same
        however many strokes there are (the strokes then show hard-edged, as the network
        sees them).
        """
        with self.hold():
            self.line_cap = self.line_join = "round"
            self.line_width = strokes.pen_width
            self.stroke_style = self.fill_style = INK
            self.clear()
            lines = strokes.strokes
            if len(lines) <= REDRAW_STROKES and sum(map(len, lines)) <= REDRAW_POINTS:
                self.fill_style = PAPER
                self.fill_rect(0, 0, self.width, self.height)
                self.fill_style = INK
                for stroke in lines:
                    x, y = stroke[0]
                    self.fill_circle(x, y, strokes.pen_width / 2)
                    if len(stroke) > 1:
                        self.stroke_lines(stroke)
            else:
                self.put_image_data(strokes.image())  # a grey PNG, opaque

    def close(self) -> None:
        """Close the canvas and its manager."""
        manager = self.manager
        super().close()
        manager._current_canvas = None
        manager.close()
