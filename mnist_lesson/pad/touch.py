"""Which finger draws: ipycanvas lists every finger on the screen, with no identifiers.

For each touch event ipycanvas sends
``{"event": "touch_…", "touches": [{"x": …, "y": …}, …]}`` from the browser's
``event.touches``: every finger on the page *after* the event (also one off the canvas), in
canvas pixels, without saying which changed. So the drawing finger is told by position alone:

- A stroke starts when a finger lands while none draws, at the listed touch on the canvas
  that is not where a finger of the previous event was (the last listed if several).
- The drawing finger is the listed touch nearest to where it was last seen; moves follow it.
- It has lifted when an event other than a move lists no touch within ``TOUCH_SLOP`` of
  where it was last seen (fingertips lie 40 CSS px or more apart, and move a few px).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from mnist_lesson.ink import PAD_SIZE, Point

TOUCH_SLOP = 20.0  # a listed touch this close (px) to the drawing finger is that finger

PenAction = tuple[str, Point]  # ("down" | "move" | "up", where)


class DrawingFinger:
    """Follow the drawing finger through touch events: where the pen goes down, moves, lifts."""

    def __init__(self, size: int = PAD_SIZE, slop: float = TOUCH_SLOP) -> None:
        self.size = size  # the canvas side in pixels: a finger landing on it lies within
        self.slop = slop  # see TOUCH_SLOP
        self.position: Point | None = None  # where the drawing finger was last seen, if any
        self._fingers: list[Point] = []  # every finger the previous event listed

    def follow(self, event: str, touches: Sequence[Point]) -> list[PenAction]:
        """Return the pen's actions for one event: ``"touch_start"``, ``"touch_move"``, …."""
        touches = [(float(x), float(y)) for x, y in touches]
        actions: list[PenAction] = []
        if self.position is not None:
            near = min(touches, key=lambda touch: math.dist(touch, self.position), default=None)
            if near is not None and (
                event == "touch_move" or math.dist(near, self.position) <= self.slop
            ):
                self.position = near
                actions.append(("move", near))
            elif event != "touch_move":  # the drawing finger is no longer listed: it lifted
                actions.append(("up", self.position))
                self.position = None
        if event == "touch_start" and self.position is None:
            self.position = self._landed(touches)
            if self.position is not None:
                actions.append(("down", self.position))
        self._fingers = touches
        return actions

    def _landed(self, touches: list[Point]) -> Point | None:
        """Return the finger that has just landed on the canvas (see the module's notes)."""
        on_canvas = [(x, y) for x, y in touches if 0 <= x <= self.size and 0 <= y <= self.size]
        new = [
            touch
            for touch in on_canvas
            if all(math.dist(touch, finger) > self.slop for finger in self._fingers)
        ]
        candidates = new or on_canvas or touches
        return candidates[-1] if candidates else None
