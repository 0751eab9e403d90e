"""Redraw 28 × 28 MNIST digits the way a learner draws on the pad: pen strokes, any size, anywhere.

Method: upscale the digit 4× (bilinear) and threshold at half ink to get its shape. Then:

1. Strokes: thin the shape to a one-pixel centre line (Zhang–Suen) and turn every pair of
   touching centre-line pixels into a two-point pen stroke.
2. Filled parts: where the writer filled a loop or left a blob (a solid lower loop of an 8,
   a filled 6, a closed thick top of a 4), a learner fills it too, but the centre line keeps
   only a thin spine of it. So the parts much thicker than the writer's stroke are kept as
   shapes: pixels farther from the edge than ``FILL_FACTOR`` × the digit's stroke half-width
   (the median distance to the edge along its centre line, at least the sample's median,
   ``MIN_HALF_WIDTH``, so a thin writer's stroke crossings do not count) are grown back by
   their distance, i.e. the union of the largest discs that fit there. Parts smaller than one
   such disc are dropped. 37 of the sample's 1,539 test digits have one.

Both are scaled together so the drawn ink is ``height`` pixels tall, moved to a random place
on the pad and drawn hard-edged: the strokes by the pad's own rasteriser with its fixed round
pen (one stroke width whatever the size, as a mouse or finger draws); the filled parts as solid
regions: each part less the writer's stroke half-width all round, scaled (nearest pixel), then
widened by half the pen, as the pen would fill it. The two are united.

Limits: the centre line keeps small spurs at stroke ends and corners; the pen is perfectly
even, with no wobble, pressure or speed; a wide pen on a small digit can close loops (as it
would for a learner); filled parts are drawn as exact solid shapes, not scribbled; the shapes
are still the NIST writers', not a learner's own style.
"""

from __future__ import annotations

import numpy as np
from PIL import Image
from scipy import ndimage

from mnist_lesson.ink import PAD_SIZE, PEN_WIDTH, render_strokes

UPSCALE = 4  # the centre line is traced on the digit enlarged this many times
FILL_FACTOR = 2.0  # a part is filled where it is this many times thicker than the stroke
# The sample's median stroke half-width in the 4×-enlarged frame (median over 1,500 training
# digits of each digit's median distance to the edge along its centre line; quartiles 4.1, 6).
MIN_HALF_WIDTH = 5.0

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


def enlarged_shape(digit: np.ndarray) -> np.ndarray:
    """Return a digit's ink shape (boolean) enlarged ``UPSCALE`` times, thresholded at half ink."""
    size = digit.shape[0] * UPSCALE
    enlarged = Image.fromarray(digit.astype(np.float32)).resize(
        (size, size), Image.Resampling.BILINEAR
    )
    return np.asarray(enlarged) >= 0.5


def centre_line_strokes(line: np.ndarray) -> list[list[tuple[float, float]]]:
    """Return a centre line (boolean image) as two-point strokes, in its own frame."""
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


def filled_parts(shape: np.ndarray, line: np.ndarray) -> np.ndarray:
    """Return the cores of the parts of ``shape`` much thicker than its stroke (boolean).

    A part is where the shape is more than ``FILL_FACTOR`` times thicker than its stroke
    along ``line``, grown back by its distance to the edge (the union of the largest discs
    that fit there) and kept if at least one such disc in area. Its core is that part less
    the stroke's half-width all round: what a pen of no width would have to fill.
    """
    distance = ndimage.distance_transform_edt(shape)
    half_width = max(float(np.median(distance[line])), MIN_HALF_WIDTH) if line.any() else 0.0
    radius = FILL_FACTOR * half_width
    rows, cols = np.nonzero(distance > radius)
    grown = np.zeros(shape.shape, bool)
    if rows.size == 0:
        return grown
    grid_rows, grid_cols = np.indices(shape.shape)
    for row, col in zip(rows, cols, strict=True):
        grown |= (grid_rows - row) ** 2 + (grid_cols - col) ** 2 <= distance[row, col] ** 2
    parts, count = ndimage.label(grown & shape)
    areas = ndimage.sum(grown & shape, parts, index=np.arange(1, count + 1))
    kept = np.isin(parts, np.flatnonzero(areas >= np.pi * radius**2) + 1)
    return ndimage.distance_transform_edt(kept) > half_width


def draw_like_a_learner(
    digit: np.ndarray, height: float, rng: np.random.Generator, pen_width: float = PEN_WIDTH
) -> np.ndarray | None:
    """Draw ``digit`` (28 × 28 in [0, 1]) on the pad, ``height`` px tall at a random place.

    Returns the pad's uint8 280 × 280 image, or None if the digit has no centre line.
    """
    shape = enlarged_shape(digit)
    line = skeletonize(shape)
    strokes = centre_line_strokes(line)
    if not strokes:
        return None
    cores = filled_parts(shape, line)
    points = np.array([point for stroke in strokes for point in stroke])
    # The ink's extent in the enlarged frame, less the pen: the centre line and the cores.
    low, high = points.min(axis=0), points.max(axis=0)
    if cores.any():
        rows, cols = np.nonzero(cores)
        low = np.minimum(low, [cols.min(), rows.min()])
        high = np.maximum(high, [cols.max() + 1, rows.max() + 1])
    span = np.maximum(high - low, 1e-6)
    # The drawn ink spans that plus the pen; keep it inside the pad.
    scale = min((height - pen_width) / span[1], (PAD_SIZE - pen_width - 2) / span[0])
    size = span * scale + pen_width
    corner = rng.uniform(0, PAD_SIZE - size) + pen_width / 2
    placed = [[tuple((np.array(p) - low) * scale + corner) for p in s] for s in strokes]
    image = render_strokes(placed, pen_width=pen_width)
    if cores.any():
        # The cores, scaled with the drawing (nearest pixel), then widened by half the pen:
        # filled as the pen would fill them, as much wider than the pen as they were wider
        # than the writer's stroke.
        centres = (np.arange(PAD_SIZE) + 0.5 - corner[:, None]) / scale + low[:, None]
        x, y = np.floor(centres).astype(int)
        inside_x, inside_y = (x >= 0) & (x < shape.shape[1]), (y >= 0) & (y < shape.shape[0])
        placed_cores = np.zeros(image.shape, bool)
        placed_cores[np.ix_(inside_y, inside_x)] = cores[np.ix_(y[inside_y], x[inside_x])]
        filled = ndimage.distance_transform_edt(~placed_cores) <= pen_width / 2
        image = np.where(filled, np.uint8(255), image)
    return image


def redraw_in_place(digit: np.ndarray) -> np.ndarray | None:
    """Redraw ``digit`` as ``draw_like_a_learner`` does, but at its own size and stroke width.

    The same centre line and filled parts, drawn in the 4×-enlarged frame with a round pen as
    wide as the writer's own stroke (twice its median half-width): what the tracing alone
    changes, with no resizing, moving or fixed pen. Returns uint8 112 × 112, or None.
    """
    shape = enlarged_shape(digit)
    line = skeletonize(shape)
    strokes = centre_line_strokes(line)
    if not strokes:
        return None
    half_width = float(np.median(ndimage.distance_transform_edt(shape)[line]))
    image = render_strokes(strokes, size=shape.shape[0], pen_width=max(2 * half_width, 1.0))
    cores = filled_parts(shape, line)
    if not cores.any():
        return image
    return np.where(ndimage.distance_transform_edt(~cores) <= half_width, np.uint8(255), image)
