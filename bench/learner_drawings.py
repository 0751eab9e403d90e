"""Redraw 28 × 28 MNIST digits the way a learner draws on the pad: pen strokes, any size, anywhere.

Method: upscale the digit 4× (bilinear), threshold at half ink to get its shape, thin the shape
to a one-pixel centre line (Zhang–Suen), and turn every pair of touching centre-line pixels into
a two-point pen stroke. The strokes are then scaled so the drawn ink is ``height`` pixels tall,
moved to a random place on the pad and drawn by the pad's own rasteriser with its fixed round
pen: hard edges, one stroke width whatever the size, as a mouse or finger draws.

Limits: the centre line keeps small spurs at stroke ends and corners; the pen is perfectly
even, with no wobble, pressure or speed; a wide pen on a small digit can close loops (as it
would for a learner); the shapes are still the NIST writers', not a learner's own style.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from mnist_lesson.preprocess import PAD_SIZE, PEN_WIDTH, render_strokes

UPSCALE = 4  # the centre line is traced on the digit enlarged this many times

# Zhang–Suen neighbours P2..P9, clockwise from north, as (row, column) offsets.
_NEIGHBOURS = [(-1, 0), (-1, 1), (0, 1), (1, 1), (1, 0), (1, -1), (0, -1), (-1, -1)]


def skeletonize(shape: np.ndarray) -> np.ndarray:
    """Thin a boolean shape to a one-pixel-wide centre line (Zhang–Suen, 1984)."""
    image = np.pad(shape.astype(bool), 1)
    while True:
        changed = False
        for step in (0, 1):
            p = [np.roll(image, (-dy, -dx), axis=(0, 1)) for dy, dx in _NEIGHBOURS]
            count = sum(n.astype(np.uint8) for n in p)
            transitions = sum((~p[i] & p[(i + 1) % 8]).astype(np.uint8) for i in range(8))
            if step == 0:
                rule = ~(p[0] & p[2] & p[4]) & ~(p[2] & p[4] & p[6])
            else:
                rule = ~(p[0] & p[2] & p[6]) & ~(p[0] & p[4] & p[6])
            remove = image & (count >= 2) & (count <= 6) & (transitions == 1) & rule
            if remove.any():
                image &= ~remove
                changed = True
        if not changed:
            return image[1:-1, 1:-1]


def centre_line_strokes(digit: np.ndarray) -> list[list[tuple[float, float]]]:
    """Return a digit's centre line as two-point strokes, in the 4×-enlarged frame."""
    size = digit.shape[0] * UPSCALE
    enlarged = Image.fromarray(digit.astype(np.float32), mode="F").resize(
        (size, size), Image.Resampling.BILINEAR
    )
    line = skeletonize(np.asarray(enlarged) >= 0.5)
    rows, cols = np.nonzero(line)
    on = set(zip(rows.tolist(), cols.tolist(), strict=True))
    strokes = []
    for row, col in on:
        point = (col + 0.5, row + 0.5)
        joined = False
        for dy, dx in ((0, 1), (1, -1), (1, 0), (1, 1)):  # each pair once
            if (row + dy, col + dx) in on:
                strokes.append([point, (col + dx + 0.5, row + dy + 0.5)])
                joined = True
        if not joined:
            strokes.append([point])
    return strokes


def draw_like_a_learner(
    digit: np.ndarray, height: float, rng: np.random.Generator, pen_width: float = PEN_WIDTH
) -> np.ndarray | None:
    """Draw ``digit`` (28 × 28 in [0, 1]) on the pad, ``height`` px tall at a random place.

    Returns the pad's uint8 280 × 280 image, or None if the digit has no centre line.
    """
    strokes = centre_line_strokes(digit)
    if not strokes:
        return None
    points = np.array([point for stroke in strokes for point in stroke])
    low, high = points.min(axis=0), points.max(axis=0)
    span = np.maximum(high - low, 1e-6)
    # The drawn ink spans the centre line plus the pen; keep it inside the pad.
    scale = min((height - pen_width) / span[1], (PAD_SIZE - pen_width - 2) / span[0])
    size = span * scale + pen_width
    corner = rng.uniform(0, PAD_SIZE - size) + pen_width / 2
    placed = [[tuple((np.array(p) - low) * scale + corner) for p in s] for s in strokes]
    return render_strokes(placed, pen_width=pen_width)
