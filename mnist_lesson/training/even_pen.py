"""Redraw digits with an even, round pen: how digits drawn on the pad look to the model.

MNIST's pen strokes swell and taper; the pad's pen is one width from end to end
(``PEN_WIDTHS`` after ``to_mnist``), and a network that has only seen MNIST reads such digits
worse. ``redraw_with_pen`` finds each digit's centre line and draws it again with a round pen
of a given width::

    redrawn = redraw_with_pen(images, widths)  # uint8 [N, 28, 28, 1], one pen width a digit

``TrainConfig(pen_strokes=…)`` mixes such digits into training. NumPy, SciPy and
scikit-image only: no TensorFlow.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage
from skimage.morphology import skeletonize

from mnist_lesson.data.sprite import IMAGE_SIZE
from mnist_lesson.ink import DIGIT_BOX, PEN_WIDTH

UPSCALE = 2  # the centre line is found on the digit enlarged this many times
INK_LEVEL = 0.5  # a pixel belongs to the digit's shape from this much ink
DRAWN_HEIGHTS = (70, 250)  # the digit heights on the pad, px, that the pen widths cover
# The pad's pen after to_mnist scales a drawing's ink to DIGIT_BOX px, in 28 × 28 pixels:
# 3.4 px wide for a digit drawn 70 px tall, 0.96 px for one drawn 250 px tall.
PEN_WIDTHS = (PEN_WIDTH * DIGIT_BOX / DRAWN_HEIGHTS[1], PEN_WIDTH * DIGIT_BOX / DRAWN_HEIGHTS[0])
MIN_WIDTH = 0.5  # thinner pens cannot be drawn on the 2× grid: the centre line alone is wider
CHUNK = 1024  # digits redrawn at a time; their 2× temporaries take about 60 MB


def enlarge(images: np.ndarray) -> np.ndarray:
    """Enlarge float ``[N, H, W]`` images 2× by bilinear interpolation, as Pillow does."""
    for axis in (1, 2):
        size = images.shape[axis]
        before = np.take(images, np.maximum(np.arange(size) - 1, 0), axis)
        after = np.take(images, np.minimum(np.arange(size) + 1, size - 1), axis)
        # Each pixel becomes two: a quarter of the way towards each neighbour.
        pair = np.stack([0.75 * images + 0.25 * before, 0.75 * images + 0.25 * after], axis + 1)
        shape = list(images.shape)
        shape[axis] *= 2
        images = pair.reshape(shape)
    return images


def centre_lines(images: np.ndarray) -> np.ndarray:
    """Return each digit's one-pixel centre line, on the digit enlarged 2× (bool ``[N, 56, 56]``).

    ``images`` is float ``[N, 28, 28]`` in [0, 1]. The shape is the digit enlarged 2× and
    cut at half ink; its centre line is found by thinning (scikit-image's ``skeletonize``).
    """
    shapes = enlarge(images) >= INK_LEVEL
    return np.stack([skeletonize(shape) for shape in shapes])


def redraw_with_pen(images: np.ndarray, widths: np.ndarray) -> np.ndarray:
    """Redraw each digit along its centre line with a round pen ``widths[i]`` MNIST pixels wide.

    Args:
        images: uint8 digits, ``[N, 28, 28]`` or ``[N, 28, 28, 1]`` (the dataset's shape).
        widths: ``[N]`` pen widths in pixels of the 28 × 28 image, at least ``MIN_WIDTH``;
            ``PEN_WIDTHS`` is the range the pad's pen gives.

    Returns:
        uint8 digits shaped like ``images``: white round strokes on black, anti-aliased by
        drawing at 2× and averaging each 2 × 2 block, then scaled so the brightest pixel is
        255 (as ``to_mnist`` does to drawings). A digit with no pixel at half ink has no
        centre line and comes back unchanged.
    """
    images = np.asarray(images)
    widths = np.asarray(widths, dtype=np.float32)
    shape_ok = images.ndim == 3 or (images.ndim == 4 and images.shape[3] == 1)
    if images.dtype != np.uint8 or not shape_ok or images.shape[1:3] != (IMAGE_SIZE, IMAGE_SIZE):
        raise ValueError(
            f"redraw_with_pen expects uint8 digits shaped [N, 28, 28] or [N, 28, 28, 1], "
            f"got {images.dtype} {images.shape}."
        )
    if widths.shape != (len(images),):
        raise ValueError(
            f"widths must hold one pen width per digit: {len(images)} digits, but widths has "
            f"shape {widths.shape}."
        )
    bad = ~(np.isfinite(widths) & (widths >= MIN_WIDTH))
    if bad.any():
        shown = [round(float(width), 3) for width in widths[bad][:5]]
        raise ValueError(
            f"pen widths must be at least {MIN_WIDTH} px (the pad's pen gives "
            f"{PEN_WIDTHS[0]:.2f}–{PEN_WIDTHS[1]:.2f}), got {shown} "
            f"for digit(s) {np.flatnonzero(bad)[:5].tolist()}."
        )
    flat = images.reshape(len(images), IMAGE_SIZE, IMAGE_SIZE)
    redrawn = np.empty_like(flat)
    for start in range(0, len(flat), CHUNK):
        block = flat[start : start + CHUNK]
        lines = centre_lines(block.astype(np.float32) / 255.0)
        for index, line in enumerate(lines):
            redrawn[start + index] = _draw_line(line, widths[start + index], block[index])
    return redrawn.reshape(images.shape)


def _draw_line(line: np.ndarray, width: float, original: np.ndarray) -> np.ndarray:
    """Draw a 2× centre line with a round pen ``width`` pixels wide at 1×; return uint8 28 × 28."""
    if not line.any():
        return original
    distance = ndimage.distance_transform_edt(~line)
    # Ink where the pen's disc (radius = width at 2×, half a pixel soft) covers the pixel.
    ink = np.clip(width + 0.5 - distance, 0.0, 1.0)
    size = ink.shape[0] // UPSCALE
    ink = ink.reshape(size, UPSCALE, size, UPSCALE).mean(axis=(1, 3))
    # Full ink at the brightest pixel, as to_mnist makes every drawing: a thin pen's strokes
    # average to grey when shrunk, and the pad's drawings never reach the model that way.
    return np.round(ink / ink.max() * 255).astype(np.uint8)
