"""The pen's strokes as data, kept apart from how the canvas shows them (no widgets here)."""

from __future__ import annotations

import numpy as np

from mnist_lesson.ink import PAD_SIZE, PEN_WIDTH, Point, render_strokes, strokes_to_mnist


class Strokes:
    """The pen's strokes as data: each stroke a list of ``(x, y)`` canvas points.

    ``image()`` is the canvas as the pad draws it, ``model_input()`` what the network reads;
    both include the stroke being drawn.
    """

    def __init__(self, size: int = PAD_SIZE, pen_width: float = PEN_WIDTH) -> None:
        self.size = size  # the canvas side in pixels
        self.pen_width = pen_width  # the pen's diameter in pixels
        self.strokes: list[list[Point]] = []
        self.drawing = False  # True between pen down and pen up

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
        self.drawing = False
        if not self.strokes:
            return False
        self.strokes.pop()
        return True

    def clear(self) -> None:
        """Remove every stroke."""
        self.strokes.clear()
        self.drawing = False

    def image(self) -> np.ndarray:
        """Rasterise the strokes: uint8 ``size × size``, white round strokes on black."""
        return render_strokes(self.strokes, self.size, self.pen_width)

    def model_input(self) -> np.ndarray | None:
        """Return what the pad feeds the network (``strokes_to_mnist``); None with no strokes."""
        return strokes_to_mnist(self.strokes, self.pen_width)
