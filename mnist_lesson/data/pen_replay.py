"""Replay real pen digits on the drawing pad, and turn them into the model's input as it does.

    strokes = pad_strokes(digit, height=150, corner=(40, 60))  # on the 280 × 280 pad
    image = strokes_to_mnist(strokes)  # what the pad feeds the network (never None here)
    images = pen_digit_inputs(digits)  # uint8 [N, 28, 28, 1], made once per digit

A digit is flipped (the tablet's y grows upward, the pad's downward), scaled so its longer
side spans ``height`` pad pixels, and made into the network's input as the pad does
(``strokes_to_mnist`` draws it again ``MODEL_SIDE`` px tall), so the input does not depend on
the height and place a digit is replayed at.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from mnist_lesson.data.sprite import IMAGE_SIZE
from mnist_lesson.data.unipen import PenDigit
from mnist_lesson.ink import MODEL_SIDE, PAD_SIZE, as_uint8, strokes_to_mnist

HEIGHTS = (70, 250)  # the digit heights on the pad, px, that a learner draws
# Each digit's input, kept once made: id → (the digit, kept alive so that its id stays its
# own, and its uint8 28 × 28 input).
_inputs: dict[int, tuple[PenDigit, np.ndarray]] = {}


def pad_strokes(
    digit: PenDigit, height: float, corner: tuple[float, float] = (0.0, 0.0)
) -> list[list[tuple[float, float]]]:
    """Return the digit's strokes on the pad: y flipped, longer side ``height`` px, at ``corner``.

    Args:
        digit: a pen digit.
        height: the pad pixels its longer side spans (its height, for almost every digit).
        corner: the pad ``(x, y)`` of its bounding box's top-left corner.
    """
    points = np.concatenate(digit.strokes).astype(np.float64)
    low, high = points.min(axis=0), points.max(axis=0)
    scale = height / max(float((high - low).max()), 1.0)
    left, top = corner
    return [
        [(left + (x - low[0]) * scale, top + (high[1] - y) * scale) for x, y in stroke.tolist()]
        for stroke in digit.strokes
    ]


def pen_digit_inputs(digits: Sequence[PenDigit]) -> np.ndarray:
    """Return the pad's input for each digit, uint8 ``[N, 28, 28, 1]``, made once per digit.

    The input is the same whatever height and place the digit is replayed at (the pad draws
    every drawing again ``MODEL_SIDE`` px tall), so each digit is replayed at that height.
    """
    images = np.empty((len(digits), IMAGE_SIZE, IMAGE_SIZE, 1), np.uint8)
    for index, digit in enumerate(digits):
        kept = _inputs.get(id(digit))
        if kept is None or kept[0] is not digit:
            image = as_uint8(strokes_to_mnist(pad_strokes(digit, MODEL_SIDE)))
            kept = _inputs[id(digit)] = (digit, image[..., None])
        images[index] = kept[1]
    return images


def random_placements(
    digits: list[PenDigit],
    heights: tuple[float, float],
    rng: np.random.Generator,
    pad: int = PAD_SIZE,
) -> tuple[np.ndarray, np.ndarray]:
    """Draw a height (uniform in ``heights``) and a corner anywhere on the pad for each digit."""
    sizes = rng.uniform(*heights, size=len(digits))
    corners = np.empty((len(digits), 2))
    for index, (digit, size) in enumerate(zip(digits, sizes, strict=True)):
        points = np.concatenate(digit.strokes)
        extent = points.max(axis=0) - points.min(axis=0)
        width, tall = extent * size / max(float(extent.max()), 1.0)
        corners[index] = rng.uniform(0, pad - width), rng.uniform(0, pad - tall)
    return sizes, corners
