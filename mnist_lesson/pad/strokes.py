"""The pen's strokes as data, kept apart from how the canvas shows them (no widgets here)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from PIL import Image, ImageDraw

from mnist_lesson.pad.preprocess import PAD_SIZE, PEN_WIDTH, Point, check_pen_width, draw_stroke


class _FirstInked(NamedTuple):
    """The pixels one stroke was the first to ink: a bit-packed mask over their bounding box."""

    box: tuple[int, int, int, int]  # left, top, right, bottom (exclusive), as Pillow takes it
    bits: np.ndarray  # np.packbits of the box's mask, row by row


class Strokes:
    """The pen's strokes as data: each stroke a list of ``(x, y)`` canvas points.

    ``image()`` costs about one stroke's drawing however many strokes there are: the ended
    strokes are kept rasterised, each drawn once, and ``undo`` unpaints the pixels the last
    stroke was the first to ink (kept, bit-packed, for each stroke). Change the strokes with
    the methods here: the raster notices a list replaced, shortened or grown by hand, but not
    points changed inside a stroke it has drawn.
    """

    def __init__(self, size: int = PAD_SIZE, pen_width: float = PEN_WIDTH) -> None:
        self.size = size  # the canvas side in pixels
        self.pen_width = pen_width  # the pen's diameter in pixels
        self.strokes: list[list[Point]] = []
        self.drawing = False  # True between pen down and pen up
        self._reset_raster()

    def __len__(self) -> int:
        return len(self.strokes)

    def begin(self, x: float, y: float) -> None:
        """Start a new stroke at ``(x, y)``; a stroke still being drawn stays as it is, unended."""
        self.strokes.append([(float(x), float(y))])
        self.drawing = True

    def extend(self, x: float, y: float) -> bool:
        """Add ``(x, y)`` to the stroke being drawn; return whether it was added."""
        if not self.drawing:
            return False
        point = (float(x), float(y))
        if point == self.strokes[-1][-1]:
            return False
        self.strokes[-1].append(point)
        return True

    def end(self) -> bool:
        """Finish the stroke being drawn; return whether one was being drawn."""
        was_drawing, self.drawing = self.drawing, False
        return was_drawing

    def undo(self) -> bool:
        """Remove the last stroke; return whether there was one."""
        was_drawing, self.drawing = self.drawing, False
        if not self.strokes:
            return False
        self.strokes.pop()
        if not was_drawing and len(self._first_inked) == len(self.strokes) + 1:
            inked = self._first_inked.pop()  # the raster holds the stroke: unpaint it
            if inked is not None:
                left, top, right, bottom = inked.box
                mask = np.unpackbits(inked.bits, count=(right - left) * (bottom - top))
                mask = mask.reshape(bottom - top, right - left) * np.uint8(255)
                self._raster.paste(0, inked.box, Image.fromarray(mask))
        return True

    def clear(self) -> None:
        """Remove every stroke."""
        self.strokes.clear()
        self.drawing = False
        self._reset_raster()

    def image(self) -> np.ndarray:
        """Rasterise the strokes: uint8 ``size × size``, white round strokes on black.

        The same pixels as ``render_strokes(strokes, size, pen_width)`` (tested).
        """
        self._raster_in_step()
        if not self.drawing:
            return np.array(self._raster)
        canvas = self._raster.copy()  # the open stroke is drawn on a copy, not kept
        draw_stroke(ImageDraw.Draw(canvas), self.strokes[-1], self.pen_width)
        return np.array(canvas)

    # The kept raster: every ended stroke drawn once, in order.
    def _reset_raster(self) -> None:
        self._raster = Image.new("L", (self.size, self.size), 0)
        self._first_inked: list[_FirstInked | None] = []  # one per stroke in the raster
        self._raster_for = (self.size, self.pen_width)
        self._raster_of = self.strokes  # the list it was drawn from (a new list starts afresh)

    def _raster_in_step(self) -> None:
        """Draw the ended strokes the raster lacks; start afresh if the strokes were edited."""
        check_pen_width(self.pen_width)
        ended = len(self.strokes) - self.drawing
        if (
            self._raster_for != (self.size, self.pen_width)
            or self._raster_of is not self.strokes
            or len(self._first_inked) > ended
        ):
            self._reset_raster()
        while len(self._first_inked) < ended:
            self._first_inked.append(self._draw(self.strokes[len(self._first_inked)]))

    def _draw(self, stroke: list[Point]) -> _FirstInked | None:
        """Draw ``stroke`` into the raster; return the pixels it was the first to ink."""
        before = np.array(self._raster)
        draw_stroke(ImageDraw.Draw(self._raster), stroke, self.pen_width)
        new = np.asarray(self._raster) != before  # ink is only ever added
        rows, cols = np.flatnonzero(new.any(axis=1)), np.flatnonzero(new.any(axis=0))
        if rows.size == 0:
            return None
        top, bottom, left, right = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
        box = (int(left), int(top), int(right), int(bottom))
        return _FirstInked(box, np.packbits(new[top:bottom, left:right]))
