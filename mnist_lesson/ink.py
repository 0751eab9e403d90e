"""Turn a drawing into what the model expects: MNIST's own recipe, and a stroke rasteriser.

MNIST's digits were cropped to their ink, scaled so the longer side is 20 pixels (keeping the
aspect ratio, with anti-aliasing) and placed in a 28 × 28 field with the centre of mass at the
centre. ``to_mnist`` does the same to a canvas image of any size::

    image = render_strokes(strokes)    # uint8 280 × 280, white ink on black
    digit = to_mnist(image)            # float32 28 × 28 in [0, 1], or None if nothing is drawn

The pad feeds its network ``strokes_to_mnist(strokes)``: the drawing scaled to ``MODEL_SIDE``
px, then drawn and ``to_mnist``-ed, so the pen's relative width is the same at any size.

Everything here is pure NumPy / Pillow / SciPy: no widgets, no TensorFlow.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from PIL import Image, ImageDraw
from scipy import ndimage

from mnist_lesson.data.sprite import IMAGE_SIZE

PAD_SIZE = 280  # the drawing pad's side in pixels (10 × MNIST's 28)
# The round pen's width: 10–16 px read best over drawings 70–250 px tall
# (bench/bench_pad_accuracy.py).
PEN_WIDTH = 12
# The drawing's longer side, px, when the pad draws it again for the network: where the 12 px
# pen is as wide, relative to the digit, as MNIST's strokes (bench/bench_drawing_size.py).
MODEL_SIDE = 85
DIGIT_BOX = 20  # MNIST scales the ink's longer side to this many pixels
MNIST_CENTRE = 14.0  # where MNIST's centres of mass sit (row and column index; measured)
INK_THRESHOLD = 0.1  # ink fraction above which a pixel counts for the bounding box
RESAMPLE = Image.Resampling.BOX  # area averaging: MNIST's anti-aliasing, no blur past the box
MIN_STEP = 0.5  # points of a stroke closer than this (px) to the last kept one are skipped

Point = tuple[float, float]


def ink_fraction(image: np.ndarray) -> np.ndarray:
    """Return the ink of a white-on-black image as float32 in [0, 1], one value per pixel.

    Args:
        image: 2-D grayscale (or H × W × 1), H × W × 3 RGB or H × W × 4 RGBA; integers
            0–255, floats 0–1. With RGBA the ink is brightness times opacity.
    """
    image = np.asarray(image)
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[..., 0]
    if image.ndim == 3 and image.shape[2] in (3, 4):
        colour = _to_unit(image[..., :3]) @ np.array([0.299, 0.587, 0.114], np.float32)
        ink = colour * _to_unit(image[..., 3]) if image.shape[2] == 4 else colour
    elif image.ndim == 2:
        ink = _to_unit(image)
    else:
        raise ValueError(
            f"expected a grayscale image (H × W or H × W × 1) or a colour one (H × W × 3 RGB "
            f"or H × W × 4 RGBA), got shape "
            f"{image.shape}. Pass canvas pixels as a NumPy array, e.g. np.asarray(pil_image)."
        )
    return np.asarray(ink, dtype=np.float32)


def _to_unit(values: np.ndarray) -> np.ndarray:
    if values.dtype == bool:
        return values.astype(np.float32)
    if np.issubdtype(values.dtype, np.integer):
        return values.astype(np.float32) / 255.0
    if not np.issubdtype(values.dtype, np.floating):
        raise ValueError(f"image pixels must be numbers, not {values.dtype}.")
    values = values.astype(np.float32)
    if values.size and not (np.isfinite(values).all() and values.min() >= 0 and values.max() <= 1):
        raise ValueError(
            f"float pixels must lie in [0, 1], but they span [{np.nanmin(values):g}, "
            f"{np.nanmax(values):g}] (or are not finite). Divide 0–255 values by 255 first."
        )
    return values


def to_mnist(image: np.ndarray) -> np.ndarray | None:
    """Crop, scale and centre a white-on-black drawing the way MNIST did; None if it is empty.

    Args:
        image: the canvas, any size: 2-D grayscale or H × W × 4 RGBA (see ``ink_fraction``).

    Returns:
        float32 28 × 28 in [0, 1]: the ink's longer side 20 px, its centre of mass at pixel
        (14, 14), scaled with anti-aliasing; or ``None`` when no pixel holds ink.
    """
    ink = ink_fraction(image)
    rows = np.flatnonzero((ink > INK_THRESHOLD).any(axis=1))
    if rows.size == 0:
        return None
    cols = np.flatnonzero((ink > INK_THRESHOLD).any(axis=0))
    crop = ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    scale = DIGIT_BOX / max(crop.shape)
    height, width = (max(1, round(side * scale)) for side in crop.shape)
    # Anti-aliased scaling: each output pixel averages the ink it covers.
    patch = Image.fromarray(crop).resize((width, height), RESAMPLE)
    patch = np.clip(np.asarray(patch, dtype=np.float32), 0.0, 1.0)
    # Whole-pixel shift putting the centre of mass on pixel (14, 14), as MNIST did (its
    # centres sit within half a pixel of it); the patch always stays inside the field.
    centre = ndimage.center_of_mass(patch)
    top, left = (
        int(np.clip(round(MNIST_CENTRE - c), 0, IMAGE_SIZE - side))
        for c, side in zip(centre, patch.shape, strict=True)
    )
    digit = np.zeros((IMAGE_SIZE, IMAGE_SIZE), np.float32)
    digit[top : top + height, left : left + width] = patch
    # MNIST's strokes reach full ink; a thin pen's strokes average to grey, so lift the peak.
    return digit / digit.max()


def model_canvas(width: float, height: float, pen_width: float) -> tuple[float, float, int]:
    """Return how a drawing ``width`` × ``height`` px is drawn again for the network.

    Returns ``(scale, margin, size)``: points scaled by ``scale`` from the drawing's top-left
    corner, moved ``margin`` px in, on a ``size`` × ``size`` canvas (``strokes_to_mnist``).
    """
    margin = pen_width / 2 + 1
    return MODEL_SIDE / max(width, height, 1.0), margin, math.ceil(MODEL_SIDE + 2 * margin)


def strokes_to_mnist(
    strokes: Sequence[Sequence[Point]], pen_width: float = PEN_WIDTH
) -> np.ndarray | None:
    """Return what the pad feeds the network for ``strokes``: ``to_mnist`` at one drawing size.

    The points are scaled (about the drawing's top-left corner) so that the drawing's longer
    side is ``MODEL_SIDE`` px, drawn with the ``pen_width`` px pen on a canvas just big
    enough, and ``to_mnist``-ed, so a digit reads the same at any size or place on the pad.

    Args:
        strokes: each stroke a sequence of ``(x, y)`` pad points.
        pen_width: the pen's diameter in pixels, at the drawing size ``MODEL_SIDE``.

    Returns:
        float32 28 × 28 in [0, 1], or ``None`` when there are no points.
    """
    check_pen_width(pen_width)
    kept = [stroke for stroke in strokes if len(stroke)]
    if not kept:
        return None
    points = np.concatenate([np.asarray(stroke, np.float64).reshape(-1, 2) for stroke in kept])
    low = points.min(axis=0)
    scale, margin, size = model_canvas(*(points.max(axis=0) - low).tolist(), pen_width)
    resized = [(np.asarray(stroke, np.float64) - low) * scale + margin for stroke in kept]
    return to_mnist(render_strokes([stroke.tolist() for stroke in resized], size, pen_width))


def as_uint8(digits: np.ndarray) -> np.ndarray:
    """Return float 0–1 digits as uint8 0–255, as the sprite (and MNIST) stores them."""
    return np.round(np.asarray(digits) * 255).astype(np.uint8)


def shrink_whole_canvas(image: np.ndarray) -> np.ndarray:
    """Shrink the whole canvas to 28 × 28, as the original lesson did (no crop, no centring)."""
    ink = ink_fraction(image)
    digit = Image.fromarray(ink).resize((IMAGE_SIZE, IMAGE_SIZE), Image.Resampling.BOX)
    return np.clip(np.asarray(digit, dtype=np.float32), 0.0, 1.0)


def render_strokes(
    strokes: Sequence[Sequence[Point]], size: int = PAD_SIZE, pen_width: float = PEN_WIDTH
) -> np.ndarray:
    """Draw strokes with a round pen, hard-edged, white on black; return uint8 size × size.

    Args:
        strokes: each stroke a sequence of ``(x, y)`` canvas points (pixel i spans [i, i + 1));
            one point makes a dot. Points off the canvas are fine: the ink is clipped.
        size: the canvas side in pixels.
        pen_width: the pen's diameter in pixels.
    """
    check_pen_width(pen_width)
    canvas = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(canvas)
    for stroke in strokes:
        draw_stroke(draw, stroke, pen_width)
    return np.asarray(canvas, dtype=np.uint8)


def check_pen_width(pen_width: float) -> None:
    """Raise a clear ``ValueError`` unless ``pen_width`` is a positive number of pixels."""
    if not pen_width > 0:
        raise ValueError(f"pen_width must be a positive number of pixels, not {pen_width!r}.")


def draw_stroke(draw: ImageDraw.ImageDraw, stroke: Sequence[Point], pen_width: float) -> None:
    """Draw one stroke in white (255) with a round, hard-edged pen (see ``render_strokes``).

    Strokes only ever add white, so drawing them one at a time onto the same image, in any
    order, gives the image ``render_strokes`` gives: the union of their pixels.
    """
    radius = pen_width / 2 - 0.5  # Pillow's ellipse box includes both end pixels
    # Pillow puts pixel centres on whole numbers; the canvas puts them at i + 0.5.
    points = _thin([(float(x) - 0.5, float(y) - 0.5) for x, y in stroke], MIN_STEP)
    if len(points) > 1:
        draw.line(points, fill=255, width=max(1, round(pen_width)))
    for x, y in points:
        # Round caps and joins: a disc at every kept point.
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=255)


def _thin(points: list[Point], spacing: float) -> list[Point]:
    """Keep the ends and the points at least ``spacing`` from the last kept one."""
    if len(points) <= 2:
        return points
    kept = [points[0]]
    for point in points[1:-1]:
        if math.dist(point, kept[-1]) >= spacing:
            kept.append(point)
    kept.append(points[-1])
    return kept
