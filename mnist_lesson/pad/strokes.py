"""The pen's strokes as data, kept apart from how the canvas shows them (no widgets here)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from PIL import Image, ImageDraw

from mnist_lesson.pad.preprocess import (
    PAD_SIZE,
    PEN_WIDTH,
    Point,
    check_pen_width,
    draw_stroke,
    model_canvas,
    to_mnist,
)


class _FirstInked(NamedTuple):
    """The pixels one stroke was the first to ink: a bit-packed mask over their bounding box."""

    box: tuple[int, int, int, int]  # left, top, right, bottom (exclusive), as Pillow takes it
    bits: np.ndarray  # np.packbits of the box's mask, row by row


class _Raster:
    """Strokes drawn once each, in order, onto one image; the last one can be unpainted.

    ``place`` is ``(left, top, scale, margin)``: the point ``(x, y)`` is drawn at
    ``((x - left) * scale + margin, (y - top) * scale + margin)``.
    """

    def __init__(self, size: int, pen_width: float, place: tuple = (0.0, 0.0, 1.0, 0.0)):
        self.image = Image.new("L", (size, size), 0)
        self.pen_width = pen_width
        self.place = place
        self.inked: list[_FirstInked | None] = []  # one per stroke drawn
        self.boxes: list[tuple[float, float, float, float]] = []  # its points' box, as given
        self.box: tuple[float, float, float, float] | None = None  # all of theirs together

    def placed(self, stroke: list[Point]) -> list[Point]:
        """Return ``stroke``'s points where this raster draws them."""
        if self.place == (0.0, 0.0, 1.0, 0.0):
            return stroke
        left, top, scale, margin = self.place
        return [((x - left) * scale + margin, (y - top) * scale + margin) for x, y in stroke]

    def draw(self, stroke: list[Point]) -> None:
        """Draw ``stroke``, keeping the pixels it was the first to ink and its box."""
        before = np.array(self.image)
        draw_stroke(ImageDraw.Draw(self.image), self.placed(stroke), self.pen_width)
        new = np.asarray(self.image) != before  # ink is only ever added
        self.boxes.append(_box(stroke))
        self.box = _union(self.box, self.boxes[-1])
        rows, cols = np.flatnonzero(new.any(axis=1)), np.flatnonzero(new.any(axis=0))
        if rows.size == 0:
            self.inked.append(None)
            return
        top, bottom, left, right = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
        box = (int(left), int(top), int(right), int(bottom))
        self.inked.append(_FirstInked(box, np.packbits(new[top:bottom, left:right])))

    def unpaint_last(self) -> None:
        """Take the last stroke drawn off: unpaint the pixels it was the first to ink."""
        removed = self.boxes.pop()
        if not self.boxes:
            self.box = None
        elif any(side == edge for side, edge in zip(removed, self.box, strict=True)):
            corners = np.array(self.boxes)  # it made an edge of the whole: find the edges again
            self.box = (*corners[:, :2].min(axis=0).tolist(), *corners[:, 2:].max(axis=0).tolist())
        inked = self.inked.pop()
        if inked is not None:
            left, top, right, bottom = inked.box
            mask = np.unpackbits(inked.bits, count=(right - left) * (bottom - top))
            mask = mask.reshape(bottom - top, right - left) * np.uint8(255)
            self.image.paste(0, inked.box, Image.fromarray(mask))

    def with_open(self, stroke: list[Point] | None) -> np.ndarray:
        """Return the image with ``stroke`` (the one being drawn) drawn on a copy, if any."""
        if stroke is None:
            return np.array(self.image)
        canvas = self.image.copy()
        draw_stroke(ImageDraw.Draw(canvas), self.placed(stroke), self.pen_width)
        return np.array(canvas)


class Strokes:
    """The pen's strokes as data: each stroke a list of ``(x, y)`` canvas points.

    ``image()`` (the canvas) and ``model_input()`` (the network's input) cost about one
    stroke's drawing however many strokes there are: the ended strokes are kept rasterised,
    each drawn once (for the network, again only when the drawing's box changes), and
    ``undo`` unpaints the pixels the last stroke was the first to ink. Change the strokes
    with the methods here: the rasters notice a list replaced, shortened or grown by hand,
    but not points changed inside a stroke they have drawn.
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
        for raster in (self._raster, self._model):
            if not was_drawing and raster is not None and len(raster.inked) == len(self) + 1:
                raster.unpaint_last()  # the raster holds the stroke: unpaint it
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
        return self._raster.with_open(self.strokes[-1] if self.drawing else None)

    def model_input(self) -> np.ndarray | None:
        """Return what the pad feeds the network: float32 28 × 28, or None with no strokes.

        The same as ``strokes_to_mnist(strokes, pen_width)`` (tested): the strokes drawn
        again ``MODEL_SIDE`` px tall, then ``to_mnist``.
        """
        self._raster_in_step()
        box = self._raster.box
        if self.drawing:
            box = _union(box, _box(self.strokes[-1]))
        if box is None:
            return None
        left, top, right, bottom = box
        scale, margin, size = model_canvas(right - left, bottom - top, self.pen_width)
        place = (left, top, scale, margin)
        model = self._model
        if model is None or model.place != place or len(model.inked) > len(self._raster.inked):
            model = self._model = _Raster(size, self.pen_width, place)
        while len(model.inked) < len(self._raster.inked):
            model.draw(self.strokes[len(model.inked)])
        return to_mnist(model.with_open(self.strokes[-1] if self.drawing else None))

    # The kept rasters: every ended stroke drawn once, in order.
    def _reset_raster(self) -> None:
        self._raster = _Raster(self.size, self.pen_width)
        self._model: _Raster | None = None  # the network's, made when first asked for
        self._raster_for = (self.size, self.pen_width)
        self._raster_of = self.strokes  # the list it was drawn from (a new list starts afresh)

    def _raster_in_step(self) -> None:
        """Draw the ended strokes the raster lacks; start afresh if the strokes were edited."""
        check_pen_width(self.pen_width)
        ended = len(self.strokes) - self.drawing
        if (
            self._raster_for != (self.size, self.pen_width)
            or self._raster_of is not self.strokes
            or len(self._raster.inked) > ended
        ):
            self._reset_raster()
        while len(self._raster.inked) < ended:
            self._raster.draw(self.strokes[len(self._raster.inked)])


def _box(stroke: list[Point]) -> tuple[float, float, float, float]:
    """Return the box of ``stroke``'s points: left, top, right, bottom."""
    xs, ys = [x for x, _ in stroke], [y for _, y in stroke]
    return min(xs), min(ys), max(xs), max(ys)


def _union(box: tuple | None, other: tuple) -> tuple[float, float, float, float]:
    """Return the box holding ``box`` (None: nothing yet) and ``other``."""
    if box is None:
        return other
    return (
        min(box[0], other[0]),
        min(box[1], other[1]),
        max(box[2], other[2]),
        max(box[3], other[3]),
    )
